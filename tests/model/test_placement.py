"""Where a dragged or dropped rack lands: into a row's slots, or on the floor's grid."""

from model.document import Document
from model.layout import Rack, Site
from model.placement import snap_rack


def _row_and_a_loose_rack() -> Document:
    """Row A: three 600 mm racks side by side from x = 0, facing south; rack M 6 m away."""
    doc = Document(Site(name="snap"))
    for i in range(3):
        doc.add_rack(Rack(id=f"A{i}", row="A", x_mm=600.0 * i, y_mm=0.0))
    doc.add_rack(Rack(id="M", x_mm=0.0, y_mm=6000.0))
    return doc


def test_a_rack_near_a_row_takes_a_slot_of_it_else_the_grid():
    doc = _row_and_a_loose_rack()
    into_row = snap_rack(doc, doc.racks["M"], 2350, 150, {"M"})  # within two slots of its end
    assert (into_row.x_mm, into_row.y_mm, into_row.row, into_row.facing) == (2400, 0, "A", "south")
    on_grid = snap_rack(doc, doc.racks["M"], 9049, 6151, {"M"})
    assert (on_grid.x_mm, on_grid.y_mm, on_grid.row) == (9000, 6200, "")


def test_a_rack_snapped_to_open_floor_leaves_its_row_unless_the_row_moves_with_it():
    doc = _row_and_a_loose_rack()
    alone = snap_rack(doc, doc.racks["A2"], 9049, 6151, {"A2"})  # A0 and A1 stay in row A
    assert (alone.x_mm, alone.y_mm, alone.row) == (9000, 6200, "")
    whole_row = snap_rack(doc, doc.racks["A2"], 9049, 6151, {"A0", "A1", "A2"})
    assert whole_row.row == "A"


def test_the_rows_follow_every_rack_that_moves_but_the_dragged_ones():
    # The rows are kept while only the dragged racks move (a drag snaps at every mouse step).
    doc = _row_and_a_loose_rack()
    assert snap_rack(doc, doc.racks["M"], 4150, 150, {"M"}).y_mm == 200  # past the row's reach: the grid
    doc.move_rack("M", 300, 6000)  # the dragged rack itself
    assert snap_rack(doc, doc.racks["M"], 2350, 150, {"M"}).x_mm == 2400
    doc.move_rack("A2", 3000, 0)  # a rack of the row: A now reaches to 3 m, and two slots past it
    moved_on = snap_rack(doc, doc.racks["M"], 4150, 150, {"M"})
    assert (moved_on.x_mm, moved_on.y_mm, moved_on.row) == (4200, 0, "A")


def test_in_a_row_of_mixed_widths_every_rack_dragged_in_place_stays_there():
    # An 800 mm network rack first, then 600 mm racks: slots counted in the first rack's width
    # put 260 of the 349 racks of the 10,000-accelerator pod 100-200 mm onto a neighbour.
    doc = Document(Site(name="mixed"))
    doc.add_rack(Rack(id="N", row="B", x_mm=400.0, y_mm=0.0, width_mm=800))
    for i in range(4):
        doc.add_rack(Rack(id=f"S{i}", row="B", x_mm=1100.0 + 600 * i, y_mm=0.0))
    for r in doc.site.racks:
        for nudge in (0, 40, -40):  # a few mm of mouse, either way
            snapped = snap_rack(doc, r, r.x_mm + nudge, r.y_mm + nudge, {r.id})
            assert (snapped.x_mm, snapped.y_mm) == (r.x_mm, r.y_mm), (r.id, nudge)
    end = snap_rack(doc, Rack(id="new", x_mm=0, y_mm=0), 3390, 90, set())  # past the last rack
    assert (end.x_mm, end.y_mm, end.row) == (3500, 0, "B")
    wide = snap_rack(doc, Rack(id="wide", x_mm=0, y_mm=0, width_mm=800), 3390, 90, set())
    assert wide.x_mm == 3600  # butting the last rack's side, 400 mm on from it


def test_every_rack_of_the_scale_out_pod_snaps_to_where_it_stands():
    from model.topologies.scaleout import build_scaleout_pod

    doc = Document(build_scaleout_pod(accelerators=1024), index_cables=False)
    assert len({r.width_mm for r in doc.site.racks}) > 1  # network racks are wider
    off = [r.id for r in doc.site.racks if snap_rack(doc, r, r.x_mm, r.y_mm, {r.id}).x_mm != r.x_mm]
    assert off == []


def test_over_a_rack_of_the_row_the_dragged_rack_lands_on_it_and_is_refused():
    from model.placement import floor_clash

    doc = _row_and_a_loose_rack()
    for x in (590, 600, 610):  # either side of A1's centre
        over = snap_rack(doc, doc.racks["M"], x, 0, {"M"})
        assert (over.x_mm, over.y_mm) == (600, 0)
        assert "would overlap rack 'A1'" in floor_clash(doc, [over], {"M"})


def test_a_new_rack_takes_the_rows_slots_not_where_its_template_stands():
    # A new rack (from the library) is made at the origin, here on row A's line: that is no
    # place of its own to go back to. The row's slots near it: whole widths from A0, 50 mm.
    doc = Document(Site(name="new rack"))
    for i in range(3):
        doc.add_rack(Rack(id=f"A{i}", row="A", x_mm=1250.0 + 600 * i, y_mm=0.0))
    new = Rack(id="new", x_mm=0, y_mm=0)
    assert snap_rack(doc, new, 20, 60, set()).x_mm == 50


def test_pasting_every_rack_of_a_pod_places_each_clear_of_the_layout_and_of_the_others():
    """plan_paste moves each pasted rack along its row to the first free spot; each spot is
    checked against the layout and against the racks placed before it (not, as it was, every
    placed rack against every other at every spot: ~110 s for 349 racks)."""
    from model.placement import copy_payload, plan_paste
    from model.rules import overlapping_racks
    from model.topologies import build_sample

    doc = Document(build_sample("scaleout-pod", accelerators=512))
    racks = [r.id for r in doc.site.racks]
    pasted, _, cables = plan_paste(doc, copy_payload(doc, racks, []), None)
    assert len(pasted) == len(racks) and cables
    assert not overlapping_racks(pasted)
    assert not doc.rack_floor().clashes(pasted, set())
    # Each moved along its own row from where its original stands, by whole footprints.
    for original, copy in zip(doc.site.racks, pasted):
        along = "x_mm" if original.facing in ("north", "south") else "y_mm"
        across = "y_mm" if along == "x_mm" else "x_mm"
        assert getattr(copy, across) == getattr(original, across)
        assert (getattr(copy, along) - getattr(original, along)) % original.width_mm == 0

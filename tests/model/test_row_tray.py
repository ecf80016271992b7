"""A rack placed in a row gets the row's overhead tray in the same undo step (issue #14
point 1): laid with the second rack, extended with the next, none for a lone rack or with
the setting off; undo takes the rack and the tray back together."""

from __future__ import annotations

import math

import pytest

from model.commands import AddRack, AddTray, paste_command, place_rack
from model.commands_properties import UpdateSettings
from model.defaults import default
from model.document import Document
from model.layout import Cable, Device, Rack, Site, Tray
from model.placement import copy_payload, next_rack, plan_paste
from model.row_tray import plan_row_tray, row_of
from model.session import Session

TOP = 48 * 44.45 + default("rack", "frame_allowance_mm")


def add(session: Session, rack: Rack | None = None) -> Rack:
    rack = rack or next_rack(session.document)
    session.apply(place_rack(session.document, rack))
    return rack


def test_second_rack_in_a_row_lays_the_row_tray_in_one_undo_step():
    session = Session()
    add(session)
    assert session.document.site.trays == []  # a lone rack has no row yet
    before = session.document.site.model_dump()
    add(session)
    (tray,) = session.document.site.trays
    assert tray.points == [(-900.0, 0.0), (1500.0, 0.0)]  # both racks' footprints and 600 mm past each end
    assert tray.elevation_mm == pytest.approx(TOP + default("tray", "clearance_above_rack_mm"))
    assert tray.width_mm == default("tray", "width_mm")
    session.undo()  # one step takes the rack and its tray back
    assert session.document.site.model_dump() == before
    session.redo()
    assert [t.id for t in session.document.site.trays] == [tray.id]


def test_third_rack_extends_the_tray_and_undo_shortens_it():
    session = Session()
    add(session)
    add(session)
    points = list(session.document.site.trays[0].points)
    add(session)
    assert len(session.document.site.trays) == 1
    assert session.document.site.trays[0].points == [(-900.0, 0.0), (2100.0, 0.0)]
    # R03: named by the layout's rack pattern, R{rack:02}
    assert session.history.undo_text().startswith("Add rack R03 and its row's tray")
    session.undo()
    assert session.document.site.trays[0].points == points


def test_a_row_along_y_gets_a_tray_along_y():
    session = Session()
    add(session, Rack(id="A", x_mm=0, y_mm=0, facing="east"))
    add(session, Rack(id="B", x_mm=0, y_mm=600, facing="east"))
    (tray,) = session.document.site.trays
    assert tray.points == [(0.0, -900.0), (0.0, 1500.0)]


def test_racks_far_apart_or_facing_otherwise_are_no_row():
    session = Session()
    add(session, Rack(id="A", x_mm=0, y_mm=0))
    add(session, Rack(id="B", x_mm=600 + 600 + 601, y_mm=0))  # a gap of 601 mm: past one empty slot
    add(session, Rack(id="C", x_mm=0, y_mm=3000, facing="north"))
    add(session, Rack(id="D", x_mm=600, y_mm=3000 + 50, facing="north"))  # off the line
    assert session.document.site.trays == []
    rack = Rack(id="E", x_mm=1200, y_mm=0)  # fills the slot between A and B: one row of three
    assert [r.id for r in row_of(session.document, rack)] == ["A", "E", "B"]


def test_the_setting_off_places_the_rack_alone_and_is_undoable():
    session = Session()
    add(session)
    session.apply(UpdateSettings(session.document, auto_row_tray=False))
    rack = next_rack(session.document)
    assert plan_row_tray(session.document, rack) is None
    assert isinstance(place_rack(session.document, rack), AddRack)
    session.undo()
    assert session.document.site.settings.auto_row_tray is True
    assert plan_row_tray(session.document, rack) is not None


def test_a_tray_already_over_the_row_is_kept_where_it_reaches():
    session = Session()
    add(session, Rack(id="A", x_mm=0, y_mm=0))
    session.apply(AddTray(session.document, Tray(id="T9", points=[(2400, 0), (-900, 0)], elevation_mm=2800)))
    assert plan_row_tray(session.document, Rack(id="B", x_mm=600, y_mm=0)) is None  # already over it
    plan = plan_row_tray(session.document, Rack(id="B", x_mm=-1200, y_mm=0))  # a slot past A's west side
    assert plan is not None and plan.extends == "T9"
    assert plan.tray.points == [(2400.0, 0.0), (-2100.0, 0.0)]  # on past B's far end, its direction kept


def test_a_refused_rack_lays_no_tray():
    session = Session()
    add(session)
    add(session)
    before = session.document.site.model_dump()
    clash = Rack(id="R1", x_mm=1200, y_mm=0)  # id taken: the document refuses it
    with pytest.raises(Exception, match="R1"):
        session.apply(place_rack(session.document, clash))
    assert session.document.site.model_dump() == before


def test_a_cable_between_racks_a_slot_apart_routes_over_the_new_tray():
    """The issue's try: two racks a slot apart, a switch and a server, no tray laid by hand."""
    session = Session(Document(Site()))
    add(session, Rack(id="R1", x_mm=0, y_mm=0, side_openings=False))
    add(session, Rack(id="R2", x_mm=1200, y_mm=0, side_openings=False))
    doc = session.document
    doc.place_device("R1", Device(id="leaf", type="switch-qm9700-64x400g", u_position=40))
    doc.place_device("R2", Device(id="srv", type="server-8gpu-400g", u_position=10))
    doc.connect(Cable(id="c1", a="srv:nic1", b="leaf:p1"))
    length = session.result.cable("c1").length_m
    assert length is not None and math.isfinite(length) and length > 1.2


def test_pasted_racks_run_the_row_tray_on_over_them_in_the_paste_step():
    session = Session()
    add(session)
    add(session)
    doc = session.document
    before = doc.site.model_dump()
    racks, placements, cables = plan_paste(doc, copy_payload(doc, ["R1", "R2"], []), None)
    session.apply(paste_command(doc, racks, placements, cables))
    (tray,) = doc.site.trays
    assert tray.points == [(-900.0, 0.0), (2700.0, 0.0)]  # over the two copies at the row's end
    session.undo()
    assert doc.site.model_dump() == before
    session.redo()
    assert doc.site.trays[0].points == [(-900.0, 0.0), (2700.0, 0.0)]

"""Edits check first and change second; each tells listeners what it touched."""

import pytest

from model.document import _INDEXES, Document
from model.errors import LayoutError
from model.layout import Cable, Device, Rack
from model.topologies import build_sample
from tests.model.builders import cable, place, two_rows

SWITCH = "switch-51t2-64x800g"


@pytest.fixture
def doc():
    document = two_rows(racks_per_row=2)
    place(document, "R1-1", "a", SWITCH, 10)
    place(document, "R1-2", "b", SWITCH, 10)
    cable(document, "c1", "a:p1", "b:p1")
    return document


def _heard(document):
    changes = []
    document.subscribe(changes.append)
    return changes


def test_placing_into_an_occupied_slot_is_refused_and_changes_nothing(doc):
    before = doc.site.model_dump()
    changes = _heard(doc)
    with pytest.raises(LayoutError, match=r"U11-12 overlaps 'a' \(U10-11\) in rack 'R1-1'"):
        doc.place_device("R1-1", Device(id="x", type=SWITCH, u_position=11))
    assert doc.site.model_dump() == before and changes == []


def test_a_device_that_overhangs_the_rack_is_refused(doc):
    with pytest.raises(LayoutError, match="48 \\+ 2U exceeds a 48U rack"):
        doc.place_device("R1-1", Device(id="x", type=SWITCH, u_position=48))


def test_a_nic_cannot_be_racked(doc):
    with pytest.raises(LayoutError, match="not rack-mounted"):
        doc.place_device("R1-1", Device(id="x", type="nic-800g-osfp", u_position=30))


def test_moving_a_device_reports_its_cables(doc):
    changes = _heard(doc)
    doc.move_device("b", "R1-1", 30)
    assert changes[-1].devices == {"b"} and changes[-1].cables == {"c1"}
    assert changes[-1].racks == {"R1-1", "R1-2"} and not changes[-1].structure
    assert doc.device_rack["b"].id == "R1-1"


def test_a_move_to_the_same_place_tells_nobody(doc):
    changes = _heard(doc)
    doc.move_device("a", "R1-1", 10)
    doc.rename_device("a", "")
    assert changes == []


def test_removing_a_device_takes_its_cables_and_restore_puts_all_back(doc):
    before = doc.site.model_dump()
    removed = doc.remove_device("a")
    assert "c1" not in doc.cables and "a:p1" not in doc.port_use
    doc.restore_device(removed)
    assert doc.site.model_dump() == before
    assert doc.port_use["a:p1"] == "c1"


def test_a_port_in_use_is_refused(doc):
    with pytest.raises(LayoutError, match="port a:p1 is already used by cable 'c1'"):
        doc.connect(Cable(id="c2", a="a:p1", b="b:p2"))


def test_a_missing_port_names_the_device_and_port(doc):
    with pytest.raises(LayoutError, match="has no port 'p99'"):
        doc.connect(Cable(id="c2", a="a:p99", b="b:p2"))


def test_incompatible_ports_are_refused_with_the_reason(doc):
    place(doc, "R1-1", "srv", "generic-server-1u", 20)
    with pytest.raises(LayoutError, match="no cable joins OSFP and QSFP-DD: .*only with an OSFP-to-QSFP-DD adapter"):
        doc.connect(Cable(id="c2", a="a:p2", b="srv:p1"))


def test_a_rate_above_the_ports_is_refused(doc):
    with pytest.raises(LayoutError, match="requested 1600G exceeds the ports' 800G"):
        doc.connect(Cable(id="c2", a="a:p2", b="b:p2", rate_gbps=1600))


def test_connect_many_is_all_or_nothing(doc):
    before = doc.site.model_dump()
    cables = [Cable(id="n1", a="a:p2", b="b:p2"), Cable(id="n2", a="a:p3", b="b:p2")]
    with pytest.raises(LayoutError, match="cables\\[1\\].b: port b:p2 is already used by cable 'n1'"):
        doc.connect_many(cables)
    assert doc.site.model_dump() == before


def test_racks_cannot_overlap_on_the_floor(doc):
    with pytest.raises(LayoutError, match="would overlap rack 'R1-1'"):
        doc.add_rack(Rack(id="X", x_mm=300, y_mm=0))
    with pytest.raises(LayoutError, match="would overlap"):
        doc.move_rack("R1-2", 100, 0)
    assert doc.racks["R1-2"].x_mm == 600


def test_each_move_is_checked_against_where_the_racks_stand_after_the_last(doc):
    # The racks' footprints are kept between checks (Document.rack_floor): a drag moves a rack
    # step by step, and every later check must see it where it now stands.
    doc.move_rack("R1-2", 1800, 0)
    with pytest.raises(LayoutError, match="rack 'R1-1' would overlap rack 'R1-2'"):
        doc.move_rack("R1-1", 1700, 0)  # onto where R1-2 went, with no other change between
    doc.move_rack("R1-1", 1200, 0)  # touching it: allowed
    doc.move_rack("R1-1", 0, 0)
    doc.add_rack(Rack(id="X", x_mm=600, y_mm=0))  # where R1-2 stood: free now
    with pytest.raises(LayoutError, match="rack 'X' would overlap rack 'R1-2'"):
        doc.move_rack("X", 1800, 0)
    doc.move_rack("R1-2", 2500, 0)
    doc.move_rack("X", 1800, 0)  # 1,500-2,100 mm along the row
    doc.update_rack("X", width_mm=700)  # now to 2,150: where R1-2 could have stood before
    with pytest.raises(LayoutError, match="rack 'R1-2' would overlap rack 'X'"):
        doc.move_rack("R1-2", 2400, 0)
    assert (doc.racks["X"].x_mm, doc.racks["R1-2"].x_mm) == (1800, 2500)


def test_racks_moved_together_are_checked_where_they_end_up_and_change_once(doc):
    heard = []
    doc.subscribe(heard.append)
    # The row shifts one slot right: R1-1 lands where R1-2 stood, which moves away too.
    doc.move_racks({"R1-1": (600.0, 0.0, "south"), "R1-2": (1200.0, 0.0, "south")})
    assert (doc.racks["R1-1"].x_mm, doc.racks["R1-2"].x_mm) == (600, 1200)
    assert len(heard) == 1 and heard[0].racks == {"R1-1", "R1-2"} and heard[0].cables == {"c1"}
    before = doc.site.model_dump()
    with pytest.raises(LayoutError, match="rack 'R1-2' would overlap rack 'R1-1'"):
        doc.move_racks({"R1-1": (0.0, 0.0, "south"), "R1-2": (300.0, 0.0, "south")})  # onto each other
    assert doc.site.model_dump() == before and len(heard) == 1


def test_shrinking_a_rack_below_its_devices_is_refused(doc):
    with pytest.raises(LayoutError, match="exceeds a 10U rack"):
        doc.update_rack("R1-1", height_u=10)
    assert doc.racks["R1-1"].height_u == 48


def test_remove_and_restore_a_rack(doc):
    before = doc.site.model_dump()
    removed = doc.remove_rack("R1-1")
    assert "a" not in doc.devices and "c1" not in doc.cables
    doc.restore_racks(removed)
    assert doc.site.model_dump() == before


def test_replace_site_is_checked_whole_before_anything_changes(doc):
    bad = doc.site.model_copy(deep=True)
    bad.racks[0].devices[0].u_position = 48
    with pytest.raises(LayoutError):
        doc.replace_site(bad)
    assert doc.devices["a"].u_position == 10


def test_settings_are_validated(doc):
    with pytest.raises(LayoutError, match="greater than or equal to 1") as refused:
        doc.update_settings(pue=0.5)
    assert refused.value.where == "site.pue"
    changes = _heard(doc)
    doc.update_settings(objective="power")
    assert changes[-1].settings and doc.site.settings.objective == "power"


def test_a_new_document_is_empty_and_valid():
    assert Document().site.racks == []


def test_port_lookups_left_for_later_are_built_when_first_read_and_kept_by_edits():
    site = build_sample("trn2-ultra64")
    eager, lazy = Document(site.model_copy(deep=True), check=False), Document(site, check=False, index_cables=False)
    assert lazy._port_use is None and lazy._device_cables is None  # nothing built for a report
    a, b = sorted(eager.port_use)[:2]
    with pytest.raises(LayoutError, match="already used"):  # the edit reads the lookups: built now
        lazy.connect(Cable(id="again", a=a, b=b))
    assert lazy.port_use == eager.port_use and lazy.device_cables == eager.device_cables
    gone = next(iter(lazy.cables))
    lazy.disconnect(gone)
    assert gone not in lazy.port_use.values() and all(gone not in ids for ids in lazy.device_cables.values())


def test_replace_site_takes_over_the_lookups_of_a_document_already_holding_it(doc):
    site = build_sample("trn2-ultra64")
    staged = Document(site, doc.catalog, check=False)  # what a worker thread builds
    staged.ready_for_edits()
    heard = []
    doc.subscribe(heard.append)
    doc.replace_site(site, check=False, indexed=staged)
    assert heard and heard[-1].everything
    assert doc.cables is staged.cables  # taken over, not rebuilt
    assert doc._cable_places is staged._cable_places  # and where each cable stands in the list
    floor = doc.rack_floor()
    assert floor is staged.rack_floor()  # and the racks' footprints, read as soon as it is shown
    assert floor.clashes(site.racks[:1], set()) == Document(site, doc.catalog, check=False).rack_floor().clashes(
        site.racks[:1], set()
    )
    removed = doc.remove_device(site.racks[0].devices[0].id)  # found there, and right
    assert removed and all(cable not in doc.site.cables for cable in removed.cables)
    fresh = Document(site, doc.catalog, check=False)
    for name in _INDEXES:
        assert getattr(doc, name) == getattr(fresh, name)
    # A document holding another site is no source of lookups: they are built afresh.
    doc.replace_site(build_sample("gb200-nvl72"), check=False, indexed=staged)
    assert doc.cables is not staged.cables and len(doc.devices) == len(Document(doc.site, check=False).devices)


def test_replace_site_gives_what_it_lets_go_of_to_retire(doc):
    # The app frees another layout a slice at a time (gui.release): it is handed the old layout
    # and every lookup, once, after the swap and before the listeners hear of it.
    old_site, old_cables, old_ports = doc.site, doc.cables, doc.port_use
    retired: list = []
    heard: list = []
    doc.retire = lambda old: retired.append((old, list(heard)))
    doc.subscribe(heard.append)
    doc.replace_site(build_sample("gb200-nvl72"))
    assert len(retired) == 1 and retired[0][1] == []  # before anyone heard
    old = retired[0][0]
    assert old[0] is old_site and any(part is old_cables for part in old) and any(part is old_ports for part in old)
    assert all(part is not doc.site and part is not doc.cables for part in old)  # nothing of the new layout
    lean = Document(build_sample("trn2-ultra64"), doc.catalog, check=False, index_cables=False)
    lean.retire = retired.append
    lean.replace_site(build_sample("gb200-nvl72"), check=False)
    assert retired[-1][-3:] == (None, None, None)  # the lookups left lazy were not built to be let go of


def test_a_bad_value_for_the_second_rack_moves_no_rack(doc):
    racks = doc.site.racks[:2]
    before = doc.site.model_dump()
    changes = _heard(doc)
    moves = {
        racks[0].id: (racks[0].x_mm + 5000, racks[0].y_mm, racks[0].facing),
        racks[1].id: (float("nan"), 0.0, "up"),
    }
    with pytest.raises(LayoutError) as refused:
        doc.move_racks(moves)
    assert refused.value.where.startswith(f"rack {racks[1].id}.")
    assert doc.site.model_dump() == before and changes == []


def test_a_row_name_a_rack_refuses_moves_no_rack(doc):
    racks = doc.site.racks[:2]
    before = doc.site.model_dump()
    changes = _heard(doc)
    moves = {
        racks[0].id: (racks[0].x_mm + 5000, racks[0].y_mm, racks[0].facing, "B"),
        racks[1].id: (racks[1].x_mm, racks[1].y_mm, racks[1].facing, "x" * 100_000),
    }
    with pytest.raises(LayoutError) as refused:
        doc.move_racks(moves)
    assert refused.value.where == f"rack {racks[1].id}.row"
    assert doc.site.model_dump() == before and changes == []
    doc.move_racks({racks[0].id: (racks[0].x_mm, racks[0].y_mm, racks[0].facing, "B")})  # only its row changes
    assert doc.racks[racks[0].id].row == "B" and changes[-1].racks == {racks[0].id}


@pytest.mark.parametrize(
    ("edit", "what"),
    [
        (lambda d: d.update_cable(d.site.cables[0].id, id="renamed"), "cable"),
        (lambda d: d.update_tray(d.site.trays[0].id, id="renamed"), "tray"),
        (lambda d: d.update_rack(d.site.racks[0].id, id="renamed"), "rack"),
    ],
)
def test_ids_cannot_change_through_an_update(doc, edit, what):
    before = doc.site.model_dump()
    with pytest.raises(LayoutError, match=f"a {what}'s id cannot change"):
        edit(doc)
    assert doc.site.model_dump() == before
    assert "renamed" not in doc.cables and "renamed" not in doc.trays and "renamed" not in doc.racks


def test_an_unknown_field_is_refused_whole(doc):
    cable = doc.site.cables[0]
    before = cable.model_dump()
    with pytest.raises(LayoutError, match="Extra inputs"):
        doc.update_cable(cable.id, label="new", colour="red")
    assert cable.model_dump() == before


def test_removals_and_restores_find_their_cables_whatever_edits_came_between():
    # Document.remove_device finds its cables' places from the ids of the cable list as of
    # its last scan, kept up to date by removals and restores and checked against the list.
    from tests.model.session_machine import small_fabric

    doc = small_fabric()
    before = doc.site.model_dump()
    servers = [d for d in doc.devices if doc.cables_of_device(d) and not d.startswith("leaf")]
    for _ in range(2):
        removed = [doc.remove_device(d) for d in servers]
        for gone in reversed(removed):
            doc.restore_device(gone)
        assert doc.site.model_dump() == before
    # A connect and a disconnect the places do not follow: the next removal scans again.
    doc.connect(Cable(id="first", a="leaf1:p61", b="leaf2:p61"), index=0)
    index, cable = doc.disconnect(doc.site.cables[3].id)
    removed = doc.remove_device(servers[0])
    assert removed.cables and not any(c.id in doc.cables for _, c in removed.cables)
    assert not any(servers[0] in (c.a.partition(":")[0], *c.legs) for c in doc.site.cables)
    doc.restore_device(removed)
    doc.connect(cable, index)
    doc.disconnect("first")
    assert doc.site.model_dump() == before


def test_disconnect_and_connect_keep_the_cable_list_and_its_places_in_step():
    """disconnect finds the cable by identity (CablePlaces), not list.index (which compares the
    cables before it field by field); connect tells the places where it put the cable back."""
    from model.topologies.tor import build_tor_pod

    doc = Document(build_tor_pod(accelerators=64))
    before = [c.id for c in doc.site.cables]
    for cable_id, at in ((before[-1], None), (before[0], 0), (before[5], -2), (before[3], 10_000)):
        index, cable = doc.disconnect(cable_id)
        assert cable.id == cable_id and cable_id not in [c.id for c in doc.site.cables]
        doc.connect(cable, index if at is None else at)
        expected = {None: index, 0: 0, -2: len(doc.site.cables) - 3, 10_000: len(doc.site.cables) - 1}[at]
        assert doc.site.cables[expected] is cable
        # The places agree with the list after every edit: the next find by identity is right.
        [(found, _)] = doc._cable_places.find(doc.site.cables, [cable])
        assert found == expected


def test_a_device_s_cables_are_listed_once_each_through_edits():
    """device_cables holds lists (a set per device took 33 MB at 300,000 cables): a cable with
    both ends on one device is listed there once, and connects, disconnects, a device removed
    and put back keep every list as a fresh index builds it."""
    from model.commands import RemoveDevices

    doc = two_rows()
    place(doc, "R1-1", "a", "switch-51t2-64x800g", 40)
    place(doc, "R1-3", "b", "switch-51t2-64x800g", 40)
    cable(doc, "ab", "a:p1", "b:p1")
    cable(doc, "loop", "a:p2", "a:p3")
    assert sorted(doc.device_cables["a"]) == ["ab", "loop"]
    assert [c.id for c in doc.cables_of_device("a")] == ["ab", "loop"]

    def as_fresh() -> None:
        fresh = Document(doc.site.model_copy(deep=True), check=False)
        kept = {d: sorted(ids) for d, ids in doc.device_cables.items() if ids}
        assert kept == {d: sorted(ids) for d, ids in fresh.device_cables.items()}
        assert all(len(set(ids)) == len(ids) for ids in doc.device_cables.values())
        assert doc.port_use == fresh.port_use

    removed = RemoveDevices(doc, ["a"])
    removed.do()
    assert all("loop" not in ids and "ab" not in ids for ids in doc.device_cables.values())
    as_fresh()
    removed.revert()
    as_fresh()
    doc.disconnect("loop")
    assert doc.device_cables["a"] == ["ab"]
    as_fresh()
    cable(doc, "loop2", "a:p4", "a:p5")
    doc.update_cable("loop2", label="L")
    assert sorted(doc.device_cables["a"]) == ["ab", "loop2"]
    as_fresh()


def assert_as_fresh(doc: Document, analysis) -> None:
    """Every lookup, the cable list and the places of its cables are what a document built
    afresh from `doc`'s site has, and `analysis` (live on `doc`) matches a fresh one."""
    from model.analysis import Analysis

    fresh = Document(doc.site.model_copy(deep=True), doc.catalog, check=False)
    for name in _INDEXES:
        mine, theirs = getattr(doc, name), getattr(fresh, name)
        if name == "device_cables":
            mine = {d: sorted(ids) for d, ids in mine.items() if ids}
            theirs = {d: sorted(ids) for d, ids in theirs.items()}
        assert mine == theirs, name
    assert [c.id for c in doc.site.cables] == [c.id for c in fresh.site.cables]
    count = len(doc.site.cables)
    for position in (0, count // 2, count - 1) if count else ():  # a few racks removed may take every cable
        cable = doc.site.cables[position]
        assert doc._cable_places.find(doc.site.cables, [cable]) == [(position, cable)]
    again = Analysis(Document(doc.site.model_copy(deep=True), doc.catalog)).result
    assert analysis.result.totals == again.totals


@pytest.mark.parametrize("rack_index", [0, 5, -1])
def test_a_rack_removed_put_back_or_added_keeps_every_lookup_as_a_fresh_one(rack_index):
    """remove_rack and add_rack built every lookup afresh (~0.6 s at 300,000 cables, on the
    GUI thread); they now change only their rack's entries. After each, every lookup, the
    cable list and the places of its cables are what a document built afresh has, and the
    analysis matches a fresh one."""
    from model.analysis import Analysis
    from model.commands import AddRack, RemoveRack

    doc = Document(build_sample("scaleout-pod", accelerators=256))
    analysis = Analysis(doc)

    rack = doc.site.racks[rack_index]
    assert doc._cable_ids_of_rack(rack)  # a rack with cables
    command = RemoveRack(doc, rack.id)
    command.do()
    assert rack.id not in doc.racks and not any(d.id in doc.devices for d in rack.devices)
    assert_as_fresh(doc, analysis)
    heard: list = []
    doc.subscribe(heard.append)
    command.revert()
    assert len(heard) == 1 and heard[0].structure  # one edit, re-analysed once
    assert heard[0].cables == doc._cable_ids_of_rack(rack) and heard[0].racks == {rack.id}
    assert doc.site.racks[rack_index] is rack
    assert_as_fresh(doc, analysis)
    last = doc.site.racks[-1]
    new = last.model_copy(update={"id": "new-rack", "name": "New", "x_mm": last.x_mm + 50_000, "devices": []})
    AddRack(doc, new).do()
    assert_as_fresh(doc, analysis)


def test_racks_removed_together_are_one_edit_and_come_back_exactly():
    """remove_racks takes several racks, their devices and cables in one pass, told as one
    Change (one remove_rack a rack copied the cable list each time: ~75 s for every rack of a
    300,000-cable layout); restore_racks puts them back where they stood, every lookup as a
    document built afresh has it."""
    from model.analysis import Analysis

    doc = Document(build_sample("scaleout-pod", accelerators=256))
    analysis = Analysis(doc)
    before = doc.site.model_dump()
    racks = [doc.site.racks[i].id for i in (0, 3, 4, -1)]
    gone_cables = {c for r in racks for c in doc._cable_ids_of_rack(doc.racks[r])}
    heard = _heard(doc)
    revision = doc.revision
    removed = doc.remove_racks([*racks, racks[0]])  # a rack named twice goes once
    assert len(heard) == 1 and heard[0].racks == set(racks) and heard[0].cables == gone_cables
    assert heard[0].structure and doc.revision == revision + 1
    assert not set(racks) & set(doc.racks) and not gone_cables & set(doc.cables)
    assert [i for i, _ in removed.racks] == sorted(i for i, _ in removed.racks)

    assert_as_fresh(doc, analysis)
    doc.restore_racks(removed)
    assert len(heard) == 2 and heard[1].racks == set(racks) and heard[1].cables == gone_cables
    assert doc.site.model_dump() == before
    assert_as_fresh(doc, analysis)


def test_racks_removed_together_refuse_an_unknown_rack_and_restore_refuses_a_clash(doc):
    before = doc.site.model_dump()
    heard = _heard(doc)
    with pytest.raises(LayoutError, match="no rack"):
        doc.remove_racks(["R1-1", "nope"])
    assert doc.site.model_dump() == before and not heard
    removed = doc.remove_racks(["R1-1", "R1-2"])
    spot = removed.racks[0][1]
    doc.add_rack(Rack(id="new", x_mm=spot.x_mm, y_mm=spot.y_mm))  # where R1-1 stood
    after = doc.site.model_dump()
    with pytest.raises(LayoutError, match="would overlap rack 'new'"):
        doc.restore_racks(removed)
    assert doc.site.model_dump() == after
    doc.remove_rack("new")
    place(doc, "R2-1", "a", SWITCH, 30)  # device a's id is taken again
    with pytest.raises(LayoutError, match="device id 'a' is taken"):
        doc.restore_racks(removed)


def test_edits_in_a_batch_are_told_once_it_ends_merged_where_they_can_be(doc):
    """Document.batched: edits of racks, devices, cables and trays told as one Change at the
    end of the outermost batch; a rename or a settings change apart, in order; revision counts
    each edit; told also when the batch ends by an error."""
    heard = _heard(doc)
    revision = doc.revision
    with doc.batched():
        doc.move_device("a", "R1-1", 20, "front")
        with doc.batched():
            doc.disconnect("c1")
        assert not heard  # nobody told inside
        doc.rename_many(racks={"R2-1": "renamed"})
        doc.remove_rack("R2-2")
    assert doc.revision == revision + 4
    assert [(sorted(c.racks), sorted(c.devices), sorted(c.cables), c.structure, c.names) for c in heard] == [
        (["R1-1"], ["a"], ["c1"], True, False),
        (["R2-1"], [], [], False, True),
        (["R2-2"], [], [], True, False),
    ]
    heard.clear()
    with pytest.raises(LayoutError), doc.batched():
        doc.remove_rack("R2-1")
        doc.remove_rack("no such rack")
    assert [sorted(c.racks) for c in heard] == [["R2-1"]]


def test_merged_changes_keep_their_parts_unchanged():
    from model.document import Change

    first, second = Change(racks={"A"}, structure=True), Change(cables={"c"}, trays={"T"}, everything=True)
    assert first.merges_with(second) and not first.merges_with(Change(names=True, racks={"B"}))
    assert not first.merges_with(Change(settings=True, everything=True))
    assert not first.merges_with(Change(everything=True, structure=True))  # a whole new layout
    assert not Change(scenarios=True).merges_with(first)
    mine = first.copy()
    mine.absorb(second)
    assert mine == Change(racks={"A"}, cables={"c"}, trays={"T"}, structure=True, everything=True)
    assert first == Change(racks={"A"}, structure=True)  # the Change told stays as it was

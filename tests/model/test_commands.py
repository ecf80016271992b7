"""Every command: applied through a session, undone to the exact model before, redone to
the exact model after; and the history's bookkeeping (clean point, refusals)."""

from __future__ import annotations

import pytest

from model.commands import (
    AddRack,
    AddTray,
    ConnectCables,
    DisconnectCables,
    MoveDevice,
    MoveRacks,
    PlaceDevice,
    RemoveDevices,
    RemoveRack,
    delete_things,
    paste_command,
)
from model.document import Document
from model.errors import LayoutError
from model.layout import Cable, Device, Rack, Tray
from model.placement import copy_payload, plan_paste
from model.session import Session
from tests.gui.sites import TRAY, small_site


@pytest.fixture
def session() -> Session:
    return Session(Document(small_site()))


def dump(session: Session) -> dict:
    return session.document.site.model_dump()


def round_trip(session: Session, command) -> None:
    """Applies `command`, then checks undo and redo land on exactly the same models."""
    before = dump(session)
    session.apply(command)
    after = dump(session)
    assert after != before
    session.undo()
    assert dump(session) == before
    session.redo()
    assert dump(session) == after
    session.undo()
    session.redo()
    assert dump(session) == after


def test_refused_command_changes_nothing_and_is_not_recorded(session):
    before = dump(session)
    with pytest.raises(LayoutError, match="overlaps"):
        session.apply(PlaceDevice(session.document, "R1", Device(id="X", type=TRAY, u_position=6)))
    assert dump(session) == before
    assert session.history.count == 0 and session.history.is_clean()


def test_history_knows_its_clean_point_and_texts(session):
    doc = session.document
    session.apply(AddRack(doc, Rack(id="R3", row="A", x_mm=2100, y_mm=1800)))
    assert not session.history.is_clean() and session.history.undo_text() == "Add rack R3"
    session.undo()
    assert session.history.is_clean() and session.history.redo_text() == "Add rack R3"
    session.apply(AddTray(doc, Tray(id="TR2", points=[(0, 0), (0, 3000)], elevation_mm=2600)))
    assert session.history.redo_text() == ""  # a new edit drops what was undone
    with pytest.raises(LayoutError, match="nothing to redo"):
        session.redo()


def test_undo_and_redo_keep_the_analysis_equal_to_a_fresh_one(session):
    session.apply(MoveDevice(session.document, "T1", "R2", 20, "rear"))
    session.undo()
    fresh = Session(Document(session.document.site.model_copy(deep=True))).result
    assert session.result.totals == fresh.totals


def test_place_device_reads_well_and_round_trips(session):
    doc = session.document
    command = PlaceDevice(doc, "R2", Device(id="T9", type=TRAY, u_position=20))
    assert command.text == "Place AWS Trn2 compute tray in R2 at U20"
    round_trip(session, command)
    assert doc.device_rack["T9"].id == "R2"
    assert session.result.racks["R2"].accelerators == 4


def test_move_device_to_another_rack_and_back_keeps_list_order(session):
    doc = session.document
    length = session.result.length_m[session.result.index["C1"]]
    command = MoveDevice(doc, "T1", "R2", 20, "front")
    assert command.text == "Move T1 to R2 U20"
    round_trip(session, command)
    assert doc.device_rack["T1"].id == "R2"
    assert session.result.length_m[session.result.index["C1"]] != length


def test_remove_devices_takes_and_restores_their_cables(session):
    doc = session.document
    round_trip(session, RemoveDevices(doc, ["T1", "T3"]))
    assert "T1" not in doc.devices and "C1" not in doc.cables and "C2" not in doc.cables


def test_add_move_remove_rack(session):
    doc = session.document
    round_trip(session, AddRack(doc, Rack(id="R3", row="A", x_mm=2100, y_mm=1800)))
    round_trip(session, MoveRacks(doc, {"R3": (2700, 1800, "south")}))
    assert doc.racks["R3"].x_mm == 2700
    round_trip(session, RemoveRack(doc, "R1"))
    assert "R1" not in doc.racks and "C1" not in doc.cables


def test_a_rack_moved_into_another_row_takes_its_facing_and_name_and_undo_gives_them_back(session):
    doc = session.document
    doc.add_rack(Rack(id="R3", row="B", x_mm=900, y_mm=6000, facing="north"))
    command = MoveRacks(doc, {"R3": (2100, 1800, "south", "A")})
    assert command.old == {"R3": (900, 6000, "north", "B")}  # where it stood, with its row
    round_trip(session, command)
    rack = doc.racks["R3"]
    assert (rack.x_mm, rack.y_mm, rack.facing, rack.row) == (2100, 1800, "south", "A")
    session.undo()
    rack = doc.racks["R3"]
    assert (rack.x_mm, rack.y_mm, rack.facing, rack.row) == (900, 6000, "north", "B")


def test_moving_a_row_of_racks_along_itself_moves_the_leader_first(session):
    doc = session.document
    command = MoveRacks(doc, {"R1": (1500, 1800, "south"), "R2": (2100, 1800, "south")})
    assert command.text == "Move 2 racks"
    round_trip(session, command)
    assert (doc.racks["R1"].x_mm, doc.racks["R2"].x_mm) == (1500, 2100)


def test_connect_and_disconnect(session):
    doc = session.document
    cable = Cable(id="C3", a="T2:c0.n2", b="T3:c0.n2")
    command = ConnectCables(doc, [cable])
    assert command.text == "Connect T2:c0.n2 to T3:c0.n2"
    round_trip(session, command)
    assert "C3" in session.result.index
    round_trip(session, DisconnectCables(doc, ["C1", "C3"]))
    assert list(doc.cables) == ["C2"]


def test_delete_a_mixed_selection_is_one_step(session):
    doc = session.document
    command = delete_things(doc, ["C1"], ["T3"], ["R1"], ["TR1"])
    assert command.text == "Delete 3 items"  # C1 goes with R1
    round_trip(session, command)
    assert not doc.trays and list(doc.racks) == ["R2"]


def test_add_tray(session):
    round_trip(session, AddTray(session.document, Tray(id="TR2", points=[(0, 0), (0, 3000)], elevation_mm=2600)))


def test_paste_a_rack_copies_its_devices_and_inner_cables(session):
    doc = session.document
    payload = copy_payload(doc, ["R1"], [])
    racks, placements, cables = plan_paste(doc, payload, None)
    assert [r.id for r in racks] == ["R1-copy1"] and not placements
    assert racks[0].x_mm == 2100  # the next free slot along the row
    assert [(c.a, c.b) for c in cables] == [("T1-copy1:c0.n1", "T2-copy1:c0.n1")]
    round_trip(session, paste_command(doc, racks, placements, cables))
    assert doc.device_rack["T2-copy1"].id == "R1-copy1"


def test_paste_devices_into_a_rack_finds_free_slots(session):
    doc = session.document
    racks, placements, cables = plan_paste(doc, copy_payload(doc, [], ["T1", "T2"]), "R2")
    assert [(r, d.u_position) for r, d in placements] == [("R2", 1), ("R2", 9)]
    assert len(cables) == 1
    round_trip(session, paste_command(doc, racks, placements, cables))


def test_deleting_many_racks_and_trays_is_one_analysis_and_undoes_exactly():
    """A Delete of a selection tells its parts as one Change (Document.batched): each rack was
    a full analysis of its own (nine racks and four trays, ~42 s at 100,000 accelerators).
    Undo and redo are one analysis each and land on a fresh analysis' figures."""
    from model.topologies import build_sample

    session = Session(Document(build_sample("scaleout-pod", accelerators=256)))
    doc, analysis = session.document, session.analysis
    racks = [r.id for r in doc.site.racks[:5]]
    trays = [t.id for t in doc.site.trays[:2]]
    command = delete_things(doc, [], [], racks, trays)
    assert command.text == f"Delete {len(racks) + len(trays)} items"
    before, runs = dump(session), analysis.full_runs + analysis.incremental_runs

    def fresh():
        return Session(Document(doc.site.model_copy(deep=True), doc.catalog)).result

    session.apply(command)
    assert analysis.full_runs + analysis.incremental_runs == runs + 1
    assert not set(racks) & set(doc.racks) and not set(trays) & set(doc.trays)
    assert session.result.totals == fresh().totals and session.result.revision == doc.revision
    session.undo()
    assert analysis.full_runs + analysis.incremental_runs == runs + 2
    assert dump(session) == before and session.result.totals == fresh().totals
    session.redo()
    assert analysis.full_runs + analysis.incremental_runs == runs + 3
    assert session.result.totals == fresh().totals


def test_a_composite_refused_part_way_is_told_once_and_changes_nothing(session):
    doc = session.document
    before = dump(session)
    heard: list = []
    doc.subscribe(heard.append)
    bad = delete_things(doc, [], [], ["R1"], [])
    parts = [bad, RemoveRack(doc, "R2"), PlaceDevice(doc, "R2", Device(id="X", type=TRAY, u_position=5))]
    from model.commands import Composite

    with pytest.raises(LayoutError):
        session.apply(Composite(doc, "three", parts))  # the last part's rack is gone by then
    assert dump(session) == before and len(heard) == 1  # the parts and their undoing, told once
    assert session.result.totals == Session(Document(doc.site.model_copy(deep=True))).result.totals

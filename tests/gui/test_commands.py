"""Every command: applied, undone to the exact model before, redone to the exact model after."""

from __future__ import annotations

from gui.clipboard import copy_payload, plan_paste
from gui.commands import (
    AddRack,
    AddTray,
    ConnectCables,
    DisconnectCables,
    MoveDevice,
    MoveRacks,
    PlaceDevice,
    RemoveDevices,
    RemoveRack,
    apply,
    delete_things,
    paste_command,
)
from model.layout import Cable, Device, Rack, Tray
from tests.gui.conftest import TRAY, dump


def round_trip(context, command) -> None:
    """Applies `command`, then checks undo and redo land on exactly the same models."""
    before = dump(context)
    assert apply(context, command), "the command was refused"
    after = dump(context)
    assert after != before
    context.undo_stack.undo()
    assert dump(context) == before
    context.undo_stack.redo()
    assert dump(context) == after
    context.undo_stack.undo()
    context.undo_stack.redo()
    assert dump(context) == after


def test_place_device_reads_well_and_round_trips(small_context):
    doc = small_context.document
    command = PlaceDevice(doc, "R2", Device(id="T9", type=TRAY, u_position=20))
    assert command.text() == "Place AWS Trn2 compute tray in R2 at U20"
    round_trip(small_context, command)
    assert doc.device_rack["T9"].id == "R2"
    assert small_context.result.racks["R2"].accelerators == 4


def test_refused_command_is_not_pushed_and_says_why(small_context):
    messages = []
    small_context.statusMessage.connect(messages.append)
    before = dump(small_context)
    assert not apply(small_context, PlaceDevice(small_context.document, "R1", Device(id="X", type=TRAY, u_position=6)))
    assert dump(small_context) == before
    assert small_context.undo_stack.count() == 0
    assert "overlaps" in messages[-1]


def test_move_device_to_another_rack_and_back_keeps_list_order(small_context):
    doc = small_context.document
    length = small_context.result.length_m[small_context.result.index["C1"]]
    command = MoveDevice(doc, "T1", "R2", 20, "front")
    assert command.text() == "Move T1 to R2 U20"
    round_trip(small_context, command)
    assert doc.device_rack["T1"].id == "R2"
    assert small_context.result.length_m[small_context.result.index["C1"]] != length


def test_remove_devices_takes_and_restores_their_cables(small_context):
    doc = small_context.document
    round_trip(small_context, RemoveDevices(doc, ["T1", "T3"]))
    assert "T1" not in doc.devices and "C1" not in doc.cables and "C2" not in doc.cables


def test_add_move_remove_rack(small_context):
    doc = small_context.document
    round_trip(small_context, AddRack(doc, Rack(id="R3", row="A", x_mm=2100, y_mm=1800)))
    round_trip(small_context, MoveRacks(doc, {"R3": (2700, 1800, "south")}))
    assert doc.racks["R3"].x_mm == 2700
    round_trip(small_context, RemoveRack(doc, "R1"))
    assert "R1" not in doc.racks and "C1" not in doc.cables


def test_moving_a_row_of_racks_along_itself_moves_the_leader_first(small_context):
    doc = small_context.document
    command = MoveRacks(doc, {"R1": (1500, 1800, "south"), "R2": (2100, 1800, "south")})
    assert command.text() == "Move 2 racks"
    round_trip(small_context, command)
    assert (doc.racks["R1"].x_mm, doc.racks["R2"].x_mm) == (1500, 2100)


def test_connect_and_disconnect(small_context):
    doc = small_context.document
    cable = Cable(id="C3", a="T2:c0.n2", b="T3:c0.n2")
    command = ConnectCables(doc, [cable])
    assert command.text() == "Connect T2:c0.n2 to T3:c0.n2"
    round_trip(small_context, command)
    assert "C3" in small_context.result.index
    round_trip(small_context, DisconnectCables(doc, ["C1", "C3"]))
    assert list(doc.cables) == ["C2"]


def test_delete_a_mixed_selection_is_one_step(small_context):
    doc = small_context.document
    command = delete_things(doc, ["C1"], ["T3"], ["R1"], ["TR1"])
    assert command.text() == "Delete 3 items"  # C1 goes with R1
    round_trip(small_context, command)
    assert not doc.trays and list(doc.racks) == ["R2"]


def test_add_tray(small_context):
    round_trip(
        small_context, AddTray(small_context.document, Tray(id="TR2", points=[(0, 0), (0, 3000)], elevation_mm=2600))
    )


def test_paste_a_rack_copies_its_devices_and_inner_cables(small_context):
    doc = small_context.document
    payload = copy_payload(doc, ["R1"], [])
    racks, placements, cables = plan_paste(doc, payload, None)
    assert [r.id for r in racks] == ["R1-copy1"] and not placements
    assert racks[0].x_mm == 2100  # the next free slot along the row
    assert [(c.a, c.b) for c in cables] == [("T1-copy1:c0.n1", "T2-copy1:c0.n1")]
    round_trip(small_context, paste_command(doc, racks, placements, cables))
    assert doc.device_rack["T2-copy1"].id == "R1-copy1"


def test_paste_devices_into_a_rack_finds_free_slots(small_context):
    doc = small_context.document
    racks, placements, cables = plan_paste(doc, copy_payload(doc, [], ["T1", "T2"]), "R2")
    assert [(r, d.u_position) for r, d in placements] == [("R2", 1), ("R2", 9)]
    assert len(cables) == 1
    round_trip(small_context, paste_command(doc, racks, placements, cables))

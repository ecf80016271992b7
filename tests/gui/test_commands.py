"""The GUI's undo stack mirrors the session's history; a refused edit is said, not pushed."""

from __future__ import annotations

from gui.commands import apply
from model.commands import AddRack, PlaceDevice
from model.layout import Device, Rack
from tests.gui.conftest import TRAY, dump


def test_the_qt_stack_mirrors_the_session_history(small_context):
    context, history = small_context, small_context.session.history
    before = dump(context)
    assert apply(context, AddRack(context.document, Rack(id="R3", row="A", x_mm=2100, y_mm=1800)))
    assert (context.undo_stack.count(), history.index) == (1, 1)
    assert context.undo_stack.undoText() == history.undo_text() == "Add rack R3"
    context.undo_stack.undo()
    assert dump(context) == before and history.index == 0 and history.is_clean()
    context.undo_stack.redo()
    assert "R3" in context.document.racks and history.index == 1
    context.undo_stack.setClean()
    assert history.is_clean()
    context.undo_stack.clear()
    assert history.count == 0


def test_refused_command_is_not_pushed_and_says_why(small_context):
    messages = []
    small_context.statusMessage.connect(messages.append)
    before = dump(small_context)
    assert not apply(small_context, PlaceDevice(small_context.document, "R1", Device(id="X", type=TRAY, u_position=6)))
    assert dump(small_context) == before
    assert small_context.undo_stack.count() == 0
    assert "overlaps" in messages[-1]

"""New layouts just work (issue #14 point 1) through the real window: Add Rack twice lays the
row's tray, shown on the floor plan, and one Undo takes rack and tray back; the setting is
a checkable Insert entry whose toggle is an undoable edit."""

from __future__ import annotations

import pytest

from gui.context import AppContext
from model.document import Document
from tests.gui.conftest import make_window


@pytest.fixture
def window(qtbot, qapp):
    context = AppContext(Document())  # File → New
    win = make_window(qtbot, context)
    win.show()
    qtbot.waitExposed(win)
    return win


def trays_shown(win) -> set[str]:
    win.floor.scene().flush_routes()
    return set(win.floor.scene().trays)


def test_add_rack_twice_lays_the_row_tray_in_the_same_undo_step(qtbot, window):
    context = window.context
    window.add_rack_action.trigger()
    (first,) = context.document.site.racks
    assert context.document.site.trays == [] and trays_shown(window) == set()
    window.add_rack_action.trigger()
    (tray,) = context.document.site.trays
    second = context.document.site.racks[-1]
    assert trays_shown(window) == {tray.id}
    assert context.undo_stack.undoText() == f"Add rack {second.label} and its row's tray {tray.id}"
    context.undo_stack.undo()
    assert context.document.site.racks == [first]
    assert context.document.site.trays == [] and trays_shown(window) == set()


def test_the_setting_is_a_checkable_entry_and_its_toggle_is_undoable(qtbot, window):
    context = window.context
    action = window.row_tray_action
    assert action.isCheckable() and action.isChecked()  # on for a new layout
    action.trigger()
    assert context.document.site.settings.auto_row_tray is False and not action.isChecked()
    assert context.undo_stack.undoText() == "Set row trays laid with racks to off"
    window.add_rack_action.trigger()
    window.add_rack_action.trigger()
    assert context.document.site.trays == []  # off: the racks stand without a tray
    for _ in range(3):
        context.undo_stack.undo()
    assert context.document.site.settings.auto_row_tray is True
    insert = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Insert")  # the tick follows the layout
    insert.aboutToShow.emit()
    assert action.isChecked()

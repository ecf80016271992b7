"""The cables table after an edit: it repaints only the rows on show that look otherwise, and
what it shows is what a fresh paint of the whole table shows (the pixels on screen compared)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from gui.commands import apply
from gui.context import Selected
from gui.docks.cables_table import CablesDock
from model.commands import RemoveDevices
from model.commands_properties import UpdateCable
from tests.gui.conftest import show_widget


class Paints(QObject):
    """Counts the paint events a widget gets."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


@pytest.fixture
def dock(sample_context, qtbot):
    dock = show_widget(qtbot, CablesDock(sample_context), (1100, 260))
    assert dock.model.rowCount() > 100  # far more runs than rows on show
    return dock


def on_screen(dock) -> QImage:
    """The table's rows as the window shows them now (the window's backing store, not a new paint)."""
    QApplication.processEvents()
    viewport = dock.view.viewport()
    corner = viewport.mapTo(dock.window(), QPoint(0, 0))
    screen = dock.window().windowHandle().screen()
    grab = screen.grabWindow(dock.window().winId(), corner.x(), corner.y(), viewport.width(), viewport.height())
    return grab.toImage()


def painted_afresh(dock) -> QImage:
    """The table's rows painted anew, every one of them."""
    dock.view.viewport().repaint()
    return on_screen(dock)


def device_of(context, cable_id: str) -> str:
    return context.document.cables[cable_id].a.partition(":")[0]


def rows_on_show(dock) -> range:
    view = dock.view
    last = view.rowAt(view.viewport().height() - 1)
    return range(view.rowAt(0), (last if last >= 0 else dock.model.rowCount() - 1) + 1)


def far_device(dock, context) -> str:
    """A device none of whose cables is on show: the last run's end a (asserted)."""
    model = dock.model
    device = device_of(context, model.ids(model.rowCount() - 1, model.rowCount() - 1)[0])
    rows = rows_on_show(dock)
    for cable_id in model.ids(rows.start, rows.stop - 1):
        cable = context.document.cables[cable_id]
        assert device not in {end.partition(":")[0] for end in (cable.a, *cable.legs)}
    return device


def test_a_delete_of_runs_on_show_repaints_them(dock, sample_context):
    before = on_screen(dock)
    gone = dock.model.ids(0, 0)[0]
    apply(sample_context, RemoveDevices(sample_context.document, [device_of(sample_context, gone)]))
    assert gone not in dock.model.ids(0, rows_on_show(dock).stop)
    shown = on_screen(dock)
    assert shown != before
    assert shown == painted_afresh(dock)
    sample_context.undo_stack.undo()
    assert dock.model.ids(0, 0)[0] == gone
    assert on_screen(dock) == painted_afresh(dock) == before


def test_a_delete_of_runs_not_on_show_paints_no_row(dock, sample_context):
    before = on_screen(dock)
    total = dock.model.rowCount()
    paints = Paints(dock.view.viewport())
    apply(sample_context, RemoveDevices(sample_context.document, [far_device(dock, sample_context)]))
    assert dock.model.rowCount() < total
    assert dock.count.text() == f"{dock.model.rowCount():,} runs"
    assert on_screen(dock) == before
    assert paints.count == 0  # the rows on show were left as painted
    assert before == painted_afresh(dock)
    sample_context.undo_stack.undo()
    assert dock.model.rowCount() == total
    assert on_screen(dock) == before == painted_afresh(dock)


def test_a_run_on_show_that_looks_otherwise_is_repainted(dock, sample_context):
    # The same runs in the same rows; one of them is labelled anew: only its row changes.
    cable = dock.model.ids(1, 1)[0]
    before = on_screen(dock)
    apply(sample_context, UpdateCable(sample_context.document, cable, label="a new label"))
    assert dock.model.ids(1, 1) == [cable]
    shown = on_screen(dock)
    assert shown != before
    assert shown == painted_afresh(dock)


def test_rows_going_from_under_a_table_scrolled_to_its_end(dock, sample_context):
    bar = dock.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    last = dock.model.ids(dock.model.rowCount() - 1, dock.model.rowCount() - 1)[0]
    apply(sample_context, RemoveDevices(sample_context.document, [device_of(sample_context, last)]))
    assert on_screen(dock) == painted_afresh(dock)
    sample_context.undo_stack.undo()
    assert on_screen(dock) == painted_afresh(dock)


def test_the_selection_follows_its_run_to_its_new_row(dock, sample_context):
    chosen = dock.model.ids(5, 5)[0]
    sample_context.set_selection([Selected("cable", chosen)])
    apply(sample_context, RemoveDevices(sample_context.document, [device_of(sample_context, dock.model.ids(0, 0)[0])]))
    rows = [i.row() for i in dock.view.selectionModel().selectedRows()]
    assert [dock.model.ids(r, r)[0] for r in rows] == [chosen]
    assert sample_context.selection == (Selected("cable", chosen),)
    assert on_screen(dock) == painted_afresh(dock)


def test_the_current_cell_stays_with_its_run_and_the_arrow_keys_go_on_from_it(dock, sample_context, qtbot):
    """After an edit the current cell is where it was, on the same run (it was cleared, and the
    next Down went to the first row); the selection is left as it was, and the table does not
    scroll to follow a run whose row changed."""
    from PySide6.QtCore import Qt

    view = dock.view
    rect = view.visualRect(dock.model.index(4, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    walked = dock.model.ids(4, 4)[0]
    assert sample_context.selection == (Selected("cable", walked),)
    apply(sample_context, UpdateCable(sample_context.document, dock.model.ids(1, 1)[0], label="relabelled"))
    assert (view.currentIndex().row(), view.currentIndex().column()) == (4, 2)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (5, 2)
    following = dock.model.ids(5, 5)[0]
    assert sample_context.selection == (Selected("cable", following),)
    # Runs above it go: the current cell follows its run up, the selection with it.
    apply(sample_context, RemoveDevices(sample_context.document, [device_of(sample_context, dock.model.ids(0, 0)[0])]))
    row = view.currentIndex().row()
    assert row < 5 and dock.model.ids(row, row) == [following]
    assert [i.row() for i in view.selectionModel().selectedRows()] == [row]
    assert on_screen(dock) == painted_afresh(dock)
    # Its own run gone: no current cell.
    apply(sample_context, RemoveDevices(sample_context.document, [device_of(sample_context, following)]))
    assert not view.currentIndex().isValid()


def test_the_current_cell_outlives_an_edit_made_while_the_table_is_closed(dock, sample_context, qtbot):
    """A closed table reads the next result afresh (a reset), which cleared the current cell:
    shown again, Down went to the first row (a fresh user's find). It comes back on its run."""
    from PySide6.QtCore import Qt

    view = dock.view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(dock.model.index(6, 3)).center())
    walked = dock.model.ids(6, 6)[0]
    dock.hide()
    apply(sample_context, UpdateCable(sample_context.document, dock.model.ids(1, 1)[0], label="relabelled"))
    dock.show()
    qtbot.waitUntil(view.viewport().isVisible)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (6, 3)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 7 and sample_context.selection == (Selected("cable", dock.model.ids(7, 7)[0]),)
    assert walked == dock.model.ids(6, 6)[0]

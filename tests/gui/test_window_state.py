"""The window fits a laptop (issue #14 point 7): at 1366 x 768 and 1440 x 900 on first start
the drawings keep room to work in, every panel's content fits its panel (no panel squeezed
below what its content needs, no sideways scrolling in the side panels, no figure cut off in
the metrics tables), the toolbar shows every button and the dialogs fit on the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QTableWidget

from gui.docks.compare import ScenarioDialog
from gui.window_state import SETTINGS, first_start_docks, first_start_geometry
from tests.gui.conftest import make_window

LAPTOPS = [(1366, 768), (1440, 900)]


def first_start_on(qtbot, context, size: tuple[int, int]):
    """A main window as it first opens on a screen of `size` (its free area: no panels)."""
    QSettings(*SETTINGS).clear()
    win = make_window(qtbot, context)
    available = QRect(0, 0, *size)
    first_start_geometry(win, available)
    assert win.windowState() & Qt.WindowState.WindowMaximized  # a laptop's screen is used whole
    assert win.size().toTuple() == size and win.pos().toTuple() == (0, 0)
    # The test screen is smaller than a laptop's: show the window at the laptop's size, unmaximised.
    win.setWindowState(Qt.WindowState.WindowNoState)
    win.resize(*size)
    first_start_docks(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def clipped(win) -> list[str]:
    """What does not fit on screen: one line per fault."""
    faults = []
    for name, dock in win.docks.items():
        if dock.visibleRegion().isEmpty():
            continue  # a tab behind another: it gets the same room when raised
        content = dock.widget()
        need = content.minimumSizeHint()
        if content.width() < need.width() or content.height() < need.height():
            faults.append(f"{name}: {content.size().toTuple()} < {need.toTuple()}")
        if name in ("inspector", "metrics", "library"):
            for area in dock.findChildren(QAbstractScrollArea):
                if area.isVisible() and area.horizontalScrollBar().isVisible():
                    faults.append(f"{name}: scrolls sideways ({type(area).__name__})")
    for view in (win.floor, win.elevation):
        if view.viewport().width() < 320 or view.viewport().height() < 300:
            faults.append(f"{type(view).__name__}: {view.viewport().size().toTuple()}")
    if win.toolbar.sizeHint().width() > win.toolbar.width():
        faults.append(f"toolbar: needs {win.toolbar.sizeHint().width()} px, has {win.toolbar.width()}")
    return faults


def cut_cells(table: QTableWidget) -> list[str]:
    """Cells of `table` whose text is wider than its column (drawn elided)."""
    metrics = table.fontMetrics()
    cut = []
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            if item is None or not item.text():
                continue
            room = table.horizontalHeader().sectionSize(column) - 8  # the cell's margins
            if metrics.horizontalAdvance(item.text()) > room:
                cut.append(f"{item.text()!r} in {room} px")
    return cut


@pytest.mark.parametrize("size", LAPTOPS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_start_on_a_laptop_fits_every_panel(qtbot, sample_context, size):
    win = first_start_on(qtbot, sample_context, size)
    assert clipped(win) == []
    metrics = win.docks["metrics"]
    metrics.raise_()
    qtbot.waitUntil(lambda: not metrics.visibleRegion().isEmpty())
    qtbot.waitUntil(lambda: clipped(win) == [], timeout=2000)  # the raised tab lays itself out first
    for table in (metrics.media_table, metrics.ratio_table, metrics.rack_table):
        assert table.rowCount() > 0
        assert cut_cells(table) == []


def test_a_short_screen_tabs_the_inspector_with_the_metrics(qtbot, sample_context):
    win = first_start_on(qtbot, sample_context, (1366, 768))
    assert win.docks["metrics"] in win.tabifiedDockWidgets(win.docks["inspector"])
    inspector = win.docks["inspector"]
    assert not inspector.visibleRegion().isEmpty()  # the selection's details come first
    assert inspector.height() > 0.5 * win.height()  # a full column, not a third of one


def test_a_big_screen_keeps_the_window_size_and_both_right_panels(qtbot, sample_context):
    QSettings(*SETTINGS).clear()
    win = make_window(qtbot, sample_context)
    first_start_geometry(win, QRect(0, 0, 2560, 1440))
    assert win.size().toTuple() == (1440, 900)
    assert not win.windowState() & Qt.WindowState.WindowMaximized
    first_start_docks(win)
    assert win.docks["metrics"] not in win.tabifiedDockWidgets(win.docks["inspector"])


@pytest.mark.parametrize("size", LAPTOPS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dialogs_fit_a_laptop_screen(qtbot, sample_context, size):
    win = first_start_on(qtbot, sample_context, size)
    dialog = ScenarioDialog(set(), win, sample_context.document.catalog)
    qtbot.addWidget(dialog)
    hint = dialog.sizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1] - 60, hint.toTuple()


def test_the_legend_makes_room_in_a_small_pane(qtbot, sample_context):
    win = first_start_on(qtbot, sample_context, (1366, 768))
    legend, viewport = win.floor.legend, win.floor.viewport()
    assert legend.width() * 2.5 <= viewport.width() and legend.height() * 2 <= viewport.height()
    assert "AEC" in legend.entries
    win.floor.resize(1400, 900)
    assert legend.side_by_side and "cold aisle" in legend.entries
    win.floor.resize(330, 260)
    assert legend.entries[:5] == ["DAC", "AEC", "AOC", "OPTICS", "no product"]
    assert "tray" not in legend.entries  # the media alone: the floor's keys would cover the floor


def test_a_scroll_area_in_the_metrics_never_scrolls_sideways_when_narrowed(qtbot, sample_context):
    win = first_start_on(qtbot, sample_context, (1366, 768))
    metrics = win.docks["metrics"]
    metrics.raise_()
    scroll = metrics.widget()
    assert isinstance(scroll, QScrollArea)
    assert scroll.widget().minimumSizeHint().width() <= 340  # a laptop's right column


@pytest.mark.parametrize("size", LAPTOPS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_compare_panel_shows_its_table_beside_a_readable_chart(qtbot, sample_context, size):
    win = first_start_on(qtbot, sample_context, size)
    compare = win.docks["compare"]
    compare.raise_()
    qtbot.waitUntil(lambda: not compare.visibleRegion().isEmpty())
    qtbot.waitUntil(lambda: clipped(win) == [], timeout=2000)
    table, charts = compare.table, compare.charts
    assert table.rowCount() >= 3
    rows_shown = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert rows_shown >= 3, f"{rows_shown} rows of the comparison in sight"
    assert charts.count() == 3 and charts.currentWidget().height() >= 120  # bars, not only a title
    assert table.geometry().top() == charts.geometry().top()  # side by side

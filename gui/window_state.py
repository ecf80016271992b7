"""The main window's size and dock layout: as the designer left them, or sensible on first start.

First start (no saved state): 1440 x 900 centred on a big screen; on a laptop's screen
(smaller than that with room for the window frame: 1366 x 768, 1440 x 900) the window
is maximised, and on a short screen the inspector and the metrics share the right column
as tabs, each with its full height, so that neither is squeezed to a few lines. Narrow
side docks and a low bottom dock leave the floor plan and the elevation most of the
window. Saved on close under SETTINGS, with the floor plan's rulers and legend shown or not.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication

SETTINGS = ("rack-designer", "rack-designer")
FIRST_SIZE = QSize(1440, 900)
SCREEN_SHARE = 0.9
FRAME_ROOM = QSize(80, 120)  # a window of FIRST_SIZE needs this much more screen for its frame and the desktop's panels
SHORT_SCREEN_PX = 900  # a window shorter than this tabs the inspector with the metrics
# First-start dock sizes as shares of the window.
LEFT_SHARE, RIGHT_SHARE, BOTTOM_SHARE = 0.17, 0.26, 0.27
INSPECTOR_SHARE = 0.45  # of the right column, above the metrics


# The floor plan's drawing aids (View menu): the main window's toggle of each, by its key.
OVERLAYS = (("view/floor_rulers", "rulers_action"), ("view/floor_legend", "legend_action"))


def restore_window_state(window) -> None:
    """Gives `window` (the main window) its size, docks and the floor plan's rulers and legend
    as they were left (save_window_state), or first_start_geometry and first_start_docks."""
    settings = QSettings(*SETTINGS)
    geometry, state = settings.value("window/geometry"), settings.value("window/state")
    if geometry is None or not window.restoreGeometry(geometry):
        first_start_geometry(window)
    if state is None or not window.restoreState(state):
        first_start_docks(window)
    for key, name in OVERLAYS:  # shown unless turned off (a designer's legend hid routes below it)
        getattr(window, name).setChecked(settings.value(key, True, type=bool))


def save_window_state(window) -> None:
    """Keeps `window`'s size, docks, rulers and legend for the next start (QSettings, SETTINGS)."""
    settings = QSettings(*SETTINGS)
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    for key, name in OVERLAYS:
        settings.setValue(key, getattr(window, name).isChecked())


def first_start_geometry(window, available: QRect | None = None) -> None:
    """Sizes and places `window` for its first start on `available` (the screen's free area
    when None; tests pass a laptop's)."""
    if available is None:
        available = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    share = QSize(int(available.width() * SCREEN_SHARE), int(available.height() * SCREEN_SHARE))
    window.resize(FIRST_SIZE.boundedTo(share))
    window.move(available.center() - window.rect().center())
    roomy = available.width() >= FIRST_SIZE.width() + FRAME_ROOM.width()
    if not (roomy and available.height() >= FIRST_SIZE.height() + FRAME_ROOM.height()):
        # On a laptop every pixel counts: 90 % of 1366 x 768 would waste a tenth of it.
        window.resize(available.size())
        window.move(available.topLeft())  # where it belongs even with no window manager to maximise it
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def first_start_docks(window) -> None:
    docks, width, height = window.docks, window.width(), window.height()
    sides = [(d, share) for d, share in (("library", LEFT_SHARE), ("inspector", RIGHT_SHARE)) if d in docks]
    if sides:
        widths = [int(width * share) for _, share in sides]
        window.resizeDocks([docks[d] for d, _ in sides], widths, Qt.Orientation.Horizontal)
    if "inspector" in docks and "metrics" in docks and height < SHORT_SCREEN_PX:
        window.tabifyDockWidget(docks["inspector"], docks["metrics"])
        docks["inspector"].raise_()  # what is selected comes first; the metrics are one click away
    elif "inspector" in docks and "metrics" in docks:  # the right column stands above the bottom dock
        if docks["metrics"] in window.tabifiedDockWidgets(docks["inspector"]):
            # Tabbed on a short screen before: take the metrics out of the tab group first
            # (splitting a tabbed dock only adds another tab).
            window.removeDockWidget(docks["metrics"])
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, docks["metrics"])
            window.splitDockWidget(docks["inspector"], docks["metrics"], Qt.Orientation.Vertical)
            docks["metrics"].show()
        column = height * (1 - BOTTOM_SHARE)
        heights = [int(column * INSPECTOR_SHARE), int(column * (1 - INSPECTOR_SHARE))]
        window.resizeDocks([docks["inspector"], docks["metrics"]], heights, Qt.Orientation.Vertical)
    if "cables_table" in docks:
        window.resizeDocks([docks["cables_table"]], [int(height * BOTTOM_SHARE)], Qt.Orientation.Vertical)

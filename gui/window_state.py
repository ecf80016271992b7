"""The main window's size and dock layout: as the designer left them, or sensible on first start.

First start (no saved state): 1440 x 900, or 90% of a smaller screen, centred; narrow
side docks and a low bottom dock so the floor plan and the elevation get most of the
window. Saved on close under SETTINGS.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication

SETTINGS = ("rack-designer", "rack-designer")
FIRST_SIZE = QSize(1440, 900)
SCREEN_SHARE = 0.9
# First-start dock sizes as shares of the window.
LEFT_SHARE, RIGHT_SHARE, BOTTOM_SHARE = 0.17, 0.26, 0.27
INSPECTOR_SHARE = 0.45  # of the right column, above the metrics


def restore_window_state(window) -> None:
    settings = QSettings(*SETTINGS)
    geometry, state = settings.value("window/geometry"), settings.value("window/state")
    if geometry is None or not window.restoreGeometry(geometry):
        first_start_geometry(window)
    if state is None or not window.restoreState(state):
        first_start_docks(window)


def save_window_state(window) -> None:
    settings = QSettings(*SETTINGS)
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())


def first_start_geometry(window) -> None:
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    share = QSize(int(available.width() * SCREEN_SHARE), int(available.height() * SCREEN_SHARE))
    window.resize(FIRST_SIZE.boundedTo(share))
    window.move(available.center() - window.rect().center())


def first_start_docks(window) -> None:
    docks, width, height = window.docks, window.width(), window.height()
    sides = [(d, share) for d, share in (("library", LEFT_SHARE), ("inspector", RIGHT_SHARE)) if d in docks]
    if sides:
        widths = [int(width * share) for _, share in sides]
        window.resizeDocks([docks[d] for d, _ in sides], widths, Qt.Orientation.Horizontal)
    if "inspector" in docks and "metrics" in docks:  # the right column stands above the bottom dock
        column = height * (1 - BOTTOM_SHARE)
        heights = [int(column * INSPECTOR_SHARE), int(column * (1 - INSPECTOR_SHARE))]
        window.resizeDocks([docks["inspector"], docks["metrics"]], heights, Qt.Orientation.Vertical)
    if "cables_table" in docks:
        window.resizeDocks([docks["cables_table"]], [int(height * BOTTOM_SHARE)], Qt.Orientation.Vertical)

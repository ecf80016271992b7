"""Insert → Lay Row Trays as Racks Are Placed: the site's auto_row_tray setting as a
checkable menu entry. Each toggle is an undoable settings edit (UpdateSettings); the
tick follows the layout (an undo, another file) each time the menu opens."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from gui.commands import apply
from model.commands_properties import UpdateSettings

TEXT = "Lay Row Trays as Racks Are &Placed"


def install_row_tray_action(window, menu: QMenu) -> QAction:
    """Adds the checkable entry to `menu` of `window` (which has `context` and `document`)."""
    action = QAction(TEXT, window)
    action.setCheckable(True)
    action.setToolTip(
        "A rack placed next to another in a row lays the row's overhead tray, or runs it on, in the same undo step"
    )

    def sync() -> None:
        action.setChecked(window.document.site.settings.auto_row_tray)

    def toggle(_checked: bool = False) -> None:
        wanted = not window.document.site.settings.auto_row_tray
        apply(window.context, UpdateSettings(window.document, auto_row_tray=wanted))
        sync()

    action.triggered.connect(toggle)
    menu.aboutToShow.connect(sync)
    menu.addAction(action)
    sync()
    return action

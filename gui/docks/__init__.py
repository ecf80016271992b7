"""The side panels: library, inspector, metrics, cables table, problems.

Each dock is a QDockWidget built as `XDock(context, parent=None)` with a stable
objectName (the main window's saveState relies on it). Docks read the model and the
analysis result; edits go through QUndoCommands. This module holds what they share:
number formats in the designer's units, a refresh that waits until a dock is seen,
and a form of facts.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from gui.turns import leave, my_turn

MISSING = "—"  # shown where a figure does not exist (no product, no orderable length)
BUSY_RETRY_MS = 50
ALARM_STYLE = "color: #b42318;"  # over budget, over fill, a problem: the same red everywhere in the panels


def watts(value: float) -> str:
    if abs(value) >= 10_000:
        return f"{value / 1000:,.1f} kW"
    return f"{value:,.1f} W" if abs(value) < 100 else f"{value:,.0f} W"


def dollars(value: float) -> str:
    return f"${value:,.0f}"


COMPACT_DOLLARS = 10_000_000  # from here a table cell gives millions: "$707,629,740" was cut at 100k


def dollars_short(value: float) -> str:
    """Dollars for a narrow table cell: exact below COMPACT_DOLLARS, else in millions
    ("$707.6 M"); the exact figure goes in the cell's tooltip and the summary line."""
    return dollars(value) if abs(value) < COMPACT_DOLLARS else f"${value / 1e6:,.1f} M"


def metres(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{value:.2f} m"


def millimetres(value: float) -> str:
    return f"{value:,.0f} mm" if value == int(value) else f"{value:,.1f} mm"


def rate(gbps: float) -> str:
    """800 → '800G', 1600 → '1.6T' as the trade writes them."""
    return f"{gbps / 1000:g}T" if gbps >= 1000 and gbps % 100 == 0 else f"{gbps:g}G"


class RefreshWhenSeen(QObject):
    """Runs `refresh` once per event-loop turn, and only while the dock can be seen.

    A single edit can emit several analysis updates (a composite command), and a
    tabbed-away dock need not redraw at all until its tab is raised again. Seen is what the
    dock's visibilityChanged last said: a dock whose tab is not raised stays isVisible()
    (Qt moves it off the window), so isVisible() alone refreshed every tabbed-away panel
    after every edit (~35 ms of the 100k delete: metrics, compare and problems).
    `unseen`, if given, runs instead while the dock is not seen (what shows outside the dock,
    such as its tab's title); the full refresh follows when it is seen again.
    """

    def __init__(
        self,
        dock: QDockWidget,
        refresh: Callable[[], None],
        busy: Callable[[], bool] = bool,
        unseen: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(dock)
        self._dock = dock
        self._refresh = refresh
        self._busy = busy  # () -> True while a full analysis runs on the worker: wait for it
        self._unseen = unseen
        self._stale = False
        self._unseen_stale = False  # `unseen` has not run since the last request
        self._seen = dock.isVisible()  # until visibilityChanged says otherwise
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run)
        dock.visibilityChanged.connect(self._on_visibility)

    def seen(self) -> bool:
        """Whether the dock can be seen: shown, and its tab raised if it shares one."""
        return self._seen and self._dock.isVisible()

    def request(self, *_args: object) -> None:
        self._stale = True
        self._unseen_stale = self._unseen is not None
        if self.seen() or self._unseen_stale:
            self._timer.start()

    def _on_visibility(self, visible: bool) -> None:
        self._seen = visible
        if visible and self._stale:
            self._timer.start()

    def _run(self) -> None:
        if self._busy():
            self._timer.start(BUSY_RETRY_MS)
            return
        seen = self.seen()
        if not (self._stale and seen) and not self._unseen_stale:
            leave(self)  # nothing to do: no place in line for the panel's turn
            return
        if not my_turn(self):
            # Other work (the floor's build, another panel) ran this turn: a later one (gui.turns),
            # so that a 100k hall's panels and floor slices do not add up to one long turn.
            self._timer.start(0)
            return
        if self._stale and seen:
            self._stale = self._unseen_stale = False
            self._refresh()
        elif self._unseen_stale and self._unseen is not None:
            self._unseen_stale = False
            self._unseen()


class Facts(QWidget):
    """A form of facts by key: selectable read-only text, plus the few editors a page has."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.widgets: dict[str, QWidget] = {}

    def fact(self, key: str, label: str) -> QLabel:
        value = QLabel()
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return self.editor(key, label, value)

    def editor(self, key: str, label: str, widget):
        self.form.addRow(label, widget)
        self.widgets[key] = widget
        return widget

    def line_edit(self, key: str, label: str, on_edit: Callable[[str], None]) -> QLineEdit:
        edit = QLineEdit()

        def finished() -> None:
            # Typing is over: from now on the field follows the model (an undo, a refused edit).
            edit.setModified(False)
            on_edit(edit.text())

        edit.editingFinished.connect(finished)
        return self.editor(key, label, edit)

    def set(self, key: str, text: str, alarm: bool = False) -> None:
        """Shows `text` in the fact `key` (made by fact()), in the alarm style when `alarm`."""
        label = self.widgets[key]
        if not isinstance(label, QLabel):
            raise TypeError(f"{key!r} is an editor, not a fact: set its value through the editor")
        label.setText(text)
        label.setStyleSheet(ALARM_STYLE if alarm else "")

    @staticmethod
    def set_line(edit: QLineEdit, text: str) -> None:
        if edit.hasFocus() and edit.isModified():
            return  # the designer is typing: keep their text until they finish
        if edit.text() != text:
            edit.setText(text)

    def text(self, key: str) -> str:
        widget = self.widgets.get(key)
        if isinstance(widget, (QLabel, QLineEdit)):
            return widget.text()
        if isinstance(widget, QComboBox):
            return widget.currentText()
        if isinstance(widget, QAbstractSpinBox):
            return widget.text()
        if isinstance(widget, QCheckBox):
            return "yes" if widget.isChecked() else "no"
        return ""

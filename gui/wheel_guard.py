"""The mouse wheel scrolls panels; it never edits a value the designer did not pick.

Qt lets the wheel change a combo box, spin box or slider under the cursor even when the
designer is only scrolling past it: scrolling the inspector pinned a cable through every
medium, one undo step a notch, and one notch over the metrics dock's objective re-chose
every product. One event filter on the application fixes that for every dock and dialog:

- a value widget without keyboard focus passes the wheel to the panel it sits in (the
  nearest scroll area), so scrolling goes on as if the widget were not there;
- value widgets take focus by click or Tab only (Qt.StrongFocus, not WheelFocus), so a
  wheel passing over one cannot give it focus and then edit it on the next notch.

A widget the designer clicked or tabbed into keeps the wheel: that is a deliberate choice.
Scroll bars are left alone: they scroll, they hold no value of the design.
"""

from __future__ import annotations

from typing import TypeGuard

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

VALUE_WIDGETS = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def is_value_widget(widget: QObject) -> TypeGuard[QWidget]:
    """A widget whose value the wheel would change (a scroll bar only scrolls)."""
    return isinstance(widget, VALUE_WIDGETS) and not isinstance(widget, QScrollBar)


def enclosing_scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def take_focus_by_click_only(widget: QWidget) -> None:
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class WheelGuard(QObject):
    """Installed once on the QApplication (see install_wheel_guard)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and is_value_widget(watched):
            take_focus_by_click_only(watched)
        elif kind == QEvent.Type.Wheel and is_value_widget(watched) and not watched.hasFocus():
            area = enclosing_scroll_area(watched)
            if area is None or not isinstance(event, QWheelEvent):
                event.ignore()  # Qt hands an ignored wheel to the parent widgets
            else:
                self._scroll(area, event)
            return True
        return False

    @staticmethod
    def _scroll(area: QAbstractScrollArea, event: QWheelEvent) -> None:
        viewport = area.viewport()
        passed = QWheelEvent(
            viewport.mapFromGlobal(event.globalPosition()),
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
        )
        QApplication.sendEvent(viewport, passed)
        event.accept()


def install_wheel_guard(app: QApplication | None = None) -> WheelGuard:
    """Guards every widget of `app` (default: the running one), now and later; idempotent."""
    if app is None:
        running = QApplication.instance()
        if not isinstance(running, QApplication):
            raise RuntimeError("install_wheel_guard needs a running QApplication (widgets get wheel events)")
        app = running
    guard = app.findChild(WheelGuard)
    if guard is not None:
        # Widgets made since the first install were guarded as Qt polished them. Walking
        # allWidgets() again would touch widgets already being deleted (a closed window's)
        # and crash.
        return guard
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    for widget in QApplication.allWidgets():  # those made before the guard existed
        if is_value_widget(widget):
            take_focus_by_click_only(widget)
    return guard

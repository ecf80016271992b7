"""A QGraphicsView that zooms around the cursor, pans, fits, and hands the mouse to an
interaction (see gui/interactions.py) while one is running.

Pan: middle-button drag, or hold Space and drag with the left button.

A press that starts an interaction is a click until the cursor has moved the platform's
drag distance: a click never reaches the interaction's update or finish (which may snap,
re-face or re-place what was pressed) but its `click()`, so a press and release without
movement leaves the model as it was, whatever the interaction and the face pressed.

A view starts out fitted and stays fitted while its pane is resized (the window opening,
docks settling, the designer dragging a splitter) until the designer zooms or pans;
Fit (Ctrl+0) returns to that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsView

if TYPE_CHECKING:
    from gui.interactions import Interaction

ZOOM_STEP = 1.25
MIN_ZOOM = 1e-4  # pixels per mm: a 100 m hall in 10 px
MAX_ZOOM = 20.0  # pixels per mm: a port glyph fills the screen
FIT_MARGIN = 0.05


class ZoomableView(QGraphicsView):
    zoomChanged = Signal(float)

    def __init__(self, scene, parent=None) -> None:
        super().__init__(scene, parent)
        self._scene = scene  # a QGraphicsView does not own its scene: keep it alive with the view
        scene.setParent(self)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        # Scroll bars always shown: a view that re-fits on resize (follows_fit) and whose scene
        # rect leaves room around what it fits would otherwise show a bar at one fit and not at
        # the next, each change of the viewport re-fitting it, in an endless loop of resizes
        # (the floor plan while a 10k hall's routes filled in; the elevation of a server and its
        # leaf's racks in a 380 x 595 pane, the app frozen at 100% CPU).
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.interaction: Interaction | None = None  # the running gesture, if any
        self._pressed_at: QPointF | None = None  # viewport position of the press, until it becomes a drag
        self.drop: Interaction | None = None  # the running drop from the library, if any
        self._pan_from: QPointF | None = None
        self._space_down = False
        self.follows_fit = True  # re-fit on resize until the designer zooms or pans
        self._hint_drawn = ""  # the empty-view hint as last painted (refresh_hint)

    # ---- zoom --------------------------------------------------------------------
    def zoom(self) -> float:
        """Pixels per millimetre."""
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Scales by `factor`, keeping the scene point under `anchor` (viewport px) where it is."""
        self.follows_fit = False
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom() * factor))
        factor = target / self.zoom()
        if abs(factor - 1.0) < 1e-12:
            return
        anchor = anchor if anchor is not None else QPointF(self.viewport().rect().center())
        before = self.mapToScene(anchor.toPoint())
        self.scale(factor, factor)
        after = self.mapToScene(anchor.toPoint())
        shift = self.mapFromScene(before) - self.mapFromScene(after)
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + shift.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + shift.y())
        self.zoomChanged.emit(self.zoom())

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def content_rect(self) -> QRectF:
        return self.scene().itemsBoundingRect()

    def fit(self) -> None:
        """Shows the whole content with a margin, and keeps it fitted while the pane is resized."""
        self.follows_fit = True
        rect = self.content_rect()
        if rect.isEmpty():
            return
        margin = max(rect.width(), rect.height()) * FIT_MARGIN
        self.fitInView(rect.adjusted(-margin, -margin, margin, margin), Qt.AspectRatioMode.KeepAspectRatio)
        self.zoomChanged.emit(self.zoom())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.follows_fit:
            self.fit()

    # ---- an empty view says what to do ------------------------------------------------
    def empty_hint(self) -> str:
        """What to do when the view has nothing to show ('' when it has): a blank pane after
        File → New would leave the first step unsaid."""
        return ""

    def refresh_hint(self) -> None:
        """Repaints the whole viewport when the hint comes or goes (a partial update after the
        first rack is added would leave pieces of it behind)."""
        hint = self.empty_hint()
        if hint != self._hint_drawn:
            self._hint_drawn = hint
            self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        hint = self.empty_hint()
        self._hint_drawn = hint
        if not hint:
            return
        painter.save()
        painter.resetTransform()  # viewport pixels: the hint keeps its size whatever the zoom
        painter.setPen(QColor(110, 110, 110))
        box = QRectF(self.viewport().rect()).adjusted(24, 24, -24, -24)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), hint)
        painter.restore()

    def centre_on_rect(self, rect: QRectF) -> None:
        self.centerOn(rect.center())

    def reveal(self, rect: QRectF) -> None:
        """Scrolls so `rect` (scene mm) is in view with a margin; zooms out to fit it, and
        what was on show, when the view is too small for it at this zoom."""
        margin = max(rect.width(), rect.height()) * 0.25
        wanted = rect.adjusted(-margin, -margin, margin, margin)
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        if shown.contains(wanted):
            return
        if wanted.width() <= shown.width() and wanted.height() <= shown.height():
            self.ensureVisible(wanted, 0, 0)
            return
        self.fitInView(wanted.united(shown), Qt.AspectRatioMode.KeepAspectRatio)
        self.follows_fit = False
        self.zoomChanged.emit(self.zoom())

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(ZOOM_STEP**steps, event.position())
        event.accept()

    # ---- pan ---------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self.interaction is not None:
            # Mid-gesture the keyboard stays here: Ctrl+Z, Delete or Paste would edit a model
            # the drag has already moved; Escape (below) cancels the gesture instead.
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.interaction is not None:
            if event.key() == Qt.Key.Key_Escape:
                self.cancel_interaction()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def _starts_pan(self, event: QMouseEvent) -> bool:
        middle = event.button() == Qt.MouseButton.MiddleButton
        return middle or (self._space_down and event.button() == Qt.MouseButton.LeftButton)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._starts_pan(event):
            self.follows_fit = False
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton and self.press(event):
            self._pressed_at = event.position() if self.interaction is not None else None
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            event.accept()
            return
        if self.interaction is not None:
            if self._pressed_at is not None:
                if (event.position() - self._pressed_at).manhattanLength() < QApplication.startDragDistance():
                    event.accept()  # still a click: a hand's tremor is not a drag
                    return
                self._pressed_at = None
            self.interaction.update(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            if self._space_down:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        if self.interaction is not None and event.button() == Qt.MouseButton.LeftButton:
            interaction, self.interaction = self.interaction, None
            if self._pressed_at is not None:
                self._pressed_at = None
                interaction.click()
            else:
                interaction.finish(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mouseReleaseEvent(event)
        event.accept()  # the end of a press this view took (or of a cancelled drag)

    # ---- interactions -----------------------------------------------------------
    def press(self, event: QMouseEvent) -> bool:
        """Subclasses start an interaction here; True when they took the press."""
        return False

    def cancel_interaction(self) -> bool:
        """Escape: drops a drag in progress (mouse or library); True when there was one."""
        running = self.drop or self.interaction
        self.drop = self.interaction = self._pressed_at = None
        if running is None:
            return False
        running.cancel()
        return True

    # ---- drops from the library (the payload is a catalog id) ------------------------
    drop_mime = ""

    def make_drop(self, type_id: str) -> Interaction | None:
        """Subclasses: the interaction for a dragged catalog id, or None to refuse it."""
        return None

    def dragEnterEvent(self, event) -> None:
        mime = event.mimeData()
        if self.drop is not None:  # a drag that never left (no leave event came): its ghost goes
            self.drop.cancel()
        self.drop = None
        if self.drop_mime and mime.hasFormat(self.drop_mime):
            self.drop = self.make_drop(bytes(mime.data(self.drop_mime).data()).decode())
        if self.drop is None:
            event.ignore()
            return
        self.drop.update(self.mapToScene(event.position().toPoint()))
        event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self.drop is None:
            event.ignore()
            return
        self.drop.update(self.mapToScene(event.position().toPoint()))
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        if self.drop is not None:
            self.drop.cancel()
            self.drop = None

    def dropEvent(self, event) -> None:
        if self.drop is None:
            event.ignore()
            return
        drop, self.drop = self.drop, None
        drop.finish(self.mapToScene(event.position().toPoint()))
        event.acceptProposedAction()
        # The keys now belong to the drawing that took the drop: Delete, Ctrl+Z or the arrow
        # keys act on what was just placed, not on the library the drag came from.
        self.setFocus(Qt.FocusReason.OtherFocusReason)

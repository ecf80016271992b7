"""What the rack elevation draws: rack faces with U numbers, devices to scale, their ports.

Each face is drawn as seen standing in front of it, so a port's x_mm (from the faceplate's
left as seen from its face) is simply measured from the rail's left edge on that panel.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from gui import colors
from gui.scene.text import draw_fitted, screen_box

PORT_GLYPH_MM = (9.0, 7.0)  # drawing size of a port mark, small enough for a 12 mm pitch
TITLE_U = 4.5  # room above a face for the rack's name and the face, in rack units
NUMBERS_MM = 100.0  # U numbers may spill this far left of the frame, into the gap between faces
NAME_HALF_MM = 20.0  # a device name gets at most 40 mm of its faceplate's height


def _pen(color, width: float = 1) -> QPen:
    pen = QPen(color, width)
    pen.setCosmetic(True)
    return pen


class PanelItem(QGraphicsItem):
    """One face of one rack: frame, rails, U numbers, the rack's name and the face above."""

    def __init__(
        self, rack, face: str, rect: QRectF, rail_left: float, rail_width: float, unit: float, name_width: float = 0
    ) -> None:
        """`name_width` (mm from the face's left): how wide the rack's name may run; 0 for no name (the rear)."""
        super().__init__()
        self.rack_id, self.face, self.name_width = rack.id, face, name_width
        self.rect, self.rail_left, self.rail_width, self.unit = rect, rail_left, rail_width, unit
        self.height_u = rack.height_u
        self.name = rack.label
        self.title = f"{rack.label} — {face}"
        self.setZValue(0)
        # Kept as a picture at screen resolution: a device added or taken out repaints its few
        # pixels over the face, which drew all its U numbers again (~3.5 ms at every such edit).
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def title_rect(self) -> QRectF:
        return QRectF(self.rect.left(), self.rect.top() - self.unit * TITLE_U, self.rect.width(), self.unit * TITLE_U)

    def boundingRect(self) -> QRectF:
        right = max(self.rect.width(), self.name_width) - self.rect.width()
        return self.rect.adjusted(-NUMBERS_MM - 2, -self.unit * TITLE_U - 2, right + 2, 2)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        r = self.rect
        painter.setPen(_pen(colors.RACK_EDGE, 1.5))
        painter.setBrush(colors.RACK_FILL)
        painter.drawRect(r)
        rails = QRectF(r.left() + self.rail_left, r.top(), self.rail_width, r.height())
        painter.setPen(_pen(colors.RAIL))
        painter.drawLine(rails.topLeft(), rails.bottomLeft())
        painter.drawLine(rails.topRight(), rails.bottomRight())
        title = self.title_rect()
        name_line = QRectF(title.left(), title.top(), self.name_width, title.height() * 0.55)
        face_line = QRectF(title.left(), name_line.bottom(), title.width(), title.height() * 0.4)
        if self.name_width:
            draw_fitted(painter, name_line, self.name, colors.PANEL_TEXT, max_px=13, bold=True)
        draw_fitted(painter, face_line, f"{self.face} view", colors.RACK_EDGE, max_px=11)
        self._paint_units(painter, rails)

    def _paint_units(self, painter: QPainter, rails: QRectF) -> None:
        """U numbers in the left margin: every U when there is room, else every fifth."""
        r = self.rect
        u_px = screen_box(painter, QRectF(0, 0, self.unit, self.unit)).height()
        if u_px < 4:
            return
        every = 1 if u_px >= 11 else 5
        box_height = self.unit * max(1.0, 11 / u_px)  # a number may overflow its U into the unnumbered ones
        for u in range(1, self.height_u + 1):
            top = r.bottom() - u * self.unit
            if u % 5 == 0:
                painter.setPen(_pen(colors.RAIL))
                painter.drawLine(QPointF(rails.left(), top), QPointF(rails.right(), top))
            if u % every == 0 or u == 1:
                middle = top + self.unit / 2
                band = QRectF(
                    r.left() - NUMBERS_MM, middle - box_height / 2, NUMBERS_MM + self.rail_left - 3, box_height
                )
                draw_fitted(painter, band, str(u), colors.RACK_EDGE, Qt.AlignmentFlag.AlignRight, max_px=9)


class DeviceItem(QGraphicsRectItem):
    """A device on one face: solid on the face its front is on, pale on the other."""

    def __init__(self, device, device_type, rect: QRectF, own_face: bool) -> None:
        super().__init__(rect)
        self.device_id = device.id
        self.own_face = own_face
        self.name = device.label
        self.setZValue(10)
        self.setBrush(QBrush(colors.DEVICE_FILL if own_face else colors.DEVICE_BACK_FILL))
        self.selected = False
        self.name_span = (0.0, rect.width())  # where on the faceplate (mm from its left) the name may go
        side = "front" if own_face else "back"
        self.setToolTip(f"{device.label}: {device_type.name}, U{device.u_position}, {side} of the device")

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setPen(_pen(colors.SELECTION if self.selected else colors.DEVICE_EDGE, 3 if self.selected else 1))
        painter.setBrush(self.brush())
        painter.drawRect(self.rect())
        if self.own_face:
            r = self.rect()
            left, right = self.name_span
            # One U's height at most: a 4U device keeps a label-sized name, not a headline.
            line = QRectF(r.left() + left + 4, r.center().y() - NAME_HALF_MM, right - left - 8, 2 * NAME_HALF_MM)
            draw_fitted(painter, line.intersected(r), self.name, colors.PANEL_TEXT, Qt.AlignmentFlag.AlignLeft, 11)


class PortItem(QGraphicsRectItem):
    """A port: white when free, the colour of its cable's medium when used."""

    def __init__(self, ref: str, centre: QPointF, tooltip: str) -> None:
        w, h = PORT_GLYPH_MM
        super().__init__(QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h))
        self.ref = ref
        self.setZValue(20)
        self.setPen(_pen(colors.PORT_EDGE, 0.5))
        self.setBrush(colors.PORT_FREE)
        self.setToolTip(tooltip)
        self.medium: str | None = "-"

    def set_medium(self, used: bool, medium: str | None) -> None:
        key = medium if used else "-"
        if key != self.medium:
            self.medium = key
            self.setBrush(colors.medium_color(medium) if used else colors.PORT_FREE)

    def set_selected(self, selected: bool) -> None:
        self.setPen(_pen(colors.SELECTION, 2.5) if selected else _pen(colors.PORT_EDGE, 0.5))

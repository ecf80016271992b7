"""What the rack elevation draws: rack faces with U numbers, devices to scale, their ports.

Each face is drawn as seen standing in front of it, so a port's x_mm (from the faceplate's
left as seen from its face) is simply measured from the rail's left edge on that panel.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from gui import colors
from gui.scene.floor_items import lod

PORT_GLYPH_MM = (9.0, 7.0)  # drawing size of a port mark, small enough for a 12 mm pitch
TEXT_LOD = 0.25  # px per mm under which U numbers and device names are left out


def _pen(color, width: float = 1) -> QPen:
    pen = QPen(color, width)
    pen.setCosmetic(True)
    return pen


def _font(size_mm: float) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, int(size_mm)))  # pixels of the scene, i.e. mm: text scales with the drawing
    return font


class PanelItem(QGraphicsItem):
    """One face of one rack: frame, rails, U numbers, title above."""

    def __init__(self, rack, face: str, rect: QRectF, rail_left: float, rail_width: float, unit: float) -> None:
        super().__init__()
        self.rack_id, self.face = rack.id, face
        self.rect, self.rail_left, self.rail_width, self.unit = rect, rail_left, rail_width, unit
        self.height_u = rack.height_u
        self.title = f"{rack.label} — {face}"
        self.setZValue(0)

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-2, -self.unit * 1.5, 2, 2)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        r = self.rect
        painter.setPen(_pen(colors.RACK_EDGE, 1.5))
        painter.setBrush(colors.RACK_FILL)
        painter.drawRect(r)
        rails = QRectF(r.left() + self.rail_left, r.top(), self.rail_width, r.height())
        painter.setPen(_pen(colors.RAIL))
        painter.drawLine(rails.topLeft(), rails.bottomLeft())
        painter.drawLine(rails.topRight(), rails.bottomRight())
        painter.setPen(colors.PANEL_TEXT)
        painter.setFont(_font(self.unit * 0.7))
        painter.drawText(
            QRectF(r.left(), r.top() - self.unit * 1.4, r.width(), self.unit * 1.2),
            Qt.AlignmentFlag.AlignCenter,
            self.title,
        )
        if lod(painter) < TEXT_LOD:
            return
        painter.setFont(_font(self.unit * 0.4))
        for u in range(1, self.height_u + 1):
            band = QRectF(r.left(), r.bottom() - u * self.unit, self.rail_left - 4, self.unit)
            painter.drawText(band, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(u))
            if u % 5 == 0:
                painter.setPen(_pen(colors.RAIL))
                painter.drawLine(QPointF(rails.left(), band.top()), QPointF(rails.right(), band.top()))
                painter.setPen(colors.PANEL_TEXT)


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
        if self.own_face and lod(painter) >= TEXT_LOD:
            painter.setPen(colors.PANEL_TEXT)
            r = self.rect()
            painter.setFont(_font(min(r.height() * 0.35, 14)))
            painter.drawText(
                r.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.name
            )


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

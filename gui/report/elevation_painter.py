"""A rack's front and rear faces drawn to scale with QPainter, for the report and the exports.

Each face is drawn as seen standing in front of it (as in the editor's elevation), so a
port's x_mm, measured from the faceplate's left as seen from the port's face, is simply
measured from the left rail on that face. The two faces stand side by side with the
device names in a column between them, level with the devices, so no name hides a port.
Units are points; `scale` is points per millimetre of rack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from gui import colors
from gui.report import SMALL, SMALL_BOLD, Style, draw_centred, draw_text, elide
from model.catalog import MEDIA_ORDER, DeviceType
from model.rack_face import FACE_CODE, port_faces, port_offsets

PORT_MARK_MM = (16.0, 11.0)  # largest drawn port mark, a little smaller than an OSFP cage's face
U_GUTTER = 13.0  # points beside a face for its U numbers
CAPTION = 12.0  # points above the faces for "front" / "rear"
NAMES_MIN = 70.0  # narrowest names column
LEADER_ROOM = 14.0  # points of leader line either side of a name, at least


def points_per_mm(denominator: float) -> float:
    """Drawing scale 1:`denominator` as points per millimetre."""
    return 72.0 / 25.4 / denominator


class RackElevation:
    """Draws racks of one document, ports coloured by the medium the analysis chose."""

    def __init__(self, document, result=None) -> None:
        self.document = document
        self.result = result
        self.catalog = document.catalog
        self.unit_mm = document.site.settings.rack_unit_mm
        self.rail_mm = document.site.settings.rail_width_mm
        self._marks: dict[tuple, tuple] = {}  # per device type, side and rack width: mark size, its ports
        self._unit_numbers: dict[tuple, tuple[Style, list]] = {}
        self._row_colors: list[QColor] | None = None
        self._pens: dict[int, QPen] = {}

    # ---- sizes -------------------------------------------------------------------
    def face_size(self, rack, scale: float) -> tuple[float, float]:
        return rack.width_mm * scale, rack.height_u * self.unit_mm * scale

    def pair_size(self, rack, scale: float, names_width: float) -> tuple[float, float]:
        width, height = self.face_size(rack, scale)
        return 2 * (U_GUTTER + width) + names_width, CAPTION + height

    def names_width(self, racks, scale: float) -> float:
        """A names column wide enough for every device name of `racks` at this scale."""
        style = self.name_style(scale)
        widest = max((style.width(d.label) for rack in racks for d in rack.devices), default=0.0)
        return max(NAMES_MIN, widest + 2 * LEADER_ROOM)

    def name_style(self, scale: float) -> Style:
        return Style(max(5, min(8, int(self.unit_mm * scale * 0.72))), condensed=True)

    # ---- drawing -------------------------------------------------------------------
    def paint_pair(self, painter: QPainter, rack, x: float, y: float, scale: float, names_width: float) -> None:
        """Front face (U numbers left), names, rear face (U numbers right); top-left at (x, y)."""
        width, height = self.face_size(rack, scale)
        front_x = x + U_GUTTER
        rear_x = front_x + width + names_width
        draw_centred(painter, SMALL_BOLD, front_x + width / 2, y, "Front")
        draw_centred(painter, SMALL_BOLD, rear_x + width / 2, y, "Rear")
        top = y + CAPTION
        self.paint_face(painter, rack, "front", front_x, top, scale, numbers_left=True)
        self.paint_face(painter, rack, "rear", rear_x, top, scale, numbers_left=False)
        self._paint_names(painter, rack, front_x + width, rear_x, top, scale)

    def paint_face(self, painter: QPainter, rack, face: str, x: float, y: float, scale: float, numbers_left: bool):
        width, height = self.face_size(rack, scale)
        unit = self.unit_mm * scale
        frame = QRectF(x, y, width, height)
        painter.setPen(QPen(colors.RACK_EDGE, 0.9))
        painter.setBrush(colors.RACK_FILL)
        painter.drawRect(frame)
        rail_w = min(self.rail_mm, rack.width_mm) * scale
        rail_x = x + (width - rail_w) / 2
        self._paint_units(painter, rack, frame, rail_x, rail_w, unit, numbers_left)
        for device in rack.devices:
            device_type = self.catalog.devices.get(device.type)
            if device_type is None or device_type.u_height <= 0:
                continue
            bottom = y + (rack.height_u - device.u_position + 1) * unit
            box = QRectF(rail_x, bottom - device_type.u_height * unit, rail_w, device_type.u_height * unit)
            own = device.face == face
            painter.setPen(QPen(colors.DEVICE_EDGE, 0.6))
            painter.setBrush(colors.DEVICE_FILL if own else colors.DEVICE_BACK_FILL)
            painter.drawRect(box)
            self._paint_ports(painter, rack, device, device_type, face, frame, scale)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_units(self, painter, rack, frame: QRectF, rail_x: float, rail_w: float, unit: float, numbers_left):
        painter.setPen(QPen(colors.RAIL, 0.8))
        painter.drawLine(QPointF(rail_x, frame.top()), QPointF(rail_x, frame.bottom()))
        painter.drawLine(QPointF(rail_x + rail_w, frame.top()), QPointF(rail_x + rail_w, frame.bottom()))
        style, numbers = self._numbers(rack.height_u, unit, frame.width(), numbers_left)
        painter.setPen(QPen(colors.RAIL, 0.25))
        bottom = frame.bottom()
        painter.drawLines(
            [QLineF(rail_x, bottom - u * unit, rail_x + rail_w, bottom - u * unit) for u in range(1, rack.height_u)]
        )
        painter.setFont(style.font)
        painter.setPen(style.qcolor)
        left = frame.left()
        for dx, dy, text in numbers:
            painter.drawText(QPointF(left + dx, bottom + dy), text)

    def _numbers(self, height_u: int, unit: float, width: float, numbers_left: bool) -> tuple[Style, list]:
        """The U numbers' style and (x from the face's left, y from its bottom, text) each; the
        same for every rack of a height, so laid out once."""
        key = (height_u, unit, width, numbers_left)
        found = self._unit_numbers.get(key)
        if found is None:
            style = Style(max(4, min(6, int(unit * 0.62))), condensed=True, color="#5b636e")
            every = 1 if unit >= 6.5 else 5
            numbers = []
            for u in range(1, height_u + 1):
                if u % every and u != 1:
                    continue
                text = str(u)
                dx = -2 - style.width(text) if numbers_left else width + 2
                numbers.append((dx, -u * unit + (unit - style.line_height) / 2 + style.ascent, text))
            found = self._unit_numbers[key] = (style, numbers)
        return found

    def _paint_ports(self, painter, rack, device, device_type: DeviceType, face: str, frame: QRectF, scale) -> None:
        # Which side of the device shows on this face: its own front when it faces this way.
        relative = "front" if device.face == face else "rear"
        key = (device_type.id, relative, device.face, rack.width_mm)
        marks = self._marks.get(key)
        if marks is None:  # each kind of device, side and rack width is placed once
            ports = [p for p in device_type.ports if p.face == relative]
            size = _mark_size(device_type, relative) if ports else (0.0, 0.0)
            settings = self.document.site.settings
            n = len(ports)
            # The engine's rule (model.rack_face): the face each port shows on, x seen from it.
            codes = np.array([FACE_CODE[p.face] for p in ports], dtype=np.int8)
            on_face = port_faces(np.full(n, FACE_CODE[device.face], dtype=np.int8), codes)
            rail_left = np.full(n, (rack.width_mm - settings.rail_width_mm) / 2)
            xs = np.array([p.x_mm for p in ports], dtype=float)
            seen_x, _ = port_offsets(on_face, rail_left, np.full(n, rack.width_mm), xs)
            marks = self._marks[key] = (size, [p.name for p in ports], seen_x.tolist(), [p.y_mm for p in ports])
        (mark_w, mark_h), names, seen_x, ys = marks
        if not names:
            return
        w, h = mark_w * scale, mark_h * scale
        left = frame.left() - w / 2
        top = frame.bottom() - (device.u_position - 1) * self.unit_mm * scale - h / 2
        groups: dict[int, tuple[QColor, list[QRectF]]] = {}  # by colour object: a few shared ones
        use, prefix = self.document.port_use, f"{device.id}:"
        for name, x, y in zip(names, seen_x, ys):
            cable_id = use.get(prefix + name)
            color = colors.PORT_FREE if cable_id is None else self._cable_color(cable_id)
            group = groups.get(id(color))
            if group is None:
                group = groups[id(color)] = (color, [])
            group[1].append(QRectF(left + x * scale, top - y * scale, w, h))
        for color, rects in groups.values():
            painter.setPen(self._port_pen(color))
            painter.setBrush(color)
            painter.drawRects(rects)

    def port_color(self, device_id: str, port: str) -> QColor:
        cable_id = self.document.port_use.get(f"{device_id}:{port}")
        return colors.PORT_FREE if cable_id is None else self._cable_color(cable_id)

    def _port_pen(self, color: QColor) -> QPen:
        # A free port is an outline; a cabled one is solid in its medium's colour, edged darker.
        pen = self._pens.get(color.rgba())
        if pen is None:
            edge = colors.PORT_EDGE if color == colors.PORT_FREE else color.darker(150)
            pen = self._pens[color.rgba()] = QPen(edge, 0.25)
        return pen

    def _cable_color(self, cable_id: str) -> QColor:
        row = self.result.index.get(cable_id) if self.result is not None else None
        if row is None:
            return colors.UNKNOWN_MEDIUM
        if self._row_colors is None:  # per cable row, its medium's colour: looked up once per medium
            codes = np.asarray(self.result.medium_code)
            by_code = {
                int(c): colors.medium_color(self.result.medium_of(int(np.argmax(codes == c)))) for c in np.unique(codes)
            }
            self._row_colors = [by_code[c] for c in codes.tolist()]
        return self._row_colors[row]

    def _paint_names(self, painter, rack, left: float, right: float, top: float, scale: float) -> None:
        style = self.name_style(scale)
        unit = self.unit_mm * scale
        room = right - left - 2 * LEADER_ROOM
        leader = QPen(colors.RAIL, 0.4, Qt.PenStyle.DotLine)
        for device in rack.devices:
            device_type = self.catalog.devices.get(device.type)
            if device_type is None or device_type.u_height <= 0:
                continue
            bottom = top + (rack.height_u - device.u_position + 1) * unit
            middle = bottom - device_type.u_height * unit / 2
            name = elide(device.label, style, room)
            text_w = style.width(name)
            centre = (left + right) / 2
            painter.setPen(leader)
            painter.drawLine(QPointF(left + 1, middle), QPointF(centre - text_w / 2 - 2, middle))
            painter.drawLine(QPointF(centre + text_w / 2 + 2, middle), QPointF(right - 1, middle))
            draw_centred(painter, style, centre, middle - style.line_height / 2, name)

    def paint_legend(self, painter: QPainter, x: float, y: float) -> float:
        """Port colours by medium, free port, a device's front and back; returns the width used."""
        entries = [(colors.medium_color(m.value), m.value) for m in MEDIA_ORDER]
        entries += [(colors.UNKNOWN_MEDIUM, "no product"), (colors.PORT_FREE, "free port")]
        entries += [(colors.DEVICE_FILL, "device front"), (colors.DEVICE_BACK_FILL, "device back")]
        start = x
        for color, text in entries:
            painter.setPen(QPen(colors.PORT_EDGE, 0.3))
            painter.setBrush(color)
            painter.drawRect(QRectF(x, y + (SMALL.line_height - 6) / 2, 6, 6))
            draw_text(painter, SMALL, x + 8, y, text)
            x += 8 + SMALL.width(text) + 8
        painter.setBrush(Qt.BrushStyle.NoBrush)
        return x - start


def _mark_size(device_type: DeviceType, relative_face: str) -> tuple[float, float]:
    """A port mark's size in mm: the largest mark, shrunk to leave gaps between close ports."""
    ports = [p for p in device_type.ports if p.face == relative_face]
    rows: dict[float, list[float]] = {}
    for port in ports:
        rows.setdefault(round(port.y_mm, 2), []).append(port.x_mm)
    dx = min(
        (b - a for xs in rows.values() for a, b in zip(sorted(xs), sorted(xs)[1:]) if b > a),
        default=PORT_MARK_MM[0] / 0.75,
    )
    ys = sorted(rows)
    dy = min((b - a for a, b in zip(ys, ys[1:])), default=PORT_MARK_MM[1] / 0.75)
    return min(PORT_MARK_MM[0], 0.75 * dx), min(PORT_MARK_MM[1], 0.75 * dy)


@dataclass(frozen=True)
class ElevationDrawing:
    """One scale for every rack of the report, so racks compare by eye."""

    elevation: RackElevation
    scale: float  # points per mm
    names_width: float
    caption: str


def fit_drawing(elevation: RackElevation, racks, width: float, height: float) -> ElevationDrawing:
    """The largest round scale (1:N) at which the tallest and widest rack fit the space."""
    tallest = max(r.height_u for r in racks) * elevation.unit_mm
    widest = max(r.width_mm for r in racks)
    names_reserve = 110.0
    fit = min((height - CAPTION) / tallest, (width - 2 * U_GUTTER - names_reserve) / (2 * widest))
    denominator = max(1, math.ceil(points_per_mm(1) / fit))
    scale = points_per_mm(denominator)
    names = min(elevation.names_width(racks, scale), width - 2 * (U_GUTTER + widest * scale))
    unit_on_paper = elevation.unit_mm / denominator
    caption = f"Elevations at 1:{denominator} (1 U = {unit_on_paper:.1f} mm on paper)"
    return ElevationDrawing(elevation, scale, names, caption)

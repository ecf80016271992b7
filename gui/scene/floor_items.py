"""What the floor plan draws: racks from above, aisles, trays, tray fill, cable routes.

Level of detail keeps a 10k-accelerator hall smooth: labels go below LABEL_LOD pixels per
mm, cable routes below CABLE_LOD (the tray fill then summarises them), and cables are
drawn in bundles (one item per rack and medium) rather than one item per cable.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem

from gui import colors
from gui.scene.segments import merge, route_segments
from gui.scene.text import draw_label
from model.layout import FACING_VECTORS, Rack, Tray
from model.rules import rack_footprint

LABEL_LOD = 0.08  # px per mm: a 600 mm rack is ~50 px wide, room for "R01-01"
CABLE_LOD = 0.03  # px per mm: below this a route is a smudge; the trays' fill tells the story
FRONT_EDGE_MM = 60  # drawing thickness of the band marking a rack's front

# Trays hang above the racks, but drawn over them they would hide the racks and their names:
# trays and their fill go under the racks (showing in the aisles and through the racks' pale
# fill), cable routes over both, since a route's drop into its rack is what a designer follows.
Z_AISLE, Z_TRAY, Z_FILL, Z_RACK, Z_CABLE, Z_HIGHLIGHT = -10, -6, -5, 0, 20, 30
RACK_ALPHA = 215  # a rack's fill lets the tray above it show through faintly
LABEL_PX = (13, 8)  # screen pixel sizes tried for a rack's name, largest first


def lod(painter: QPainter) -> float:
    return QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())


class RackItem(QGraphicsItem):
    """One rack seen from above; selectable; its geometry is re-read from the rack on refresh()."""

    retired = False  # the last layout's, leaving the scene (FloorPlanScene.rebuild)

    def __init__(self, rack: Rack) -> None:
        super().__init__()
        self.rack_id = rack.id
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_RACK)
        # A pixmap per rack at screen resolution: panning a hall of thousands of racks blits
        # them instead of calling paint() in Python for each (zooming repaints them once).
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.over_budget = False
        self._look: tuple = ()  # what refresh() last drew from
        self.refresh(rack)

    def refresh(self, rack: Rack) -> bool:
        """Re-reads the rack's place, size, facing and name; False (nothing redrawn) when they
        are as drawn: a device added to or taken from the rack changes none of them, and a
        refresh threw its cached picture away and moved it in the scene's index for nothing."""
        footprint = rack_footprint(rack)
        look = (footprint, rack.facing, rack.label, rack.height_u)
        if look == self._look:
            return False
        self._look = look
        self.prepareGeometryChange()
        x0, y0, x1, y1 = footprint
        self.setPos(x0, y0)
        self.rect = QRectF(0, 0, x1 - x0, y1 - y0)
        self._bounds = self.rect.adjusted(-2, -2, 2, 2)
        fx, fy = FACING_VECTORS[rack.facing]
        band = FRONT_EDGE_MM
        w, h = self.rect.width(), self.rect.height()
        self.front = QRectF(w - band if fx > 0 else 0, h - band if fy > 0 else 0, band if fx else w, band if fy else h)
        self.label = rack.label
        self.setToolTip(f"{rack.label} ({rack.height_u}U, front faces {rack.facing})")
        self.update()
        return True

    def set_over_budget(self, over: bool) -> None:
        if over != self.over_budget:
            self.over_budget = over
            self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds  # asked for thousands of times a frame: kept, not recomputed

    def paint(self, painter: QPainter, option, widget=None) -> None:
        fill = QColor(colors.RACK_OVER_BUDGET if self.over_budget else colors.RACK_FILL)
        fill.setAlpha(RACK_ALPHA)
        painter.setBrush(fill)
        edge = colors.SELECTION if self.isSelected() else colors.RACK_EDGE
        painter.setPen(_cosmetic(edge, 3 if self.isSelected() else 1))
        painter.drawRect(self.rect)
        painter.fillRect(self.front, colors.RACK_FRONT)
        if lod(painter) >= LABEL_LOD:
            draw_label(painter, self.rect, self.label, colors.PANEL_TEXT, LABEL_PX)


def _cosmetic(color: QColor, width: float = 1) -> QPen:
    pen = QPen(color, width)
    pen.setCosmetic(True)
    return pen


def stroke(points: list[tuple[float, float]], width: float) -> QPainterPath:
    path = QPainterPath(QPointF(*points[0]))
    for p in points[1:]:
        path.lineTo(QPointF(*p))
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    stroker.setCapStyle(Qt.PenCapStyle.FlatCap)
    stroker.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return stroker.createStroke(path)


class TrayItem(QGraphicsPathItem):
    retired = False  # the last layout's, leaving the scene (FloorPlanScene.rebuild)

    def __init__(self, tray: Tray) -> None:
        super().__init__()
        self.tray_id = tray.id
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_TRAY)
        self._look: tuple = ()  # what refresh() last drew from
        self.refresh(tray)

    def refresh(self, tray: Tray) -> bool:
        """Re-reads the tray's path, width and tooltip; False (nothing redrawn) when as drawn."""
        tip = f"{tray.label}: {tray.width_mm:g} x {tray.depth_mm:g} mm at {tray.elevation_mm:g} mm"
        look = (tuple(map(tuple, tray.points)), tray.width_mm, tip)
        if look == self._look:
            return False
        self._look = look
        self.setPath(stroke(tray.points, tray.width_mm))
        self.setBrush(colors.TRAY_FILL)
        self.setToolTip(tip)
        return True

    def paint(self, painter: QPainter, option, widget=None) -> None:
        # Drawn by hand: Qt's dashed selection box around a long tray says less than its outline.
        selected = self.isSelected()
        painter.setPen(_cosmetic(colors.SELECTION if selected else colors.TRAY_EDGE, 2 if selected else 1))
        painter.setBrush(self.brush())
        painter.drawPath(self.path())


class TrayFillItem(QGraphicsPathItem):
    """One tray segment's fill: a band as wide as the share of the tray it uses, red when over."""

    retired = False  # the last layout's, leaving the scene (FloorPlanScene.rebuild)

    def __init__(self, segment_id: str) -> None:
        super().__init__()
        self.segment_id = segment_id
        self.setZValue(Z_FILL)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.key: tuple = ()

    def refresh(self, segment, tray_width: float) -> bool:
        """Redraws the band for `segment` (a model TraySegmentFill) in a tray `tray_width` mm
        wide; False when it looks as drawn (its tooltip may still have changed)."""
        key = (segment.start_mm, segment.end_mm, round(segment.fill, 4), segment.over, tray_width)
        tip = f"{segment.cable_count} cables, {segment.fill:.0%} of the usable cross-section" + (
            " — over fill" if segment.over else ""
        )
        if key == self.key:
            if tip != self.toolTip():  # a cable of no cross-section came or went
                self.setToolTip(tip)
            return False
        self.key = key
        width = max(1.0, tray_width * min(1.0, segment.fill))
        self.setPath(stroke([segment.start_mm, segment.end_mm], width))
        self.setBrush(colors.TRAY_OVER_FILL if segment.over else QColor(60, 60, 60, 70))
        self.setToolTip(tip)
        return True


class CableBundleItem(QGraphicsItem):
    """All routes of one medium leaving one rack, drawn as one path (few items, fast culling)."""

    def __init__(self, medium: str | None, merged: bool = True) -> None:
        """`merged`: overlapping pieces drawn once (see gui.scene.segments); a bundle redrawn at
        every step of a drag draws them as they come (the merge cost more than the overlap)."""
        super().__init__()
        self.medium = medium
        self.merged = merged
        self.setZValue(Z_CABLE)
        self.routes: dict[str, np.ndarray] = {}  # cable id -> (n, 2) floor points, mm
        self.key: tuple = ()  # the drawing's name for it (gui.scene.floor_routes: rack, medium)
        self._path = QPainterPath()
        self._bounds = QRectF()
        self._dirty = False
        self.pen = _cosmetic(colors.medium_color(medium), 1)
        # A drawing export (gui.drawing_export) draws the routes at its own scale, whatever
        # CABLE_LOD would say for a screen.
        self.any_zoom = False

    def set_route(self, cable_id: str, points: np.ndarray | None) -> None:
        """Changes one route to `points` ((n, 2) floor mm; None: removed); call commit() after
        a batch (rebuilding per cable would be quadratic)."""
        if points is None:
            self.routes.pop(cable_id, None)
        else:
            self.routes[cable_id] = points
        self._dirty = True

    def set_routes(self, cable_ids: list[str], points: list[np.ndarray]) -> None:
        """`set_route` of many cables at once, each with its points."""
        self.routes.update(zip(cable_ids, points))
        self._dirty = True

    def commit(self) -> None:
        if not self._dirty:
            return
        # Cut from the points at each commit, not kept per cable: two arrays a cable were
        # ~150 MB of a 100,000-accelerator hall with every route drawn.
        lines = route_segments(list(self.routes.values()))
        if self.merged and len(lines):
            lines = merge(lines)
        if len(lines):
            # One numpy pass through pyqtgraph's QDataStream path builder: building the path
            # point by point in Python costs ~20 µs per route, this well under 1 µs per line.
            ends = lines.reshape(-1, 2)
            path = pg.arrayToQPath(ends[:, 0], ends[:, 1], connect="pairs", finiteCheck=False)
        else:
            path = QPainterPath()
        self.prepareGeometryChange()
        self._path = path
        self._bounds = path.boundingRect().adjusted(-5, -5, 5, 5)
        self._dirty = False
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if lod(painter) < CABLE_LOD and not self.any_zoom:
            return
        painter.setPen(self.pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # Hair-lines along trays are axis-aligned: without antialiasing they stay crisp and
        # draw several times faster, which is what keeps panning a full hall smooth.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.drawPath(self._path)

    def nearest(self, x: float, y: float, tolerance: float) -> tuple[float, str] | None:
        """The cable of this bundle passing nearest (x, y), if within `tolerance` mm."""
        best: tuple[float, str] | None = None
        p = np.array([x, y])
        for cable_id, points in self.routes.items():
            if len(points) < 2:
                continue
            a, b = points[:-1], points[1:]
            ab = b - a
            t = np.clip(((p - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-9), 0, 1)
            d = float(np.min(np.hypot(*(a + ab * t[:, None] - p).T)))
            if d <= tolerance and (best is None or d < best[0]):
                best = (d, cable_id)
        return best


class HighlightItem(QGraphicsPathItem):
    """The selected cables' routes, drawn over everything."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_HIGHLIGHT)
        self.setPen(_cosmetic(colors.SELECTION, 4))
        self.cable_ids: tuple[str, ...] = ()

    def show_routes(self, cable_ids: tuple[str, ...], routes: list[np.ndarray]) -> None:
        self.cable_ids = cable_ids
        path = QPainterPath()
        for points in routes:
            if len(points) >= 2:
                path.addPolygon(QPolygonF([QPointF(float(x), float(y)) for x, y in points]))
        self.setPath(path)


class AisleItem(QGraphicsPathItem):
    """Cold aisles in front of rows, hot aisles behind them, merged into one shape each."""

    def __init__(self, hot: bool) -> None:
        super().__init__()
        self.hot = hot
        self.setZValue(Z_AISLE)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setBrush(colors.HOT_AISLE if hot else colors.COLD_AISLE)

    def refresh(self, racks: list[Rack], width_mm: float) -> None:
        boxes = []
        for rack in racks:
            x0, y0, x1, y1 = rack_footprint(rack)
            fx, fy = FACING_VECTORS[rack.facing]
            if self.hot:
                fx, fy = -fx, -fy
            x0, x1 = (x1, x1 + width_mm) if fx > 0 else (x0 - width_mm, x0) if fx < 0 else (x0, x1)
            y0, y1 = (y1, y1 + width_mm) if fy > 0 else (y0 - width_mm, y0) if fy < 0 else (y0, y1)
            boxes.append((x0, y0, x1, y1))
        path = QPainterPath()
        # Overlapping pieces are one aisle (the even-odd rule left out a cold aisle two rows share).
        path.setFillRule(Qt.FillRule.WindingFill)
        # A row's aisle pieces joined first: Qt's union (simplified) of a 100k hall's 3,500
        # pieces was one call of 30-80 ms holding the window; of its ~100 row runs, a few ms.
        for x0, y0, x1, y1 in joined_runs(boxes):
            path.addRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.setPath(path.simplified())


def joined_runs(boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, y0, x1, y1, mm) with the same y0 and y1 that touch or overlap along x joined
    into one, then likewise those with the same x0 and x1 along y: the same area in fewer boxes."""
    for axis in (0, 1):
        lo, hi = axis, axis + 2  # the coordinates along the run
        across = (1 - axis, 3 - axis)
        joined: list[list[float]] = []
        for box in sorted(boxes, key=lambda b: (b[across[0]], b[across[1]], b[lo])):
            last = joined[-1] if joined else None
            same_band = last is not None and (last[across[0]], last[across[1]]) == (box[across[0]], box[across[1]])
            if last is not None and same_band and box[lo] <= last[hi]:
                last[hi] = max(last[hi], box[hi])
            else:
                joined.append(list(box))
        boxes = [(b[0], b[1], b[2], b[3]) for b in joined]
    return boxes

"""The routes at the zoom's level of detail: zoomed out, lanes along the trays by medium.

Below CABLE_LOD a route is a smudge and the floor plan draws none one by one; instead each
tray piece shows a thin lane for every medium (DAC, AEC, AOC, optics) of the cables in it,
side by side across the tray, in the media's colours: a 300,000-cable hall is a few
thousand lines, worked out in chunks on the event loop (model.tray_media) after the file
is read or an edit, so the window never stops for it.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from gui import colors
from gui.scene.floor_items import CABLE_LOD, Z_CABLE, lod
from model.selection import MEDIUM_NAMES

LANE_SHARE = 0.7  # of the tray's width the lanes spread over


class TrayMediaItem(QGraphicsItem):
    """Per medium, one path of lanes along the tray pieces that carry it; painted zoomed out."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_CABLE)
        self.lanes: dict[str, QPainterPath] = {}  # medium name -> its lanes
        self._pens = {name: _cosmetic(name) for name in MEDIUM_NAMES}
        self._bounds = QRectF()
        # A drawing export (gui.drawing_export) draws the lanes at its own scale, whatever
        # CABLE_LOD would say for a screen.
        self.any_zoom = False

    def set_lanes(self, ends: np.ndarray, widths: np.ndarray, counts: np.ndarray) -> None:
        """`ends`: (pieces, 4) floor x1, y1, x2, y2 of each tray piece (mm); `widths`: (pieces,)
        its tray's width (mm); `counts`: (pieces, media) its cables by medium (MEDIUM_NAMES)."""
        self.prepareGeometryChange()
        self.lanes = {}
        bounds = QRectF()
        media = counts.shape[1] if counts.ndim == 2 else 0
        if len(ends):
            a, b = ends[:, :2], ends[:, 2:]
            along = b - a
            length = np.maximum(np.hypot(along[:, 0], along[:, 1]), 1e-9)
            across = np.column_stack([-along[:, 1], along[:, 0]]) / length[:, None]
            for m in range(media):
                rows = np.flatnonzero(counts[:, m] > 0)
                if not len(rows):
                    continue
                offset = (widths[rows] * LANE_SHARE * ((m + 0.5) / media - 0.5))[:, None] * across[rows]
                p, q = a[rows] + offset, b[rows] + offset
                xs = np.column_stack([p[:, 0], q[:, 0]]).ravel()
                ys = np.column_stack([p[:, 1], q[:, 1]]).ravel()
                path = pg.arrayToQPath(xs, ys, connect="pairs", finiteCheck=False)
                self.lanes[MEDIUM_NAMES[m]] = path
                bounds = bounds.united(path.boundingRect())
        self._bounds = bounds.adjusted(-50, -50, 50, 50) if not bounds.isNull() else QRectF()  # no lanes: no bounds
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if lod(painter) >= CABLE_LOD and not self.any_zoom:
            return  # zoomed in, the routes themselves are drawn
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for name, path in self.lanes.items():
            painter.setPen(self._pens[name])
            painter.drawPath(path)


def _cosmetic(medium: str) -> QPen:
    pen = QPen(colors.medium_color(medium), 1)
    pen.setCosmetic(True)
    return pen

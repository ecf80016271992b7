"""What makes the floor plan read like a drawing: rulers, a scale bar and a legend.

They are widgets over the view, not scene items: they stay where the eye expects them
(rulers along the top and left edges, the scale bar bottom left, the legend bottom right)
and keep their size in pixels whatever the zoom. Each reads the view's transform when it
paints, so a pan or zoom only has to ask them to repaint.

The lengths they print come from `nice_step`: 1, 2 or 5 times a power of ten, the steps a
draughtsman uses, so a ruler's ticks and the scale bar land on round metres.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from gui import colors
from model.catalog import MEDIA_ORDER

if TYPE_CHECKING:
    from gui.scene.views import ZoomableView

RULER_PX = 20  # thickness of the rulers along the view's top and left edges
RULER_LABEL_PX = 64  # labelled ticks at least this far apart on screen
RULER_MINOR_PX = 6  # minor ticks closer than this are left out
SCALE_BAR_PX = (60, 160)  # the scale bar's length on screen stays between these
OVERLAY_BG = QColor(255, 255, 255, 215)
OVERLAY_EDGE = QColor("#9aa3ad")


def nice_step(min_mm: float) -> float:
    """The smallest of 1, 2 or 5 × 10^k millimetres that is at least `min_mm` (> 0)."""
    exponent = math.floor(math.log10(min_mm))
    for mantissa in (1, 2, 5, 10):
        step = mantissa * 10.0**exponent
        if step >= min_mm * (1 - 1e-9):
            return step
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop above always returns


def length_text(mm: float) -> str:
    """A length for a label: '600 mm', '5 m', '1.5 km'."""
    if mm >= 1_000_000:
        return f"{mm / 1_000_000:g} km"
    if mm >= 1000:
        return f"{mm / 1000:g} m"
    return f"{mm:g} mm"


def scale_bar_mm(zoom: float) -> float:
    """The scale bar's length (mm) at `zoom` pixels per mm: the longest round length that
    fits SCALE_BAR_PX[1] pixels."""
    longest = SCALE_BAR_PX[1] / zoom
    step = nice_step(longest)
    while step > longest * (1 + 1e-9):
        # nice_step rounds up; walk down the 1-2-5 ladder to the length that fits.
        mantissa = round(step / 10 ** math.floor(math.log10(step)))
        step = step / 2.5 if mantissa == 5 else step / 2
    return step


def ruler_ticks(first_mm: float, last_mm: float, zoom: float) -> tuple[float, list[float], list[float]]:
    """Ticks along a ruler from `first_mm` to `last_mm` of the floor at `zoom` px/mm:
    (labelled step in mm, labelled positions, minor positions), positions in mm."""
    step = nice_step(RULER_LABEL_PX / zoom)
    minor_step = (
        step / 5 if step / 5 * zoom >= RULER_MINOR_PX else step / 2 if step / 2 * zoom >= RULER_MINOR_PX else step
    )
    start = math.floor(first_mm / minor_step) * minor_step
    labelled: list[float] = []
    minor: list[float] = []
    count = int((last_mm - start) / minor_step) + 2
    for i in range(count):
        at = start + i * minor_step
        if at > last_mm:
            break
        index = round(at / minor_step)
        (labelled if index % round(step / minor_step) == 0 else minor).append(at)
    return step, labelled, minor


def _font(pixels: int) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    return font


class Ruler(QWidget):
    """A ruler along the view's top (horizontal) or left (vertical) edge, in metres of the floor."""

    def __init__(self, view: ZoomableView, horizontal: bool) -> None:
        super().__init__(view)
        self.view = view
        self.horizontal = horizontal
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.labels: list[str] = []  # what the last paint printed, for tests and tooltips

    def _span(self) -> tuple[float, float]:
        viewport = self.view.viewport().rect()
        a = self.view.mapToScene(viewport.topLeft())
        b = self.view.mapToScene(viewport.bottomRight())
        return (a.x(), b.x()) if self.horizontal else (a.y(), b.y())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#f4f5f7"))
        painter.setPen(QPen(OVERLAY_EDGE, 1))
        if self.horizontal:
            painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        else:
            painter.drawLine(self.width() - 1, 0, self.width() - 1, self.height())
        zoom = self.view.zoom()
        first, last = self._span()
        step, labelled, minor = ruler_ticks(first, last, zoom)
        painter.setFont(_font(10))
        painter.setPen(QPen(colors.PANEL_TEXT, 1))
        self.labels = []
        for at in minor:
            self._tick(painter, (at - first) * zoom, 4)
        for at in labelled:
            offset = (at - first) * zoom
            self._tick(painter, offset, RULER_PX - 4)
            text = length_text(abs(at)) if at else "0"
            text = f"−{text}" if at < 0 else text
            self.labels.append(text)
            if self.horizontal:
                painter.drawText(QPointF(offset + 3, 10), text)
            else:
                painter.save()
                painter.translate(10, offset - 3)
                painter.rotate(-90)
                painter.drawText(QPointF(0, 0), text)
                painter.restore()
        painter.end()

    def _tick(self, painter: QPainter, offset: float, length: int) -> None:
        if self.horizontal:
            painter.drawLine(QPointF(offset, RULER_PX), QPointF(offset, RULER_PX - length))
        else:
            painter.drawLine(QPointF(RULER_PX, offset), QPointF(RULER_PX - length, offset))


class ScaleBar(QWidget):
    """A scale bar in the floor view's bottom-left corner: a round length drawn to scale."""

    HEIGHT = 30

    def __init__(self, view: ZoomableView) -> None:
        # A child of the view, not of its viewport: a viewport scrolls its children with the floor.
        super().__init__(view)
        self.view = view
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFixedSize(SCALE_BAR_PX[1] + 24, self.HEIGHT)
        self.length_mm = 0.0
        self.text = ""

    def place(self) -> None:
        """Into the viewport's bottom-left corner."""
        viewport = self.view.viewport().geometry()
        self.move(viewport.left() + 8, viewport.bottom() - self.height() - 8)
        self.raise_()

    def paintEvent(self, event) -> None:
        self.length_mm = scale_bar_mm(self.view.zoom())
        self.text = length_text(self.length_mm)
        bar = self.length_mm * self.view.zoom()
        painter = QPainter(self)
        painter.fillRect(QRectF(0, 0, bar + 16, self.HEIGHT), OVERLAY_BG)
        painter.setPen(QPen(colors.PANEL_TEXT, 1))
        painter.setFont(_font(11))
        painter.drawText(QRectF(8, 2, bar, 14), Qt.AlignmentFlag.AlignCenter, self.text)
        base = self.HEIGHT - 8
        # Alternate black and white halves, as on a printed drawing's scale.
        painter.fillRect(QRectF(8, base - 5, bar / 2, 5), colors.PANEL_TEXT)
        painter.drawRect(QRectF(8, base - 5, bar, 5))
        painter.end()


# The legend's entries: what each colour or band on the floor plan is.
FLOOR_KEYS: list[tuple[str, QColor, QColor | None]] = [
    ("tray", colors.TRAY_FILL, colors.TRAY_EDGE),
    ("tray fill", QColor(60, 60, 60, 70), None),
    ("tray over fill", colors.TRAY_OVER_FILL, None),
    ("cold aisle", colors.COLD_AISLE, None),
    ("hot aisle", colors.HOT_AISLE, None),
    ("rack front", colors.RACK_FRONT, None),
    ("rack over budget", colors.RACK_OVER_BUDGET, colors.RACK_EDGE),
]


class FloorLegend(QWidget):
    """The floor plan's key, in its bottom-right corner (where a drawing keeps its key, and away from
    the top-left corner where a new layout's first racks go): cable media beside the floor's trays,
    aisles and racks; in a narrow pane (a laptop) one column under the other, and in a pane
    too small for that the media alone (`groups` says which are shown)."""

    SWATCH, ROW, COLUMN = 12, 16, 118
    WIDE_SHARE, TALL_SHARE = 2.5, 2  # the legend takes at most 40 % of the pane's width, 50 % of its height

    def __init__(self, view: ZoomableView) -> None:
        super().__init__(view)  # the view's child, as the scale bar
        self.view = view
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        media: list[tuple[str, QColor, QColor | None]] = [
            (m.value, colors.medium_color(m.value), None) for m in MEDIA_ORDER
        ]
        media.append(("no product", colors.medium_color(None), None))
        self.all_groups = [("Cables", media), ("Floor", FLOOR_KEYS)]
        self.groups = self.all_groups
        self.side_by_side = True
        self._resize()

    @property
    def entries(self) -> list[str]:
        """The names the legend shows now."""
        return [name for _, keys in self.groups for name, _, _ in keys]

    def _size_for(self, groups, side_by_side: bool) -> QSize:
        if side_by_side:
            rows = max(len(keys) for _, keys in groups) + 1
            return QSize(8 + len(groups) * self.COLUMN, 6 + rows * self.ROW)
        rows = sum(len(keys) + 1 for _, keys in groups)
        return QSize(8 + self.COLUMN, 6 + rows * self.ROW)

    def _resize(self) -> None:
        self.setFixedSize(self._size_for(self.groups, self.side_by_side))

    def place(self) -> None:
        """Into the viewport's bottom-right corner, in the layout its size leaves room for."""
        viewport = self.view.viewport().geometry()
        fits = lambda size: (  # noqa: E731 - a one-line test of room, read where it is used
            size.width() * self.WIDE_SHARE <= viewport.width() and size.height() * self.TALL_SHARE <= viewport.height()
        )
        if fits(self._size_for(self.all_groups, True)):
            self.groups, self.side_by_side = self.all_groups, True
        elif fits(self._size_for(self.all_groups, False)):
            self.groups, self.side_by_side = self.all_groups, False
        else:
            self.groups, self.side_by_side = self.all_groups[:1], False
        self._resize()
        self.move(viewport.right() - self.width() - 7, viewport.bottom() - self.height() - 7)
        self.raise_()
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), OVERLAY_BG)
        painter.setPen(QPen(OVERLAY_EDGE, 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.setFont(_font(11))
        top_row = 0
        for column, (title, keys) in enumerate(self.groups):
            x = 6 + column * self.COLUMN if self.side_by_side else 6
            first = 0 if self.side_by_side else top_row
            painter.setPen(colors.PANEL_TEXT)
            painter.drawText(
                QRectF(x, 3 + first * self.ROW, self.COLUMN, self.ROW), Qt.AlignmentFlag.AlignVCenter, title
            )
            for row, (name, fill, edge) in enumerate(keys, start=first + 1):
                y = 4 + row * self.ROW
                swatch = QRectF(x, y + 1, self.SWATCH, self.SWATCH)
                painter.fillRect(swatch, fill)
                if edge is not None:
                    painter.setPen(QPen(edge, 1))
                    painter.drawRect(swatch)
                painter.setPen(colors.PANEL_TEXT)
                text_box = QRectF(x + self.SWATCH + 5, y - 1, self.COLUMN - self.SWATCH - 8, self.ROW)
                painter.drawText(text_box, Qt.AlignmentFlag.AlignVCenter, name)
            top_row += len(keys) + 1
        painter.end()

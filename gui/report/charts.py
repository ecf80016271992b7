"""The report's charts, drawn with QPainter so they print as sharp vectors.

Figures by medium are bars in each medium's colour; run lengths are a histogram with
one stacked bar per length bin, coloured by medium, over bins shared by every medium.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPen

from gui.colors import medium_color
from gui.report import RULE, SMALL, SMALL_BOLD, TINY, draw_centred, draw_text
from model.catalog import MEDIA_ORDER

MEDIA = [m.value for m in MEDIA_ORDER]
MAX_BINS = 24
AXIS_GUTTER = 34.0  # room left of the plot for tick labels


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least `top` (1, 2, 2.5 or 5 times a power of ten)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def short_number(value: float) -> str:
    """12,400 → '12.4k'; axis labels stay narrow."""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:g}{suffix}"
    return f"{value:g}"


def _frame(painter: QPainter, rect: QRectF, title: str, ticks: list[float], unit: str) -> QRectF:
    """Title (with the unit of the y axis), y axis with ticks and grid; returns the plotting area."""
    draw_text(painter, SMALL_BOLD, rect.left(), rect.top(), f"{title} ({unit})" if unit else title)
    plot = QRectF(
        rect.left() + AXIS_GUTTER,
        rect.top() + SMALL_BOLD.line_height + 6,
        rect.width() - AXIS_GUTTER - 4,
        rect.height() - SMALL_BOLD.line_height - 6 - 2 * TINY.line_height - 2,
    )
    top = ticks[-1]
    painter.setPen(QPen(RULE, 0.3))
    for tick in ticks:
        y = plot.bottom() - plot.height() * tick / top
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        label = short_number(tick)
        draw_text(painter, TINY, rect.left(), y - TINY.line_height / 2, label, AXIS_GUTTER - 4)
        painter.setPen(QPen(RULE, 0.3))
    painter.setPen(QPen(RULE, 0.8))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    return plot


def paint_medium_bars(
    painter: QPainter,
    rect: QRectF,
    title: str,
    values: dict[str, float],
    unit: str,
    value_text: Callable[[float], str],
) -> None:
    """One bar per medium, its value printed above it."""
    heights = [float(values.get(m, 0.0)) for m in MEDIA]
    ticks = nice_ticks(max(heights) * 1.12)
    plot = _frame(painter, rect, title, ticks, unit)
    slot = plot.width() / len(MEDIA)
    for k, (medium, value) in enumerate(zip(MEDIA, heights)):
        h = plot.height() * value / ticks[-1]
        bar = QRectF(plot.left() + slot * (k + 0.2), plot.bottom() - h, slot * 0.6, h)
        painter.fillRect(bar, medium_color(medium))
        centre = bar.center().x()
        draw_centred(painter, TINY, centre, bar.top() - TINY.line_height, value_text(value))
        draw_centred(painter, SMALL, centre, plot.bottom() + 2, medium)


def paint_length_histogram(painter: QPainter, rect: QRectF, lengths: dict[str, np.ndarray]) -> None:
    """Runs per length bin, stacked by medium, with a legend of the media present."""
    present = {m: np.asarray(a)[np.isfinite(a)] for m, a in lengths.items() if len(a)}
    everything = np.concatenate(list(present.values())) if present else np.zeros(0)
    if len(everything) == 0:
        _frame(painter, rect, "Run lengths", [0.0, 1.0], "runs")
        draw_centred(painter, SMALL, rect.center().x(), rect.center().y(), "no cables")
        return
    # Bins of a round width (0.25, 0.5, 1, 2, 2.5, 5 m …) so their edges read as plain numbers.
    top = float(everything.max()) or 1.0
    wanted = int(min(MAX_BINS, max(5, math.sqrt(len(everything)))))
    step = nice_ticks(top, wanted)[1]
    bins = max(1, math.ceil(top / step - 1e-9))
    edges = np.arange(bins + 1) * step
    counts = {m: np.histogram(a, bins=edges)[0] for m, a in present.items()}
    stacked = np.sum(list(counts.values()), axis=0)
    ticks = nice_ticks(float(stacked.max()) * 1.05)
    plot = _frame(painter, rect, "Run lengths by medium", ticks, "runs per length bin")
    width = plot.width() / bins
    base = np.zeros(bins)
    for medium in MEDIA:
        if medium not in counts:
            continue
        for b, count in enumerate(counts[medium]):
            if not count:
                continue
            y0 = plot.bottom() - plot.height() * base[b] / ticks[-1]
            h = plot.height() * count / ticks[-1]
            painter.fillRect(QRectF(plot.left() + b * width + 0.4, y0 - h, width - 0.8, h), medium_color(medium))
        base += counts[medium]
    every = max(1, math.ceil(bins / 8))
    for b in range(0, bins + 1, every):
        x = plot.left() + b * width
        draw_centred(painter, TINY, x, plot.bottom() + 2, f"{edges[b]:g}")
    draw_centred(painter, TINY, plot.center().x(), plot.bottom() + 2 + TINY.line_height, "length (m)")
    _legend(painter, QPointF(rect.right(), rect.top()), [m for m in MEDIA if m in counts])


def _legend(painter: QPainter, top_right: QPointF, media: list[str]) -> None:
    """Media in a row, right-aligned on the chart's title line."""
    x = top_right.x()
    for medium in reversed(media):
        x -= SMALL.width(medium)
        draw_text(painter, SMALL, x, top_right.y(), medium)
        painter.fillRect(QRectF(x - 8, top_right.y() + (SMALL.line_height - 6) / 2, 6, 6), medium_color(medium))
        x -= 16

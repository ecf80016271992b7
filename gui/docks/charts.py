"""pyqtgraph charts of the metrics panel: figures by medium as bars, run lengths as histograms.

pyqtgraph lives only here, inside the side panel; the editor's scenes do not use it.
Each chart redraws from plain numbers (dicts and numpy arrays), never from the model.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from gui.colors import MEDIUM_COLORS, PANEL_TEXT, medium_color
from model.catalog import MEDIA_ORDER

MEDIA = [m.value for m in MEDIA_ORDER]
MAX_BINS = 40


def _plot(title: str, left: str, bottom: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w")
    plot.setTitle(title, color=PANEL_TEXT.name(), size="9pt")
    plot.setLabel("left", left, color=PANEL_TEXT.name())
    plot.setLabel("bottom", bottom, color=PANEL_TEXT.name())
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.setMinimumHeight(150)
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setTextPen(PANEL_TEXT)
        plot.getAxis(axis).setPen(PANEL_TEXT)
    return plot


class MediumBars:
    """One bar per medium (DAC, AEC, AOC, OPTICS) in the medium's colour."""

    def __init__(self, title: str, unit: str) -> None:
        self.widget = _plot(title, unit, "")
        self.widget.getAxis("bottom").setTicks([list(enumerate(MEDIA))])
        brushes = [pg.mkBrush(MEDIUM_COLORS[m]) for m in MEDIA]
        self.bars = pg.BarGraphItem(x=np.arange(len(MEDIA)), height=np.zeros(len(MEDIA)), width=0.6, brushes=brushes)
        self.widget.addItem(self.bars)
        self.widget.setXRange(-0.6, len(MEDIA) - 0.4, padding=0)

    def set_values(self, values: dict[str, float]) -> None:
        heights = np.array([float(values.get(m, 0.0)) for m in MEDIA])
        self.bars.setOpts(height=heights)
        self.widget.setYRange(0, max(float(heights.max()), 1.0) * 1.08, padding=0)

    def heights(self) -> list[float]:
        return [float(h) for h in self.bars.opts["height"]]


class LengthHistogram:
    """How many runs of each length, one outlined step curve per medium over shared bins."""

    def __init__(self) -> None:
        self.widget = _plot("Run lengths", "runs", "length (m)")
        self.legend = self.widget.addLegend(offset=(-10, 10), labelTextColor=PANEL_TEXT)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.counts: dict[str, np.ndarray] = {}
        self.edges = np.zeros(0)

    def set_lengths(self, lengths: dict[str, np.ndarray]) -> None:
        present = {m: a[np.isfinite(a)] for m, a in lengths.items() if len(a)}
        everything = np.concatenate(list(present.values())) if present else np.zeros(0)
        for curve in self.curves.values():
            self.widget.removeItem(curve)
        self.legend.clear()
        self.curves, self.counts = {}, {}
        if len(everything) == 0:
            self.edges = np.zeros(0)
            return
        top = float(everything.max())
        bins = int(min(MAX_BINS, max(5, np.sqrt(len(everything)))))
        self.edges = np.linspace(0.0, top if top > 0 else 1.0, bins + 1)
        for medium, values in present.items():
            counts, _ = np.histogram(values, bins=self.edges)
            color = QColor(medium_color(medium))
            fill = QColor(color)
            fill.setAlpha(70)
            curve = pg.PlotDataItem(
                self.edges,
                counts,
                stepMode="center",
                fillLevel=0,
                brush=pg.mkBrush(fill),
                pen=pg.mkPen(color, width=1.5, style=Qt.PenStyle.SolidLine),
                name=medium,
            )
            self.widget.addItem(curve)
            self.curves[medium] = curve
            self.counts[medium] = counts
        self.widget.setXRange(0, float(self.edges[-1]), padding=0.02)


class TcoLines:
    """Cumulative cost of ownership year by year: one line per medium in its colour, and the
    total dashed (the report's AOC vs AEC picture, from the layout's own cables)."""

    def __init__(self, title: str = "Cost of ownership, cumulative") -> None:
        self.widget = _plot(title, "USD", "year")
        self.legend = self.widget.addLegend(offset=(10, 10), labelTextColor=PANEL_TEXT)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.values: dict[str, list[float]] = {}

    def set_years(self, years: list[int], by_medium: dict[str, list[float]], total: list[float]) -> None:
        """Draws `by_medium` (medium -> cumulative USD per year of `years`) and `total`."""
        for curve in self.curves.values():
            self.widget.removeItem(curve)
        self.legend.clear()
        self.curves, self.values = {}, {}
        lines = dict(by_medium)
        if len(by_medium) > 1:
            lines["total"] = total
        for name, values in lines.items():
            color = QColor(medium_color(name)) if name in MEDIA else QColor(PANEL_TEXT)
            style = Qt.PenStyle.DashLine if name == "total" else Qt.PenStyle.SolidLine
            curve = pg.PlotDataItem(
                years,
                values,
                pen=pg.mkPen(color, width=2, style=style),
                symbol="o",
                symbolSize=4,
                symbolBrush=color,
                symbolPen=color,
                name=name,
            )
            self.widget.addItem(curve)
            self.curves[name], self.values[name] = curve, list(values)
        top = max((max(v) for v in lines.values() if v), default=1.0)
        self.widget.setYRange(0, max(top, 1.0) * 1.08, padding=0)
        if years:
            self.widget.setXRange(0.8, years[-1] + 0.2, padding=0)

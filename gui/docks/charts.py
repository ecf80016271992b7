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


_SUFFIXES = ((1e9, "G"), (1e6, "M"), (1e3, "k"))


def compact_ticks(values: list[float], spacing: float) -> list[str]:
    """Tick labels for `values` (floats, `spacing` apart) in a k, M or G shared by all of them
    (6e8 -> '600M', 1,500 -> '1.5k'), with as many decimals as the spacing needs. pyqtgraph's
    own read '6e+08' past a million on an axis without an SI unit: a 100,000-accelerator
    layout's cable cost ($707 M) in the metrics and Compare panels."""
    top = max((abs(v) for v in values), default=0.0)
    divisor, suffix = next(((d, s) for d, s in _SUFFIXES if top >= d), (1.0, ""))
    step = spacing / divisor
    decimals = next((d for d in range(3) if abs(round(step, d) - step) < 1e-9 * max(1.0, step)), 3)
    return ["0" if v == 0 else f"{v / divisor:.{decimals}f}{suffix}" for v in values]


class CompactAxis(pg.AxisItem):
    """A value axis whose ticks read 600M, not 6e+08 (compact_ticks)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        """pyqtgraph asks for the labels of the ticks at `values` (axis units x `scale`)."""
        return compact_ticks([v * scale for v in values], spacing * scale)


def _plot(title: str, left: str, bottom: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w", axisItems={"left": CompactAxis("left")})
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
        """Draws `lengths` (medium -> run lengths, m; NaN: not routed) over shared bins.

        A medium's curve is kept from one edit to the next and given its new counts: at
        300,000 cables removing and making the curves and the legend took ~25 ms an edit, and
        bins given as edges made numpy sort every length (~7 ms a medium)."""
        present = {m: a[np.isfinite(a)] for m, a in lengths.items() if len(a)}
        present = {m: a for m, a in present.items() if len(a)}
        top = max((float(a.max()) for a in present.values()), default=0.0)
        count = sum(len(a) for a in present.values())
        for medium in [m for m in self.curves if m not in present]:
            self.widget.removeItem(self.curves.pop(medium))
            self.legend.removeItem(medium)
        self.counts = {}
        if count == 0:
            self.edges = np.zeros(0)
            return
        bins = int(min(MAX_BINS, max(5, np.sqrt(count))))
        top = top if top > 0 else 1.0
        self.edges = np.linspace(0.0, top, bins + 1)
        for medium, values in present.items():
            # Uniform bins given as a count and a range: numpy bins by arithmetic, no sort.
            counts, _ = np.histogram(values, bins=bins, range=(0.0, top))
            curve = self.curves.get(medium)
            if curve is None:
                color = QColor(medium_color(medium))
                fill = QColor(color)
                fill.setAlpha(70)
                curve = pg.PlotDataItem(
                    stepMode="center",
                    fillLevel=0,
                    brush=pg.mkBrush(fill),
                    pen=pg.mkPen(color, width=1.5, style=Qt.PenStyle.SolidLine),
                    name=medium,
                )
                self.widget.addItem(curve)
                self.curves[medium] = curve
            curve.setData(self.edges, counts)
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
        """Draws `by_medium` (medium -> cumulative USD per year of `years`) and `total`; a
        line drawn before is given its new values (made afresh, with the legend, ~20 ms an edit)."""
        lines = dict(by_medium)
        if len(by_medium) > 1:
            lines["total"] = total
        for name in [n for n in self.curves if n not in lines]:
            self.widget.removeItem(self.curves.pop(name))
            self.legend.removeItem(name)
        self.values = {}
        for name, values in lines.items():
            curve = self.curves.get(name)
            if curve is None:
                color = QColor(medium_color(name)) if name in MEDIA else QColor(PANEL_TEXT)
                style = Qt.PenStyle.DashLine if name == "total" else Qt.PenStyle.SolidLine
                curve = pg.PlotDataItem(
                    pen=pg.mkPen(color, width=2, style=style),
                    symbol="o",
                    symbolSize=4,
                    symbolBrush=color,
                    symbolPen=color,
                    name=name,
                )
                self.widget.addItem(curve)
                self.curves[name] = curve
            curve.setData(years, values)
            self.values[name] = list(values)
        top = max((max(v) for v in lines.values() if v), default=1.0)
        self.widget.setYRange(0, max(top, 1.0) * 1.08, padding=0)
        if years:
            self.widget.setXRange(0.8, years[-1] + 0.2, padding=0)

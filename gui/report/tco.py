"""The report's cost-of-ownership page (table and chart, year by year) and, when the layout
has scenarios, its comparison page. Figures come from model.tco and model.compare."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPen

from gui.colors import medium_color
from gui.report import HEADING, MUTED, SMALL, draw_centred, draw_text
from gui.report.charts import _frame, _legend, nice_ticks
from gui.report.tables import Column, Table
from model.compare import ScenarioResult, compare_rows, format_delta, format_value
from model.tco import TcoByYear

CHART_HEIGHT = 210.0


def tco_table(tco: TcoByYear, width: float) -> Table:
    """Cumulative USD per year: one row per year, a column per medium and the total."""
    media = list(tco.by_medium)
    columns = [Column("Year", 0.5, right=True)] + [Column(f"{m} ($)", 1.0, right=True) for m in media]
    columns.append(Column("Total ($)", 1.0, right=True))
    rows = [
        (str(year), *(f"{tco.by_medium[m][i]:,.0f}" for m in media), f"{tco.total[i]:,.0f}")
        for i, year in enumerate(tco.years)
    ]
    return Table(columns, rows, min(width, 120.0 + 90.0 * (len(media) + 1)))


def paint_tco_lines(painter: QPainter, rect: QRectF, tco: TcoByYear) -> None:
    """Cumulative cost per medium as lines over the years, in the media's colours."""
    top = max((max(v) for v in tco.by_medium.values() if v), default=1.0)
    ticks = nice_ticks(top * 1.08)
    plot = _frame(painter, rect, "Cost of ownership, cumulative", ticks, "USD")
    years = tco.years or [1]
    span = max(len(years) - 1, 1)

    def at(i: int, value: float) -> QPointF:
        return QPointF(plot.left() + plot.width() * i / span, plot.bottom() - plot.height() * value / ticks[-1])

    for medium, values in tco.by_medium.items():
        painter.setPen(QPen(medium_color(medium), 1.6))
        for i in range(1, len(values)):
            painter.drawLine(at(i - 1, values[i - 1]), at(i, values[i]))
    for i, year in enumerate(years):
        draw_centred(painter, SMALL, at(i, 0).x(), plot.bottom() + 2, str(year))
    _legend(painter, QPointF(rect.right(), rect.top()), list(tco.by_medium))


class TcoPage:
    """Cost of ownership: how it is counted, the chart, and the table year by year."""

    section = "Cost of ownership"

    def __init__(self, tco: TcoByYear, settings, width: float) -> None:
        self.tco, self.table = tco, tco_table(tco, width)
        self.intro = (
            f"Cables only, cumulative over {tco.horizon:g} years: purchase, energy (power × 8,760 h × PUE "
            f"{settings.pue:g} × ${settings.energy_usd_per_kwh:g}/kWh) and replacing failed cables at each "
            "product's annual failure rate (estimated by medium where no vendor publishes one)."
        )

    def paint(self, painter: QPainter, body: QRectF) -> None:
        from gui.report.pages import paint_paragraph  # pages imports this module

        y = body.top()
        draw_text(painter, HEADING, body.left(), y, self.section)
        y = paint_paragraph(painter, SMALL, body.left(), y + HEADING.line_height + 4, body.width(), self.intro) + 6
        if self.tco.by_medium:
            paint_tco_lines(painter, QRectF(body.left(), y, min(body.width(), 460.0), CHART_HEIGHT), self.tco)
            y += CHART_HEIGHT + 10
        else:
            draw_text(painter, SMALL, body.left(), y, "No cables: nothing to own.")
            y += SMALL.line_height + 6
        self.table.paint(painter, body.left(), y, range(len(self.table.rows)))


def comparison_table(items: list[ScenarioResult], width: float) -> Table:
    """Rows of model.compare.compare_rows, a column per design, differences to the base in brackets."""
    columns = [Column("Figure", 2.2, max_lines=2)] + [Column(i.name, 1.3, right=True, max_lines=2) for i in items]
    rows = []
    for row in compare_rows(items):
        cells = [row.label.strip()]
        for k, value in enumerate(row.values):
            delta = format_delta(value, row.values[0], row.spec) if k else ""
            cells.append(format_value(value, row.spec) + (f" ({delta})" if delta else ""))
        rows.append(tuple(cells))
    return Table(columns, rows, width)


class ComparisonPage:
    """The base and the layout's scenarios side by side, and each scenario's notes."""

    section = "Scenarios"

    def __init__(self, items: list[ScenarioResult], width: float) -> None:
        self.items, self.table = items, comparison_table(items, width)
        self.notes = [f"{i.name}: {note}" for i in items for note in i.notes]

    def paint(self, painter: QPainter, body: QRectF) -> None:
        from gui.report.pages import paint_paragraph

        y = body.top()
        draw_text(painter, HEADING, body.left(), y, "Scenarios compared with the base")
        y += HEADING.line_height + 6
        y = self.table.paint(painter, body.left(), y, range(len(self.table.rows))) + 8
        painter.setPen(MUTED)
        for note in self.notes[:12]:
            y = paint_paragraph(painter, SMALL, body.left(), y, body.width(), note) + 2

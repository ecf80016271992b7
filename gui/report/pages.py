"""The report's page kinds: the cover, a rack, a slice of a table.

A page paints its body into the rectangle `ReportDocument` gives it (below the running
header, above the footer). Pages that refer to others ("see the schedule, pages 9–14")
read a `Contents` filled in once every page exists.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPen

from gui.report import ALARM, BODY, BODY_BOLD, HEADING, MUTED, RULE, SMALL, TITLE, Style, count, draw_text, elide, wrap
from gui.report.blocks import ROW_STYLE, BlockTable
from gui.report.charts import paint_length_histogram, paint_medium_bars
from gui.report.elevation_painter import ElevationDrawing, RackElevation, fit_drawing
from gui.report.labels import grid as label_grid
from gui.report.labels import label_pages
from gui.report.tables import (
    BOM_COLUMNS,
    MEDIA_COLUMNS,
    PROBLEM_COLUMNS,
    RACK_COLUMNS,
    SCHEDULE_COLUMNS,
    Table,
    bom_rows,
    cable_rows,
    media_rows,
    problem_rows,
    rack_rows,
)
from model.results import not_orderable_note

UNORDERABLE = "Cables not orderable"  # pinned past every reach: not costed (model.selection)


@dataclass
class Contents:
    """Sections in page order with their first and last page (1-based), and notes for the cover."""

    sections: list[tuple[str, int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def pages_of(self, section: str) -> str:
        for name, first, last in self.sections:
            if name == section:
                return f"page {first}" if first == last else f"pages {first}–{last}"
        return ""


def paint_paragraph(painter: QPainter, style: Style, x: float, y: float, width: float, text: str) -> float:
    """Wrapped text from (x, y); returns the y below it."""
    for line in wrap(text, style, width, 20):
        draw_text(painter, style, x, y, line)
        y += style.line_height
    return y


class TablePage:
    """A slice of a table under the section's title, with optional text before and after it."""

    def __init__(
        self,
        section: str,
        title: str,
        table: Table | BlockTable,
        rows: range,
        intro: list[str] | None = None,
        outro: list[str] | None = None,
    ) -> None:
        self.section, self.title, self.table, self.rows = section, title, table, rows
        self.intro, self.outro = intro or [], outro or []

    def paint(self, painter: QPainter, body: QRectF) -> None:
        y = body.top()
        if self.title:
            draw_text(painter, HEADING, body.left(), y, elide(self.title, HEADING, body.width()))
            y += HEADING.line_height + 4
        for text in self.intro:
            y = paint_paragraph(painter, SMALL, body.left(), y, body.width(), text) + 2
        if len(self.rows):
            y = self.table.paint(painter, body.left(), y + 2, self.rows) + 6
        for text in self.outro:
            y = paint_paragraph(painter, SMALL, body.left(), y, body.width(), text() if callable(text) else text)


def rack_head_height() -> float:
    """Title, then up to two lines of facts about the rack, above its elevation."""
    return HEADING.line_height + 2 + 2 * SMALL.line_height + 4


class RackPage(TablePage):
    """A rack's elevations at scale with the first of its cables; later pages carry on the list."""

    def __init__(self, rack, summary: list[tuple[str, bool]], drawing: ElevationDrawing, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rack, self.summary = rack, summary
        self.elevation, self.scale = drawing.elevation, drawing.scale
        self.names_width, self.scale_text = drawing.names_width, drawing.caption

    def elevation_height(self) -> float:
        return self.elevation.pair_size(self.rack, self.scale, self.names_width)[1]

    def paint(self, painter: QPainter, body: QRectF) -> None:
        y = body.top()
        draw_text(painter, HEADING, body.left(), y, elide(self.title, HEADING, body.width()))
        y += HEADING.line_height + 2
        x = body.left()
        for n, (text, alarm) in enumerate(self.summary):
            style = SMALL.with_color(ALARM.name()) if alarm else SMALL
            if n and x + style.width(text) > body.right():
                x, y = body.left(), y + SMALL.line_height
            draw_text(painter, style, x, y, elide(text, style, body.width()))
            x += style.width(text) + 10
        y = body.top() + rack_head_height()
        width, _ = self.elevation.pair_size(self.rack, self.scale, self.names_width)
        left = body.left() + (body.width() - width) / 2
        self.elevation.paint_pair(painter, self.rack, left, y, self.scale, self.names_width)
        y += self.elevation_height() + 6
        legend_w = self.elevation.paint_legend(painter, body.left(), y)
        draw_text(painter, SMALL, body.left() + legend_w, y, self.scale_text, body.width() - legend_w)
        body_rest = QRectF(body.left(), y + SMALL.line_height + 6, body.width(), body.bottom() - y)
        inner = TablePage(self.section, "", self.table, self.rows, outro=self.outro)
        inner.paint(painter, body_rest)


class CoverPage:
    section = "Summary"

    def __init__(self, result, document, contents: Contents, date: datetime.date) -> None:
        self.result, self.document, self.contents, self.date = result, document, contents, date
        self.media_table: Table | None = None

    def paint(self, painter: QPainter, body: QRectF) -> None:
        r, t = self.result, self.result.totals
        x, y, width = body.left(), body.top(), body.width()
        draw_text(painter, TITLE, x, y, "Cabling report")
        y += TITLE.line_height + 2
        draw_text(painter, HEADING, x, y, elide(r.layout_name, HEADING, width))
        y += HEADING.line_height
        draw_text(painter, SMALL.with_color(MUTED.name()), x, y, f"{self.date:%Y-%m-%d} · Rack Designer")
        y += SMALL.line_height + 10
        site = self.document.site
        devices = sum(len(rack.devices) for rack in site.racks)
        problems = r.problems
        errors = sum(p.severity == "error" for p in problems)
        facts = [
            ("Accelerators", f"{r.accelerators:,}"),
            (
                "Racks, devices, cables",
                " · ".join([count(len(site.racks), "rack"), count(devices, "device"), count(t["cables"], "cable")]),
            ),
            (
                "Power",
                f"{t['power_w'] / 1000:,.1f} kW (devices {t['device_power_w'] / 1000:,.1f} kW, "
                f"cables {t['cable_power_w'] / 1000:,.2f} kW)",
            ),
            ("Cable cost", f"${t['cost_usd']:,.0f}"),
            (
                "Equivalent cables per accelerator",
                " · ".join(f"{v:.2f} × {_rate(k)}" for k, v in r.equivalent_per_accelerator.items())
                if r.accelerators
                else "— (no accelerators in this layout)",
            ),
            (
                "Problems",
                f"{len(problems):,}" + (f" ({errors:,} error{'' if errors == 1 else 's'})" if problems else ""),
            ),
        ]
        if t.get("unresolved"):
            facts.append(("Cables with no product", f"{t['unresolved']:,}"))
        if t.get("unorderable"):
            facts.append((UNORDERABLE, f"{t['unorderable']:,}"))
        key_w = max(BODY_BOLD.width(k) for k, _ in facts) + 12
        for key, value in facts:
            draw_text(painter, BODY_BOLD, x, y, key)
            alarm = key in ("Problems", "Cables with no product", UNORDERABLE) and value != "0"
            draw_text(painter, BODY.with_color(ALARM.name()) if alarm else BODY, x + key_w, y, value)
            y += BODY.line_height + 1
        y += 8
        if self.media_table is not None:
            y = self.media_table.paint(painter, x, y, range(len(self.media_table.rows))) + 14
        # Charts take what the contents leave: two rows on a tall page, one row on a wide one.
        contents_h = HEADING.line_height + 6 + len(self.contents.sections) * (BODY.line_height + 1)
        contents_h += sum(len(wrap(n, SMALL, width, 20)) * SMALL.line_height + 2 for n in self.contents.notes)
        rows = 1 if body.width() > body.height() else 2
        chart_h = max(60.0, min(170.0, (body.bottom() - y - contents_h - 16 - 14 * (rows - 1)) / rows))
        bars_w = (width - 16) / 2 if rows == 2 else width * 0.27
        cost = QRectF(x, y, bars_w, chart_h)
        power = QRectF(cost.right() + 16, y, bars_w, chart_h)
        if rows == 2:
            lengths = QRectF(x, y + chart_h + 14, width, chart_h)
        else:
            lengths = QRectF(power.right() + 16, y, body.right() - power.right() - 16, chart_h)
        costs = {m: v.cost_usd for m, v in r.by_medium.items()}
        paint_medium_bars(painter, cost, "Cable cost by medium", costs, "$", lambda v: f"${v:,.0f}")
        powers = {m: v.power_w for m, v in r.by_medium.items()}
        paint_medium_bars(painter, power, "Cable power by medium, both ends", powers, "W", lambda v: f"{v:,.0f} W")
        paint_length_histogram(painter, lengths, r.lengths_by_medium)
        y = lengths.bottom() + 16
        self._contents(painter, x, y, width, body.bottom())

    def _contents(self, painter: QPainter, x: float, y: float, width: float, bottom: float) -> None:
        draw_text(painter, HEADING, x, y, "Contents")
        y += HEADING.line_height + 2
        for name, first, last in self.contents.sections:
            pages = str(first) if first == last else f"{first}–{last}"
            draw_text(painter, BODY, x, y, name)
            draw_text(painter, BODY, x, y, pages, width)
            painter.setPen(QPen(RULE, 0.3))
            baseline = y + BODY.ascent
            painter.drawLine(
                QPointF(x + BODY.width(name) + 4, baseline), QPointF(x + width - BODY.width(pages) - 4, baseline)
            )
            y += BODY.line_height + 1
        y += 4
        for note in self.contents.notes:
            if y > bottom - SMALL.line_height:
                break
            y = paint_paragraph(painter, SMALL, x, y, width, note) + 2


def _rate(gbps: str) -> str:
    value = float(gbps)
    return f"{value / 1000:g}T" if value >= 1000 else f"{value:g}G"


# ---- assembling the report ---------------------------------------------------------------
def layout_document(result):
    """The layout the snapshot `result` shows (raises StaleResult if it has changed since)."""
    return result.document


def build_pages(result, width: float, height: float, options, date: datetime.date) -> tuple[list, Contents]:
    """Every page of the report for a body of width × height points, and its contents."""
    document = layout_document(result)
    contents = Contents()
    rows, by_rack = cable_rows(result)
    cover = CoverPage(result, document, contents, date)
    cover.media_table = Table(MEDIA_COLUMNS, media_rows(result), min(width, 360.0), total_row=True)
    groups: list[tuple[str, list]] = [("Summary", [cover])]
    racks = document.site.racks
    if racks:
        rack_pages, capped = _rack_pages(result, document, rows, by_rack, width, height, options, contents)
        groups.append((f"Racks ({len(racks):,})", rack_pages))
        if capped:
            contents.notes.append(
                f"Rack pages list at most {count(max(1, options.max_rack_pages), 'page')} of a rack's cables; "
                f"{count(capped, 'rack')} end more cables than that, and say so on their last page. "
                "The cable schedule lists every cable."
            )
    intro = [
        f"All {len(rows):,} cables in the layout's order. Length: the routed run with service slack; "
        "ordered: the product's orderable length that covers it."
        if rows
        else "The layout has no cables."
    ]
    schedule = BlockTable(SCHEDULE_COLUMNS, list(zip(*rows))[: len(SCHEDULE_COLUMNS)], width)
    groups.append(("Cable schedule", table_pages("Cable schedule", schedule, width, height, intro)))
    bom = Table(BOM_COLUMNS, bom_rows(result), width, total_row=True)
    bom_intro = ["Cables to order: each product at each orderable length." if result.bom else "No cables to order."]
    if result.totals.get("unorderable"):
        bom_intro.append(not_orderable_note(result.totals["unorderable"]))
    groups.append(("Bill of materials", table_pages("Bill of materials", bom, width, height, bom_intro)))
    groups.extend(cost_of_ownership_groups(result, document, width))
    problems = result.problems
    if problems:
        table = Table(PROBLEM_COLUMNS, problem_rows(result), width)
        intro = [f"{count(len(problems), 'problem')} found by the analysis."]
        groups.append(("Problems", table_pages("Problems", table, width, height, intro)))
    if options.labels and rows:
        groups.append(("Cable labels", label_pages(rows, width, height)))
    elif rows:
        columns, grid_rows = label_grid(width, height)
        unprinted = math.ceil(2 * len(rows) / (columns * grid_rows))
        contents.notes.append(
            f"Cable labels were left out of this report ({unprinted:,} pages for {len(rows):,} cables)."
        )
    pages: list = []
    for name, group in groups:
        contents.sections.append((name, len(pages) + 1, len(pages) + len(group)))
        pages.extend(group)
    return pages, contents


def cost_of_ownership_groups(result, document, width: float) -> list[tuple[str, list]]:
    """The cost-of-ownership page and, when the layout has scenarios, the comparison page."""
    from gui.report.tco import ComparisonPage, TcoPage
    from model.compare import compare_layout
    from model.tco import tco_by_year

    groups: list[tuple[str, list]] = []
    if result.cable_ids:  # a layout with no cables has nothing to own: its report stays short
        groups.append(("Cost of ownership", [TcoPage(tco_by_year(result), result.settings, width)]))
    if document.site.scenarios:
        items = compare_layout(document.site, result.catalog)
        groups.append(("Scenarios", [ComparisonPage(items, width)]))
    return groups


def table_pages(
    title: str, table: Table | BlockTable, width: float, height: float, intro: list[str], outro=None
) -> list:
    title_h = HEADING.line_height + 4
    intro_h = sum(len(wrap(t, SMALL, width, 20)) * SMALL.line_height + 2 for t in intro)
    slices = table.paginate(height - title_h - intro_h - 2, height - title_h - 2)
    pages = [
        TablePage(title, title if k == 0 else f"{title} (continued)", table, rows, intro if k == 0 else None)
        for k, rows in enumerate(slices)
    ]
    if outro:
        used = title_h + (intro_h if len(pages) == 1 else 0) + table.height_of(slices[-1]) + 8
        if used + len(outro) * 2 * SMALL.line_height > height:
            pages.append(TablePage(title, f"{title} (continued)", table, range(0)))
        pages[-1].outro = outro
    return pages


def _rack_pages(result, document, rows, by_rack, width, height, options, contents) -> tuple[list, int]:
    racks = document.site.racks
    drawing = fit_drawing(RackElevation(document, result), racks, width, height * 0.6)
    note_h = 2 * SMALL.line_height + 4
    head_h = rack_head_height()
    pages: list = []
    capped = 0
    # No more rows than the rack's pages could hold even at one line each are laid out.
    most = max(1, options.max_rack_pages) * math.ceil(height / ROW_STYLE.line_height)
    for rack in racks:
        ends = by_rack.get(rack.id, [])
        table = BlockTable(RACK_COLUMNS, list(zip(*rack_rows(rows, rack.label, ends[:most]))), width)
        elevation_h = drawing.elevation.pair_size(rack, drawing.scale, drawing.names_width)[1]
        first_space = height - head_h - elevation_h - 6 - SMALL.line_height - 6
        page_space = height - HEADING.line_height - 6
        slices = table.paginate(first_space, page_space)
        if len(slices) > options.max_rack_pages or not ends:  # a closing note is due: make room for it
            slices = table.paginate(first_space - note_h, page_space - note_h)
        shown = slices[: max(1, options.max_rack_pages)]
        hidden = len(ends) - sum(len(s) for s in shown)
        outro: list = []
        if hidden:
            capped += 1
            outro = [
                lambda hidden=hidden: (
                    f"… and {hidden:,} more cable ends in this rack, not listed here for length: "
                    f"the cable schedule ({contents.pages_of('Cable schedule')}) lists every cable."
                )
            ]
        elif not table.rows:
            outro = ["No cable ends in this rack."]
        title = _rack_title(rack)
        section = f"Rack {rack.label}"
        for k, part in enumerate(shown):
            last = outro if k == len(shown) - 1 else None
            page: TablePage
            if k == 0:
                summary = _rack_summary(result, rack)
                page = RackPage(
                    rack, summary, drawing, section=section, title=title, table=table, rows=part, outro=last
                )
            else:
                page = TablePage(section, f"Rack {rack.label} — cables (continued)", table, part, outro=last)
            pages.append(page)
    return pages, capped


def _rack_title(rack) -> str:
    parts = [f"Rack {rack.label}" + (f" ({rack.id})" if rack.name else "")]
    if rack.row:
        parts.append(f"row {rack.row}")
    return " · ".join(parts)


def _rack_summary(result, rack) -> list[tuple[str, bool]]:
    metrics = result.racks.get(rack.id)
    summary = [
        (f"{rack.height_u} U, {rack.width_mm:g} × {rack.depth_mm:g} mm, front faces {rack.facing}", False),
        (count(len(rack.devices), "device"), False),
    ]
    if metrics is None:
        return summary
    power = metrics.device_power_w + metrics.cable_power_w
    summary.append((count(metrics.accelerators, "accelerator"), False))
    summary.append(
        (
            f"power {power / 1000:,.1f} kW of a {metrics.budget_w / 1000:,.1f} kW budget "
            f"(cables {metrics.cable_power_w / 1000:,.2f} kW)" + (" — over budget" if metrics.over_budget else ""),
            metrics.over_budget,
        )
    )
    media = [f"{m} {n:,}" for m, n in metrics.cables_by_medium.items() if n]
    summary.append(("cables: " + (" · ".join(media) if media else "none"), False))
    return summary

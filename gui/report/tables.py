"""Tables that break cleanly across pages: the header repeats, a row never splits.

A `Table` measures each row once (how many lines its tallest cell wraps to) and hands
out page-sized slices of rows; a page wraps only its own rows again when painted, so
a schedule of 200,000 cables stays cheap to lay out.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPen

from gui.colors import MEDIUM_COLORS, medium_color
from gui.report import HEADER_FILL, RULE, SMALL, SMALL_BOLD, ZEBRA, Style, draw_text, wrap
from model import report_rows

PAD_X = 2.5  # points of air either side of a cell's text
PAD_Y = 1.2
CHIP = 5.0  # side of the medium colour chip
MISSING = report_rows.MISSING  # no product, no orderable length


@dataclass(frozen=True)
class Column:
    title: str
    weight: float  # share of the table's width
    right: bool = False  # numbers align right
    max_lines: int = 1  # a cell wraps to at most this many lines, then elides
    medium: bool = False  # the cell names a medium: a colour chip precedes it


class Table:
    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        width: float,
        style: Style = SMALL,
        header_style: Style = SMALL_BOLD,
        total_row: bool = False,
    ) -> None:
        self.columns = list(columns)
        self.rows = rows
        self.width = width
        self.style, self.header_style = style, header_style
        self.total_row = total_row  # the last row sums the others: bold, ruled off
        self.widths = self._fit_widths(width)
        self.lefts = [sum(self.widths[:j]) for j in range(len(self.columns))]
        self.header_cells = [wrap(c.title, header_style, self._inner(j), 3) for j, c in enumerate(self.columns)]
        self.header_height = max(len(lines) for lines in self.header_cells) * header_style.line_height + 2 * PAD_Y
        self.line_height = style.line_height
        self.heights = [self._row_height(i) for i in range(len(rows))]

    def _fit_widths(self, width: float) -> list[float]:
        """Single-line columns as wide as their widest text; wrapping columns share the rest by weight."""
        content_style = self.header_style if self.total_row else self.style
        least = []
        for j, column in enumerate(self.columns):
            extra = 2 * PAD_X + (CHIP + 2 if column.medium else 0)
            need = max(self.header_style.width(word) for word in column.title.split())
            if column.max_lines == 1 and len(self.rows):
                # Figures have equal widths in every font we ask for: the longest strings are the widest.
                longest = heapq.nlargest(3, (row[j] for row in self.rows), key=len)
                need = max(need, *(content_style.width(text) for text in longest))
            least.append(need + extra)
        flexible = [j for j, c in enumerate(self.columns) if c.max_lines > 1] or list(range(len(self.columns)))
        share = width / sum(c.weight for c in self.columns)
        least = [w if j in flexible else max(w, share * c.weight) for j, (w, c) in enumerate(zip(least, self.columns))]
        rest = width - sum(w for j, w in enumerate(least) if j not in flexible)
        weight = sum(self.columns[j].weight for j in flexible)
        widths = list(least)
        for j in flexible:
            widths[j] = max(least[j], rest * self.columns[j].weight / weight)
        if sum(widths) > width:  # too narrow a page: everything shrinks alike, text elides
            widths = [w * width / sum(widths) for w in widths]
        return widths

    def _inner(self, column: int) -> float:
        return self.widths[column] - 2 * PAD_X - (CHIP + 2 if self.columns[column].medium else 0)

    def _style(self, row: int) -> Style:
        return self.header_style if self.total_row and row == len(self.rows) - 1 else self.style

    def _row_height(self, row: int) -> float:
        lines = 1
        cells, style = self.rows[row], self._style(row)
        for j, column in enumerate(self.columns):
            if column.max_lines > 1 and style.width(cells[j]) > self._inner(j):
                lines = max(lines, len(wrap(cells[j], style, self._inner(j), column.max_lines)))
        return lines * self.line_height + 2 * PAD_Y

    # ---- pages -------------------------------------------------------------------
    def paginate(self, first_space: float, page_space: float) -> list[range]:
        """Slices of rows, the first for `first_space` points, the others for `page_space`.

        Each slice starts with the header. A first space too small for the header and one
        row gives an empty first slice: the table then starts on the next page.
        """
        slices: list[range] = []
        space, used, start = first_space, self.header_height, 0
        for i, height in enumerate(self.heights):
            if used + height > space + 1e-6 and (i > start or not slices and space < page_space):
                slices.append(range(start, i))
                space, used, start = page_space, self.header_height, i
            used += height
        slices.append(range(start, len(self.heights)))
        return slices

    def height_of(self, rows: range) -> float:
        return self.header_height + sum(self.heights[i] for i in rows)

    def paint(self, painter: QPainter, x: float, y: float, rows: range) -> float:
        """Draws the header and `rows` with the top-left at (x, y); returns the bottom."""
        painter.fillRect(QRectF(x, y, self.width, self.header_height), HEADER_FILL)
        for j, lines in enumerate(self.header_cells):
            self._cell(painter, self.header_style, x, y, j, lines, header=True)
        y += self.header_height
        painter.setPen(QPen(RULE, 0.6))
        painter.drawLine(QPointF(x, y), QPointF(x + self.width, y))
        for n, i in enumerate(rows):
            height = self.heights[i]
            if n % 2:
                painter.fillRect(QRectF(x, y, self.width, height), ZEBRA)
            style = self._style(i)
            if style is self.header_style:
                painter.setPen(QPen(RULE, 0.8))
                painter.drawLine(QPointF(x, y), QPointF(x + self.width, y))
            cells = self.rows[i]
            for j, column in enumerate(self.columns):
                lines = wrap(cells[j], style, self._inner(j), column.max_lines)
                self._cell(painter, style, x, y, j, lines)
            y += height
        painter.setPen(QPen(RULE, 0.6))
        painter.drawLine(QPointF(x, y), QPointF(x + self.width, y))
        return y

    def _cell(self, painter: QPainter, style: Style, x: float, y: float, j: int, lines, header: bool = False) -> None:
        column = self.columns[j]
        left = x + self.lefts[j] + PAD_X
        if column.medium and not header and (lines[0] in MEDIUM_COLORS or lines[0] == MISSING):
            chip_top = y + PAD_Y + (style.line_height - CHIP) / 2
            painter.fillRect(QRectF(left, chip_top, CHIP, CHIP), medium_color(lines[0]))
            left += CHIP + 2
        inner = self._inner(j)
        for k, line in enumerate(lines):
            top = y + PAD_Y + k * style.line_height
            draw_text(painter, style, left, top, line, inner if column.right else None)


# ---- the report's tables -------------------------------------------------------------
SCHEDULE_COLUMNS = [
    Column("Cable", 1.3, max_lines=2),
    Column("End A (rack U device:port)", 2.9, max_lines=2),
    Column("End B (rack U device:port)", 2.9, max_lines=2),
    Column("Medium", 0.8, medium=True),
    Column("Product", 1.9, max_lines=2),
    Column("AWG", 0.45, right=True),
    Column("Length (m)", 0.62, right=True),
    Column("Ordered (m)", 0.68, right=True),
    Column("Power (W)", 0.6, right=True),
    Column("Cost ($)", 0.7, right=True),
]
RACK_COLUMNS = [
    Column("Cable", 1.6, max_lines=2),
    Column("This end (U device:port)", 1.9, max_lines=2),
    Column("Other end (rack U device:port)", 2.3, max_lines=2),
    Column("Medium", 0.8, medium=True),
    Column("Ordered (m)", 0.8, right=True),
]
BOM_COLUMNS = [
    Column("Product", 2.1, max_lines=2),
    Column("Name", 3.0, max_lines=2),
    Column("Medium", 0.9, medium=True),
    Column("Ordered length (m)", 0.9, right=True),
    Column("Quantity", 0.8, right=True),
    Column("Unit cost ($)", 0.9, right=True),
    Column("Total ($)", 1.1, right=True),
]
PROBLEM_COLUMNS = [
    Column("Severity", 0.8),
    Column("Kind", 0.9),
    Column("Where", 1.6, max_lines=2),
    Column("Problem", 6.0, max_lines=6),
]
NO_RATIO = "—"  # a per-accelerator figure of a layout with no accelerators
MEDIA_COLUMNS = [
    Column("Medium", 1.0, medium=True),
    Column("Cables", 1.0, right=True),
    Column("Per accelerator", 1.2, right=True),
    Column("Power (W)", 1.2, right=True),
    Column("Cost ($)", 1.4, right=True),
]


def cable_rows(result) -> tuple[list[tuple[str, ...]], dict[str, list[int]]]:
    """The schedule's rows (plus the cable's id in the file last), and per rack its cables' ends.

    Built in bulk in the model (model.report_rows.printed_rows and rack_ends): a rack's
    entry holds 2 × row + side (0: end A, 1: end B) for each end in the rack, top of the
    rack first; a cable with both ends in a rack is listed once, by end A.
    """
    rows = report_rows.cable_rows(result)
    return report_rows.printed_rows(rows), report_rows.rack_ends(rows)


def rack_rows(rows: list[tuple[str, ...]], rack_name: str, ends: list[int]) -> list[tuple[str, ...]]:
    """A rack page's rows: cable id, this end without the rack's name, the other end, medium, ordered."""
    out: list[tuple[str, ...]] = []
    prefix = f"{rack_name} "
    for key in ends:
        row = rows[key // 2]
        here, there = (row[1], row[2]) if key % 2 == 0 else (row[2], row[1])
        out.append((row[0], here.removeprefix(prefix), there, row[3], row[7]))
    return out


def bom_rows(result) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [
        (
            line.product_id,
            line.product_name
            + (f" (each carries {line.links_per_cable} links)" if line.links_per_cable > 1 else "")
            + (f" (estimated: {', '.join(line.estimated)})" if line.estimated else ""),
            line.medium,
            f"{line.ordered_length_m:g}",
            f"{line.quantity:,}",
            f"{line.unit_cost_usd:,.2f}",
            f"{line.total_usd:,.2f}",
        )
        for line in result.bom
    ]
    quantity = sum(line.quantity for line in result.bom)
    total = sum(line.total_usd for line in result.bom)
    rows.append(("Grand total", "", "", "", f"{quantity:,}", "", f"{total:,.2f}"))
    return rows


def problem_rows(result) -> list[tuple[str, ...]]:
    return [(p.severity, p.kind, f"{p.target_kind} {p.target_id}", p.message) for p in result.problems]


def media_rows(result) -> list[tuple[str, ...]]:
    """The cover's media table: cables bought and per accelerator; with breakouts, the links
    they split into after each ('1 (2 links)', '0.12 (0.25)')."""
    rows: list[tuple[str, ...]] = []
    split = result.leg_attach_ratios != result.attach_ratios
    some = bool(result.accelerators)  # with none (a ToR pod of plain servers) a ratio means nothing: '—'
    for medium, totals in result.by_medium.items():
        ratio = result.attach_ratios.get(medium, 0.0)
        count, per = f"{totals.count:,}", f"{ratio:.2f}" if some else NO_RATIO
        if split:
            count += f" ({result.legs_by_medium[medium]:,} links)"
            per += f" ({result.leg_attach_ratios[medium]:.2f})" if some else ""
        rows.append((medium, count, per, f"{totals.power_w:,.1f}", f"{totals.cost_usd:,.0f}"))
    t = result.totals
    ratio = f"{t['cables'] / result.accelerators:.2f}" if some else NO_RATIO
    rows.append(("All", f"{t['cables']:,}", ratio, f"{t['cable_power_w']:,.1f}", f"{t['cost_usd']:,.0f}"))
    return rows

"""Long tables of one-line rows, drawn a column at a time: the cable schedule, a rack's cables.

A schedule of 200,000 cables is thousands of pages. Qt's PDF writer pays per drawText call
(shaping, a text object) on top of its cost per glyph, so a page's slice of a column is
a few multi-line drawTexts, not a call per cell: ~90 calls a page instead of a thousand.
Rows are one line each at the style's line pitch, so a page's rows are a range found by
arithmetic, and its cells are sliced from the columns (lists of text) as the page is
painted. Cells wider than their column are elided; which ones is found once by measuring
whole columns in bulk (Style.widths). The text of a page is therefore written column by
column: read it with `pdftotext -layout` to see it row by row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from gui.colors import MEDIUM_COLORS, medium_color
from gui.report import HEADER_FILL, RULE, ZEBRA, Style, draw_text, elide, wrap
from gui.report.tables import CHIP, MISSING, PAD_X, PAD_Y, Column

ROW_STYLE = Style(6, condensed=True)  # 6 pt condensed: about 100 rows on an A4 page
HEADER_STYLE = Style(6, bold=True, condensed=True)
CHUNK = 12  # rows a drawText draws of a column
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextDontClip)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextDontClip)


_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]")


def _one_line(column: Sequence[str]) -> list[str]:
    """The column's texts with tabs and line breaks as spaces: a name may hold them, and a line
    break in a column block would push every later row of the block down a line."""
    if _BREAKS.search("\x00".join(column)) is None:  # nearly always: one search for the column
        return list(column)
    return [_BREAKS.sub(" ", text) for text in column]


@lru_cache(maxsize=512)
def _header(title: str, style: Style, width: float) -> list[str]:
    # Thousands of rack pages repeat the same few column titles at the same widths.
    return wrap(title, style, width, 3)


class BlockTable:
    """A table of `columns` whose cells are `cells[j][i]` (column j, row i), one line a row."""

    def __init__(
        self,
        columns: Sequence[Column],
        cells: Sequence[Sequence[str]],
        width: float,
        style: Style = ROW_STYLE,
        header_style: Style = HEADER_STYLE,
    ) -> None:
        self.columns = list(columns)
        self.cells = [_one_line(column) for column in cells] or [[] for _ in columns]
        self.rows = len(self.cells[0])
        self.width = width
        self.style, self.header_style = style, header_style
        self.pitch = style.metrics.lineSpacing()
        measured = [style.widths(column) for column in self.cells]
        self.widths = self._fit_widths(measured)
        self.lefts = [sum(self.widths[:j]) for j in range(len(self.columns))]
        self.inner = [self.widths[j] - 2 * PAD_X - self._chip(j) for j in range(len(self.columns))]
        # Rows whose cell in column j is wider than the column: elided when painted.
        self.too_wide = [np.flatnonzero(m > self.inner[j] + 1e-6) for j, m in enumerate(measured)]
        self.header_cells = [_header(c.title, header_style, max(self.inner[j], 1.0)) for j, c in enumerate(columns)]
        self.header_height = max((len(lines) for lines in self.header_cells), default=1) * header_style.line_height
        self.header_height += 2 * PAD_Y

    def _chip(self, j: int) -> float:
        return CHIP + 2 if self.columns[j].medium else 0.0

    def _fit_widths(self, measured: list[np.ndarray]) -> list[float]:
        """Each column as wide as its widest cell (and its title's longest word); the spare
        width goes to the text columns (`max_lines` > 1 in the paged tables) by weight; when
        the columns do not fit, the text columns shrink alike and their longest cells elide."""
        need = []
        for j, column in enumerate(self.columns):
            title = max(self.header_style.width(word) for word in column.title.split())
            widest = float(measured[j].max()) if len(measured[j]) else 0.0
            need.append(max(title, widest) + 2 * PAD_X + self._chip(j))
        spare = self.width - sum(need)
        flexible = [j for j, c in enumerate(self.columns) if c.max_lines > 1] or list(range(len(self.columns)))
        weight = sum(self.columns[j].weight for j in flexible)
        widths = list(need)
        if spare >= 0:  # room to spare: the text columns share it
            for j in flexible:
                widths[j] += spare * self.columns[j].weight / weight
            return widths
        fixed = sum(need[j] for j in range(len(need)) if j not in flexible)
        room = self.width - fixed
        if room <= 0:  # too narrow a page: everything shrinks alike
            return [w * self.width / sum(need) for w in need]
        # The widest text columns give way, down to a common width, so only their longest
        # cells are elided; what a column needs is what 99% of its cells need, so one
        # outlandish name does not narrow all the others.
        for j in flexible:
            if len(measured[j]):
                title = max(self.header_style.width(word) for word in self.columns[j].title.split())
                usual = max(title, float(np.quantile(measured[j], 0.99))) + 2 * PAD_X + self._chip(j)
                need[j] = min(need[j], usual)
        spare = room - sum(need[j] for j in flexible)
        if spare >= 0:  # all but the outlandish fit: the text columns share what is left
            return [
                w + (spare * c.weight / weight if j in flexible else 0.0)
                for j, (w, c) in enumerate(zip(need, self.columns))
            ]
        cap, left = room / len(flexible), room
        for k, j in enumerate(sorted(flexible, key=need.__getitem__)):
            cap = left / (len(flexible) - k)
            if need[j] > cap:
                break
            left -= need[j]
        for j in flexible:
            widths[j] = min(need[j], cap)
        return widths

    # ---- pages -------------------------------------------------------------------
    def rows_in(self, space: float) -> int:
        """How many rows fit `space` points below the header."""
        return max(0, math.floor((space - self.header_height - 1e-6) / self.pitch))

    def paginate(self, first_space: float, page_space: float) -> list[range]:
        """Slices of rows, the first for `first_space` points, the others for `page_space`;
        each slice starts with the header. An empty first slice: the table starts on the next page."""
        first, per_page = self.rows_in(first_space), max(1, self.rows_in(page_space))
        slices = [range(0, min(first, self.rows))]
        start = len(slices[0])
        while start < self.rows:
            slices.append(range(start, min(start + per_page, self.rows)))
            start += per_page
        if len(slices) > 1 and not slices[0] and first_space >= page_space:
            slices.pop(0)
        return slices

    def height_of(self, rows: range) -> float:
        return self.header_height + len(rows) * self.pitch

    def paint(self, painter: QPainter, x: float, y: float, rows: range) -> float:
        """Draws the header and `rows` with the top-left at (x, y); returns the bottom."""
        painter.fillRect(QRectF(x, y, self.width, self.header_height), HEADER_FILL)
        for j, lines in enumerate(self.header_cells):
            column = self.columns[j]
            for k, line in enumerate(lines):
                top = y + PAD_Y + k * self.header_style.line_height
                left = x + self.lefts[j] + PAD_X + (self._chip(j) if column.medium else 0.0)
                draw_text(painter, self.header_style, left, top, line, self.inner[j] if column.right else None)
        y += self.header_height
        painter.setPen(QPen(RULE, 0.6))
        painter.drawLine(QPointF(x, y), QPointF(x + self.width, y))
        n, pitch = len(rows), self.pitch
        if n:
            painter.save()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ZEBRA)
            painter.drawRects([QRectF(x, y + k * pitch, self.width, pitch) for k in range(1, n, 2)])
            painter.restore()
            self._paint_columns(painter, x, y, rows)
        y += n * pitch
        painter.setPen(QPen(RULE, 0.6))
        painter.drawLine(QPointF(x, y), QPointF(x + self.width, y))
        return y

    def _paint_columns(self, painter: QPainter, x: float, y: float, rows: range) -> None:
        style, start, stop = self.style, rows.start, rows.stop
        painter.setFont(style.font)
        painter.setPen(style.qcolor)
        for j, column in enumerate(self.columns):
            texts = self.cells[j][start:stop]
            wide = self.too_wide[j]
            lo, hi = np.searchsorted(wide, (start, stop))
            for i in wide[lo:hi].tolist():
                texts[i - start] = elide(texts[i - start], style, self.inner[j])
            left = x + self.lefts[j] + PAD_X
            if column.medium:
                self._paint_chips(painter, left, y, texts)
                painter.setPen(style.qcolor)
                left += CHIP + 2
            flags = _RIGHT if column.right else _LEFT
            # Qt spaces the lines of one drawText at the device's font size, a hair off the
            # pitch; a block of CHUNK rows starts at its own row, so the drift stays invisible.
            for k in range(0, len(texts), CHUNK):
                block = "\n".join(texts[k : k + CHUNK])
                painter.drawText(QRectF(left, y + k * self.pitch, self.inner[j], CHUNK * self.pitch), flags, block)

    def _paint_chips(self, painter: QPainter, left: float, y: float, texts: list[str]) -> None:
        """A square in the medium's colour before each medium, all of one colour in one call."""
        by_colour: dict[str, list[QRectF]] = {}
        offset = (self.pitch - CHIP) / 2
        for k, text in enumerate(texts):
            if text in MEDIUM_COLORS or text == MISSING:
                by_colour.setdefault(text, []).append(QRectF(left, y + k * self.pitch + offset, CHIP, CHIP))
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        for text, rects in by_colour.items():
            painter.setBrush(medium_color(text))
            painter.drawRects(rects)
        painter.restore()

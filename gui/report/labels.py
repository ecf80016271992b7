"""Cable labels to print and stick: two per cable, one for each end, side by side on a sheet.

Each label follows the ANSI/TIA-606-C identifier practice (TIA-606-C, Administration
Standard for Telecommunications Infrastructure: a cable is labelled at both ends, each
label naming the near end first, then the far end, each by its rack, position (U) and
port; e.g. 4BK01-55:50/DC.C03-14:04 in the standard's own style). Here: the cable id, then
"this end" and "far end" as rack, U, device and port by the names people read, then the
medium and the ordered length; a stripe in the medium's colour lets a technician sort
them by eye. Text wraps at spaces (and, inside a long word, after '-', ':', '.' or '/');
nothing is cut. The two labels of a cable sit next to each other on a row, so they are
cut as a pair.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from gui.colors import medium_color
from gui.report import RULE, SMALL, SMALL_BOLD, TINY, Style, draw_text, wrap
from model.report_rows import MISSING

LABEL_MIN_W = 125.0  # points: a label is at least 44 mm wide …
LABEL_MIN_H = 60.0  # … and 21 mm high
PAD = 5.0
STRIPE = 3.0

# Row fields the labels read (the schedule's rows, model.report_rows.printed_rows)
CABLE_ID, END_A, END_B, MEDIUM, ORDERED = 0, 1, 2, 3, 7
TINY_BOLD = Style(6, bold=True, condensed=True)


def grid(width: float, height: float) -> tuple[int, int]:
    """Columns (even, so a cable's pair shares a row) and rows of labels on a page."""
    columns = max(2, int(width // LABEL_MIN_W) // 2 * 2)
    rows = max(1, int(height // LABEL_MIN_H))
    return columns, rows


class LabelPage:
    section = "Cable labels"

    def __init__(self, rows: Sequence[Sequence[str]], cables: range, columns: int, grid_rows: int) -> None:
        self.rows, self.cables = rows, cables
        self.columns, self.grid_rows = columns, grid_rows

    def paint(self, painter: QPainter, body: QRectF) -> None:
        width = body.width() / self.columns
        height = body.height() / self.grid_rows
        slot = 0
        for cable in self.cables:
            for end in ("A", "B"):
                column, row = slot % self.columns, slot // self.columns
                cell = QRectF(body.left() + column * width, body.top() + row * height, width, height)
                self._label(painter, cell, self.rows[cable], end)
                slot += 1

    def _label(self, painter: QPainter, cell: QRectF, row: Sequence[str], end: str) -> None:
        paint_label(painter, cell, row, end)


def paint_label(painter: QPainter, cell: QRectF, row: Sequence[str], end: str, outline: bool = True) -> None:
    """One end's label in `cell` (points): a cut line when `outline` (plain paper; label stock
    is cut already), the medium's stripe, then label_lines."""
    if outline:
        painter.setPen(QPen(RULE, 0.4, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(cell)
    painter.fillRect(QRectF(cell.left(), cell.top(), STRIPE, cell.height()), medium_color(row[MEDIUM]))
    x = cell.left() + STRIPE + PAD
    inner = cell.right() - PAD - x
    y = cell.top() + PAD
    for style, caption, text, indent in label_lines(row, end, inner, cell.height() - 2 * PAD):
        if caption:
            draw_text(painter, TINY, x, y + 0.8, caption)
        draw_text(painter, style, x + indent, y, text)
        y += style.line_height


CAPTION_W = 26.0  # points: room for "this end" / "far end" at the tiny size


def label_lines(row: Sequence[str], end: str, width: float, height: float) -> list[tuple]:
    """What one end's label says, line by line, in `width` × `height` points: (style, caption
    in TINY or '', text, its indent in points) per line. The cable id first (bold), then this end and the
    far end (TIA-606-C: near end first), each wrapped after its caption, then medium, ordered
    length and which end. Wraps to as many lines as the label holds; when the normal size
    would not fit, the tiny size is used; text that still does not fit is elided last."""
    here, there = (row[END_A], row[END_B]) if end == "A" else (row[END_B], row[END_A])
    ordered = f"{row[ORDERED]} m" if row[ORDERED] != MISSING else "no orderable length"
    details = f"{row[MEDIUM]} · {ordered} · end {end} of 2"
    for style, bold in ((SMALL, SMALL_BOLD), (TINY, TINY_BOLD)):
        lines: list[tuple] = [(bold, "", line, 0.0) for line in wrap(row[CABLE_ID], bold, width, 2)]
        for caption, text in (("this end", here), ("far end", there)):
            wrapped = wrap(text, style, width - CAPTION_W, 4)
            lines.append((style, caption, wrapped[0], CAPTION_W))
            lines += [(style, "", more, CAPTION_W) for more in wrapped[1:]]
        lines += [(style, "", line, 0.0) for line in wrap(details, style, width, 2)]
        if sum(line[0].line_height for line in lines) <= height or style is TINY:
            return lines
    return lines


def label_pages(rows: Sequence[Sequence[str]], width: float, height: float) -> list[LabelPage]:
    columns, grid_rows = grid(width, height)
    per_page = columns * grid_rows // 2
    return [
        LabelPage(rows, range(start, min(start + per_page, len(rows))), columns, grid_rows)
        for start in range(0, len(rows), per_page)
    ]

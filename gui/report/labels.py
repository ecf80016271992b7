"""Cable labels to print and stick: two per cable, one for each end, side by side on a sheet.

Each label names the cable, the end it goes on ("this end"), the far end, the medium and
the ordered length; a stripe in the medium's colour lets a technician sort them by eye.
The two labels of a cable sit next to each other on a row, so they are cut as a pair.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from gui.colors import medium_color
from gui.report import RULE, SMALL, SMALL_BOLD, TINY, draw_text, elide, wrap

LABEL_MIN_W = 125.0  # points: a label is at least 44 mm wide …
LABEL_MIN_H = 60.0  # … and 21 mm high
PAD = 5.0
STRIPE = 3.0

# Row fields the labels read (the schedule's rows, see gui.printing)
LABEL, END_A, END_B, MEDIUM, ORDERED, CABLE_ID = 0, 1, 2, 3, 7, 10


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
        painter.setPen(QPen(RULE, 0.4, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(cell)
        painter.fillRect(QRectF(cell.left(), cell.top(), STRIPE, cell.height()), medium_color(row[MEDIUM]))
        x = cell.left() + STRIPE + PAD
        inner = cell.right() - PAD - x
        y = cell.top() + PAD
        for line in wrap(row[LABEL], SMALL_BOLD, inner, 2):
            draw_text(painter, SMALL_BOLD, x, y, line)
            y += SMALL_BOLD.line_height
        y += 2
        here, there = (row[END_A], row[END_B]) if end == "A" else (row[END_B], row[END_A])
        for caption, text in (("this end", here), ("far end", there)):
            draw_text(painter, TINY, x, y + 0.8, caption)
            offset = TINY.width("this end") + 4
            draw_text(painter, SMALL, x + offset, y, elide(text, SMALL, inner - offset))
            y += SMALL.line_height
        ordered = f"{row[ORDERED]} m" if row[ORDERED] != "—" else "no orderable length"
        details = f"{row[MEDIUM]} · {ordered} · {row[CABLE_ID]} · end {end}"
        draw_text(painter, SMALL, x, y + 2, elide(details, SMALL, inner))


def label_pages(rows: Sequence[Sequence[str]], width: float, height: float) -> list[LabelPage]:
    columns, grid_rows = grid(width, height)
    per_page = columns * grid_rows // 2
    return [
        LabelPage(rows, range(start, min(start + per_page, len(rows))), columns, grid_rows)
        for start in range(0, len(rows), per_page)
    ]

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

import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QTextOption

from gui.colors import medium_color
from gui.report import RULE, SMALL, SMALL_BOLD, TINY, Style, draw_text, elide, wrap
from model.report_rows import MISSING

LABEL_MIN_W = 125.0  # points: a label is at least 44 mm wide …
LABEL_MIN_H = 60.0  # … and 21 mm high
PAD = 5.0
STRIPE = 3.0

# Row fields the labels read (the schedule's rows, model.report_rows.printed_rows)
CABLE_ID, END_A, END_B, MEDIUM, ORDERED = 0, 1, 2, 3, 7
TINY_BOLD = Style(6, bold=True, condensed=True)
TINY_TEXT = Style(6, condensed=True)  # the tiny size in the text's colour (TINY is muted, for captions)
_WRAP = QTextOption(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_WRAP.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)


def grid(width: float, height: float) -> tuple[int, int]:
    """Columns (even, so a cable's pair shares a row) and rows of labels on a page."""
    columns = max(2, int(width // LABEL_MIN_W) // 2 * 2)
    rows = max(1, int(height // LABEL_MIN_H))
    return columns, rows


class LabelPage:
    """A sheet of the report's labels: two per cable, side by side, `columns` × `grid_rows`.

    Tens of thousands of these sheets make a large report, so a sheet is drawn in few calls:
    every cut line in one, the stripes one call per medium, and each label's text in two, its
    cable id (bold), then this end, the far end and the details as one wrapped block (Qt wraps
    it, at spaces first). The text is the same as on label stock (paint_label) with the captions
    inline; a label whose text would not fit at the small size is set at the tiny one.
    """

    section = "Cable labels"

    def __init__(self, rows: Sequence[Sequence[str]], cables: range, columns: int, grid_rows: int, sizes=None) -> None:
        self.rows, self.cables = rows, cables
        self.columns, self.grid_rows = columns, grid_rows
        self.sizes = sizes if sizes is not None else EndWidths(rows)

    def paint(self, painter: QPainter, body: QRectF) -> None:
        width = body.width() / self.columns
        height = body.height() / self.grid_rows
        cells: list[tuple[QRectF, Sequence[str], str, int]] = []
        stripes: dict[str, list[QRectF]] = {}
        for slot, (cable, end) in enumerate((c, e) for c in self.cables for e in ("A", "B")):
            column, row = slot % self.columns, slot // self.columns
            cell = QRectF(body.left() + column * width, body.top() + row * height, width, height)
            cells.append((cell, self.rows[cable], end, cable))
            medium = self.rows[cable][MEDIUM]
            stripes.setdefault(medium, []).append(QRectF(cell.left(), cell.top(), STRIPE, height))
        painter.save()
        painter.setPen(QPen(RULE, 0.4, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRects([cell for cell, *_ in cells])
        painter.setPen(Qt.PenStyle.NoPen)
        for medium, rects in stripes.items():
            painter.setBrush(medium_color(medium))
            painter.drawRects(rects)
        painter.restore()
        inner = width - STRIPE - 2 * PAD
        for cell, cells_of, end, cable in cells:
            self._label(painter, cell, cells_of, end, inner, self.sizes.fits_small(cable, inner, height - 2 * PAD))

    def _label(self, painter: QPainter, cell: QRectF, row: Sequence[str], end: str, inner: float, small: bool) -> None:
        x, y = cell.left() + STRIPE + PAD, cell.top() + PAD
        bold, style = (SMALL_BOLD, SMALL) if small else (TINY_BOLD, TINY_TEXT)
        painter.setFont(bold.font)
        painter.setPen(bold.qcolor)
        painter.drawText(QPointF(x, y + bold.ascent), elide(row[CABLE_ID], bold, inner))
        here, there = (row[END_A], row[END_B]) if end == "A" else (row[END_B], row[END_A])
        ordered = f"{row[ORDERED]} m" if row[ORDERED] != MISSING else "no orderable length"
        text = f"this end {here}\nfar end {there}\n{row[MEDIUM]} · {ordered} · end {end} of 2"
        painter.setFont(style.font)
        top = y + bold.line_height
        painter.drawText(QRectF(x, top, inner, cell.bottom() - PAD - top), text, _WRAP)


class EndWidths:
    """The widths of every cable's two ends at the small size, measured in bulk once for all
    label sheets (Style.widths), to tell which labels must be set at the tiny size."""

    def __init__(self, rows: Sequence[Sequence[str]]) -> None:
        self.rows = rows
        self._widths: np.ndarray | None = None

    def fits_small(self, cable: int, inner: float, height: float) -> bool:
        """Whether cable `cable`'s label text fits `inner` × `height` points at the small size:
        its id, each end wrapped (at most one line more than its width asks, for the breaks),
        and the details line."""
        if self._widths is None:
            ends = [text for row in self.rows for text in (row[END_A], row[END_B])]
            self._widths = SMALL.widths(ends).reshape(-1, 2) + SMALL.width("this end ")
        lines = 1
        for w in self._widths[cable].tolist():
            lines += 1 if w <= inner else math.ceil(w / inner) + 1
        return SMALL_BOLD.line_height + lines * SMALL.line_height <= height


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
    """The report's label sheets for `rows` (the schedule's rows) in a body of width × height points."""
    columns, grid_rows = grid(width, height)
    per_page = columns * grid_rows // 2
    sizes = EndWidths(rows)
    return [
        LabelPage(rows, range(start, min(start + per_page, len(rows))), columns, grid_rows, sizes)
        for start in range(0, len(rows), per_page)
    ]

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
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QTextOption

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
    every cut line in one, the stripes one call per medium, and each label's text in one: its
    cable id, this end, the far end and the details as a block Qt wraps (at spaces first). The
    text is that of label stock (paint_label) with the captions inline and the id in the text's
    weight; a label whose text would not fit at the small size is set at the tiny one.
    """

    section = "Cable labels"

    def __init__(self, rows: Sequence[Sequence[str]], cables: range, columns: int, grid_rows: int, sizes=None) -> None:
        self.rows, self.cables = rows, cables
        self.columns, self.grid_rows = columns, grid_rows
        self.sizes = sizes if sizes is not None else EndWidths(rows)

    def paint(self, painter: QPainter, body: QRectF) -> None:
        height = body.height() / self.grid_rows
        inner = body.width() / self.columns - STRIPE - 2 * PAD
        small = self.sizes.fits_small(inner, height - 2 * PAD)
        cells, bands, boxes = _slots(body.left(), body.top(), body.width(), body.height(), self.columns, self.grid_rows)
        stripes: dict[str, list[QRectF]] = {}
        texts: list[tuple[QRectF, str, bool]] = []
        rows = self.rows
        slot = 0
        for cable in self.cables:
            row = rows[cable]
            medium, ordered = row[MEDIUM], row[ORDERED]
            ordered = f"{ordered} m" if ordered != MISSING else "no orderable length"
            for end, here, there in (("A", row[END_A], row[END_B]), ("B", row[END_B], row[END_A])):
                stripes.setdefault(medium, []).append(bands[slot])
                details = f"{medium} · {ordered} · end {end} of 2"
                if small[cable]:
                    text = f"{row[CABLE_ID]}\nthis end {here}\nfar end {there}\n{details}"
                else:  # rare: wrapped here, so what does not fit is elided, never the details
                    text = tiny_text(row[CABLE_ID], here, there, details, inner, height - 2 * PAD)
                texts.append((boxes[slot], text, small[cable]))
                slot += 1
        painter.save()
        painter.setPen(QPen(RULE, 0.4, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRects(cells[:slot])
        painter.setPen(Qt.PenStyle.NoPen)
        for medium, rects in stripes.items():
            painter.setBrush(medium_color(medium))
            painter.drawRects(rects)
        painter.restore()
        painter.setPen(SMALL.qcolor)
        current = None
        for box, text, fits in texts:
            style = SMALL if fits else TINY_TEXT
            if style is not current:
                painter.setFont(style.font)
                current = style
            painter.drawText(box, text, _WRAP)


def tiny_text(cable: str, here: str, there: str, details: str, width: float, height: float) -> str:
    """A report label that does not fit at the small size, at the tiny one, as lines that fit
    `width` × `height` points: the id and the ends wrapped to fewer lines each (their last one
    elided) until the whole fits, the details line (medium, ordered length, which end) always
    last and whole, so a label says what to order and which end it is whatever its names."""
    lines: list[str] = []
    for end_lines, id_lines in ((4, 2), (3, 2), (2, 2), (2, 1), (1, 1)):
        lines = wrap(cable, TINY_TEXT, width, id_lines)
        lines += wrap(f"this end {here}", TINY_TEXT, width, end_lines)
        lines += wrap(f"far end {there}", TINY_TEXT, width, end_lines)
        lines += wrap(details, TINY_TEXT, width, 1)
        if len(lines) * TINY_TEXT.line_height <= height:
            break
    return "\n".join(lines)


@lru_cache(maxsize=16)
def _slots(
    left: float, top: float, width: float, height: float, columns: int, rows: int
) -> tuple[list[QRectF], list[QRectF], list[QRectF]]:
    """Per slot of a sheet (across, then down): its cell, its stripe and its text's box. Every
    sheet of a report has the same: made once, not three rectangles a label."""
    w, h = width / columns, height / rows
    corners = [(left + slot % columns * w, top + slot // columns * h) for slot in range(columns * rows)]
    return (
        [QRectF(x, y, w, h) for x, y in corners],
        [QRectF(x, y, STRIPE, h) for x, y in corners],
        [QRectF(x + STRIPE + PAD, y + PAD, w - STRIPE - 2 * PAD, h - 2 * PAD) for x, y in corners],
    )


class EndWidths:
    """Which cables' labels fit at the small size, for all label sheets at once: the ends'
    widths are measured in bulk (Style.widths) the first time a sheet asks."""

    def __init__(self, rows: Sequence[Sequence[str]]) -> None:
        self.rows = rows
        self._fits: tuple[float, float, list[bool]] | None = None

    def fits_small(self, inner: float, height: float) -> list[bool]:
        """Per cable, whether its label text fits `inner` × `height` points at the small size:
        the id and each end wrapped, and the details line."""
        if self._fits is None or self._fits[:2] != (inner, height):
            ends = [text for row in self.rows for text in (row[END_A], row[END_B])]
            widths = SMALL.widths(ends).reshape(-1, 2) + SMALL.width("this end ")
            ids = SMALL.widths([row[CABLE_ID] for row in self.rows]).reshape(-1, 1)
            # Breaking at spaces leaves a line short by at most a word: allow a fifth more.
            widths = np.hstack([widths, ids])
            lines = np.where(widths <= inner, 1, np.ceil(widths * 1.2 / inner)).sum(axis=1) + 1
            self._fits = (inner, height, (lines * SMALL.line_height <= height).tolist())
        return self._fits[2]


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
    would not fit, the tiny size is used; when that does not fit either, the ends and then the
    id get fewer lines, their last one elided, so the medium, length and end line is always
    there (a label must say what to order and which end it is, whatever its names)."""
    here, there = (row[END_A], row[END_B]) if end == "A" else (row[END_B], row[END_A])
    ordered = f"{row[ORDERED]} m" if row[ORDERED] != MISSING else "no orderable length"
    details = f"{row[MEDIUM]} · {ordered} · end {end} of 2"
    lines: list[tuple] = []
    for style, bold, end_lines, id_lines in _LABEL_FITS:
        lines = [(bold, "", line, 0.0) for line in wrap(row[CABLE_ID], bold, width, id_lines)]
        for caption, text in (("this end", here), ("far end", there)):
            wrapped = wrap(text, style, width - CAPTION_W, end_lines)
            lines.append((style, caption, wrapped[0], CAPTION_W))
            lines += [(style, "", more, CAPTION_W) for more in wrapped[1:]]
        lines += [(style, "", line, 0.0) for line in wrap(details, style, width, 2 if end_lines > 1 else 1)]
        if sum(line[0].line_height for line in lines) <= height:
            return lines
    return lines


# What a label tries, in order, until its lines fit: (style, bold style, lines per end, lines of the id).
_LABEL_FITS = (
    (SMALL, SMALL_BOLD, 4, 2),
    (TINY, TINY_BOLD, 4, 2),
    (TINY, TINY_BOLD, 3, 2),
    (TINY, TINY_BOLD, 2, 2),
    (TINY, TINY_BOLD, 2, 1),
    (TINY, TINY_BOLD, 1, 1),
)


def label_pages(rows: Sequence[Sequence[str]], width: float, height: float) -> list[LabelPage]:
    """The report's label sheets for `rows` (the schedule's rows) in a body of width × height points."""
    columns, grid_rows = grid(width, height)
    per_page = columns * grid_rows // 2
    sizes = EndWidths(rows)
    return [
        LabelPage(rows, range(start, min(start + per_page, len(rows))), columns, grid_rows, sizes)
        for start in range(0, len(rows), per_page)
    ]

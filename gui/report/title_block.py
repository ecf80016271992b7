"""The title block at the foot of every report page, as on a drawing sheet.

One ruled strip of cells: the layout's name with its site and hall, the revision and its
date, the author, what the document is and when it was printed, and "page n of N". It
reads only a `TitleBlock` (plain text) and paints into the rectangle it is given, so any
paged output (the PDF, a printer, the preview, a streamed writer) can call it per page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from gui.report import BODY_BOLD, RULE, SMALL, TINY, Style, elide

HEIGHT = 28.0  # points: a caption line and a text line, with air
PAD = 3.0


@dataclass(frozen=True)
class TitleBlock:
    """What every page's title block says (plain text; empty fields print as '—')."""

    name: str
    site: str = ""
    hall: str = ""
    revision: str = ""
    revision_date: str = ""  # YYYY-MM-DD
    author: str = ""
    document: str = "Cabling report"
    printed: datetime.date | None = None

    @classmethod
    def of_layout(cls, site, document: str = "Cabling report", printed: datetime.date | None = None) -> TitleBlock:
        """The title block of a model.layout.Site (its name and info)."""
        info = site.info
        return cls(site.name, info.site, info.hall, info.revision, info.date, info.author, document, printed)

    def cells(self, page: int, pages: int) -> list[tuple[str, str, float]]:
        """(caption, text, share of the width) per cell, left to right."""
        place = " · ".join(part for part in (self.site, self.hall) if part)
        revision = " · ".join(part for part in (self.revision, self.revision_date) if part)
        printed = f"{self.printed:%Y-%m-%d} · Rack Designer" if self.printed else "Rack Designer"
        return [
            ("Layout", self.name + (f" — {place}" if place else ""), 0.34),
            ("Revision", revision or "—", 0.14),
            ("Author", self.author or "—", 0.16),
            (self.document, printed, 0.22),
            ("Sheet", f"page {page} of {pages}", 0.14),
        ]


def paint_title_block(painter: QPainter, rect: QRectF, block: TitleBlock, page: int, pages: int) -> None:
    """Paints `block` for page `page` of `pages` into `rect` (points): a ruled row of cells,
    each a tiny caption over its text, elided to its cell (the layout's name in bold)."""
    TitleBlockPainter(rect, block).paint(painter, page, pages)


class TitleBlockPainter:
    """The title block laid out once for `rect`: a report of 10,000 pages paints it 10,000
    times, and only "page n of N" changes, so each page draws prepared texts at prepared places."""

    def __init__(self, rect: QRectF, block: TitleBlock) -> None:
        self.rect = QRectF(rect)
        self.items: list[tuple[Style, QPointF, str]] = []
        self.rules: list[QLineF] = []
        x = rect.left()
        cells = block.cells(1, 1)
        for n, (caption, text, share) in enumerate(cells):
            width = rect.width() * share
            if n:
                self.rules.append(QLineF(x, rect.top(), x, rect.bottom()))
            inner = width - 2 * PAD
            self.items.append((TINY, QPointF(x + PAD, rect.top() + PAD - 1 + TINY.ascent), elide(caption, TINY, inner)))
            style = BODY_BOLD if n == 0 else SMALL
            where = QPointF(x + PAD, rect.top() + PAD + TINY.line_height + style.ascent)
            if n < len(cells) - 1:
                self.items.append((style, where, elide(text, style, inner)))
            else:  # the sheet's own text: "page n of N", drawn per page
                self.sheet = (style, where, inner)
            x += width

    def paint(self, painter: QPainter, page: int, pages: int) -> None:
        """Draws the block with "page `page` of `pages`" in its last cell."""
        painter.save()
        painter.setPen(QPen(RULE, 0.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect)
        painter.drawLines(self.rules)
        current = None
        for style, where, text in self.items:
            if style is not current:
                painter.setFont(style.font)
                painter.setPen(style.qcolor)
                current = style
            painter.drawText(where, text)
        style, where, inner = self.sheet
        painter.setFont(style.font)
        painter.setPen(style.qcolor)
        painter.drawText(where, elide(f"page {page} of {pages}", style, inner))
        painter.restore()

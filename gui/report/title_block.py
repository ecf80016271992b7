"""The title block at the foot of every report page, as on a drawing sheet.

One ruled strip of cells: the layout's name with its site and hall, the revision and its
date, the author, what the document is and when it was printed, and "page n of N". It
reads only a `TitleBlock` (plain text) and paints into the rectangle it is given, so any
paged output (the PDF, a printer, the preview, a streamed writer) can call it per page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPen

from gui.report import BODY_BOLD, RULE, SMALL, TINY, draw_text, elide

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
    painter.save()
    painter.setPen(QPen(RULE, 0.6))
    painter.drawRect(rect)
    x = rect.left()
    for n, (caption, text, share) in enumerate(block.cells(page, pages)):
        width = rect.width() * share
        if n:
            painter.setPen(QPen(RULE, 0.6))
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        inner = width - 2 * PAD
        draw_text(painter, TINY, x + PAD, rect.top() + PAD - 1, elide(caption, TINY, inner))
        style = BODY_BOLD if n == 0 else SMALL
        draw_text(painter, style, x + PAD, rect.top() + PAD + TINY.line_height, elide(text, style, inner))
        x += width
    painter.restore()

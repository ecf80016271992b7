"""The printable cabling report: pages laid out once, painted on any paged device.

Every report painter works in typographic points (1/72 in) from the top-left of the
page's printable area. Fonts are sized in pixels of that space, so a 7 px font prints
at 7 pt whatever the device's resolution (a 1200 dpi PDF, a printer, the preview), and
text measured while laying out is the text that is printed. This module holds what
the page kinds share: text styles, word wrapping and the report's few colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

# Fonts a report asks for, in order; DejaVu ships with most Linux desktops and has ↔.
FAMILIES = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica"]
CONDENSED_FAMILIES = ["DejaVu Sans Condensed", "Liberation Sans Narrow", "Arial Narrow", *FAMILIES]

TEXT = QColor("#1f2328")
MUTED = QColor("#5b636e")
RULE = QColor("#9aa3ad")
ZEBRA = QColor("#f2f4f7")
HEADER_FILL = QColor("#dde3ea")
ALARM = QColor("#b42318")
WIDTH_CACHE = 250_000  # measured texts kept per style
WIDTHS_SLICE = 20_000  # texts measured at once in bulk (Style.widths)
# Characters whose advances simply add up (no shaping): Latin, Greek, Cyrillic, the report's symbols.
_SIMPLE = frozenset(map(chr, range(32, 0x0530))) | frozenset("↔—–…×·€£¥")
SIMPLE_CHARACTERS = _SIMPLE  # the PDF's own text layer sets these too (gui/report/pdf_fonts.py)
_TABLE_END = 0x2200  # past every character of _SIMPLE


@dataclass(frozen=True)
class Style:
    """A text style: size in points, weight, width, colour."""

    size: int
    bold: bool = False
    condensed: bool = False
    color: str = "#1f2328"

    @cached_property
    def font(self) -> QFont:
        return _font(self.size, self.bold, self.condensed)

    @cached_property
    def metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font)

    @cached_property
    def line_height(self) -> float:
        return self.metrics.height()

    @cached_property
    def ascent(self) -> float:
        return self.metrics.ascent()

    @cached_property
    def qcolor(self) -> QColor:
        return QColor(self.color)

    @cached_property
    def _widths(self) -> dict[str, float]:
        return {}

    @cached_property
    def _advances(self) -> dict[str, float]:
        return {}

    def width(self, text: str) -> float:
        # Measuring is the report's slowest step. The same texts come back (an end in the
        # schedule, the rack list and two labels), so they are remembered; and with kerning
        # off, a line in a simple script is as wide as its characters, summed in Python.
        widths = self._widths
        found = widths.get(text)
        if found is None:
            if len(widths) > WIDTH_CACHE:
                widths.clear()
            if _SIMPLE.issuperset(text):
                advances = self._advances
                for ch in set(text).difference(advances):
                    advances[ch] = self.metrics.horizontalAdvance(ch)
                found = sum(map(advances.__getitem__, text))
            else:
                found = self.metrics.horizontalAdvance(text)
            widths[text] = found
        return found

    @cached_property
    def _advance_table(self) -> np.ndarray:
        # Per code point below _TABLE_END, its advance; NaN where a text must be measured whole.
        table = np.full(_TABLE_END, np.nan)
        for ch in _SIMPLE:
            table[ord(ch)] = self.metrics.horizontalAdvance(ch)
        return table

    def widths(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's width in points, measured in bulk: the advances of a simple script's
        characters summed with numpy (as `width` sums them); other texts one by one. Done in
        slices of WIDTHS_SLICE texts, so 400,000 label ends hold tens of MB at a time, not GBs."""
        return np.concatenate(
            [np.zeros(0)] + [self._widths_of(texts[k : k + WIDTHS_SLICE]) for k in range(0, len(texts), WIDTHS_SLICE)]
        )

    def _widths_of(self, texts: Sequence[str]) -> np.ndarray:
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
        advances = self._advance_table[np.minimum(codes, _TABLE_END - 1)]
        odd = np.isnan(advances) | (codes >= _TABLE_END)
        advances[odd] = 0.0
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        ends = np.cumsum(lengths)
        starts = ends - lengths
        sums = np.concatenate(([0.0], np.cumsum(advances)))
        result = sums[ends] - sums[starts]
        odd_sums = np.concatenate(([0], np.cumsum(odd)))
        for i in np.flatnonzero(odd_sums[ends] > odd_sums[starts]).tolist():
            result[i] = self.width(texts[i])
        return result

    def with_color(self, color: str) -> Style:
        return Style(self.size, self.bold, self.condensed, color)


@lru_cache(maxsize=64)
def _font(size: int, bold: bool, condensed: bool) -> QFont:
    font = QFont()
    font.setFamilies(CONDENSED_FAMILIES if condensed else FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPixelSize(size)
    font.setBold(bold)
    # Unhinted glyphs advance the same at every size, so layout matches print; without
    # kerning a text's width is the sum of its characters' (see Style.width).
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(False)
    return font


TITLE = Style(16, bold=True)
HEADING = Style(10, bold=True)
BODY = Style(8)
BODY_BOLD = Style(8, bold=True)
SMALL = Style(7, condensed=True)
SMALL_BOLD = Style(7, bold=True, condensed=True)
TINY = Style(6, condensed=True, color="#5b636e")


def count(n: int, noun: str) -> str:
    """'1 rack', '2 racks', '1,024 accelerators'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def elide(text: str, style: Style, width: float) -> str:
    if style.width(text) <= width:
        return text
    return style.metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)


def wrap(text: str, style: Style, width: float, max_lines: int = 2) -> list[str]:
    """Greedy word wrap at spaces; a word wider than a line breaks where it must.

    Lines past `max_lines` are folded into the last one, which is then elided, so a
    cell never grows past its row.
    """
    if style.width(text) <= width or max_lines <= 1:
        return [elide(text, style, width)]
    # A cable label names its two ends: break between them when each fits a line.
    first, arrow, second = text.partition(" ↔ ")
    if arrow and max_lines >= 2 and style.width(first + " ↔") <= width and style.width(second) <= width:
        return [first + " ↔", second]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if style.width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while style.width(current) > width and len(current) > 1:
            cut = _fit(current, style, width)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    lines[-1] = elide(lines[-1], style, width)
    return lines


def _fit(word: str, style: Style, width: float) -> int:
    """Where to cut `word` so its head fits `width`: after a '-', ':', '.' or '/' if one fits."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if style.width(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    joint = max(word.rfind(mark, 0, low) for mark in "-:./_")
    return joint + 1 if joint > 0 else low


def draw_text(painter: QPainter, style: Style, x: float, top: float, text: str, width: float | None = None) -> None:
    """One line of text whose box starts at (x, top); right-aligned in `width` when given."""
    painter.setFont(style.font)
    painter.setPen(style.qcolor)
    if width is not None:
        x += width - style.width(text)
    painter.drawText(QPointF(x, top + style.ascent), text)


def draw_centred(painter: QPainter, style: Style, centre_x: float, top: float, text: str) -> None:
    draw_text(painter, style, centre_x - style.width(text) / 2, top, text)

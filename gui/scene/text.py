"""Text in the drawings at a size a person can read, whatever the zoom.

Names and numbers are laid out in screen pixels inside the box their item gives them
(mapped from millimetres through the painter's transform): never larger than a label
should be, never spilling onto a neighbour, left out when there is no room to read them.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

MIN_PX = 7  # smaller text is noise: leave it out
WRAP = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap


def _font(pixels: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def screen_box(painter: QPainter, rect: QRectF) -> QRectF:
    """`rect` (scene units) as device pixels under the painter's current transform."""
    return painter.worldTransform().mapRect(rect)


def draw_fitted(
    painter: QPainter,
    rect: QRectF,
    text: str,
    color: QColor,
    align=Qt.AlignmentFlag.AlignCenter,
    max_px: int = 12,
    bold: bool = False,
    elide=Qt.TextElideMode.ElideRight,
) -> bool:
    """One line in `rect`: as tall as the box allows up to `max_px`, elided to its width; False if left out."""
    box = screen_box(painter, rect)
    pixels = min(max_px, int(box.height() * 0.8))
    if pixels < MIN_PX or box.width() < pixels:
        return False
    font = _font(pixels, bold)
    shown = QFontMetrics(font).elidedText(text, elide, int(box.width()))
    painter.save()
    painter.resetTransform()
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter), shown)
    painter.restore()
    return True


@lru_cache(maxsize=4096)
def label_fit(text: str, width: int, height: int, sizes: tuple[int, int]) -> tuple[int, bool] | None:
    """(pixel size, turned) of the largest wrapped layout of `text` fitting width x height; None if none."""
    turns = [True, False] if height > width else [False, True]
    for size in range(sizes[0], sizes[1] - 1, -1):
        metrics = QFontMetrics(_font(size))
        for turned in turns:
            room = QRect(0, 0, height, width) if turned else QRect(0, 0, width, height)
            needed = metrics.boundingRect(room, int(WRAP), text)
            if needed.width() <= room.width() and needed.height() <= room.height():
                return size, turned
    return None


def draw_label(painter: QPainter, rect: QRectF, text: str, color: QColor, sizes=(13, 8)) -> None:
    """A name in the middle of `rect`: wrapped across it, else along its long side, else elided.

    For a rack seen from above: a narrow rack's name reads along its depth rather than
    being cut to a few letters. Layouts are cached by box size: a hall repaints many racks.
    """
    box = screen_box(painter, rect).adjusted(2, 2, -2, -2)
    if box.width() < 12 or box.height() < 8:
        return
    box = QRectF(box.toRect())  # whole pixels: the cached layout fits the box it was measured for
    painter.save()
    painter.resetTransform()
    painter.setPen(color)
    fit = label_fit(text, int(box.width()), int(box.height()), tuple(sizes))
    if fit is None:
        font = _font(sizes[1])
        painter.setFont(font)
        shown = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideMiddle, int(box.width()))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), shown)
    else:
        size, turned = fit
        painter.setFont(_font(size))
        if turned:
            room = QRectF(0, 0, box.height(), box.width())
            painter.translate(box.center())
            painter.rotate(-90)
            painter.translate(-room.center())
            painter.drawText(room, int(WRAP), text)
        else:
            painter.drawText(box, int(WRAP), text)
    painter.restore()

"""Toolbar icons by name: the desktop's icon theme when it has one, else a drawn line icon.

The drawn icons keep the toolbar readable on a bare X server or a system without an
icon theme; an unknown name fails loudly (a KeyError) rather than showing a blank button.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

INK = QColor("#374151")
ACCENT = QColor("#2563eb")
SIZES = (16, 22, 24, 32, 48)


def _arrow(p: QPainter, mirrored: bool) -> None:
    path = QPainterPath(QPointF(8, 10))
    path.cubicTo(QPointF(13, 5), QPointF(22, 6), QPointF(23, 13))
    path.cubicTo(QPointF(24, 19), QPointF(19, 24), QPointF(12, 24))
    head = QPainterPath(QPointF(4, 4))
    head.lineTo(QPointF(5, 13))
    head.lineTo(QPointF(13, 11))
    if mirrored:
        p.translate(28, 0)
        p.scale(-1, 1)
    p.setPen(QPen(INK, 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.drawPath(path)
    p.setBrush(INK)
    p.drawPath(head)


def _magnifier(p: QPainter, sign: str) -> None:
    p.setPen(QPen(INK, 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawEllipse(QPointF(11.5, 11.5), 7.5, 7.5)
    p.setPen(QPen(INK, 3.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(17.5, 17.5), QPointF(24, 24))
    p.setPen(QPen(ACCENT, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(8, 11.5), QPointF(15, 11.5))
    if sign == "+":
        p.drawLine(QPointF(11.5, 8), QPointF(11.5, 15))


def _fit(p: QPainter) -> None:
    p.setPen(QPen(INK, 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    for sx, sy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
        cx, cy = 14 - sx * 10, 14 - sy * 10
        p.drawPolyline([QPointF(cx, cy + sy * 6), QPointF(cx, cy), QPointF(cx + sx * 6, cy)])
    p.setPen(QPen(ACCENT, 1.8))
    p.drawRect(QRectF(9, 9, 10, 10))


def _rack(p: QPainter) -> None:
    p.setPen(QPen(INK, 2))
    p.setBrush(QColor("#e5e7eb"))
    p.drawRect(QRectF(5, 3, 13, 22))
    p.setPen(QPen(INK, 1.2))
    for y in (8, 12, 16, 20):
        p.drawLine(QPointF(7.5, y), QPointF(15.5, y))
    p.setPen(QPen(ACCENT, 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(18, 21), QPointF(26, 21))
    p.drawLine(QPointF(22, 17), QPointF(22, 25))


def _delete(p: QPainter) -> None:
    p.setPen(QPen(QColor("#b42318"), 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(7, 7), QPointF(21, 21))
    p.drawLine(QPointF(21, 7), QPointF(7, 21))


def _printer(p: QPainter) -> None:
    p.setPen(QPen(INK, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.setBrush(QColor("#ffffff"))
    p.drawRect(QRectF(8, 3, 12, 8))
    p.setBrush(QColor("#e5e7eb"))
    p.drawRoundedRect(QRectF(3, 10, 22, 10), 2, 2)
    p.setBrush(QColor("#ffffff"))
    p.drawRect(QRectF(8, 16, 12, 9))


# name: (freedesktop icon theme name, drawing on a 28 x 28 canvas)
DRAWN: dict[str, tuple[str, Callable[[QPainter], None]]] = {
    "undo": ("edit-undo", lambda p: _arrow(p, mirrored=False)),
    "redo": ("edit-redo", lambda p: _arrow(p, mirrored=True)),
    "zoom-in": ("zoom-in", lambda p: _magnifier(p, "+")),
    "zoom-out": ("zoom-out", lambda p: _magnifier(p, "-")),
    "fit": ("zoom-fit-best", _fit),
    "add-rack": ("list-add", _rack),
    "delete": ("edit-delete", _delete),
    "print": ("document-print", _printer),
}


def drawn_icon(name: str) -> QIcon:
    _theme, draw = DRAWN[name]
    icon = QIcon()
    for size in SIZES:
        for mode, alpha in ((QIcon.Mode.Normal, 1.0), (QIcon.Mode.Disabled, 0.35)):
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setOpacity(alpha)
            painter.scale(size / 28, size / 28)
            draw(painter)
            painter.end()
            icon.addPixmap(pixmap, mode)
    return icon


def icon(name: str) -> QIcon:
    """The icon called `name` (a key of DRAWN): the theme's if it has one, else drawn here."""
    theme, _draw = DRAWN[name]
    if QIcon.hasThemeIcon(theme):
        return QIcon.fromTheme(theme)
    return drawn_icon(name)

"""A page of the report's text layer: the few QPainter calls the text pages make (the cable
schedule, the tables, the rack pages' elevations and lists, the label sheets, the running
header and the title block), written as one PDF content stream.

Qt's PDF writer sets every glyph as its own positioned text operation; here a line of text
is one run (`Tm <glyphs> Tj`, a block's lines `T*` apart) in a font embedded by
gui/report/pdf_fonts.py, whose widths are Qt's advances, so each glyph lands where Qt would
set it. Text in a rectangle is laid out as Qt lays it out: lines at a whole-unit pitch (the
ceiling of ascent + descent) from the top, right-aligned by their width, wrapped (only when
too wide) where QTextLayout wraps them (PdfFont.wrap). Lines and rectangles are path
operators with Qt's default caps and joins.

A call this canvas does not know, a pen or brush it does not draw (a gradient, a
translucent colour) or a character the font cannot set raises `NotInFace`: the page is
then drawn by Qt (gui/printing.py).
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen, QTextOption

from gui.report.pdf_fonts import FontSet, NotInFace, PdfFont

_TEXT_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop) | int(
    Qt.TextFlag.TextDontClip
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight)
_DONT_CLIP = int(Qt.TextFlag.TextDontClip)


_COLOURS: dict[int, str] = {}  # QColor.rgba() -> its PDF operands (a report has a few dozen)


def _colour(color: QColor) -> str:
    rgba = color.rgba()
    found = _COLOURS.get(rgba)
    if found is None:
        if color.alpha() != 255:
            raise NotInFace("a translucent colour")
        found = _COLOURS[rgba] = f"{color.redF():.4f} {color.greenF():.4f} {color.blueF():.4f}"
    return found


_PENS: dict[tuple, tuple[str, float, str]] = {}  # a QPen's colour, width, style, caps, joins -> its stroke


class PdfCanvas:
    """Records what a page paints (units: points from the printable area's top-left, y down)
    as PDF operators; `stream()` gives them, to be written under a CTM mapping those units."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.ops: list[str] = ["2 J 2 j\n"]  # Qt's default pen: square caps, bevel joins
        self.used: set[str] = set()  # resource names of the fonts drawn with
        self._pen: tuple[str, float, str] | None = ("0.0000 0.0000 0.0000", 1.0, "")
        self._brush: str | None = None
        self._qfont: QFont | None = None
        self._stack: list[tuple] = []
        # What the stream has set so far (PDF's initial state), so nothing is set twice.
        self._fill, self._stroke, self._line = "0.0000 0.0000 0.0000", "0.0000 0.0000 0.0000", (1.0, "")
        self._text = False  # inside BT ... ET
        self._tf: tuple[str, int] | None = None
        self._option: QTextOption | None = None
        self._pens = _PENS

    def __getattr__(self, name: str) -> Any:
        raise NotInFace(f"QPainter.{name}")

    def stream(self) -> bytes:
        """The page's content stream (uncompressed)."""
        self._end_text()
        return "".join(self.ops).encode("ascii")

    # ---- state ------------------------------------------------------------------------------
    def save(self) -> None:
        self._stack.append((self._pen, self._brush, self._qfont))

    def restore(self) -> None:
        self._pen, self._brush, self._qfont = self._stack.pop()

    def setPen(self, pen: QPen | QColor | Qt.PenStyle) -> None:
        if isinstance(pen, QColor):
            self._pen = (_colour(pen), 1.0, "")
        elif isinstance(pen, Qt.PenStyle):
            self._pen = None if pen == Qt.PenStyle.NoPen else self._styled("0.0000 0.0000 0.0000", 1.0, pen, [])
        elif pen.style() == Qt.PenStyle.NoPen:
            self._pen = None
        else:
            key = (pen.color().rgba(), pen.widthF(), pen.style(), pen.capStyle(), pen.joinStyle())
            found = self._pens.get(key)
            if found is None:
                if pen.brush().style() != Qt.BrushStyle.SolidPattern:
                    raise NotInFace("a patterned pen")
                if pen.capStyle() != Qt.PenCapStyle.SquareCap or pen.joinStyle() != Qt.PenJoinStyle.BevelJoin:
                    raise NotInFace("a pen with other caps or joins than Qt's default")
                style = self._styled(_colour(pen.color()), pen.widthF(), pen.style(), pen.dashPattern())
                found = self._pens[key] = style
            self._pen = found

    @staticmethod
    def _styled(colour: str, width: float, style: Qt.PenStyle, pattern: list[float]) -> tuple[str, float, str]:
        if style == Qt.PenStyle.SolidLine:
            return (colour, width, "")
        if style not in (Qt.PenStyle.DashLine, Qt.PenStyle.DotLine):
            raise NotInFace(f"a {style.name} pen")
        unit = width or 1.0  # Qt's dashes are in pen widths
        return (colour, width, " ".join(f"{v * unit:.4f}" for v in pattern))

    def setBrush(self, brush: QBrush | QColor | Qt.BrushStyle) -> None:
        if isinstance(brush, QColor):
            self._brush = _colour(brush)
        elif isinstance(brush, Qt.BrushStyle):
            if brush != Qt.BrushStyle.NoBrush:
                raise NotInFace("a brush style without a colour")
            self._brush = None
        elif brush.style() == Qt.BrushStyle.NoBrush:
            self._brush = None
        elif brush.style() == Qt.BrushStyle.SolidPattern:
            self._brush = _colour(brush.color())
        else:
            raise NotInFace("a patterned brush")

    def setFont(self, font: QFont) -> None:
        self._qfont = font

    # ---- paths ------------------------------------------------------------------------------
    def _set_fill(self, colour: str) -> None:
        if colour != self._fill:
            self.ops.append(f"{colour} rg\n")
            self._fill = colour

    def _set_stroke(self) -> None:
        assert self._pen is not None
        colour, width, dash = self._pen
        if colour != self._stroke:
            self.ops.append(f"{colour} RG\n")
            self._stroke = colour
        if (width, dash) != self._line:
            self.ops.append(f"{width:.4f} w [{dash}] 0 d\n")
            self._line = (width, dash)

    def _end_text(self) -> None:
        if self._text:
            self.ops.append("ET\n")
            self._text = False

    def _paint(self, path: str, fill: bool = True, stroke: bool = True) -> None:
        self._end_text()
        brush = self._brush if fill else None
        pen = self._pen if stroke else None
        if brush is None and pen is None:
            return
        if brush is not None:
            self._set_fill(brush)
        if pen is not None:
            self._set_stroke()
        self.ops.append(path + (" B\n" if brush and pen else " f\n" if brush else " S\n"))

    @staticmethod
    def _rect(r: QRectF) -> str:
        x, y, w, h = cast(tuple[float, float, float, float], r.getRect())  # one call for four: a third faster
        return f"{x:.3f} {y:.3f} {w:.3f} {h:.3f} re"

    def fillRect(self, rect: QRectF, color: QColor) -> None:
        if not isinstance(color, QColor):
            raise NotInFace("fillRect without a colour")
        self._end_text()
        self._set_fill(_colour(color))
        self.ops.append(self._rect(rect) + " f\n")

    def drawRect(self, rect: QRectF) -> None:
        self._paint(self._rect(rect))

    def drawRects(self, rects: list[QRectF]) -> None:
        if rects:
            self._paint("\n".join(map(self._rect, rects)))

    def drawLine(self, a: QPointF | QLineF, b: QPointF | None = None) -> None:
        self.drawLines([a if isinstance(a, QLineF) else QLineF(a, QPointF(b) if b is not None else a)])

    def drawLines(self, lines: list[QLineF]) -> None:
        if lines:
            path = "\n".join(["%.3f %.3f m %.3f %.3f l" % k.toTuple() for k in lines])  # noqa: UP031
            self._paint(path, fill=False)

    # ---- text -------------------------------------------------------------------------------
    def _font(self) -> PdfFont:
        if self._qfont is None:
            raise NotInFace("text without a font")
        return self.fonts.font(self._qfont)

    def _begin_text(self, font: PdfFont) -> None:
        assert self._pen is not None
        if not self._text:
            self.ops.append("BT\n")
            self._text = True
        self._set_fill(self._pen[0])
        if self._tf != (font.name, font.size):
            self.ops.append(f"/{font.name} {font.size} Tf\n")
            self._tf = (font.name, font.size)
            self.used.add(font.name)

    def drawText(self, where: QPointF | QRectF, *args: Any) -> None:
        if isinstance(where, QPointF) and len(args) == 1:
            text = args[0]
            if "\n" in text:
                raise NotInFace("a line break in a line of text")
            font = self._font()
            glyphs = font.encode(text)
            if text and self._pen is not None:  # Qt draws text with the pen: none, no text
                self._begin_text(font)
                self.ops.append(f"1 0 0 -1 {where.x():.3f} {where.y():.3f} Tm <{glyphs}> Tj\n")
        elif isinstance(where, QRectF) and len(args) == 2 and isinstance(args[0], int):
            flags, text = args
            if flags & ~_TEXT_FLAGS or not flags & _DONT_CLIP:  # without TextDontClip Qt clips it to `where`
                raise NotInFace(f"text flags {flags:#x}")
            if flags & _RIGHT:
                self._right(self._font(), where, text)
            else:
                self._left(self._font(), where, text)
        elif isinstance(where, QRectF) and len(args) == 2 and isinstance(args[1], QTextOption):
            text, option = args
            if option is not self._option:  # a label sheet passes the same option each time
                if int(option.alignment()) & ~int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop):
                    raise NotInFace("aligned wrapped text")
                if option.wrapMode() != QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere:
                    raise NotInFace(f"text wrapped {option.wrapMode().name}")
                self._option = option
            font, width = self._font(), where.width()
            lines: list[str] = []
            wrapped = False
            for paragraph in text.split("\n"):
                broken = font.wrap(paragraph, width)
                wrapped = wrapped or len(broken) > 1
                lines += broken
            # Qt clips text drawn with a QTextOption to its rectangle (a label's box): lines
            # below it are not drawn. A block taller than its box goes to Qt, not over the next label.
            if where.top() + font.first_line + (len(lines) - 1) * font.pitch + font.descent > where.bottom():
                raise NotInFace("wrapped text taller than its box (Qt clips it)")
            self._left(font, where, "\n".join(lines) if wrapped else text)
        else:
            raise NotInFace("a drawText form the text layer does not draw")

    # QPainter's formatted text starts each line at the next whole unit below the last, so the
    # lines of a block are a whole-unit pitch apart (PdfFont.pitch), the first an ascent down.
    def _left(self, font: PdfFont, rect: QRectF, text: str) -> None:
        """Lines (split at line breaks) left-aligned from the top of `rect`, a text run each."""
        glyphs = font.encode_lines(text)
        if self._pen is None:
            return
        self._begin_text(font)
        top = rect.top() + font.first_line
        self.ops.append(f"1 0 0 -1 {rect.left():.3f} {top:.3f} Tm {font.pitch} TL <")
        self.ops.append("> Tj T* <".join(glyphs))
        self.ops.append("> Tj\n")

    def _right(self, font: PdfFont, rect: QRectF, text: str) -> None:
        """Lines (split at line breaks) right-aligned in `rect` from its top, a text run each."""
        glyphs = font.encode_lines(text)
        if self._pen is None:
            return
        lines = text.split("\n")
        self._begin_text(font)
        top = rect.top() + font.first_line
        x0 = rect.right()
        xs = [x0 - font.width(line) for line in lines]
        self.ops.append(f"1 0 0 -1 {xs[0]:.3f} {top:.3f} Tm <{glyphs[0]}> Tj\n")
        down = -font.pitch
        self.ops += [f"{x - last:.3f} {down} Td <{g}> Tj\n" for last, x, g in zip(xs, xs[1:], glyphs[1:])]

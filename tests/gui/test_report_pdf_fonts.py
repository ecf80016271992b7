"""The PDF text layer's fonts (gui/report/pdf_fonts.py) against names a user may type."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt

from gui.report import SMALL
from gui.report.pdf_canvas import PdfCanvas
from gui.report.pdf_fonts import FontSet, NotInFace

_LEFT = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextDontClip)  # as the report's tables draw
_RIGHT = int(Qt.AlignmentFlag.AlignRight) | int(Qt.TextFlag.TextDontClip)


def small_canvas(fonts: FontSet | None = None) -> PdfCanvas:
    """A page's canvas drawing in the report's small text style (in `fonts`, else a FontSet of its own)."""
    canvas = PdfCanvas(fonts if fonts is not None else FontSet())
    canvas.setFont(SMALL.font)
    canvas.setPen(SMALL.qcolor)
    return canvas


def test_the_report_font_has_ligatures_to_stand_in_for(qapp):
    # What the next test relies on: DejaVu Sans sets "ffi" as one glyph, written as one
    # private-use code (U+E000 and up) in the text run.
    font = FontSet().font(SMALL.font)
    assert font.face.ligatures
    assert any(0xE000 <= int(code, 16) < 0xF900 for code in _codes(font.encode("office")))


@pytest.mark.parametrize("name", ["Priv\ue000ate", "\ue001", "office \ue002 fi"])
def test_a_private_use_character_in_a_name_is_not_set_as_a_ligature(qapp, name):
    # A rack named "Priv\ue000ate" came out of the text layer as "Privffate" (the code the
    # layer gives "ff"); Qt does not draw it so, so the page must go to Qt.
    canvas = small_canvas()
    canvas.drawText(QPointF(0, 10), "office affluent")  # ligatures set: the text layer draws them
    canvas.drawText(QRectF(0, 30, 400, 20), _LEFT, "office")
    canvas.drawText(QRectF(0, 60, 400, 20), _RIGHT, "office")
    with pytest.raises(NotInFace):
        canvas.drawText(QPointF(0, 20), name)
    with pytest.raises(NotInFace):
        canvas.drawText(QRectF(0, 30, 400, 20), _LEFT, name)
    with pytest.raises(NotInFace):
        canvas.drawText(QRectF(0, 60, 400, 20), _RIGHT, name)


def _codes(hexed: str) -> list[str]:
    return [hexed[i : i + 4] for i in range(0, len(hexed), 4)]

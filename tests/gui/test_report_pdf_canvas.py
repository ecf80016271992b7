"""The PDF text layer's canvas (gui/report/pdf_canvas.py): it draws what Qt would, or refuses."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QTextOption

from gui.printing import ReportOptions, write_report_pdf
from gui.report.pdf_fonts import NotInFace
from model.analysis import Analysis
from tests.gui.test_printing import DAY, page_texts, sample
from tests.gui.test_report_pdf_fonts import small_canvas
from tests.gui.test_report_pdf_text import qt_pdf

_WRAP = QTextOption()
_WRAP.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)


def test_wrapped_text_taller_than_its_box_goes_to_qt(qapp):
    # Qt clips text drawn with a QTextOption (a cable label) to its box; the text layer drew
    # every line, the ones below the box over the next label on the sheet.
    canvas = small_canvas()
    box = QRectF(10, 10, 120, 40)
    canvas.drawText(box, "C00001\nthis end R1 U3", _WRAP)  # fits: drawn here
    with pytest.raises(NotInFace):
        canvas.drawText(box, "C00002\n" + "a long rack name " * 12, _WRAP)


def test_text_qt_would_clip_to_its_rectangle_goes_to_qt(qapp):
    # The tables pass TextDontClip; without it Qt clips the text to the rectangle.
    canvas = small_canvas()
    left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    canvas.drawText(QRectF(0, 0, 20, 10), left | int(Qt.TextFlag.TextDontClip), "wider than 20 pt")
    with pytest.raises(NotInFace):
        canvas.drawText(QRectF(0, 0, 20, 10), left, "wider than 20 pt")


def test_a_label_too_long_for_its_box_prints_as_qt_prints_it(qapp, tmp_path):
    document, _ = sample()
    cable = next(iter(document.site.cables))
    long_label = " ".join(f"word{k}" for k in range(30))  # ~8 lines on a label 2 or 3 hold
    document.update_cable(cable.id, label=long_label)
    result = Analysis(document).result
    options = ReportOptions(date=DAY)
    write_report_pdf(result, tmp_path / "ours.pdf", options)
    qt_pdf(result, tmp_path / "qt.pdf", options)
    ours, qt = page_texts(tmp_path / "ours.pdf"), page_texts(tmp_path / "qt.pdf")
    assert len(ours) == len(qt)
    label_pages = [n for n, text in enumerate(qt) if "this end" in text and "far end" in text]
    assert label_pages and "word0" in " ".join(qt[n] for n in label_pages)
    for n in label_pages:  # the lines Qt leaves out below a label's box are left out here too
        assert sorted(unicodedata.normalize("NFKC", ours[n]).split()) == sorted(
            unicodedata.normalize("NFKC", qt[n]).split()
        ), f"page {n + 1}"

"""Cable labels on label stock: the sheets' figures, each label where the sheet's maker puts
it (read back from the PDF with pdftotext -bbox), both ends whole, and File → Print Labels…
driven through its dialog."""

from __future__ import annotations

import re
import subprocess

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.label_print import LabelSheetDialog
from gui.report.label_sheets import MM, label_pages, label_sheets, paper_size, sheet_by_id, write_labels_pdf
from model.analysis import Analysis
from model.document import Document
from model.topologies import build_sample
from tests.gui.test_printing import page_count, page_texts, poppler


def test_every_sheet_fits_its_paper_and_names_a_source():
    assert {"plain-a4", "avery-l7160", "avery-5160"} <= {s.id for s in label_sheets()}
    for sheet in label_sheets():
        paper = paper_size(sheet)
        last = sheet.cell(sheet.per_sheet - 1)
        assert last.right() <= paper.width() + 0.01 and last.bottom() <= paper.height() + 0.01, sheet.id
        assert sheet.pitch_x_mm >= sheet.label_w_mm and sheet.pitch_y_mm >= sheet.label_h_mm, sheet.id
        assert len(sheet.source) > 20, sheet.id
    with pytest.raises(KeyError, match="no label sheet 'x'"):
        sheet_by_id("x")


def test_both_ends_of_each_cable_follow_each_other():
    sheet = sheet_by_id("avery-l7160")
    pages = label_pages([("c1",), ("c2",)] * 11, sheet)  # 22 cables, 44 labels, 21 a sheet
    assert [len(p) for p in pages] == [21, 21, 2]
    assert pages[0][:3] == [(0, 0, "A"), (1, 0, "B"), (2, 1, "A")]


def words(pdf, page: int) -> list[tuple[float, float, str]]:
    """(x, y) in points and text of each word on `page`, from pdftotext -bbox."""
    html = subprocess.run(
        [poppler("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    return [(float(x), float(y), text) for x, y, text in found]


def test_labels_land_on_the_avery_l7160_labels(qapp, tmp_path):
    result = Analysis(Document(build_sample("trn2-ultra64"))).result
    sheet = sheet_by_id("avery-l7160")
    pdf = tmp_path / "labels.pdf"
    pages = write_labels_pdf(result, sheet, pdf)
    assert pages == page_count(pdf) == -(-2 * len(result.cable_ids) // 21)
    first = words(pdf, 1)
    # the first cable id starts on the first label: 7.25 mm from the left, 15.15 mm from the top (+ stripe and pad)
    x, y, text = first[0]
    assert text == result.cable_ids[0]
    assert 7.25 * MM < x < 7.25 * MM + 12 and 15.15 * MM < y < 15.15 * MM + 10
    second = [w for w in first if w[2] == result.cable_ids[0]][1]  # end B, on the next label across
    assert abs(second[0] - x - 66.0 * MM) < 1
    text = page_texts(pdf)[0]
    c = result.cable(0)
    assert f"{c.id} this end {c.a_end.text} far end {c.b_end.text}" in text
    assert f"{c.id} this end {c.b_end.text} far end {c.a_end.text}" in text
    assert "…" not in text


def test_print_labels_through_the_dialog(qtbot, window, small_context, tmp_path):
    window.reports.ask_save_path = lambda caption, file_filter, suggested: tmp_path / suggested

    def choose() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, LabelSheetDialog) and w.isVisible())
        index = dialog.sheet_combo.findData("avery-5160")
        dialog.sheet_combo.setCurrentIndex(index)
        assert "2 cables: 4 labels" in dialog.summary.text() and "1 Letter sheet of 30" in dialog.summary.text()
        assert "glabels" in dialog.source.text()
        QTest.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))

    QTimer.singleShot(0, choose)
    assert window.reports.print_labels_action in window.menuBar().actions()[0].menu().actions()
    window.reports.print_labels_action.trigger()
    pdf = tmp_path / "Small-labels.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert "Cable labels on 1 sheet of Avery 5160" in window.statusBar().currentMessage()
    info = subprocess.run([poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts (letter)" in info


def test_print_labels_to_a_printer(window, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    window.reports.ask_label_sheet = lambda cables: (sheet_by_id("avery-l7160"), "print")

    def accept(printer) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed-labels.pdf"))
        return True

    window.reports.run_print_dialog = lambda printer: False  # Cancel: nothing is printed
    assert window.reports.print_labels() is False and not (tmp_path / "printed-labels.pdf").exists()
    window.reports.run_print_dialog = accept
    assert window.reports.print_labels()
    pdf = tmp_path / "printed-labels.pdf"
    info = subprocess.run([poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info or "595 x 842 pts (A4)" in info
    assert "C1 this end R1 U5 T1:c0.n1 far end R1 U9 T2:c0.n1" in page_texts(pdf)[0]

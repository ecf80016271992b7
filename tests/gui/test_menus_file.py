"""File ▸ Print Preview on the window: a long report asks first (Export PDF…, Preview Anyway,
Cancel), a short one opens the preview at once, and the preview is deleted once it closes."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QMessageBox

from gui import menus_file


def answer_question(button: str, asked: list[str]) -> None:
    """Once the question is up, notes its text in `asked` and clicks the button named `button`."""

    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, act)
            return
        asked.append(f"{box.text()} {box.informativeText()}")
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, act)


def close_preview_when_shown(previews: list[QPrintPreviewDialog], deleted: list[bool]) -> None:
    """Once the print preview is up, notes it, watches for its deletion and closes it."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintPreviewDialog):
            QTimer.singleShot(10, act)
            return
        previews.append(dialog)
        dialog.destroyed.connect(lambda: deleted.append(True))
        dialog.reject()

    QTimer.singleShot(0, act)


def pages_of(window) -> int:
    from gui.printing import ReportDocument, make_printer, printable_size

    return ReportDocument(window.context.result, printable_size(make_printer())).page_count


def test_a_short_report_opens_the_preview_without_asking(window, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(window.reports, "ask_large_preview", lambda pages: asked.append(str(pages)) or "cancel")
    previews: list[QPrintPreviewDialog] = []
    deleted: list[bool] = []
    close_preview_when_shown(previews, deleted)
    assert window.reports.print_preview() == "preview"
    assert len(previews) == 1 and not asked


def test_the_preview_is_deleted_once_closed(window):
    previews: list[QPrintPreviewDialog] = []
    deleted: list[bool] = []
    close_preview_when_shown(previews, deleted)
    window.reports.print_preview()
    # At once, not left to the event loop: its pages are freed before the heap is trimmed.
    assert deleted == [True]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QPrintPreviewDialog)]


def test_a_long_report_asks_first_and_cancel_draws_nothing(window, monkeypatch):
    pages = pages_of(window)
    monkeypatch.setattr(menus_file, "PREVIEW_MAX_PAGES", pages - 1)
    shown: list[object] = []
    monkeypatch.setattr(window.reports, "run_preview", shown.append)
    asked: list[str] = []
    answer_question("Cancel", asked)
    assert window.reports.print_preview() == "cancel"
    assert len(asked) == 1 and f"{pages:,} pages" in asked[0]
    assert "draws every page" in asked[0] and "memory" in asked[0]
    assert not shown


def test_preview_anyway_opens_the_preview(window, monkeypatch):
    monkeypatch.setattr(menus_file, "PREVIEW_MAX_PAGES", pages_of(window) - 1)
    asked: list[str] = []
    answer_question("Preview Anyway", asked)
    previews: list[QPrintPreviewDialog] = []
    deleted: list[bool] = []
    close_preview_when_shown(previews, deleted)
    assert window.reports.print_preview() == "preview"
    assert len(asked) == 1 and len(previews) == 1 and deleted == [True]


def test_export_pdf_runs_the_export_pdf_action_instead(window, monkeypatch, tmp_path):
    monkeypatch.setattr(menus_file, "PREVIEW_MAX_PAGES", pages_of(window) - 1)
    shown: list[object] = []
    monkeypatch.setattr(window.reports, "run_preview", shown.append)
    captions: list[str] = []

    def save_as(caption: str, file_filter: str, suggested: str):
        captions.append(caption)
        return tmp_path / suggested

    window.reports.ask_save_path = save_as
    asked: list[str] = []
    answer_question("Export PDF…", asked)
    assert window.reports.print_preview() == "pdf"
    assert len(asked) == 1 and not shown
    assert captions == ["Export cabling report as PDF"]
    assert (tmp_path / "Small-report.pdf").read_bytes().startswith(b"%PDF")
    assert "Exported the cabling report" in window.statusBar().currentMessage()


def test_a_report_that_cannot_be_laid_out_says_why_in_a_dialog(window, monkeypatch, tmp_path):
    """The layout runs on the worker before the preview or the PDF: a refusal there is shown
    like any other (a dialog naming it), never a traceback, and nothing is written."""
    from gui import printing
    from model.errors import RackDesignerError

    def refuse(*_args, **_kwargs):
        raise RackDesignerError("the report's font has no glyphs")

    monkeypatch.setattr(printing, "report_for_preview", refuse)
    monkeypatch.setattr(printing, "report_for_pdf", refuse)
    errors: list[tuple[str, str]] = []
    window.reports.show_error = lambda title, message: errors.append((title, message))
    window.reports.ask_save_path = lambda *_args: tmp_path / "r.pdf"
    assert window.reports.print_preview() == "cancel"
    assert window.reports.export_pdf() is False
    assert errors == [
        ("Print preview failed", "the report's font has no glyphs"),
        ("Export failed", "the report's font has no glyphs"),
    ]
    assert not (tmp_path / "r.pdf").exists()

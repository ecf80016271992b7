"""The print preview of the cabling report, in a module of its own so that QtPrintSupport
is loaded only when a preview opens (the PDF report needs only QtGui's QPdfWriter)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from gui.printing import ReportDocument


class ReportPreviewDialog(QPrintPreviewDialog):
    """A print preview that draws `document` on `printer` and keeps both alive while it is open."""

    def __init__(self, printer: QPrinter, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(printer, parent)
        self.report_printer = printer
        self.report_document = document
        self.paintRequested.connect(document.render)

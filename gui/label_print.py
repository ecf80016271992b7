"""File → Print Labels…: the cable labels on a label sheet chosen from resources/label_sheets.yaml,
saved as a PDF or sent to a printer (gui/report/label_sheets.py draws them)."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QVBoxLayout

from gui.report.label_sheets import LabelSheet, label_sheets


class LabelSheetDialog(QDialog):
    """Which label sheet; then Save as PDF… or Print…. `action` is 'pdf' or 'print' once accepted."""

    def __init__(self, cables: int, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print cable labels")
        self.cables = cables
        self.action = ""
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.sheet_combo = QComboBox()
        for sheet in label_sheets():
            self.sheet_combo.addItem(sheet.name, sheet.id)
        form.addRow("Label sheet", self.sheet_combo)
        layout.addLayout(form)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color: palette(mid)")
        layout.addWidget(self.source)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.pdf_button = QPushButton("Save as PDF…")
        self.print_button = QPushButton("Print…")
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.pdf_button.clicked.connect(lambda: self._choose("pdf"))
        self.print_button.clicked.connect(lambda: self._choose("print"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.sheet_combo.currentIndexChanged.connect(self._update)
        self._update()

    def sheet(self) -> LabelSheet:
        """The chosen sheet."""
        return label_sheets()[self.sheet_combo.currentIndex()]

    def _choose(self, action: str) -> None:
        self.action = action
        self.accept()

    def _update(self) -> None:
        sheet = self.sheet()
        labels = 2 * self.cables
        pages = math.ceil(labels / sheet.per_sheet)
        self.summary.setText(
            f"{self.cables:,} cables: {labels:,} labels, two per cable (this end, then the far end), "
            f"on {pages:,} {sheet.paper} sheet{'' if pages == 1 else 's'} of {sheet.per_sheet} "
            f"({sheet.label_w_mm:g} × {sheet.label_h_mm:g} mm). Print at 100 % (no fit to page)."
        )
        self.source.setText(f"Sheet figures: {sheet.source}")

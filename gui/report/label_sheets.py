"""Cable labels on label stock: the sheets of resources/label_sheets.yaml, each label at the
place the sheet's maker gives (mm from the paper's top-left), written as a PDF or printed.

Two labels per cable (gui/report/labels.py, TIA-606-C: this end first, then the far end),
one after the other, left to right and top to bottom; no running header or title block,
so each label lands on its die-cut label.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from gui.report.labels import paint_label
from gui.report.tables import cable_rows
from model.errors import FileFormatError
from model.resources import load_yaml, resource_path

MM = 72.0 / 25.4  # points per mm
PAPERS = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}


@dataclass(frozen=True)
class LabelSheet:
    """A sheet of labels: its paper, each label's size, the grid and its origin and pitch (mm)."""

    id: str
    name: str
    paper: str
    label_w_mm: float
    label_h_mm: float
    columns: int
    rows: int
    left_mm: float
    top_mm: float
    pitch_x_mm: float
    pitch_y_mm: float
    source: str

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def cell(self, slot: int) -> QRectF:
        """The label at `slot` (0 = top-left, across then down) in points from the paper's corner."""
        column, row = slot % self.columns, slot // self.columns
        x = (self.left_mm + column * self.pitch_x_mm) * MM
        y = (self.top_mm + row * self.pitch_y_mm) * MM
        return QRectF(x, y, self.label_w_mm * MM, self.label_h_mm * MM)


@cache
def label_sheets() -> tuple[LabelSheet, ...]:
    """Every sheet of resources/label_sheets.yaml, in its order."""
    return tuple(LabelSheet(**entry) for entry in load_yaml(resource_path("label_sheets.yaml"))["sheets"])


def sheet_by_id(sheet_id: str) -> LabelSheet:
    """The sheet called `sheet_id`; raises KeyError naming the sheets there are."""
    for sheet in label_sheets():
        if sheet.id == sheet_id:
            return sheet
    raise KeyError(f"no label sheet {sheet_id!r}: {', '.join(s.id for s in label_sheets())}")


def label_pages(rows: Sequence[Sequence[str]], sheet: LabelSheet) -> list[list[tuple[int, int, str]]]:
    """Per page, its labels as (slot, cable row, end 'A' or 'B'): both ends of every cable in order."""
    ends = [(cable, end) for cable in range(len(rows)) for end in ("A", "B")]
    per = sheet.per_sheet
    return [
        [(k, cable, end) for k, (cable, end) in enumerate(ends[start : start + per])]
        for start in range(0, len(ends), per)
    ]


def render_labels(result, sheet: LabelSheet, device: QPagedPaintDevice) -> int:
    """Paints every cable's two labels of `result` on `device` (paper and margins already set to
    the sheet); returns the number of pages."""
    rows, _ = cable_rows(result)
    pages = label_pages(rows, sheet)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError(errno.EIO, "cannot draw on the printer or PDF file")
    paper = device.pageLayout().fullRect(QPageLayout.Unit.Point)
    scale = device.width() / paper.width()
    try:
        for n, labels in enumerate(pages):
            if n and not device.newPage():
                raise OSError(errno.EIO, "the printer refused a new page")
            painter.save()
            painter.scale(scale, scale)
            for slot, cable, end in labels:
                paint_label(painter, sheet.cell(slot), rows[cable], end, outline=sheet.id.startswith("plain"))
            painter.restore()
    finally:
        painter.end()
    return len(pages)


def prepare(device: QPagedPaintDevice, sheet: LabelSheet) -> None:
    """The sheet's paper, portrait, with no margins: labels are placed from the paper's corner."""
    device.setPageSize(QPageSize(PAPERS[sheet.paper]))
    device.setPageOrientation(QPageLayout.Orientation.Portrait)
    device.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def write_labels_pdf(result, sheet: LabelSheet, path: Path) -> int:
    """Every cable's labels on `sheet` as a PDF at `path`, written atomically; returns the pages.
    Raises FileFormatError naming the file and the cause."""
    from gui.printing import ensure_gui_application, write_output

    ensure_gui_application()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(300)
    prepare(writer, sheet)
    writer.setTitle(f"{result.layout_name} — cable labels on {sheet.name}")
    writer.setCreator("Rack Designer")
    try:
        pages = render_labels(result, sheet, writer)
    except OSError as exc:
        raise FileFormatError(f"cannot write {path}: {exc.strerror or exc}", whole_file=True) from None
    del writer
    write_output(path, bytes(buffer.data().data()))
    return pages


def paper_size(sheet: LabelSheet) -> QSizeF:
    """The sheet's paper in points."""
    return QPageSize(PAPERS[sheet.paper]).size(QPageSize.Unit.Point)

"""The cabling report on paper: a PDF file, a printer, the print preview.

`ReportDocument` lays the report out once for a printable area (in points) and paints
any page on request, so the PDF writer, a printer and QPrintPreviewDialog share one
layout. What goes on which page is decided in gui.report.pages; the tables, labels,
charts and rack elevations each have their own module under gui/report/.

A printer and the preview get every page from Qt. The PDF file (write_report_pdf: the CLI's
`report --pdf`, File ▸ Export Report as PDF) takes the text pages (the schedule, the tables,
the rack pages, the label sheets) from the report's own text layer, which writes a line of text as one run
where Qt writes a positioned operation per glyph, and the drawings from Qt; the same paint
code draws both, so the pages are the same (tests/gui/test_report_pdf_text.py).
"""

from __future__ import annotations

import datetime
import errno
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PySide6.QtCore import QBuffer, QFile, QFileDevice, QIODevice, QMarginsF, QPointF, QRectF, QSizeF
from PySide6.QtGui import QGuiApplication, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from gui.report import BODY_BOLD, RULE, SMALL, draw_text, elide
from gui.report.labels import LabelPage
from gui.report.pages import TablePage, build_pages, layout_document
from gui.report.pdf_file import PdfFormatError, TextLayer, write_pdf
from gui.report.pdf_parallel import paint_text_pages
from gui.report.title_block import HEIGHT as TITLE_BLOCK_H
from gui.report.title_block import TitleBlock, TitleBlockPainter
from model.errors import FileFormatError
from model.io.atomic import atomic_write, check_target, write_bytes_atomic

MARGIN_MM = 12.0
HEADER_H = 20.0  # points: layout name and section above a rule
FOOTER_H = TITLE_BLOCK_H + 6  # points: the title block (gui/report/title_block.py) below the body
PDF_RESOLUTION = 300  # dpi of the PDF's coordinates; the PDF itself is vector
LARGE_LAYOUT_CABLES = 50_000  # past this, the default report lists one page of a rack's cables

# Called after each page with (pages done, pages in all); returning False cancels.
Progress = Callable[[int, int], "bool | None"]


class ReportCancelled(Exception):
    """The user stopped printing (the progress callback returned False)."""


@dataclass(frozen=True)
class ReportOptions:
    # Pages per rack (its elevation page plus continued cable lists). A spine rack of a
    # large pod ends a thousand cables; the schedule lists every cable whatever this is.
    max_rack_pages: int = 4
    labels: bool = True
    date: datetime.date | None = None

    @classmethod
    def for_layout(cls, result, **chosen) -> ReportOptions:
        """Everything up to LARGE_LAYOUT_CABLES cables; past that, one page per rack.

        The schedule lists every cable and the labels are all there whatever the size; a
        rack's own list is cut to its first page past LARGE_LAYOUT_CABLES (a spine rack ends
        thousands of cables), and the rack page says so.
        """
        if len(result.cable_ids) > LARGE_LAYOUT_CABLES:
            chosen = {"max_rack_pages": 1, **chosen}
        return cls(**chosen)


def a4_printable_size() -> QSizeF:
    """A4 portrait less the default margins, in points."""
    mm = 72.0 / 25.4
    return QSizeF((210.0 - 2 * MARGIN_MM) * mm, (297.0 - 2 * MARGIN_MM) * mm)


def printable_size(device: QPagedPaintDevice) -> QSizeF:
    return device.pageLayout().paintRect(QPageLayout.Unit.Point).size()


class ReportDocument:
    """The report laid out for one printable area; paints page N on request."""

    def __init__(self, result, page_size: QSizeF | None = None, options: ReportOptions | None = None) -> None:
        self.result = result
        self.options = options or ReportOptions.for_layout(result)
        self.date = self.options.date or datetime.date.today()
        self.title_block = TitleBlock.of_layout(layout_document(result).site, printed=self.date)
        self._frame: tuple | None = None
        self.layout(page_size or a4_printable_size())

    def layout(self, page_size: QSizeF) -> None:
        self.page_size = QSizeF(page_size)
        body = self.body_rect()
        self.pages, self.contents = build_pages(self.result, body.width(), body.height(), self.options, self.date)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def body_rect(self) -> QRectF:
        size = self.page_size
        return QRectF(0.0, HEADER_H, size.width(), size.height() - HEADER_H - FOOTER_H)

    def paint_page(self, painter: QPainter, index: int) -> None:
        """Page `index` (from 0), on a painter whose unit is the point at the printable area's top-left."""
        page = self.pages[index]
        width, height = self.page_size.width(), self.page_size.height()
        if self._frame is None or self._frame[0] != (width, height):
            # What every page repeats is laid out once per page size: the running header's
            # name, and the title block but for its page number.
            name = elide(self.result.layout_name, BODY_BOLD, width * 0.6)
            block = TitleBlockPainter(QRectF(0, height - TITLE_BLOCK_H, width, TITLE_BLOCK_H), self.title_block)
            self._frame = ((width, height), name, block, {})
        _, name, block, sections = self._frame
        draw_text(painter, BODY_BOLD, 0, 2, name)
        section = sections.get(page.section)
        if section is None:
            text = elide(page.section, SMALL, width - BODY_BOLD.width(name) - 20)
            section = sections[page.section] = (text, width - SMALL.width(text))
        draw_text(painter, SMALL, section[1], 3, section[0])
        painter.setPen(QPen(RULE, 0.6))
        painter.drawLine(QPointF(0, HEADER_H - 5), QPointF(width, HEADER_H - 5))
        page.paint(painter, self.body_rect())
        block.paint(painter, index + 1, len(self.pages))

    def render(
        self,
        device: QPagedPaintDevice,
        progress: Progress | None = None,
        pages: tuple[list[int], int, int] | None = None,
    ) -> None:
        """Paints the report on `device` (QPdfWriter, QPrinter, the preview's printer).

        A device with another printable area (another paper size, landscape) lays the
        report out again first; a printer's page range, when set, is honoured. `pages`, when
        given, is (the page indices to paint, pages already done, pages in all) for progress.
        """
        size = printable_size(device)
        if abs(size.width() - self.page_size.width()) > 0.5 or abs(size.height() - self.page_size.height()) > 0.5:
            self.layout(size)
        indices, done, total = pages or (self._page_indices(device), 0, 0)
        total = total or len(indices)
        painter = QPainter()
        if not painter.begin(device):
            raise OSError(errno.EIO, "cannot draw on the printer or PDF file")
        scale = device.width() / self.page_size.width()
        try:
            for n, index in enumerate(indices):
                if n and not device.newPage():
                    raise OSError(errno.EIO, "the printer refused a new page")
                painter.save()
                painter.scale(scale, scale)
                self.paint_page(painter, index)
                painter.restore()
                if progress is not None and progress(done + n + 1, total) is False:
                    raise ReportCancelled()
        finally:
            painter.end()

    def _page_indices(self, device) -> list[int]:
        from_page = getattr(device, "fromPage", lambda: 0)()
        to_page = getattr(device, "toPage", lambda: 0)()
        if from_page > 0 and to_page >= from_page:
            return list(range(from_page - 1, min(to_page, self.page_count)))
        return list(range(self.page_count))


def ensure_gui_application() -> QGuiApplication:
    """Fonts need a QGuiApplication; the CLI has none, and often no screen either."""
    running = QGuiApplication.instance()
    if isinstance(running, QGuiApplication):
        return running
    if running is not None:
        raise RuntimeError(f"a {type(running).__name__} is running: the report's fonts need a QGuiApplication")
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication([sys.argv[0] if sys.argv else "rack-designer"])
    _KEEP.append(app)
    return app


_KEEP: list[QGuiApplication] = []


def write_report_pdf(
    result,
    path: Path,
    options: ReportOptions | None = None,
    progress: Progress | None = None,
    *,
    replace_read_only: bool = False,
    document: ReportDocument | None = None,
    parallel: bool = False,
) -> None:
    """Writes the report as an A4 PDF titled with the layout's name to `path` ('-': standard output).
    `document`: the report already laid out for the PDF's pages (report_for_pdf, on a worker:
    the layout of 20,275 pages held the window ~4 s before the first page's progress), else
    laid out here. `parallel`: the text pages on two cores, by a forked child
    (gui/report/pdf_parallel.py; only where no other thread paints: the command line).

    All or nothing: the PDF is drawn page by page into temporary files, written whole into a
    temporary file beside `path` and renamed into place (model.io.atomic), with the user's
    umask; for standard output it is put together in memory first. Text pages come from the
    text layer, drawings from Qt (see _write_pdf). Raises FileFormatError naming the file and the cause (no such
    folder, read-only, full disk), ReportCancelled when `progress` returns False.
    """
    ensure_gui_application()
    if is_stdout(path):
        buffer = io.BytesIO()
        try:
            _write_pdf(result, buffer, options, progress, document, parallel)
        except OSError as exc:
            raise FileFormatError(f"cannot write {path}: {exc.strerror or exc}", whole_file=True) from None
        write_output(path, buffer.getvalue())
        return
    check_target(path, replace_read_only=replace_read_only)  # say so before minutes of drawing
    # Pages go to temporary files as they are drawn, then into the file, not to memory
    # first: the PDF of 200,000 cables is about 100 MB. atomic_write renames it into place
    # once it is whole, and raises a failed write as every failed save says it.
    with atomic_write(path, binary=True, replace_read_only=replace_read_only) as handle:
        _write_pdf(result, handle, options, progress, document, parallel)


def report_for_pdf(result, page_size: QSizeF, options: ReportOptions | None = None) -> ReportDocument:
    """The report laid out into pages for the PDF's printable area (`page_size`, points: from
    pdf_page_size, read on the GUI thread), nothing drawn; for write_report_pdf's `document`.
    Any thread (fonts are only measured); ~4-8 s at 100,000 accelerators (20,275 pages)."""
    return ReportDocument(result, page_size, options)


def pdf_page_size(result) -> QSizeF:
    """The printable area (points) of the report's PDF pages: A4 less the margins, as
    write_report_pdf's writer has it."""
    return printable_size(_pdf_writer(result, QBuffer()))


def _pdf_writer(result, device: QIODevice) -> QPdfWriter:
    """A QPdfWriter on `device` for the report: A4 portrait, the margins, the layout's name as title."""
    writer = QPdfWriter(device)
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    writer.setTitle(result.layout_name)
    writer.setCreator("Rack Designer")
    return writer


def draw_pdf_with_qt(result, device: QIODevice, options: ReportOptions | None, progress: Progress | None) -> None:
    """Draws the whole report as an A4 PDF on `device` with Qt alone, as a printer gets it (the
    text layer's pages are checked against it); OSError when the device refuses a page."""
    writer = _pdf_writer(result, device)
    ReportDocument(result, printable_size(writer), options).render(writer, progress)
    del writer  # the PDF is complete once the writer is gone


def _write_pdf(
    result,
    out: IO[bytes],
    options: ReportOptions | None,
    progress: Progress | None,
    laid_out: ReportDocument | None,
    parallel: bool = False,
) -> None:
    """Writes the whole report as an A4 PDF to the binary file `out`: the text pages (the
    schedule, the tables, the racks, the labels) by the report's own text layer
    (gui/report/pdf_canvas.py), the cover and the cost pages (charts) by Qt into a temporary PDF, then both as one file in
    page order (gui/report/pdf_file.py). A text page the text layer cannot set as Qt would
    (a character outside the simple scripts) is drawn by Qt. OSError when a write fails."""
    with tempfile.TemporaryFile() as qt_file:
        file = QFile()
        if not file.open(
            qt_file.fileno(), QIODevice.OpenModeFlag.WriteOnly, QFileDevice.FileHandleFlag.DontCloseHandle
        ):
            raise OSError(errno.EIO, file.errorString())
        writer = _pdf_writer(result, file)
        document = laid_out if laid_out is not None else ReportDocument(result, printable_size(writer), options)
        layer = TextLayer(*_frame(writer, document))
        try:
            total = document.page_count

            def tick(done: int) -> None:
                if progress is not None and progress(done, total) is False:
                    raise ReportCancelled()

            texts = [index for index in range(total) if text_page(document.pages[index])]
            paint_text_pages(document, layer, texts, tick, parallel=parallel)  # those it cannot set: by Qt below
            qt_pages = [index for index in range(total) if index not in layer.pages]
            document.render(writer, progress, (qt_pages, len(layer.pages), total))
            del writer  # Qt's PDF is complete once the writer is gone
            file.close()
            if file.error() != QFileDevice.FileError.NoError:
                raise OSError(errno.EIO, file.errorString())
            write_pdf(out, qt_file, layer, qt_pages, total)
        except PdfFormatError:
            # Qt's file is not laid out as this Qt writes it: the whole report by Qt, as before.
            out.seek(0)
            out.truncate()
            _write_with_qt(result, out, options, progress)
        finally:
            layer.close()


def _write_with_qt(result, out: IO[bytes], options: ReportOptions | None, progress: Progress | None) -> None:
    """The whole report drawn by Qt alone into a temporary file, then copied to `out`."""
    with tempfile.TemporaryFile() as whole:
        file = QFile()
        if not file.open(whole.fileno(), QIODevice.OpenModeFlag.WriteOnly, QFileDevice.FileHandleFlag.DontCloseHandle):
            raise OSError(errno.EIO, file.errorString())
        try:
            draw_pdf_with_qt(result, file, options, progress)
        finally:
            file.close()
        if file.error() != QFileDevice.FileError.NoError:
            raise OSError(errno.EIO, file.errorString())
        whole.seek(0)
        shutil.copyfileobj(whole, out, 1 << 20)


def _frame(writer: QPdfWriter, document: ReportDocument) -> tuple[str, str]:
    """The CTM that takes the report's points (from the printable area's top-left, y down) to
    the PDF's, as Qt's own pages have it, and the page's media box."""
    resolution = writer.resolution()
    layout = writer.pageLayout()
    paint = layout.paintRectPixels(resolution)
    full = layout.fullRectPoints()
    unit = 72.0 / resolution * writer.width() / document.page_size.width()
    ctm = f"{unit:.9f} 0 0 {-unit:.9f} {paint.left() * 72.0 / resolution:.6f} {full.height() - paint.top() * 72.0 / resolution:.6f}"
    return ctm, f"[0 0 {full.width()} {full.height()}]"


def text_page(page) -> bool:
    """Whether the text layer draws `page`: a table page, a rack page (its elevations are
    rectangles, lines and names) or a label sheet; the cover's charts and the cost pages go to Qt."""
    return isinstance(page, (TablePage, LabelPage))


def is_stdout(path: Path | str) -> bool:
    """True when `path` is '-', which every export takes to mean standard output."""
    return str(path) == "-"


def write_output(path: Path | str, data: bytes, *, replace_read_only: bool = False) -> None:
    """Writes a finished drawing: to standard output for '-', else atomically to `path`.

    Raises FileFormatError naming the file and the cause.
    """
    if not is_stdout(path):
        write_bytes_atomic(path, data, replace_read_only=replace_read_only)
        return
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as exc:
        raise FileFormatError(f"cannot write to standard output: {exc.strerror or exc}", whole_file=True) from None


def print_report(result, printer: QPagedPaintDevice, options: ReportOptions | None = None, progress=None) -> None:
    """Draws the report on any paged device: a QPrinter, a QPdfWriter, the preview's printer."""
    ReportDocument(result, printable_size(printer), options).render(printer, progress)


def make_printer():
    """A high-resolution A4 portrait QPrinter titled for the report."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    return printer


def make_print_preview(result, parent=None, options: ReportOptions | None = None, document=None):
    """A QPrintPreviewDialog on the report (not shown); the caller calls exec() or open().
    `document`: the report already laid out for an A4 printer (report_for_preview), else laid out here."""
    from gui.print_preview import ReportPreviewDialog

    printer = make_printer()
    printer.setDocName(result.layout_name)
    if document is None:
        document = report_for_preview(result, options)
    dialog = ReportPreviewDialog(printer, document, parent)
    dialog.setWindowTitle(f"Print preview — {result.layout_name}")
    return dialog


def report_for_preview(result, options: ReportOptions | None = None) -> ReportDocument:
    """The report laid out into pages for make_printer()'s printable area, nothing drawn: its
    page_count is what a preview would draw. Any thread (fonts are only measured); ~8 s at
    100,000 accelerators (20,275 pages)."""
    return ReportDocument(result, printable_size(make_printer()), options)

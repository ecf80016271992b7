"""The File menu: the file controller's actions plus printing and drawing exports.

Printing, the print preview, the report as a PDF and the rack elevations (SVG, PNG)
are drawn by gui/printing.py and gui/elevation_export.py; this module only asks where
and which, shows progress and reports failures. Every dialog goes through a small
method (`ask_save_path`, `run_print_dialog`, `run_preview`, `show_error`) so tests
replace them instead of clicking real dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox, QProgressDialog, QWidget

from gui.icons import icon
from model.errors import RackDesignerError

PDF_FILTER = "PDF documents (*.pdf);;All files (*)"
SVG_FILTER = "SVG drawings (*.svg);;All files (*)"
PNG_FILTER = "PNG images (*.png);;All files (*)"
PNG_DPI = 150  # sharp on screen and on an A3 print of a few racks
# Past this many pages Print Preview asks first: QPrintPreviewDialog draws every page before it
# shows one, with no progress and no cancel. Measured (2 shared cores): 1,576 pages (10,000
# accelerators) took ~7 s and ~300 MiB; 20,000 pages (100,000) ~66 s and 3.1 GB. At 2,000 pages
# that is ~9 s and ~0.4 GB, about the most a preview may cost without the designer agreeing to it.
PREVIEW_MAX_PAGES = 2_000


class ReportActions(QObject):
    """Print…, Print Preview…, Export Report as PDF… and Export Rack Elevations for one window."""

    def __init__(self, context, window: QWidget, folder: Callable[[], Path] | None = None) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self.folder = folder or Path.home  # where save dialogs start: the open layout's folder
        # What a dialog chose is handed here (the File menu's controller remembers its folder).
        self.remember: Callable[[Path | None], Path | None] = lambda chosen: chosen
        keys = QKeySequence.StandardKey
        self.print_action = self._action("&Print…", self.print_report, keys.Print)
        self.print_action.setIcon(icon("print"))
        self.preview_action = self._action("Print Pre&view…", self.print_preview)
        self.export_pdf_action = self._action("Export Report as P&DF…", self.export_pdf)
        self.print_labels_action = self._action("Print &Labels…", self.print_labels)
        self.export_svg_action = self._action("&Drawings as SVG…", lambda: self.export_elevations("svg"))
        self.export_png_action = self._action("Drawings as &PNG…", lambda: self.export_elevations("png"))

    def _action(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    # ---- dialogs (tests replace these) -------------------------------------------------
    def ask_save_path(self, caption: str, file_filter: str, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.window, caption, str(self.folder() / suggested), file_filter)
        return self.remember(Path(name) if name else None)

    def run_print_dialog(self, printer) -> bool:
        """The system's print dialog on `printer`; True when the designer pressed Print."""
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle("Print cabling report")
        return dialog.exec() == QDialog.DialogCode.Accepted

    def run_preview(self, dialog) -> None:
        dialog.exec()

    def ask_large_preview(self, pages: int) -> str:
        """Asks whether to preview a report of `pages` pages (past PREVIEW_MAX_PAGES): returns
        'pdf' (Export PDF…), 'preview' (Preview Anyway) or 'cancel' (Cancel, or the box closed)."""
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Print preview")
        box.setText(f"The cabling report has {pages:,} pages.")
        box.setInformativeText(
            "The print preview draws every page before it shows the first: that takes a long time "
            "and a lot of memory, and cannot be stopped. Export the report as a PDF instead?"
        )
        pdf = box.addButton("Export PDF…", QMessageBox.ButtonRole.AcceptRole)
        anyway = box.addButton("Preview Anyway", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(pdf)
        box.setEscapeButton(cancel)
        try:
            box.exec()
            clicked = box.clickedButton()
        finally:
            box.deleteLater()
        return "pdf" if clicked is pdf else "preview" if clicked is anyway else "cancel"

    def show_error(self, title: str, message: str) -> None:
        QMessageBox.critical(self.window, title, message)

    def ask_drawing_choice(self, kind: str, selected: int):
        """Floor plan or rack elevations, which racks, one file or one per rack (gui/drawing_export.py);
        None when the designer cancels."""
        from gui.drawing_export import DrawingChoiceDialog

        dialog = DrawingChoiceDialog(kind, selected, len(self.context.document.site.racks), self.window)
        try:
            return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def ask_label_sheet(self, cables: int):
        """(label sheet, 'pdf' or 'print') from the label dialog (gui/label_print.py); None on Cancel."""
        from gui.label_print import LabelSheetDialog

        dialog = LabelSheetDialog(cables, self.window)
        try:
            return (dialog.sheet(), dialog.action) if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def ask_folder(self, caption: str) -> Path | None:
        name = QFileDialog.getExistingDirectory(self.window, caption, str(self.folder()))
        chosen = Path(name) if name else None
        self.remember(chosen / "-" if chosen else None)  # the folder itself is what to start in next
        return chosen

    # ---- what is exported ----------------------------------------------------------------
    def _stem(self) -> str:
        return self.context.document.site.name or "layout"

    def chosen_racks(self) -> list[str] | None:
        """The selected racks (and the racks of selected devices), or None for every rack."""
        doc = self.context.document
        racks = list(self.context.selected_ids("rack"))
        racks += [doc.device_rack[d].id for d in self.context.selected_ids("device") if d in doc.device_rack]
        return list(dict.fromkeys(racks)) or None

    def _progress(self, label: str):
        """A cancellable progress dialog and the callback the report writer calls after each page."""
        dialog = QProgressDialog(label, "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Cabling report")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)

        def progress(done: int, total: int) -> bool:
            dialog.setMaximum(total)
            dialog.setValue(done)
            QCoreApplication.processEvents()
            return not dialog.wasCanceled()

        return dialog, progress

    def _run(self, title: str, label: str, work: Callable[[Callable[[int, int], bool]], None]) -> bool:
        from gui.printing import ReportCancelled

        dialog, progress = self._progress(label)
        try:
            work(progress)
        except ReportCancelled:
            self.context.say(f"{title}: cancelled")
            return False
        except (RackDesignerError, OSError) as exc:
            self.show_error(title, str(exc))
            return False
        finally:
            dialog.close()
            dialog.deleteLater()
        return True

    def _laid_out(self, title: str, work: Callable[[], Any]) -> Any:
        """The report laid out by `work` on the worker behind the busy dialog, or None after a
        dialog titled `title` says why it could not be (RackDesignerError, OSError)."""
        from gui.background import run_with_progress

        try:
            return run_with_progress(self.window, "Laying out the cabling report…", work)
        except (RackDesignerError, OSError) as exc:
            self.show_error(title, str(exc))
            return None

    # ---- the commands ----------------------------------------------------------------
    def print_report(self) -> bool:
        from gui.printing import make_printer, print_report

        result = self.context.result
        printer = make_printer()
        printer.setDocName(result.layout_name)
        if not self.run_print_dialog(printer):
            return False
        done = self._run(
            "Print failed", "Printing the cabling report…", lambda p: print_report(result, printer, progress=p)
        )
        if done:
            where = printer.outputFileName() or printer.printerName()
            self.context.say(f"Printed the cabling report of {result.layout_name}" + (f" to {where}" if where else ""))
        return done

    def print_preview(self) -> str:
        """File ▸ Print Preview: the report in QPrintPreviewDialog. A report of more than
        PREVIEW_MAX_PAGES pages asks first (ask_large_preview) and may go to Export PDF….
        Returns what was done: 'preview', 'pdf' or 'cancel'. Raises nothing of its own."""
        from gui.heap import give_back_freed_memory
        from gui.printing import make_print_preview, report_for_preview

        # The report is laid out into pages (gui.report.pages) before any is drawn: the page
        # count comes from that. It measures text only, so it runs on a worker behind the busy
        # dialog (~8 s at 100,000 accelerators) instead of freezing the window before the question.
        result = self.context.result
        document = self._laid_out("Print preview failed", lambda: report_for_preview(result))
        if document is None:
            return "cancel"
        pages = document.page_count
        dialog = make_print_preview(result, self.window, document=document)
        answer = "preview" if pages <= PREVIEW_MAX_PAGES else self.ask_large_preview(pages)
        try:
            if answer == "preview":
                dialog.resize(int(self.window.width() * 0.8), int(self.window.height() * 0.9))
                self.run_preview(dialog)
        finally:
            # Deleted now, not by deleteLater: its drawn pages (~0.2 MiB each) are freed before
            # the heap is trimmed below, whichever order the event loop would take the two in.
            shiboken6.delete(dialog)
            # The app's heap keeps up to 256 MiB freed (gui.heap.keep_freed_memory), and the
            # pages were many small blocks: without a trim the preview's memory stayed
            # resident after it closed (10,000 accelerators: RSS 244 MiB before, 546 open and after).
            # Next turn: by then this frame no longer holds the dialog's laid-out report either.
            QTimer.singleShot(0, give_back_freed_memory)
        if answer == "pdf":
            self.export_pdf_action.trigger()  # as File ▸ Export Report as PDF… does
        return answer

    def export_pdf(self) -> bool:
        from gui.printing import pdf_page_size, report_for_pdf, write_report_pdf
        from model.io.atomic import check_target

        path = self.ask_save_path("Export cabling report as PDF", PDF_FILTER, f"{self._stem()}-report.pdf")
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".pdf")
        result = self.context.result
        try:
            check_target(path)  # a folder gone or a read-only file said before the layout's seconds
        except (RackDesignerError, OSError) as exc:
            self.show_error("Export failed", str(exc))
            return False
        # Laid out into pages on the worker behind the busy dialog: here it held the window
        # ~3.7 s at 100,000 accelerators before the first page's progress showed.
        size = pdf_page_size(result)
        document = self._laid_out("Export failed", lambda: report_for_pdf(result, size))
        if document is None:
            return False
        if not self._run(
            "Export failed",
            f"Writing {path.name}…",
            lambda p: write_report_pdf(result, path, progress=p, document=document),
        ):
            return False
        self.context.say(f"Exported the cabling report to {path}")
        return True

    def print_labels(self) -> bool:
        """Every cable's two labels on a label sheet the designer picks, as a PDF or on a printer."""
        from gui.report.label_sheets import prepare, render_labels, write_labels_pdf

        result = self.context.result
        chosen = self.ask_label_sheet(len(result.cable_ids))
        if chosen is None:
            return False
        sheet, action = chosen
        try:
            if action == "pdf":
                path = self.ask_save_path("Save cable labels as PDF", PDF_FILTER, f"{self._stem()}-labels.pdf")
                if path is None:
                    return False
                path = path if path.suffix else path.with_suffix(".pdf")
                pages = write_labels_pdf(result, sheet, path)
                where = str(path)
            else:
                from gui.printing import make_printer

                printer = make_printer()
                prepare(printer, sheet)
                if not self.run_print_dialog(printer):
                    return False
                pages = render_labels(result, sheet, printer)
                where = printer.outputFileName() or printer.printerName()
        except (RackDesignerError, OSError) as exc:
            self.show_error("Labels not printed", str(exc))
            return False
        self.context.say(f"Cable labels on {pages:,} sheet{'' if pages == 1 else 's'} of {sheet.name}: {where}")
        return True

    def export_elevations(self, kind: str) -> bool:
        """An SVG or PNG drawing, as the designer chooses in a dialog (ask_drawing_choice): the
        whole floor plan, or the elevations of the selected or of all racks, on one sheet or one
        file per rack."""
        from gui.elevation_export import export_elevations_png, export_elevations_svg

        selected = self.chosen_racks()
        choice = self.ask_drawing_choice(kind, len(selected or []))
        if choice is None:
            return False
        if choice.what == "floor":
            return self._export_floor_plan(kind)
        racks = selected if choice.selected_only else None
        if choice.per_rack:
            return self._export_each_rack(kind, racks)
        which = "all racks" if not racks else f"{len(racks)} selected rack" + ("s" if len(racks) > 1 else "")
        file_filter = SVG_FILTER if kind == "svg" else PNG_FILTER
        path = self.ask_save_path(
            f"Export elevations of {which} as {kind.upper()}", file_filter, f"{self._stem()}-elevations.{kind}"
        )
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(f".{kind}")
        doc, result = self.context.document, self.context.result
        try:
            if kind == "svg":
                export_elevations_svg(doc, result, racks, path)
            else:
                export_elevations_png(doc, result, racks, path, dpi=PNG_DPI)
        except (RackDesignerError, OSError) as exc:
            self.show_error("Export failed", str(exc))
            return False
        self.context.say(f"Exported the elevations of {which} to {path}")
        return True

    def _export_floor_plan(self, kind: str) -> bool:
        from gui.background import run_with_progress
        from gui.drawing_export import export_floor_plan

        floor = getattr(self.window, "floor", None)
        if floor is None:
            self.show_error("Export failed", "this window has no floor plan to draw")
            return False
        file_filter = SVG_FILTER if kind == "svg" else PNG_FILTER
        path = self.ask_save_path(
            f"Export the floor plan as {kind.upper()}", file_filter, f"{self._stem()}-floor.{kind}"
        )
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(f".{kind}")
        try:
            sheet = export_floor_plan(
                floor.scene(),
                self.context.document,
                path,
                kind,
                dpi=PNG_DPI,
                run=lambda work: run_with_progress(self.window, "Counting the cables in each tray…", work),
            )
        except (RackDesignerError, OSError) as exc:
            self.show_error("Export failed", str(exc))
            return False
        self.context.say(f"Exported the floor plan at 1:{sheet.scale} to {path}")
        return True

    def _export_each_rack(self, kind: str, racks: list[str] | None) -> bool:
        from gui.drawing_export import export_racks_each

        which = "all racks" if racks is None else f"the {len(racks)} selected racks"
        folder = self.ask_folder(f"Folder for one {kind.upper()} per rack ({which})")
        if folder is None:
            return False
        try:
            written = export_racks_each(self.context.document, self.context.result, racks, folder, kind, PNG_DPI)
        except (RackDesignerError, OSError) as exc:
            self.show_error("Export failed", str(exc))
            return False
        self.context.say(
            f"Exported {len(written)} rack drawing{'' if len(written) == 1 else 's'} ({kind.upper()}) to {folder}"
        )
        return True


def build_file_menu(menu: QMenu, file_controller, reports: ReportActions | None) -> None:
    """Fills the File menu: layouts, then printing, then exports, then Quit."""
    fc = file_controller
    menu.addActions([fc.new_action, fc.open_action])
    menu.addMenu(fc.recent_menu)
    menu.addSeparator()
    menu.addActions([fc.save_action, fc.save_as_action])
    menu.addSeparator()
    if reports is not None:
        menu.addActions([reports.print_action, reports.preview_action, reports.export_pdf_action])
        menu.addAction(reports.print_labels_action)
        menu.addSeparator()
    export = menu.addMenu("&Export")
    export.addActions(fc.export_actions)
    if reports is not None:
        export.addSeparator()
        export.addActions([reports.export_svg_action, reports.export_png_action])
    menu.addAction(fc.import_netbox_action)
    menu.addSeparator()
    menu.addAction(fc.quit_action)

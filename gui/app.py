"""Starts the desktop app: `run_gui([FILE])` opens FILE, else the built-in Trn2-Ultra64 sample."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from gui.context import AppContext
from gui.heap import keep_freed_memory
from model.document import Document
from model.errors import RackDesignerError
from model.layout import Site

SAMPLE = "trn2-ultra64"


def sample_site() -> Site:
    try:
        from model.topologies import build_sample
    except ImportError:
        return Site()
    return build_sample(SAMPLE)


def make_application() -> QApplication:
    keep_freed_memory()  # an edit's new columns reuse the last edit's memory (gui.heap)
    running = QApplication.instance()
    if running is None:
        app = QApplication(sys.argv[:1])
    elif isinstance(running, QApplication):
        app = running
    else:  # a QCoreApplication cannot show windows, and Qt allows one application per process
        raise RuntimeError(f"a {type(running).__name__} is already running; the app needs a QApplication")
    app.setOrganizationName("rack-designer")
    app.setApplicationName("rack-designer")
    # No applicationDisplayName: on X11 and Wayland Qt appends a set display name to every
    # window title ("Rack Designer — Trn2-Ultra64 — Rack Designer"); the main window's
    # title already starts with the product's name, and each dialog names itself.
    return app


def open_window(args: list[str]):
    """The main window on the sample, then on args[0] when given (a bad file is reported, the sample stays)."""
    from gui.main_window import MainWindow, app_icon
    from model.catalog import default_catalog
    from model.io.library import user_catalog

    QApplication.setWindowIcon(app_icon())  # static: applies to the running application
    # The designer's own device types (imported from NetBox) are part of the catalog; a broken
    # library is said and left out, and the built-in catalog still works.
    catalog, library_warning = user_catalog(default_catalog())
    window = MainWindow(AppContext(Document(sample_site(), catalog)))
    window.show()
    if library_warning:
        QMessageBox.warning(window, "Device library left out", library_warning)
    if args:
        _open_file(window, Path(args[0]))
    _offer_recovery(window)
    return window


def _open_file(window, path: Path) -> None:
    controller = window.file_controller
    if controller is not None:
        controller.open_path(path)  # says what is wrong with a bad file in a message box
        return
    try:
        from model.io.files import load_layout

        window.context.document.replace_site(load_layout(path, window.context.document.catalog))
    except (RackDesignerError, OSError, ImportError) as exc:
        QMessageBox.warning(window, "Cannot open the layout", f"{path}: {exc}\n\nShowing the sample layout instead.")
        return
    window.context.undo_stack.clear()


def _offer_recovery(window) -> None:
    controller = window.file_controller
    try:
        from gui.autosave import discard_recovery, pending_recovery
    except ImportError:
        return
    recovery = pending_recovery()
    if recovery is None or controller is None:
        return
    origin = str(recovery.origin) if recovery.origin else "an untitled layout"
    answer = QMessageBox.question(
        window,
        "Restore unsaved work?",
        f"Rack Designer closed with unsaved changes to {origin}.\n\nRestore them? (No discards them.)",
    )
    if answer == QMessageBox.StandardButton.Yes:
        controller.restore_recovery(recovery)
    else:
        discard_recovery(recovery)


def run_gui(args: list[str]) -> int:
    app = make_application()
    window = open_window(args)  # noqa: F841 - kept alive until the loop ends
    return app.exec()

"""File menu behaviour: new, open, save, recent files, exports, NetBox import, unsaved changes.

The controller owns no widgets beyond its actions and the Recent Files menu; the main
window puts them in its menus and sets its title from `titleChanged`. Every dialog goes
through a small method (`ask_open_path`, `ask_save_path`, `ask_unsaved`,
`ask_replace_read_only`, `show_error`, `show_info`) so tests replace them instead of
clicking real dialogs. A read-only file is replaced only when the designer says so; at
start, temp files an interrupted save left beside the recent files are removed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from gui.autosave import Autosave, Recovery
from gui.background import keep_long_lived, run_with_progress
from gui.context import AppContext
from gui.file_exports import FileExports
from gui.heap import HeapReserve, give_back_freed_memory, reserve_for_edits
from model.analysis import Analysis
from model.document import Change, Document
from model.errors import RackDesignerError, ReadOnlyFileError
from model.io.atomic import remove_stale_temps
from model.io.files import load_layout, save_layout
from model.layout import Site

MAX_RECENT = 10
RECENT_KEY = "file/recent"
LAST_FOLDER_KEY = "file/last_folder"  # where the last file dialog chose, for an untitled layout
LAYOUT_FILTER = "Rack Designer layouts (*.json);;All files (*)"
APP_NAME = "Rack Designer"

Save, Discard, Cancel = (
    QMessageBox.StandardButton.Save,
    QMessageBox.StandardButton.Discard,
    QMessageBox.StandardButton.Cancel,
)


def _file_stem(name: str) -> str:
    """`name` (a layout's) made a file name: what no common file system takes (/ \\ : * ? " < > |
    and control characters) as '-', spaces at the ends dropped; 'layout' when nothing is left."""
    stem = re.sub(r'[/\\:*?"<>|\x00-\x1f\x7f]', "-", name).strip().strip(".")
    return stem or "layout"


# A layout file this big takes longer to read and analyse than a busy dialog waits to show
# (gui.background.SHOW_AFTER_S): ~0.5 s at 4 MB (10,000 accelerators), ~6 s at 63 MB (100,000).
READS_LONG_BYTES = 4_000_000
# From here Save and the CSV exports write on the worker behind a busy dialog (a save ~0.2 s
# at 20,000 cables); from five times this the dialog shows at once (~1 s and more).
SAVES_LONG_CABLES = 20_000


def _reads_long(path: Path) -> bool:
    """Whether opening `path` will take long enough to show its busy dialog before it starts."""
    try:
        return path.stat().st_size >= READS_LONG_BYTES
    except OSError:
        return False  # the read itself says what is wrong


class FileController(QObject, FileExports):
    titleChanged = Signal(str)
    pathChanged = Signal(object)  # Path | None
    catalogChanged = Signal(object)  # model.catalog.Catalog, after a device type import

    def __init__(self, context: AppContext, window: QWidget, settings: QSettings | None = None) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self.settings = settings or QSettings("rack-designer", "rack-designer")
        self.path: Path | None = None
        self.heap_reserve: HeapReserve | None = None  # memory readied for the first edits (gui.heap)
        self._make_actions()
        self.recent_menu = QMenu("Open &Recent", window)
        self._rebuild_recent_menu()
        for recent in self.recent_files():  # what a save killed half-way left beside them
            remove_stale_temps(recent)
        self.autosave = Autosave(context, lambda: self.path, self)
        context.undo_stack.cleanChanged.connect(self._on_clean_changed)
        context.documentChanged.connect(self._on_document_changed)
        self._update_title()

    # ---- actions -------------------------------------------------------------------------
    def _action(
        self, text: str, slot: Callable[[], object], shortcut: QKeySequence.StandardKey | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut)  # every binding the platform knows (Save is also the Save key)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)  # shortcuts work before (and without) a menu bar
        return action

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = self._action("&New", self.new, keys.New)
        self.open_action = self._action("&Open…", self.open, keys.Open)
        self.save_action = self._action("&Save", self.save, keys.Save)
        self.save_as_action = self._action("Save &As…", self.save_as, keys.SaveAs)
        self.quit_action = self._action("&Quit", self.window.close, keys.Quit)
        if not self.quit_action.shortcuts():  # some platforms (Windows, offscreen) bind no Quit key
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.export_schedule_action = self._action("Cable &schedule (CSV)…", self.export_schedule)
        self.export_bom_action = self._action("&Bill of materials (CSV)…", self.export_bom)
        self.export_netbox_set_action = self._action("&NetBox import set (folder)…", self.export_netbox_set)
        self.export_netbox_devices_action = self._action("NetBox &devices (CSV)…", self.export_netbox_devices)
        self.export_netbox_cables_action = self._action("NetBox &cables (CSV)…", self.export_netbox_cables)
        self.import_netbox_action = self._action("Import NetBox device &type…", self.import_netbox_device_type)
        self.export_actions = [
            self.export_schedule_action,
            self.export_bom_action,
            self.export_netbox_set_action,
            self.export_netbox_devices_action,
            self.export_netbox_cables_action,
        ]

    # ---- state ---------------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return not self.context.undo_stack.isClean()

    @property
    def title(self) -> str:
        mark = " *" if self.modified else ""
        return f"{APP_NAME} — {self._shown_name()}{mark}"

    def _shown_name(self) -> str:
        """The layout's name, or its file's when it has none (a nameless layout's title read
        'Rack Designer — ' with nothing after it, a fresh user's find)."""
        name = self.context.document.site.name.strip()
        return name or (self.path.name if self.path is not None else "Untitled layout")

    def _update_title(self) -> None:
        self.titleChanged.emit(self.title)

    def _on_clean_changed(self, clean: bool) -> None:
        # Uses the signal's value: the stack emits this from its destructor too, when it cannot be asked.
        mark = "" if clean else " *"
        self.titleChanged.emit(f"{APP_NAME} — {self._shown_name()}{mark}")

    def _on_document_changed(self, change: Change) -> None:
        if change.settings or change.everything or change.names:
            self._update_title()  # the layout may have been renamed

    def _set_path(self, path: Path | None) -> None:
        # Absolute: the title, Open Recent and a recovery copy's origin must still name the
        # file when the app runs from another folder (`main.py pod.json` recorded 'pod.json');
        # and without '..' steps (`main.py ../east.json` was named '/tmp/rd/../east.json').
        path = Path(os.path.normpath(path.absolute())) if path is not None else None
        self.path = path
        self.pathChanged.emit(path)
        if path is not None:
            self._remember(path)

    # ---- dialogs (tests replace these) -------------------------------------------------
    def ask_open_path(self, caption: str, file_filter: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.window, caption, self._folder(), file_filter)
        return self.remember_folder(Path(name) if name else None)

    def ask_save_path(self, caption: str, file_filter: str, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.window, caption, str(Path(self._folder()) / suggested), file_filter)
        return self.remember_folder(Path(name) if name else None)

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self.window,
            APP_NAME,
            f"Save the changes to “{self.context.document.site.name}” before closing it?",
            Save | Discard | Cancel,
            Save,
        )

    def ask_replace_read_only(self, path: Path) -> bool:
        """True when the designer wants the read-only file `path` replaced all the same."""
        answer = QMessageBox.warning(
            self.window,
            APP_NAME,
            f"“{path.name}” is read-only.\n\nReplace it anyway? It stays read-only afterwards.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, title: str, message: str) -> None:
        QMessageBox.critical(self.window, title, message)

    def show_info(self, title: str, message: str) -> None:
        QMessageBox.information(self.window, title, message)

    def _folder(self) -> str:
        return str(self.folder())

    def folder(self) -> Path:
        """Where file dialogs start: the open layout's folder, else the last folder a dialog
        chose (remembered across runs), else the home folder."""
        if self.path is not None:
            return self.path.parent
        last = self.settings.value(LAST_FOLDER_KEY)
        if isinstance(last, str) and last and Path(last).is_dir():
            return Path(last)
        return Path.home()

    def remember_folder(self, chosen: Path | None) -> Path | None:
        """Keeps the folder of a path a dialog chose, for the next dialog; returns `chosen`."""
        if chosen is not None:
            self.settings.setValue(LAST_FOLDER_KEY, str(chosen.parent))
        return chosen

    # ---- new, open, save ---------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to drop the open layout (saved, discarded or unchanged)."""
        if not self.modified:
            return True
        answer = self.ask_unsaved()
        if answer == Save:
            return self.save()
        return answer == Discard

    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self._replace(Site(), None)
        return True

    def open(self) -> bool:
        if not self.maybe_save():
            return False
        path = self.ask_open_path("Open layout", LAYOUT_FILTER)
        return path is not None and self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Opens `path` without asking about unsaved changes; a bad file leaves the open layout as it was."""
        try:
            prepared = self._load(path, f"Opening {path.name}…")
        except RackDesignerError as exc:
            self.show_error("Cannot open layout", str(exc))
            if not path.exists():
                self._forget(path)
            return False
        self._replace(prepared.document.site, path, prepared.document)
        self.context.say(f"Opened {self.path}")  # as the title names it: whole, without '..' (_set_path)
        keep_long_lived()
        # Memory for the first edits' new columns, faulted in while the window is idle (gui.heap).
        self.heap_reserve = reserve_for_edits(self.context.analysis.result, self)
        if self.heap_reserve is None:  # a small layout: the last one's memory goes back all the same
            QTimer.singleShot(0, give_back_freed_memory)
        return True

    def _load(self, path: Path, label: str) -> Analysis:
        """Reads, checks and analyses `path` on a worker thread behind a busy dialog.

        The analysis (routing every cable: seconds at 100k accelerators) is done there
        too and handed to the context's analysis, so the window keeps painting throughout.
        """
        catalog = self.context.document.catalog

        def work() -> Analysis:
            # Analysis.prepare also builds what the first lookups and edits would build on the
            # GUI thread (the cable id -> row index: ~0.2 s at 300,000 cables).
            return Analysis.prepare(load_layout(path, catalog), catalog)

        # No cyclic collection meanwhile (one pass over a 100k layout's millions of new objects
        # held the interpreter lock, and so the window, 0.3-0.5 s); once read, they are kept out
        # of later passes (keep=True: gui.background.made_long_lived).
        prepared = run_with_progress(self.window, label, work, at_once=_reads_long(path), keep=True)
        self.context.analysis.expect(prepared)
        return prepared

    def _replace(self, site: Site, path: Path | None, indexed: Document | None = None) -> None:
        # Nothing stays selected: ids are the file's own, and another file's 'c5' is another
        # cable (a fresh user's Delete after opening a file removed a cable they never chose).
        self.context.set_selection(())
        self.context.layoutSwapped.emit()  # before the swap: a filter let go of is not run on the new runs
        # load_layout has checked it; `indexed` holds its lookups, built on the worker
        self.context.document.replace_site(site, check=False, indexed=indexed)
        self.context.undo_stack.clear()  # the old layout's edits cannot apply to the new one
        self.context.undo_stack.setClean()
        self.autosave.discard()
        self._set_path(path)
        self._update_title()

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        # An opened file's Save As starts from it (its folder and name), as desktop tools do; a
        # new layout's from its name (an opened file's suggested its layout's name instead).
        suggested = str(self.path) if self.path is not None else f"{_file_stem(self.context.document.site.name)}.json"
        path = self.ask_save_path("Save layout as", LAYOUT_FILTER, suggested)
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".json")
        self._name_untitled(path)
        return self._save_to(path)

    def write_file(self, label: str, write: Callable[[], object]) -> None:
        """Runs `write` (a save or an export of the layout as it stands) here, or for a layout
        of SAVES_LONG_CABLES cables or more on the worker behind the busy dialog saying `label`:
        ~1.3-2.6 s at 300,000 cables held the window (a save, the cable schedule, NetBox's
        cables). The dialog drops the designer's input, so nothing edits the layout meanwhile.
        Raises what `write` raises."""
        cables = len(self.context.document.cables)
        if cables < SAVES_LONG_CABLES:
            write()
            return
        run_with_progress(self.window, label, write, at_once=cables >= SAVES_LONG_CABLES * 5)

    def _name_untitled(self, path: Path) -> None:
        """A layout still called 'Untitled layout' takes the file's name (one undoable rename),
        so the title, the reports and the drawings say what it is; File → Properties renames it."""
        from model.commands_naming import SetLayoutProperties
        from model.layout import Site

        site = self.context.document.site
        if site.name == Site.model_fields["name"].default and path.stem:
            try:
                self.context.push(SetLayoutProperties(self.context.document, name=path.stem))
            except RackDesignerError:
                pass  # a name the file cannot hold: the layout keeps its own

    def _save_to(self, path: Path) -> bool:
        site = self.context.document.site

        def save(replace_read_only: bool = False) -> None:
            save_layout(site, path, replace_read_only=replace_read_only)

        try:
            try:
                self.write_file(f"Saving {path.name}…", save)
            except ReadOnlyFileError:
                if not self.ask_replace_read_only(path):
                    self.context.say(f"Not saved: {path} is read-only")
                    return False
                self.write_file(f"Saving {path.name}…", lambda: save(replace_read_only=True))
        except RackDesignerError as exc:
            self.show_error("Cannot save layout", str(exc))
            return False
        self.context.undo_stack.setClean()
        self.autosave.discard()
        self._set_path(path)
        self._update_title()
        self.context.say(f"Saved {path}")
        return True

    def close_requested(self) -> bool:
        """For the main window's closeEvent: True when the app may quit (then the recovery copy goes)."""
        if not self.maybe_save():
            return False
        self.autosave.stop()
        return True

    # ---- recovery ------------------------------------------------------------------------
    def restore_recovery(self, recovery: Recovery) -> bool:
        """Opens a recovery copy as the unsaved state of its layout file.

        The copy stays on disk, taken over as this app's own recovery copy, until the
        work is saved or discarded: a second crash before the next edit loses nothing.
        """
        try:
            prepared = self._load(recovery.path, "Restoring the unsaved layout…")
        except RackDesignerError as exc:
            self.show_error("Cannot restore the unsaved layout", str(exc))
            return False
        self._replace(prepared.document.site, recovery.origin, prepared.document)
        self.context.undo_stack.resetClean()  # restored work is not on disk yet
        self.autosave.adopt(recovery)
        self._update_title()
        return True

    # ---- recent files --------------------------------------------------------------------
    def recent_files(self) -> list[Path]:
        value = self.settings.value(RECENT_KEY, [])
        if isinstance(value, str):  # QSettings hands back a lone entry as a string
            value = [value]
        entries = value if isinstance(value, list | tuple) else []  # None, or something else stored there
        return [Path(item) for item in entries if isinstance(item, str) and item]

    def _store_recent(self, paths: list[Path]) -> None:
        self.settings.setValue(RECENT_KEY, [str(p) for p in paths[:MAX_RECENT]])
        self._rebuild_recent_menu()

    def _remember(self, path: Path) -> None:
        path = path.absolute()
        self._store_recent([path] + [p for p in self.recent_files() if p != path])

    def _forget(self, path: Path) -> None:
        self._store_recent([p for p in self.recent_files() if p != path.absolute() and p != path])

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for i, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{i % 10} {path.name}")
            action.setToolTip(str(path))
            action.setData(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))
        self.recent_menu.setEnabled(bool(recent))

    def open_recent(self, path: Path) -> bool:
        return self.maybe_save() and self.open_path(path)

"""One open layout: its document, its live analysis and its undo history, without Qt.

Every front end edits through a session: the CLI and scripts directly, the GUI through
`gui.context.AppContext`, which mirrors `history` in a QUndoStack. An edit is a command
(model.commands) applied whole or refused whole; after it the analysis has caught up
and `result` is a snapshot equal to a fresh analysis of the same layout.
"""

from __future__ import annotations

from pathlib import Path

from model.analysis import Analysis
from model.catalog import Catalog
from model.commands import Command
from model.document import Document
from model.history import History
from model.io.files import load_layout, save_layout
from model.layout import Site
from model.metrics import AnalysisResult


class Session:
    """A document with its analysis and history. `path` is the file it was opened from or
    saved to (None for a new layout)."""

    def __init__(self, document: Document | None = None, path: Path | None = None) -> None:
        self.document = document or Document()
        self.analysis = Analysis(self.document)
        self.history = History()
        self.path = path

    @classmethod
    def open(cls, path: str | Path, catalog: Catalog | None = None) -> Session:
        """The layout in the file at `path`, analysed. Raises FileFormatError or LayoutError
        naming the file and the place when it cannot be read (see model.io.files)."""
        site = load_layout(path, catalog)
        return cls(Document(site, catalog, check=False), Path(path))

    @property
    def result(self) -> AnalysisResult:
        """The snapshot of the current layout's analysis."""
        return self.analysis.result

    # ---- edits -------------------------------------------------------------------
    def apply(self, command: Command) -> bool:
        """Applies `command` and records it for undo; False when it changes nothing (then
        nothing is recorded). Raises LayoutError (nothing changed)."""
        return self.history.push(command)

    def record(self, command: Command) -> bool:
        """Records `command` whose edit the document already holds (a live drag made it);
        False when it changes nothing."""
        return self.history.push(command, applied=True)

    def undo(self) -> Command:
        """Reverts the last edit; returns its command. Raises LayoutError when there is none."""
        return self.history.undo()

    def redo(self) -> Command:
        """Applies the last undone edit again; returns its command. Raises LayoutError when there is none."""
        return self.history.redo()

    def replace_site(self, site: Site, check: bool = True, path: Path | None = None) -> None:
        """Another layout (opened or new) in place of this one; the history starts again.
        Raises LayoutError (nothing changed) when `site` breaks a rule and `check` is set."""
        self.document.replace_site(site, check=check)
        self.history.clear()
        self.path = path

    def save(self, path: str | Path | None = None) -> Path:
        """Writes the layout atomically to `path` (default: where it came from) and marks
        this point of the history as saved; returns the path. Raises OSError or
        FileFormatError naming the file when it cannot be written."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("a new layout needs a path to be saved to")
        save_layout(self.document.site, target)
        self.path = target
        self.history.set_clean()
        return target

"""Help: the version, a short guide with the shortcuts of this window, and the file format.

The guide and the file format are the documents in docs/ shown as they are, so the app and
the repository say the same thing. The shortcuts are read from the window's own actions
when the guide opens: a shortcut added or changed in the code appears here without an edit.
"""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from model.version import version

DOCS = Path(__file__).resolve().parents[1] / "docs"
GUIDE, FILE_FORMAT = DOCS / "guide.md", DOCS / "file-format.md"


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(what, keys) for every action with a shortcut, in menu words without the '&' marks;
    keys in the platform's own notation (Ctrl+Z, ⌘Z)."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            rows.append((action.text().replace("&", "").split("\t")[0], ", ".join(keys)))
    return sorted(set(rows), key=lambda row: row[0].lower())


def shortcuts_markdown(actions: list[QAction]) -> str:
    """The shortcuts as a Markdown table, heading included."""
    lines = ["## Shortcuts", "", "| Action | Keys |", "|---|---|"]
    lines += [f"| {what} | {keys} |" for what, keys in shortcut_rows(actions)]
    lines += ["| Cancel a drag | Esc |", "| Pan | Middle button, or Space + left button |", "| Zoom | Wheel |"]
    return "\n".join(lines)


class DocumentDialog(QDialog):
    """A document from docs/ (Markdown) in a scrollable, searchable text view."""

    def __init__(self, title: str, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(markdown)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(820, int(screen.width() * 0.9)), min(760, int(screen.height() * 0.85)))


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def guide_dialog(window) -> DocumentDialog:
    """The guide (docs/guide.md) with the window's shortcuts after it."""
    text = _read(GUIDE) or f"The guide ({GUIDE}) is missing from this installation."
    return DocumentDialog("Rack Designer guide", text + "\n\n" + shortcuts_markdown(window.actions()), window)


def file_format_dialog(window) -> DocumentDialog:
    """The layout file's description (docs/file-format.md)."""
    text = _read(FILE_FORMAT) or f"The file-format document ({FILE_FORMAT}) is missing from this installation."
    dialog = DocumentDialog("Rack Designer file format", text, window)
    if FILE_FORMAT.exists():
        dialog.browser.setSearchPaths([str(DOCS)])
    return dialog


def about_text() -> str:
    """What About says: the program, its version, and the versions it runs on."""
    return (
        f"<h3>Rack Designer {version()}</h3>"
        "<p>AI datacenter racks and their cabling: every run routed through real pathways, "
        "its medium (DAC, AEC, AOC or optics) chosen and explained.</p>"
        f"<p>Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}</p>"
        f"<p>Documents: {DOCS}</p>"
    )


def show_about(window) -> None:
    QMessageBox.about(window, "About Rack Designer", about_text())

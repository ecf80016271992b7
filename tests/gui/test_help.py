"""Help (issue #14 point 6): the version, a guide with this window's shortcuts, and the file format."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui.help import FILE_FORMAT, GUIDE, about_text, shortcut_rows
from model.version import version

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_pyprojects_and_about_says_it():
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert version() == expected
    assert f"Rack Designer {expected}" in about_text()


def test_help_menu_has_the_guide_the_file_format_and_about(window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert texts == ["&Guide", "&File Format", "&About Rack Designer"]


def test_f1_opens_the_guide_with_the_route_model_and_the_windows_own_shortcuts(qtbot, window):
    window.floor.setFocus()
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.help_dialog
    qtbot.waitExposed(dialog)
    text = dialog.browser.toPlainText()
    assert "How a run is routed" in text and "bend radius" in text
    assert GUIDE.read_text().splitlines()[0].lstrip("# ") in text
    rows = dict(shortcut_rows(window.actions()))
    assert rows["Undo"] == "Ctrl+Z" and rows["Fit"] == "Ctrl+0" and rows["Guide"] == "F1"
    for what, keys in rows.items():
        assert what in text and keys in text
    dialog.close()


def test_file_format_shows_the_local_document(qtbot, window):
    window.file_format_action.trigger()
    dialog = window.help_dialog
    qtbot.waitExposed(dialog)
    first_heading = next(line for line in FILE_FORMAT.read_text().splitlines() if line.startswith("#"))
    assert first_heading.lstrip("# ").strip() in dialog.browser.toPlainText()
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()

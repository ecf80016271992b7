"""Test setup: Qt runs offscreen and never touches the user's settings or files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory, monkeypatch):
    """Point QSettings and the recovery folder at a temporary directory."""
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(config / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(config / "state"))
    monkeypatch.setenv("HOME", str(config / "home"))
    yield


def pytest_sessionfinish(session, exitstatus):
    """Empty the clipboard before Qt tears down: on the offscreen platform a clipboard that still
    owns our QMimeData at exit crashes the process after every test has passed."""
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        app.clipboard().clear()
        app.processEvents()

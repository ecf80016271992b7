"""The file menu with hostile or fragile files: bad layouts give a dialog, read-only files are
asked about, recovered work stays recoverable, interrupted saves leave nothing behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from gui import autosave as autosave_module
from gui.autosave import pending_recovery, recovery_dir
from gui.context import AppContext
from gui.file_controller import FileController
from model.document import Document
from model.io.atomic import TEMP_TAG
from model.io.files import load_layout, save_layout
from model.layout import Rack, Site
from model.topologies import build_sample
from tests.gui.test_file_controller import Dialogs, Discard, edit

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
DEAD_PID = 2**22 + 12345  # above Linux's pid_max default: no such process


@pytest.fixture
def file_controller_setup(qtbot, tmp_path):
    window = QWidget()
    qtbot.addWidget(window)
    context = AppContext(Document(build_sample("trn2-ultra64")))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    controller = FileController(context, window, settings)
    return controller, context, window, Dialogs(controller), []


@pytest.mark.parametrize("case", sorted(p.name for p in HOSTILE.glob("*.json")))
def test_hostile_files_open_or_give_one_dialog_naming_file_and_place(file_controller_setup, case):
    controller, context, _, dialogs, _ = file_controller_setup
    before = context.document.site
    opened = controller.open_path(HOSTILE / case)
    if opened:
        assert dialogs.errors == [] and controller.path == HOSTILE / case
    else:
        [(title, message)] = dialogs.errors
        assert title == "Cannot open layout" and message.startswith(str(HOSTILE / case) + ": ")
        assert "\n" not in message and context.document.site is before


def test_a_read_only_layout_is_replaced_only_when_the_designer_says_so(file_controller_setup, tmp_path):
    controller, context, _, dialogs, _ = file_controller_setup
    path = tmp_path / "frozen.json"
    save_layout(Site(name="frozen"), path)
    path.chmod(0o444)
    before = path.read_bytes()
    asked: list[Path] = []
    answers = [False, True]
    controller.ask_replace_read_only = lambda p: (asked.append(p), answers.pop(0))[1]
    controller.path = path
    edit(context)
    assert controller.save() is False  # the designer said no
    assert path.read_bytes() == before and controller.modified and dialogs.errors == []
    assert controller.save() is True  # ... then yes
    assert asked == [path, path]
    assert load_layout(path) == context.document.site and not controller.modified
    assert stat.S_IMODE(path.stat().st_mode) == 0o444  # still read-only, as the designer left it


def test_restored_work_stays_recoverable_until_saved(file_controller_setup, tmp_path):
    controller, context, _, dialogs, _ = file_controller_setup
    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    crashed = Site(name="Crashed work", racks=[Rack(id="Q1", x_mm=0, y_mm=0)])
    save_layout(crashed, folder / f"{DEAD_PID}{autosave_module.SUFFIX}")
    (folder / f"{DEAD_PID}.origin").write_text(str(tmp_path / "work.json") + "\n")
    assert controller.restore_recovery(pending_recovery())
    # Crash again before any edit: the next start still finds the restored work.
    again = pending_recovery()
    assert again is not None and again.origin == tmp_path / "work.json"
    assert load_layout(again.path) == crashed
    assert controller.autosave.write_now() is False  # nothing new to write, and the copy is kept
    assert again.path.exists()
    assert controller.save() is True  # to work.json
    assert pending_recovery() is None


def test_restored_work_goes_when_discarded(file_controller_setup, tmp_path):
    controller, _, _, dialogs, _ = file_controller_setup
    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    save_layout(Site(name="Crashed"), folder / f"{DEAD_PID}{autosave_module.SUFFIX}")
    assert controller.restore_recovery(pending_recovery())
    dialogs.unsaved.append(Discard)
    assert controller.new() is True
    assert pending_recovery() is None


def test_start_removes_what_killed_saves_left_beside_recent_files(file_controller_setup, qtbot, tmp_path):
    controller, _, window, _, _ = file_controller_setup
    path = tmp_path / "work.json"
    save_layout(Site(name="work"), path)
    controller._remember(path)
    stale = tmp_path / f".work.json.{TEMP_TAG}-{DEAD_PID}-0123abcd.tmp"
    stale.write_text("half a layout")
    live = tmp_path / f".work.json.{TEMP_TAG}-{os.getppid()}-0123abcd.tmp"  # a running process's save
    live.write_text("being written")
    other = tmp_path / ".notes.txt.tmp"
    other.write_text("not ours")
    recovery_temp = recovery_dir() / f".{DEAD_PID}.recovery.json.{TEMP_TAG}-{DEAD_PID}-0123abcd.tmp"
    recovery_temp.parent.mkdir(parents=True, exist_ok=True)
    recovery_temp.write_text("half a copy")
    FileController(controller.context, window, controller.settings)  # the next start
    assert not stale.exists() and live.exists() and other.exists()
    pending_recovery()
    assert not recovery_temp.exists()

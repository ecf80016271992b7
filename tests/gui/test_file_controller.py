"""File controller: new/open/save with unsaved-change questions, recent files, exports, import, autosave."""

from __future__ import annotations

import csv
import json
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from gui import autosave as autosave_module
from gui.autosave import Recovery, pending_recovery, recovery_dir
from gui.context import AppContext
from gui.file_controller import MAX_RECENT, FileController
from model.analysis import Analysis
from model.commands import AddRack
from model.document import Document
from model.io.files import load_layout, save_layout
from model.io.library import load_user_devices
from model.layout import Rack, Site
from model.topologies import build_sample
from tests.gui.conftest import threads_calling

NETBOX = Path(__file__).resolve().parents[1] / "model" / "data" / "netbox"
Save, Discard, Cancel = (
    QMessageBox.StandardButton.Save,
    QMessageBox.StandardButton.Discard,
    QMessageBox.StandardButton.Cancel,
)


class Dialogs:
    """Scripted answers for the controller's dialogs, and a record of what was shown."""

    def __init__(self, controller: FileController) -> None:
        self.open_paths: list[Path | None] = []
        self.save_paths: list[Path | None] = []
        self.unsaved: list[QMessageBox.StandardButton] = []
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.asked_unsaved = 0
        controller.ask_open_path = lambda caption, file_filter: self.open_paths.pop(0)
        controller.ask_save_path = lambda caption, file_filter, suggested: self.save_paths.pop(0)
        controller.ask_unsaved = self._ask_unsaved
        controller.show_error = lambda title, message: self.errors.append((title, message))
        controller.show_info = lambda title, message: self.infos.append((title, message))

    def _ask_unsaved(self):
        self.asked_unsaved += 1
        return self.unsaved.pop(0)


@pytest.fixture
def setup(qtbot, tmp_path):
    window = QWidget()
    qtbot.addWidget(window)
    context = AppContext(Document(build_sample("trn2-ultra64")))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    controller = FileController(context, window, settings)
    titles: list[str] = []
    controller.titleChanged.connect(titles.append)
    return controller, context, window, Dialogs(controller), titles


def edit(context: AppContext, rack_id: str = "extra") -> None:
    x = 50_000 + 2_000 * len(context.document.racks)  # clear of the sample and of earlier edits
    context.push(AddRack(context.document, Rack(id=rack_id, x_mm=x, y_mm=50_000)))


def test_title_follows_name_and_modified_state(setup):
    controller, context, _, _, titles = setup
    assert controller.title == "Rack Designer — Trn2-Ultra64"
    edit(context)
    assert titles[-1] == "Rack Designer — Trn2-Ultra64 *"
    context.undo_stack.undo()
    assert titles[-1] == "Rack Designer — Trn2-Ultra64"
    context.document.rename_site("Hall B")
    assert titles[-1] == "Rack Designer — Hall B"


def test_standard_shortcuts(setup):
    controller, *_ = setup
    assert controller.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert controller.open_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert controller.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert controller.save_as_action.shortcut() == QKeySequence(QKeySequence.StandardKey.SaveAs)
    assert not controller.quit_action.shortcut().isEmpty()


def test_save_shortcut_saves_as_then_saves(setup, qtbot, tmp_path):
    controller, context, window, dialogs, titles = setup
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    edit(context)
    dialogs.save_paths.append(tmp_path / "hall")
    # Shortcuts are matched on the window system's key events, so send the key to the QWindow.
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = tmp_path / "hall.json"
    assert controller.path == saved
    assert load_layout(saved) == context.document.site
    assert not controller.modified
    assert titles[-1] == "Rack Designer — Trn2-Ultra64"
    edit(context, "extra2")
    controller.save_action.trigger()  # now straight to the same file, no dialog
    assert "extra2" in {r["id"] for r in json.loads(saved.read_text())["racks"]}


def test_open_analyses_the_layout_off_the_gui_thread(setup, tmp_path, monkeypatch):
    controller, context, _, _, _ = setup
    path = tmp_path / "nvl72.json"
    save_layout(build_sample("gb200-nvl72"), path)
    threads = []
    prepare = Analysis.prepare

    def recording(site, catalog):
        threads.append(threading.current_thread())
        return prepare(site, catalog)

    monkeypatch.setattr(Analysis, "prepare", staticmethod(recording))
    full_runs = context.analysis.full_runs
    assert controller.open_path(path)
    assert threads and threads[0] is not threading.main_thread()
    assert context.analysis.full_runs == full_runs + 1  # the worker's run, not a second one here
    assert context.analysis.compiled.site is context.document.site
    fresh = Analysis(Document(context.document.site, check=False)).result
    assert context.result.totals == fresh.totals and context.result.accelerators == 72


def test_a_big_file_shows_its_busy_dialog_before_it_is_read(setup, tmp_path, monkeypatch):
    from gui import file_controller as module

    controller, *_ = setup
    path = tmp_path / "nvl72.json"
    save_layout(build_sample("gb200-nvl72"), path)
    asked = []
    real = module.run_with_progress

    def recording(parent, label, work, at_once=False, keep=False):
        asked.append((label, at_once, keep))
        return real(parent, label, work, at_once=at_once, keep=keep)

    monkeypatch.setattr(module, "run_with_progress", recording)
    assert controller.open_path(path)
    monkeypatch.setattr(module, "READS_LONG_BYTES", path.stat().st_size)
    assert controller.open_path(path)
    assert not controller.open_path(tmp_path / "gone.json")  # no size to go by: the read says what is wrong
    # The layout read is kept out of later cyclic collections (gui.background.made_long_lived).
    assert asked == [
        ("Opening nvl72.json…", False, True),
        ("Opening nvl72.json…", True, True),
        ("Opening gone.json…", False, True),
    ]


def test_a_big_damaged_file_closes_its_busy_dialog_and_says_what_is_wrong(setup, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog

    from gui import file_controller as module

    controller, context, window, dialogs, _ = setup
    window.show()
    path = tmp_path / "cut.json"
    save_layout(build_sample("gb200-nvl72"), path)
    path.write_bytes(path.read_bytes()[:-40])  # cut short, as a copy that stopped
    monkeypatch.setattr(module, "READS_LONG_BYTES", 1)  # every file is "big": its dialog shows at once
    site = context.document.site
    assert not controller.open_path(path)
    assert [title for title, _ in dialogs.errors] == ["Cannot open layout"] and "cut.json" in dialogs.errors[0][1]
    assert not [d for d in window.findChildren(QProgressDialog) if d.isVisible()]  # the dialog went with the read
    assert context.document.site is site  # the open layout stays


def test_a_file_opened_by_a_relative_name_is_remembered_by_its_whole_path(setup, tmp_path, monkeypatch):
    # `main.py pod.json`: the recovery copy's origin and Open Recent must still name the file
    # when a later run starts in another folder (found by this session's fresh-user test).
    controller, context, _, _, _ = setup
    said: list[str] = []
    context.statusMessage.connect(said.append)
    save_layout(Site(name="Pod", racks=[Rack(id="Z1", x_mm=0, y_mm=0)]), tmp_path / "pod.json")
    monkeypatch.chdir(tmp_path)
    assert controller.open_path(Path("pod.json")) is True
    assert controller.path == tmp_path / "pod.json" and controller.path.is_absolute()
    assert controller.recent_files()[0] == tmp_path / "pod.json"
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert controller.open_path(Path("../pod.json")) is True
    assert str(controller.path) == str(tmp_path / "pod.json")  # without '..' (it named '.../sub/../pod.json')
    assert said[-1] == f"Opened {tmp_path / 'pod.json'}"  # the status bar too
    monkeypatch.chdir(tmp_path.parent)
    edit(context)
    assert controller.autosave.write_now() is True
    origin = autosave_module._origin_file(controller.autosave.path).read_text(encoding="utf-8").strip()
    assert Path(origin) == tmp_path / "pod.json" and Path(origin).exists()


def test_open_replaces_the_layout_and_clears_undo(setup, tmp_path):
    controller, context, _, dialogs, titles = setup
    other = Site(name="Other", racks=[Rack(id="Z1", x_mm=0, y_mm=0)])
    path = tmp_path / "other.json"
    save_layout(other, path)
    edit(context)
    dialogs.unsaved.append(Discard)
    dialogs.open_paths.append(path)
    assert controller.open() is True
    assert dialogs.asked_unsaved == 1
    assert context.document.site == other
    assert context.undo_stack.count() == 0 and not controller.modified
    assert context.result.accelerators == 0
    assert controller.path == path
    assert titles[-1] == "Rack Designer — Other"
    assert controller.recent_files() == [path.absolute()]


def test_another_layout_opened_or_new_shows_every_run_in_the_cables_table(setup, qtbot, tmp_path):
    """The cables table's filter referred to the last layout's names: kept, the next file's
    table showed '0 of 160 runs'. Opened or new, the filter goes; a failed open keeps it."""
    from gui.docks.cables_table import CablesDock

    controller, context, _, dialogs, _ = setup
    dock = CablesDock(context)
    qtbot.addWidget(dock)
    qtbot.keyClicks(dock.filter_edit, "core01-05")
    dock.medium_filter.setCurrentIndex(dock.medium_filter.findData("AEC"))
    path = tmp_path / "sample.json"
    save_layout(build_sample("trn2-ultra64"), path)
    dialogs.open_paths.append(tmp_path / "missing.json")
    assert controller.open() is False and dock.filter_edit.text() == "core01-05"
    dialogs.open_paths.append(path)
    assert controller.open() is True
    assert dock.filter_edit.text() == "" and dock.medium_filter.currentData() == ""
    assert dock.model.rowCount() == len(context.result.cable_ids) == 160
    assert dock.count.text() == "160 runs"
    qtbot.keyClicks(dock.filter_edit, "c1")
    assert controller.new() is True and dock.filter_edit.text() == ""


def test_save_as_starts_from_the_opened_file_or_the_new_layouts_name(setup, tmp_path):
    """Save As of an opened file suggested the layout's name ('Scale-out pod (10000
    accelerators, infiniband b300).json') instead of the file (p10k.json)."""
    controller, context, _, dialogs, _ = setup
    suggested = []
    controller.ask_save_path = lambda caption, file_filter, name: suggested.append(name)  # then cancelled
    path = tmp_path / "p10k.json"
    save_layout(build_sample("trn2-ultra64"), path)
    dialogs.open_paths.append(path)
    assert controller.open() is True
    assert controller.save_as() is False and suggested[-1] == str(path)
    assert controller.new() is True
    context.document.set_properties(name='Hall 2/B: "north" ')
    assert controller.save_as() is False and suggested[-1] == "Hall 2-B- -north-.json"


def test_cancel_keeps_everything(setup, tmp_path):
    controller, context, _, dialogs, _ = setup
    edit(context)
    before = context.document.site.model_copy(deep=True)
    dialogs.unsaved.append(Cancel)
    assert controller.new() is False
    assert context.document.site == before
    assert controller.modified


def test_save_answer_saves_before_new(setup, tmp_path):
    controller, context, _, dialogs, _ = setup
    edit(context)
    dialogs.unsaved.append(Save)
    dialogs.save_paths.append(tmp_path / "kept.json")
    assert controller.new() is True
    assert "extra" in {r["id"] for r in json.loads((tmp_path / "kept.json").read_text())["racks"]}
    assert context.document.site == Site()
    assert controller.path is None


def test_bad_file_shows_the_problem_and_keeps_the_layout(setup, tmp_path):
    controller, context, _, dialogs, _ = setup
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "rack-designer-layout", "schema_version": 1, "racks": [{"id": "A"}]}')
    before = context.document.site.model_copy(deep=True)
    dialogs.open_paths.append(bad)
    assert controller.open() is False
    assert dialogs.errors == [("Cannot open layout", f"{bad}: racks[0].x_mm: Field required (and 1 more problem)")]
    assert context.document.site == before
    assert controller.path is None


def test_save_failure_is_shown_and_state_kept(setup, tmp_path):
    controller, context, _, dialogs, _ = setup
    edit(context)
    dialogs.save_paths.append(tmp_path / "missing-folder" / "x.json")
    assert controller.save() is False
    assert dialogs.errors[0][0] == "Cannot save layout"
    assert "No such file or directory" in dialogs.errors[0][1]
    assert controller.modified and controller.path is None


def test_recent_files_menu(setup, tmp_path):
    controller, context, _, dialogs, _ = setup
    paths = []
    for i in range(MAX_RECENT + 2):
        path = tmp_path / f"l{i}.json"
        save_layout(Site(name=f"L{i}"), path)
        paths.append(path)
        assert controller.open_path(path)
    recent = controller.recent_files()
    assert len(recent) == MAX_RECENT
    assert recent[0] == paths[-1].absolute()
    actions = controller.recent_menu.actions()
    assert [a.data() for a in actions] == [str(p) for p in recent]
    actions[3].trigger()  # l8.json
    assert context.document.site.name == f"L{MAX_RECENT + 1 - 3}"
    assert controller.recent_files()[0] == paths[MAX_RECENT - 2].absolute()
    # A recent file that disappeared is reported and dropped from the list.
    paths[-1].unlink()
    assert controller.open_recent(paths[-1].absolute()) is False
    assert "cannot read" in dialogs.errors[-1][1]
    assert paths[-1].absolute() not in controller.recent_files()


def test_exports_write_csv_files(setup, tmp_path):
    controller, context, _, dialogs, _ = setup
    expected = {
        controller.export_schedule_action: ("schedule.csv", "cable_id", len(context.document.site.cables)),
        controller.export_bom_action: ("bom.csv", "product", len(context.result.bom)),
        controller.export_netbox_devices_action: ("devices.csv", "name", len(context.document.devices)),
        controller.export_netbox_cables_action: ("cables.csv", "side_a_device", len(context.document.site.cables)),
    }
    for action, (name, first_column, count) in expected.items():
        dialogs.save_paths.append(tmp_path / name)
        action.trigger()
        with (tmp_path / name).open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert list(rows[0])[0] == first_column
        assert len(rows) == count
    dialogs.save_paths.append(None)  # cancelled: nothing written, nothing said
    assert controller.export_bom() is False
    assert dialogs.errors == []


def test_a_big_layouts_exports_are_written_on_the_worker_the_same_bytes(setup, tmp_path, monkeypatch):
    """The cable schedule (1.3 s) and NetBox's cables (2.6 s) at 300,000 cables held the window:
    a big layout's exports are written on the worker behind the busy dialog, the same bytes as
    written here, the NetBox import set too; a read-only target is still asked about."""
    from gui import background, file_controller

    controller, context, _, dialogs, _ = setup
    actions = {
        "schedule.csv": controller.export_schedule_action,
        "bom.csv": controller.export_bom_action,
        "devices.csv": controller.export_netbox_devices_action,
        "cables.csv": controller.export_netbox_cables_action,
    }
    for name, action in actions.items():
        dialogs.save_paths.append(tmp_path / f"here-{name}")
        action.trigger()
    dialogs.save_paths.append(tmp_path / "here-netbox")
    controller.export_netbox_set_action.trigger()

    monkeypatch.setattr(file_controller, "SAVES_LONG_CABLES", 10)  # the sample's 160 cables count as many
    threads: list[str] = []
    real = background._pool.submit
    monkeypatch.setattr(
        background._pool, "submit", lambda *work: real(lambda: (threads.append(1), work[0](*work[1:]))[1])
    )
    for name, action in actions.items():
        dialogs.save_paths.append(tmp_path / f"worker-{name}")
        action.trigger()
        assert (tmp_path / f"worker-{name}").read_bytes() == (tmp_path / f"here-{name}").read_bytes()
    assert len(threads) == len(actions)
    dialogs.save_paths.append(tmp_path / "worker-netbox")
    controller.export_netbox_set_action.trigger()
    assert len(threads) == len(actions) + 1
    for path in (tmp_path / "here-netbox").iterdir():
        assert (tmp_path / "worker-netbox" / path.name).read_bytes() == path.read_bytes()
    os.chmod(tmp_path / "worker-bom.csv", 0o444)
    asked: list[Path] = []
    controller.ask_replace_read_only = lambda path: asked.append(path) or False
    dialogs.save_paths.append(tmp_path / "worker-bom.csv")
    assert controller.export_bom() is False and asked == [tmp_path / "worker-bom.csv"]
    assert dialogs.errors == []


def test_netbox_import_set_writes_every_file_and_says_the_order(setup, tmp_path):
    controller, context, _, dialogs, _ = setup
    dialogs.save_paths.append(tmp_path / "pod-netbox")
    controller.export_netbox_set_action.trigger()
    written = sorted(p.name for p in (tmp_path / "pod-netbox").iterdir())
    assert written == [
        "1-sites.csv", "2-locations.csv", "3-manufacturers.csv", "4-device-roles.csv",
        "5-device-types.yaml", "6-racks.csv", "7-devices.csv", "8-cables.csv", "README.txt",
    ]  # fmt: skip
    title, text = dialogs.infos[-1]
    assert title == "NetBox import set" and "Wrote 9 files" in text
    assert text.index("1-sites.csv → Organization > Sites > Import") < text.index("8-cables.csv")
    with (tmp_path / "pod-netbox" / "8-cables.csv").open(newline="") as handle:
        assert len(list(csv.DictReader(handle))) == len(context.document.site.cables)
    (tmp_path / "a-file").write_text("keep")
    dialogs.save_paths.append(tmp_path / "a-file")  # a file where the folder should go: refused, kept
    assert controller.export_netbox_set() is False
    assert "it is a file" in dialogs.errors[-1][1] and (tmp_path / "a-file").read_text() == "keep"


def test_import_netbox_device_type(setup):
    controller, context, _, dialogs, _ = setup
    catalogs = []
    controller.catalogChanged.connect(catalogs.append)
    dialogs.open_paths.append(NETBOX / "generic-2u-server.yaml")
    controller.import_netbox_action.trigger()
    assert "generic-2u-server-2x400g" in context.document.catalog.devices
    assert catalogs and catalogs[0] is context.document.catalog
    assert [d.id for d in load_user_devices()] == ["generic-2u-server-2x400g"]
    title, text = dialogs.infos[-1]
    assert title == "Device type imported" and "10gbase-t" in text
    assert not controller.modified  # importing a type is not an edit of the layout
    dialogs.open_paths.append(NETBOX / "generic-2u-server.yaml")
    assert controller.import_netbox_device_type() is False
    assert "already in the catalog" in dialogs.errors[-1][1]


def test_autosave_writes_a_recovery_copy_only_when_modified(setup, tmp_path):
    controller, context, _, dialogs, _ = setup
    autosave = controller.autosave
    assert autosave.timer.isActive() and autosave.timer.interval() == 60_000
    assert autosave.write_now() is False  # nothing unsaved
    edit(context)
    assert autosave.write_now() is True
    assert autosave.write_now() is False  # nothing new since the copy
    assert load_layout(autosave.path) == context.document.site
    assert autosave.path.parent == recovery_dir()
    dialogs.save_paths.append(tmp_path / "saved.json")
    controller.save()
    assert not autosave.path.exists()


def test_autosave_runs_on_its_timer(setup, qtbot):
    controller, context, _, _, _ = setup
    controller.autosave.timer.setInterval(20)
    edit(context)
    with qtbot.waitSignal(controller.autosave.saved, timeout=2000):
        pass
    assert controller.autosave.path.exists()


def test_a_big_layouts_recovery_copy_is_read_between_turns_and_written_on_the_worker(setup, qtbot, monkeypatch):
    """At 300,000 cables writing the copy took ~3 s, the window frozen every minute of editing.
    A big layout's is read here a piece a turn (where no edit is ever half done: read on the
    worker, a copy could hold half of one, a fresh user's find) and written on the worker; it
    is the layout as it stood."""
    from gui import autosave as autosave_module
    from model.io import files

    controller, context, _, _, _ = setup
    autosave = controller.autosave
    monkeypatch.setattr(autosave_module, "BACKGROUND_CABLES", 10)  # the sample's 160 cables count as many
    monkeypatch.setattr(autosave_module, "READ_STEP_S", 0.0)  # a piece a turn
    monkeypatch.setattr(files, "DUMP_CABLES", 20)
    threads: dict[str, set[str]] = {"read": set(), "write": set()}
    real_steps, real_write = autosave_module.layout_data_steps, autosave_module.write_layout_data

    def steps(site):
        generator = real_steps(site)
        try:
            while True:
                threads["read"].add(threading.current_thread().name)
                next(generator)
                yield
        except StopIteration as done:
            return done.value

    def write(*args, **kwargs):
        threads["write"].add(threading.current_thread().name)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(autosave_module, "layout_data_steps", steps)
    monkeypatch.setattr(autosave_module, "write_layout_data", write)
    edit(context)
    assert autosave.write_now() is True
    assert autosave.writing and not autosave.path.exists()  # not all in this turn
    with qtbot.waitSignal(autosave.saved, timeout=5000):
        pass
    assert threads["read"] == {threading.current_thread().name}
    assert len(threads["write"]) == 1 and next(iter(threads["write"])).startswith("rack-designer-work")
    assert load_layout(autosave.path) == context.document.site
    assert autosave.write_now() is False  # nothing new since


def test_an_edit_while_the_copy_is_read_leaves_it_for_the_next_tick(setup, qtbot, monkeypatch):
    """An edit made between two turns that read the layout makes what was read a mix of before
    and after: nothing is written, and the next tick writes the layout as it then stands. A
    copy discarded (a save, a quit) while the worker writes it is not left behind."""
    from gui import autosave as autosave_module
    from model.io import files

    controller, context, _, _, _ = setup
    autosave = controller.autosave
    monkeypatch.setattr(autosave_module, "BACKGROUND_CABLES", 10)
    monkeypatch.setattr(autosave_module, "READ_STEP_S", 0.0)
    monkeypatch.setattr(files, "DUMP_CABLES", 20)
    edit(context)
    assert autosave.write_now() is True
    edit(context, "extra-2")  # between two turns of the read
    qtbot.waitUntil(lambda: not autosave.writing, timeout=5000)
    assert not autosave.path.exists()
    with qtbot.waitSignal(autosave.saved, timeout=5000):
        assert autosave.write_now() is True
    assert load_layout(autosave.path) == context.document.site and "extra-2" in context.document.racks

    writing, go_on = threading.Event(), threading.Event()
    real = autosave_module.write_layout_data

    def slow(*args, **kwargs):
        writing.set()
        go_on.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(autosave_module, "write_layout_data", slow)
    edit(context, "extra-3")
    assert autosave.write_now() is True
    qtbot.waitUntil(writing.is_set, timeout=5000)
    autosave.discard()  # a save or a quit, while the worker writes
    go_on.set()
    qtbot.wait(300)
    assert not autosave.path.exists()


def test_a_big_layout_is_saved_on_the_worker_and_a_read_only_file_still_asks(setup, tmp_path, monkeypatch):
    """Save held the window ~3 s at 300,000 cables: a big layout is written on the worker
    behind the busy dialog, the same bytes; a read-only file is still asked about first."""
    from gui import file_controller
    from model.io import files

    controller, context, _, dialogs, _ = setup
    monkeypatch.setattr(file_controller, "SAVES_LONG_CABLES", 10)
    threads = threads_calling(monkeypatch, files, "write_layout_data")
    edit(context)
    dialogs.save_paths.append(tmp_path / "big.json")
    assert controller.save()
    assert threads and threads[0].startswith("rack-designer-work")
    assert (tmp_path / "big.json").read_text(encoding="utf-8") == files.dumps_layout(context.document.site)
    assert not controller.modified
    edit(context, "extra-2")
    os.chmod(tmp_path / "big.json", 0o444)
    asked: list[Path] = []
    controller.ask_replace_read_only = lambda path: asked.append(path) or True
    assert controller.save()
    assert asked == [tmp_path / "big.json"]
    assert load_layout(tmp_path / "big.json") == context.document.site and len(threads) == 3


def test_pending_recovery_from_a_crashed_app_is_restored(setup, tmp_path):
    controller, context, _, _, titles = setup
    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    crashed = Site(name="Crashed work", racks=[Rack(id="Q1", x_mm=0, y_mm=0)])
    dead_pid = 2**22 + 12345  # above Linux's pid_max default: no such process
    save_layout(crashed, folder / f"{dead_pid}{autosave_module.SUFFIX}")
    (folder / f"{dead_pid}.origin").write_text(str(tmp_path / "work.json") + "\n")
    # This app's own copy is not a crash.
    save_layout(Site(name="mine"), folder / f"{os.getpid()}{autosave_module.SUFFIX}")
    os.utime(folder / f"{os.getpid()}{autosave_module.SUFFIX}", (1, 1))
    recovery = pending_recovery()
    assert recovery == Recovery(folder / f"{dead_pid}{autosave_module.SUFFIX}", tmp_path / "work.json")
    assert controller.restore_recovery(recovery)
    assert context.document.site == crashed
    assert controller.path == tmp_path / "work.json"
    assert controller.modified and titles[-1] == "Rack Designer — Crashed work *"
    assert not recovery.path.exists()


def test_quit_asks_and_removes_the_recovery_copy(setup):
    controller, context, _, dialogs, _ = setup
    edit(context)
    controller.autosave.write_now()
    dialogs.unsaved.append(Cancel)
    assert controller.close_requested() is False
    assert controller.autosave.path.exists()
    dialogs.unsaved.append(Discard)
    assert controller.close_requested() is True
    assert not controller.autosave.path.exists()
    assert not controller.autosave.timer.isActive()


def test_file_dialogs_start_where_the_last_one_chose_until_the_layout_has_a_folder(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window = QWidget()
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    controller = FileController(AppContext(Document()), window, settings)  # untitled: no folder of its own
    started: list[str] = []

    def save_dialog(parent, caption, start, file_filter):
        started.append(start)
        return str(tmp_path / "exports" / "pod-bom.csv"), file_filter

    (tmp_path / "exports").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    assert controller.folder() == Path.home()
    controller.ask_save_path("Export", "CSV (*.csv)", "pod-bom.csv")
    controller.ask_save_path("Export", "CSV (*.csv)", "pod-bom.csv")
    assert started == [str(Path.home() / "pod-bom.csv"), str(tmp_path / "exports" / "pod-bom.csv")]
    # Remembered across runs (the settings file), and the open layout's own folder wins.
    again = FileController(AppContext(Document()), window, settings)
    assert again.folder() == tmp_path / "exports"
    again.path = tmp_path / "pod.json"
    assert again.folder() == tmp_path


def test_open_leaves_nothing_selected_even_where_the_new_file_has_the_same_ids(setup, tmp_path):
    """A selection is of the layout on show: after File > Open, a cable selected in the last file
    named the new file's cable of the same id, and Delete removed a cable never chosen."""
    from gui.context import Selected

    controller, context, _, dialogs, _ = setup
    path = tmp_path / "same-ids.json"
    save_layout(context.document.site, path)  # every id again, in another file
    cable = next(iter(context.document.cables))
    context.set_selection([Selected("cable", cable), Selected("rack", next(iter(context.document.racks)))])
    dialogs.open_paths.append(path)
    assert controller.open() is True
    assert cable in context.document.cables
    assert context.selection == ()


def test_a_layout_with_no_name_is_titled_by_its_file(setup, tmp_path):
    """A nameless layout's title read 'Rack Designer — ' and nothing more (a fresh user's find)."""
    controller, _, _, _, _ = setup
    save_layout(Site(name="", racks=[Rack(id="Z1", x_mm=0, y_mm=0)]), tmp_path / "noname.json")
    assert controller.open_path(tmp_path / "noname.json") is True
    assert controller.title == "Rack Designer — noname.json"


def test_a_small_layout_opened_gives_the_last_ones_memory_back(setup, tmp_path, monkeypatch):
    """A layout too small for a heap reserve (gui.heap) still gives back what the heap holds
    free once it is shown: the last layout's memory, if it was a big one."""
    from gui import file_controller

    controller, context, _, _, _ = setup
    path = tmp_path / "small.json"
    save_layout(build_sample("gb200-nvl72"), path)
    given: list[int] = []
    monkeypatch.setattr(file_controller, "give_back_freed_memory", lambda: given.append(1) or True)
    assert controller.open_path(path) and controller.heap_reserve is None
    assert given == []  # not in the middle of the turn that shows it
    QApplication.processEvents()
    assert given == [1]


def test_an_export_of_a_scenario_shown_says_so_in_its_name_and_message(setup, tmp_path):
    """With a scenario shown, the cable schedule, BOM and NetBox cables hold its figures, but
    neither the file's suggested name nor the status bar said which design they held (a fresh
    user's find). The layout's devices are the same in every design: not marked."""
    from model.commands_scenarios import add_scenario
    from model.layout import Scenario

    controller, context, _, dialogs, _ = setup
    suggested: list[str] = []
    controller.ask_save_path = lambda caption, file_filter, name: (suggested.append(name), dialogs.save_paths.pop(0))[1]
    said: list[str] = []
    context.statusMessage.connect(said.append)
    context.push(add_scenario(context.document, Scenario(name="all optical ✓", medium_policy="all-optical")))
    context.set_active_scenario("all optical ✓")
    dialogs.save_paths += [tmp_path / "schedule.csv", tmp_path / "devices.csv"]
    assert controller.export_schedule() and controller.export_netbox_devices()
    assert suggested == ["Trn2-Ultra64-all-optical-cables.csv", "Trn2-Ultra64-netbox-devices.csv"]
    assert said[-2:] == [
        f"Exported {tmp_path / 'schedule.csv'} (scenario 'all optical ✓')",
        f"Exported {tmp_path / 'devices.csv'}",
    ]
    written = (tmp_path / "schedule.csv").read_text()
    assert ",AOC," in written and ",AEC," not in written and ",DAC," not in written  # the scenario's media

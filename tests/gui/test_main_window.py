"""The main window: title, menus and shortcuts, docks, settings, auto-wiring."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from gui.context import Selected
from gui.main_window import SETTINGS
from tests.gui.conftest import dump, make_window


def test_title_names_the_layout_and_marks_changes(window, small_context):
    assert window.windowTitle() == "Rack Designer — Small"
    small_context.set_selection([Selected("device", "T3")])
    window.elevation.setFocus()
    window.delete_action.trigger()
    assert window.windowTitle().endswith("*")
    window.undo_action.trigger()
    assert window.windowTitle() == "Rack Designer — Small"


def test_menus_docks_and_toolbar(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Insert", "&Tools", "&Help"]
    assert {"library", "inspector", "metrics", "cables_table", "problems"} <= set(window.docks)
    library = window.docks["library"]
    toggle = library.toggleViewAction()
    view_menu = window.menuBar().actions()[2].menu()
    assert toggle in view_menu.actions()
    toggle.trigger()
    assert library.isHidden()
    toggle.trigger()
    assert not library.isHidden()


def test_delete_key_and_ctrl_z(window, small_context):
    before = dump(small_context)
    small_context.set_selection([Selected("device", "T1")])
    window.floor.setFocus()
    QTest.keyClick(window.floor, Qt.Key.Key_Delete)
    doc = small_context.document
    assert "T1" not in doc.devices and not doc.cables  # both cables ended on T1
    assert window.undo_action.text() == "&Undo Delete T1"
    QTest.keyClick(window.floor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dump(small_context) == before
    QTest.keyClick(window.floor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "T1" not in doc.devices


def test_duplicate_and_copy_paste_racks(window, small_context):
    doc = small_context.document
    small_context.set_selection([Selected("rack", "R2")])
    window.floor.setFocus()
    QTest.keyClick(window.floor, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "R2-copy1" in doc.racks and doc.racks["R2-copy1"].x_mm == 2100
    assert small_context.selection == (Selected("rack", "R2-copy1"),)
    window.copy_action.trigger()
    window.paste_action.trigger()
    assert "R2-copy2" in doc.racks
    assert small_context.undo_stack.count() == 2


def test_escape_cancels_a_rack_drag(window, small_context):
    from tests.gui.conftest import mouse_drag

    before = dump(small_context)
    mouse_drag(
        window.floor, window.floor.scene().rack_rect("R2").center(), window.floor.mapToScene(10, 10), release=False
    )
    window.floor.setFocus()
    QTest.keyClick(window.floor, Qt.Key.Key_Escape)
    assert window.floor.interaction is None
    QTest.mouseRelease(window.floor.viewport(), Qt.MouseButton.LeftButton)
    assert dump(small_context) == before


def test_zoom_actions(window):
    zoom = window.floor.zoom()
    window.floor.setFocus()
    window.zoom_in_action.trigger()
    assert window.floor.zoom() > zoom
    window.zoom_out_action.trigger()
    window.zoom_out_action.trigger()
    assert window.floor.zoom() < zoom
    QTest.keyClick(window.floor, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert abs(window.floor.zoom() - zoom) / zoom < 0.05


def test_add_rack_and_tray(window, small_context):
    doc = small_context.document
    window.add_rack_action.trigger()
    added = [r for r in doc.site.racks if r.id not in ("R1", "R2")]
    assert len(added) == 1 and added[0].row == "A" and added[0].x_mm == 2100
    small_context.set_selection([Selected("rack", "R1"), Selected("rack", "R2")])
    window.add_tray_action.trigger()
    tray = [t for t in doc.site.trays if t.id != "TR1"][0]
    assert tray.points == [(600.0, 1800.0), (1800.0, 1800.0)]
    assert tray.elevation_mm > 48 * doc.site.settings.rack_unit_mm


def test_window_state_is_saved_and_restored(qtbot, window, small_context):
    window.resize(701, 555)  # inside the offscreen 800 x 800 screen
    window.docks["metrics"].hide()
    window.close()
    assert QSettings(*SETTINGS).value("window/geometry") is not None
    again = make_window(qtbot, small_context)
    assert (again.size().width(), again.size().height()) == (701, 555)
    assert again.docks["metrics"].isHidden()


def test_autowire_trn2_torus_is_one_undo_step(qtbot, sample_context):
    doc = sample_context.document
    doc.disconnect_many(list(doc.cables))
    win = make_window(qtbot, sample_context)
    sample_context.set_selection([Selected("rack", r) for r in doc.racks])
    win.autowire_actions["trn2_torus"].trigger()
    qtbot.waitUntil(lambda: sample_context.undo_stack.count() == 1, timeout=20_000)
    assert len(doc.cables) == 160
    assert sample_context.result.totals["by_medium"] == {"DAC": 96, "AEC": 64, "AOC": 0, "OPTICS": 0}
    assert "Trn2 Torus" in sample_context.undo_stack.undoText()
    sample_context.undo_stack.undo()
    assert not doc.cables


def test_autowire_with_nothing_suitable_says_so(window, small_context):
    messages = []
    small_context.statusMessage.connect(messages.append)
    window.autowire_actions["leaf_spine"].trigger()
    assert "Select" in messages[-1]
    assert small_context.undo_stack.count() == 0


def test_problem_jump_shows_the_rack_of_a_device(window, small_context):
    window.show_target("device", "T3")
    assert window.elevation.scene().shown == ["R2"]


def test_app_opens_a_file_or_reports_a_bad_one(qtbot, tmp_path, monkeypatch):
    from gui import app as app_module
    from gui.file_controller import FileController
    from model.io.files import save_layout
    from tests.gui.conftest import small_site

    errors = []
    monkeypatch.setattr(FileController, "show_error", lambda self, title, message: errors.append(message))
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    window = app_module.open_window([str(bad)])
    qtbot.addWidget(window)
    assert errors and "bad.json" in errors[0]
    assert window.context.document.site.name == "Trn2-Ultra64"  # the sample stays
    good = tmp_path / "small.json"
    save_layout(small_site(), good)
    other = app_module.open_window([str(good)])
    qtbot.addWidget(other)
    assert other.context.document.site.name == "Small"
    assert other.windowTitle() == "Rack Designer — Small"

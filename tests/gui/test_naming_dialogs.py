"""File → Properties and Edit → Rename by Scheme, driven through the real window's menus and
the real dialogs: what they change in the model, what the window shows, undo, refusals."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from gui.context import Selected
from gui.naming_dialogs import LayoutPropertiesDialog, RenameDialog
from tests.gui.conftest import dump


def open_dialog(qtbot, action, kind):
    action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def type_into(edit, text: str) -> None:
    edit.selectAll()
    QTest.keyClicks(edit, text)


def press_ok(dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    QTest.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_properties_rename_the_layout_in_title_file_and_one_undo(qtbot, window, small_context, tmp_path):
    assert window.properties_action in window.menuBar().actions()[0].menu().actions()
    dialog = open_dialog(qtbot, window.properties_action, LayoutPropertiesDialog)
    type_into(dialog.name_edit, "Pod 7")
    type_into(dialog.info_edits["site"], "Ashburn")
    type_into(dialog.info_edits["hall"], "DH2")
    type_into(dialog.info_edits["author"], "A. Designer")
    type_into(dialog.info_edits["revision"], "B")
    QTest.mouseClick(dialog.today_button, Qt.MouseButton.LeftButton)
    type_into(dialog.pattern_edits["rack"], "{hall}-{row}{rack:02}")
    press_ok(dialog)
    site = small_context.document.site
    assert site.name == "Pod 7" and site.info.site == "Ashburn" and site.info.revision == "B"
    assert len(site.info.date) == 10 and site.naming.rack == "{hall}-{row}{rack:02}"
    assert window.windowTitle() == "Rack Designer — Pod 7 *"
    assert small_context.result.layout_name == "Pod 7"  # what the report and the PDF's title say
    assert small_context.undo_stack.count() == 1
    window.undo_action.trigger()
    assert site.name == "Small" and site.info.site == "" and window.windowTitle() == "Rack Designer — Small"


def test_a_bad_pattern_keeps_the_dialog_open_and_changes_nothing(qtbot, window, small_context, monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    before = dump(small_context)
    dialog = open_dialog(qtbot, window.properties_action, LayoutPropertiesDialog)
    type_into(dialog.pattern_edits["rack"], "{floor}-{rack}")
    type_into(dialog.info_edits["date"], "30/11/2026")
    press_ok(dialog)
    assert dialog.isVisible() and warnings
    assert "{floor} is not a rack pattern field" in warnings[-1] or "YYYY-MM-DD" in warnings[-1]
    assert dump(small_context) == before and small_context.undo_stack.count() == 0
    dialog.reject()


def test_rename_by_scheme_renames_the_selection_shows_it_and_undoes(qtbot, window, small_context):
    small_context.set_selection([Selected("rack", "R1"), Selected("rack", "R2")])
    dialog = open_dialog(qtbot, window.rename_action, RenameDialog)
    assert dialog.racks_box.isChecked() and dialog.devices_box.isChecked()
    dialog.cables_box.setChecked(True)
    dialog.start_spin.setValue(5)
    assert "R1 → R05" in dialog.preview_label.text()
    press_ok(dialog)
    doc = small_context.document
    assert [doc.racks["R1"].name, doc.racks["R2"].name] == ["R05", "R06"]
    assert doc.devices["T1"].name == "R05-U05" and doc.devices["T3"].name == "R06-U05"
    assert {c.label for c in doc.site.cables} == {"C00005", "C00006"}
    floor_names = {item.label for item in window.floor.scene().items() if hasattr(item, "label")}
    assert {"R05", "R06"} <= floor_names  # the floor plan shows the new names
    rows = small_context.result.cable(1)
    assert rows.a_end.text == "R05 U5 R05-U05:c0.n2"  # the cables panel and inspector read these
    assert small_context.undo_stack.count() == 1
    assert window.statusBar().currentMessage() == (
        "Renamed 2 racks, 3 devices, 2 cables by the naming scheme (Undo puts the old names back)"
    )
    window.undo_action.trigger()
    assert doc.racks["R1"].name == "" and doc.devices["T1"].name == "" and doc.site.cables[0].label == ""


def test_a_clash_is_refused_in_a_dialog_naming_both(qtbot, window, small_context, monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    small_context.document.update_rack("R1", name="R02")
    before = dump(small_context)
    small_context.set_selection([Selected("rack", "R2")])
    dialog = open_dialog(qtbot, window.rename_action, RenameDialog)
    dialog.devices_box.setChecked(False)
    dialog.start_spin.setValue(2)
    assert "would be both rack 'R02' (id R1) and rack R2" in dialog.preview_label.text()
    press_ok(dialog)
    assert warnings and "'R02' would be both rack 'R02' (id R1) and rack R2" in warnings[-1]
    assert dialog.isVisible() and dump(small_context) == before
    dialog.reject()


def test_rename_with_nothing_selected_renames_the_whole_layout(qtbot, window, small_context):
    small_context.set_selection([])
    doc = small_context.document
    dialog = open_dialog(qtbot, window.rename_action, RenameDialog)
    assert dialog.racks_box.text() == f"All racks — nothing is selected ({len(doc.racks)})"
    assert dialog.racks_box.isChecked() and dialog.devices_box.isChecked()
    press_ok(dialog)
    assert sorted(rack.name for rack in doc.racks.values()) == [f"R{n:02}" for n in range(1, len(doc.racks) + 1)]
    assert all(device.name for device in doc.devices.values())
    assert small_context.undo_stack.count() == 1


def test_the_rename_preview_grows_the_dialog_so_no_line_is_cut(qtbot, window, small_context):
    small_context.set_selection([])
    dialog = open_dialog(qtbot, window.rename_action, RenameDialog)
    before = dialog.preview_label.text().count("<br>")
    dialog.cables_box.setChecked(True)  # two more lines: the first cables' new ids
    label = dialog.preview_label
    assert label.text().count("<br>") == before + 2
    assert label.height() >= label.heightForWidth(label.width())
    assert dialog.geometry().contains(label.geometry().bottomRight())
    dialog.reject()


def test_rename_in_an_empty_layout_says_there_is_nothing_to_rename(qtbot):
    from gui.context import AppContext
    from model.document import Document
    from tests.gui.conftest import make_window

    context = AppContext(Document())
    win = make_window(qtbot, context)
    messages: list[str] = []
    context.say = messages.append
    win.rename_action.trigger()
    assert messages == ["Nothing to rename: the layout has no racks yet"]


def test_save_as_names_an_untitled_layout_after_its_file(qtbot, tmp_path):
    from gui.context import AppContext
    from model.document import Document
    from model.io.files import load_layout
    from tests.gui.conftest import make_window

    context = AppContext(Document())
    win = make_window(qtbot, context)
    assert win.windowTitle() == "Rack Designer — Untitled layout"
    win.file_controller.ask_save_path = lambda *args: tmp_path / "pod7"
    assert win.file_controller.save_as()
    assert context.document.site.name == "pod7" and load_layout(tmp_path / "pod7.json").name == "pod7"
    assert win.windowTitle() == "Rack Designer — pod7"  # saved: no '*'
    assert context.result.layout_name == "pod7"
    context.document.set_properties(name="Pod 7")  # a name given in File → Properties is kept
    win.file_controller.ask_save_path = lambda *args: tmp_path / "other.json"
    assert win.file_controller.save_as() and load_layout(tmp_path / "other.json").name == "Pod 7"

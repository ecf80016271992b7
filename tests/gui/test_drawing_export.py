"""File → Export → Drawings: the dialog says what it will draw, and each choice writes what
it says (the floor plan with its title block, one sheet of elevations, one file per rack)."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from gui.context import Selected
from gui.drawing_export import DrawingChoice, DrawingChoiceDialog, rack_file_names
from gui.scene.floor_items import CABLE_LOD


def click(button) -> None:
    # On the indicator: a radio button takes clicks on its circle and text, not the blank rest of its row.
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2))


def test_the_dialog_says_plainly_what_each_choice_draws(qtbot):
    dialog = DrawingChoiceDialog("png", selected=1, racks=2)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.choice() == DrawingChoice("floor")
    assert dialog.summary.text() == "One PNG file: the floor plan with the layout's title block."
    assert not dialog.racks_group.isEnabled()
    click(dialog.racks_button)
    assert dialog.racks_group.isEnabled() and dialog.selected_button.isChecked()  # the selection, said so
    assert dialog.selected_button.text() == "Only the 1 selected rack" and dialog.all_button.text() == "All 2 racks"
    assert dialog.summary.text() == "One PNG file: elevations of the selected racks on one sheet."
    click(dialog.all_button)
    click(dialog.per_rack_button)
    assert dialog.choice() == DrawingChoice("racks", selected_only=False, per_rack=True)
    assert dialog.summary.text() == "One PNG file per rack for all racks, in a folder you choose."


def test_nothing_selected_offers_all_racks_only(qtbot):
    dialog = DrawingChoiceDialog("svg", selected=0, racks=3)
    qtbot.addWidget(dialog)
    assert not dialog.selected_button.isEnabled() and dialog.all_button.isChecked()


def answer_dialog(*buttons: str) -> None:
    """Clicks the named radio buttons of the export dialog once it is open, then Export…."""

    def act() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, DrawingChoiceDialog) and w.isVisible())
        for name in buttons:
            click(getattr(dialog, name))
        box = dialog.findChild(QDialogButtonBox)
        click(box.button(QDialogButtonBox.StandardButton.Ok))

    QTimer.singleShot(0, act)


def test_one_file_per_rack_named_after_the_rack(window, small_context, tmp_path):
    small_context.document.update_rack("R1", name="GPU-A01")
    window.reports.ask_folder = lambda caption: tmp_path
    answer_dialog("racks_button", "all_button", "per_rack_button")
    assert window.reports.export_elevations("svg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["GPU-A01.svg", "R2.svg"]
    drawing = (tmp_path / "GPU-A01.svg").read_text()
    assert "GPU-A01" in drawing and not re.search(r">\s*R2\s*<", drawing)
    assert "Exported 2 rack drawings (SVG)" in window.statusBar().currentMessage()


def test_the_whole_floor_plan_as_png_and_svg(window, small_context, tmp_path):
    small_context.set_selection([Selected("rack", "R2")])  # a selection does not narrow the floor plan
    window.reports.ask_save_path = lambda caption, file_filter, suggested: tmp_path / suggested
    answer_dialog("floor_button")
    assert window.reports.export_elevations("png")
    image = QImage(str(tmp_path / "Small-floor.png"))
    assert not image.isNull() and image.width() > 500
    dark = sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
        if image.pixelColor(x, y).value() < 200
    )
    assert dark > 200  # racks, tray, routes and the title block are drawn
    assert "floor plan at 1:50" in window.statusBar().currentMessage()
    answer_dialog("floor_button")
    assert window.reports.export_elevations("svg")
    svg = (tmp_path / "Small-floor.svg").read_text()
    texts = re.findall(r">\s*([^<>]+?)\s*</text>", svg)
    assert "Small — floor plan at 1:50" in texts and {"R1", "R2"} <= set(texts)  # both racks, by name, as text
    assert "Floor plan 1:50" in texts and "page 1 of 1" in texts  # the title block
    assert "<image" not in svg  # vectors, not the screen's cached pixmaps


def test_file_names_are_safe_and_distinct():
    class R:
        def __init__(self, rid, label):
            self.id, self.label = rid, label

    names = rack_file_names([R("a", "A/01"), R("b", "A:01"), R("c", "..")], "png")
    assert names == {"a": "A_01-a.png", "b": "A_01-b.png", "c": "c.png"}


def test_a_floor_still_being_built_is_drawn_whole(qtbot, monkeypatch):
    """A big floor just read is built in slices (gui.scene.floor_plan): the floor-plan sheet
    waits for none of that and still draws every rack."""
    from gui.context import AppContext
    from gui.drawing_export import floor_sheet
    from gui.scene import floor_plan
    from model.document import Document
    from model.topologies.scaleout import build_scaleout_pod

    monkeypatch.setattr(floor_plan, "BUILD_AT_ONCE", 0)
    context = AppContext(Document(build_scaleout_pod(accelerators=256)))
    scene = floor_plan.FloorPlanScene(context)
    assert scene.building
    sheet = floor_sheet(scene, context.document)
    assert not scene.building and set(scene.racks) == set(context.document.racks)
    assert all(sheet.source.contains(scene.rack_rect(r)) for r in scene.racks)


def route_strokes(svg: str, result) -> dict[str, int]:
    """Per medium of the layout's cables, how many drawn paths of the SVG stroke in its legend colour."""
    from gui import colors

    media = {result.medium_of(row) for row in range(len(result.cable_ids))}
    return {medium: svg.count(f'stroke="{colors.medium_color(medium).name()}"') for medium in media}


def test_the_floor_svg_draws_every_route_zoomed_out_too(window, small_context, tmp_path):
    """Zoomed out the view hides the routes (CABLE_LOD); the floor plan sheet draws them all
    the same, each medium in the legend's colour."""
    view = window.floor
    while view.zoom() >= CABLE_LOD:
        view.zoom_out()
    assert not view.scene().cables_shown
    window.reports.ask_save_path = lambda caption, file_filter, suggested: tmp_path / suggested
    answer_dialog("floor_button")
    assert window.reports.export_elevations("svg")
    strokes = route_strokes((tmp_path / "Small-floor.svg").read_text(), small_context.result)
    assert strokes and all(count > 0 for count in strokes.values())
    assert not view.scene().cables_shown  # the view stays as it was


def test_a_floor_of_many_cables_draws_the_lanes_by_medium(window, small_context, tmp_path, monkeypatch):
    """Past FLOOR_ROUTES_MAX_CABLES the sheet draws the lanes by medium along the trays, counted
    behind the app's busy dialog (run_with_progress), also when the view shows the routes."""
    from gui import background, drawing_export

    monkeypatch.setattr(drawing_export, "FLOOR_ROUTES_MAX_CABLES", 0)
    labels = []
    real = background.run_with_progress
    monkeypatch.setattr(
        background, "run_with_progress", lambda p, label, work: labels.append(label) or real(p, label, work)
    )
    assert window.floor.scene().cables_shown
    window.reports.ask_save_path = lambda caption, file_filter, suggested: tmp_path / suggested
    answer_dialog("floor_button")
    assert window.reports.export_elevations("svg")
    strokes = route_strokes((tmp_path / "Small-floor.svg").read_text(), small_context.result)
    in_trays = set(window.floor.scene().media.lanes)  # a cable within one rack lies in no tray
    assert in_trays and all(strokes[medium] > 0 for medium in in_trays)
    assert labels == ["Counting the cables in each tray…"]

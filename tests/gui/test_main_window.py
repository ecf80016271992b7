"""The main window: title, menus and shortcuts, docks, settings, auto-wiring."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from gui.context import Selected
from gui.docks.cable_runs_model import ID, LENGTH
from gui.window_state import SETTINGS
from tests.gui.conftest import dump, make_window, mouse_drag, release_at, threads_calling


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


def test_escape_cancels_a_rack_drag(qtbot, window, small_context):
    before = dump(small_context)
    mouse_drag(window.floor, QPointF(1500, 1700), QPointF(2700, 1700), release=False)
    assert window.floor.interaction is not None
    qtbot.waitUntil(lambda: small_context.document.racks["R2"].x_mm == 2700)
    window.floor.setFocus()
    QTest.keyClick(window.floor, Qt.Key.Key_Escape)
    assert window.floor.interaction is None
    assert dump(small_context) == before  # back where it was the moment Escape is pressed
    QTest.mouseRelease(window.floor.viewport(), Qt.MouseButton.LeftButton)
    assert dump(small_context) == before and small_context.undo_stack.count() == 0


def test_side_panels_follow_a_rack_while_it_is_dragged(qtbot, window, small_context):
    table = window.docks["cables_table"].model
    row = next(r for r in range(table.rowCount()) if table.index(r, ID).data() == "C2")
    shown = table.index(row, LENGTH).data()
    mouse_drag(window.floor, QPointF(1500, 1700), QPointF(2700, 1700), release=False)
    qtbot.waitUntil(lambda: small_context.document.racks["R2"].x_mm == 2700)
    result = small_context.result
    moved = f"{result.length_m[result.index['C2']]:.2f}"
    assert moved != shown
    # Before the mouse is released: the panels catch up once the drag rests (GESTURE_REST_S).
    qtbot.waitUntil(lambda: table.index(row, LENGTH).data() == moved)
    assert window.floor.interaction is not None
    release_at(window.floor, QPointF(2700, 1700))
    assert table.index(row, LENGTH).data() == moved
    window.undo_action.trigger()
    assert table.index(row, LENGTH).data() == shown


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
    window.rulers_action.setChecked(True)
    window.legend_action.setChecked(False)  # View > Floor Plan Legend off: it was on again at the next start
    assert not window.floor.legend.isVisible()
    window.close()
    assert QSettings(*SETTINGS).value("window/geometry") is not None
    again = make_window(qtbot, small_context)
    assert (again.size().width(), again.size().height()) == (701, 555)
    assert again.docks["metrics"].isHidden()
    again.show()
    assert not again.legend_action.isChecked() and not again.floor.legend.isVisible()
    assert again.rulers_action.isChecked() and again.floor.rulers[0].isVisible()
    again.legend_action.setChecked(True)  # as later tests' windows expect it, when this one closes


def test_autowire_trn2_torus_is_one_undo_step(qtbot, sample_context):
    doc = sample_context.document
    doc.disconnect_many(list(doc.cables))
    win = make_window(qtbot, sample_context)
    sample_context.set_selection([Selected("rack", r) for r in doc.racks])
    win.autowire_actions["trn2_torus"].trigger()
    qtbot.waitUntil(lambda: win.autowire_runner.preview is not None, timeout=20_000)
    preview = win.autowire_runner.preview
    assert preview.text().startswith("Trn2 torus will lay 160 cables:")
    preview.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: sample_context.undo_stack.count() == 1, timeout=20_000)
    assert len(doc.cables) == 160
    # Auto-wire pins nothing: through the side openings every link is short enough for a
    # DAC (the sample pins the ring links to AEC as AWS builds them).
    assert sample_context.result.totals["by_medium"] == {"DAC": 160, "AEC": 0, "AOC": 0, "OPTICS": 0}
    assert "Trn2 torus" in sample_context.undo_stack.undoText()
    sample_context.undo_stack.undo()
    assert not doc.cables


def test_autowire_with_nothing_suitable_says_so(window, small_context, qtbot):
    messages = []
    small_context.statusMessage.connect(messages.append)
    window.autowire_actions["leaf_spine"].trigger()
    qtbot.waitUntil(lambda: window.autowire_runner.refusal is not None, timeout=20_000)
    assert window.autowire_runner.refusal.text() == "Leaf-to-spine: no leaf in the layout (select the racks to wire)"
    assert messages[-1] == window.autowire_runner.refusal.text()
    assert small_context.undo_stack.count() == 0


def test_problem_jump_shows_the_rack_of_a_device(window, small_context):
    window.show_target("device", "T3")
    assert window.elevation.scene().shown == ["R2"]


def test_app_opens_a_file_or_reports_a_bad_one(qtbot, tmp_path, monkeypatch):
    from gui import app as app_module
    from gui.file_controller import FileController
    from model.io.files import save_layout
    from tests.gui.sites import small_site

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


# ---- the title the window system shows ---------------------------------------------------
def test_the_app_leaves_the_title_to_the_window(qapp):
    from gui.app import make_application

    app = make_application()
    # Qt appends a set display name to every title on X11 and Wayland; unset, it reads as the app name.
    assert app.applicationDisplayName() == app.applicationName()


X11_TITLE = """
import subprocess, sys
from gui.app import make_application
from model.commands import RemoveDevices
from gui.context import AppContext
from gui.main_window import MainWindow
from model.document import Document
from tests.gui.sites import small_site

app = make_application()
window = MainWindow(AppContext(Document(small_site())))
window.show()

def shown_title():
    for _ in range(50):
        app.processEvents()
    out = subprocess.run(["xprop", "-id", str(int(window.winId())), "-notype", "_NET_WM_NAME"],
                         capture_output=True, text=True).stdout
    return out.partition("=")[2].strip()

print(shown_title())
window.context.push(RemoveDevices(window.document, ["T3"]))
print(shown_title())
window.file_controller.ask_unsaved = lambda: __import__("PySide6.QtWidgets").QtWidgets.QMessageBox.StandardButton.Discard
window.close()
"""


def test_the_window_system_shows_the_title_once(tmp_path):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    if not os.environ.get("DISPLAY") or shutil.which("xprop") is None:
        pytest.skip("needs an X server (DISPLAY) and xprop")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "XDG_CONFIG_HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path)}
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "-c", X11_TITLE], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    if run.returncode != 0 and "could not connect to display" in run.stderr:
        pytest.skip("the X server does not answer")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ['"Rack Designer — Small"', '"Rack Designer — Small *"']


# ---- toolbar, first start ------------------------------------------------------------------
def test_toolbar_undo_is_short_with_the_whole_command_in_its_tooltip(window, small_context):
    undo = window.toolbar.widgetForAction(window.undo_action)
    redo = window.toolbar.widgetForAction(window.redo_action)
    assert undo.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert not window.undo_action.icon().isNull() and not window.redo_action.icon().isNull()
    assert (undo.text(), undo.toolTip(), redo.toolTip()) == ("Undo", "Nothing to undo", "Nothing to redo")
    small_context.set_selection([Selected("device", "T3")])
    window.elevation.setFocus()
    window.delete_action.trigger()
    assert window.undo_action.text() == "&Undo Delete T3"  # the Edit menu reads in full
    assert undo.text() == "Undo"
    assert undo.toolTip() == "Undo Delete T3 (Ctrl+Z)"
    window.undo_action.trigger()
    assert (undo.toolTip(), redo.text(), redo.toolTip()) == ("Nothing to undo", "Redo", "Redo Delete T3 (Ctrl+Shift+Z)")
    assert all(not a.icon().isNull() for a in (window.zoom_in_action, window.fit_action, window.add_rack_action))


def test_first_start_fits_the_screen_and_gives_the_drawings_most_of_the_window(qtbot, small_context):
    QSettings(*SETTINGS).clear()  # QSettings keeps one file per process: earlier tests' windows saved theirs
    win = make_window(qtbot, small_context)
    win.show()
    qtbot.waitExposed(win)
    screen = win.screen().availableGeometry()
    assert screen.width() < 1440  # the test screen is smaller than a laptop's: the window takes it whole
    assert win.isMaximized() and win.size() == screen.size()
    assert screen.contains(win.frameGeometry().center())
    drawings = win.centralWidget().geometry()
    assert drawings.width() >= 0.45 * win.width() and drawings.height() >= 0.45 * win.height()
    assert win.floor.width() > 0.3 * drawings.width() and win.elevation.width() > 0.3 * drawings.width()


def test_both_drawings_are_fitted_when_the_window_opens(qtbot, sample_context):
    from tests.gui.test_floor_plan import fills_view

    win = make_window(qtbot, sample_context)
    win.show()
    qtbot.waitExposed(win)
    win.floor.scene().flush_routes()
    assert fills_view(win.floor, 0.7) and fills_view(win.elevation, 0.7)
    win.resize(win.width() - 100, win.height() - 80)
    assert fills_view(win.floor, 0.7) and fills_view(win.elevation, 0.7)


def test_a_truncated_file_is_refused_with_its_reason_and_the_layout_stays(window, small_context, tmp_path):
    from model.io.files import save_layout
    from tests.gui.sites import server_and_leaves_site

    errors = []
    fc = window.file_controller
    fc.show_error = lambda title, message: errors.append((title, message))
    whole = tmp_path / "whole.json"
    save_layout(server_and_leaves_site(), whole)
    truncated = tmp_path / "truncated.json"
    truncated.write_text(whole.read_text()[:400])
    fc.ask_open_path = lambda caption, file_filter: truncated
    before = dump(small_context)
    fc.open_action.trigger()
    assert len(errors) == 1 and "truncated.json" in errors[0][1] and "JSON" in errors[0][1]
    assert dump(small_context) == before
    assert window.windowTitle() == "Rack Designer — Small"


# ---- File menu: printing and drawings (gui/menus_file.py) -----------------------------------
def file_menu_texts(window) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_file_menu_prints_previews_and_exports(window):
    reports = window.reports
    texts = file_menu_texts(window)
    assert texts.index("&Print…") < texts.index("Print Pre&view…") < texts.index("Export Report as P&DF…")
    assert texts.index("Save &As…") < texts.index("&Print…") < texts.index("&Quit")
    export = next(a.menu() for a in window.menuBar().actions()[0].menu().actions() if a.text() == "&Export")
    assert {reports.export_svg_action, reports.export_png_action} <= set(export.actions())
    assert reports.print_action.shortcut().toString() == "Ctrl+P"


def test_export_pdf_writes_the_report(window, tmp_path):
    asked = []
    window.reports.ask_save_path = lambda caption, file_filter, suggested: asked.append(suggested) or tmp_path / "r"
    window.reports.export_pdf_action.trigger()
    assert asked == ["Small-report.pdf"]
    written = tmp_path / "r.pdf"  # the suffix is added when the designer leaves it out
    assert written.read_bytes()[:5] == b"%PDF-" and written.stat().st_size > 2000
    assert "Exported the cabling report" in window.statusBar().currentMessage()


def test_export_pdf_lays_the_report_out_on_the_worker_into_the_same_pages(window, tmp_path, monkeypatch):
    """The report's pages are laid out behind the busy dialog (it held the window ~3.7 s at
    100,000 accelerators before the progress showed), for the same page size as a PDF written
    without it."""
    import re

    from gui import printing

    threads = threads_calling(monkeypatch, printing, "report_for_pdf")
    window.reports.ask_save_path = lambda *_args: tmp_path / "app.pdf"
    assert window.reports.export_pdf() is True
    assert len(threads) == 1 and threads[0].startswith("rack-designer-work")
    printing.write_report_pdf(window.context.result, tmp_path / "direct.pdf")

    def pages(name: str) -> list[bytes]:
        data = (tmp_path / name).read_bytes()
        return re.findall(rb"/MediaBox\s*\[[^\]]*\]", data)

    assert len(pages("app.pdf")) == len(pages("direct.pdf")) > 3
    assert pages("app.pdf") == pages("direct.pdf")


def test_export_to_a_missing_folder_says_why_and_writes_nothing(window, tmp_path):
    errors = []
    window.reports.show_error = lambda title, message: errors.append(message)
    window.reports.ask_save_path = lambda *_args: tmp_path / "gone" / "r.pdf"
    assert window.reports.export_pdf() is False
    assert len(errors) == 1 and "gone" in errors[0]
    assert not (tmp_path / "gone").exists()


def test_print_goes_through_the_print_dialog(window, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    def accept(printer) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        return True

    window.reports.run_print_dialog = lambda printer: False  # Cancel: nothing is printed
    assert window.reports.print_report() is False and not (tmp_path / "printed.pdf").exists()
    window.reports.run_print_dialog = accept
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert (tmp_path / "printed.pdf").read_bytes()[:5] == b"%PDF-"


def test_print_preview_shows_the_report(window):
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    shown = []
    window.reports.run_preview = lambda dialog: shown.append((type(dialog), dialog.windowTitle()))
    window.reports.preview_action.trigger()
    assert [(issubclass(kind, QPrintPreviewDialog), title) for kind, title in shown] == [
        (True, "Print preview — Small")
    ]


def test_export_elevations_of_the_selected_racks(window, small_context, tmp_path):
    captions = []

    def ask(caption, file_filter, suggested):
        captions.append(caption)
        return tmp_path / suggested

    window.reports.ask_save_path = ask
    from gui.drawing_export import DrawingChoice

    # The export dialog's answer: rack elevations of the selection (tests/gui/test_drawing_export.py drives it).

    window.reports.ask_drawing_choice = lambda kind, selected: DrawingChoice("racks", selected_only=bool(selected))
    small_context.set_selection([Selected("device", "T3")])  # its rack, R2
    window.reports.export_svg_action.trigger()
    svg = (tmp_path / "Small-elevations.svg").read_text()
    assert "<svg" in svg and "R2" in svg and ">R1<" not in svg
    small_context.set_selection([])
    window.reports.export_png_action.trigger()
    assert (tmp_path / "Small-elevations.png").read_bytes()[:4] == b"\x89PNG"
    assert captions == ["Export elevations of 1 selected rack as SVG", "Export elevations of all racks as PNG"]


def test_added_racks_are_in_view_not_placed_off_screen(qtbot):
    from gui.context import AppContext
    from model.document import Document
    from tests.gui.conftest import make_window

    context = AppContext(Document())
    win = make_window(qtbot, context)
    win.resize(1440, 900)
    win.show()
    qtbot.waitExposed(win)
    for _ in range(6):  # a row that soon runs past what the pane first showed
        win.add_rack_action.trigger()
        rack_id = context.selected_ids("rack")[0]
        shown = win.floor.mapToScene(win.floor.viewport().rect()).boundingRect()
        assert shown.contains(win.floor.scene().racks[rack_id].sceneBoundingRect()), rack_id


def open_pod_sliced(qtbot, tmp_path, monkeypatch):
    """A 256-accelerator pod saved and opened in a shown window whose floor is built a slice a
    turn (gui.scene.floor_plan, as a big hall is); returns the window as the open returns."""
    from gui.context import AppContext
    from gui.scene import floor_plan
    from model.document import Document
    from model.io.files import save_layout
    from model.topologies.scaleout import build_scaleout_pod

    monkeypatch.setattr(floor_plan, "BUILD_AT_ONCE", 0)
    monkeypatch.setattr(floor_plan, "BUILD_STEP_S", 0.0)  # a step a turn
    path = tmp_path / "pod.json"
    save_layout(build_scaleout_pod(accelerators=256), path)
    win = make_window(qtbot, AppContext(Document()))
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    assert win.file_controller.open_path(path)
    return win


def test_problem_jump_to_a_rack_not_built_yet_is_taken_when_it_is(qtbot, tmp_path, monkeypatch):
    """A big hall just read is built a slice a turn (gui.scene.floor_plan): a jump from the
    problems panel to a rack not made yet waits for it, then centres the floor plan on it."""
    from PySide6.QtWidgets import QApplication

    win = open_pod_sliced(qtbot, tmp_path, monkeypatch)
    QApplication.processEvents()  # the fit to the hall being built
    view, scene = win.floor, win.floor.scene()
    view.zoom_by(20)  # a few racks in view
    last = win.document.site.racks[-1].id
    assert scene.building and last not in scene.racks

    def centre():
        return view.mapToScene(view.viewport().rect().center())

    before = centre()
    seen = []  # where the view is centred in the slice that made the rack, and whether the build went on
    scene.sliced.connect(lambda: seen.append((centre(), scene.building)) if last in scene.racks and not seen else None)
    win.docks["problems"].jumpRequested.emit("rack", last)
    assert centre() == before  # nothing to centre on yet
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    target = scene.rack_rect(last).center()
    assert (before - target).manhattanLength() > 1000  # the jump moved the view (mm)
    tolerance = 2 / view.zoom()  # a couple of pixels, in mm
    assert abs(seen[0][0].x() - target.x()) < tolerance and abs(seen[0][0].y() - target.y()) < tolerance
    # Taken as soon as the rack was there, not at the end of the build (asked in that slice: the
    # rest of a small hall's build may end before a later look).
    assert seen[0][1]
    qtbot.waitUntil(lambda: not scene.building, timeout=20_000)
    assert abs(centre().x() - target.x()) < tolerance  # the end of the build keeps it (the view was zoomed)


def test_panels_refreshed_in_turns_beside_a_sliced_floor_end_as_fresh_panels(qtbot, tmp_path, monkeypatch):
    """Opening a big hall, the floor is built a slice a turn and each panel refreshes in a turn
    of its own (gui.turns): when all is done, the panels show what panels opened afresh show,
    the ones tabbed away once they are raised."""
    from gui.context import AppContext
    from gui.docks.compare import CompareDock
    from gui.docks.metrics import MetricsDock
    from gui.docks.problems import ProblemsDock
    from model.document import Document
    from tests.gui.conftest import show_widget

    def shown(metrics, problems, compare) -> list:
        tables = [metrics.media_table, metrics.ratio_table, metrics.rack_table, compare.table]
        cells = [[[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())] for t in tables]
        listed = [tuple(problems.model.index(r, c).data() for c in range(4)) for r in range(problems.model.rowCount())]
        return [cells, listed, metrics.summary.text(), problems.windowTitle()]

    win = open_pod_sliced(qtbot, tmp_path, monkeypatch)  # the panels come between the slices
    scene = win.floor.scene()
    assert scene.building
    qtbot.waitUntil(lambda: not scene.building, timeout=20_000)
    # Tabbed behind the cables (the metrics behind the inspector): filled once raised.
    for name in ("problems", "compare", "metrics"):
        win.docks[name].raise_()
        qtbot.waitUntil(lambda name=name: not win.docks[name]._refresher._stale, timeout=20_000)
    fresh_context = AppContext(Document(win.document.site.model_copy(deep=True)))
    fresh = [
        show_widget(qtbot, d)
        for d in (MetricsDock(fresh_context), ProblemsDock(fresh_context), CompareDock(fresh_context))
    ]
    for dock in fresh:
        qtbot.waitUntil(lambda dock=dock: not dock._refresher._stale, timeout=20_000)
    assert shown(win.docks["metrics"], win.docks["problems"], win.docks["compare"]) == shown(*fresh)
    assert win.docks["metrics"].summary.text()  # not two empty panels alike
    win.docks["inspector"].raise_()  # the window saves its docks on close: as it found them


def test_another_layout_opened_after_a_zoom_is_shown_whole(qtbot, tmp_path):
    """A big hall zoomed into, then a small layout opened: the floor plan shows the small one
    filling the view (it was fitted while the big hall's aisles and lanes were still there,
    and showed the new racks as a speck), and keeps no lanes of the last hall."""
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QApplication

    from gui.context import AppContext
    from gui.scene.floor_items import CABLE_LOD
    from model.document import Document
    from model.io.files import save_layout
    from model.topologies.scaleout import build_scaleout_pod
    from tests.gui.sites import small_site

    big, small = tmp_path / "pod.json", tmp_path / "small.json"
    save_layout(build_scaleout_pod(accelerators=256), big)
    save_layout(small_site(), small)
    win = make_window(qtbot, AppContext(Document()))
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    assert win.file_controller.open_path(big)
    view, scene = win.floor, win.floor.scene()
    view.zoom_by(CABLE_LOD / 2 / view.zoom())  # zoomed out: the routes are lanes by medium
    qtbot.waitUntil(lambda: not scene.media.boundingRect().isNull())
    view.zoom_by(CABLE_LOD * 8 / view.zoom())
    assert win.file_controller.open_path(small)
    for _ in range(5):
        QApplication.processEvents()
    racks = QRectF()
    for rack_id in scene.racks:
        racks = racks.united(scene.rack_rect(rack_id))
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(racks) and racks.width() > shown.width() / 5
    hall = scene.content_rect()
    assert scene.media.boundingRect().isNull() or hall.contains(scene.media.boundingRect())


def test_the_splitter_cannot_drag_the_elevation_or_the_floor_shut(qtbot, window):
    """Dragged fully right, the splitter's handle stops at the elevation's least width: a
    collapsed pane had no menu item to bring it back (a fresh user's find)."""
    from PySide6.QtCore import QPoint

    window.show()
    qtbot.waitExposed(window)
    splitter = window.splitter
    for far in (splitter.width() + 500, -500):
        handle = splitter.handle(1)
        start = handle.rect().center()
        QTest.mousePress(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        QTest.mouseMove(handle, QPoint(far, start.y()))
        QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(far, start.y()))
        assert min(splitter.sizes()) > 0 and window.elevation.isVisible() and window.floor.isVisible()


def test_select_all_and_delete_is_one_analysis_and_ctrl_z_puts_every_rack_back(qtbot):
    """Ctrl+A then Delete on the floor: every rack goes in one edit, analysed once (each rack
    was an analysis of its own: hours at 100,000 accelerators), and Ctrl+Z brings all back."""
    from gui.context import AppContext
    from model import topologies
    from model.document import Document

    context = AppContext(Document(topologies.build_sample("scaleout-pod", accelerators=256)))
    win = make_window(qtbot, context)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    before = dump(context)
    racks = len(context.document.racks)
    shown = []
    context.analysisUpdated.connect(shown.append)
    win.floor.setFocus()
    qtbot.waitUntil(win.floor.hasFocus)
    QTest.keyClick(win.floor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(context.selection) == racks
    QTest.keyClick(win.floor, Qt.Key.Key_Delete)
    assert not context.document.racks and not context.document.cables
    assert len(shown) == 1 and context.result.revision == context.document.revision
    assert win.undo_action.text() == f"&Undo Delete {racks} racks"
    QTest.keyClick(win.floor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dump(context) == before and len(shown) == 2
    assert context.result.totals["cables"] == len(context.document.cables)

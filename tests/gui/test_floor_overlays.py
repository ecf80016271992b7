"""The floor plan reads like a drawing: tile grid, rulers, scale bar, legend; zoomed out, a
click on a rack selects the rack even where a cable crosses it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtTest import QTest

from gui.context import Selected
from gui.scene.floor_overlays import (
    SCALE_BAR_PX,
    length_text,
    nice_step,
    ruler_ticks,
    scale_bar_mm,
)
from gui.scene.floor_plan import RACK_PICK_PX, FloorPlanView
from model.defaults import default
from tests.gui.conftest import make_window
from tests.gui.test_floor_plan import make_view


def set_zoom(view: FloorPlanView, zoom: float, centre: QPointF) -> None:
    view.zoom_by(zoom / view.zoom())
    view.centerOn(centre)


@pytest.mark.parametrize(
    ("at_least", "step"), [(1, 1), (1.01, 2), (2.5, 5), (6, 10), (640, 1000), (1000, 1000), (1001, 2000)]
)
def test_nice_steps_are_one_two_five_times_a_power_of_ten(at_least, step):
    assert nice_step(at_least) == pytest.approx(step)


def test_scale_bar_is_the_longest_round_length_that_fits():
    for zoom in (0.001, 0.0137, 0.05, 0.3, 2.0, 11.0):
        length = scale_bar_mm(zoom)
        assert SCALE_BAR_PX[0] <= length * zoom <= SCALE_BAR_PX[1], zoom
        assert nice_step(length) == pytest.approx(length)  # round: 1, 2 or 5 x 10^k
    assert scale_bar_mm(0.05) == 2000 and length_text(2000) == "2 m"
    assert length_text(600) == "600 mm" and length_text(1_500_000) == "1.5 km"


def test_ruler_ticks_land_on_round_lengths_far_enough_apart_to_read():
    step, labelled, minor = ruler_ticks(-1300, 9000, zoom=0.05)  # 20 px a metre
    assert step == 2000
    assert labelled == [-0.0 if x == 0 else x for x in (0, 2000, 4000, 6000, 8000)]
    assert all(b - a == 400 for a, b in zip(sorted(labelled + minor), sorted(labelled + minor)[1:]))
    assert step * 0.05 >= 64  # labels never crowd


class LineRecorder(QPainter):
    """A painter on an image that keeps every line the background drew."""

    def __init__(self, image: QImage) -> None:
        super().__init__(image)
        self.lines: list = []

    def drawLines(self, lines) -> None:  # noqa: N802 - Qt's name
        self.lines.extend(lines)
        super().drawLines(lines)


def test_background_is_the_raised_floors_600_mm_tile_grid(qtbot, small_context):
    view = make_view(qtbot, small_context)
    tile = default("room", "tile_mm")
    assert tile == 600
    set_zoom(view, 0.05, QPointF(1200, 1800))  # a tile is 30 px
    image = QImage(400, 400, QImage.Format.Format_ARGB32)
    painter = LineRecorder(image)
    view.drawBackground(painter, QRectF(0, 0, 6000, 6000))
    painter.end()
    xs = sorted({line.x1() for line in painter.lines if line.x1() == line.x2()})
    assert xs[:4] == [0, 600, 1200, 1800]
    assert all(x % tile == 0 for x in xs)
    assert sum(1 for x in xs if x == 0) == 1  # the 6 m line is drawn darker on top: 0 and 6000 twice
    assert len([line for line in painter.lines if line.x1() == line.x2() and line.x1() == 6000]) == 2


def test_rulers_frame_the_viewport_and_follow_pan_and_zoom(qtbot, small_context):
    view = make_view(qtbot, small_context)
    top, left = view.rulers
    viewport = view.viewport().geometry()
    assert top.geometry().left() == viewport.left() and top.geometry().width() == viewport.width()
    assert top.geometry().bottom() + 1 == viewport.top()
    assert left.geometry().right() + 1 == viewport.left() and left.geometry().height() == viewport.height()
    set_zoom(view, 0.2, QPointF(1200, 1800))  # 200 px a metre
    top.grab()
    before = list(top.labels)
    assert "1 m" in before or "2 m" in before
    # The labelled tick for 1 m sits over scene x = 1000 mm.
    first = view.mapToScene(view.viewport().rect().topLeft()).x()
    step, labelled, _ = ruler_ticks(first, first + view.viewport().width() / view.zoom(), view.zoom())
    assert 1000 in labelled or 2000 in labelled
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 2000)  # 10 m to the right
    top.grab()
    assert top.labels != before
    view.zoom_by(1 / 40)
    top.grab()
    assert any(label.endswith(" m") for label in top.labels)


def test_scale_bar_shows_a_round_length_drawn_to_scale(qtbot, small_context):
    view = make_view(qtbot, small_context)
    set_zoom(view, 0.05, QPointF(1200, 1800))
    bar = view.scale_bar
    assert bar.isVisible() and view.viewport().geometry().contains(bar.geometry())
    image = bar.grab().toImage()
    assert bar.text == "2 m" and bar.length_mm == 2000
    # The bar's left (black) half is 1 m = 50 px long, on the row just above its base line.
    row = bar.height() - 10
    dark = [x for x in range(image.width()) if image.pixelColor(x, row).lightness() < 100]
    assert dark and 48 <= dark[-1] - dark[0] + 1 <= 102


def test_legend_names_media_trays_aisles_and_racks_and_can_be_hidden(qtbot, small_context):
    win = make_window(qtbot, small_context)
    win.resize(1440, 900)
    win.show()
    qtbot.waitExposed(win)
    legend = win.floor.legend
    assert legend.isVisible()
    for entry in ("DAC", "AEC", "AOC", "OPTICS", "no product", "tray", "tray over fill", "cold aisle", "hot aisle"):
        assert entry in legend.entries
    # In the bottom-right corner, as a drawing's key: clear of the scale bar (bottom left) and of
    # the top-left corner where a new layout's first racks go.
    viewport = win.floor.viewport().geometry()
    assert viewport.right() - legend.geometry().right() <= 10
    assert viewport.bottom() - legend.geometry().bottom() <= 10
    assert not legend.geometry().intersects(win.floor.scale_bar.geometry())
    assert legend.geometry().top() > viewport.top() + viewport.height() // 3
    win.legend_action.trigger()
    assert not legend.isVisible()
    win.rulers_action.trigger()
    assert not any(r.isVisible() for r in win.floor.rulers)
    assert win.floor.viewport().geometry().top() == win.floor.frameWidth()  # the margin went with them


def test_zoomed_out_a_click_on_a_rack_selects_the_rack_not_the_cable_over_it(qtbot, small_context):
    view = make_view(qtbot, small_context)
    route = view.scene().routes["C2"]
    rack = view.scene().rack_rect("R2")
    inside = [QPointF(float(x), float(y)) for x, y in route if rack.adjusted(50, 50, -50, -50).contains(QPointF(x, y))]
    assert inside, "C2's drop into R2 crosses the rack"
    point = inside[0]
    set_zoom(view, 0.06, point)  # R2 (600 mm) is 36 px wide: below RACK_PICK_PX, above CABLE_LOD
    assert 600 * view.zoom() < RACK_PICK_PX
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, view.mapFromScene(point)
    )
    assert small_context.selection == (Selected("rack", "R2"),)
    set_zoom(view, 0.5, point)  # zoomed in, the same point picks the cable
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, view.mapFromScene(point)
    )
    assert small_context.selection == (Selected("cable", "C2"),)


def _hint_pixels(view) -> int:
    # The hint is mid-grey text in the viewport's middle band; an empty floor has none there.
    image = view.viewport().grab().toImage()
    middle = range(image.height() // 2 - 30, image.height() // 2 + 30)
    return sum(
        1
        for y in middle
        for x in range(0, image.width(), 2)
        if 90 <= image.pixelColor(x, y).lightness() <= 130 and image.pixelColor(x, y).saturation() < 20
    )


def test_an_empty_layout_says_what_to_do_first_and_the_hint_goes_with_the_first_rack(qtbot):
    from gui.context import AppContext
    from model.document import Document

    context = AppContext(Document())
    win = make_window(qtbot, context)
    win.resize(1440, 900)
    win.show()
    qtbot.waitExposed(win)
    assert "Add Rack" in win.floor.empty_hint() and "Add Rack" in win.elevation.empty_hint()
    before = _hint_pixels(win.floor)
    assert before > 100
    win.add_rack_action.trigger()
    assert win.floor.empty_hint() == "" and win.elevation.empty_hint() == ""
    assert _hint_pixels(win.floor) < before / 10  # the rack's own grey edges at most
    win.add_rack_action.trigger()
    context.set_selection([])
    assert win.elevation.empty_hint() == ""  # the elevation keeps showing the last rack

"""The floor plan: racks and trays mirror the model, rack drops and drags, cables, zoom, LOD."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPainter, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui import floor_drags
from gui.context import Selected
from gui.mime import RACK_TYPE_MIME
from gui.scene.floor_items import CABLE_LOD, CableBundleItem, RackItem
from gui.scene.floor_plan import FloorPlanView
from model.commands import MoveRacks
from model.commands_properties import UpdateCable, UpdateRack
from model.layout import Cable
from model.rules import rack_footprint
from tests.gui.conftest import drag_drop, dump, mouse_drag, release_at, show_widget, view_point

RACK_TYPE = "rack-48u-600x1200"


def mouse_drag_to(view, scene_pos: QPointF) -> None:
    """One more move of a drag in progress (the left button still down)."""
    QTest.mouseMove(view.viewport(), view_point(view, scene_pos))


def make_view(qtbot, context, size=(900, 700)) -> FloorPlanView:
    """A floor plan shown at `size`, every route drawn, fitted to the layout."""
    view = show_widget(qtbot, FloorPlanView(context), size)
    view.scene().flush_routes()
    view.fit()
    return view


def test_items_mirror_the_model(qtbot, small_context):
    view = make_view(qtbot, small_context)
    scene = view.scene()
    assert set(scene.racks) == {"R1", "R2"} and set(scene.trays) == {"TR1"}
    x0, y0, x1, y1 = rack_footprint(small_context.document.racks["R1"])
    assert scene.rack_rect("R1").adjusted(2, 2, -2, -2) == scene.racks["R1"].mapRectToScene(scene.racks["R1"].rect)
    assert scene.racks["R1"].sceneBoundingRect().contains(QPointF((x0 + x1) / 2, (y0 + y1) / 2))
    assert set(scene.routes) == {"C1", "C2"}
    assert not scene.fills == {}  # the tray carries C2


def test_drop_rack_type_snaps_into_the_row(qtbot, small_context):
    view = make_view(qtbot, small_context)
    drag_drop(view, RACK_TYPE_MIME, RACK_TYPE, [QPointF(2000, 1500), QPointF(2130, 1850)])
    doc = small_context.document
    added = [r for r in doc.site.racks if r.id not in ("R1", "R2")]
    assert len(added) == 1
    rack = added[0]
    assert (rack.x_mm, rack.y_mm, rack.facing, rack.row) == (2100, 1800, "south", "A")
    assert rack.id in view.scene().racks
    assert rack.name == "R03"  # the layout's rack pattern R{rack:02}, numbered on from its 2 racks
    # The row's tray TR1 runs on a tray width past the new end rack, in the same undo step.
    assert small_context.undo_stack.undoText() == "Add rack R03 and its row's tray TR1"
    assert doc.trays["TR1"].points == [(0.0, 1800.0), (3000.0, 1800.0)]
    assert small_context.selection == (Selected("rack", rack.id),)  # the new rack is what the inspector shows


def test_drop_rack_on_another_is_refused(qtbot, small_context):
    view = make_view(qtbot, small_context)
    messages = []
    small_context.statusMessage.connect(messages.append)
    before = dump(small_context)
    drag_drop(view, RACK_TYPE_MIME, RACK_TYPE, [QPointF(1480, 1790)], drop=False)
    assert messages[-1].startswith("Cannot place the rack here:") and "R2" in messages[-1]  # before the drop
    drag_drop(view, RACK_TYPE_MIME, RACK_TYPE, [QPointF(1480, 1790)])
    assert dump(small_context) == before
    assert "overlap" in messages[-1] and "R2" in messages[-1]


def _c2_length(context) -> float:
    result = context.result
    return float(result.length_m[result.index["C2"]])


def test_dragged_rack_reroutes_its_cables_live_and_moves_once(qtbot, small_context):
    view = make_view(qtbot, small_context)
    length, before = _c2_length(small_context), dump(small_context)
    mouse_drag(view, QPointF(1500, 1700), QPointF(2700, 1700), steps=6, release=False)
    doc = small_context.document
    qtbot.waitUntil(lambda: doc.racks["R2"].x_mm == 2700)  # the model follows the mouse before release ...
    assert _c2_length(small_context) > length  # ... and so do the route and its length
    view.scene().flush_routes()
    assert view.scene().routes["C2"][:, 0].max() > 2600  # the drawn route follows the rack
    assert small_context.undo_stack.count() == 0  # nothing to undo until the gesture ends
    release_at(view, QPointF(2700, 1700))
    assert doc.racks["R2"].x_mm == 2700 and small_context.undo_stack.count() == 1
    assert small_context.undo_stack.undoText() == "Move rack R2"
    small_context.undo_stack.undo()
    assert dump(small_context) == before and _c2_length(small_context) == length
    small_context.undo_stack.redo()
    assert doc.racks["R2"].x_mm == 2700 and _c2_length(small_context) > length


def test_escape_mid_drag_puts_the_racks_back(qtbot, small_context):
    view = make_view(qtbot, small_context)
    length, before = _c2_length(small_context), dump(small_context)
    mouse_drag(view, QPointF(1500, 1700), QPointF(2700, 1700), release=False)
    qtbot.waitUntil(lambda: small_context.document.racks["R2"].x_mm == 2700)
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert dump(small_context) == before and _c2_length(small_context) == length
    release_at(view, QPointF(2700, 1700))
    assert dump(small_context) == before and small_context.undo_stack.count() == 0


def test_rack_waits_at_the_last_free_spot_and_a_refused_release_restores_it(qtbot, small_context):
    view = make_view(qtbot, small_context)
    messages = []
    small_context.statusMessage.connect(messages.append)
    before = dump(small_context)
    # Over R1 the dragged R2 may not stand: it stays where it last could, the ghost turns red.
    mouse_drag(view, QPointF(1500, 1700), QPointF(2100, 1700), steps=2, release=False)
    doc = small_context.document
    qtbot.waitUntil(lambda: doc.racks["R2"].x_mm == 2100)
    assert messages == []  # nothing refused yet, nothing said
    mouse_drag_to(view, QPointF(900, 1700))
    qtbot.wait(50)
    assert doc.racks["R2"].x_mm == 2100
    assert view.interaction.reason and "overlap" in view.interaction.reason
    # Said while the ghost is red, before the release (it was said only after it).
    assert messages[-1] == f"Cannot move there: {view.interaction.reason}"
    mouse_drag_to(view, QPointF(2100, 1700))
    assert messages[-1] == ""  # a free spot again: the refusal goes
    mouse_drag_to(view, QPointF(900, 1700))
    release_at(view, QPointF(900, 1700))
    assert dump(small_context) == before and small_context.undo_stack.count() == 0
    assert "Cannot move there" in messages[-1] and "overlap" in messages[-1]


def test_undo_keys_mid_drag_do_not_touch_the_model(qtbot, small_context, window):
    small_context.push(UpdateRack(small_context.document, "R1", name="First"))
    view = window.floor
    window.activateWindow()
    qtbot.waitActive(window)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the shortcut works ...
    assert small_context.document.racks["R1"].name == ""
    small_context.undo_stack.redo()
    mouse_drag(view, QPointF(1500, 1700), QPointF(2700, 1700), release=False)
    qtbot.waitUntil(lambda: small_context.document.racks["R2"].x_mm == 2700)
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # ... but not mid-drag
    assert small_context.document.racks["R1"].name == "First" and small_context.undo_stack.index() == 1
    release_at(view, QPointF(2700, 1700))
    assert small_context.undo_stack.count() == 2 and small_context.document.racks["R2"].x_mm == 2700


def test_an_undo_that_comes_mid_drag_puts_the_drag_back_first(qtbot, small_context, window):
    # Not the keys (the view keeps them mid-drag, above), but an undo from elsewhere (the Edit
    # menu's action triggered): the drag puts the rack back where it picked it up, then the
    # history steps. After the step was too late: the put-back moved the rack again, outside
    # any command (found by this session's fresh-user test).
    doc = small_context.document
    before = dump(small_context)
    small_context.push(MoveRacks(doc, {"R2": (2700, doc.racks["R2"].y_mm, doc.racks["R2"].facing)}))
    view = window.floor
    mouse_drag(view, QPointF(2700, 1700), QPointF(3900, 1700), release=False)
    qtbot.waitUntil(lambda: doc.racks["R2"].x_mm == 3900)
    window.undo_action.trigger()
    assert dump(small_context) == before and small_context.undo_stack.index() == 0
    assert view.interaction is None
    release_at(view, QPointF(3900, 1700))  # the drag is over: the release moves nothing
    assert dump(small_context) == before and small_context.undo_stack.count() == 1
    small_context.undo_stack.redo()
    assert doc.racks["R2"].x_mm == 2700


def test_a_layout_too_big_for_live_routing_moves_a_ghost_then_the_rack(qtbot, small_context, monkeypatch):
    monkeypatch.setattr(floor_drags, "LIVE_REROUTE_MAX_CABLES", 1)
    view = make_view(qtbot, small_context)
    messages = []
    small_context.statusMessage.connect(messages.append)
    length, before = _c2_length(small_context), dump(small_context)
    mouse_drag(view, QPointF(1500, 1700), QPointF(2700, 1700), release=False)
    qtbot.wait(50)
    assert dump(small_context) == before  # only the ghost moved
    assert view.interaction.ghosts[0].rect().left() == pytest.approx(2700 - 300)
    assert "re-route when you release" in messages[-1]
    release_at(view, QPointF(2700, 1700))
    assert small_context.document.racks["R2"].x_mm == 2700 and _c2_length(small_context) > length
    small_context.undo_stack.undo()
    assert dump(small_context) == before


def test_a_drag_whose_steps_are_too_slow_turns_into_a_ghost(qtbot, small_context, monkeypatch):
    monkeypatch.setattr(floor_drags, "LIVE_STEP_BUDGET_S", 0.0)  # every step is "too slow"
    view = make_view(qtbot, small_context)
    messages = []
    small_context.statusMessage.connect(messages.append)
    before = dump(small_context)
    mouse_drag(view, QPointF(1500, 1700), QPointF(2100, 1700), steps=2, release=False)
    doc = small_context.document
    qtbot.waitUntil(lambda: doc.racks["R2"].x_mm == 2100)  # the first step is live ...
    assert "re-route when you release" in messages[-1]
    mouse_drag_to(view, QPointF(2700, 1700))
    qtbot.wait(50)
    assert doc.racks["R2"].x_mm == 2100  # ... the rest moves the ghost only
    assert view.interaction.ghosts[0].rect().left() == pytest.approx(2700 - 300)
    release_at(view, QPointF(2700, 1700))
    assert doc.racks["R2"].x_mm == 2700 and small_context.undo_stack.count() == 1
    small_context.undo_stack.undo()
    assert dump(small_context) == before


def test_click_a_cable_selects_and_highlights_it(qtbot, small_context):
    view = make_view(qtbot, small_context)
    points = view.scene().routes["C2"]
    middle = QPointF(*((points[len(points) // 2] + points[len(points) // 2 - 1]) / 2))
    view.centerOn(middle)
    view.zoom_by(3, view.mapFromScene(middle).toPointF())
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, view.mapFromScene(middle)
    )
    assert small_context.selection == (Selected("cable", "C2"),)
    assert view.scene().highlight.cable_ids == ("C2",)
    assert not view.scene().highlight.path().isEmpty()


def test_selection_from_elsewhere_selects_rack_items(qtbot, small_context):
    view = make_view(qtbot, small_context)
    small_context.set_selection([Selected("rack", "R2")])
    assert view.scene().racks["R2"].isSelected() and not view.scene().racks["R1"].isSelected()
    view.scene().racks["R1"].setSelected(True)
    assert Selected("rack", "R1") in small_context.selection


def test_new_cable_is_drawn_and_removed_with_undo(qtbot, small_context):
    view = make_view(qtbot, small_context)
    from gui.commands import apply
    from model.commands import ConnectCables

    apply(small_context, ConnectCables(small_context.document, [Cable(id="C3", a="T2:c0.n2", b="T3:c0.n2")]))
    view.scene().flush_routes()
    assert "C3" in view.scene().routes
    small_context.undo_stack.undo()
    assert "C3" not in view.scene().routes


def test_wheel_zoom_keeps_the_point_under_the_cursor(qtbot, small_context):
    view = make_view(qtbot, small_context)
    anchor = QPoint(300, 250)
    scene_point = view.mapToScene(anchor)
    zoom = view.zoom()
    wheel = QWheelEvent(
        QPointF(anchor), QPointF(view.viewport().mapToGlobal(anchor)), QPoint(0, 0), QPoint(0, 240),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(view.viewport(), wheel)
    assert abs(view.zoom() / zoom - 1.5625) < 1e-6
    moved = view.mapFromScene(scene_point)
    assert abs(moved.x() - anchor.x()) <= 1 and abs(moved.y() - anchor.y()) <= 1
    view.zoom_out()
    assert view.zoom() < zoom * 1.5625


def test_cables_are_bundled_and_hidden_when_zoomed_out(qtbot, sample_context):
    view = make_view(qtbot, sample_context)
    scene = view.scene()
    assert len(scene.routes) == len(sample_context.document.cables) == 160
    assert len(scene.bundles) <= 2 * len(sample_context.document.racks)
    bundle = next(iter(scene.bundles.values()))
    image = QImage(400, 400, QImage.Format.Format_ARGB32)
    for zoom, drawn in ((CABLE_LOD * 0.5, False), (CABLE_LOD * 4, True)):
        image.fill(0)
        painter = QPainter(image)
        painter.scale(zoom, zoom)
        painter.translate(-bundle.boundingRect().topLeft())
        bundle.paint(painter, None)
        painter.end()
        assert any(image.pixel(x, y) for x in range(0, 400, 2) for y in range(0, 400, 2)) == drawn
    assert all(isinstance(i, RackItem) for i in scene.racks.values())
    assert isinstance(bundle, CableBundleItem)
    # In the view, zoomed out the bundles are hidden outright (no paint call at all).
    for factor, shown in ((CABLE_LOD * 0.5 / view.zoom(), False), (CABLE_LOD * 4 / (CABLE_LOD * 0.5), True)):
        view.zoom_by(factor)
        assert all(b.isVisible() == shown for b in scene.bundles.values())


def test_middle_drag_and_space_drag_pan(qtbot, small_context):
    view = make_view(qtbot, small_context)
    view.zoom_by(4)
    viewport = view.viewport()
    centre = view.mapToScene(viewport.rect().center())
    QTest.mousePress(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(300, 300))
    QTest.mouseMove(viewport, QPoint(200, 250))
    QTest.mouseRelease(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(200, 250))
    moved = view.mapToScene(viewport.rect().center())
    assert moved.x() > centre.x() and moved.y() > centre.y()
    before = dump(small_context)
    QTest.keyPress(view, Qt.Key.Key_Space)
    mouse_drag(view, view.mapToScene(QPoint(200, 200)), view.mapToScene(QPoint(300, 200)))
    QTest.keyRelease(view, Qt.Key.Key_Space)
    assert view.mapToScene(viewport.rect().center()).x() < moved.x()
    assert dump(small_context) == before  # panning never edits


def test_tray_fill_mirrors_the_analysis_and_marks_over_fill(qtbot, small_context):
    from gui import colors
    from gui.scene.floor_items import TrayFillItem
    from model.results import TraySegmentFill

    view = make_view(qtbot, small_context)
    used = {s.id for s in small_context.result.tray_fill if s.cable_count}
    assert used and set(view.scene().fills) == used
    assert all(item.brush().color() != colors.TRAY_OVER_FILL for item in view.scene().fills.values())
    item = TrayFillItem("TR1#9")
    over = TraySegmentFill("TR1#9", "TR1", (0.0, 0.0), (1000.0, 0.0), 40, 9000.0, 6000.0)
    item.refresh(over, 600)
    assert item.brush().color() == colors.TRAY_OVER_FILL and "over fill" in item.toolTip()
    assert item.boundingRect().height() >= 599  # drawn as wide as the tray when full


def fills_view(view, share: float = 0.8) -> bool:
    """The whole content is on screen and spans at least `share` of the view one way."""
    shown = view.mapFromScene(view.content_rect()).boundingRect()
    port = view.viewport().rect()
    inside = port.contains(shown)
    return inside and max(shown.width() / port.width(), shown.height() / port.height()) >= share


def test_trays_lie_under_the_racks_and_routes_over_both(qtbot, small_context):
    view = make_view(qtbot, small_context)
    scene = view.scene()
    tray, rack = scene.trays["TR1"], scene.racks["R1"]
    bundle = next(iter(scene.bundles.values()))
    fill = next(iter(scene.fills.values()))
    assert tray.zValue() < fill.zValue() < rack.zValue() < bundle.zValue() < scene.highlight.zValue()
    assert tray.brush().color().alpha() < 128  # see-through: the floor and aisles show under it
    # The rack the tray crosses is what a click there finds first.
    over_both = rack.sceneBoundingRect().center()
    assert over_both.y() == 1800 and scene.items(over_both)[0] is rack


class RecordingPainter(QPainter):
    """Records each text drawn: its font size and the box it needs, in device pixels."""

    def __init__(self, device) -> None:
        super().__init__(device)
        self.texts: list[tuple[str, float, QRectF]] = []

    def drawText(self, *args) -> None:
        rect, flags, text = args if len(args) == 3 else (args[0], int(Qt.AlignmentFlag.AlignLeft), args[1])
        rect = QRectF(rect)
        needed = QFontMetricsF(self.font()).boundingRect(rect, int(flags), text)
        scale = self.worldTransform().m11() or abs(self.worldTransform().m12())
        self.texts.append((text, self.font().pixelSize() * scale, self.worldTransform().mapRect(needed)))
        super().drawText(*args)


def test_rack_names_are_readable_and_stay_inside_their_racks(qtbot, small_context):
    doc = small_context.document
    long_name = "Ultra64 rack A (servers 1 and 3)"
    small_context.push(UpdateRack(doc, "R1", name=long_name))
    view = make_view(qtbot, small_context)
    view.resize(1000, 700)
    view.fit()  # the whole layout, as on start
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = RecordingPainter(image)
    for rack_id in ("R1", "R2"):
        item = view.scene().racks[rack_id]
        painter.save()
        painter.setTransform(item.sceneTransform() * view.viewportTransform())
        item.paint(painter, None)
        painter.restore()
    painter.end()
    names = {text: (size, box) for text, size, box in painter.texts}
    assert set(names) == {long_name, "R2"}
    for rack_id, name in (("R1", long_name), ("R2", "R2")):
        size, box = names[name]
        rack = view.mapFromScene(view.scene().rack_rect(rack_id)).boundingRect()
        assert size >= 8, f"{name} drawn {size:.1f} px high"
        assert QRectF(rack).adjusted(-1, -1, 1, 1).contains(box), f"{name} spills out of its rack"


def test_the_whole_layout_is_fitted_on_start_and_while_the_pane_settles(qtbot, sample_context):
    view = show_widget(qtbot, FloorPlanView(sample_context), (500, 400))
    assert fills_view(view)
    view.resize(1100, 500)  # docks and splitters settling after the window opens
    assert fills_view(view)
    view.zoom_in()  # the designer's zoom is kept from then on
    zoom = view.zoom()
    view.resize(800, 800)
    assert view.zoom() == zoom
    view.fit()
    assert fills_view(view)


def test_a_pinned_medium_moves_the_route_into_that_colour(qtbot, small_context):
    view = make_view(qtbot, small_context)
    scene = view.scene()
    rack, medium = scene.cable_bundle["C2"]
    pinned = "AEC" if medium != "AEC" else "DAC"
    small_context.push(UpdateCable(small_context.document, "C2", pinned_medium=pinned))
    scene.flush_routes()
    assert scene.cable_bundle["C2"] == (rack, pinned)
    assert "C2" in scene.bundles[(rack, pinned)].routes
    assert (rack, medium) not in scene.bundles or "C2" not in scene.bundles[(rack, medium)].routes
    small_context.undo_stack.undo()
    scene.flush_routes()
    assert scene.cable_bundle["C2"] == (rack, medium)


def test_a_medium_changed_by_the_analysis_alone_is_recoloured(qtbot, small_context):
    """Fill relief can give a cable the edit did not touch a thinner product: its colour follows."""
    view = make_view(qtbot, small_context)
    scene = view.scene()
    analysis = small_context.analysis
    row = analysis.result.index["C2"]
    rack, medium = scene.cable_bundle["C2"]
    other = next(i for i, p in enumerate(analysis.products.products) if p.medium.value != medium)
    analysis.choice.product[row] = other
    analysis._publish()  # what a re-analysis does after relieving a tray
    small_context.analysisUpdated.emit(analysis.result)
    scene.flush_routes()
    assert scene.cable_bundle["C2"] == (rack, analysis.products.products[other].medium.value)


def test_a_cable_added_while_another_is_recoloured_draws_both(qtbot, small_context):
    """After a structure edit the floor plan compares the media of the cables that stayed
    (FloorRoutes._queue_changed): a recoloured one follows, the new one is drawn."""
    from gui.commands import apply
    from model.commands import ConnectCables

    view = make_view(qtbot, small_context)
    scene = view.scene()
    analysis = small_context.analysis
    rack, medium = scene.cable_bundle["C2"]
    other = next(i for i, p in enumerate(analysis.products.products) if p.medium.value != medium)
    analysis.choice.product[analysis.result.index["C2"]] = other  # as a fill relief would, unseen yet
    apply(small_context, ConnectCables(small_context.document, [Cable(id="C3", a="T2:c0.n2", b="T3:c0.n2")]))
    scene.flush_routes()
    assert "C3" in scene.routes
    assert scene.cable_bundle["C2"] == (rack, analysis.products.products[other].medium.value)


def _floor_picture(scene) -> dict:
    """What a floor plan shows apart from routes: each rack's, tray's and fill piece's item
    (place, look), the aisles, and the overview's tiles (grouped as painted zoomed out)."""

    def tile(batches) -> list:
        return [
            (sorted((r.x(), r.y()) for r in s) if isinstance(s, list) else s.elementCount(), bool(pen), bool(brush))
            for s, pen, brush in batches
        ]

    return {
        "racks": {
            k: (i.pos().toTuple(), i.rect.getRect(), i.over_budget, i.isSelected()) for k, i in scene.racks.items()
        },
        "trays": {k: i.path().boundingRect().getRect() for k, i in scene.trays.items()},
        "fills": {k: i.key for k, i in scene.fills.items()},
        "aisles": [a.path().boundingRect().getRect() for a in scene.aisles],
        "tiles": sorted((k, tile(batches)) for k, (_c, batches) in scene.overview.tiles.items()),
    }


def test_many_tray_pieces_changed_redraw_their_fill_in_slices_to_the_fresh_floor(qtbot, monkeypatch):
    """Deleting a rack re-analyses every cable: at 100,000 accelerators the fill items of
    every tray piece (~8,000) were redrawn in one turn (~0.2 s, the window frozen). Past
    FILL_AT_ONCE pieces they are redrawn a slice a turn, and end as a floor drawn afresh
    shows them; an analysis that comes between two slices (an undo) ends the same."""
    from gui.commands import apply
    from gui.context import AppContext
    from gui.scene import floor_plan
    from gui.scene.floor_plan import FloorPlanScene
    from model.commands import RemoveRack
    from model.commands_naming import SetLayoutProperties
    from model.document import Document
    from model.topologies.scaleout import build_scaleout_pod

    context = AppContext(Document(build_scaleout_pod(accelerators=512)))
    scene = make_view(qtbot, context).scene()
    monkeypatch.setattr(floor_plan, "FILL_AT_ONCE", 0)
    monkeypatch.setattr(floor_plan, "FILL_CHUNK", 3)
    monkeypatch.setattr(floor_plan, "BUILD_STEP_S", 0.0)  # a chunk a turn
    document = context.document
    busiest = max(document.racks, key=lambda r: len(document._cable_ids_of_rack(document.racks[r])))

    def as_fresh() -> None:
        fresh = FloorPlanScene(context)
        assert {k: i.key for k, i in scene.fills.items()} == {k: i.key for k, i in fresh.fills.items()}

    before = {k: i.key for k, i in scene.fills.items()}
    apply(context, RemoveRack(document, busiest))
    assert scene.fill_waiting  # not all in the turn of the edit
    qtbot.waitUntil(lambda: not scene.fill_waiting, timeout=10_000)
    assert {k: i.key for k, i in scene.fills.items()} != before
    as_fresh()
    context.undo_stack.undo()
    qtbot.waitUntil(lambda: not scene.fill_waiting, timeout=10_000)
    assert {k: i.key for k, i in scene.fills.items()} == before
    apply(context, RemoveRack(document, busiest))
    assert scene.fill_waiting
    # While the delete's fill is still being redrawn: an analysis with the same fill (a rename),
    # so the pieces still waiting must not be taken as drawn; then the undo's.
    apply(context, SetLayoutProperties(document, name="Renamed hall"))
    assert scene.fill_waiting  # the pieces not yet redrawn are not forgotten
    qtbot.waitUntil(lambda: not scene.fill_waiting, timeout=10_000)
    as_fresh()
    context.undo_stack.undo()  # the name
    context.undo_stack.undo()  # the delete, its fill still waiting for its turns
    qtbot.waitUntil(lambda: not scene.fill_waiting, timeout=10_000)
    as_fresh()
    assert {k: i.key for k, i in scene.fills.items()} == before


def test_a_big_floor_is_built_in_slices_into_the_same_scene(qtbot, monkeypatch):
    """A floor too big to build at once is made over several turns of the event loop (the
    window keeps painting), fitted to the whole hall meanwhile, and ends as the floor built
    at once: the same racks (selected as before), trays, fill, aisles and overview tiles."""
    from gui.context import AppContext
    from gui.scene import floor_overview, floor_plan
    from gui.scene.floor_overview import OVERVIEW_LOD
    from model.document import Document
    from model.topologies.scaleout import build_scaleout_pod

    context = AppContext(Document(build_scaleout_pod(accelerators=512)))
    context.set_selection([Selected("rack", context.document.site.racks[3].id)])
    at_once = make_view(qtbot, context)
    fitted = at_once.zoom()
    at_once.zoom_by(OVERVIEW_LOD / 2 / at_once.zoom())
    expected = _floor_picture(at_once.scene())
    assert expected["racks"] and expected["fills"] and expected["tiles"]

    monkeypatch.setattr(floor_plan, "BUILD_AT_ONCE", 0)
    monkeypatch.setattr(floor_plan, "BUILD_STEP_S", 0.0)  # a step a turn: as many turns as can be
    monkeypatch.setattr(floor_overview, "REGROUP_AT_ONCE", 0)
    monkeypatch.setattr(floor_overview, "REGROUP_STEP_S", 0.0)
    view = FloorPlanView(context)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    scene = view.scene()
    assert scene.building and not scene.racks  # nothing made in the constructor's turn
    view.fit()  # fitted to the hall being built, not to the few racks made so far
    assert view.zoom() == pytest.approx(fitted, rel=0.2)
    view.zoom_by(OVERVIEW_LOD / 2 / view.zoom())
    turns = 0
    while scene.building or scene.overview.grouping:
        QApplication.processEvents()
        turns += 1
        assert turns < 100_000
    assert turns > 5  # built a piece at a time
    assert _floor_picture(scene) == expected
    assert scene.racks[context.document.site.racks[3].id].isSelected()


def test_routes_wait_for_the_build_then_come_in_view_first(qtbot, monkeypatch):
    """Zoomed in on a floor being built, no route is drawn until its racks are there; then
    the racks in view get theirs first, and every cable gets one."""
    from gui.context import AppContext
    from gui.scene import floor_plan
    from model.document import Document
    from model.topologies.scaleout import build_scaleout_pod

    monkeypatch.setattr(floor_plan, "BUILD_AT_ONCE", 0)
    context = AppContext(Document(build_scaleout_pod(accelerators=256)))
    view = FloorPlanView(context)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    scene = view.scene()
    monkeypatch.setattr(floor_plan, "BUILD_STEP_S", 0.0)  # a step a turn
    for _ in range(1000):  # the routes are queued in the build's first slice
        if scene.pending:
            break
        QApplication.processEvents()
    scene._route_some()  # the route timer's turn while the floor is being built
    assert scene.building and not scene.routes and scene.pending == set(context.document.cables)
    rack = context.document.site.racks[-1]
    qtbot.waitUntil(lambda: not scene.building)
    view.zoom_by(CABLE_LOD * 40 / view.zoom())
    view.centre_on_rect(scene.rack_rect(rack.id))
    qtbot.waitUntil(lambda: not scene.in_view_pending())
    in_view = scene.cables_in_view()
    assert in_view and in_view <= set(scene.routes)
    qtbot.waitUntil(lambda: not scene.routes_waiting())
    assert set(scene.routes) == set(context.document.cables)


def test_the_last_layout_s_items_leave_as_the_build_starts_and_are_never_picked(qtbot, monkeypatch):
    """Another layout opened: the last one's racks, trays and fill pieces left the scene in the
    turn that swapped the layouts (~40 ms at 100,000 accelerators). They leave in the build's
    first steps now; until then a click or a rubber band never takes one for the new layout's."""
    from gui.context import AppContext
    from gui.scene import floor_plan
    from model.document import Document
    from model.topologies import build_sample
    from model.topologies.scaleout import build_scaleout_pod

    monkeypatch.setattr(floor_plan, "BUILD_AT_ONCE", 0)
    monkeypatch.setattr(floor_plan, "BUILD_STEP_S", 0.0)  # a step a turn
    context = AppContext(Document(build_scaleout_pod(accelerators=256)))
    view = show_widget(qtbot, FloorPlanView(context), (600, 400))
    scene = view.scene()
    qtbot.waitUntil(lambda: not scene.building)
    view.fit()
    old = [*scene.racks.values(), *scene.trays.values(), *scene.fills.values()]
    rack = old[0]
    context.document.replace_site(build_sample("trn2-ultra64"))
    assert all(item.scene() is scene and item.retired for item in old)  # still there in the swap's turn
    assert scene.building and not scene.racks
    rack.setSelected(True)  # as a rubber band over it would
    assert context.selection == ()
    at = view.mapFromScene(rack.sceneBoundingRect().center())
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    assert view.interaction is None  # no drag of the last layout's rack
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    qtbot.waitUntil(lambda: not scene.building)
    assert all(item.scene() is None for item in old)
    assert len(scene.racks) == len(context.document.site.racks)


def test_a_rack_over_its_power_budget_is_drawn_so_and_back_after_undo(qtbot, small_context):
    view = make_view(qtbot, small_context)
    scene = view.scene()
    assert not scene.racks["R1"].over_budget and not scene.racks["R2"].over_budget
    small_context.push(UpdateRack(small_context.document, "R1", power_budget_w=10.0))
    qtbot.waitUntil(lambda: scene.racks["R1"].over_budget)
    assert small_context.result.racks["R1"].over_budget and not scene.racks["R2"].over_budget
    small_context.undo_stack.undo()
    qtbot.waitUntil(lambda: not scene.racks["R1"].over_budget)


def test_aisles_follow_a_moved_rack_in_turns_of_their_own_and_the_floor_grows_to_hold_it(qtbot, small_context):
    from gui.scene.floor_plan import FloorPlanScene
    from model.commands import MoveRacks

    view = make_view(qtbot, small_context)
    scene = view.scene()
    rack = small_context.document.racks["R2"]
    far = rack.x_mm + 200_000  # far past the scene rect the hall was given
    assert not scene.sceneRect().contains(QPointF(far, rack.y_mm))
    small_context.push(MoveRacks(small_context.document, {"R2": (far, rack.y_mm, rack.facing)}))
    assert scene._aisles_left  # not in the edit's own turn
    qtbot.waitUntil(lambda: not scene._aisles_left)
    fresh = FloorPlanScene(small_context)
    assert [a.path().boundingRect() for a in scene.aisles] == [a.path().boundingRect() for a in fresh.aisles]
    assert scene.sceneRect().contains(scene.rack_rect("R2"))


def test_mouse_steps_within_one_slot_check_the_floor_once(qtbot, small_context, monkeypatch):
    """A drag checks where the racks would stand once per slot they snap to, not once per
    mouse event (at 100k accelerators the overlap check among the hall's racks is ~6 ms)."""
    view = make_view(qtbot, small_context)
    checks = []
    clash = floor_drags.floor_clash
    monkeypatch.setattr(floor_drags, "floor_clash", lambda *args: checks.append(1) or clash(*args))
    mouse_drag(view, QPointF(1500, 1700), QPointF(1520, 1700), release=False)
    for x in (1540, 1560, 1580):  # a few mm at a time: the same slot
        mouse_drag_to(view, QPointF(x, 1700))
    assert len(checks) == 1
    mouse_drag_to(view, QPointF(2700, 1700))  # the next slot along
    release_at(view, QPointF(2700, 1700))
    assert len(checks) == 2 and small_context.document.racks["R2"].x_mm == 2700


@pytest.mark.parametrize("show_s", [0.0, 1000.0])
def test_a_sliced_overview_regrouping_shows_its_tiles_at_most_every_regroup_show_s(qtbot, monkeypatch, show_s):
    """Zooming out to a hall whose overview is grouped a slice a turn: the tiles built so far
    are shown (the item's bounds grow, its cached picture redrawn) every slice when
    REGROUP_SHOW_S is 0, never before the end when it is long; the end shows every tile."""
    from gui.context import AppContext
    from gui.scene import floor_overview
    from gui.scene.floor_overview import OVERVIEW_LOD
    from model.document import Document
    from model.topologies.scaleout import build_scaleout_pod

    monkeypatch.setattr(floor_overview, "REGROUP_AT_ONCE", 0)
    monkeypatch.setattr(floor_overview, "REGROUP_STEP_S", 0.0)  # a step a turn
    monkeypatch.setattr(floor_overview, "REGROUP_SHOW_S", show_s)
    monkeypatch.setattr(floor_overview, "TILE_MM", 2_000.0)  # tiles a few racks wide: many of them
    view = make_view(qtbot, AppContext(Document(build_scaleout_pod(accelerators=512))))
    overview = view.scene().overview
    view.zoom_by(OVERVIEW_LOD / 2 / view.zoom())
    assert overview.grouping
    shown = set()
    while overview.grouping:
        shown.add(tuple(overview.boundingRect().getRect()))
        QApplication.processEvents()
    end = QRectF()
    for covers, _batches in overview.tiles.values():
        end = end.united(covers)
    assert overview.boundingRect() == end and not end.isEmpty()
    assert len(shown) > 2 if show_s == 0.0 else len(shown) == 1


def test_a_rack_nudged_in_a_row_of_mixed_widths_stays_put(qtbot):
    """A 600 mm rack in a row that starts with an 800 mm network rack, dragged a few mm across
    and along: it stays in its place, with no refusal (slots counted in the first rack's width
    put it 100-200 mm onto its neighbour and the drop was refused)."""
    from gui.context import AppContext
    from model.document import Document
    from model.layout import Rack, Site

    document = Document(Site(name="mixed row"))
    document.add_rack(Rack(id="N", row="B", x_mm=400.0, y_mm=0.0, width_mm=800))
    for i in range(4):
        document.add_rack(Rack(id=f"S{i}", row="B", x_mm=1100.0 + 600 * i, y_mm=0.0))
    context = AppContext(document)
    view = make_view(qtbot, context)
    messages = []
    context.statusMessage.connect(messages.append)
    before = dump(context)
    mouse_drag(view, QPointF(1700, 0), QPointF(1730, 60), release=False)
    mouse_drag_to(view, QPointF(1690, -80))
    release_at(view, QPointF(1710, 90))
    assert dump(context) == before and context.undo_stack.count() == 0
    assert not [m for m in messages if "Cannot" in m]


def test_a_rack_dragged_into_a_row_facing_the_other_way_takes_its_facing_and_row(qtbot):
    """A rack of a north-facing row dropped into a south-facing row faces south and belongs
    to that row, in one undo step (it kept facing north and its old row: a fresh user's find,
    its hot aisle in the row's cold aisle); undo puts it back as it stood. Its cable follows
    the turn: routed through the side of its new neighbour as a fresh analysis routes it."""
    from gui.context import AppContext
    from model.analysis import Analysis
    from model.document import Document
    from model.layout import Device, Rack, Site

    document = Document(Site(name="two rows"))
    for i in range(3):
        document.add_rack(Rack(id=f"S{i}", row="R01", x_mm=300.0 + 600 * i, y_mm=0.0, facing="south"))
    for i in range(2):
        document.add_rack(Rack(id=f"N{i}", row="R02", x_mm=300.0 + 600 * i, y_mm=4000.0, facing="north"))
    document.place_device("S2", Device(id="sw", type="switch-51t2-64x800g", u_position=40))
    document.place_device("N1", Device(id="srv", type="server-8gpu-800g", u_position=10))
    document.connect(Cable(id="c1", a="srv:nic1", b="sw:p1"))
    context = AppContext(document)
    view = make_view(qtbot, context)
    assert context.result.cable("c1").length_m is None  # no pathway between the rows
    # N1 from (900, 4000) to the free slot after S2 in row R01: x 2100, y 0.
    mouse_drag(view, QPointF(900, 4000), QPointF(2080, 40))
    moved = document.racks["N1"]
    assert (moved.x_mm, moved.y_mm, moved.facing, moved.row) == (2100.0, 0.0, "south", "R01")
    assert context.undo_stack.count() == 1 and context.undo_stack.undoText() == "Move rack N1"
    assert context.result.cable("c1").length_m is not None  # through the side of S2, its new neighbour
    assert context.result.cable("c1").length_m == pytest.approx(
        Analysis(Document(document.site.model_copy(deep=True))).result.cable("c1").length_m
    )  # as a fresh analysis of the layout has it
    context.undo_stack.undo()
    back = document.racks["N1"]
    assert (back.x_mm, back.y_mm, back.facing, back.row) == (900.0, 4000.0, "north", "R02")
    assert context.result.cable("c1").length_m is None


def test_a_rack_dragged_out_of_its_row_onto_open_floor_leaves_the_row(qtbot):
    """A rack pulled out of row R02 onto open floor kept 'R02': the row then reached across
    the hall to it, and the next rack dropped near the row's far end snapped to a slot out
    there. It leaves the row (undo gives the name back); a whole row dragged keeps its name."""
    from gui.context import AppContext
    from model.document import Document
    from model.layout import Rack, Site
    from model.placement import snap_rack

    document = Document(Site(name="two rows"))
    for i in range(3):
        document.add_rack(Rack(id=f"S{i}", row="R01", x_mm=300.0 + 600 * i, y_mm=0.0, facing="south"))
        document.add_rack(Rack(id=f"N{i}", row="R02", x_mm=300.0 + 600 * i, y_mm=4000.0, facing="north"))
    context = AppContext(document)
    view = make_view(qtbot, context)
    mouse_drag(view, QPointF(1500, 4000), QPointF(9000, 9000))  # N2 onto open floor
    racks = document.racks
    assert (racks["N2"].x_mm, racks["N2"].y_mm, racks["N2"].row) == (9000.0, 9000.0, "")
    # Row R02 ends at N1 again: a rack dropped past it lands beside N1, not out by N2.
    probe = Rack(id="new", row="", x_mm=0.0, y_mm=0.0, facing="north")
    spot = snap_rack(document, probe, 1650.0, 4000.0, set())
    assert (spot.x_mm, spot.y_mm, spot.row) == (1500.0, 4000.0, "R02")
    context.undo_stack.undo()
    assert (racks["N2"].x_mm, racks["N2"].y_mm, racks["N2"].row) == (1500.0, 4000.0, "R02")

    # A rack of another row dragged along (a fresh user's find: it kept its row 'R01').
    context.set_selection([Selected("rack", "N2"), Selected("rack", "S2")])
    mouse_drag(view, QPointF(1500, 4000), QPointF(9000, 9000))
    assert (racks["N2"].row, racks["S2"].row) == ("", "")
    context.undo_stack.undo()
    assert (racks["N2"].row, racks["S2"].row) == ("R02", "R01")

    context.set_selection([Selected("rack", f"N{i}") for i in range(3)])
    mouse_drag(view, QPointF(300, 4000), QPointF(300, 9000))  # the whole row
    assert [(racks[f"N{i}"].y_mm, racks[f"N{i}"].row) for i in range(3)] == [(9000.0, "R02")] * 3


def test_racks_of_a_row_dragged_together_into_one_facing_the_other_way_all_take_it(qtbot):
    """Two selected racks of a north-facing row dragged into a south-facing row both face south
    and join it; a third selected rack of another row comes along as it stood."""
    from gui.context import AppContext
    from model.document import Document
    from model.layout import Rack, Site

    document = Document(Site(name="rows"))
    for i in range(2):
        document.add_rack(Rack(id=f"S{i}", row="R01", x_mm=300.0 + 600 * i, y_mm=0.0, facing="south"))
        document.add_rack(Rack(id=f"N{i}", row="R02", x_mm=300.0 + 600 * i, y_mm=4000.0, facing="north"))
    document.add_rack(Rack(id="W", row="R03", x_mm=300.0, y_mm=8000.0, facing="west", width_mm=600))
    context = AppContext(document)
    view = make_view(qtbot, context)
    context.set_selection([Selected("rack", r) for r in ("N0", "N1", "W")])
    mouse_drag(view, QPointF(300, 4000), QPointF(1500, 40))  # N0 to the slot after S1
    racks = document.racks
    assert [(racks[r].x_mm, racks[r].y_mm, racks[r].facing, racks[r].row) for r in ("N0", "N1")] == [
        (1500.0, 0.0, "south", "R01"),
        (2100.0, 0.0, "south", "R01"),
    ]
    assert (racks["W"].x_mm, racks["W"].y_mm, racks["W"].facing, racks["W"].row) == (1500.0, 4000.0, "west", "R03")
    assert context.undo_stack.count() == 1 and context.undo_stack.undoText() == "Move 3 racks"


def test_racks_dragged_together_into_a_row_turned_a_quarter_keep_their_facing_and_the_ghost_tells_the_truth(qtbot):
    """Two neighbours of a south-facing row dragged to an east-facing column: neither turns
    (turned alone, the grabbed one overlapped its neighbour: the ghost was green and the
    release was refused, a fresh user's find). Onto the column's next slot they would overlap
    its end rack: the ghosts are red during the drag, and the release changes nothing. Racks
    dragged together that overlap each other are refused by the drag's own check too."""
    from gui import colors
    from gui.context import AppContext
    from model.document import Document
    from model.layout import Rack, Site
    from model.placement import floor_clash

    document = Document(Site(name="column"))
    for i in range(2):
        document.add_rack(Rack(id=f"S{i}", row="R01", x_mm=300.0 + 600 * i, y_mm=0.0, facing="south"))
    for i in range(3):
        document.add_rack(Rack(id=f"E{i}", row="R09", x_mm=9000.0, y_mm=3000.0 + 600 * i, facing="east"))
    context = AppContext(document)
    view = make_view(qtbot, context)
    context.set_selection([Selected("rack", "S0"), Selected("rack", "S1")])
    before = dump(context)
    mouse_drag(view, QPointF(300, 0), QPointF(9000, 4800), release=False)  # the slot after E2
    drag = view.interaction
    assert [r.facing for r in drag.moved] == ["south", "south"]
    assert "would overlap rack 'E2'" in drag.reason
    assert all(g.brush().color() == colors.GHOST_REFUSED for g in drag.ghosts)
    release_at(view, QPointF(9000, 4800))
    assert dump(context) == before
    s0, s1 = document.racks["S0"], document.racks["S1"]
    on_top = [s0.model_copy(update={"x_mm": 5000.0}), s1.model_copy(update={"x_mm": 5300.0})]
    assert floor_clash(document, on_top, {"S0", "S1"}) == "rack 'S1' would overlap rack 'S0'"

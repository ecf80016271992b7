"""The floor plan's routes and tray fill follow adds and deletes without redrawing the hall:
what is drawn after an edit (and its undo) is what a freshly built floor plan draws."""

from __future__ import annotations

import numpy as np
import pytest

from gui.commands import apply
from gui.context import AppContext
from gui.scene.floor_plan import FloorPlanScene
from model.commands import RemoveDevices
from model.document import Document
from model.topologies.scaleout import build_scaleout_pod
from tests.gui.conftest import show_widget


@pytest.fixture
def pod_context(qapp):
    return AppContext(Document(build_scaleout_pod(accelerators=256)))


def drawn(scene: FloorPlanScene) -> dict:
    """What the scene draws: each cable's bundle (rack, medium) and route, and the tray fill."""
    scene.flush_routes()
    routes = {c: (scene.cable_bundle[c], points.round(3).tolist()) for c, points in scene.routes.items()}
    fills = {s: item.key for s, item in scene.fills.items()}
    return {"routes": routes, "fills": fills}


def test_a_deleted_server_and_its_undo_redraw_only_what_changed(qtbot, pod_context, monkeypatch):
    scene = FloorPlanScene(pod_context)
    drawn(scene)
    document = pod_context.document
    server = next(d for d in document.devices.values() if d.type == "server-8gpu-800g")
    cables = {c.id for c in document.cables_of_device(server.id)}
    assert cables

    # The edit's rows are found from the cables it names: comparing every cable is not needed.
    def everything(*_args):
        raise AssertionError("compared every cable")

    monkeypatch.setattr(scene, "_queue_changed", everything)
    apply(pod_context, RemoveDevices(document, [server.id]))
    after = drawn(scene)
    assert not cables & set(after["routes"])
    assert set(after["routes"]) == set(document.cables)
    assert after == drawn(FloorPlanScene(pod_context))  # as a floor plan built afresh

    pod_context.undo_stack.undo()
    back = drawn(scene)
    assert cables <= set(back["routes"])
    assert back == drawn(FloorPlanScene(pod_context))


def test_fill_items_follow_an_edit_piece_by_piece(qtbot, pod_context):
    scene = FloorPlanScene(pod_context)
    before = drawn(scene)["fills"]
    document = pod_context.document
    leaf_rack = max(document.site.racks, key=lambda r: len(document.cables_of_rack(r.id)))
    servers = [d.id for d in document.devices.values() if d.type == "server-8gpu-800g"][:4]
    apply(pod_context, RemoveDevices(document, servers))
    after = drawn(scene)["fills"]
    assert after != before  # 32 cables fewer in the trays
    assert after == drawn(FloorPlanScene(pod_context))["fills"]
    assert leaf_rack.id in scene.racks


def test_a_big_hall_fills_in_rack_by_rack(qtbot, pod_context):
    scene = FloorPlanScene(pod_context)
    assert len(scene.pending) == len(pod_context.document.cables)
    scene._timer.stop()
    scene._route_some(50)
    ids = pod_context.result.cable_ids
    assert set(scene.routes) == set(ids[:50])  # in the analysis' row order, not the set's
    scene.flush_routes()
    assert set(scene.routes) == set(ids) and not scene.pending


def test_a_layout_read_routes_its_first_batch_at_the_starting_size(qtbot, pod_context, monkeypatch):
    """A batch grown on one layout's routing is not the next layout's first: after the bench's
    10,000-accelerator hall (5,882 cables a batch), zooming into the 100,000's routed that many
    in one turn of 0.12-0.14 s."""
    from gui.scene import floor_routes

    scene = FloorPlanScene(pod_context)
    scene.flush_routes()
    scene._batch = 5_000  # as grown on this hall
    asked = []
    take = scene._next_batch
    monkeypatch.setattr(scene, "_next_batch", lambda result, limit: asked.append(limit) or take(result, limit))
    pod_context.document.replace_site(build_scaleout_pod(accelerators=512))
    qtbot.waitUntil(lambda: not scene.routes_waiting() and not scene.building, timeout=20_000)
    assert asked[0] == floor_routes.ROUTE_BATCH < len(pod_context.document.cables)
    assert set(scene.routes) == set(pod_context.result.cable_ids)  # and every route came, batch by batch


def test_a_setting_redraws_the_routes_and_keeps_the_racks_and_trays(qtbot, pod_context):
    """A settings change re-analyses every cable; the floor's racks and trays read no setting,
    so they stay (a rebuild of a 100k hall's 37,000 items held the window ~50 ms), and what
    it draws is what a floor built afresh draws."""
    from model.commands_properties import UpdateSettings

    scene = FloorPlanScene(pod_context)
    before = drawn(scene)
    racks, trays, bundles = dict(scene.racks), dict(scene.trays), list(scene.bundles.values())
    clearance = pod_context.document.site.settings.tray_clearance_above_rack_mm
    apply(pod_context, UpdateSettings(pod_context.document, tray_clearance_above_rack_mm=clearance + 600))
    after = drawn(scene)
    assert after == drawn(FloorPlanScene(pod_context))
    assert not {id(b) for b in scene.bundles.values()} & {id(b) for b in bundles}  # every route drawn again
    assert all(scene.racks[r] is item for r, item in racks.items())
    assert all(scene.trays[t] is item for t, item in trays.items())
    pod_context.undo_stack.undo()
    assert drawn(scene) == before


def test_a_setting_that_changes_media_redraws_each_route_in_its_new_bundle(qtbot):
    """A longer service slack takes the trn2 sample's DAC runs past DAC's reach: every route
    moves to an AEC bundle, drawn as a floor built afresh draws it (a fresh user found the
    objective changes no medium in the samples, so the test above moves none)."""
    from model.commands_properties import UpdateSettings
    from model.topologies import build_sample

    context = AppContext(Document(build_sample("trn2-ultra64")))
    scene = FloorPlanScene(context)
    before = drawn(scene)
    assert {key[1] for key, _ in before["routes"].values()} == {"DAC", "AEC"}
    apply(context, UpdateSettings(context.document, service_slack_m=3))
    after = drawn(scene)
    assert {key[1] for key, _ in after["routes"].values()} == {"AEC"}
    assert after == drawn(FloorPlanScene(context))
    context.undo_stack.undo()
    assert drawn(scene) == before


def test_zoomed_out_routes_wait_for_a_zoom_in(qtbot, pod_context):
    from gui.context import Selected
    from gui.scene.floor_items import CABLE_LOD
    from gui.scene.floor_plan import FloorPlanView
    from model.commands import MoveRacks
    from model.placement import floor_clash

    view = show_widget(qtbot, FloorPlanView(pod_context), (600, 400))
    scene = view.scene()
    scene.flush_routes()
    view.zoom_by(CABLE_LOD / 2 / view.zoom())  # the whole hall and more: routes are smudges
    assert not scene.cables_shown
    document = pod_context.document
    rack = next(
        r
        for r in sorted(document.site.racks, key=lambda r: -len(document.cables_of_rack(r.id)))
        if not floor_clash(document, [r.model_copy(update={"x_mm": r.x_mm + r.width_mm})], {r.id})
    )
    cable = document.cables_of_rack(rack.id)[0].id
    drawn_before = scene.routes[cable]
    apply(pod_context, MoveRacks(document, {rack.id: (rack.x_mm + rack.width_mm, rack.y_mm, rack.facing)}))
    qtbot.wait(50)
    assert cable in scene.pending and scene.routes[cable] is drawn_before  # nothing routed zoomed out
    # The selection is drawn where the analysis has the cable now, not where it was drawn.
    pod_context.set_selection([Selected("cable", cable)])
    moved = scene.route_points(cable)
    assert scene.highlight.path().boundingRect().center().x() == pytest.approx(
        (moved[:, 0].min() + moved[:, 0].max()) / 2, abs=1
    )

    view.zoom_by(CABLE_LOD * 4 / view.zoom())
    assert scene.cables_shown
    qtbot.waitUntil(lambda: not scene.pending)
    assert scene.routes[cable].tolist() == moved.tolist()
    assert drawn(scene) == drawn(FloorPlanScene(pod_context))


def test_a_live_drag_redraws_only_the_moved_racks_routes_and_settles_when_it_ends(qtbot, pod_context):
    from gui.scene.floor_routes import LIVE
    from model.placement import floor_clash

    scene = FloorPlanScene(pod_context)
    drawn(scene)
    document = pod_context.document
    rack = next(
        r
        for r in sorted(document.site.racks, key=lambda r: -len(document.cables_of_rack(r.id)))
        if not floor_clash(document, [r.model_copy(update={"x_mm": r.x_mm + r.width_mm})], {r.id})
    )
    moved = {c.id for c in document.cables_of_rack(rack.id)}
    far = {key for c in moved if (key := scene.cable_bundle[c])[0] != rack.id}
    assert far  # some of its cables are drawn in far racks' bundles
    before = {c: scene.routes[c] for c in moved}
    pod_context.gesture_step()  # what a live drag does before each step
    document.move_racks({rack.id: (rack.x_mm + rack.width_mm, rack.y_mm, rack.facing)})
    scene.flush_routes()
    # While it moves, its routes are drawn in the LIVE bundles alone: a step re-merges no far rack.
    assert {scene.cable_bundle[c][0] for c in moved} == {LIVE}
    assert not any(moved & set(scene.bundles[key].routes) for key in far if key in scene.bundles)
    for c in moved:  # redrawn where the analysis has them now
        assert scene.routes[c].tolist() == scene.route_points(c).tolist() != before[c].tolist()
    pod_context.gesture_end()
    scene._catch_up_floor()
    assert not any(key[0] == LIVE for key in scene.bundles)
    assert drawn(scene) == drawn(FloorPlanScene(pod_context))  # back in their racks' bundles


def test_zoomed_in_the_routes_of_the_racks_in_view_come_first(qtbot, pod_context):
    from gui.scene.floor_items import CABLE_LOD
    from gui.scene.floor_plan import FloorPlanView

    view = show_widget(qtbot, FloorPlanView(pod_context), (600, 400))
    scene = view.scene()
    document = pod_context.document
    rack = document.site.racks[-1]  # the last rows' cables come last in the analysis' order
    view.zoom_by(CABLE_LOD * 40 / view.zoom())
    view.centre_on_rect(scene.rack_rect(rack.id))
    scene._timer.stop()
    in_view = scene.cables_in_view()
    every = set(document.cables)
    assert {c.id for c in document.cables_of_rack(rack.id)} <= in_view < every
    scene.pending, scene._queue = set(every), None  # as if nothing were drawn yet
    assert scene.in_view_pending()
    scene._route_some(len(in_view))
    assert not scene.in_view_pending() and scene.pending == every - in_view
    scene.flush_routes()
    assert not scene.pending and set(scene.routes) == every


def test_zoomed_far_out_racks_trays_and_fill_are_painted_in_batches(qtbot, pod_context):
    from PySide6.QtWidgets import QGraphicsItem

    from gui.context import Selected
    from gui.scene.floor_items import RackItem
    from gui.scene.floor_overview import OVERVIEW_LOD
    from gui.scene.floor_plan import FloorPlanView
    from tests.gui.conftest import view_point

    view = show_widget(qtbot, FloorPlanView(pod_context), (600, 400))
    scene = view.scene()
    no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    items = [*scene.racks.values(), *scene.trays.values(), *scene.fills.values()]
    assert scene.fills and not scene.overview.active and not any(i.flags() & no_contents for i in items)

    view.zoom_by(OVERVIEW_LOD / 2 / view.zoom())
    assert scene.overview.active and all(i.flags() & no_contents for i in items)

    def drawn_racks(selected: bool) -> list:
        width = 3 if selected else 1
        batches = [b for _covers, tile in scene.overview.tiles.values() for b in tile]
        return [
            r
            for shape, pen, _brush in batches
            if isinstance(shape, list) and pen and pen.width() == width
            for r in shape
        ]

    racks = pod_context.document.site.racks
    assert len(drawn_racks(False)) == len(racks) and not drawn_racks(True)
    fills = [
        s for _c, tile in scene.overview.tiles.values() for s, pen, _b in tile if not isinstance(s, list) and not pen
    ]
    assert sum(path.elementCount() for path in fills) >= len(scene.fills) * 4  # every fill band's outline
    # The racks still answer clicks under the batches, and a selection shows in them.
    rack = racks[0]
    centre = scene.rack_rect(rack.id).center()
    assert any(isinstance(i, RackItem) and i.rack_id == rack.id for i in view.items(view_point(view, centre)))
    pod_context.set_selection([Selected("rack", rack.id)])
    assert drawn_racks(True) == [scene.racks[rack.id].rect.translated(scene.racks[rack.id].pos())]

    # An edit regroups the tiles it touched, into what grouping the whole hall afresh gives.
    def picture() -> list:
        def shape(batch) -> tuple:
            s, pen, brush = batch
            size = sorted((r.x(), r.y()) for r in s) if isinstance(s, list) else s.elementCount()
            return (size, pen.width() if pen else 0, brush.rgba() if brush else 0)

        return sorted((key, [shape(b) for b in batches]) for key, (_c, batches) in scene.overview.tiles.items())

    server = next(d for d in pod_context.document.devices.values() if d.type == "server-8gpu-800g")
    apply(pod_context, RemoveDevices(pod_context.document, [server.id]))
    pod_context.set_selection([Selected("rack", racks[-1].id)])
    edited = picture()
    scene.overview.mark_dirty()
    scene.overview.refresh()
    assert edited == picture()

    view.zoom_by(OVERVIEW_LOD * 4 / view.zoom())
    assert not scene.overview.active and not any(i.flags() & no_contents for i in items)
    assert scene.overview.boundingRect().isEmpty()


def test_zoomed_out_the_routes_are_lanes_by_medium_along_the_trays(qtbot, pod_context):
    from gui.scene.floor_items import CABLE_LOD
    from gui.scene.floor_plan import FloorPlanView
    from model.selection import MEDIUM_NAMES
    from model.tray_media import piece_media_counts

    view = show_widget(qtbot, FloorPlanView(pod_context), (600, 400))
    scene = view.scene()
    view.zoom_by(CABLE_LOD / 2 / view.zoom())
    assert not scene.cables_shown
    qtbot.waitUntil(lambda: not scene.lanes_waiting())
    counts = list(piece_media_counts(pod_context.result.state))[-1]
    carried = {MEDIUM_NAMES[m]: int((counts[:, m] > 0).sum()) for m in range(len(MEDIUM_NAMES))}
    assert set(scene.media.lanes) == {name for name, pieces in carried.items() if pieces}
    for name, path in scene.media.lanes.items():
        assert path.elementCount() == 2 * carried[name]  # a line along each tray piece that carries it
    # An add or delete: the lanes follow at once, counting only its cables, as counted afresh.
    import numpy as np

    server = next(d for d in pod_context.document.devices.values() if d.type == "server-8gpu-800g")

    def drawn_as_fresh() -> bool:
        """Whether the lanes drawn are those drawn afresh from the latest analysis (an edit that
        leaves every piece its media keeps the lanes it drew)."""
        from gui.scene.floor_media import TrayMediaItem

        result, fresh = pod_context.result, TrayMediaItem()
        fill = result.state.fill
        widths = result.state.network.edge_width[fill.piece_edge[: fill.piece_count]]
        fresh.set_lanes(
            np.asarray(result.tray_fill_figures[:, 2:6]), widths, list(piece_media_counts(result.state))[-1]
        )
        return fresh.lanes == scene.media.lanes

    home = pod_context.document.device_rack[server.id]
    everything = [d.id for d in home.devices]  # its rack's drop pieces lose their cables: lanes go
    for edit in (
        lambda: apply(pod_context, RemoveDevices(pod_context.document, [server.id])),
        pod_context.undo_stack.undo,
        lambda: apply(pod_context, RemoveDevices(pod_context.document, everything)),
        pod_context.undo_stack.undo,
    ):
        edit()
        assert not scene.lanes_waiting()
        assert np.array_equal(scene._media_counts, list(piece_media_counts(pod_context.result.state))[-1])
        assert drawn_as_fresh()
    # A server moved into another rack: its cables leave its old trays for the new ones, and
    # the lanes follow them at once (they kept the old trays' counts before).
    document = pod_context.document
    source = document.device_rack[server.id]
    target = next(r for r in document.site.racks if r.id != source.id and r.row == source.row)
    spot = next(u for u in range(1, target.height_u) if not target_clash(document, target.id, server, u))
    document.move_device(server.id, target.id, spot)
    assert not scene.lanes_waiting()
    assert np.array_equal(scene._media_counts, list(piece_media_counts(pod_context.result.state))[-1])
    assert drawn_as_fresh()
    # A moved rack cuts the trays elsewhere: the lanes follow at once all the same.
    rack = pod_context.document.site.racks[0]
    pieces = pod_context.result.state.fill.piece_count
    pod_context.document.move_racks({rack.id: (rack.x_mm, rack.y_mm + 50_000, rack.facing)})
    assert pod_context.result.state.fill.piece_count != pieces  # cut elsewhere
    assert not scene.lanes_waiting()
    assert np.array_equal(scene._media_counts, list(piece_media_counts(pod_context.result.state))[-1])
    assert drawn_as_fresh()
    # A tray changed: the lanes are worked out again.
    tray = pod_context.document.site.trays[0]
    pod_context.document.update_tray(tray.id, width_mm=tray.width_mm + 300)
    assert scene.lanes_waiting()
    qtbot.waitUntil(lambda: not scene.lanes_waiting())
    assert np.array_equal(scene._media_counts, list(piece_media_counts(pod_context.result.state))[-1])
    assert drawn_as_fresh()


def test_zoomed_in_the_lanes_keep_no_snapshot_alive(qtbot, pod_context):
    """The lanes drawn zoomed out named the result they show by holding it: zoomed in they do
    not follow edits, so that snapshot (~45 MB of columns at 100k accelerators) outlived every
    edit after, and the first drag steps faulted in a third set. They name it by identity only:
    still drawn from it while it lives, waiting once it is gone."""
    import gc
    import weakref

    from gui.release import release
    from gui.scene.floor_items import CABLE_LOD
    from gui.scene.floor_plan import FloorPlanView

    view = show_widget(qtbot, FloorPlanView(pod_context), (600, 400))
    scene = view.scene()
    view.zoom_by(CABLE_LOD / 2 / view.zoom())
    qtbot.waitUntil(lambda: not scene.lanes_waiting())
    drawn = weakref.ref(pod_context.result)
    assert scene._media_drawn is drawn()
    view.zoom_by(CABLE_LOD * 4 / view.zoom())
    assert scene.cables_shown
    rack = pod_context.document.site.racks[0]
    pod_context.document.move_racks({rack.id: (rack.x_mm, rack.y_mm + 50_000, rack.facing)})
    release().finish()  # what the app let go of (gui.release), freed now rather than a slice a turn
    gc.collect()
    assert drawn() is None  # nothing kept the snapshot the lanes were drawn from
    assert scene._media_drawn is None
    view.zoom_by(CABLE_LOD / 2 / view.zoom())
    assert scene.lanes_waiting()  # zoomed out again: drawn from the latest
    qtbot.waitUntil(lambda: not scene.lanes_waiting())
    assert scene._media_drawn is pod_context.result


def target_clash(document, rack_id: str, device, u: int) -> bool:
    """Whether `device` would not fit at U `u` of rack `rack_id`."""
    from model.errors import LayoutError

    try:
        document.check_placement(rack_id, device.model_copy(update={"u_position": u}), ignore=device.id)
    except LayoutError:
        return True
    return False


def test_a_live_drag_redraws_the_moved_racks_routes_and_ends_as_the_move_command(qtbot, pod_context, monkeypatch):
    """Zoomed in, each drag step redraws the moved rack's routes (apart, as they come, in
    the live bundles) from the analysis of that step; released, the routes go back to their
    racks' bundles, and layout, analysis and drawing are what the Move command gives."""
    from PySide6.QtCore import QPointF

    from gui import context as context_module
    from gui.floor_drags import MoveRacksDrag
    from gui.scene.floor_items import CABLE_LOD
    from gui.scene.floor_plan import FloorPlanView
    from gui.scene.floor_routes import LIVE
    from model.commands import MoveRacks
    from model.placement import floor_clash

    monkeypatch.setattr(context_module, "GESTURE_REST_S", 60.0)  # no rest between steps, however slow
    document = pod_context.document
    view = FloorPlanView(pod_context)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    scene = view.scene()
    rack = next(
        r
        for r in document.site.racks
        if not any(
            floor_clash(document, [r.model_copy(update={"x_mm": r.x_mm + k * r.width_mm})], {r.id}) for k in (1, 2)
        )
    )
    home = rack.x_mm
    view.zoom_by(CABLE_LOD * 4 / view.zoom())
    view.centre_on_rect(scene.rack_rect(rack.id))
    scene.flush_routes()
    own = {c.id for c in document.cables_of_rack(rack.id)}
    assert own
    centre = scene.rack_rect(rack.id).center()
    drag = MoveRacksDrag(view, pod_context, [rack.id], rack.id, centre)
    for step in (1, 2, 1, 2):
        drag.update(centre + QPointF(rack.width_mm * step, 0))
        drag.flush()
        assert document.racks[rack.id].x_mm > home  # snapped into the row's next slots
        scene.flush_routes()
        assert {scene.cable_bundle[c][0] for c in own} == {LIVE}
        assert all(not b.merged for key, b in scene.bundles.items() if key[0] == LIVE)
        for cable_id in own:
            assert np.allclose(scene.routes[cable_id], scene.route_points(cable_id))
    assert drag.finish(centre + QPointF(rack.width_mm * 2, 0))
    final = document.racks[rack.id].x_mm
    qtbot.waitUntil(lambda: not scene.routes_waiting() and not scene._live)
    assert not any(key[0] == LIVE for key in scene.bundles)
    dragged = drawn(scene)
    lengths = pod_context.result.length_m.copy()

    pod_context.undo_stack.undo()
    other = AppContext(Document(document.site.model_copy(deep=True)))
    moved = other.document.racks[rack.id]
    assert (moved.x_mm, document.racks[rack.id].x_mm) == (home, home)  # undone
    other.push(MoveRacks(other.document, {rack.id: (final, moved.y_mm, moved.facing)}))
    assert np.allclose(other.result.length_m, lengths, equal_nan=True)
    assert drawn(FloorPlanScene(other)) == dragged


def test_bundles_left_over_a_turns_time_are_merged_in_the_next_turns(qtbot, pod_context, monkeypatch):
    """A batch merges its bundles within its turn's time; what is left waits for the next
    turns, and the routes count as drawn only once every bundle shows them."""
    from gui.scene import floor_routes
    from gui.scene.floor_items import CABLE_LOD
    from gui.scene.floor_plan import FloorPlanView

    monkeypatch.setattr(floor_routes, "BATCH_S", 0.0)  # a bundle a turn
    view = FloorPlanView(pod_context)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.zoom_by(CABLE_LOD * 4 / view.zoom())
    scene = view.scene()
    scene.pending = set(pod_context.document.cables)
    scene._route_some()
    assert scene._commit_left and scene.routes_waiting()  # routed, not all merged yet
    qtbot.waitUntil(lambda: not scene.routes_waiting())
    assert not scene._touched and not any(bundle._dirty for bundle in scene.bundles.values())
    assert drawn(scene) == drawn(FloorPlanScene(pod_context))


def test_kept_changed_are_the_kept_rows_that_differ():
    """_kept_changed(old, new, gone, added) compares the kept rows of two columns slice by slice:
    the same as deleting the gone and added rows and comparing what is left."""
    import numpy as np

    from gui.scene.floor_routes import _kept_changed

    rng = np.random.default_rng(11)
    for _ in range(1000):
        kept, went, came = (int(x) for x in rng.integers(0, (30, 9, 9)))
        gone = np.sort(rng.choice(kept + went, size=went, replace=False)).astype(np.int64)
        added = np.sort(rng.choice(kept + came, size=came, replace=False)).astype(np.int64)
        old, new = rng.integers(0, 3, size=kept + went), rng.integers(0, 3, size=kept + came)
        expected = np.flatnonzero(np.delete(old, gone) != np.delete(new, added))
        assert np.array_equal(_kept_changed(old, new, gone, added), expected)

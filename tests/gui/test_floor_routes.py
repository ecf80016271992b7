"""The floor plan's routes and tray fill follow adds and deletes without redrawing the hall:
what is drawn after an edit (and its undo) is what a freshly built floor plan draws."""

from __future__ import annotations

import pytest

from gui.commands import apply
from gui.context import AppContext
from gui.scene.floor_plan import FloorPlanScene
from model.commands import RemoveDevices
from model.document import Document
from model.topologies.scaleout import build_scaleout_pod


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

"""The floor's overview (zoomed out): after an edit it paints what a floor drawn afresh paints."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from gui.commands import apply
from gui.context import AppContext, Selected
from gui.release import release
from gui.scene import floor_overview
from gui.scene.floor_overview import OVERVIEW_LOD
from gui.scene.floor_plan import FloorPlanView
from model.commands import RemoveDevices
from model.commands_properties import UpdateRack
from model.document import Document
from model.topologies.scaleout import build_scaleout_pod
from tests.gui.conftest import show_widget

SERVER = "server-8gpu-800g"


def _zoomed_out(qtbot, context) -> FloorPlanView:
    """A floor plan at 900 × 700, zoomed out below OVERVIEW_LOD about the hall's centre."""
    view = show_widget(qtbot, FloorPlanView(context), (900, 700))
    view.scene().flush_routes()
    view.fit()
    view.zoom_by(OVERVIEW_LOD / 1.5 / view.zoom())
    view.centerOn(view.scene().content_rect().center())
    QApplication.processEvents()
    assert view.scene().overview.active
    return view


def test_an_edit_repaints_only_its_tiles_and_the_floor_shows_what_a_fresh_one_does(qtbot, monkeypatch):
    """A server deleted (its cables leave the trays' fill) and a rack put over its power budget
    (drawn red): the overview regroups the tiles of what changed and paints them again (its
    picture is kept between paints, so a part left out would show the floor before the edit);
    the rack whose device went is not redrawn at all. The view's pixels equal a fresh floor's."""
    monkeypatch.setattr(floor_overview, "TILE_MM", 2_000.0)  # tiles a few racks wide: many of them
    context = AppContext(Document(build_scaleout_pod(accelerators=512)))
    doc = context.document
    view = _zoomed_out(qtbot, context)
    scene = view.scene()
    before = view.viewport().grab().toImage()
    server = next(d for d in doc.devices.values() if d.type == SERVER)
    home = doc.device_rack[server.id].id
    other = next(r.id for r in doc.site.racks if r.id != home and doc.cables_of_rack(r.id))
    regrouped = []
    build = scene.overview._build_tile
    scene.overview._build_tile = lambda key: (regrouped.append(key), build(key))
    home_item = scene.racks[home]
    home_item.update = lambda *args: regrouped.append(("redrawn", home))  # type: ignore[method-assign]
    assert apply(context, RemoveDevices(doc, [server.id]))
    assert apply(context, UpdateRack(doc, other, power_budget_w=10.0))
    QApplication.processEvents()
    assert scene.racks[other].over_budget and ("redrawn", home) not in regrouped
    assert 0 < len(set(regrouped)) < len(scene.overview.tiles)  # some tiles, not the hall
    after = view.viewport().grab().toImage()
    assert after != before
    fresh = _zoomed_out(qtbot, AppContext(Document(doc.site.model_copy(deep=True))))
    assert fresh.transform() == view.transform()
    assert (fresh.horizontalScrollBar().value(), fresh.verticalScrollBar().value()) == (
        view.horizontalScrollBar().value(),
        view.verticalScrollBar().value(),
    )
    assert after == fresh.viewport().grab().toImage()


def test_racks_and_trays_selected_and_let_go_show_as_on_a_fresh_floor(qtbot, monkeypatch):
    """The overview keeps what each item adds to its tile until the item is marked changed (a
    tile regrouped after an edit reads only the changed items again): racks and a tray selected,
    one rack let go and another taken, a server deleted, paint what a fresh floor with that
    selection paints."""
    monkeypatch.setattr(floor_overview, "TILE_MM", 2_000.0)
    context = AppContext(Document(build_scaleout_pod(accelerators=512)))
    doc = context.document
    view = _zoomed_out(qtbot, context)
    first, second = doc.site.racks[0].id, doc.site.racks[1].id
    tray = doc.site.trays[0].id
    before = view.viewport().grab().toImage()
    context.set_selection([Selected("rack", first), Selected("tray", tray)])
    QApplication.processEvents()
    assert view.viewport().grab().toImage() != before
    context.set_selection([Selected("rack", second), Selected("tray", tray)])
    server = next(d for d in doc.devices.values() if d.type == SERVER)
    assert apply(context, RemoveDevices(doc, [server.id]))
    QApplication.processEvents()
    after = view.viewport().grab().toImage()
    fresh_context = AppContext(Document(doc.site.model_copy(deep=True)))
    fresh = _zoomed_out(qtbot, fresh_context)
    fresh_context.set_selection(context.selection)
    QApplication.processEvents()
    assert after == fresh.viewport().grab().toImage()


def test_every_rack_selected_or_let_go_regroups_its_tiles_in_slices_and_paints_as_fresh(qtbot, monkeypatch):
    """Select all at 100,000 accelerators regrouped all 77 tiles in one turn (~0.15 s), and so
    did letting go. Past TILES_AT_ONCE tiles they are regrouped a slice a turn; the view then
    paints what a fresh floor with that selection paints, and again once all are let go."""
    monkeypatch.setattr(floor_overview, "TILE_MM", 2_000.0)
    monkeypatch.setattr(floor_overview, "TILES_AT_ONCE", 2)
    monkeypatch.setattr(floor_overview, "REGROUP_STEP_S", 0.0)  # a tile a turn
    context = AppContext(Document(build_scaleout_pod(accelerators=512)))
    doc = context.document
    view = _zoomed_out(qtbot, context)
    overview = view.scene().overview
    clear = view.viewport().grab().toImage()
    every = [Selected("rack", r.id) for r in doc.site.racks]
    context.set_selection(every)
    assert overview.grouping  # not all in the turn of the selection
    qtbot.waitUntil(lambda: not overview.grouping, timeout=10_000)
    QApplication.processEvents()
    fresh_context = AppContext(Document(doc.site.model_copy(deep=True)))
    fresh = _zoomed_out(qtbot, fresh_context)
    fresh_context.set_selection(every)
    qtbot.waitUntil(lambda: not fresh.scene().overview.grouping, timeout=10_000)
    QApplication.processEvents()
    assert view.viewport().grab().toImage() == fresh.viewport().grab().toImage() != clear
    context.set_selection([])
    assert overview.grouping
    qtbot.waitUntil(lambda: not overview.grouping, timeout=10_000)
    QApplication.processEvents()
    assert view.viewport().grab().toImage() == clear


def test_another_layout_shown_lets_the_last_ones_floor_items_go(qtbot):
    """The overview held the items it had grouped until it grouped again, which it does only
    while on show: another layout opened kept every rack, tray and fill piece of the last one
    alive (+10 MiB a reopen at 10,000 accelerators, the app's memory growing file by file)."""
    import gc
    import weakref

    context = AppContext(Document(build_scaleout_pod(accelerators=512)))
    view = show_widget(qtbot, FloorPlanView(context), (900, 700))  # zoomed in: no overview on show
    scene = view.scene()
    scene.flush_routes()
    assert not scene.overview.active and scene.racks and scene.fills
    old = [weakref.ref(item) for item in [*scene.racks.values(), *scene.fills.values(), *scene.trays.values()]]
    scene.overview.mark_dirty(next(iter(scene.racks.values())))  # an edit's item, seen while hidden
    context.document.replace_site(build_scaleout_pod(accelerators=512))
    qtbot.waitUntil(lambda: not scene.building, timeout=10_000)
    QApplication.processEvents()
    release().finish()  # what the app let go of (gui.release), freed now rather than a slice a turn
    gc.collect()
    assert scene.racks and all(ref() is None for ref in old)

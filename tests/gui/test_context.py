"""The shared context: big full analyses run on the worker, and the views wait for them."""

from __future__ import annotations

import gc
import threading

from gui import context as context_module
from gui.commands import apply
from gui.docks.metrics import MetricsDock
from gui.release import release
from gui.scene.floor_plan import FloorPlanScene
from model.analysis import Analysis
from model.commands import AddRack
from model.document import Document
from model.layout import Rack
from tests.gui.conftest import free_spots, show_widget
from tests.gui.sites import small_site


def test_a_big_full_analysis_runs_on_the_worker_while_the_context_is_busy(small_context, monkeypatch):
    monkeypatch.setattr(context_module, "BUSY_ANALYSIS_CABLES", 1)  # the small layout counts as big
    seen = []
    prepare = Analysis.prepare

    def recording(site, catalog):
        seen.append((threading.current_thread(), small_context.busy))
        return prepare(site, catalog)

    monkeypatch.setattr(Analysis, "prepare", staticmethod(recording))
    assert apply(small_context, AddRack(small_context.document, Rack(id="R9", x_mm=9000, y_mm=9000)))
    assert seen and seen[0][0] is not threading.main_thread() and seen[0][1] is True
    assert small_context.busy is False
    assert "R9" in small_context.result.racks
    fresh = Analysis(Document(small_context.document.site, check=False)).result
    assert small_context.result.totals == fresh.totals


def test_a_long_full_analysis_shows_its_dialog_first_and_runs_without_cyclic_collections(small_context, monkeypatch):
    """On the worker a cyclic collection held the interpreter lock, and so the window, 60-95 ms
    a pass at 100,000 accelerators; a dialog shown while it ran held it 80-93 ms."""
    monkeypatch.setattr(context_module, "BUSY_ANALYSIS_CABLES", 1)  # the small layout counts as big
    asked, collecting = [], []
    real = context_module.run_with_progress

    def recording(parent, label, work, at_once=False, keep=False):
        asked.append((at_once, keep))
        return real(parent, label, work, at_once=at_once, keep=keep)

    from model import structure_edits

    in_pieces = structure_edits.in_pieces  # called in the midst of the worker's Analysis.prepare
    monkeypatch.setattr(context_module, "run_with_progress", recording)
    monkeypatch.setattr(structure_edits, "in_pieces", lambda c: collecting.append(gc.isenabled()) or in_pieces(c))
    cables = len(small_context.document.cables)
    monkeypatch.setattr(context_module, "LONG_ANALYSIS_CABLES", cables + 1)
    assert apply(small_context, AddRack(small_context.document, Rack(id="R8", x_mm=9000, y_mm=9000)))
    monkeypatch.setattr(context_module, "LONG_ANALYSIS_CABLES", cables)
    assert apply(small_context, AddRack(small_context.document, Rack(id="R9", x_mm=12000, y_mm=9000)))
    assert asked == [(False, True), (True, True)] and collecting == [False, False]
    assert gc.isenabled()  # on again once the work is done
    # ... and what it made kept out of later passes: the first young one after it walked every
    # new object of the analysis (gui.background.made_long_lived).
    assert not any(o is small_context.analysis.compiled for o in gc.get_objects())
    gc.unfreeze()


def test_a_small_full_analysis_stays_on_the_gui_thread(small_context, monkeypatch):
    seen = []
    prepare = Analysis.prepare
    monkeypatch.setattr(
        Analysis, "prepare", staticmethod(lambda s, c: seen.append(threading.current_thread()) or prepare(s, c))
    )
    assert apply(small_context, AddRack(small_context.document, Rack(id="R9", x_mm=9000, y_mm=9000)))
    assert seen == [threading.main_thread()] and "R9" in small_context.result.racks


def test_routes_and_panels_wait_while_the_analysis_is_busy(qtbot, small_context):
    scene = FloorPlanScene(small_context)
    scene.flush_routes()
    dock = show_widget(qtbot, MetricsDock(small_context))
    qtbot.waitUntil(lambda: not dock._refresher._stale)
    small_context.busy = True
    scene.pending = {"C1"}
    scene._route_some()
    assert scene.pending == {"C1"}  # not drawn from an analysis that is behind the document
    dock._refresher.request()
    qtbot.wait(30)
    assert dock._refresher._stale
    small_context.busy = False
    qtbot.waitUntil(lambda: not scene.pending and not dock._refresher._stale)


def test_selected_cables_come_from_cables_and_their_ports_once_each(small_context):
    from gui.context import Selected

    small_context.set_selection(
        [Selected("cable", "C2"), Selected("port", "T3:c0.n1"), Selected("port", "T1:c0.n1"), Selected("rack", "R1")]
    )
    assert small_context.selected_cables(10) == ("C2", "C1")  # T3:c0.n1 is C2's far end
    assert small_context.selected_cables(1) == ("C2",)
    small_context.set_selection([Selected("port", "T2:c1.n4")])  # a port with no cable
    assert small_context.selected_cables(10) == ()


def test_panels_wait_while_a_drag_moves_and_catch_up_when_it_rests_or_ends(qtbot, window, monkeypatch):
    import weakref

    import numpy as np
    from PySide6.QtCore import QPointF, Qt

    from gui.docks.cable_runs_model import LENGTH
    from gui.floor_drags import MoveRacksDrag

    monkeypatch.setattr(context_module, "GESTURE_REST_S", 1.0)  # a loaded machine's pauses are shorter
    context, dock = window.context, window.docks["metrics"]
    dock.raise_()  # it shares a tab with the inspector: seen, it refreshes
    qtbot.waitUntil(lambda: not dock._refresher._stale)
    drawn_from = []
    refresh = dock._refresher._refresh
    dock._refresher._refresh = lambda: (drawn_from.append(context.result), refresh())
    home = context.document.racks["R2"].x_mm
    table = window.docks["cables_table"].model
    table.sort(LENGTH, Qt.SortOrder.DescendingOrder)  # by a figure the drag changes
    rows_before = table.rows.copy()
    before = weakref.ref(context.result)
    scene = window.floor.scene()
    fill_drawn = {s: item.path().boundingRect() for s, item in scene.fills.items()}
    centre = window.floor.scene().rack_rect("R2").center()
    drag = MoveRacksDrag(window.floor, context, ["R2"], "R2", centre)
    drag.update(centre + QPointF(600, 0))
    drag.flush()
    assert context.document.racks["R2"].x_mm != home  # the document follows the drag live
    qtbot.wait(200)
    assert drawn_from == []  # ... the metrics wait while it moves
    table = window.docks["cables_table"].model
    # ... the cables table reads the drag's results in the rows as they stood (not re-sorted),
    # and keeps nothing of the layout before it: not its snapshot's columns.
    assert table.result is context.result and np.array_equal(table.rows, rows_before)
    gc.collect()
    # (the compare panel, waiting too, still holds the base it compared: a design of its own)
    assert before() is None or not any(holder is vars(table) for holder in gc.get_referrers(before()))
    assert {s: item.path().boundingRect() for s, item in scene.fills.items()} == fill_drawn  # ... and the fill
    qtbot.waitUntil(lambda: bool(drawn_from) and drawn_from[-1] is context.result)  # ... and catch up when it rests
    drag.update(centre)
    drag.flush()
    assert drag.finish(centre + QPointF(600, 0))
    assert context.undo_stack.undoText().startswith("Move")
    qtbot.waitUntil(lambda: drawn_from[-1] is context.result)  # released: drawn from the final layout
    qtbot.waitUntil(lambda: table.result is context.result and not window.docks["cables_table"]._held)
    assert np.array_equal(table.rows, table._arrange())  # sorted again once the drag ended
    fresh = FloorPlanScene(context)
    fresh_fill = {s: item.path().boundingRect() for s, item in fresh.fills.items()}
    assert {s: item.path().boundingRect() for s, item in scene.fills.items()} == fresh_fill != fill_drawn
    assert dock.summary.text().endswith(f"cables cost ${context.result.totals['cost_usd']:,.0f}")
    window.docks["inspector"].raise_()  # the window saves its docks on close: as it found them


def test_contexts_with_undo_steps_are_collected_without_a_crash(qapp):
    """A context left with edits on its undo stack is garbage in a reference cycle (its document
    calls it back, its steps hold its before_step). The collector cleared a pushed step before
    the stack, which gave the step back to Python (shiboken's tp_clear) and deleted it while the
    stack still listed it: the stack's destructor deleted it again (SIGSEGV in QUndoStack::clear,
    from any later gc.collect()). Two contexts were enough for it, every time."""
    gc.collect()
    for _ in range(3):
        context = context_module.AppContext(Document(small_site()))
        for k in range(3):
            assert apply(context, AddRack(context.document, Rack(id=f"R9{k}", x_mm=9000 + 1000 * k, y_mm=9000)))
        assert context.undo_stack.count() == 3
        del context
    release().finish()  # the results they showed, which the app lets go of a slice a turn
    assert gc.collect() > 0  # the contexts went with the collection, not before it


def _fresh_scenario(doc, name):
    from model.scenarios import analyse_applied, apply_scenario, scenario_named

    return analyse_applied(apply_scenario(doc.site, doc.catalog, scenario_named(doc.site, name)))


def assert_same_figures(result, fresh) -> None:
    """The same cables with the same lengths, media and totals."""
    import numpy as np

    assert list(result.cable_ids) == list(fresh.cable_ids)
    assert np.array_equal(np.asarray(result.length_m), np.asarray(fresh.length_m), equal_nan=True)
    assert np.array_equal(np.asarray(result.medium_code), np.asarray(fresh.medium_code))
    assert result.totals == fresh.totals


def _media(result) -> dict[str, int]:
    return {name: totals.count for name, totals in result.by_medium.items() if totals.count}


def test_a_big_layouts_scenario_on_show_is_analysed_on_the_worker_after_each_edit(sample_context, monkeypatch):
    """A scenario has no incremental analysis: with one shown, each edit (and the switch to
    it) analysed every cable again on the GUI thread, freezing the window ~1.6 s at 100,000
    accelerators. On a big layout that runs on the worker behind the busy dialog, as a rack
    added does, and what the views show is the scenario of the layout as it now stands."""
    from model.commands import RemoveDevices
    from model.commands_scenarios import add_scenario
    from model.layout import Scenario

    monkeypatch.setattr(context_module, "BUSY_ANALYSIS_CABLES", 1)  # the sample's 160 cables count as many
    context, doc = sample_context, sample_context.document
    threads: list[str] = []
    bases: list = []  # the document whose cable lookups each analysis copied
    analyse_applied = context_module.analyse_applied
    monkeypatch.setattr(
        context_module,
        "analyse_applied",
        lambda applied, base=None: (
            threads.append(threading.current_thread().name),
            bases.append(base),
            analyse_applied(applied, base=base),
        )[2],
    )
    asked: list[tuple[str, bool]] = []
    real = context_module.run_with_progress

    def recording(parent, label, work, at_once=False, keep=False):
        asked.append((label, keep))
        # What the views read while the worker runs: the base's analysis, fresh.
        assert context.result is context.analysis.result and context.scenario_result is None
        return real(parent, label, work, at_once=at_once, keep=keep)

    monkeypatch.setattr(context_module, "run_with_progress", recording)
    assert apply(context, add_scenario(doc, Scenario(name="optics", medium_policy="all-optical")))
    assert _media(context.result) == {"DAC": 96, "AEC": 64} and threads == []
    context.set_active_scenario("optics")
    assert len(threads) == 1 and threads[0].startswith("rack-designer-work")
    assert asked == [("Analysing scenario 'optics': 160 cables…", True)]
    assert context.result is context.scenario_result and sum(_media(context.result).values()) == 160
    assert set(_media(context.result)) <= {"AOC", "OPTICS"}

    server = next(d for d in doc.devices if doc.device_cables.get(d))
    gone = len(doc.device_cables[server])
    assert apply(context, RemoveDevices(doc, [server]))
    assert len(threads) == 2 and threads[1].startswith("rack-designer-work")
    assert sum(_media(context.result).values()) == 160 - gone
    assert_same_figures(context.result, _fresh_scenario(doc, "optics"))
    context.undo_stack.undo()
    assert len(threads) == 3 and sum(_media(context.result).values()) == 160
    assert_same_figures(context.result, _fresh_scenario(doc, "optics"))
    assert bases == [doc, doc, doc]  # its lookups copied, not built again (nothing edits it meanwhile)


def test_during_a_live_drag_of_a_big_layout_the_base_is_shown_and_the_scenario_after(
    qtbot, sample_context, monkeypatch
):
    """A live drag moves the document at mouse speed: a scenario's whole analysis at every
    step would stall it (the drag fell back to moving on release after a 1.6 s first step at
    100,000 accelerators). Meanwhile the views show the base's live analysis, fresh, and say
    so; the scenario is analysed when the drag ends, never shown of a layout gone by."""
    from model.commands import MoveDevice
    from model.commands_scenarios import add_scenario
    from model.layout import Scenario

    monkeypatch.setattr(context_module, "BUSY_ANALYSIS_CABLES", 1)
    context, doc = sample_context, sample_context.document
    assert apply(context, add_scenario(doc, Scenario(name="optics", medium_policy="all-optical")))
    context.set_active_scenario("optics")
    said: list[str] = []
    context.statusMessage.connect(said.append)
    shown: list = []
    context.analysisUpdated.connect(shown.append)
    rack, device, free = free_spots(doc)

    context.gesture_step()
    assert apply(context, MoveDevice(doc, device.id, rack.id, free[0], device.face))
    assert context.scenario_result is None and context.result is context.analysis.result
    assert context.result.revision == doc.revision and _media(context.result) == {"DAC": 96, "AEC": 64}
    assert said == ["The base layout is shown while you drag: scenario 'optics' when you let go"]
    context.gesture_step()
    assert apply(context, MoveDevice(doc, device.id, rack.id, free[1], device.face))
    assert (
        context.scenario_result is None and said == [said[0]] * 2
    )  # at every step: the drag's own messages replace it
    assert context.active_scenario == "optics"

    context.gesture_end()
    qtbot.waitUntil(lambda: context.scenario_result is not None, timeout=10_000)
    assert set(_media(context.result)) <= {"AOC", "OPTICS"}
    assert_same_figures(context.result, _fresh_scenario(doc, "optics"))  # of the layout as it now stands
    assert shown[-1] is context.result
    assert said[-1] == "Showing scenario 'optics' again, of the layout as it now stands"

    # A drag cancelled: the rack put back by an edit of its own right after the drag ended,
    # which analyses the scenario first; the status bar says so all the same.
    context.gesture_step()
    assert apply(context, MoveDevice(doc, device.id, rack.id, free[0], device.face))
    said.clear()
    context.gesture_end()
    assert apply(context, MoveDevice(doc, device.id, rack.id, free[1], device.face))  # put back
    qtbot.wait(50)
    assert said == ["Showing scenario 'optics' again, of the layout as it now stands"]
    assert_same_figures(context.result, _fresh_scenario(doc, "optics"))


def test_a_scenario_that_cannot_be_applied_is_refused_and_the_design_shown_stays(sample_context):
    """Choosing a scenario whose product edit names no product raised after the context had
    taken it as shown: the switch said why, but the views kept the last design's figures
    under the new name, and every edit after raised in the context's listener (the edit
    made, but not on the undo stack, and the views not updated: a fresh user's find)."""
    import pytest

    from model.commands import RemoveDevices
    from model.commands_scenarios import add_scenario
    from model.errors import LayoutError
    from model.layout import Scenario

    context, doc = sample_context, sample_context.document
    assert apply(context, add_scenario(doc, Scenario(name="optics", medium_policy="all-optical")))
    bogus = Scenario.model_validate({"name": "bogus", "products": [{"product": "NO-SUCH-PRODUCT", "fixed_usd": 1}]})
    assert apply(context, add_scenario(doc, bogus))
    context.set_active_scenario("optics")
    shown = context.result
    with pytest.raises(LayoutError, match="NO-SUCH-PRODUCT"):
        context.set_active_scenario("bogus")
    assert context.active_scenario == "optics" and context.result is shown
    server = next(d for d in doc.devices if doc.device_cables.get(d))
    assert apply(context, RemoveDevices(doc, [server]))
    assert server not in doc.devices and context.undo_stack.canUndo()
    assert_same_figures(context.result, _fresh_scenario(doc, "optics"))


def test_an_edit_whose_scenario_cannot_be_applied_shows_the_base_and_stays_undoable(sample_context, monkeypatch):
    """Should the scenario shown fail to apply after an edit, the edit still counts: it is on
    the undo stack, the views show the base (said on the status bar), and undo takes it back."""
    from model.commands import RemoveDevices
    from model.commands_scenarios import add_scenario
    from model.errors import LayoutError
    from model.layout import Scenario
    from model.scenarios import BASE

    context, doc = sample_context, sample_context.document
    assert apply(context, add_scenario(doc, Scenario(name="optics", medium_policy="all-optical")))
    context.set_active_scenario("optics")
    said: list[str] = []
    context.statusMessage.connect(said.append)
    switched: list[str] = []
    context.activeScenarioChanged.connect(switched.append)

    def refused(*args, **kwargs):
        raise LayoutError("scenario 'optics': no cable product 'GONE' in the catalog", "scenarios")

    monkeypatch.setattr(context_module, "apply_scenario", refused)
    server = next(d for d in doc.devices if doc.device_cables.get(d))
    assert apply(context, RemoveDevices(doc, [server]))
    assert server not in doc.devices and context.undo_stack.canUndo()
    assert context.active_scenario == BASE and switched == [BASE]
    assert context.result is context.analysis.result and context.result.revision == doc.revision
    assert said == ["scenario 'optics': no cable product 'GONE' in the catalog: showing the base layout"]
    context.undo_stack.undo()
    assert server in doc.devices

"""The Compare panel: designs side by side, a scenario made in the dialog, undoable edits."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from gui.context import AppContext
from gui.docks.compare import CompareDock, ScenarioDialog
from gui.release import release
from model.document import Document
from model.layout import Scenario
from model.topologies import build_sample
from tests.gui.conftest import free_spots, show_widget, threads_calling


@pytest.fixture
def trn2_dock(qtbot):
    context = AppContext(Document(build_sample("trn2-ultra64")))
    return context, show_widget(qtbot, CompareDock(context), size=(1200, 700))


def test_the_base_alone_is_one_column(trn2_dock):
    context, dock = trn2_dock
    assert dock.table.columnCount() == 1 and dock.cell("AEC cables", "base") == "64"
    assert not dock.remove_button.isEnabled()


def test_a_scenario_from_the_dialog_is_a_column_with_differences_and_undoable(trn2_dock, qtbot):
    context, dock = trn2_dock

    def fill_dialog():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ScenarioDialog) and w.isVisible())
        dialog.name.setText("copper as AEC")
        dialog.policy.setCurrentIndex(dialog.policy.findData("copper-aec"))
        dialog._accept()

    QTimer.singleShot(0, fill_dialog)
    dock.new_button.click()
    qtbot.waitUntil(lambda: dock.table.columnCount() == 2)
    assert [s.name for s in context.document.site.scenarios] == ["copper as AEC"]
    assert dock.cell("AEC cables", "copper as AEC") == "160  (+96)"
    assert dock.cell("AEC per accelerator", "copper as AEC") == "2.50  (+1.50)"
    assert dock.cell("Equivalent 800G per accelerator", "copper as AEC") == "3.00"
    assert dock.tco_chart.values[1] > dock.tco_chart.values[0]
    assert dock.cost_chart.values == [
        context.result.totals["cost_usd"],
        pytest.approx(dock.items[1].result.totals["cost_usd"]),
    ]
    context.undo_stack.undo()
    qtbot.waitUntil(lambda: dock.table.columnCount() == 1)
    assert context.document.site.scenarios == []
    context.undo_stack.redo()
    qtbot.waitUntil(lambda: dock.table.columnCount() == 2)


def test_remove_and_a_taken_name_is_refused(trn2_dock, qtbot):
    context, dock = trn2_dock
    dock.add(Scenario(name="optics", medium_policy="all-optical"))
    qtbot.waitUntil(lambda: dock.table.columnCount() == 2)
    assert dock.cell("AOC cables", "optics") == "160  (+160)"
    dock.add(Scenario(name="optics"))
    assert "exists already" in dock.refusal.text() and len(context.document.site.scenarios) == 1
    dock.remove_button.click()
    qtbot.waitUntil(lambda: dock.table.columnCount() == 1)
    assert context.document.site.scenarios == []
    context.undo_stack.undo()
    assert [s.name for s in context.document.site.scenarios] == ["optics"]


def test_the_dialog_sets_tray_height_and_a_product_edit_and_starts_from_the_design_on_show(trn2_dock, qtbot):
    context, dock = trn2_dock
    aec = next(p.id for p in context.document.catalog.cables.values() if p.medium.value == "AEC")

    def fill_dialog():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ScenarioDialog) and w.isVisible())
        dialog.name.setText("dear AEC")
        dialog.tray_height.setValue(2750)
        dialog.product.setCurrentIndex(dialog.product.findData(aec))
        dialog.price.setValue(5000)
        dialog.afr.setValue(2.0)
        dialog._accept()

    QTimer.singleShot(0, fill_dialog)
    dock.new_button.click()
    qtbot.waitUntil(lambda: dock.table.columnCount() == 2)
    (made,) = context.document.site.scenarios
    assert made.tray_elevation_mm == 2750
    assert [(e.product, e.fixed_usd, e.per_m_usd, e.afr_percent, e.power_w) for e in made.products] == [
        (aec, 5000, 0.0, 2.0, None)
    ]
    # Shown, then a new one from it: the form starts from its overrides.
    context.set_active_scenario("dear AEC")
    seen = {}

    def read_dialog():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ScenarioDialog) and w.isVisible())
        seen.update(tray=dialog.tray_height.value(), product=dialog.product.currentData(), price=dialog.price.value())
        dialog.reject()

    QTimer.singleShot(0, read_dialog)
    dock.new_button.click()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == {"tray": 2750, "product": aec, "price": 5000}


def test_the_scenario_on_show_is_not_analysed_twice(trn2_dock, qtbot):
    context, dock = trn2_dock
    dock.add(Scenario(name="optics", medium_policy="all-optical"))
    context.set_active_scenario("optics")
    dock.refresh()
    shown = {item.name: item.result for item in dock.items}
    assert shown["optics"] is context.result and shown["base"] is context.analysis.result


def test_out_of_sight_the_panel_lets_go_of_the_designs_it_analysed(trn2_dock, qtbot):
    """The panel held every design it had analysed (the base's snapshot, each scenario's full
    analysis) for as long as it was out of sight: every edit after left them alive. A newer
    analysis lets them go; the table keeps what it shows, and being seen again refreshes it."""
    import gc
    import weakref

    from model.commands import RemoveDevices

    context, dock = trn2_dock
    dock.add(Scenario(name="optics", medium_policy="all-optical"))
    qtbot.waitUntil(lambda: dock.table.columnCount() == 2)
    analysed = [weakref.ref(item.result) for item in dock.items]
    shown = dock.cell("AEC cables", "base")
    dock.hide()
    result = context.result
    aec = next(row for row in range(len(result.cable_ids)) if result.medium_of(row) == "AEC")
    device = context.document.cables[result.cable_ids[aec]].a.partition(":")[0]  # one with an AEC cable
    del result
    context.push(RemoveDevices(context.document, [device]))
    qtbot.waitUntil(lambda: dock.items == [])
    release().finish()  # what the app let go of, freed now rather than a slice a turn
    gc.collect()
    assert [ref() for ref in analysed] == [None, None]
    assert dock.table.columnCount() == 2 and dock.cell("AEC cables", "base") == shown
    dock.show()
    qtbot.waitUntil(lambda: len(dock.items) == 2)
    assert dock.items[0].result is context.analysis.result
    assert dock.cell("AEC cables", "base") == f"{context.result.by_medium['AEC'].count:,}" != shown
    dock.remove_current()  # the last scenario, named from what is shown
    qtbot.waitUntil(lambda: dock.table.columnCount() == 1)


def _cells(dock) -> list[list[str]]:
    table = dock.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_a_big_layouts_scenarios_are_analysed_on_the_worker_once_the_edits_pause(trn2_dock, qtbot, monkeypatch):
    """At 100,000 accelerators each edit made the panel analyse every other scenario in full on
    the GUI thread: ~1.8 s frozen after every edit while it was seen. A big layout's are
    analysed on the worker once the edits pause, the panel saying so meanwhile; the figures are
    those analysed here, and an edit made while the worker reads the layout is not shown mixed:
    the panel ends with the layout's final figures."""
    import threading

    from gui.commands import apply
    from gui.docks import compare
    from model.commands import RemoveDevices
    from model.commands_scenarios import add_scenario

    context, dock = trn2_dock
    assert apply(context, add_scenario(context.document, Scenario(name="optics", medium_policy="all-optical")))
    qtbot.waitUntil(lambda: dock.table.columnCount() == 2)
    here = _cells(dock)

    monkeypatch.setattr(compare, "BACKGROUND_CABLES", 10)  # the sample's 160 cables count as many
    monkeypatch.setattr(compare, "ANALYSE_AFTER_MS", 50)
    dock._pause.setInterval(50)
    threads = threads_calling(monkeypatch, compare, "compare_what_applies")
    recorded = compare.compare_what_applies  # each call's thread noted
    dock.refresh()
    assert dock.refusal.text() == "Analysing 1 scenario of 160 cables…"
    qtbot.waitUntil(lambda: dock.refusal.text() == "", timeout=10_000)
    assert threads and threads[0].startswith("rack-designer-work") and _cells(dock) == here
    # The scenario's analysis kept out of later cyclic collections (gui.background): the first
    # young one after it walked ~2.8 million list items at 300,000 cables, holding the window.
    scenario = dock.items[1].result
    assert scenario.cable_ids is not context.analysis.result.cable_ids  # its own columns
    assert not any(o is scenario or o is scenario.cable_ids for o in gc.get_objects())
    gc.unfreeze()

    # Two edits, the second while the worker analyses for the first: only the last is shown.
    hold, reading = threading.Event(), threading.Event()

    def held(*args, **kwargs):
        if not hold.is_set():
            reading.set()
            hold.wait(5)
        return recorded(*args, **kwargs)

    monkeypatch.setattr(compare, "compare_what_applies", held)
    shown: list[tuple[int, int]] = []
    show = dock._show
    dock._show = lambda items, *a, **k: (  # type: ignore[method-assign]
        shown.append((items[0].result.revision if items else -1, context.document.revision)),
        show(items, *a, **k),
    )
    document = context.document
    first, second = [d for d in document.devices if document.device_cables.get(d)][:2]
    assert apply(context, RemoveDevices(document, [first]))
    qtbot.waitUntil(reading.is_set, timeout=10_000)
    assert apply(context, RemoveDevices(document, [second]))  # while the worker reads the layout
    hold.set()
    qtbot.waitUntil(lambda: bool(shown) and dock.refusal.text() == "", timeout=10_000)
    qtbot.wait(200)
    assert all(drawn == now for drawn, now in shown)  # never the figures of a layout gone by
    after = _cells(dock)
    assert after != here
    dock._on_analysed((document.revision - 1, [], [], ""))  # a worker's outcome come late: not shown
    assert _cells(dock) == after
    monkeypatch.setattr(compare, "BACKGROUND_CABLES", 10**9)
    dock.refresh()  # at once, here
    assert _cells(dock) == after


def test_while_a_drag_defers_the_scenario_shown_the_panel_analyses_it_not_the_base(trn2_dock, qtbot, monkeypatch):
    """During a live drag of a big layout the views show the base's analysis in place of the
    scenario's (gui.context): the panel must not take that for the scenario's figures."""
    from gui import context as context_module
    from gui.commands import apply
    from model.commands import MoveDevice

    monkeypatch.setattr(context_module, "BUSY_ANALYSIS_CABLES", 1)
    context, dock = trn2_dock
    dock.add(Scenario(name="optics", medium_policy="all-optical"))
    context.set_active_scenario("optics")
    rack, device, free = free_spots(context.document)
    context.gesture_step()
    assert apply(context, MoveDevice(context.document, device.id, rack.id, free[0], device.face))
    assert context.scenario_result is None  # deferred: the base is shown
    dock.refresh()
    assert dock.cell("AEC cables", "base") == "64" and dock.cell("AEC cables", "optics").startswith("0 ")
    context.gesture_end()
    qtbot.waitUntil(lambda: context.scenario_result is not None, timeout=10_000)


def test_another_layout_opened_clears_the_last_ones_figures_at_once(trn2_dock, qtbot):
    """The panel kept the last layout's designs on show, under 'Analysing 2 scenarios…', until
    the worker had the new layout's: the built-in sample's 160 cables read as the base of a
    20,000-cable file just opened (a fresh user's find)."""
    context, dock = trn2_dock
    dock.add(Scenario(name="optics", medium_policy="all-optical"))
    qtbot.waitUntil(lambda: dock.table.columnCount() == 2)
    context.layoutSwapped.emit()  # as the file controller does before it swaps the layout in
    assert dock.table.columnCount() == 0 and dock.items == []
    context.document.replace_site(build_sample("gb200-nvl72"))
    qtbot.waitUntil(lambda: dock.table.columnCount() == 1, timeout=10_000)  # the new layout's base
    assert dock.items[0].result is context.analysis.result and dock.items[0].result.accelerators == 72


@pytest.mark.parametrize("on_worker", [False, True])
def test_a_scenario_that_cannot_be_analysed_is_named_and_the_others_still_shown(
    trn2_dock, qtbot, monkeypatch, on_worker
):
    """A scenario whose product edit names no product emptied the whole panel (its refusal
    alone), and Remove needed two designs analysed, so it could not be removed there (a fresh
    user's find). The others are shown, it is named above them, and Remove takes it away."""
    from gui.docks import compare

    if on_worker:
        monkeypatch.setattr(compare, "BACKGROUND_CABLES", 10)
        monkeypatch.setattr(compare, "ANALYSE_AFTER_MS", 10)
        trn2_dock[1]._pause.setInterval(10)
    context, dock = trn2_dock
    dock.add(Scenario(name="optics", medium_policy="all-optical"))
    dock.add(Scenario.model_validate({"name": "bogus", "products": [{"product": "NO-SUCH-PRODUCT", "fixed_usd": 1}]}))
    dock.refresh()
    qtbot.waitUntil(lambda: "NO-SUCH-PRODUCT" in dock.refusal.text(), timeout=10_000)
    assert "scenario 'bogus'" in dock.refusal.text()
    assert [item.name for item in dock.items] == ["base", "optics"] and dock.table.columnCount() == 2
    assert dock.remove_button.isEnabled()
    if on_worker:  # analysed again: until then the columns may not be the layout's scenarios
        dock.refresh()
        assert dock.refusal.text().startswith("Analysing") and not dock.remove_button.isEnabled()
        qtbot.waitUntil(dock.remove_button.isEnabled, timeout=10_000)
    # A cell of 'optics' clicked, then ctrl+clicked: no column chosen, though its focus stays.
    viewport = dock.table.viewport()
    cell = dock.table.visualRect(dock.table.model().index(0, 1)).center()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=cell)
    assert dock.table.currentColumn() == 1
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, pos=cell)
    assert dock.table.selectionModel().selectedIndexes() == [] and dock.table.currentColumn() == 1
    dock.remove_button.click()  # no column chosen: the one that could not be analysed
    assert [s.name for s in context.document.site.scenarios] == ["optics"]
    qtbot.waitUntil(lambda: dock.refusal.text() == "", timeout=10_000)
    context.undo_stack.undo()
    assert [s.name for s in context.document.site.scenarios] == ["optics", "bogus"]

"""The toolbar's design switch: choosing a scenario makes every view and panel show it, edits
still change the base, and a removed scenario falls back to the base."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from gui.commands import apply
from gui.docks.cable_runs_model import MEDIUM
from model.analysis import Analysis
from model.commands import MoveDevice
from model.commands_scenarios import add_scenario, remove_scenario
from model.document import Document
from model.layout import Scenario
from model.scenarios import analyse_applied, apply_scenario
from tests.gui.conftest import make_window


def _choose(qtbot, window, name: str) -> None:
    """Picks `name` in the toolbar's combo with the keyboard, as a user would."""
    combo = window.scenario_switch.combo
    combo.setFocus()
    target = combo.findText(name)
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)


def _media_shown(window) -> dict[str, str]:
    """Cable counts by medium as the metrics dock shows them."""
    table = window.docks["metrics"].media_table
    return {table.verticalHeaderItem(r).text(): table.item(r, 0).text() for r in range(table.rowCount())}


def test_a_chosen_scenario_is_what_every_panel_shows(qtbot, sample_context):
    context, doc = sample_context, sample_context.document
    window = make_window(qtbot, context)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.docks["metrics"].raise_()  # it shares a tab with the inspector: seen, it follows the design shown
    assert not window.scenario_switch.combo.isEnabled()  # nothing to choose from yet
    apply(context, add_scenario(doc, Scenario(name="all AEC", medium_policy="copper-aec")))
    assert window.scenario_switch.combo.isEnabled()
    assert _media_shown(window)["DAC"] == "96"
    _choose(qtbot, window, "all AEC")
    assert context.active_scenario == "all AEC"
    expected = analyse_applied(apply_scenario(doc.site, doc.catalog, doc.site.scenarios[0]))
    assert context.result.totals == expected.totals and context.result.totals["by_medium"]["AEC"] == 160
    # The docks redraw on the next turn of the event loop.
    qtbot.waitUntil(lambda: _media_shown(window)["AEC"] == "160" and _media_shown(window)["DAC"] == "0")
    cables = window.docks["cables_table"].model
    assert {cables.index(r, MEDIUM).data() for r in range(cables.rowCount())} == {"AEC"}
    # An edit made now changes the base; the scenario shown follows it.
    tray = next(d for d in doc.site.racks[0].devices if d.type == "trn2-compute-tray")
    assert apply(context, MoveDevice(doc, tray.id, doc.site.racks[0].id, 41, "front"))
    again = analyse_applied(apply_scenario(doc.site, doc.catalog, doc.site.scenarios[0]))
    assert context.result.totals == again.totals
    np.testing.assert_allclose(context.result.length_m, again.length_m, equal_nan=True)
    assert context.analysis.result.totals == Analysis(Document(doc.site.model_copy(deep=True))).result.totals
    # Back to the base, then the scenario goes: the views never show a design that is gone.
    _choose(qtbot, window, "base")
    assert context.result is context.analysis.result
    base_dac = str(context.result.totals["by_medium"]["DAC"])
    qtbot.waitUntil(lambda: _media_shown(window)["DAC"] == base_dac)
    _choose(qtbot, window, "all AEC")
    apply(context, remove_scenario(doc, "all AEC"))
    assert context.active_scenario == "base" and window.scenario_switch.combo.currentText() == "base"
    assert context.result is context.analysis.result
    window.docks["inspector"].raise_()  # the window saves its docks on close: as it found them

"""The metrics panel: totals by medium, rack power, attach ratios and charts from the analysis result."""

from __future__ import annotations

import numpy as np
import pytest

from gui.colors import RACK_OVER_BUDGET
from gui.commands import apply
from gui.context import AppContext
from gui.docks.metrics import NOT_ORDERABLE_ROW, MetricsDock
from model.commands import DisconnectCables
from model.document import Document
from model.topologies import build_sample
from tests.gui.conftest import show_widget


@pytest.fixture
def dock(context, qtbot):
    return show_widget(qtbot, MetricsDock(context))


def cells(table) -> dict[str, list[str]]:
    return {
        table.verticalHeaderItem(r).text(): [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    }


def test_totals_by_medium(dock, context):
    result = context.result
    media = cells(dock.media_table)
    assert media["AEC"][0] == "2" and media["OPTICS"][0] == "1" and media["DAC"][0] == "0"
    assert media["No product"][0] == "1"  # x1 has no tray to run in
    # 30 W for the 800G SR8 optics (15 W per module), 3 W for each 800G linear active copper (1.5 W per end)
    assert media["Total"] == ["4", "36.0 W", f"${result.totals['cost_usd']:,.0f}"]
    assert media["AEC"][2] == f"${result.by_medium['AEC'].cost_usd:,.0f}"
    assert dock.objectName() == "MetricsDock"


def test_costs_of_millions_fit_their_cells_in_millions_with_the_exact_figure_as_tooltip(qtbot):
    # 100,000 accelerators cost ~$710 M: "$707,629,740" was cut in a 375 px panel (fresh-user test).
    context = AppContext(Document(build_sample("scaleout-pod", accelerators=4096)))
    dock = show_widget(qtbot, MetricsDock(context))
    dock.refresh()
    result = context.result
    assert result.totals["cost_usd"] >= 10_000_000
    media = cells(dock.media_table)
    total_row = dock.media_table.rowCount() - 1
    assert media["Total"][2] == f"${result.totals['cost_usd'] / 1e6:,.1f} M"
    assert dock.media_table.item(total_row, 2).toolTip() == f"${result.totals['cost_usd']:,.0f}"
    small = next(m for m, t in result.by_medium.items() if t.cost_usd < 10_000_000)
    assert media[small][2] == f"${result.by_medium[small].cost_usd:,.0f}"  # below $10 M, exact
    header = dock.media_table.horizontalHeader()
    metrics = dock.media_table.fontMetrics()
    assert metrics.horizontalAdvance(media["Total"][2]) < header.sectionSize(2)


def test_rack_over_budget_is_red_and_first(dock):
    racks = cells(dock.rack_table)
    assert list(racks) == ["R2", "Rack one"]
    assert racks["R2"][3] == "1.0"  # kW, the unit in the heading
    assert dock.rack_table.item(0, 3).toolTip() == "1,000 W"
    assert dock.rack_over_budget(0)
    assert not dock.rack_over_budget(1)
    assert dock.rack_table.item(0, 0).background().color() == RACK_OVER_BUDGET


def test_charts_hold_the_figures(dock, context):
    by_medium = context.result.by_medium
    assert dock.cost_chart.heights() == [by_medium[m].cost_usd for m in ("DAC", "AEC", "AOC", "OPTICS")]
    assert dock.power_chart.heights()[1] == pytest.approx(6.0)  # two 800G linear active copper at 3 W
    histogram = dock.lengths_chart
    assert set(histogram.curves) == {"AEC", "OPTICS"}
    assert histogram.counts["AEC"].sum() == 2 and histogram.counts["OPTICS"].sum() == 1
    assert histogram.curves["AEC"] in dock.lengths_chart.widget.listDataItems()


def test_trn2_attach_ratios_match_the_report(qtbot):
    context = AppContext(Document(build_sample("trn2-ultra64")))
    dock = MetricsDock(context)
    qtbot.addWidget(dock)
    dock.show()
    ratios = cells(dock.ratio_table)
    assert ratios["DAC cables"] == ["1.50"] and ratios["AEC cables"] == ["1.00"]  # 96 DAC, 64 AEC, 64 chips
    assert ratios["800G equivalent"] == ["3.00"] and ratios["1.6T equivalent"] == ["1.50"]
    assert cells(dock.media_table)["DAC"][0] == "96"
    assert "64 accelerators" in dock.summary.text()
    lengths = context.result.lengths_by_medium
    assert dock.lengths_chart.counts["DAC"].sum() == len(lengths["DAC"])
    assert np.isclose(dock.lengths_chart.edges[-1], max(lengths["DAC"].max(), lengths["AEC"].max()))


def test_follows_the_analysis_after_an_edit(dock, context, qtbot):
    apply(context, DisconnectCables(context.document, ["c1"]))
    qtbot.waitUntil(lambda: cells(dock.media_table)["AEC"][0] == "1")
    assert cells(dock.media_table)["Total"][0] == "3"
    context.undo_stack.undo()
    qtbot.waitUntil(lambda: cells(dock.media_table)["AEC"][0] == "2")


def test_hidden_panel_waits_until_shown(dock, context, qtbot):
    dock.hide()
    apply(context, DisconnectCables(context.document, ["c1"]))
    qtbot.wait(20)
    assert cells(dock.media_table)["AEC"][0] == "2"  # not redrawn while nobody sees it
    dock.show()
    qtbot.waitUntil(lambda: cells(dock.media_table)["AEC"][0] == "1")


def test_objective_combo_pushes_a_setting(dock, context, qtbot):
    dock.objective.setCurrentIndex(dock.objective.findData("power"))
    assert context.document.site.settings.objective == "power"
    assert context.undo_stack.undoText() == "Set objective to power"
    context.undo_stack.undo()
    assert context.document.site.settings.objective == "cost"
    qtbot.waitUntil(lambda: dock.objective.currentData() == "cost")


def test_cost_of_ownership_chart_draws_optics_above_aec_by_the_last_year(qtbot):
    # The report's optics vs AEC picture, from the scale-out sample's own cables: XDR InfiniBand,
    # whose long runs are single-mode transceivers (NVIDIA sells no XDR AOC, and no DAC of its own).
    context = AppContext(Document(build_sample("scaleout-pod")))
    dock = show_widget(qtbot, MetricsDock(context))
    chart = dock.tco_chart
    assert set(chart.curves) == {"AEC", "OPTICS", "total"}
    assert chart.values["OPTICS"][-1] > chart.values["AEC"][-1]
    years, values = chart.curves["OPTICS"].getData()
    assert list(years) == list(range(1, 9)) and list(values) == pytest.approx(chart.values["OPTICS"])
    assert chart.curves["AEC"] in chart.widget.listDataItems()


def test_the_total_row_is_not_red_once_the_no_product_row_is_gone(dock, context, qtbot):
    from PySide6.QtCore import Qt

    from gui.commands import apply
    from model.commands import DisconnectCables

    def total_colour():
        table = dock.media_table
        row = next(r for r in range(table.rowCount()) if table.verticalHeaderItem(r).text() == "Total")
        return table.item(row, 0).foreground().color()

    assert "No product" in cells(dock.media_table)  # x1 has no tray to run in: its row is red
    assert apply(context, DisconnectCables(context.document, ["x1"]))
    qtbot.waitUntil(lambda: "No product" not in cells(dock.media_table))
    assert total_colour() != Qt.GlobalColor.red


def test_racks_past_the_most_loaded_are_summed_in_one_row(qtbot, context, monkeypatch):
    from gui.docks import metrics

    monkeypatch.setattr(metrics, "RACK_ROWS", 1)  # a 100k hall's 4,000 racks, in small
    dock = show_widget(qtbot, MetricsDock(context))
    racks = cells(dock.rack_table)
    assert list(racks) == ["R2", "1 more"]
    rest = context.result.racks["R1"]
    total = rest.device_power_w + rest.cable_power_w
    assert racks["1 more"][2] == f"{total / 1000:,.1f}"
    assert racks["1 more"][4] == f"≤ {total / rest.budget_w:.0%}"
    assert dock.rack_over_budget(0) and not dock.rack_over_budget(1)


def test_a_layout_with_no_accelerators_shows_no_per_accelerator_ratio(qtbot):
    # #14's flow: a ToR switch and plain servers. 0.00 per accelerator would read as a figure; '—' says there is none.
    from gui.report.tables import media_rows
    from model.layout import Cable, Device, Rack, Site

    rack = Rack(id="R1", x_mm=0, y_mm=0)
    rack.devices = [
        Device(id="tor", type="switch-25t6-64x400g-qsfpdd", u_position=44, face="rear"),
        Device(id="s1", type="generic-server-1u", u_position=40),
    ]
    site = Site(name="ToR", racks=[rack], cables=[Cable(id="c1", a="s1:p1", b="tor:p1")])
    context = AppContext(Document(site))
    dock = show_widget(qtbot, MetricsDock(context))
    assert context.result.accelerators == 0 and context.result.totals["cables"] == 1
    ratios = cells(dock.ratio_table)
    assert ratios["DAC cables"] == ["—"] and ratios["AEC cables"] == ["—"]
    rows = {row[0]: row for row in media_rows(context.result)}
    assert rows["All"][1] == "1" and rows["All"][2] == "—"
    assert {row[2] for row in rows.values()} == {"—"}


def _drawn(dock) -> tuple[dict, dict, list[str]]:
    """What the charts show: histogram counts and TCO values per line, and the legend's names."""
    histogram = dock.lengths_chart
    counts = {m: list(histogram.curves[m].getData()[1]) for m in histogram.curves}
    tco = {name: list(curve.getData()[1]) for name, curve in dock.tco_chart.curves.items()}
    legend = sorted(label.text for _, label in histogram.legend.items)
    return counts, tco, legend


def test_charts_after_edits_show_what_a_fresh_panel_shows(dock, context, qtbot):
    # The curves are kept and given new values edit by edit; a medium that loses its last
    # cable loses its curve and legend entry.
    optics = [x for x in context.result.cable_ids if context.result.medium_of(context.result.index[x]) == "OPTICS"]
    assert optics
    shown = cells(dock.media_table)["OPTICS"][0]
    for edit, expected in (
        (lambda: apply(context, DisconnectCables(context.document, optics)), "0"),
        (context.undo_stack.undo, shown),
    ):
        edit()
        qtbot.waitUntil(lambda expected=expected: cells(dock.media_table)["OPTICS"][0] == expected)
        fresh = show_widget(qtbot, MetricsDock(context))
        assert _drawn(dock) == _drawn(fresh)
        assert ("OPTICS" in dock.lengths_chart.curves) == (optics[0] in context.document.cables)
        for chart in (dock.lengths_chart, dock.tco_chart):
            assert set(chart.curves.values()) == set(chart.widget.listDataItems())


def test_rack_row_tooltips_stay_after_refreshes(qtbot, context, monkeypatch):
    from gui.docks import metrics

    monkeypatch.setattr(metrics, "RACK_ROWS", 1)
    dock = show_widget(qtbot, MetricsDock(context))
    tips = [dock.rack_table.verticalHeaderItem(r).toolTip() for r in range(dock.rack_table.rowCount())]
    assert tips[0] == "R2" and tips[1].startswith("1 more racks")
    dock.refresh()
    dock.refresh()
    assert [dock.rack_table.verticalHeaderItem(r).toolTip() for r in range(dock.rack_table.rowCount())] == tips


def test_pinned_cables_no_length_of_which_can_be_ordered_have_a_red_row_and_no_cost(qtbot):
    """The Trn2 ring links stay pinned to AEC when rack B is moved 7 m away: no AEC reaches,
    nothing can be ordered, so the panel counts them in red and its cost is the BOM's (it
    added $44,727 for cables no BOM line held, a fresh user's find)."""
    from PySide6.QtCore import Qt

    from model.commands import MoveRacks

    context = AppContext(Document(build_sample("trn2-ultra64")))
    dock = show_widget(qtbot, MetricsDock(context))
    assert NOT_ORDERABLE_ROW not in cells(dock.media_table)
    rack_b = context.document.site.racks[1]
    context.push(MoveRacks(context.document, {rack_b.id: (rack_b.x_mm + 7000, rack_b.y_mm, rack_b.facing)}))
    context.push(_tray_over_both_racks(context))
    qtbot.waitUntil(lambda: NOT_ORDERABLE_ROW in cells(dock.media_table))
    result = context.result
    count = result.totals["unorderable"]
    assert count == 64 and cells(dock.media_table)[NOT_ORDERABLE_ROW][0] == "64"
    row = list(cells(dock.media_table)).index(NOT_ORDERABLE_ROW)
    assert dock.media_table.item(row, 0).foreground().color() == Qt.GlobalColor.red
    assert result.totals["cost_usd"] == pytest.approx(sum(line.total_usd for line in result.bom))


def _tray_over_both_racks(context):
    """Insert → Add Tray over the Selected Racks, for the sample's two racks (a pathway for the ring links)."""
    from model.commands import AddTray
    from model.layout import Tray

    a, b = context.document.site.racks[:2]
    y = a.y_mm
    tray = Tray(id="T-ring", points=[(a.x_mm, y), (b.x_mm, y)], elevation_mm=2400)
    return AddTray(context.document, tray)


def test_a_scenario_with_its_own_objective_shows_it_and_leaves_the_layouts_alone(qtbot):
    """With a scenario shown that sets its own objective, the switch said the layout's
    ('Lowest cost' under a scenario of lowest power), and changing it changed the base's
    setting unseen (a fresh user's find). It shows the scenario's, and is not to be changed."""
    from model.commands_scenarios import add_scenario
    from model.layout import Scenario

    context = AppContext(Document(build_sample("trn2-ultra64")))
    dock = show_widget(qtbot, MetricsDock(context))
    assert apply(context, add_scenario(context.document, Scenario(name="power", objective="power")))
    assert apply(context, add_scenario(context.document, Scenario(name="optics", medium_policy="all-optical")))
    context.set_active_scenario("power")
    qtbot.waitUntil(lambda: dock.objective.currentData() == "power")
    assert not dock.objective.isEnabled() and "scenario 'power'" in dock.objective.toolTip()
    assert context.document.site.settings.objective == "cost"
    context.set_active_scenario("optics")  # one that keeps the layout's objective
    qtbot.waitUntil(lambda: dock.objective.currentData() == "cost")
    assert dock.objective.isEnabled()
    context.set_active_scenario("base")
    qtbot.waitUntil(lambda: dock.objective.isEnabled() and dock.objective.currentData() == "cost")

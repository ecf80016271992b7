"""A breakout cable in the cables table (a row per leg under one id) and the inspector (its legs)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from gui.context import AppContext, Selected
from gui.docks.cable_runs_model import END_B, ID, PRODUCT
from gui.docks.cables_table import CablesDock
from gui.docks.inspector import InspectorDock
from model.breakout import cable_polylines
from model.catalog import Medium, default_catalog
from model.document import Document
from model.io.files import loads_layout
from tests.gui.conftest import show_widget

F08 = Path(__file__).parent.parent / "data" / "hardware" / "f08"


@pytest.fixture
def context(qapp):
    data = json.loads((F08 / "two_legs.json").read_text(encoding="utf-8"))
    data["cables"] = [{"id": "bo1", "a": "leaf01:p1", "b": ["srv01:nic1", "srv01:nic2"], "rate_gbps": 400}]
    data["racks"][0]["devices"][1]["type"] = "server-8gpu-400g"  # legs of 400G over 4 lanes (model.breakout)
    return AppContext(Document(loads_layout(json.dumps(data), "two_legs.json"), default_catalog()))


def test_the_cables_table_lists_each_leg_under_the_cable_id(context, qtbot):
    dock = show_widget(qtbot, CablesDock(context), (1200, 400))
    model = dock.model
    rows = [[model.index(r, column).data() for column in (ID, END_B, PRODUCT)] for r in range(model.rowCount())]
    product = context.result.cable(0).product_name
    assert product == "800G OSFP to 2 x 400G OSFP active copper breakout (LACC)"
    assert [row[0] for row in rows] == ["bo1", "bo1"]
    assert [row[1].split()[-1] for row in rows] == ["srv01:nic1", "srv01:nic2"]
    assert {row[2] for row in rows} == {product}


def test_the_current_cell_stays_on_its_leg_when_a_run_comes_above_it(context, qtbot):
    """A breakout's legs are rows of one cable id: the current cell found its run again by the
    id alone and landed on the first leg (a fresh user's find). It keeps the leg too."""
    from PySide6.QtCore import Qt

    from gui.commands import apply
    from model.commands import ConnectCables
    from model.layout import Cable

    dock = show_widget(qtbot, CablesDock(context), (1200, 400))
    model, view = dock.model, dock.view
    view.sortByColumn(END_B, Qt.SortOrder.DescendingOrder)  # nic2's leg first; the new run's nic3 comes above it
    assert model.index(0, END_B).data().endswith("srv01:nic2")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(0, END_B)).center())
    assert apply(
        context, ConnectCables(context.document, [Cable(id="x9", a="leaf01:p2", b="srv01:nic3", rate_gbps=400)])
    )
    current = view.currentIndex()
    assert (current.row(), current.column()) == (1, END_B)
    assert model.index(1, ID).data() == "bo1" and model.index(1, END_B).data().endswith("srv01:nic2")


def test_the_inspector_lists_the_legs_and_pins_the_whole_cable_undoably(context, qtbot):
    dock = show_widget(qtbot, InspectorDock(context))
    context.set_selection([Selected("cable", "bo1")])
    legs = dock.fact("b").splitlines()
    lengths = [context.result.length_m[row] for row in (0, 1)]
    trunk = context.result.trunk_m[0]
    assert trunk > 0 and legs[0] == f"2 legs (breakout), trunk {trunk:.2f} m to the split:"
    assert legs[1] == f"leg 1: R01 U2 srv01:nic1, {lengths[0] - trunk:.2f} m (run {lengths[0]:.2f} m)"
    assert legs[2] == f"leg 2: R01 U2 srv01:nic2, {lengths[1] - trunk:.2f} m (run {lengths[1]:.2f} m)"
    combo = dock.cable.medium_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Automatic", "DAC", "AEC", "OPTICS"]
    products = dock.cable.product_combo
    assert products.findData("aec-800g-2x400g-osfp") > 0 and products.findData("aec-800g-osfp-32awg-5m") < 0
    combo.setCurrentIndex(combo.findText("OPTICS"))
    assert context.document.cables["bo1"].pinned_medium == Medium.OPTICS
    assert [context.result.cable(row).product_id for row in (0, 1)] == ["optics-800g-2x400g-dr4"] * 2
    assert dock.fact("medium") == "OPTICS"
    context.undo_stack.undo()
    assert context.document.cables["bo1"].pinned_medium is None
    assert [context.result.cable(row).product_id for row in (0, 1)] == ["aec-800g-2x400g-osfp"] * 2


def test_the_floor_plan_draws_the_trunk_and_both_legs(context, qtbot):
    from gui.scene.floor_plan import FloorPlanView

    view = show_widget(qtbot, FloorPlanView(context), (900, 700))
    view.scene().flush_routes()
    drawn = [tuple(p) for p in view.scene().routes["bo1"].tolist()]
    trunk, leg1, leg2 = ([(x, y) for x, y, _ in points] for points in cable_polylines(context.result, 0))
    # The trunk once, out along leg 1 and back to the split, out along leg 2.
    assert drawn == trunk + leg1 + leg1[-2::-1] + leg2
    assert trunk[-1] == leg1[0] == leg2[0]  # the legs part at the split point
    assert leg1[-1] != leg2[-1]  # at two ports
    routes = context.result.route_points([0, 1])
    assert {leg1[-1], leg2[-1]} == {tuple(routes[0][-1][:2]), tuple(routes[1][-1][:2])}


def test_the_elevation_highlights_the_trunk_and_both_legs(context, qtbot):
    from gui.scene.elevation import ElevationView

    view = show_widget(qtbot, ElevationView(context), (900, 700))
    view.scene().show_racks(["R01"])
    context.set_selection([Selected("cable", "bo1")])
    corners = [p for polygon in view.scene().highlight.path().toSubpathPolygons() for p in polygon]
    assert corners
    for port in ("srv01:nic1", "srv01:nic2", "leaf01:p1"):
        centre = view.scene().port_centre(port)
        nearest = min(math.hypot(p.x() - centre.x(), p.y() - centre.y()) for p in corners)
        assert nearest < 1, port  # each leg ends at its own port (before, only the first leg was drawn)


def test_the_metrics_panel_counts_cables_bought_and_links_used(context, qtbot):
    from gui.docks.metrics import MetricsDock
    from tests.gui.test_docks_metrics import cells

    dock = show_widget(qtbot, MetricsDock(context))
    dock.refresh()
    ratios = cells(dock.ratio_table)
    assert ratios["AEC cables"] == ["0.12"]  # one breakout bought for 8 accelerators
    assert ratios["AEC links"] == ["0.25"]  # its two legs used
    assert "a breakout once" in dock.ratio_table.toolTip()
    assert cells(dock.media_table)["Total"][0] == "1"


def test_the_printed_cover_counts_cables_and_the_links_they_split_into(context):
    from gui.report.tables import media_rows

    rows = {row[0]: row for row in media_rows(context.result)}
    assert rows["AEC"][1:3] == ("1 (2 links)", "0.12 (0.25)")
    assert rows["All"][1] == "1"

"""The problems panel lists the result's problems, filters them by kind and jumps to their target."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui.commands_properties import UpdateRack, submit
from gui.context import AppContext, Selected
from gui.docks.problems import ProblemsDock
from model.document import Document
from model.layout import Cable, Device, Rack, Site
from model.results import Problem


def small_site() -> Site:
    """Two racks: a server and a leaf in R1, a leaf in R2 over its 1 kW budget; x1 has no tray to run in."""
    racks = [
        Rack(
            id="R1",
            name="Rack one",
            row="A",
            x_mm=300,
            y_mm=600,
            devices=[
                Device(id="SW1", name="Leaf one", type="switch-51t2-64x800g", u_position=30),
                Device(id="SV1", type="server-8gpu-800g", u_position=2),
            ],
        ),
        Rack(
            id="R2",
            row="A",
            x_mm=900,
            y_mm=600,
            power_budget_w=1000,
            devices=[Device(id="SW2", type="switch-51t2-64x800g", u_position=30)],
        ),
    ]
    cables = [
        Cable(id="c1", a="SV1:nic1", b="SW1:p1"),
        Cable(id="c2", a="SV1:nic2", b="SW1:p2"),
        Cable(id="c10", a="SV1:nic3", b="SW1:p3", pinned_medium="AOC"),
        Cable(id="x1", a="SW1:p64", b="SW2:p64"),
    ]
    return Site(name="Small", racks=racks, cables=cables)


@pytest.fixture
def context(qapp):
    return AppContext(Document(small_site()))


@pytest.fixture
def dock(context, qtbot):
    dock = ProblemsDock(context)
    qtbot.addWidget(dock)
    dock.resize(900, 300)
    dock.show()
    qtbot.waitExposed(dock)
    return dock


def rows(dock) -> list[tuple[str, ...]]:
    model = dock.model
    return [tuple(model.index(r, c).data() for c in range(4)) for r in range(model.rowCount())]


def test_lists_the_results_problems(dock, context):
    assert dock.objectName() == "ProblemsDock"
    shown = rows(dock)
    assert ("error", "reach", "cable x1") == shown[0][:3]
    assert ("error", "power", "rack R2") == shown[1][:3]
    assert shown[1][3] == context.result.problems[1].message
    assert dock.windowTitle() == "Problems (2)"


def test_filter_by_kind(dock):
    combo = dock.kind_filter
    assert [combo.itemText(i) for i in range(combo.count())] == ["All kinds (2)", "power (1)", "reach (1)"]
    combo.setCurrentIndex(combo.findData("power"))
    assert [r[1] for r in rows(dock)] == ["power"]
    assert dock.count.text() == "1 of 2"
    combo.setCurrentIndex(0)
    assert len(rows(dock)) == 2


def test_double_click_selects_the_target_and_asks_for_a_jump(dock, context, qtbot):
    dock.kind_filter.setCurrentIndex(dock.kind_filter.findData("power"))
    rect = dock.view.visualRect(dock.model.index(0, 3))
    with qtbot.waitSignal(dock.jumpRequested) as jump:
        # A double click is a press then a double-click event; item views need the first to know the row.
        qtbot.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert jump.args == ["rack", "R2"]
    assert context.selection == (Selected("rack", "R2"),)


def test_site_problem_has_nothing_to_select(dock, context, qtbot):
    with qtbot.waitSignal(context.statusMessage) as said:
        dock.jump_to(Problem("overlap", "two racks overlap", "site", "site"))
    assert said.args == ["two racks overlap"]
    assert context.selection == ()


def test_sort_by_kind(dock, qtbot):
    dock.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert [r[1] for r in rows(dock)] == ["reach", "power"]
    dock.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [r[1] for r in rows(dock)] == ["power", "reach"]


def test_fixed_problem_leaves_the_list_and_the_filter_falls_back(dock, context, qtbot):
    dock.kind_filter.setCurrentIndex(dock.kind_filter.findData("power"))
    submit(context, UpdateRack(context.document, "R2", power_budget_w=40000))
    qtbot.waitUntil(lambda: dock.windowTitle() == "Problems (1)")
    assert [r[1] for r in rows(dock)] == ["reach"]
    assert dock.kind_filter.currentText() == "All kinds (1)"

"""The problems panel lists the result's problems, filters them by kind and jumps to their target."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui.commands import submit
from gui.context import Selected
from gui.docks.problems import ProblemsDock
from model.commands import ConnectCables
from model.commands_properties import UpdateRack
from model.layout import Cable
from model.results import Problem
from tests.gui.conftest import show_widget


@pytest.fixture
def dock(context, qtbot):
    return show_widget(qtbot, ProblemsDock(context), (900, 300))


def rows(dock) -> list[tuple[str, ...]]:
    model = dock.model
    return [tuple(model.index(r, c).data() for c in range(4)) for r in range(model.rowCount())]


def test_lists_the_results_problems(dock, context):
    assert dock.objectName() == "ProblemsDock"
    shown = rows(dock)
    assert ("error", "pathway", "cable x1") == shown[0][:3]
    assert ("error", "power", "rack R2") == shown[1][:3]
    assert shown[1][3] == context.result.problems[1].message
    assert dock.windowTitle() == "Problems (2)"


def test_filter_by_kind(dock):
    combo = dock.kind_filter
    assert [combo.itemText(i) for i in range(combo.count())] == ["All kinds (2)", "pathway (1)", "power (1)"]
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
    assert [r[1] for r in rows(dock)] == ["power", "pathway"]
    dock.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [r[1] for r in rows(dock)] == ["pathway", "power"]


def test_fixed_problem_leaves_the_list_and_the_filter_falls_back(dock, context, qtbot):
    dock.kind_filter.setCurrentIndex(dock.kind_filter.findData("power"))
    submit(context, UpdateRack(context.document, "R2", power_budget_w=40000))
    qtbot.waitUntil(lambda: dock.windowTitle() == "Problems (1)")
    assert [r[1] for r in rows(dock)] == ["pathway"]
    assert dock.kind_filter.currentText() == "All kinds (1)"


def double_click(dock, qtbot, row: int) -> None:
    rect = dock.view.visualRect(dock.model.index(row, 3))
    qtbot.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_problems_of_one_cause_are_one_row_with_a_count_that_opens(dock, context, qtbot):
    """Issue #14: 32 cables with no pathway between two racks were 32 identical lines with no fix."""
    more = [Cable(id=f"x{k}", a=f"SW1:p{64 - k}", b=f"SW2:p{64 - k}") for k in (2, 3)]
    submit(context, ConnectCables(context.document, more))
    qtbot.waitUntil(lambda: dock.windowTitle() == "Problems (4)")
    # R1 is named 'Rack one' (tests/gui/sites.py): racks by their names, with their ids.
    fix = "fix: add a tray over racks 'Rack one' (R1), R2 (select both racks, then Insert → Add Tray over the Selected Racks)"
    shown = rows(dock)
    assert len(shown) == 2  # the three cables' row and the power row
    group = next(r for r in shown if r[1] == "pathway")
    assert group[2] == "▸ 3 cables"
    assert group[3].startswith("3 cables: no pathway between racks 'Rack one' (R1) and R2: ") and group[3].endswith(fix)
    at = shown.index(group)
    double_click(dock, qtbot, at)  # opens: the members below it
    opened = rows(dock)
    assert opened[at][2] == "▾ 3 cables"
    assert [r[2].strip() for r in opened[at + 1 : at + 4]] == ["cable x1", "cable x2", "cable x3"]
    assert opened[at + 1][3].startswith("cable x1: no pathway between racks 'Rack one' (R1) and R2")
    assert context.selection == ()  # opening a group selects nothing
    with qtbot.waitSignal(dock.jumpRequested) as jump:
        double_click(dock, qtbot, at + 2)
    assert jump.args == ["cable", "x2"]
    double_click(dock, qtbot, at)  # closes again
    assert rows(dock) == shown


def test_a_no_pathway_row_offers_its_fix_as_one_undoable_tray(dock, context, qtbot):
    row = next(r for r in range(dock.model.rowCount()) if dock.model.problem(r).kind == "pathway")
    assert dock.tray_fix_racks(row) == ["R1", "R2"]
    power = next(r for r in range(dock.model.rowCount()) if dock.model.problem(r).kind == "power")
    assert dock.tray_fix_racks(power) == [] and not dock.fix_with_tray(power)
    assert dock.fix_menu(dock.view.visualRect(dock.model.index(power, 3)).center()) is None
    # Right-click on the row: its menu offers the fix (built as the right-click builds it, not popped up).
    menu = dock.fix_menu(dock.view.visualRect(dock.model.index(row, 3)).center())
    (action,) = menu.actions()
    assert action.text() == "Add a Tray over Racks R1, R2"
    action.trigger()
    (tray,) = context.document.site.trays
    assert context.undo_stack.undoText() == f"Add tray {tray.id}"
    qtbot.waitUntil(lambda: dock.windowTitle() == "Problems (1)")  # x1 now runs over the tray
    assert [r[1] for r in rows(dock)] == ["power"]
    context.undo_stack.undo()
    qtbot.waitUntil(lambda: dock.windowTitle() == "Problems (2)")

"""What the docks share (gui/docks/__init__.py): a panel refreshes only while it can be seen."""

from __future__ import annotations

from gui.commands import submit
from model.commands_properties import UpdateRack
from tests.gui.conftest import make_window


def test_tabbed_away_panels_wait_until_raised_and_the_problems_tab_keeps_its_count(qtbot, small_context):
    """Qt keeps a dock whose tab is not raised isVisible() (moved off the window): the panels
    tabbed away must not redraw after an edit, only once raised, then showing the latest
    analysis; the problems tab's title (its count, on the tab) follows every edit."""
    context = small_context
    win = make_window(qtbot, context)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    hidden = ("metrics", "compare", "problems")  # behind the inspector, and the cables with the problems
    for first, second in (("inspector", "metrics"), ("cables_table", "problems"), ("problems", "compare")):
        win.tabifyDockWidget(win.docks[first], win.docks[second])  # as a first start lays them out
    for name in ("inspector", "cables_table"):
        win.docks[name].show()
        win.docks[name].raise_()
    qtbot.waitUntil(lambda: not any(win.docks[name]._refresher.seen() for name in hidden))
    assert all(win.docks[name].isVisible() for name in hidden)  # what Qt says of a tab not raised
    calls: dict[str, int] = dict.fromkeys(hidden, 0)
    for name in hidden:
        refresher = win.docks[name]._refresher
        refresher._refresh = lambda name=name, run=refresher._refresh: (calls.__setitem__(name, calls[name] + 1), run())
    problems, metrics = win.docks["problems"], win.docks["metrics"]
    assert problems.windowTitle() == "Problems"  # none
    submit(context, UpdateRack(context.document, "R2", power_budget_w=1000))  # its devices draw 1.3 kW
    qtbot.waitUntil(lambda: problems.windowTitle() == "Problems (1)")  # the tab's count follows at once
    qtbot.wait(50)
    assert calls == dict.fromkeys(hidden, 0)
    assert problems.model.all == []  # the list itself waits until the tab is raised
    before = metrics.summary.text()
    metrics.raise_()
    qtbot.waitUntil(lambda: calls["metrics"] == 1)
    assert metrics._refresher.seen() and not metrics._refresher._stale
    budgets = {metrics.rack_table.verticalHeaderItem(r).text(): metrics.rack_table.item(r, 3).text() for r in range(2)}
    assert budgets["R2"] == "1.0"  # R2's new budget, kW
    assert before  # it had been filled when made
    problems.raise_()
    qtbot.waitUntil(lambda: calls["problems"] == 1)
    assert [problems.model.index(r, 1).data() for r in range(problems.model.rowCount())] == ["power"]
    assert calls["compare"] == 0  # still behind the problems
    for name in ("inspector", "cables_table"):  # the window saves its docks on close: as it found them
        win.docks[name].raise_()

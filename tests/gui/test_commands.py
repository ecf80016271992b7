"""The GUI's undo stack mirrors the session's history; a refused edit is said, not pushed."""

from __future__ import annotations

from gui.commands import apply
from model.commands import AddRack, PlaceDevice
from model.layout import Device, Rack
from tests.gui.conftest import TRAY, dump


def test_the_qt_stack_mirrors_the_session_history(small_context):
    context, history = small_context, small_context.session.history
    before = dump(context)
    assert apply(context, AddRack(context.document, Rack(id="R3", row="A", x_mm=2100, y_mm=1800)))
    assert (context.undo_stack.count(), history.index) == (1, 1)
    assert context.undo_stack.undoText() == history.undo_text() == "Add rack R3"
    context.undo_stack.undo()
    assert dump(context) == before and history.index == 0 and history.is_clean()
    context.undo_stack.redo()
    assert "R3" in context.document.racks and history.index == 1
    context.undo_stack.setClean()
    assert history.is_clean()
    context.undo_stack.clear()
    assert history.count == 0


def test_refused_command_is_not_pushed_and_says_why(small_context):
    messages = []
    small_context.statusMessage.connect(messages.append)
    before = dump(small_context)
    assert not apply(small_context, PlaceDevice(small_context.document, "R1", Device(id="X", type=TRAY, u_position=6)))
    assert dump(small_context) == before
    assert small_context.undo_stack.count() == 0
    assert "overlaps" in messages[-1]


def test_deleting_a_server_and_undoing_it_leaves_panels_as_a_fresh_window_shows_them(qtbot):
    # At a small size the incremental path (model.structure_edits, one change for the undo)
    # must leave the model and what the panels show as they are for the layout read afresh.
    from gui.context import AppContext
    from gui.docks.compare import CompareDock
    from gui.docks.metrics import MetricsDock
    from gui.docks.problems import ProblemsDock
    from model.analysis import Analysis
    from model.commands import RemoveDevices
    from model.document import Document
    from model.topologies import build_sample
    from tests.gui.conftest import show_widget
    from tests.model.session_machine import assert_same_analysis

    def open_panels(context) -> list:
        return [show_widget(qtbot, d) for d in (MetricsDock(context), ProblemsDock(context), CompareDock(context))]

    def shown(docks) -> list:
        # Each panel refreshes in a turn of the event loop of its own (gui.turns): on a loaded
        # machine 20 ms were not always enough for all three (CI saw the compare panel behind).
        qtbot.waitUntil(lambda: not any(d._refresher._stale for d in docks))
        metrics, problems, compare = docks
        tables = [metrics.media_table, metrics.ratio_table, metrics.rack_table, compare.table]
        cells = [[[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())] for t in tables]
        charts = {m: list(c.getData()[1]) for m, c in metrics.lengths_chart.curves.items()}
        listed = [tuple(problems.model.index(r, c).data() for c in range(4)) for r in range(problems.model.rowCount())]
        return [cells, charts, listed, metrics.summary.text()]

    def fresh_panels(context) -> list:
        return shown(open_panels(AppContext(Document(context.document.site.model_copy(deep=True)))))

    context = AppContext(Document(build_sample("scaleout-pod", accelerators=256)))
    docks = open_panels(context)  # kept open: they follow the edits
    before = shown(docks)
    server = next(d for d in context.document.devices.values() if d.type == "server-8gpu-800g").id
    full = context.analysis.full_runs
    assert apply(context, RemoveDevices(context.document, [server]))
    after_delete = shown(docks)
    assert after_delete == fresh_panels(context) and after_delete != before
    context.undo_stack.undo()
    assert context.analysis.full_runs == full  # incremental both ways
    assert_same_analysis(context.result, Analysis(Document(context.document.site.model_copy(deep=True))).result)
    assert shown(docks) == fresh_panels(context) == before

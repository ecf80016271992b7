"""The cables table: every run, sortable and filterable, in step with the context selection."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from gui.commands import submit
from gui.context import AppContext, Selected
from gui.docks.cable_runs_model import COLUMNS, ID, LENGTH, MEDIUM, ORDERED, PRODUCT, natural_order
from gui.docks.cables_table import CablesDock
from model.commands_properties import UpdateCable
from model.document import Document
from model.topologies import build_sample
from tests.gui.conftest import show_widget


@pytest.fixture
def dock(context, qtbot):
    return show_widget(qtbot, CablesDock(context), (1200, 400))


def shown_ids(dock) -> list[str]:
    model = dock.model
    return [model.index(r, ID).data() for r in range(model.rowCount())]


def cell(dock, row: int, column: int) -> str:
    return dock.model.index(row, column).data()


def click_header(dock, qtbot, column: int) -> None:
    header = dock.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_every_run_with_its_figures(dock, context):
    assert dock.objectName() == "CablesDock"
    assert shown_ids(dock) == ["c1", "c2", "c10", "x1"]
    assert dock.model.columnCount() == len(COLUMNS) == 11
    report = context.result.cable("c1")
    assert cell(dock, 0, MEDIUM) == "AEC"
    assert cell(dock, 0, PRODUCT) == report.product_name
    assert cell(dock, 0, LENGTH) == f"{report.length_m:.2f}"
    assert cell(dock, 3, ORDERED) == "—"  # x1: no product, no orderable length
    assert dock.count.text() == "4 runs"


def test_clicking_a_row_selects_the_cable(dock, context, qtbot):
    rect = dock.view.visualRect(dock.model.index(1, ID))
    qtbot.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert context.selection == (Selected("cable", "c2"),)


def test_context_selection_selects_and_scrolls_without_echo(dock, context, qtbot):
    heard = []
    context.selectionChanged.connect(heard.append)
    context.set_selection([Selected("cable", "x1"), Selected("rack", "R1")])
    assert len(heard) == 1
    rows = [i.row() for i in dock.view.selectionModel().selectedRows()]
    assert rows == [3]
    assert context.selection == (Selected("cable", "x1"), Selected("rack", "R1"))  # the table did not rewrite it
    context.set_selection([])
    assert dock.view.selectionModel().selectedRows() == []


def test_sort_by_length_by_clicking_the_header(dock, context, qtbot):
    # x1 joins two racks no tray reaches: it has no length ("—") and sorts last both ways.
    click_header(dock, qtbot, LENGTH)
    lengths = [float(cell(dock, r, LENGTH)) for r in range(3)]
    assert lengths == sorted(lengths)
    assert (shown_ids(dock)[-1], cell(dock, 3, LENGTH)) == ("x1", "—")
    click_header(dock, qtbot, LENGTH)
    lengths = [float(cell(dock, r, LENGTH)) for r in range(3)]
    assert lengths == sorted(lengths, reverse=True)
    assert shown_ids(dock)[-1] == "x1"


def test_missing_ordered_length_sorts_last_both_ways(dock):
    dock.view.sortByColumn(ORDERED, Qt.SortOrder.AscendingOrder)
    assert shown_ids(dock)[-1] == "x1"
    dock.view.sortByColumn(ORDERED, Qt.SortOrder.DescendingOrder)
    assert shown_ids(dock)[-1] == "x1"
    assert shown_ids(dock)[0] == "c10"  # the optics, pinned: the longest ordered length


def test_id_sort_reads_numbers_as_numbers(dock):
    dock.view.sortByColumn(ID, Qt.SortOrder.AscendingOrder)
    assert shown_ids(dock) == ["c1", "c2", "c10", "x1"]
    assert list(natural_order(["U12", "U5", "U5a", "T9"])) == [3, 1, 2, 0]


def test_filter_box_and_medium_filter(dock, qtbot):
    qtbot.keyClicks(dock.filter_edit, "optics")
    assert shown_ids(dock) == ["c10"]  # by medium and product name
    dock.filter_edit.clear()
    qtbot.keyClicks(dock.filter_edit, "SW2")
    assert shown_ids(dock) == ["x1"]  # by port
    assert dock.count.text() == "1 of 4 runs"
    dock.filter_edit.clear()
    dock.medium_filter.setCurrentIndex(dock.medium_filter.findData("AEC"))
    assert shown_ids(dock) == ["c1", "c2"]
    dock.medium_filter.setCurrentIndex(dock.medium_filter.findData("none"))
    assert shown_ids(dock) == ["x1"]


def test_an_edit_keeps_sort_filter_and_selection(dock, context, qtbot):
    dock.view.sortByColumn(LENGTH, Qt.SortOrder.DescendingOrder)
    context.set_selection([Selected("cable", "c2")])
    submit(context, UpdateCable(context.document, "c2", pinned_medium="OPTICS"))
    assert cell(dock, shown_ids(dock).index("c2"), MEDIUM) == "OPTICS"
    lengths = [float(cell(dock, r, LENGTH)) for r in range(3)]  # x1, with no pathway, is last
    assert lengths == sorted(lengths, reverse=True)
    assert [dock.model.index(i.row(), ID).data() for i in dock.view.selectionModel().selectedRows()] == ["c2"]


def test_renamed_label_is_found_after_the_edit(dock, context, qtbot):
    qtbot.keyClicks(dock.filter_edit, "uplink")
    assert shown_ids(dock) == []
    submit(context, UpdateCable(context.document, "c2", label="Uplink 7"))
    assert shown_ids(dock) == ["c2"]


def test_large_layout_builds_reports_only_for_painted_rows(qtbot, monkeypatch):
    context = AppContext(Document(build_sample("scaleout-pod", accelerators=1024)))
    assert len(context.result.cable_ids) > 1500
    built = []
    result_type = type(context.result)
    real = result_type.cable
    monkeypatch.setattr(result_type, "cable", lambda self, key, **kw: built.append(key) or real(self, key, **kw))
    dock = CablesDock(context)
    qtbot.addWidget(dock)
    dock.resize(1000, 300)
    dock.show()
    qtbot.waitExposed(dock)
    dock.view.sortByColumn(LENGTH, Qt.SortOrder.DescendingOrder)
    qtbot.wait(10)
    assert 0 < len(set(built)) < 100
    dock.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # by end B: texts, still no reports
    qtbot.wait(10)
    assert len(set(built)) < 200
    context.set_selection([Selected("cable", context.result.cable_ids[1200])])
    assert len(dock.view.selectionModel().selectedRows()) == 1


def test_rows_are_compact_and_columns_show_their_runs(dock):
    from gui.docks.cable_runs_model import END_A

    view = dock.view
    assert view.rowHeight(0) <= view.fontMetrics().height() + 8
    header = view.horizontalHeader()
    end_a = dock.model.index(0, END_A).data()
    assert header.sectionSize(END_A) >= view.fontMetrics().horizontalAdvance(end_a)  # not cut to "R1 U30 S…"
    assert all(header.sectionSize(c) <= 200 for c in range(len(COLUMNS) - 1))  # the reason keeps room


def shown_reasons(dock) -> dict[str, tuple[str, str]]:
    """Per cable id on show: its reason cell and the reason cell's tooltip."""
    from gui.docks.cable_runs_model import REASON

    model = dock.model
    return {
        model.index(r, ID).data(): (
            model.index(r, REASON).data(),
            model.index(r, REASON).data(Qt.ItemDataRole.ToolTipRole),
        )
        for r in range(model.rowCount())
    }


def reported(context) -> dict[str, tuple[str, str]]:
    """The same from each cable's full report (model.metrics) of the latest analysis."""
    out = {}
    for cable_id in context.result.cable_ids:
        report = context.result.cable(cable_id)
        out[cable_id] = (report.reason, "\n".join([report.reason, *report.problems]))
    return out


def test_a_reason_changed_by_an_edit_elsewhere_is_shown(dock, context, qtbot):
    """Adding a tray names no cable, but gives x1 its pathway: its reason (and tooltip) say so."""
    from model.commands import AddTray
    from model.placement import tray_over

    assert shown_reasons(dock) == reported(context)
    before = shown_reasons(dock)["x1"]
    doc = context.document
    assert submit(context, AddTray(doc, tray_over(doc, [doc.racks["R1"], doc.racks["R2"]]))) == ""
    assert shown_reasons(dock)["x1"] != before
    assert shown_reasons(dock) == reported(context)


def test_reasons_of_painted_rows_are_written_in_blocks_and_match_each_cable(qtbot, monkeypatch):
    import gui.docks.cable_runs_model as runs_model
    from gui.commands import apply
    from gui.docks.cable_runs_model import REASON
    from model.commands import RemoveDevices

    context = AppContext(Document(build_sample("scaleout-pod", accelerators=1024)))
    calls = []
    real = runs_model.reasons
    monkeypatch.setattr(runs_model, "reasons", lambda state, rows: calls.append(len(rows)) or real(state, rows))
    dock = show_widget(qtbot, CablesDock(context), (1000, 600))
    server = next(d for d in context.document.devices.values() if d.type.startswith("server")).id
    for edit in (None, RemoveDevices(context.document, [server])):
        if edit is not None:
            calls.clear()
            assert apply(context, edit)
            qtbot.wait(10)
        model, result = dock.model, context.result
        painted = range(dock.view.rowAt(0), dock.view.rowAt(dock.view.viewport().height() - 1) + 1)
        assert len(painted) > 5
        for row in painted:
            report = result.cable(model.cable_index(row))
            assert model.index(row, REASON).data() == report.reason
            assert model.index(row, REASON).data(Qt.ItemDataRole.ToolTipRole) == "\n".join(
                [report.reason, *report.problems]
            )
        # Painting and reading them wrote a block or two of rows at once, not a call per row.
        assert 0 < len(calls) <= 2 and sum(calls) >= len(painted)


def test_an_edit_paints_the_table_once(dock, context, qtbot):
    """A new analysis resets the rows and the view lays them out at once: one paint of the
    rows on show, not a second one after a layout of its own in a later turn."""
    from PySide6.QtCore import QEvent, QObject

    class Paints(QObject):
        count = 0

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    qtbot.wait(50)  # the first paints are over
    paints = Paints()
    dock.view.viewport().installEventFilter(paints)
    from model.commands import RemoveDevices

    submit(context, RemoveDevices(context.document, ["SV1"]))  # its cables' rows go
    qtbot.wait(100)
    dock.view.viewport().removeEventFilter(paints)
    assert shown_ids(dock) == ["x1"]
    assert paints.count == 1


def test_a_layout_read_widens_the_id_column_to_its_longest_id(dock, context, qtbot):
    """The columns are sized by the first screenful of runs; a layout's longest id may come
    later (a 10,000-accelerator pod's 'c20000' showed as 'c2…', a fresh user's find). A
    layout read widens the ID column to it, and an edit after does not narrow it again."""
    from model.topologies.scaleout import build_scaleout_pod

    site = build_scaleout_pod(accelerators=256)
    longest = "spine-uplink-000000512"
    site.cables[-1] = site.cables[-1].model_copy(update={"id": longest})
    header, view = dock.view.horizontalHeader(), dock.view
    assert header.sectionSize(ID) < view.fontMetrics().horizontalAdvance(longest)  # sized for c1, c2, c10, x1
    context.document.replace_site(site)
    count = len(site.cables)
    qtbot.waitUntil(lambda: dock.model.rowCount() == count)
    # Fitted a turn after the layout is shown (the turn that swaps it in does enough).
    qtbot.waitUntil(lambda: header.sectionSize(ID) >= view.fontMetrics().horizontalAdvance(longest))
    widened = header.sectionSize(ID)
    context.document.disconnect(longest)
    qtbot.waitUntil(lambda: dock.model.rowCount() == count - 1)
    assert header.sectionSize(ID) == widened


def test_the_id_column_fits_the_widest_id_not_only_the_longest(dock, context, qtbot):
    """An id of fewer but wider letters was elided when only the longest id was measured (a
    fresh user's find: 'MGMT-WWW-UPLINK-0007' beside 'spine-uplink-iiiiii-0001')."""
    from model.topologies.scaleout import build_scaleout_pod

    site = build_scaleout_pod(accelerators=256)
    wide, long = "MGMT-WWW-UPLINK-0007", "spine-uplink-iiiiii-0001"
    site.cables[-1] = site.cables[-1].model_copy(update={"id": wide})
    site.cables[-2] = site.cables[-2].model_copy(update={"id": long})
    metrics = dock.view.fontMetrics()
    assert len(wide) < len(long) and metrics.horizontalAdvance(wide) > metrics.horizontalAdvance(long)
    context.document.replace_site(site)
    qtbot.waitUntil(lambda: dock.model.rowCount() == len(site.cables))
    qtbot.waitUntil(lambda: dock.view.horizontalHeader().sectionSize(ID) >= metrics.horizontalAdvance(wide))


def test_reason_sort_counts_the_runs_the_filters_keep_and_the_header_shows_the_real_order(
    dock, context, qtbot, monkeypatch
):
    """Sorting by reason is refused beyond REASON_SORT_LIMIT runs, counted after the filters
    (the whole layout was counted, so filtering first did not help); the header never marks
    Reason when the rows are not in that order (it stayed marked after a refusal, and after a
    bigger layout was opened the rows came in layout order under a Reason arrow)."""
    from gui.docks import cable_runs_model
    from gui.docks.cable_runs_model import REASON

    monkeypatch.setattr(cable_runs_model, "REASON_SORT_LIMIT", 2)
    messages = []
    context.statusMessage.connect(messages.append)
    header = dock.view.horizontalHeader()
    layout_order = shown_ids(dock)
    click_header(dock, qtbot, REASON)
    assert "Sorting 4 runs by reason would take too long" in messages[-1]
    assert header.sortIndicatorSection() != REASON and shown_ids(dock) == layout_order
    dock.medium_filter.setCurrentIndex(dock.medium_filter.findData("AEC"))  # c1 and c2
    click_header(dock, qtbot, REASON)
    click_header(dock, qtbot, REASON)  # descending: 3.51 m before 3.48 m, against the layout's order
    reasons = {cell(dock, r, ID): cell(dock, r, REASON) for r in range(dock.model.rowCount())}
    ids = sorted(reasons)
    assert shown_ids(dock) == [ids[i] for i in natural_order([reasons[c] for c in ids])][::-1] == ["c2", "c1"]
    assert header.sortIndicatorSection() == REASON
    dock.medium_filter.setCurrentIndex(dock.medium_filter.findData(""))  # all 4 again: too many
    assert shown_ids(dock) == layout_order and header.sortIndicatorSection() != REASON
    assert messages[-1] == "Runs in layout order: 4 are too many to sort by reason"

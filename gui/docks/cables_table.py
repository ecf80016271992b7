"""The cables dock: the table of every run, a filter, a medium choice, and selection both ways.

The table's model (sorting and filtering in numpy for 200,000 rows) is in
gui/docks/cable_runs_model.py; this dock keeps the view and the context's selection in step.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QRect, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.context import Selected
from gui.docks.cable_runs_model import COLUMNS, ID, CableRunsModel
from model.selection import MEDIUM_NAMES

ROW_PADDING_PX = 6  # compact rows: a designer reads many runs at once
MAX_COLUMN_PX = 200
ID_PADDING_PX = 16  # a cell's margins and the sort arrow's room beside an id's text
ID_CANDIDATES = 2_000  # the longest ids measured for the ID column's width (_fit_ids)
SIZING_ROWS = 20  # rows measured, besides those on screen, to size the columns
CATCH_UP_MS = 50  # how often a table held back by a live drag looks whether it may catch up


class RunsView(QTableView):
    """The table's view; it can take rows that come or go without repainting the rows on show
    (`lay_out_keeping_paint`), for a dock that repaints what changed itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keep_paint = False

    def lay_out_keeping_paint(self) -> None:
        """Lays out rows that came or went now (the scroll bar's range), leaving what the
        viewport shows painted as it is: Qt's layout repaints the whole viewport."""
        self._keep_paint = True
        try:
            self.executeDelayedItemsLayout()  # the layout the change scheduled, now and only once
        finally:
            self._keep_paint = False

    def doItemsLayout(self) -> None:  # noqa: N802 - Qt's name
        if not self._keep_paint:
            super().doItemsLayout()
            return
        self.updateGeometries()  # what QAbstractItemView's layout does, less its viewport update
        header = self.verticalHeader()
        if not header.updatesEnabled():  # QTableView holds them while rows go (and lets go here)
            header.setUpdatesEnabled(True)


class CablesDock(QDockWidget):
    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__("Cables", parent)
        self.setObjectName("CablesDock")
        self.context = context
        self._syncing = False
        self.model = CableRunsModel(context, self)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter runs: id, port, device, medium, product…")
        self.filter_edit.setClearButtonEnabled(True)
        self.medium_filter = QComboBox()
        self.medium_filter.addItem("All media", "")
        for name in MEDIUM_NAMES:
            self.medium_filter.addItem(name, name)
        self.medium_filter.addItem("No product", "none")
        self.count = QLabel()
        self.filter_edit.textChanged.connect(self._on_filter)
        self.medium_filter.currentIndexChanged.connect(self._on_filter)
        context.layoutSwapped.connect(self._forget_filter)

        self.view = RunsView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + ROW_PADDING_PX)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.model.sortKept.connect(self._show_sort)
        self.model.pendingChanged.connect(self._show_count)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(self.filter_edit, 1)
        row.addWidget(self.medium_filter)
        row.addWidget(self.count)
        layout.addLayout(row)
        layout.addWidget(self.view)
        self.setWidget(body)

        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)
        self._catch_up.setInterval(CATCH_UP_MS)
        self._catch_up.timeout.connect(self._on_catch_up)
        self._new_layout = False  # the document was replaced or read again since the last result
        # A layout just read has its ID column fitted a turn later (_fit_ids: ~15-25 ms at
        # 300,000 cables), not in the turn that swaps the layout in and paints it: together they
        # held the window past 100 ms (bench/gui.py's longest freeze opening 100,000 accelerators).
        self._fit_later = QTimer(self)
        self._fit_later.setSingleShot(True)
        self._fit_later.setInterval(0)
        self._fit_later.timeout.connect(lambda: self._fit_ids(self.model.result))
        self._held = False  # a live drag's result read in rows arranged for an earlier one (CableRunsModel.hold)
        context.documentChanged.connect(self._on_document_change)
        context.analysisUpdated.connect(self._on_analysis)
        context.selectionChanged.connect(self._show_selection)
        self.model.modelReset.connect(self._after_reset)
        self._after_reset()
        self._size_columns()

    def _size_columns(self) -> None:
        """Columns as wide as the first screenful of runs needs, within reason; the reason takes the rest."""
        header = self.view.horizontalHeader()
        header.setResizeContentsPrecision(SIZING_ROWS)  # each row measured builds a cable report
        self.view.resizeColumnsToContents()
        for column in range(len(COLUMNS) - 1):
            header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN_PX))

    def _fit_ids(self, result) -> None:
        """A layout just read: the ID column widened (never narrowed, at most MAX_COLUMN_PX) to
        its widest cable id, which the screenful the columns were sized by may not hold: a
        10,000-accelerator pod's 'c20000' showed as 'c2…' (a fresh user's find). The widest
        is measured among the longest ids (ID_CANDIDATES at most, down to half the longest's
        length): one of fewer but wider letters ('MGMT-WWW-…' beside 'spine-iiii-…') was
        elided when only the longest was measured. ~15 ms at 300,000 cables, once a file."""
        ids = result.cable_ids
        if not len(ids):
            return
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        near = np.flatnonzero(lengths >= (int(lengths.max()) + 1) // 2)
        if len(near) > ID_CANDIDATES:
            near = near[np.argpartition(lengths[near], -ID_CANDIDATES)[-ID_CANDIDATES:]]
        advance = self.view.fontMetrics().horizontalAdvance
        wanted = max(advance(ids[i]) for i in near.tolist()) + ID_PADDING_PX
        header = self.view.horizontalHeader()
        if wanted > header.sectionSize(ID):
            header.resizeSection(ID, min(wanted, MAX_COLUMN_PX))

    def _on_analysis(self, result) -> None:
        # At once, except while a live drag moves racks at mouse speed (a reset and the rows on
        # show re-read: ~20 ms a step at 10k accelerators): then when it rests or ends, from the
        # latest result. Results are immutable snapshots, so the one shown meanwhile stays valid.
        if self.context.panels_wait():
            # Read in the rows as they stand (not re-sorted, nothing repainted) when it has the
            # same cables: the snapshot before the drag is not kept alive for the whole of it.
            self._held = self.model.hold(result) or self._held
            self._catch_up.start()
            return
        self._catch_up.stop()
        self._show_result(result)

    def _on_catch_up(self) -> None:
        if self.context.panels_wait():
            self._catch_up.start()
        elif self.model.result is not self.context.result or self._held:
            self._show_result(self.context.result)

    def _on_document_change(self, change) -> None:
        self._new_layout = self._new_layout or change.everything
        self.model.on_document_change(change)

    def _show_result(self, result) -> None:
        """Shows `result`, repainting only the rows on show that look otherwise now (an edit
        seldom changes what the rows on show say); every row read again (a reset) for a new
        layout, an empty or an unseen table."""
        view, model = self.view, self.model
        first = view.rowAt(0)
        if self._held:  # rows on show may still paint a result from before the drag: all of them afresh
            self._held = False
            view.viewport().update()
        if self._new_layout or first < 0 or not view.viewport().isVisible():
            new_layout, self._new_layout = self._new_layout, False
            mark = None if new_layout else self._current_run()
            model.set_result(result)
            if new_layout:
                self._fit_later.start()
            else:  # a closed or empty table: the reset cleared the current cell
                self._keep_current(mark)
            return
        # The rows that fit on show from the first (past the end too: rows may come there).
        last = first + (view.viewport().height() - view.rowViewportPosition(first) - 1) // view.rowHeight(first)
        shown = model.ids(first, last)
        mark = self._current_run()
        scrolled = view.verticalHeader().offset()  # pixels: at the end of its range it need not follow the bar
        self._syncing = True  # rows going take their selection with them: no echo to the context
        try:
            before = model.follow(result)
            view.lay_out_keeping_paint()
        finally:
            self._syncing = False
        if view.verticalHeader().offset() != scrolled:  # rows came or went under a table scrolled to its end
            view.viewport().update()
        else:
            # A row that shows another run now is repainted; one that shows the same run only if
            # it looks otherwise (its figures or reason changed with the edit).
            now = model.ids(first, last)
            kept = [first + k for k, cable in enumerate(now) if cable is not None and cable == shown[k]]
            alike = zip(kept, model.looks(kept, before), model.looks(kept))
            same = {row - first for row, looked, looks in alike if looks == looked}
            self._repaint_rows(first, [k for k in range(len(now)) if k not in same and (now[k] or shown[k])])
        self._keep_current(mark)
        self._after_change()

    def _current_run(self) -> tuple[str, int, int] | None:
        """The current cell as (cable id, leg, column), the leg counting a breakout's rows from
        its first (model.breakout: a row a leg, all of one id); None when there is none."""
        current, model = self.view.currentIndex(), self.model
        if not current.isValid() or current.row() >= len(model.rows):
            return None
        i = model.cable_index(current.row())
        cable_id = model.result.cable_ids[i]
        return cable_id, i - model.result.index[cable_id], current.column()

    def _keep_current(self, mark: tuple[str, int, int] | None) -> None:
        """The current cell (where the arrow keys go from) put back on the row that shows the
        run and leg `mark` names (`_current_run` before the change), in its column; none when
        that run is gone or filtered out. Clearing it after every edit sent a designer walking
        the runs with the keyboard back to the first row."""
        view, model = self.view, self.model
        row, column = -1, 0
        if mark is not None:
            cable_id, leg, column = mark
            result = model.result
            first = result.index.get(cable_id)
            if first is not None and leg < int(result.state.compiled.leg_count[first]):
                at = first + leg  # the run's row in the analysis
                current = view.currentIndex()
                if current.isValid() and current.row() < len(model.rows) and model.cable_index(current.row()) == at:
                    row = current.row()  # the usual case: the edit kept the run in its row
                else:
                    row = int(model.row_of()[at])
        current = view.currentIndex()
        flags = QItemSelectionModel.SelectionFlag.NoUpdate  # the selection is the context's, kept apart
        if row < 0:
            view.selectionModel().clearCurrentIndex()
        elif row != current.row() or column != current.column():
            self._syncing, scrolls = True, view.hasAutoScroll()
            view.setAutoScroll(False)  # Qt scrolls to a new current cell: the table stays where it is
            try:
                view.selectionModel().setCurrentIndex(model.index(row, column), flags)
            finally:
                view.setAutoScroll(scrolls)
                self._syncing = False

    def _repaint_rows(self, first: int, offsets: list[int]) -> None:
        """Repaints the table rows `first` + each of `offsets` (past the end too: the background)."""
        view = self.view
        top, height, width = view.rowViewportPosition(first), view.rowHeight(first), view.viewport().width()
        for k in offsets:
            view.viewport().update(QRect(0, top + k * height, width, height))

    def _on_filter(self, *_args) -> None:
        self.model.set_filter(self.filter_edit.text(), self.medium_filter.currentData())

    def _after_reset(self) -> None:
        # The view lays its rows out now, not in a turn of its own after this one's paint: after
        # every edit the table was painted twice (once for the reset, once after that layout).
        self.view.doItemsLayout()
        self._after_change()

    def _after_change(self) -> None:
        """The count of runs and the context's selection shown, after the rows changed."""
        self._show_count()
        self._show_selection(self.context.selection, scroll=False)

    def _show_count(self) -> None:
        """'N runs' or 'N of M runs', and what the table awaits from the worker, if anything
        ('300,000 runs · sorting by End A…'): its rows stay as they are meanwhile."""
        total = len(self.model.result.cable_ids)
        shown = len(self.model.rows)
        text = f"{total:,} runs" if shown == total else f"{shown:,} of {total:,} runs"
        pending = self.model.pending
        self.count.setText(f"{text} · {pending}…" if pending else text)

    def _forget_filter(self) -> None:
        """Every run shown again, for another layout (the sort stays: it names no run)."""
        self.filter_edit.clear()
        self.medium_filter.setCurrentIndex(0)

    def _show_sort(self) -> None:
        """The header's sort indicator set to the order the rows are in (the model's), without
        sorting again: a sort by reason refused or let go of leaves the rows as they are."""
        header = self.view.horizontalHeader()
        blocked = header.blockSignals(True)
        try:
            header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        finally:
            header.blockSignals(blocked)

    def _on_view_selection(self, *_args) -> None:
        if self._syncing:
            return
        ids = self.model.result.cable_ids
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        self._syncing = True
        try:
            self.context.set_selection([Selected("cable", ids[self.model.cable_index(r)]) for r in rows])
        finally:
            self._syncing = False

    def _show_selection(self, selection, scroll: bool = True) -> None:
        if self._syncing:
            return
        index = self.model.result.index
        cables = [index[s.id] for s in selection if s.kind == "cable" and s.id in index]
        positions = self.model.row_of()[np.array(cables, dtype=np.int64)] if cables else np.zeros(0, np.int64)
        positions = np.unique(positions[positions >= 0])
        chosen = QItemSelection()
        last = self.model.columnCount() - 1
        if len(positions):
            # Contiguous rows become one range: selecting a rack's 500 cables stays cheap.
            breaks = np.nonzero(np.diff(positions) != 1)[0]
            starts = np.concatenate([[positions[0]], positions[breaks + 1]])
            ends = np.concatenate([positions[breaks], [positions[-1]]])
            for start, end in zip(starts, ends):
                chosen.select(self.model.index(int(start), 0), self.model.index(int(end), last))
        self._syncing = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.view.selectionModel().select(chosen, flags)
            if len(positions) and scroll:
                self.view.scrollTo(
                    self.model.index(int(positions[0]), 0), QAbstractItemView.ScrollHint.PositionAtCenter
                )
        finally:
            self._syncing = False

"""The cables table's model: every run with its ends, product, lengths, power, cost and reason.

Built for 200,000 rows. The model keeps one numpy array, `rows` (view row → cable
index), which sorting and filtering rewrite with numpy or one C-level sort; numbers
come straight from the result's columns, and a cable's report (without its reason) only
for rows the view paints (cached per result), their reasons written a block at a time.
A QSortFilterProxyModel would call back into Python for every comparison: on 200,000
rows it took 54 s to sort and 2.4 s to filter, so sorting and filtering live in the model
instead.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QGuiApplication

from gui.background import BackgroundJob
from gui.colors import medium_color
from gui.docks import MISSING
from gui.docks.cable_texts import (
    MAX_SHIFTED,
    PreparedTexts,
    SortedText,
    device_places,
    natural_order,
    prepare_texts,
    row_shift,
)
from gui.docks.table_model import FixedColumnsModel
from model.reasons import cable_problems, reasons
from model.rows import FEW_ROWS
from model.selection import MEDIUM_NAMES

COLUMNS = (
    "ID",
    "Label",
    "End A",
    "End B",
    "Medium",
    "Product",
    "Length (m)",
    "Ordered (m)",
    "Power (W)",
    "Cost ($)",
    "Reason",
)
ID, LABEL, END_A, END_B, MEDIUM, PRODUCT, LENGTH, ORDERED, POWER, COST, REASON = range(len(COLUMNS))
NUMERIC = {LENGTH: "length_m", ORDERED: "ordered_length_m", POWER: "power_w", COST: "cost_usd"}
REPORT_CACHE = 4096  # cable reports kept per result: a few screens' worth
# Reasons are written for this many table rows at once, around the first one painted: after an
# edit every painted row needs its reason again, and model.reasons writes 64 in ~0.7 ms, one
# ~0.4 ms (a full report with problems and route ~1.5 ms: 6 rows were ~10 ms of a 100k delete).
REASON_BLOCK = 64
WAIT_CURSOR_RUNS = 50_000  # from here the first sort by a text column or search takes ~0.2 s and more
# From here a text column's first sort, or the first search, has every run's texts written on
# the worker (~0.1 s of the window's at 30,000 runs; ~1 s at 300,000).
BACKGROUND_RUNS = 30_000
TEXT_COLUMNS = (ID, LABEL, END_A, END_B)  # sorted in natural order (gui.docks.cable_texts)
TEXT_NAME = {ID: "id", LABEL: "label", END_A: "a", END_B: "b"}  # their names in gui.docks.cable_texts
TEXT_COLUMN = {name: column for column, name in TEXT_NAME.items()}
REASON_SORT_LIMIT = 50_000  # reasons are written in bulk (~6 µs each); beyond this, sorting by them would stall
_ROLES = frozenset(  # the roles the table answers; None for the others
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
    )
)
_PAINTED = tuple(sorted(_ROLES - {int(Qt.ItemDataRole.ToolTipRole)}))
# A result, its table rows and what was read of them: the cable reports and the reasons.
Before = tuple[object, np.ndarray, OrderedDict, dict]


class CableRunsModel(FixedColumnsModel):
    columns = COLUMNS
    # The rows are not in the order last asked for (too many to sort by reason): the header
    # shows `sort_column` and `sort_order`, the order they are in (-1: the layout's).
    sortKept = Signal()
    pendingChanged = Signal()  # `pending` may read otherwise

    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.result = context.result
        self.rows = np.arange(len(self.result.cable_ids))
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder
        self.needle, self.medium_filter = "", ""
        self._reports: OrderedDict[int, object] = OrderedDict()  # brief: no reason, problems or route
        self._reasons: list[str] | None = None  # every cable's, for sorting by reason
        self._row_reasons: dict[int, str] = {}  # cable row -> reason, of the rows painted so far
        # Texts that only edits change (ends, labels) outlive a result: an edit refreshes the
        # cables it names, and one that adds or removes cables shifts them (gui.docks.cable_texts).
        self._texts: dict[str, list[str]] = {}
        self._sorted: dict[int, SortedText] = {}  # text columns in natural order (ID, Label, End A, End B)
        self._hits: tuple[str, np.ndarray] | None = None  # a needle and which rows' search text holds it
        self._rack_labels: dict[str, str] = {}  # rack id -> the name the texts were written with
        self._texts_for: list[str] = self.result.cable_ids
        self._texts_rows = (self.result.index, self.result.state.compiled.leg_count)  # of _texts_for
        self._shifting: set[str] | None = set()  # cables added or removed since; None: start over
        # A big table's texts and orders written on the worker (_written): what it was asked
        # for, and the document revision it writes from.
        self._job = BackgroundJob(self)
        self._job.finished.connect(self._on_prepared)
        self._job.failed.connect(self._on_prepare_failed)
        self._job_wants: set[str] = set()
        self._job_started = -1

    # ---- the result --------------------------------------------------------------
    def on_document_change(self, change) -> None:
        if change.everything:
            # Settings or trays re-route every cable but name no end: the texts stand (written
            # afresh, a table sorted by an end froze ~1 s at 300,000 runs after the objective changed).
            renames = change.racks or change.devices or change.cables or change.names
            if not ((change.settings or change.trays) and not renames):
                self._forget_texts()
            return
        if change.structure:  # rows come or go with the next result: shifted then (_carry_texts)
            if self._shifting is not None:
                self._shifting.update(change.cables)
            return
        if self._shifting:  # a change between a structure edit and its result: start over
            self._forget_texts()
            return
        if not self._texts:  # nothing written that this edit could change (ids never change)
            return
        doc = self.context.document
        if change.racks and not (change.devices or change.names):
            # Racks moved, turned or changed: the ends read a rack only by its name, so texts
            # change only where that did (a live drag step of a 1,392-cable rack wrote them all
            # again: ~11 ms of each step at 100k accelerators, with the table sorted by an end).
            renamed = [r for r in change.racks if r in doc.racks and doc.racks[r].label != self._rack_labels.get(r)]
            if not renamed:
                return
            self._rack_labels.update((r, doc.racks[r].label) for r in renamed)
        elif change.racks:
            self._rack_labels.update((r, doc.racks[r].label) for r in change.racks if r in doc.racks)
        index, legs = self.result.index, self.result.state.compiled.leg_count
        cables = set(change.cables)
        if change.names:  # the ends show rack and device names: the cables of those renamed
            devices = set(change.devices) | {d.id for r in change.racks if r in doc.racks for d in doc.racks[r].devices}
            cables.update(c for d in devices for c in doc.device_cables.get(d, ()))
        # A breakout has a row per leg, from its first (model.breakout).
        rows = [index[c] + k for c in cables if c in index for k in range(int(legs[index[c]]))]
        if len(rows) > MAX_SHIFTED:
            self._forget_texts()
            return
        leg = self.result.state.compiled.leg
        for row in rows:
            texts = self._cable_texts(self.result.cable_ids[row], leg=int(leg[row]))
            for name, text in zip(("a", "b", "label", "search"), texts):
                if name in self._texts and self._texts[name][row] != text:
                    self._texts[name][row] = text
                    column = {"a": END_A, "b": END_B, "label": LABEL}.get(name)
                    if column in self._sorted:
                        self._sorted[column].retext(row, text)
                    if name == "search" and self._hits is not None:
                        self._hits[1][row] = self._hits[0] in text

    def _forget_texts(self) -> None:
        self._job.drop()
        self._job_wants = set()
        self._texts.clear()
        self._rack_labels.clear()
        self._sorted.clear()
        self._hits = None
        self._shifting = None

    def _carry_texts(self, result) -> None:
        """The texts, natural orders and search hits of the last result's rows brought to
        `result`'s: shifted by the rows an add or remove moved (gui.docks.cable_texts), else
        written afresh when next read."""
        shifting, self._shifting = self._shifting, set()
        old_ids, (old_index, old_legs) = self._texts_for, self._texts_rows
        self._texts_for = result.cable_ids
        self._texts_rows = (result.index, result.state.compiled.leg_count)
        if not (self._texts or self._sorted or self._hits is not None):
            return
        if not shifting:
            if shifting is None or old_ids != result.cable_ids:
                self._forget_texts()
                self._shifting = set()
            return
        shift = row_shift(old_ids, old_index, result.cable_ids, result.index, old_legs, self._texts_rows[1], shifting)
        in_use = self.sort_column in TEXT_COLUMNS or bool(self.needle)
        if shift is None or (len(shift.gone) + len(shift.added) > FEW_ROWS and not in_use):
            # Many rows moved in texts nothing shows now (a rack of 1,392 cables deleted, the
            # table unsorted: ~0.2 s of copies): written again when next needed, on the worker.
            self._forget_texts()
            self._shifting = set()
            return
        if len(shift.gone) + len(shift.added) > FEW_ROWS:  # only the order on show is carried
            self._sorted = {column: order for column, order in self._sorted.items() if column == self.sort_column}
        leg = result.state.compiled.leg
        added = [self._cable_texts(result.cable_ids[r], leg=int(leg[r])) for r in shift.added.tolist()]
        columns = dict(zip(("a", "b", "label", "search"), (list(t) for t in zip(*added)))) if added else {}
        if self._texts:
            self._texts = {name: shift.texts(texts, columns.get(name, [])) for name, texts in self._texts.items()}
        by_column = {ID: [result.cable_ids[r] for r in shift.added.tolist()]}
        by_column.update({LABEL: columns.get("label", []), END_A: columns.get("a", []), END_B: columns.get("b", [])})
        for column, order in self._sorted.items():
            order.shift(shift, by_column[column])
        if self._hits is not None:
            needle, hits = self._hits
            found = np.array([needle in text for text in columns.get("search", [])], dtype=bool)
            self._hits = (needle, shift.values(hits, found))

    def set_result(self, result) -> None:
        """Shows `result`: every row read again (a model reset)."""
        self.beginResetModel()
        self._take(result)
        self.endResetModel()

    def follow(self, result) -> Before:
        """Shows `result` without a reset, for a view that compares the rows it shows before and
        after (gui.docks.cables_table): the table's rows are places, each showing whichever run
        the arrangement puts there, so rows come or go past the end to match the new count and
        nothing else is announced. A reset made the view lay out and repaint every row on show
        after every edit (~9 ms at 100k accelerators, most of it Qt laying out their texts).
        Returns the last result's rows, for `looks` (held no longer than needed: a snapshot)."""
        before = self._take(result)
        rows, count = self.rows, len(before[1])
        if len(rows) == count:
            return before
        self.rows = before[1]  # the view hears of the change while the count is the old one
        if len(rows) < count:
            self.beginRemoveRows(QModelIndex(), len(rows), count - 1)
            self.rows = rows
            self.endRemoveRows()
        else:
            self.beginInsertRows(QModelIndex(), count, len(rows) - 1)
            self.rows = rows
            self.endInsertRows()
        return before

    def hold(self, result) -> bool:
        """Reads `result` in the rows as arranged for the last one, when it has the same cables in
        the same order (the same id list: a move of racks or devices); True if so, else False and
        nothing changed. For a live drag, whose steps come faster than 300,000 runs re-sort: the
        table held the result from before the drag instead, and with it a whole snapshot's
        columns (~45 MB at 100k accelerators) that the first steps then had to fault in anew.
        Announces nothing: the caller repaints (gui.docks.cables_table re-arranges at rest)."""
        if result.cable_ids is not self.result.cable_ids:
            return False
        self.result = result
        self._reports, self._row_reasons = OrderedDict(), {}
        self._reasons = None
        return True

    def _take(self, result) -> Before:
        """`result` and its rows in place of the last; returns the last with what was read of it."""
        if result.cable_ids is not self._texts_for:
            self._carry_texts(result)
        before = (self.result, self.rows, self._reports, self._row_reasons)
        self.result = result
        self._reports, self._row_reasons = OrderedDict(), {}
        self._reasons = None
        self.rows = self._arrange()
        return before

    def report(self, i: int):
        """Cable row `i`'s report without its reason, problems and route (`reason`, the tooltip)."""
        report = self._reports.get(i)
        if report is None:
            report = self._reports[i] = self.result.cable(i, detail=False)
            if len(self._reports) > REPORT_CACHE:
                self._reports.popitem(last=False)
        else:
            self._reports.move_to_end(i)
        return report

    def reason(self, i: int, row: int) -> str:
        """The reason line of cable row `i`, shown at table row `row`; the reasons of the
        REASON_BLOCK table rows from the block `row` is in are written with it, in one call."""
        if self._reasons is not None:
            return self._reasons[i]
        text = self._row_reasons.get(i)
        if text is None:
            if len(self._row_reasons) > REPORT_CACHE:
                self._row_reasons.clear()
            start = row - row % REASON_BLOCK
            block = [r for r in self.rows[start : start + REASON_BLOCK].tolist() if r not in self._row_reasons]
            self._row_reasons.update(zip(block, reasons(self.result.state, block)))
            text = self._row_reasons[i]
        return text

    def _product_names(self) -> list[str]:
        """Names by product row; the last entry ("") stands for no product (row -1)."""
        return list(self.context.result.product_names) + [""]

    def _cable_texts(
        self, cable_id: str, where: dict[str, tuple[str, str]] | None = None, leg: int = 0
    ) -> tuple[str, str, str, str]:
        """End A, end B (a breakout's leg `leg`), label and search text, as the table shows them
        (model.results.CableEnd.text: rack, U and device by their names, else ids); the search
        text also holds the ends by ids, as files and the command line name them. `where`: as
        `_where` gives it, built once for many."""
        cable = self.context.document.cables[cable_id]
        ref_a, ref_b = cable.a, cable.legs[leg]
        device_a, _, port_a = ref_a.partition(":")
        device_b, _, port_b = ref_b.partition(":")
        where = where or self._where([device_a, device_b])
        (named_a, id_a), (named_b, id_b) = where[device_a], where[device_b]
        a, b = named_a + port_a, named_b + port_b
        label = cable.label or f"{a} ↔ {b}"  # model.metrics' default label
        # The search text holds a label given, not the default one: that is the ends again.
        return a, b, label, f"{cable_id} {cable.label} {a} {b} {id_a}{ref_a} {id_b}{ref_b}".lower()

    def _where(self, device_ids) -> dict[str, tuple[str, str]]:
        """gui.docks.cable_texts.device_places of the document as it stands."""
        return device_places(self.context.document, device_ids)

    # ---- every run's texts: written at once, or on the worker for a big table ----------
    def _written(self, want: set[str]) -> bool:
        """Whether the texts and orders `want` names (as cable_texts.prepare_texts) are
        written for the rows shown. A table of BACKGROUND_RUNS runs or more has the rest
        written on the worker (True once they are: the rows are arranged again then, and
        `pending` says what is awaited meanwhile); a smaller one at once."""
        missing = {name for name in want if not self._has(name)}
        if not missing:
            return True
        if len(self.result.cable_ids) < BACKGROUND_RUNS:
            self._merge(self._prepare(missing))
            return True
        if not missing <= self._job_wants:
            self._job_wants |= missing
            self._start_job()
        return False

    def _has(self, name: str) -> bool:
        kind, _, column = name.partition(":")
        return TEXT_COLUMN[column] in self._sorted if kind == "order" else name in self._texts

    def _writing(self, want: set[str]) -> Callable[[], PreparedTexts]:
        """prepare_texts of `want` for the rows shown, for any thread: what it reads that the
        GUI thread changes (the device ids, the rack names, the texts held) read here, now."""
        doc, result, revision = self.context.document, self.result, self.context.document.revision
        labels = {rack.id: rack.label for rack in doc.site.racks}
        have = dict(self._texts) if all(name in self._texts for name in ("a", "b", "label")) else None
        devices = list(doc.devices)
        return lambda: prepare_texts(doc, result, revision, devices, labels, set(want), have)

    def _prepare(self, want: set[str]) -> PreparedTexts:
        """prepare_texts for the rows shown, of the document as it stands (on this thread)."""
        return self._writing(want)()

    def _start_job(self) -> None:
        self._job_started = self.context.document.revision
        # The texts live on: kept out of later cyclic collections, which walked their 300,000
        # items each (a young pass of 43 ms and an older one of 90 ms at the first sort by Label).
        self._job.start(self._writing(self._job_wants), keep=True)
        self.pendingChanged.emit()

    def _on_prepared(self, prepared: PreparedTexts) -> None:
        """The worker's texts merged and the rows arranged again, if they are still the rows
        shown of the layout as it stands; else written again for those."""
        if prepared.revision != self.context.document.revision or prepared.result.cable_ids is not self._texts_for:
            self._job_wants = {name for name in self._job_wants if not self._has(name)}
            if self._job_wants:
                self._start_job()
            return
        self._merge(prepared)
        self._job_wants = set()
        self._arranged_again()

    def _on_prepare_failed(self, error: BaseException) -> None:
        """A worker's writing failed: written again (on the worker) if the layout changed
        under it, else once more here, where an error is a fault to report as any other."""
        if self.context.document.revision == self._job_started:
            want, self._job_wants = self._job_wants, set()
            with self._waiting():
                self._merge(self._prepare({name for name in want if not self._has(name)}))
            self._arranged_again()
            return
        self._start_job()

    def _arranged_again(self) -> None:
        """The rows arranged with what the worker wrote (a reset), and `pending` told anew."""
        self.beginResetModel()
        self.rows = self._arrange()
        self.endResetModel()
        self.pendingChanged.emit()

    def _merge(self, prepared: PreparedTexts) -> None:
        if "a" in prepared.texts and "a" not in self._texts:  # the ends as written: with these names
            self._rack_labels = dict(prepared.rack_labels)
        for name, texts in prepared.texts.items():
            self._texts.setdefault(name, texts)
        for column, order in prepared.orders.items():
            self._sorted.setdefault(TEXT_COLUMN[column], order)

    def _search_pending(self) -> bool:
        """Whether a needle waits for the worker to write the search texts (the filters then
        keep every run the medium allows: `_kept`)."""
        return bool(self.needle) and "search" not in self._texts and "search" in self._job_wants

    @property
    def pending(self) -> str:
        """What the table awaits from the worker, as a few words ('sorting by End A'), or ''."""
        if not self._job.running:
            return ""
        if self._search_pending():
            return "searching"
        if self.sort_column in TEXT_COLUMNS and self.sort_column not in self._sorted:
            return f"sorting by {COLUMNS[self.sort_column]}"
        return ""

    # ---- sorting and filtering ---------------------------------------------------
    def _arrange(self) -> np.ndarray:
        n = len(self.result.cable_ids)
        keep = self._kept(n)
        if self.sort_column == REASON:
            rows = np.arange(n) if keep is None else np.flatnonzero(keep)
            if len(rows) <= REASON_SORT_LIMIT:
                return rows[self._reason_order(rows)]
            if self._search_pending():
                return rows  # not yet filtered by its text: sorted once it is (_on_prepared)
            # Another layout or a filter let go of brings more runs than sorting by reason takes:
            # they show in the layout's order, and the header says so instead of claiming one.
            self.sort_column = -1
            self.context.say(f"Runs in layout order: {len(rows):,} are too many to sort by reason")
            self.sortKept.emit()
            return rows
        order = self._order(n)
        if keep is None:
            return order  # every row: no mask to build and gather through (~0.7 ms an edit at 100k)
        return order[keep[order]]

    def _kept(self, n: int) -> np.ndarray | None:
        """Which of the `n` cable rows the filters keep ((n,) bool), or None with no filter."""
        if not (self.medium_filter or self.needle):
            return None
        result = self.result
        keep = np.ones(n, dtype=bool)
        if self.medium_filter:
            code = MEDIUM_NAMES.index(self.medium_filter) if self.medium_filter in MEDIUM_NAMES else -1
            keep &= result.medium_code == code
        if self.needle and self._written({"search"}):  # a big table's: once written on the worker
            needle = self.needle.lower()
            if self._hits is None or self._hits[0] != needle:
                texts = self._texts["search"]
                self._hits = (needle, np.fromiter((needle in s for s in texts), dtype=bool, count=n))
            in_text = self._hits[1]
            # Media and products are few: test their names once, then look each cable up.
            medium_hit = np.array([needle in m.lower() for m in MEDIUM_NAMES] + [False])
            product_hit = np.array([needle in p.lower() for p in self._product_names()[:-1]] + [False])
            keep &= in_text | medium_hit[result.medium_code] | product_hit[result.product_row]
        return keep

    def _reason_order(self, rows: np.ndarray) -> np.ndarray:
        """The order of `rows` (cable rows, at most REASON_SORT_LIMIT) by their reasons' natural
        order, as sort_order asks. Every cable's reasons are kept once written; a filtered
        few are written for themselves only."""
        if self._reasons is not None:
            texts = [self._reasons[i] for i in rows.tolist()]
        else:
            texts = reasons(self.result.state, rows)
            if len(rows) == len(self.result.cable_ids):
                self._reasons = texts
        order = natural_order(texts)
        return order[::-1] if self.sort_order == Qt.SortOrder.DescendingOrder else order

    def _order(self, n: int) -> np.ndarray:
        column, result = self.sort_column, self.result
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        if column < 0 or column == REASON:  # by reason: _arrange, over the rows the filters keep
            return np.arange(n)
        if column in NUMERIC:
            values = np.asarray(getattr(result, NUMERIC[column]), dtype=float)
            # Missing figures (no orderable length) go last whichever way the column sorts.
            order = np.argsort(np.where(np.isnan(values), np.inf, values), kind="stable")
            if descending:
                missing = np.isnan(values[order])
                order = np.concatenate([order[~missing][::-1], order[missing]])
            return order
        if column == MEDIUM:
            order = np.argsort(np.where(result.medium_code < 0, len(MEDIUM_NAMES), result.medium_code), kind="stable")
        elif column == PRODUCT:
            names = self._product_names()
            rank = np.empty(len(names), dtype=np.int64)
            rank[natural_order(names[:-1])] = np.arange(len(names) - 1)
            rank[-1] = len(names)  # no product: last
            order = np.argsort(rank[result.product_row], kind="stable")
        else:
            if not self._written({f"order:{TEXT_NAME[column]}"}):
                return np.arange(n)  # the layout's order until the worker has it written
            order = self._sorted[column].order
        return order[::-1] if descending else order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column == REASON:
            keep = self._kept(len(self.result.cable_ids))
            count = len(self.result.cable_ids) if keep is None else int(keep.sum())
            if self._search_pending():  # the filter's count is not known yet: sorted once it is
                self.sort_column, self.sort_order = column, order
                return
            if count > REASON_SORT_LIMIT:
                self.context.say(
                    f"Sorting {count:,} runs by reason would take too long: filter them to "
                    f"{REASON_SORT_LIMIT:,} or fewer first"
                )
                self.sortKept.emit()  # the header back to the order the rows are in
                return
        self.sort_column, self.sort_order = column, order
        if column in TEXT_COLUMNS and not self._written({f"order:{TEXT_NAME[column]}"}):
            return  # the rows stay as they are until the worker has the column in order (_on_prepared)
        self.beginResetModel()
        self.rows = self._arrange()
        self.endResetModel()

    def set_filter(self, needle: str, medium: str) -> None:
        """Shows the runs whose text holds `needle` (any case) and of medium `medium` ('' any,
        'none' no product). A big table's first search has the texts written on the worker:
        the needle applies once they are (`pending` says 'searching' meanwhile)."""
        self.beginResetModel()
        self.needle, self.medium_filter = needle.strip(), medium
        self.rows = self._arrange()
        self.endResetModel()

    @contextmanager
    def _waiting(self) -> Iterator[None]:
        """A wait cursor while every run's texts are written and ordered on this thread, the
        worker having failed (1-3 s at 300,000 cables, when the window cannot paint: a pointer
        that stayed an arrow read as a hang); nothing for a smaller table. The cursor is the
        window system's own, so it shows although the window does not paint meanwhile."""
        if len(self.result.cable_ids) < WAIT_CURSOR_RUNS:
            yield
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            yield
        finally:
            QGuiApplication.restoreOverrideCursor()

    def row_of(self) -> np.ndarray:
        """Cable index → view row (-1 where filtered out)."""
        position = np.full(len(self.result.cable_ids), -1, dtype=np.int64)
        position[self.rows] = np.arange(len(self.rows))
        return position

    # ---- Qt model ----------------------------------------------------------------
    def visible_rows(self):
        return self.rows

    def cable_index(self, row: int) -> int:
        return int(self.rows[row])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid():
            return None  # a painted cell asks for a dozen roles: most at once (~460 calls an edit)
        return self._value(int(self.rows[index.row()]), index.row(), index.column(), role)

    def _value(self, i: int, row: int, column: int, role: int):
        """Cable row `i`'s cell in `column`, shown at table row `row`, in `role` (one of _ROLES)."""
        result = self.result
        if role == Qt.ItemDataRole.DisplayRole:
            return self.reason(i, row) if column == REASON else self._text(i, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == MEDIUM:
            return medium_color(result.medium_of(i))
        if role == Qt.ItemDataRole.ForegroundRole and result.medium_code[i] < 0:
            return QBrush(Qt.GlobalColor.red)
        if role == Qt.ItemDataRole.ToolTipRole and column in (REASON, MEDIUM, PRODUCT):
            problems = [message for _, message in cable_problems(result.state, i)]
            return "\n".join([self.reason(i, row), *problems])
        return None

    def looks(self, rows: list[int], before: Before | None = None) -> list[tuple]:
        """What the table rows `rows` paint, cell by cell in every role a cell is painted from
        (not the tooltip): rows that look alike paint the same pixels. `before` (from
        `follow`): what they painted with the last result (read when painted: cached)."""
        if before is not None:
            now = (self.result, self.rows, self._reports, self._row_reasons, self._reasons)
            self.result, self.rows, self._reports, self._row_reasons = before
            self._reasons = None
            try:
                return self.looks(rows)
            finally:
                self.result, self.rows, self._reports, self._row_reasons, self._reasons = now
        cables = self.rows[rows].tolist()
        return [
            tuple(self._value(i, row, column, role) for column in range(len(COLUMNS)) for role in _PAINTED)
            for row, i in zip(rows, cables)
        ]

    def ids(self, first: int, last: int) -> list[str | None]:
        """The cable id of each table row from `first` to `last`; None past the end."""
        ids = self.result.cable_ids
        return [ids[i] for i in self.rows[first : last + 1].tolist()] + [None] * max(0, last + 1 - len(self.rows))

    def _text(self, i: int, column: int) -> str:
        result = self.result
        if column == ID:
            return result.cable_ids[i]
        if column == MEDIUM:
            return result.medium_of(i) or MISSING
        if column in NUMERIC:
            value = float(getattr(result, NUMERIC[column])[i])
            if np.isnan(value) or (column == COST and np.isnan(result.ordered_length_m[i])):
                return MISSING  # nothing to order has no price (a pin past every reach: model.selection)
            return f"{value:,.0f}" if column == COST else f"{value:.2f}"
        report = self.report(i)
        if column == LABEL:
            return report.label
        if column in (END_A, END_B):
            end = report.a_end if column == END_A else report.b_end
            return end.text  # rack, U, device and port by the names people read
        return report.product_name or MISSING  # PRODUCT (the reason is `reason`'s)

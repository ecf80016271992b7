"""The problems panel: every rule a layout breaks (reach, bend, fill, power, …), by kind.

Problems of one cause are one row with a count ("▸ 32 cables" — "32 cables: no pathway
between racks R1 and R2: … — fix: …", model.problem_groups); double-clicking it shows its
members below it, and again hides them. Double-clicking a problem selects what it is about
and asks the main window, through `jumpRequested(kind, id)`, to bring it into view.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.commands import apply
from gui.context import Selected
from gui.docks import RefreshWhenSeen
from gui.docks.table_model import FixedColumnsModel
from model.commands import AddTray
from model.placement import tray_over
from model.problem_groups import ProblemGroup, group_problems
from model.results import Problem

COLUMNS = ("Severity", "Kind", "Target", "Message")
SELECTABLE = {"rack", "device", "cable", "tray", "port"}  # a 'site' problem has nothing to select
SEVERITY_COLORS = {"error": QColor("#b42318"), "warning": QColor("#b54708")}


class ProblemsModel(FixedColumnsModel):
    columns = COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.all: list[Problem] = []
        self.shown: list[Problem] = []
        # What the table lists: a problem, a group, or a group's member (True) below its open group.
        self.rows: list[tuple[Problem | ProblemGroup, bool]] = []
        self.expanded: set[tuple[str, str, str, str]] = set()
        self.kind = ""
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder

    def set_problems(self, problems: list[Problem]) -> None:
        self.beginResetModel()
        self.all = list(problems)
        self.shown = self._arrange()
        self._lay_out_rows()
        self.endResetModel()

    def set_kind(self, kind: str) -> None:
        self.beginResetModel()
        self.kind = kind
        self.shown = self._arrange()
        self._lay_out_rows()
        self.endResetModel()

    @staticmethod
    def group_key(group: ProblemGroup) -> tuple[str, str, str, str]:
        return group.kind, group.severity, group.target_kind, group.cause

    def _lay_out_rows(self) -> None:
        rows: list[tuple[Problem | ProblemGroup, bool]] = []
        for entry in group_problems(self.shown):
            rows.append((entry, False))
            if isinstance(entry, ProblemGroup) and self.group_key(entry) in self.expanded:
                rows.extend((member, True) for member in entry.members)
        self.rows = rows

    def toggle(self, row: int) -> bool:
        """Opens or closes the group at `row` (its members listed below it); False for a problem row."""
        entry, _ = self.rows[row]
        if not isinstance(entry, ProblemGroup):
            return False
        self.beginResetModel()
        self.expanded ^= {self.group_key(entry)}
        self._lay_out_rows()
        self.endResetModel()
        return True

    def _arrange(self) -> list[Problem]:
        shown = [p for p in self.all if p.kind == self.kind] if self.kind else list(self.all)
        if self.sort_column >= 0:
            key = (
                lambda p: p.severity,
                lambda p: p.kind,
                lambda p: (p.target_kind, p.target_id),
                lambda p: p.message,
            )[self.sort_column]
            shown.sort(key=key, reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        return shown

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.beginResetModel()
        self.sort_column, self.sort_order = column, order
        self.shown = self._arrange()
        self._lay_out_rows()
        self.endResetModel()

    def problem(self, row: int) -> Problem | ProblemGroup:
        return self.rows[row][0]

    def visible_rows(self):
        return self.rows

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        problem, member = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if isinstance(problem, ProblemGroup):
                arrow = "▾" if self.group_key(problem) in self.expanded else "▸"
                target = f"{arrow} {problem.count_text}"
            else:
                target = f"{'    ' if member else ''}{problem.target_kind} {problem.target_id}"
            return (problem.severity, problem.kind, target, problem.message)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QBrush(SEVERITY_COLORS.get(problem.severity, QColor("#30343a")))
        return None


class ProblemsDock(QDockWidget):
    jumpRequested = Signal(str, str)  # target kind, target id: the main window centres the views on it

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__("Problems", parent)
        self.setObjectName("ProblemsDock")
        self.context = context
        self.model = ProblemsModel(self)
        self.kind_filter = QComboBox()
        self.kind_filter.currentIndexChanged.connect(self._on_kind)
        self.count = QLabel()

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.doubleClicked.connect(self._on_double_click)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(QLabel("Show"))
        row.addWidget(self.kind_filter, 1)
        row.addWidget(self.count)
        layout.addLayout(row)
        layout.addWidget(self.view)
        self.setWidget(body)

        # Tabbed away, the panel's tab still shows how many problems there are: only that follows.
        self._refresher = RefreshWhenSeen(self, self.refresh, self.context.panels_wait, unseen=self._title)
        context.analysisUpdated.connect(self._refresher.request)
        self.refresh()

    def refresh(self) -> None:
        problems = self.context.result.problems
        kinds = Counter(p.kind for p in problems)
        wanted = self.model.kind
        self.kind_filter.blockSignals(True)
        try:
            self.kind_filter.clear()
            self.kind_filter.addItem(f"All kinds ({len(problems)})", "")
            for kind in sorted(kinds):
                self.kind_filter.addItem(f"{kind} ({kinds[kind]})", kind)
            at = self.kind_filter.findData(wanted)
            self.kind_filter.setCurrentIndex(max(at, 0))
        finally:
            self.kind_filter.blockSignals(False)
        self.model.kind = wanted if wanted in kinds else ""
        self.model.set_problems(problems)
        self._count()
        self._title()

    def _title(self) -> None:
        """The dock's title (its tab's text: how many problems) and tooltip, from the latest analysis."""
        problems = self.context.result.problems
        errors = sum(1 for p in problems if p.severity == "error")
        self.setWindowTitle(f"Problems ({len(problems)})" if problems else "Problems")
        self.setToolTip(f"{errors} errors, {len(problems) - errors} warnings")

    def _on_kind(self, _index: int) -> None:
        self.model.set_kind(self.kind_filter.currentData() or "")
        self._count()

    def _count(self) -> None:
        shown, total = len(self.model.shown), len(self.model.all)
        self.count.setText(f"{total}" if shown == total else f"{shown} of {total}")

    def tray_fix_racks(self, row: int) -> list[str]:
        """The racks a tray over which would give the cables of a 'no pathway' row (a problem or
        a group) their pathway, in layout order; [] for any other row."""
        entry = self.model.problem(row)
        members = entry.members if isinstance(entry, ProblemGroup) else (entry,)
        if entry.kind != "pathway" or "fix: add a tray" not in entry.message:
            return []
        doc = self.context.document
        wanted = set()
        for problem in members:
            cable = doc.cables.get(problem.target_id) if problem.target_kind == "cable" else None
            if cable is not None:
                for ref in (cable.a, cable.b):
                    rack = doc.device_rack.get(ref.partition(":")[0])
                    if rack is not None:
                        wanted.add(rack.id)
        return [r.id for r in doc.site.racks if r.id in wanted]

    def fix_with_tray(self, row: int) -> bool:
        """Adds the tray the row's fix asks for (one undo step, as Insert → Add Tray over the
        Selected Racks); False when the row has no such fix."""
        return self._add_tray_over(self.tray_fix_racks(row))

    def _add_tray_over(self, racks: list[str]) -> bool:
        doc = self.context.document
        tray = tray_over(doc, [doc.racks[r] for r in racks if r in doc.racks]) if racks else None
        return tray is not None and apply(self.context, AddTray(doc, tray))

    def fix_menu(self, pos) -> QMenu | None:
        """The right-click menu at `pos` (view coordinates): the fix of a 'no pathway' row, or None."""
        index = self.view.indexAt(pos)
        racks = self.tray_fix_racks(index.row()) if index.isValid() else []
        if not racks:
            return None
        menu = QMenu(self.view)
        menu.addAction(f"Add a Tray over Racks {', '.join(racks)}", lambda: self._add_tray_over(racks))
        menu.aboutToHide.connect(menu.deleteLater)
        return menu

    def _on_context_menu(self, pos) -> None:
        menu = self.fix_menu(pos)
        if menu is not None:
            menu.popup(self.view.viewport().mapToGlobal(pos))

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid() and not self.model.toggle(index.row()):
            problem = self.model.problem(index.row())
            if isinstance(problem, Problem):
                self.jump_to(problem)

    def jump_to(self, problem: Problem) -> None:
        """Selects what `problem` is about and asks the views to show it."""
        if problem.target_kind not in SELECTABLE:
            self.context.say(problem.message)
            return
        self.context.set_selection([Selected(problem.target_kind, problem.target_id)])
        self.jumpRequested.emit(problem.target_kind, problem.target_id)

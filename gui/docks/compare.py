"""The Compare panel: the base and the layout's scenarios side by side.

Columns are designs (the base first), rows are model.compare.compare_rows (counts, power
and cost by medium, attach ratios, equivalent 800G / 1.6T per accelerator, problems, cost
of ownership), each scenario's figure followed by its difference to the base. Bar charts
show cable cost, cable power and cost of ownership by design. "New scenario…" makes one
from the current layout in a dialog; adding and removing go through undoable commands.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.background import BackgroundJob
from gui.docks import ALARM_STYLE, RefreshWhenSeen
from gui.docks.charts import _plot
from model.catalog import Catalog
from model.commands_scenarios import add_scenario, remove_scenario
from model.compare import ScenarioResult, compare_rows, compare_what_applies, format_delta, format_value
from model.errors import LayoutError
from model.layout import ProductOverride, Scenario
from model.scenarios import BASE

POLICIES = [("as chosen", "as-chosen"), ("copper runs as AEC", "copper-aec"), ("everything optical", "all-optical")]
OBJECTIVES = [("as the layout", None), ("cost", "cost"), ("power", "power"), ("cost of ownership", "tco")]


class ScenarioBars:
    """One bar per design of one figure (cost, power or cost of ownership)."""

    def __init__(self, title: str, unit: str) -> None:
        self.widget = _plot(title, unit, "")
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=pg.mkBrush("#4c78a8"))
        self.widget.addItem(self.bars)
        self.values: list[float] = []

    def set_values(self, names: list[str], values: list[float]) -> None:
        """Draws `values` (one per design, named by `names`)."""
        self.values = list(values)
        self.bars.setOpts(x=np.arange(len(values)), height=np.array(values, dtype=float))
        self.widget.getAxis("bottom").setTicks([list(enumerate(names))])
        self.widget.setXRange(-0.6, max(len(values), 1) - 0.4, padding=0)
        self.widget.setYRange(0, max(max(values, default=0.0), 1.0) * 1.08, padding=0)


def _cell_text(row, column: int) -> str:
    """A figure of the comparison as shown: its value, and for a scenario its change from the base."""
    value = row.values[column]
    delta = format_delta(value, row.values[0], row.spec) if column else ""
    return format_value(value, row.spec) + (f"  ({delta})" if delta else "")


class ScenarioDialog(QDialog):
    """A new scenario made from the current design (the base, or the scenario on show, whose
    overrides it starts from): its name and overrides, one catalog product's edit among them."""

    def __init__(
        self,
        taken: set[str],
        parent: QWidget | None = None,
        catalog: Catalog | None = None,
        start: Scenario | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New scenario")
        self.taken = taken
        self.name = QLineEdit(self._free_name())
        self.policy = QComboBox()
        for text, value in POLICIES:
            self.policy.addItem(text, value)
        self.lane_rate = QDoubleSpinBox()
        self.lane_rate.setRange(0, 1000)
        self.lane_rate.setSpecialValueText("as the ports")
        self.lane_rate.setSuffix(" Gb/s per lane")
        self.objective = QComboBox()
        for text, objective in OBJECTIVES:
            self.objective.addItem(text, objective)
        self.slack = QDoubleSpinBox()
        self.slack.setRange(-0.01, 10)
        self.slack.setSingleStep(0.1)
        self.slack.setValue(-0.01)
        self.slack.setSpecialValueText("as the layout")
        self.slack.setSuffix(" m")
        self.tray_height = QDoubleSpinBox()
        self.tray_height.setRange(-1, 10_000)
        self.tray_height.setValue(-1)
        self.tray_height.setSingleStep(50)
        self.tray_height.setSpecialValueText("as the layout")
        self.tray_height.setSuffix(" mm")
        # One product's price, power and failure rate ("as the catalog" where left alone).
        self.product = QComboBox()
        self.product.addItem("none", None)
        for product in catalog.cables.values() if catalog else ():
            self.product.addItem(f"{product.name} ({product.id})", product.id)
        self.price = self._optional(100_000, " USD per cable", 10)
        self.power = self._optional(10_000, " W", 0.5)
        self.afr = self._optional(100, " % per year", 0.1)
        self.refusal = QLabel()
        self.refusal.setStyleSheet(ALARM_STYLE)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Media", self.policy)
        form.addRow("Lane rate", self.lane_rate)
        form.addRow("Objective", self.objective)
        form.addRow("Service slack", self.slack)
        form.addRow("Tray height", self.tray_height)
        form.addRow("Edit product", self.product)
        form.addRow("  price", self.price)
        form.addRow("  power", self.power)
        form.addRow("  failure rate", self.afr)
        form.addRow(self.refusal)
        if start is not None:
            self._start_from(start)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def _optional(top: float, suffix: str, step: float) -> QDoubleSpinBox:
        """A spin box whose lowest value reads 'as the catalog' (no override)."""
        box = QDoubleSpinBox()
        box.setRange(-1, top)
        box.setValue(-1)
        box.setSingleStep(step)
        box.setSpecialValueText("as the catalog")
        box.setSuffix(suffix)
        return box

    def _start_from(self, start: Scenario) -> None:
        """Fills the form with `start`'s overrides (a new scenario made from the one on show)."""
        self.policy.setCurrentIndex(max(0, self.policy.findData(start.medium_policy)))
        self.lane_rate.setValue(start.lane_rate_gbps or 0)
        if start.objective is not None:
            self.objective.setCurrentIndex(max(0, self.objective.findData(start.objective)))
        self.slack.setValue(start.service_slack_m if start.service_slack_m is not None else -0.01)
        self.tray_height.setValue(start.tray_elevation_mm if start.tray_elevation_mm is not None else -1)
        if start.products:
            edit = start.products[0]
            self.product.setCurrentIndex(max(0, self.product.findData(edit.product)))
            self.price.setValue(edit.fixed_usd if edit.fixed_usd is not None else -1)
            self.power.setValue(edit.power_w if edit.power_w is not None else -1)
            self.afr.setValue(edit.afr_percent if edit.afr_percent is not None else -1)

    def _free_name(self) -> str:
        n = len(self.taken) + 1
        while f"Scenario {n}" in self.taken:
            n += 1
        return f"Scenario {n}"

    def scenario(self) -> Scenario:
        """The scenario the form describes. Raises ValueError (pydantic's) for a bad name."""
        return Scenario(
            name=self.name.text().strip(),
            medium_policy=self.policy.currentData(),
            lane_rate_gbps=self.lane_rate.value() or None,
            objective=self.objective.currentData(),
            service_slack_m=self.slack.value() if self.slack.value() >= 0 else None,
            tray_elevation_mm=self.tray_height.value() if self.tray_height.value() >= 0 else None,
            products=self._product_edits(),
        )

    def _product_edits(self) -> list[ProductOverride]:
        product = self.product.currentData()
        if product is None:
            return []

        def given(box: QDoubleSpinBox) -> float | None:
            return box.value() if box.value() >= 0 else None

        edit = ProductOverride(product=product, fixed_usd=given(self.price), power_w=given(self.power))
        edit = edit.model_copy(update={"afr_percent": given(self.afr)})
        if edit.fixed_usd is not None:
            edit = edit.model_copy(update={"per_m_usd": 0.0})  # the price given is the cable's
        return [edit] if any(v is not None for v in (edit.fixed_usd, edit.power_w, edit.afr_percent)) else []

    def _accept(self) -> None:
        try:
            scenario = self.scenario()
        except ValueError as exc:
            self.refusal.setText(str(exc).splitlines()[-1 if len(str(exc).splitlines()) < 3 else 2].strip())
            return
        if scenario.name in self.taken or scenario.name.casefold() == "base":
            self.refusal.setText(f"a scenario named {scenario.name!r} exists already")
            return
        self.accept()


# From here the scenarios are analysed on the worker (a full analysis each: ~0.1 s at 20,000 cables).
BACKGROUND_CABLES = 20_000
ANALYSE_AFTER_MS = 500  # ... once the edits have paused this long


def _refusals(refused: dict[str, LayoutError]) -> str:
    """What the panel says above the designs it could analyse of those it could not."""
    return "; ".join(exc.message for exc in refused.values())


class _Stale(Exception):
    """The layout changed while the worker analysed its scenarios: nothing to show."""


class CompareDock(QDockWidget):
    """The designs side by side, with charts; edits of scenarios are undoable."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__("Compare", parent)
        self.setObjectName("CompareDock")
        self.context = context
        self.items: list[ScenarioResult] = []
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.cost_chart = ScenarioBars("Cable cost by design", "USD")
        self.power_chart = ScenarioBars("Cable power by design", "W")
        self.tco_chart = ScenarioBars("Cost of ownership by design", "USD")
        self.new_button = QPushButton("New scenario…")
        self.remove_button = QPushButton("Remove scenario")
        self.refusal = QLabel()
        self.refusal.setStyleSheet(ALARM_STYLE)
        self.new_button.clicked.connect(self.new_scenario)
        self.remove_button.clicked.connect(self.remove_current)

        body = QWidget()
        layout = QVBoxLayout(body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.refusal)
        # The panel sits low and wide under the drawings: the table beside the charts, and the
        # charts as tabs, each with the panel's full height (three side by side under the
        # table left each a title and no bars on a laptop).
        self.charts = QTabWidget()
        for chart, tab in (
            (self.cost_chart, "Cost"),
            (self.power_chart, "Power"),
            (self.tco_chart, "Cost of ownership"),
        ):
            self.charts.addTab(chart.widget, tab)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.table)
        self.split.addWidget(self.charts)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        layout.addWidget(self.split, 1)
        scroll = QScrollArea()  # the panel never forces the window taller than the screen
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setWidget(scroll)
        self._rows: list = []  # the figures on show (compare_rows), kept when `items` let go
        self._names: list[str] = []  # the designs on show, one a column
        self._refused: list[str] = []  # the scenarios that could not be analysed, by name
        self._job = BackgroundJob(self)  # scenarios of a big layout analysed on the worker (refresh)
        self._job.finished.connect(self._on_analysed)
        self._job.failed.connect(self._on_failed)
        self._work: Callable[[], object] | None = None  # the analysis the worker takes next
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(ANALYSE_AFTER_MS)
        self._pause.timeout.connect(self._start_work)
        self._refresher = RefreshWhenSeen(self, self.refresh, self.context.panels_wait, unseen=self._let_go)
        context.analysisUpdated.connect(self._refresher.request)
        context.layoutSwapped.connect(self._forget_layout)
        self.refresh()

    def _forget_layout(self) -> None:
        """Another layout is about to be shown: the last one's figures go at once. They stayed
        under 'Analysing N scenarios…' until the worker had the new layout's (the built-in
        sample's 160 cables shown for a 20,000-cable file opened: a fresh user's find)."""
        self._let_go()
        self._show([])

    # ---- drawing -----------------------------------------------------------------
    def refresh(self) -> None:
        """Analyses the base and every scenario of the layout and shows them. The base is the
        live analysis (kept current edit by edit) and the scenario on show is the context's:
        only the other scenarios are analysed again, for a layout of BACKGROUND_CABLES cables
        or more on the worker (a full analysis each: at 100,000 accelerators one scenario held
        the window ~1.8 s after every edit while the panel was seen); the panel says so meanwhile."""
        doc = self.context.document
        known = {BASE: self.context.analysis.result}
        shown = self.context.scenario_result  # None while a live drag defers it (gui.context)
        if shown is not None:
            known[self.context.active_scenario] = shown
        others = [s for s in doc.site.scenarios if s.name not in known]
        if BASE not in known:
            others.append(None)
        if len(doc.cables) < BACKGROUND_CABLES or not others:
            self._job.drop()
            self._pause.stop()
            self._work = None
            try:
                items, refused = compare_what_applies(doc.site, doc.catalog, known=known)
            except LayoutError as exc:
                self._show([], str(exc))
                return
            self._show(items, _refusals(refused), refused=list(refused))
            return
        site, catalog, revision = doc.site, doc.catalog, doc.revision

        def analysed() -> tuple[int, list[ScenarioResult], list, dict[str, LayoutError]]:
            items, refused = compare_what_applies(site, catalog, known=known)
            if doc.revision != revision:  # an edit while the worker read the layout: a mix
                raise _Stale
            # The figures too (the runs whose medium changed: a pass over every cable).
            return revision, items, compare_rows(items), refused

        # After a pause in the edits: the worker shares the interpreter with the window, and an
        # edit made while it analyses took ~3x as long (0.05 -> 0.15 s at 100,000 accelerators).
        self._job.drop()
        self._work = analysed
        self._pause.start()
        count = len(others)
        self.refusal.setStyleSheet("")
        self.refusal.setText(f"Analysing {count} scenario{'' if count == 1 else 's'} of {len(doc.cables):,} cables…")
        # Until then the table's columns are not the layout's scenarios: Remove would take a
        # wrong one (a good scenario went, taken for one that could not be analysed).
        self.remove_button.setEnabled(False)

    def _start_work(self) -> None:
        if self._work is not None:
            work, self._work = self._work, None
            # Kept out of later cyclic collections: the first young one after it walked the
            # scenario's ~2.8 million list items at 300,000 cables, holding the window 105-155 ms.
            self._job.start(work, keep=True)

    def _on_analysed(self, outcome: tuple[int, list[ScenarioResult], list, dict[str, LayoutError]]) -> None:
        revision, items, rows, refused = outcome
        if revision == self.context.document.revision:
            self._show(items, _refusals(refused), rows=rows, refused=list(refused))

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, _Stale):
            return  # the edit that made it stale asks for another refresh
        if not isinstance(error, LayoutError):
            raise error
        self._show([], str(error))

    def _show(
        self, items: list[ScenarioResult], refusal: str = "", rows: list | None = None, refused: list[str] | None = None
    ) -> None:
        """`items` in the table and the charts, their figures `rows` (compare_rows of them, made
        here when None); `refusal` (why some or none could be analysed) above them; `refused`:
        the scenarios that could not be, by name."""
        self.items = items
        self._refused = refused or []
        self._refuse(refusal)
        if rows is None:
            rows = compare_rows(self.items) if self.items else []
        names = [i.name for i in self.items]
        texts = [[_cell_text(row, c) for c in range(len(row.values))] for row in rows]
        labels = [r.label for r in rows]
        shown = (self._names, [r.label for r in self._rows])  # the table's designs and figures
        self._rows, self._names = rows, names
        if (names, labels) == shown:
            # The same designs and figures (an edit): only the cells whose text changed are
            # written, and the columns sized again only then (the whole table cleared, filled
            # and sized was ~10-20 ms of every edit at 100,000 accelerators).
            changed = False
            for r, line in enumerate(texts):
                for c, text in enumerate(line):
                    item = self.table.item(r, c)
                    if item is None:
                        self.table.setItem(r, c, QTableWidgetItem(text))
                        changed = True
                    elif item.text() != text:
                        item.setText(text)
                        changed = True
            if changed:
                self.table.resizeColumnsToContents()
        else:
            self.table.clear()
            self.table.setColumnCount(len(names))
            self.table.setRowCount(len(rows))
            self.table.setHorizontalHeaderLabels(names)
            self.table.setVerticalHeaderLabels(labels)
            for r, line in enumerate(texts):
                for c, text in enumerate(line):
                    self.table.setItem(r, c, QTableWidgetItem(text))
            self.table.resizeColumnsToContents()
        self.cost_chart.set_values(names, [float(i.result.totals["cost_usd"]) for i in self.items])  # type: ignore[arg-type]
        self.power_chart.set_values(names, [float(i.result.totals["cable_power_w"]) for i in self.items])  # type: ignore[arg-type]
        self.tco_chart.set_values(names, [i.tco.total[-1] if i.tco.total else 0.0 for i in self.items])
        # Any scenario, even one that could not be analysed (shown only in the refusal).
        self.remove_button.setEnabled(bool(self.context.document.site.scenarios))

    def _refuse(self, text: str) -> None:
        """`text` (why something was refused; '' for nothing) above the table, as an alarm."""
        self.refusal.setStyleSheet(ALARM_STYLE)
        self.refusal.setText(text)

    def _let_go(self) -> None:
        """A newer analysis came while the panel is not seen: the designs analysed for it are let
        go (the table and charts keep what they show; a full refresh follows when it is seen).
        Held, the base's snapshot and every scenario's analysis outlived all edits after: at
        100,000 accelerators ~45 MB of columns for the base alone, and a full analysis a scenario."""
        self.items = []
        self._job.drop()
        self._pause.stop()
        self._work = None

    def cell(self, row_label: str, design: str) -> str:
        """The text shown for one figure (row label) of one design (column name)."""
        rows = [r.label for r in self._rows]
        item = self.table.item(rows.index(row_label), self._names.index(design))
        return item.text() if item is not None else ""

    # ---- edits -------------------------------------------------------------------
    def add(self, scenario: Scenario) -> None:
        """Adds `scenario` to the layout as one undoable edit; a refusal is shown in the panel."""
        try:
            self.context.push(add_scenario(self.context.document, scenario))
        except LayoutError as exc:
            self._refuse(str(exc))

    def new_scenario(self) -> None:
        """Asks for a scenario in a dialog (made from the current layout) and adds it."""
        doc = self.context.document
        active = next((s for s in doc.site.scenarios if s.name == self.context.active_scenario), None)
        dialog = ScenarioDialog({s.name for s in doc.site.scenarios}, self, doc.catalog, active)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add(dialog.scenario())

    def remove_current(self) -> None:
        """Removes the scenario of the selected column, undoably; with none (or several)
        selected, the first that could not be analysed, else the last one."""
        scenarios = self.context.document.site.scenarios
        if not scenarios:
            return
        # The selection, not the current cell: its focus frame stays after a ctrl+click let go.
        columns = {index.column() for index in self.table.selectionModel().selectedIndexes()}
        chosen = [self._names[c] for c in columns if 0 < c < len(self._names)]
        fallback = self._refused[0] if self._refused else scenarios[-1].name
        name = chosen[0] if len(chosen) == 1 else fallback
        try:
            self.context.push(remove_scenario(self.context.document, name))
        except LayoutError as exc:
            self._refuse(str(exc))

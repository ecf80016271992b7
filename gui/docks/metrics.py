"""The metrics panel: totals by medium, rack power against budget, attach ratios, charts.

Everything here reads the analysis result's totals and numpy columns, so a redraw
costs the same for 200 cables or 200,000. A redraw happens once per event-loop turn
and only while the panel can be seen (gui.docks.RefreshWhenSeen).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.colors import RACK_OVER_BUDGET, medium_color
from gui.commands import submit
from gui.docks import ALARM_STYLE, COMPACT_DOLLARS, RefreshWhenSeen, dollars, dollars_short, rate, watts
from gui.docks.charts import MEDIA, LengthHistogram, MediumBars, TcoLines
from model.commands_properties import UpdateSettings

NOT_ORDERABLE_ROW = "of these, not orderable"  # pinned past every reach: counted in their medium's row, not costed

OBJECTIVES = (("Lowest cost", "cost"), ("Lowest power", "power"), ("Lowest cost of ownership (TCO)", "tco"))
# The unit in the heading, not in every cell: five columns of "23.0 kW" do not fit a laptop's panel.
RACK_COLUMNS = ("Devices\nkW", "Cables\nkW", "Total\nkW", "Budget\nkW", "Use")
RACK_ROWS = 100  # racks listed one by one in the rack power table
RACK_NAME_PX = 96  # longer rack names are elided (the full name is the row's tooltip)


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, list[str]]], max_rows: int = 12) -> list[list[QTableWidgetItem]]:
    """Rows of (heading, cells); numbers align right; the table is as tall as its rows (up to max_rows).

    Returns the items written, row by row, for the caller to colour.
    """
    table.setRowCount(len(rows))
    table.setVerticalHeaderLabels([heading for heading, _ in rows])
    written: list[list[QTableWidgetItem]] = []
    for r, (_, cells) in enumerate(rows):
        written.append([])
        for c, text in enumerate(cells):
            item = table.item(r, c)
            if item is None:
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
            item.setText(text)
            item.setBackground(QBrush())  # not setData(role, None): PySide6 6.12 then drops a reference to None
            item.setForeground(QBrush())  # a reused row keeps no colour of the row it was (a red 'No product')
            written[-1].append(item)
    shown = min(len(rows), max_rows)
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    table.setFixedHeight(height + shown * table.verticalHeader().defaultSectionSize())
    return written


class MetricsDock(QDockWidget):
    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__("Metrics", parent)
        self.setObjectName("MetricsDock")
        self.context = context
        self.loading = False

        self.objective = QComboBox()
        for text, value in OBJECTIVES:
            self.objective.addItem(text, value)
        self.objective.setToolTip("What the engine minimises when it chooses a product for each run")
        # Its longest choice would set the dock's width: on a laptop the tables then need a scroll bar.
        self.objective.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.objective.setMinimumContentsLength(12)
        self.objective.currentIndexChanged.connect(self._on_objective)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.refusal = QLabel()
        self.refusal.setStyleSheet(ALARM_STYLE)
        self.refusal.hide()
        self.media_table = _table(["Cables", "Power", "Cost"])
        self.ratio_table = _table(["Per accelerator"])
        self.rack_table = _table(list(RACK_COLUMNS))
        self.rack_table.verticalHeader().setMaximumWidth(RACK_NAME_PX)
        self.cost_chart = MediumBars("Cable cost by medium", "USD")
        self.power_chart = MediumBars("Cable power by medium", "W")
        self.lengths_chart = LengthHistogram()
        self.tco_chart = TcoLines()

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        row = QHBoxLayout()
        row.addWidget(QLabel("Choose cables for"))
        row.addWidget(self.objective, 1)
        layout.addLayout(row)
        layout.addWidget(self.refusal)
        layout.addWidget(self.summary)
        for title, widget in (
            ("Cables by medium", self.media_table),
            ("Attach ratios", self.ratio_table),
            ("Rack power against budget", self.rack_table),
        ):
            heading = QLabel(title)
            heading.setStyleSheet("font-weight: bold;")
            layout.addWidget(heading)
            layout.addWidget(widget)
        for chart in (self.tco_chart, self.cost_chart, self.power_chart, self.lengths_chart):
            layout.addWidget(chart.widget)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setWidget(scroll)

        self._header_tips: list[str] = []  # the rack table's row header tooltips, as set
        self._refresher = RefreshWhenSeen(self, self.refresh, self.context.panels_wait)
        context.analysisUpdated.connect(self._refresher.request)
        self.refresh()

    # ---- drawing -----------------------------------------------------------------
    def refresh(self) -> None:
        result = self.context.result
        self.loading = True
        try:
            # The design shown's objective: a scenario that sets its own is shown with it, and
            # the switch is not the layout's to change then (it changed the base's, unseen).
            objective = result.state.settings.objective
            self.objective.setCurrentIndex(max(0, self.objective.findData(objective)))
            scenario = self.context.active_scenario
            overridden = next(
                (s.name for s in self.context.document.site.scenarios if s.name == scenario and s.objective), None
            )
            self.objective.setEnabled(overridden is None)
            self.objective.setToolTip(
                f"Set by scenario {overridden!r}: the Design switch's base shows the layout's own"
                if overridden is not None
                else "What the engine minimises when it chooses a product for each run"
            )
        finally:
            self.loading = False
        totals = result.totals
        self.summary.setText(
            f"{result.accelerators:,} accelerators · {totals['cables']:,} cable runs · "
            f"{watts(totals['power_w'])} in all (devices {watts(totals['device_power_w'])}, "
            f"cables {watts(totals['cable_power_w'])}) · cables cost {dollars(totals['cost_usd'])}"
        )
        self._media(result)
        self._ratios(result)
        self._racks(result)
        self.cost_chart.set_values({m: t.cost_usd for m, t in result.by_medium.items()})
        self.power_chart.set_values({m: t.power_w for m, t in result.by_medium.items()})
        self.lengths_chart.set_lengths(result.lengths_by_medium)
        tco = result.tco
        self.tco_chart.set_years(tco.years, tco.by_medium, tco.total)

    def _media(self, result) -> None:
        costs = [t.cost_usd for t in result.by_medium.values()]
        rows = [(m, [f"{t.count:,}", watts(t.power_w), dollars_short(t.cost_usd)]) for m, t in result.by_medium.items()]
        unresolved = result.totals.get("unresolved", 0)
        if unresolved:
            rows.append(("No product", [f"{unresolved:,}", "", ""]))
            costs.append(None)
        unorderable = result.totals.get("unorderable", 0)
        if unorderable:  # counted in their medium's row above too, but not in its cost
            rows.append((NOT_ORDERABLE_ROW, [f"{unorderable:,}", "", ""]))
            costs.append(None)
        totals = result.totals
        rows.append(
            ("Total", [f"{totals['cables']:,}", watts(totals["cable_power_w"]), dollars_short(totals["cost_usd"])])
        )
        costs.append(totals["cost_usd"])
        items = _fill(self.media_table, rows)
        for r, cost in enumerate(costs):  # the exact cost where the cell gives millions
            items[r][2].setToolTip(dollars(cost) if cost is not None and abs(cost) >= COMPACT_DOLLARS else "")
        for r, (heading, _) in enumerate(rows):
            if heading in MEDIA:
                self.media_table.verticalHeaderItem(r).setForeground(QBrush(medium_color(heading)))
            if heading in ("No product", NOT_ORDERABLE_ROW):
                for item in items[r]:
                    item.setForeground(QBrush(Qt.GlobalColor.red))

    def _ratios(self, result) -> None:
        def per(value: float) -> str:
            return f"{value:.2f}" if result.accelerators else "—"  # no accelerators: no ratio, not 0.00

        rows = [(f"{m} cables", [per(result.attach_ratios.get(m, 0.0))]) for m in MEDIA]
        if result.leg_attach_ratios != result.attach_ratios:  # breakouts: the links they split into, too
            rows += [(f"{m} links", [per(result.leg_attach_ratios.get(m, 0.0))]) for m in MEDIA]
        for key, value in result.equivalent_per_accelerator.items():
            rows.append((f"{rate(float(key))} equivalent", [per(value)]))
        _fill(self.ratio_table, rows)
        tip = (
            "Cables: bought per accelerator (a breakout once); links: used per accelerator (each "
            "breakout leg). Equivalent cables at rate R: the bandwidth of every link touching an "
            "accelerator, divided by R and by the number of accelerators"
        )
        self.ratio_table.setToolTip(tip if result.accelerators else "No accelerators in this layout")

    def _racks(self, result) -> None:
        # A 100k hall has 4,000 racks: writing them all took ~0.3 s per edit, and an object per
        # rack ~15 ms. The most loaded are listed from the rack columns, the rest summed in one
        # row that says how loaded the most loaded of them is.
        f, ids = result.rack_figures, result.rack_ids
        device, cable, budget = f["device_w"], f["cable_w"], f["budget_w"]
        with np.errstate(divide="ignore", invalid="ignore"):
            use = np.where(budget != 0, (device + cable) / np.where(budget != 0, budget, 1.0), np.inf)
        order = np.argsort(-use, kind="stable")  # the most loaded racks first, ties in layout order
        shown, rest = order[:RACK_ROWS].tolist(), order[RACK_ROWS:]
        over_budget = set(result.racks_over_budget.tolist())
        labels = self.context.document.racks
        rows = []
        tips = []
        for i in shown:
            label = labels[ids[i]].label if ids[i] in labels else ids[i]
            total = float(device[i]) + float(cable[i])
            share = f"{float(use[i]):.0%}" if budget[i] else "no budget"
            figures = (float(device[i]), float(cable[i]), total, float(budget[i]))
            rows.append((label, [f"{w / 1000:,.1f}" for w in figures] + [share]))
            tips.append((figures, label))
        if len(rest):
            device_sum, cable_sum = sum(device[rest].tolist()), sum(cable[rest].tolist())
            figures = (device_sum, cable_sum, device_sum + cable_sum, sum(budget[rest].tolist()))
            most = float(use[rest].max())
            share = f"≤ {most:.0%}" if most != float("inf") else "no budget"
            rows.append((f"{len(rest):,} more", [f"{w / 1000:,.1f}" for w in figures] + [share]))
            tips.append((figures, f"{len(rest):,} more racks, less loaded than those above: their sums"))
        items = _fill(self.rack_table, rows, max_rows=10)
        over = QBrush(RACK_OVER_BUDGET)
        header_tips = [tip for _, tip in tips]
        for r, (figures, tip) in enumerate(tips):
            for item, w in zip(items[r], figures):
                item.setToolTip(watts(w))
            if r >= len(self._header_tips) or self._header_tips[r] != tip:
                # Only a rack name that changed row: each header item looked up was ~0.1 ms,
                # ~10 ms an edit for the 100 rows a big hall lists.
                self.rack_table.verticalHeaderItem(r).setToolTip(tip)
            if r < len(shown) and shown[r] in over_budget:
                for item in items[r]:
                    item.setBackground(over)
        self._header_tips = header_tips

    def rack_over_budget(self, row: int) -> bool:
        """Whether row `row` of the rack table is drawn as over budget."""
        item = self.rack_table.item(row, 0)
        return item is not None and item.background().color() == RACK_OVER_BUDGET

    # ---- edits -------------------------------------------------------------------
    def _on_objective(self, _index: int) -> None:
        if self.loading:
            return
        message = submit(self.context, UpdateSettings(self.context.document, objective=self.objective.currentData()))
        self.refusal.setText(message)
        self.refusal.setVisible(bool(message))

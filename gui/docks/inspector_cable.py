"""The inspector's cable page: a run's ends, the product the engine chose and why, and the pins.

The designer can pin a medium or a product (or mark the run as flexed); each change is
one undo command through the dock's `edit_cable`, and a pin that contradicts another
(a product of another medium) clears the other so the run stays consistent.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox

from gui.docks import MISSING, Facts, dollars, metres, rate, watts
from model.catalog import MEDIA_ORDER, CableProduct, link_products
from model.defaults import default
from model.errors import LayoutError
from model.rules import cable_port_specs, compatible_rate

COMBO_CHARS = 10  # a product combo as wide as this many characters; the popup shows whole names


def end_text(end) -> str:
    return end.text  # rack, U, device and port by the names people read


class CableFacts(Facts):
    """A cable run: its ends, the product the engine chose and why, and the designer's pins."""

    def __init__(self, dock) -> None:
        super().__init__()
        self.dock = dock
        self.fact("id", "Cable")
        self.label_edit = self.line_edit("label", "Label", lambda text: dock.edit_cable(label=text))
        for key, label in (("a", "End A"), ("b", "End B"), ("rate", "Rate"), ("medium", "Medium")):
            self.fact(key, label)
        for key, label in (("product", "Product"), ("gauge", "Gauge"), ("length", "Run length")):
            self.fact(key, label)
        for key, label in (("ordered", "Ordered length"), ("power", "Power"), ("cost", "Cost")):
            self.fact(key, label)
        self.fact("latency", "Latency")
        self.fact("reason", "Why")
        self.fact("problems", "Problems")
        self.medium_combo = self.editor("pinned_medium", "Pinned medium", QComboBox())
        self.medium_combo.currentIndexChanged.connect(self._on_medium)
        self.product_combo = self.editor("pinned_product", "Pinned product", QComboBox())
        for combo in (self.medium_combo, self.product_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(COMBO_CHARS)
        self.product_combo.currentIndexChanged.connect(self._on_product)
        self.flexed_box = self.editor("flexed", "Flexed", QCheckBox("in a moving part"))
        flexed, laid = default("cabling", "bend_multiplier_flexed"), default("cabling", "bend_multiplier_static")
        self.flexed_box.setToolTip(
            f"The run flexes (a drawer, a door): its bends are checked at {flexed:g} × OD, not {laid:g} × OD"
        )
        self.flexed_box.toggled.connect(lambda on: dock.edit_cable(flexed=on))

    def candidates(self, cable) -> list[CableProduct]:
        """The catalog's products that fit this cable's connector, rate and lanes."""
        doc = self.dock.context.document
        try:
            spec_a, spec_b = cable_port_specs(cable, doc.devices, doc.catalog, "cable")
            run_rate = compatible_rate(spec_a, spec_b, cable.rate_gbps)
        except (LayoutError, ValueError):
            return []
        if cable.is_breakout:  # the breakouts of this split: end a's plug, the legs' count and plug
            found = [
                p
                for p in doc.catalog.cables.values()
                if p.legs is not None
                and p.connector_key == f"{spec_a.connector} → {len(cable.legs)} × {spec_b.connector}"
                and p.lanes == spec_a.lanes
            ]
        else:
            found = link_products(doc.catalog, spec_a, spec_b, run_rate)
        order = {m.value: i for i, m in enumerate(MEDIA_ORDER)}
        return sorted(found, key=lambda p: (order[p.medium.value], p.reach_m, p.name))

    def load(self, cable_id: str) -> None:
        doc = self.dock.context.document
        cable = doc.cables[cable_id]
        report = self.dock.context.result.cable(cable_id)
        self.set("id", cable.id)
        self.set_line(self.label_edit, cable.label)
        self.label_edit.setPlaceholderText(report.label)
        self.set("a", end_text(report.a_end))
        self.set("b", self._end_b(cable, report))
        self.set("rate", rate(report.rate_gbps))
        self.set("medium", report.medium or "no product fits", alarm=report.medium is None)
        self.set("product", self._product_text(report))
        self.set("gauge", f"{report.gauge_awg} AWG" if report.gauge_awg else MISSING)
        self.set("length", metres(report.length_m))
        self.set("ordered", metres(report.ordered_length_m))
        self.set("power", watts(report.power_w))
        # Nothing to order has no price: '—' as in the cables table (a pin past every reach).
        self.set("cost", dollars(report.cost_usd) if report.ordered_length_m is not None else MISSING)
        self.set("latency", f"{report.latency_ns:.1f} ns" if report.product_id else MISSING)
        self.set("reason", report.reason)
        self.set("problems", "\n".join(report.problems) or "none", alarm=bool(report.problems))
        self._fill_pins(cable)
        self.flexed_box.setChecked(cable.flexed)

    def _end_b(self, cable, report) -> str:
        """End B: its port, or a breakout's trunk to the split (model.breakout) and its legs one
        per line, each with its own length from the split and its whole run from end A."""
        if not cable.is_breakout:
            return end_text(report.b_end)
        result = self.dock.context.result
        first = result.index[cable.id]
        trunk = float(result.trunk_m[first])
        split = f"trunk {metres(trunk)} to the split" if trunk > 0 else "whole from end A"
        lines = [f"{len(cable.legs)} legs (breakout), {split}:"]
        for k in range(len(cable.legs)):
            row = first + k
            run = float(result.length_m[row])
            lines.append(f"leg {k + 1}: {end_text(result.end(2 * row + 1))}, {metres(run - trunk)} (run {metres(run)})")
        return "\n".join(lines)

    def _product_text(self, report) -> str:
        """The chosen product's name and id, and which of its figures are estimates."""
        if not report.product_id:
            return MISSING
        product = self.dock.context.document.catalog.cables.get(report.product_id)
        guessed = product.estimated_figures if product is not None else []
        text = f"{report.product_name} ({report.product_id})"
        return text + (f"\nestimated: {', '.join(guessed)}" if guessed else "")

    def _fill_pins(self, cable) -> None:
        products = self.candidates(cable)
        # "" stands for "automatic": PySide6 6.12 loses a reference to None on every None it
        # stores in or reads from a QVariant (combo data), which ends in a crash.
        pinned_medium = cable.pinned_medium.value if cable.pinned_medium else ""
        media = [m.value for m in MEDIA_ORDER if any(p.medium == m for p in products) or m.value == pinned_medium]
        self.medium_combo.clear()
        self.medium_combo.addItem("Automatic", "")
        for medium in media:
            self.medium_combo.addItem(medium, medium)
        self.medium_combo.setCurrentIndex(max(0, self.medium_combo.findData(pinned_medium)))
        self.product_combo.clear()
        self.product_combo.addItem("Automatic", "")
        for product in products:
            self.product_combo.addItem(product.name, product.id)
            tip = f"{product.vendor} · reach {product.reach_m:g} m · {product.power_w:g} W · OD {product.od_mm:g} mm"
            self.product_combo.setItemData(self.product_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        if cable.pinned_product and self.product_combo.findData(cable.pinned_product) < 0:
            self.product_combo.addItem(f"{cable.pinned_product} (does not fit these ports)", cable.pinned_product)
        self.product_combo.setCurrentIndex(max(0, self.product_combo.findData(cable.pinned_product or "")))

    def _cable(self):
        return self.dock.context.document.cables.get(self.dock.shown[1]) if self.dock.shown else None

    def _on_medium(self, _index: int) -> None:
        cable, medium = self._cable(), self.medium_combo.currentData() or None
        if self.dock.loading or cable is None:
            return
        values = {"pinned_medium": medium}
        product = self.dock.context.document.catalog.cables.get(cable.pinned_product or "")
        if medium and product and product.medium.value != medium:
            values["pinned_product"] = None  # the new medium wins over a product of another medium
        self.dock.edit_cable(**values)

    def _on_product(self, _index: int) -> None:
        cable, product_id = self._cable(), self.product_combo.currentData() or None
        if self.dock.loading or cable is None:
            return
        values = {"pinned_product": product_id}
        product = self.dock.context.document.catalog.cables.get(product_id or "")
        if product and cable.pinned_medium and product.medium != cable.pinned_medium:
            values["pinned_medium"] = None  # the product names its medium; a contrary medium pin goes
        self.dock.edit_cable(**values)

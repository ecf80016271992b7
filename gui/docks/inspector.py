"""The inspector: everything about the selected rack, device, cable, tray or port.

One page per kind of thing, each a form of facts read from the document and the
analysis result; the few fields a designer edits here (names, rack height and power
budget, a cable's pinned medium and product) push an undo command. A refused edit
shows its reason above the form and the form goes back to what the model holds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QLabel,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui.commands_properties import RenameDevice, UpdateCable, UpdateRack, UpdateTray, submit
from gui.docks import ALARM_STYLE, MISSING, Facts, dollars, metres, millimetres, rate, watts
from gui.docks.library import port_summary
from model.catalog import MEDIA_ORDER, CableProduct
from model.errors import LayoutError
from model.rules import cable_port_specs, compatible_rate


class InspectorDock(QDockWidget):
    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__("Inspector", parent)
        self.setObjectName("InspectorDock")
        self.context = context
        self.shown: tuple[str, str] | None = None  # (kind, id) on display
        self.loading = False

        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-weight: bold;")
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(ALARM_STYLE)
        self.refusal.hide()

        self.pages = QStackedWidget()
        self.empty = QLabel("Select a rack, device or cable to see it here.")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.rack = self._rack_page()
        self.device = self._device_page()
        self.cable = CableFacts(self)
        self.tray = self._tray_page()
        self.port = self._port_page()
        for page in (self.empty, self.rack, self.device, self.cable, self.tray, self.port):
            self.pages.addWidget(page)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.refusal)
        layout.addWidget(self.pages)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setWidget(scroll)

        context.selectionChanged.connect(self._on_selection)
        context.analysisUpdated.connect(self._on_analysis)
        self._on_selection(context.selection)

    # ---- pages -------------------------------------------------------------------
    def _rack_page(self) -> Facts:
        page = Facts()
        page.fact("id", "Rack")
        self.rack_name = page.line_edit("name", "Name", self._edit_rack_name)
        page.fact("row", "Row")
        page.fact("position", "Position")
        self.rack_height = QSpinBox()
        self.rack_height.setRange(1, 60)
        self.rack_height.setSuffix(" U")
        self.rack_height.setKeyboardTracking(False)
        self.rack_height.valueChanged.connect(lambda v: self._edit_rack(height_u=v))
        page.editor("height", "Height", self.rack_height)
        for key, label in (("size", "Size"), ("clearances", "Door clearance"), ("manager", "Side managers")):
            page.fact(key, label)
        page.fact("devices", "Devices")
        page.fact("power", "Power")
        self.rack_budget = QDoubleSpinBox()
        self.rack_budget.setRange(0, 10_000)
        self.rack_budget.setDecimals(1)
        self.rack_budget.setSuffix(" kW")
        self.rack_budget.setKeyboardTracking(False)
        self.rack_budget.valueChanged.connect(lambda v: self._edit_rack(power_budget_w=round(v * 1000, 3)))
        page.editor("budget", "Power budget", self.rack_budget)
        page.fact("accelerators", "Accelerators")
        page.fact("cables", "Cables")
        return page

    def _device_page(self) -> Facts:
        page = Facts()
        page.fact("id", "Device")
        self.device_name = page.line_edit("name", "Name", self._edit_device_name)
        for key, label in (
            ("type", "Type"),
            ("kind", "Kind"),
            ("rack", "Rack"),
            ("units", "Units"),
            ("face", "Faces"),
            ("power", "Power"),
            ("accelerators", "Accelerators"),
            ("ports", "Ports"),
            ("port_kinds", "Port kinds"),
        ):
            page.fact(key, label)
        return page

    def _tray_page(self) -> Facts:
        page = Facts()
        page.fact("id", "Tray")
        self.tray_name = page.line_edit("name", "Name", self._edit_tray_name)
        for key, label in (("kind", "Kind"), ("elevation", "Elevation"), ("section", "Section"), ("fill", "Fill")):
            page.fact(key, label)
        return page

    def _port_page(self) -> Facts:
        page = Facts()
        for key, label in (("id", "Port"), ("device", "Device"), ("kind", "Connector"), ("rate", "Rate")):
            page.fact(key, label)
        page.fact("face", "Faces")
        page.fact("accelerator", "Accelerator")
        page.fact("cable", "Cable")
        return page

    # ---- what to show ------------------------------------------------------------
    def _on_selection(self, selection) -> None:
        self.refusal.hide()
        first = selection[0] if selection else None
        self.shown = (first.kind, first.id) if first else None
        self.reload()

    def _on_analysis(self, _result) -> None:
        self.reload()

    def reload(self) -> None:
        """Re-reads the shown thing from the model; cheap (one cable report at most)."""
        self.loading = True
        try:
            self._load()
        finally:
            self.loading = False

    def _load(self) -> None:
        selection = self.context.selection
        kind, item_id = self.shown or ("", "")
        loaders = {
            "rack": (self.rack, self._load_rack),
            "device": (self.device, self._load_device),
            "cable": (self.cable, self.cable.load),
            "tray": (self.tray, self._load_tray),
            "port": (self.port, self._load_port),
        }
        if kind not in loaders or not self._exists(kind, item_id):
            self.header.setText("Nothing selected")
            self.pages.setCurrentWidget(self.empty)
            return
        page, load = loaders[kind]
        more = f" (1 of {len(selection)} selected)" if len(selection) > 1 else ""
        self.header.setText(f"{kind.capitalize()} {item_id}{more}")
        load(item_id)
        self.pages.setCurrentWidget(page)

    def _exists(self, kind: str, item_id: str) -> bool:
        # The analysis is announced before the context drops deleted things from the selection.
        doc = self.context.document
        if kind == "port":
            return item_id.partition(":")[0] in doc.devices
        return item_id in {"rack": doc.racks, "device": doc.devices, "cable": doc.cables, "tray": doc.trays}[kind]

    def fact(self, key: str) -> str:
        """The text shown for `key` on the current page (tests and tooltips read it)."""
        page = self.pages.currentWidget()
        return page.text(key) if isinstance(page, Facts) else ""

    def _load_rack(self, rack_id: str) -> None:
        doc, page = self.context.document, self.rack
        rack = doc.rack(rack_id)
        page.set("id", rack.id)
        page.set_line(self.rack_name, rack.name)
        page.set("row", rack.row or MISSING)
        page.set("position", f"{rack.x_mm / 1000:.2f}, {rack.y_mm / 1000:.2f} m, front faces {rack.facing}")
        self.rack_height.setValue(rack.height_u)
        page.set("size", f"{rack.width_mm:g} × {rack.depth_mm:g} mm")
        page.set(
            "clearances", f"front {millimetres(rack.front_clearance_mm)}, rear {millimetres(rack.rear_clearance_mm)}"
        )
        page.set("manager", f"{millimetres(rack.manager_width_mm)} each side")
        page.set("devices", str(len(rack.devices)))
        self.rack_budget.setValue(rack.power_budget_w / 1000)
        metrics = self.context.result.racks.get(rack_id)
        if metrics is None:
            page.set("power", MISSING)
            page.set("accelerators", MISSING)
            page.set("cables", MISSING)
            return
        total = metrics.device_power_w + metrics.cable_power_w
        share = f" ({total / metrics.budget_w:.0%} of budget)" if metrics.budget_w else ""
        page.set(
            "power",
            f"{watts(total)}: devices {watts(metrics.device_power_w)}, cables {watts(metrics.cable_power_w)}{share}",
            alarm=metrics.over_budget,
        )
        page.set("accelerators", str(metrics.accelerators))
        counts = [f"{n} {medium}" for medium, n in metrics.cables_by_medium.items() if n]
        page.set("cables", ", ".join(counts) or "none")

    def _load_device(self, device_id: str) -> None:
        doc, page = self.context.document, self.device
        device = doc.device(device_id)
        device_type = doc.catalog.device(device.type)
        page.set("id", device.id)
        page.set_line(self.device_name, device.name)
        page.set("rack", doc.device_rack[device_id].label)
        page.set("face", device.face)
        if device_type is None:
            page.set("type", f"{device.type} (not in the catalog)", alarm=True)
            return
        page.set("type", device_type.name)
        page.set("kind", device_type.kind.replace("_", " "))
        last = device.u_position + max(device_type.u_height, 1) - 1
        page.set("units", f"U{device.u_position}" + (f"–U{last}" if last > device.u_position else ""))
        page.set("power", watts(device_type.power_w))
        page.set("accelerators", str(device_type.accelerators))
        used = sum(1 for p in device_type.ports if f"{device_id}:{p.name}" in doc.port_use)
        page.set("ports", f"{used} used, {len(device_type.ports) - used} free of {len(device_type.ports)}")
        page.set("port_kinds", port_summary(device_type))

    def _load_tray(self, tray_id: str) -> None:
        tray, page = self.context.document.trays[tray_id], self.tray
        page.set("id", tray.id)
        page.set_line(self.tray_name, tray.name)
        page.set("kind", tray.kind)
        page.set("elevation", f"{tray.elevation_mm / 1000:.2f} m above the floor")
        page.set("section", f"{tray.width_mm:g} × {tray.depth_mm:g} mm, filled to {tray.fill_ratio:.0%} at most")
        pieces = [s for s in self.context.result.tray_fill if s.tray_id == tray_id]
        if not pieces:
            page.set("fill", "no cables")
            return
        fullest = max(pieces, key=lambda s: s.fill)
        page.set(
            "fill",
            f"fullest piece {fullest.fill:.0%} of usable ({fullest.cable_count} cables); {len(pieces)} pieces",
            alarm=fullest.over,
        )

    def _load_port(self, ref: str) -> None:
        doc, page = self.context.document, self.port
        device_id, _, name = ref.partition(":")
        device = doc.device(device_id)
        device_type = doc.catalog.device(device.type)
        spec = device_type.port(name) if device_type else None
        page.set("id", name)
        page.set("device", f"{device.label} in {doc.device_rack[device_id].label}")
        if spec is None:
            page.set("kind", "not a port of this device type", alarm=True)
            return
        page.set("kind", f"{spec.connector}, {spec.lanes} lanes")
        page.set("rate", rate(spec.rate_gbps))
        page.set("face", spec.face)
        page.set("accelerator", MISSING if spec.accelerator is None else str(spec.accelerator))
        page.set("cable", doc.port_use.get(ref, "free"))

    # ---- edits -------------------------------------------------------------------
    def edit(self, command_type, *args, **values) -> bool:
        """Builds and submits one edit; a refusal shows above the form and the form reverts."""
        if self.loading:
            return False
        try:
            message = submit(self.context, command_type(self.context.document, *args, **values))
        except LayoutError as exc:
            message = exc.message
        self.refusal.setText(message)
        self.refusal.setVisible(bool(message))
        if message:
            self.reload()
        return not message

    def _edit_rack(self, **values) -> None:
        if self.shown and self.shown[0] == "rack":
            self.edit(UpdateRack, self.shown[1], **values)

    def _edit_rack_name(self, text: str) -> None:
        self._edit_rack(name=text)

    def _edit_device_name(self, text: str) -> None:
        if self.shown and self.shown[0] == "device":
            self.edit(RenameDevice, self.shown[1], text)

    def _edit_tray_name(self, text: str) -> None:
        if self.shown and self.shown[0] == "tray":
            self.edit(UpdateTray, self.shown[1], name=text)

    def edit_cable(self, **values) -> bool:
        if self.shown and self.shown[0] == "cable":
            return self.edit(UpdateCable, self.shown[1], **values)
        return False


def end_text(end) -> str:
    return f"{end.rack} U{end.u} {end.device}:{end.port}"


class CableFacts(Facts):
    """A cable run: its ends, the product the engine chose and why, and the designer's pins."""

    def __init__(self, dock: InspectorDock) -> None:
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
        self.product_combo.currentIndexChanged.connect(self._on_product)
        self.flexed_box = self.editor("flexed", "Flexed", QCheckBox("runs through a moving part (bends at 10 × OD)"))
        self.flexed_box.toggled.connect(lambda on: dock.edit_cable(flexed=on))

    def candidates(self, cable) -> list[CableProduct]:
        """The catalog's products that fit this cable's connector, rate and lanes."""
        doc = self.dock.context.document
        try:
            spec_a, spec_b = cable_port_specs(cable, doc.devices, doc.catalog, "cable")
            run_rate = compatible_rate(spec_a, spec_b, cable.rate_gbps)
        except (LayoutError, ValueError):
            return []
        found = doc.catalog.products_for(spec_a.connector, run_rate, spec_a.lanes)
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
        self.set("b", end_text(report.b_end))
        self.set("rate", rate(report.rate_gbps))
        self.set("medium", report.medium or "no product fits", alarm=report.medium is None)
        self.set("product", f"{report.product_name} ({report.product_id})" if report.product_id else MISSING)
        self.set("gauge", f"{report.gauge_awg} AWG" if report.gauge_awg else MISSING)
        self.set("length", metres(report.length_m))
        self.set("ordered", metres(report.ordered_length_m))
        self.set("power", watts(report.power_w))
        self.set("cost", dollars(report.cost_usd))
        self.set("latency", f"{report.latency_ns:.1f} ns" if report.product_id else MISSING)
        self.set("reason", report.reason)
        self.set("problems", "\n".join(report.problems) or "none", alarm=bool(report.problems))
        self._fill_pins(cable)
        self.flexed_box.setChecked(cable.flexed)

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

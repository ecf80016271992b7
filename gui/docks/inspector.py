"""The inspector: everything about the selected rack, device, cable, tray or port.

One page per kind of thing, each a form of facts read from the document and the
analysis result; the few fields a designer edits here (names, rack height and power
budget, a cable's pinned medium and product) push an undo command. A refused edit
shows its reason above the form and the form goes back to what the model holds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QDoubleSpinBox,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui.commands import submit
from gui.docks import ALARM_STYLE, MISSING, Facts, millimetres, rate, watts
from gui.docks.inspector_cable import CableFacts
from gui.docks.library import port_summary
from model.commands_properties import RenameDevice, UpdateCable, UpdateRack, UpdateTray
from model.errors import LayoutError


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
        layout = self._body_layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.refusal)
        layout.addWidget(self.pages)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Facts wrap to the dock's width; a sideways scroll bar would hide the ends of them.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.setWidget(scroll)
        self.pages.currentChanged.connect(self._size_to_page)
        self._size_to_page()

        context.selectionChanged.connect(self._on_selection)
        context.analysisUpdated.connect(self._on_analysis)
        self._on_selection(context.selection)

    # ---- pages -------------------------------------------------------------------
    def _rack_page(self) -> Facts:
        page = Facts()
        page.fact("id", "Rack")
        self.rack_name = page.line_edit("name", "Name", self._edit_rack_name)
        # Editable: naming schemes ({row}) and NetBox's row locations read it.
        self.rack_row = page.line_edit("row", "Row", lambda text: self._edit_rack(row=text))
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

    def _size_to_page(self, *_args) -> None:
        """Only the page on show asks for room: a stack is otherwise as wide as its widest page."""
        for index in range(self.pages.count()):
            page = self.pages.widget(index)
            assert page is not None  # None only for an index outside 0..count()-1
            shown = page is self.pages.currentWidget()
            policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self._fit_pages()

    def _fit_pages(self) -> None:
        """The page stack's height follows the page's texts, its width the dock's: laid out
        again by the body's layout (adjustSize alone set the stack to its own size hint, as
        wide as its texts unwrapped, and the layout did not set it back while nothing else in
        the body changed: the rack page stayed cut to ~60% of the dock after a drag)."""
        self.pages.updateGeometry()
        self._body_layout.invalidate()
        self._body_layout.activate()

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
        self.header.setText(f"{kind.capitalize()} {self._display_name(kind, item_id)}{more}")
        load(item_id)
        if self.pages.currentWidget() is page:
            # The same page with other texts (a pin changed the reason): its height follows them.
            # It kept the height of the last texts, and a longer reason was cut off mid-sentence
            # until the cable was selected again (a fresh user's find).
            self._fit_pages()
        self.pages.setCurrentWidget(page)

    def _display_name(self, kind: str, item_id: str) -> str:
        # The name people read (a rack's or host's name, a cable's label), the id after it when they differ.
        doc = self.context.document
        if kind == "port":
            device, _, port = item_id.partition(":")
            return f"{doc.devices[device].label}:{port}"
        thing = {"rack": doc.racks, "device": doc.devices, "cable": doc.cables, "tray": doc.trays}[kind][item_id]
        name = getattr(thing, "label", "") or item_id
        return name if name == item_id else f"{name} ({item_id})"

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
        page.set_line(self.rack_row, rack.row)
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
        guessed = device_type.estimated_figures
        page.set("type", device_type.name + (f"\nestimated: {', '.join(guessed)}" if guessed else ""))
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
        page.set("kind", port_kind(device_type, spec))
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


def port_kind(device_type, spec) -> str:
    """A port's kind as the inspector shows it: connector, lanes at their rate, protocol, and
    for a twin-port cage (model.catalog.Cage) the cage and the other port in it."""
    text = f"{spec.connector}, {spec.lanes} lanes × {spec.lane_rate_gbps:g}G"
    text += f", {spec.protocol}" if spec.protocol else ""
    cage = device_type.cage_of(spec.name)
    if cage is not None and cage.twin:
        other = next(p for p in cage.ports if p != spec.name)
        text += f"\ntwin-port cage {cage.name}, with {other}"
    return text

"""Property edits (rename, pins, sizes, settings), one command each.

A command remembers the old values of exactly the fields it changes and puts them
back on undo. A refused edit raises LayoutError and keeps its reason in `refusal`,
worded for a designer ("rack height: ..."), which the side panels show.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from model.commands import Command
from model.document import Document
from model.errors import LayoutError

FIELD_NAMES = {
    "name": "name",
    "label": "label",
    "height_u": "height",
    "power_budget_w": "power budget",
    "manager_width_mm": "manager width",
    "front_clearance_mm": "front clearance",
    "rear_clearance_mm": "rear clearance",
    "row": "row",
    "pinned_medium": "pinned medium",
    "pinned_product": "pinned product",
    "flexed": "flexed",
    "rate_gbps": "rate",
    "objective": "objective",
    "service_slack_m": "service slack",
    "energy_usd_per_kwh": "energy price",
    "pue": "PUE",
    "tco_years": "TCO years",
    "auto_row_tray": "row trays laid with racks",
}


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)  # a Medium enum reads as its name


def _shown(field: str, value: Any) -> str:
    value = _plain(value)
    if value is None or value == "":
        return "automatic" if field.startswith("pinned") else "none"
    if field == "height_u":
        return f"{value}U"
    if field == "power_budget_w":
        return f"{value / 1000:g} kW"
    if field == "auto_row_tray":
        return "on" if value else "off"
    if isinstance(value, str):
        return repr(value) if field in ("name", "label") else value
    return f"{value:g}" if isinstance(value, float) else str(value)


class PropertyCommand(Command):
    """Sets some fields of one thing. `old` and `new` hold only the fields that change."""

    what = "item"

    def __init__(self, document: Document, thing: object, label: str, values: dict[str, Any]) -> None:
        for key in values:
            if not hasattr(thing, key):
                raise LayoutError(f"a {self.what} has no field {key!r}")
        self.new = {k: v for k, v in values.items() if _plain(getattr(thing, k)) != _plain(v)}
        self.old = {k: getattr(thing, k) for k in self.new}
        super().__init__(document, self._describe(label))
        self.refusal = ""

    def _describe(self, label: str) -> str:
        if len(self.new) == 1:
            ((field, value),) = self.new.items()
            if field in ("name", "label"):
                return f"Rename {self.what} {label} to {_shown(field, value)}"
            return f"Set {self.what} {label} {FIELD_NAMES.get(field, field)} to {_shown(field, value)}"
        fields = ", ".join(FIELD_NAMES.get(f, f) for f in self.new)
        return f"Edit {self.what} {label} ({fields})"

    @property
    def changes_nothing(self) -> bool:
        """True when every field already holds its new value."""
        return not self.new

    def write(self, values: dict[str, Any]) -> None:
        """Sets `values` (field -> value) through the document's update operation, which raises
        LayoutError (its `where` naming the thing and field) when it refuses them."""
        raise LayoutError(f"{type(self).__name__} cannot write")

    def _set(self, values: dict[str, Any]) -> None:
        try:
            self.write(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "value"
            self.refusal = f"{self.what} {FIELD_NAMES.get(field, field)}: {first['msg']}"
            raise LayoutError(self.refusal) from None
        except LayoutError as exc:
            # A value the model refused names 'rack R1.height_u': say 'rack height: ...'.
            thing, _, field = exc.where.rpartition(".")
            own = thing == self.what or thing.startswith(f"{self.what} ")
            self.refusal = f"{self.what} {FIELD_NAMES.get(field, field)}: {exc.message}" if own else exc.message
            raise

    def do(self) -> None:
        self._set(self.new)

    def revert(self) -> None:
        self._set(self.old)


class UpdateRack(PropertyCommand):
    """Sets fields of rack `rack_id` (name, row, height_u, power_budget_w, clearances, …)."""

    what = "rack"

    def __init__(self, document: Document, rack_id: str, **values: Any) -> None:
        rack = document.rack(rack_id)
        self.rack_id = rack_id
        super().__init__(document, rack, rack.label, values)

    def write(self, values: dict[str, Any]) -> None:
        self.document.update_rack(self.rack_id, **values)


class RenameDevice(PropertyCommand):
    """Renames device `device_id` (its id stays: cables name it)."""

    what = "device"

    def __init__(self, document: Document, device_id: str, name: str) -> None:
        device = document.device(device_id)
        self.device_id = device_id
        super().__init__(document, device, device.label, {"name": name})

    def write(self, values: dict[str, Any]) -> None:
        self.document.rename_device(self.device_id, values["name"])


class UpdateCable(PropertyCommand):
    """Sets fields of cable `cable_id`: label, pins (medium or product; None lets the engine
    choose), flexed, rate_gbps. Raises LayoutError for an unknown cable."""

    what = "cable"

    def __init__(self, document: Document, cable_id: str, **values: Any) -> None:
        cable = document.cables.get(cable_id)
        if cable is None:
            raise LayoutError(f"no cable {cable_id!r}")
        self.cable_id = cable_id
        super().__init__(document, cable, cable.id, values)

    def _describe(self, label: str) -> str:
        if set(self.new) <= {"pinned_medium", "pinned_product"}:
            pins = [_plain(v) for v in self.new.values() if v is not None]
            if not pins:
                return f"Let the engine choose cable {label}"
            return f"Pin cable {label} to {' / '.join(pins)}"
        return super()._describe(label)

    def write(self, values: dict[str, Any]) -> None:
        self.document.update_cable(self.cable_id, **values)


class UpdateTray(PropertyCommand):
    """Sets fields of tray `tray_id` (name, kind, points, elevation and section in mm, fill
    ratio). Raises LayoutError for an unknown tray."""

    what = "tray"

    def __init__(self, document: Document, tray_id: str, **values: Any) -> None:
        tray = document.trays.get(tray_id)
        if tray is None:
            raise LayoutError(f"no tray {tray_id!r}")
        self.tray_id = tray_id
        super().__init__(document, tray, tray.label, values)

    def write(self, values: dict[str, Any]) -> None:
        self.document.update_tray(self.tray_id, **values)


class UpdateSettings(PropertyCommand):
    """Sets site settings: the objective, service slack (m), energy price (USD/kWh), PUE, TCO years, …"""

    what = "site"

    def __init__(self, document: Document, **values: Any) -> None:
        super().__init__(document, document.site.settings, "", values)

    def _describe(self, label: str) -> str:
        parts = [f"{FIELD_NAMES.get(f, f)} to {_shown(f, v)}" for f, v in self.new.items()]
        return "Set " + ", ".join(parts)

    def write(self, values: dict[str, Any]) -> None:
        self.document.update_settings(**values)

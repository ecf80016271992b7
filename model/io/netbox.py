"""NetBox in: device types from the devicetype-library (netbox-community/devicetype-library).

Import reads one devicetype-library YAML file (model.io.safe_yaml: a safe loader with
bounded size, nesting and aliases) into a `DeviceType`, all or nothing. NetBox says
nothing about where ports sit or which way they face, so cages are spread evenly over
the faceplate; the interface-type table, the kind guess, the power rule and the depths
are data in resources/netbox_interface_types.yaml, each with a source. What is left out
(interface types Rack Designer does not cable, management ports, module bays) is named
in `ImportedDeviceType.warnings`. A module type (a card for a module bay) is refused.

The CSV exports for NetBox's bulk import are in model.io.netbox_export.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from model.catalog import DeviceType
from model.errors import CatalogError
from model.io.files import describe_validation_error
from model.io.netbox_export import write_cables_csv, write_devices_csv
from model.io.netbox_keys import unknown_key_warnings
from model.io.netbox_kind import guess_kind, model_family, sort_bays
from model.io.netbox_ports import (
    PortPlan,
    entries_of,
    few,
    place,
    power_port_entries,
    power_redundancy,
    read_interfaces,
    read_panel_ports,
    read_power,
)
from model.io.netbox_table import figure, netbox_table
from model.io.safe_yaml import read_yaml_file
from model.text import brief

__all__ = ["ImportedDeviceType", "import_device_type", "netbox_table", "write_cables_csv", "write_devices_csv"]

# A devicetype-library file is a few kB; refusing megabytes keeps a wrong pick from hanging the app.
MAX_FILE_BYTES = 1_000_000
MODULE_PLACEHOLDER = "{module}"  # NetBox fills it with the module bay's position


@dataclass
class ImportedDeviceType:
    """A device type read from a NetBox devicetype-library file, and what the import left out
    or assumed (interfaces it cannot cable, management ports, module bays, the power draw,
    the kind), one line each, for the designer."""

    device_type: DeviceType
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: what was imported ('example-ib-xdr-4p: switch, 1U, 4 ports (2 x 800G OSFP
        InfiniBand, ...), 0 W'; 'N ports in M cages' where cages hold two ports)."""
        device = self.device_type
        groups: dict[tuple[str, str, float, str], int] = {}
        for port in device.ports:
            protocol = port.protocol or ""
            key = (port.role, port.connector, port.rate_gbps, protocol)
            groups[key] = groups.get(key, 0) + 1
        parts = []
        for (role, connector, rate, kind), n in groups.items():
            what = f"{n} x {rate:g}G {connector}" if role == "interface" else f"{n} {role} {connector}"
            parts.append(f"{what} {kind}".rstrip())
        ports = f"{len(device.ports)} port{'' if len(device.ports) == 1 else 's'}"
        cages = [c for c in device.cages if c.width_mm is not None]  # transceiver cages, not panel adapters
        if cages and len(cages) != len(device.ports):
            ports += f" in {len(cages)} cages"  # twin-port cages (QM9700: 64 ports in 32 cages)
        return (
            f"{device.id}: {device.kind}, {device.u_height}U, {ports}"
            + (f" ({', '.join(parts)})" if parts else "")
            + f", {device.power_w:g} W"
        )


def import_device_type(path: Path) -> ImportedDeviceType:
    """Reads a NetBox devicetype-library YAML file into a DeviceType and warnings.

    Raises CatalogError naming the file, the device type's field and the entry on bad input
    (an interface type NetBox does not have names the port), for a module type (no u_height,
    components named with {module}) and for a file that is no device type (a layout, a rack
    type): it says so. Nothing is returned half-read: any error refuses the whole file. Kind,
    protocol and twin-port cages follow resources/netbox_interface_types.yaml (model_families,
    kind_guess, bays_kind, twin_port); keys the devicetype-library schema lacks are warnings.
    """
    data = _read_yaml(path)
    origin = str(path)
    manufacturer = _text(data, "manufacturer", origin)
    model = _text(data, "model", origin)
    if data.get("u_height") is None and _is_module_type(data):
        raise CatalogError(
            f"{origin}: {manufacturer} {model} is a NetBox module type (a card or supply for a chassis's "
            f"module bay: no u_height or slug, ports named with {MODULE_PLACEHOLDER}), not a device type; "
            "import the chassis instead"
        )
    slug = data.get("slug") or _slugify(f"{manufacturer}-{model}")
    if not isinstance(slug, str):
        raise CatalogError(f"{origin}: slug must be text, not {brief(slug)}")
    origin = f"{origin} ({slug})"  # every later message names the device type too
    outlets = entries_of(data, "power-outlets", origin)
    if data.get("u_height") == 0 and outlets:
        # Most rack PDUs in AI racks are 0U, in the rack's side channel: say why, not just '0U'.
        raise CatalogError(
            f"{origin}: u_height 0: a 0U PDU ({len(outlets)} power outlets) mounts in the rack's side channel, "
            "not in rack units; Rack Designer places devices in rack units only and counts a rack's power "
            "from its devices against the rack's budget"
        )
    interfaces = entries_of(data, "interfaces", origin)
    u_height = _whole_units(data.get("u_height"), origin)
    family = model_family(manufacturer, model, str(data.get("part_number") or ""))
    cabled = read_interfaces(interfaces, origin)
    if family is not None and family.protocol:
        _set_protocol(cabled.ports, family.protocol, model, cabled.warnings)
    panel = read_panel_ports(entries_of(data, "front-ports", origin), entries_of(data, "rear-ports", origin), origin)
    inlets = entries_of(data, "power-ports", origin)
    power_w, power_how, power_warnings = read_power(inlets, origin)
    redundancy = power_redundancy(inlets)
    if data.get("is_powered") is False:
        # NetBox's is_powered: false says the device draws no power of its own (a rail kit, a
        # busbar-fed NVLink switch tray): 0 W is the file's figure, not a gap to fill in.
        power_w, power_how, power_warnings = 0.0, "is_powered: false, it draws no power of its own", []
        redundancy = None
    kind, why = guess_kind(data, family, cabled.ports, panel.ports, outlets)
    warnings = cabled.warnings + panel.warnings
    if kind == "pdu":
        # A PDU passes power to its outlets; counting its inlets' draw would count the rack twice.
        power_w, power_how, power_warnings = 0.0, "a PDU: its outlets' loads are the devices' own", []
        redundancy = None
        warnings.append(f"a PDU with {len(outlets)} power outlet(s) ({few([str(o['name']) for o in outlets])})")
    if kind == "patch_panel" and power_w == 0:
        power_warnings = []  # a passive panel draws nothing
    warnings += power_warnings + _bay_warnings(data, origin) + unknown_key_warnings(data)
    warnings.append(f"kind {kind}: {why}")
    depth_key = "full_depth" if data.get("is_full_depth", True) else "half_depth"
    # Interfaces face where the kind's ports do; a panel's front and rear ports face front and rear.
    faces = {"interface": figure("faceplate", "port_face", kind), "front": "front", "rear": "rear"}
    entry = {
        "id": slug,
        "name": model,
        "manufacturer": manufacturer,
        "kind": kind,
        "u_height": u_height,
        "depth_mm": figure("depth_mm", depth_key),
        "power_w": power_w,
        "accelerators": len(sort_bays(entries_of(data, "module-bays", origin, repeats_ok=True))["accelerator"]),
        "ports": place(cabled.ports + panel.ports, faces, u_height),
        "power_ports": power_port_entries(inlets, outlets),
        "power_redundancy": redundancy,
        "sources": {
            "u_height": f"NetBox devicetype-library: {path.name}",
            "ports": f"NetBox devicetype-library: {path.name}; cages placed evenly on the faceplate (derived)",
            "power_w": f"NetBox devicetype-library: {path.name}, {power_how}",
            "depth_mm": f"derived: is_full_depth {bool(data.get('is_full_depth', True))} -> "
            + str(netbox_table()["depth_mm"][depth_key]["source"]),
            "kind": f"derived: {why}" + (f"; {family.source}" if family is not None else ""),
            "accelerators": f"NetBox devicetype-library: {path.name}, its GPU / accelerator module bays counted",
        },
    }
    try:
        device_type = DeviceType.model_validate(entry)
    except ValidationError as exc:
        where, message = describe_validation_error(exc)
        field_said = "" if where == "(top level)" else f"{_port_named(where, entry)}: "
        hint = "; ".join(w.removeprefix("left out ") for w in unknown_key_warnings(data))
        raise CatalogError(f"{origin}: {field_said}{message}" + (f" ({hint})" if hint else "")) from None
    return ImportedDeviceType(device_type, warnings)


# Every list of components a file may have: a module type's are named with {module}.
COMPONENT_LISTS = (
    "interfaces",
    "front-ports",
    "rear-ports",
    "power-ports",
    "power-outlets",
    "console-ports",
    "console-server-ports",
    "module-bays",
)


def _is_module_type(data: dict[str, Any]) -> bool:
    """A devicetype-library module type (no u_height): a component named with {module}, or no
    slug (every device type has one; module types have none) while it lists components."""
    entries = [e for key in COMPONENT_LISTS if isinstance(data.get(key), list) for e in data[key]]
    named = [str(e["name"]) for e in entries if isinstance(e, dict) and e.get("name") is not None]
    return any(MODULE_PLACEHOLDER in name for name in named) or ("slug" not in data and bool(entries))


def _set_protocol(ports: list[PortPlan], protocol: str, model: str, warnings: list[str]) -> None:
    """Gives every cabled port the product line's protocol, saying which ports it changed."""
    changed = [p for p in ports if p.protocol != protocol]
    for port in ports:
        port.protocol = protocol
    if changed:
        types = sorted({f"{p.rate_gbps:g}G {p.connector}" for p in changed})
        warnings.append(
            f"protocol {protocol}: every port of a {model} is {protocol}; {len(changed)} port(s) typed as "
            f"Ethernet cages ({', '.join(types)}) taken as {protocol} at the same cage and rate"
        )


def _bay_warnings(data: dict[str, Any], origin: str) -> list[str]:
    warnings = []
    bays = sort_bays(entries_of(data, "module-bays", origin, repeats_ok=True))
    if bays["accelerator"]:
        warnings.append(
            f"{len(bays['accelerator'])} accelerator bay(s) ({few(bays['accelerator'])}) counted as its accelerators"
        )
    if bays["part"]:
        # Supplies, fans, CPUs, memory and drives hold no ports to add: said apart from card bays.
        warnings.append(
            f"left out {len(bays['part'])} bay(s) for power supplies, fans, CPUs, memory or drives: "
            f"{few(bays['part'])}; nothing in them is cabled"
        )
    devices = [str(e["name"]) for e in entries_of(data, "device-bays", origin, repeats_ok=True)]
    for names, what in ((bays["card"], "module bay"), (devices, "device bay")):
        if names:
            warnings.append(
                f"left out {len(names)} {what}(s): {few(names)}; the cards that go in them are not imported, "
                "add their ports to the device type in your library"
            )
    # Serial consoles and inventory are no fabric cabling; said, not dropped in silence.
    for key, what in (("console-ports", "console port"), ("console-server-ports", "console server port")):
        names = [str(e["name"]) for e in entries_of(data, key, origin, repeats_ok=True)]
        if names:
            warnings.append(f"left out {len(names)} {what}(s): {few(names)}")
    return warnings


def _port_named(where: str, entry: dict[str, Any]) -> str:
    """'ports.3.x_mm' -> 'ports[swp4].x_mm': a validation error names the port, not its index."""
    match = re.match(r"ports\.(\d+)(.*)", where)
    if not match:
        return where
    ports = entry["ports"]
    index = int(match.group(1))
    name = ports[index]["name"] if index < len(ports) else match.group(1)
    return f"ports[{name}]{match.group(2)}"


def _read_yaml(path: Path) -> dict[str, Any]:
    data = read_yaml_file(path, MAX_FILE_BYTES)  # a safe loader with bounded aliases, never yaml.load
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: not a NetBox device type (expected a mapping with manufacturer, model, ...)")
    known = set(netbox_table()["schema_keys"]["device_type"])
    if not known & {str(k) for k in data}:
        # A layout, a rack type or some other YAML/JSON: say so rather than 'manufacturer is missing'.
        keys = ", ".join(brief(str(k)) for k in list(data)[:4]) or "none"
        raise CatalogError(
            f"{path}: not a NetBox device type: it has none of its keys (manufacturer, model, slug, u_height, "
            f"interfaces, ...), its first keys are {keys}"
        )
    return data


def _text(data: dict[str, Any], key: str, origin: str) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CatalogError(f"{origin}: {key} is missing")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise CatalogError(f"{origin}: {key} must be text, not {brief(value)}")
    return str(value).strip()


def _whole_units(value: Any, origin: str) -> int:
    if value is None:
        raise CatalogError(f"{origin}: u_height is missing")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CatalogError(f"{origin}: u_height must be a number of rack units, not {brief(value)}")
    if value != int(value):
        raise CatalogError(f"{origin}: u_height {value:g} is fractional; Rack Designer places whole rack units only")
    if value <= 0:
        raise CatalogError(f"{origin}: u_height {value:g}: a 0U device (PDU, module) cannot be placed in a rack")
    if value > 60:
        raise CatalogError(f"{origin}: u_height {value:g} is taller than any rack (at most 60U)")
    return int(value)


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "device-type"

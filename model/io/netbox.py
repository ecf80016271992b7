"""NetBox in and out: device types from the devicetype-library, CSVs for NetBox's bulk import.

Import reads one devicetype-library YAML file (model.io.safe_yaml: a safe loader with
bounded size, nesting and aliases) into a
`DeviceType`. NetBox says nothing about where ports sit or which way they face, so
ports are spread evenly over the faceplate; the interface-type table, the kind guess
and the depths are data in resources/netbox_interface_types.yaml, each with a source.

Export writes NetBox's own import columns (Devices > Import, Cables > Import), so a
planned layout can be loaded into NetBox as 'planned' devices and cables. Device
names in NetBox are the layout's device ids: they are unique, which NetBox requires.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from model.catalog import DeviceType, PortSpec
from model.connectors import connector_table
from model.defaults import default
from model.document import Document
from model.errors import CatalogError
from model.io.csv_safe import safe_writer
from model.io.exports import neutralised, write_columns
from model.io.files import describe_validation_error
from model.io.safe_yaml import read_yaml_file
from model.report_rows import cable_rows, formatted
from model.resources import load_yaml, resource_path
from model.text import brief

# A devicetype-library file is a few kB; refusing megabytes keeps a wrong pick from hanging the app.
MAX_FILE_BYTES = 1_000_000
DEVICE_COLUMNS = [
    "name",
    "role",
    "manufacturer",
    "device_type",
    "site",
    "location",
    "rack",
    "position",
    "face",
    "status",
]
CABLE_COLUMNS = [
    "side_a_device",
    "side_a_type",
    "side_a_name",
    "side_b_device",
    "side_b_type",
    "side_b_name",
    "type",
    "status",
    "label",
    "length",
    "length_unit",
]
PLANNED = "planned"
INTERFACE = "dcim.interface"


@dataclass
class ImportedDeviceType:
    """A device type read from a NetBox devicetype-library file, and what the import left out
    or assumed (interfaces it cannot cable, management ports, the power draw), for the designer."""

    device_type: DeviceType
    warnings: list[str] = field(default_factory=list)


@cache
def netbox_table() -> dict[str, Any]:
    """resources/netbox_interface_types.yaml, read once: per NetBox interface type slug its
    connector, rate (Gb/s) and lanes, and the depths (mm) of full- and half-depth devices,
    each figure with its source."""
    return load_yaml(resource_path("netbox_interface_types.yaml"))


def _figure(*keys: str) -> Any:
    node: Any = netbox_table()
    for key in keys:
        node = node[key]
    return node["value"]


# ---- import ---------------------------------------------------------------------------
def import_device_type(path: Path) -> ImportedDeviceType:
    """Reads a NetBox devicetype-library YAML file; CatalogError names the file and field on bad input."""
    data = _read_yaml(path)
    origin = str(path)
    manufacturer = _text(data, "manufacturer", origin)
    model = _text(data, "model", origin)
    u_height = _whole_units(data.get("u_height"), origin)
    slug = data.get("slug") or _slugify(f"{manufacturer}-{model}")
    if not isinstance(slug, str):
        raise CatalogError(f"{origin}: slug must be text, not {brief(slug)}")
    warnings: list[str] = []
    ports = _interfaces(data.get("interfaces") or [], origin, warnings)
    high_speed = sum(1 for _, spec in ports if spec["rate_gbps"] >= _figure("kind_guess", "high_speed_gbps"))
    kind = "switch" if high_speed >= _figure("kind_guess", "switch_min_ports") else "server"
    depth_key = "full_depth" if data.get("is_full_depth", True) else "half_depth"
    power_w = _power(data.get("power-ports") or [], origin, warnings)
    entry = {
        "id": slug,
        "name": model,
        "manufacturer": manufacturer,
        "kind": kind,
        "u_height": u_height,
        "depth_mm": _figure("depth_mm", depth_key),
        "power_w": power_w,
        "ports": _place_ports(ports, kind, u_height),
        "sources": {
            "u_height": f"NetBox devicetype-library: {path.name}",
            "ports": f"NetBox devicetype-library: {path.name}; placed evenly on the faceplate (derived)",
            "power_w": f"NetBox devicetype-library: {path.name}, largest maximum_draw of one power port",
            "depth_mm": f"derived: is_full_depth {bool(data.get('is_full_depth', True))} -> "
            + str(netbox_table()["depth_mm"][depth_key]["source"]),
            "kind": "derived: guessed from the number of high-speed interfaces",
        },
    }
    try:
        device_type = DeviceType.model_validate(entry)
    except ValidationError as exc:
        where, message = describe_validation_error(exc)
        raise CatalogError(f"{origin}: {where}: {message}") from None
    return ImportedDeviceType(device_type, warnings)


def _read_yaml(path: Path) -> dict[str, Any]:
    data = read_yaml_file(path, MAX_FILE_BYTES)  # a safe loader with bounded aliases, never yaml.load
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: not a NetBox device type (expected a mapping with manufacturer, model, ...)")
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


def _interfaces(entries: Any, origin: str, warnings: list[str]) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(entries, list):
        raise CatalogError(f"{origin}: interfaces must be a list")
    table = netbox_table()["interface_types"]
    ports: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    unknown: dict[str, list[str]] = {}
    management: list[str] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise CatalogError(f"{origin}: interfaces[{i}].name is missing")
        name = str(entry["name"])
        if name in seen:
            raise CatalogError(f"{origin}: interfaces[{i}].name: {brief(name)} repeats")
        seen.add(name)
        if entry.get("mgmt_only"):
            management.append(name)
            continue
        spec = table.get(str(entry.get("type", "")))
        if spec is None:
            unknown.setdefault(str(entry.get("type", "(no type)")), []).append(name)
            continue
        ports.append((name, spec))
    for kind, names in unknown.items():
        warnings.append(
            f"skipped {len(names)} interface(s) of type {brief(kind)} Rack Designer cannot cable: {_few(names)}"
        )
    if management:
        warnings.append(f"skipped {len(management)} management interface(s): {_few(management)}")
    return ports


def _few(names: list[str]) -> str:
    return ", ".join(names[:4]) + (f", ... ({len(names)} in all)" if len(names) > 4 else "")


def _power(entries: Any, origin: str, warnings: list[str]) -> float:
    if not isinstance(entries, list):
        raise CatalogError(f"{origin}: power-ports must be a list")
    draws = []
    for i, entry in enumerate(entries):
        value = entry.get("maximum_draw") if isinstance(entry, dict) else None
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise CatalogError(f"{origin}: power-ports[{i}].maximum_draw must be watts, not {brief(value)}")
        draws.append(float(value))
    if not draws:
        warnings.append("no power port gives maximum_draw: power set to 0 W, edit it in your library")
        return 0.0
    if len(draws) > 1:
        # Redundant supplies each carry the whole load; summing them would double the rack's power.
        warnings.append(f"{len(draws)} power ports: power taken as the largest maximum_draw ({max(draws):g} W)")
    return max(draws)


def _place_ports(ports: list[tuple[str, dict[str, Any]]], kind: str, u_height: int) -> list[dict[str, Any]]:
    """Spreads ports evenly over the faceplate, in rows when one row would be too tight."""
    if not ports:
        return []
    width = default("rail_width_mm")
    height = u_height * default("rack_unit_mm")
    face = _figure("faceplate", "port_face", kind)
    # No closer than the widest module (resources/catalog/connectors.yaml): the catalog refuses overlapping cages.
    widths = [connector_table().connectors[spec["connector"]].width_mm or 0 for _, spec in ports]
    per_row_max = max(1, int(width // max(_figure("faceplate", "min_port_pitch_mm"), *widths)))
    rows = math.ceil(len(ports) / per_row_max)
    per_row = math.ceil(len(ports) / rows)
    placed = []
    for i, (name, spec) in enumerate(ports):
        row, column = divmod(i, per_row)
        placed.append(
            PortSpec(
                name=name,
                connector=spec["connector"],
                rate_gbps=spec["rate_gbps"],
                lanes=spec["lanes"],
                face=face,
                x_mm=round((column + 0.5) * width / per_row, 2),
                y_mm=round(height - (row + 0.5) * height / rows, 2),  # first row on top, as front panels number
            ).model_dump()
        )
    return placed


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "device-type"


# ---- export ---------------------------------------------------------------------------
def write_devices_csv(document: Document, handle: TextIO) -> None:
    """Devices > Import: one row per placed device, status 'planned'."""
    roles = netbox_table()["device_roles"]
    writer = safe_writer(handle)
    writer.writerow(DEVICE_COLUMNS)
    site = document.site
    for rack in site.racks:
        for device in sorted(rack.devices, key=lambda d: d.u_position):
            device_type = document.catalog.devices[device.type]
            writer.writerow(
                [
                    device.id,
                    roles.get(device_type.kind, device_type.kind),
                    device_type.manufacturer or "Unknown",
                    device_type.name,
                    site.name,
                    rack.row,
                    rack.label,
                    device.u_position,
                    device.face,
                    PLANNED,
                ]
            )


def write_cables_csv(result: Any, handle: TextIO) -> None:
    """Cables > Import from an AnalysisResult: type from the chosen medium, length = ordered length in m."""
    types = netbox_table()["cable_types"]
    writer = safe_writer(handle)
    writer.writerow(CABLE_COLUMNS)
    rows = cable_rows(result)  # in bulk from the result's columns (200,000 cables in a second)
    n = len(rows)
    kinds = {m: types[m]["value"] for m in set(rows.medium) if m}
    ordered = formatted(rows.ordered_length_m, "g")
    columns = [
        rows.end_device[0::2],
        [INTERFACE] * n,
        rows.end_port[0::2],
        rows.end_device[1::2],
        [INTERFACE] * n,
        rows.end_port[1::2],
        [kinds[m] if m else "" for m in rows.medium],
        [PLANNED] * n,
        rows.label,
        ordered,
        ["m" if text else "" for text in ordered],
    ]
    write_columns(writer, handle, [neutralised(column) for column in columns])

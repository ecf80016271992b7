"""The NetBox import set: every file an empty NetBox needs to take a planned layout, in order.

The devices and cables CSVs (model.io.netbox_export) name a site, racks, roles, makers and
device types that NetBox must already hold, or it refuses the whole file. Writing only those
two left the designer to create the rest by hand, a step the app did not show. This writes
the whole chain into one folder: sites, locations (the hall and its rows), manufacturers,
device roles, device types (YAML with their interfaces, panel ports and power ports), racks,
devices and cables, numbered in import order, and a README naming the NetBox page for each.

Columns and values are NetBox's own (resources/netbox_import_set.yaml names the forms and the
commit they were read at). Rows are derived from the same names the devices CSV writes, so
the files agree with each other: a device's rack, location, role, maker and type are rows of
the files before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TextIO

import yaml

from model.catalog import DeviceType, PortSpec
from model.document import Document
from model.errors import FileFormatError
from model.io.csv_safe import safe_writer
from model.io.netbox_export import NAME_LIMITS, netbox_name, write_cables_csv, write_devices_csv
from model.io.netbox_table import netbox_table
from model.resources import load_yaml, resource_path

README = "README.txt"


@cache
def import_set_table() -> dict[str, Any]:
    """resources/netbox_import_set.yaml: the files in order, NetBox's choice values, role colours."""
    return load_yaml(resource_path("netbox_import_set.yaml"))


def _value(key: str) -> Any:
    return import_set_table()[key]["value"]


def slug(text: str) -> str:
    """A NetBox slug of `text`: lower-case letters, digits and hyphens (runs of anything else
    become one hyphen), at most 100 characters (resources/netbox_import_set.yaml slug_max);
    'unnamed' for a text with no letter or digit."""
    made = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return made[: int(_value("slug_max"))].rstrip("-") or "unnamed"


def _site_name(document: Document) -> str:
    # As write_devices_csv names it: the site File → Properties gives, else the layout's name.
    return netbox_name(document.site.info.site or document.site.name, NAME_LIMITS["site"])


def _manufacturer(device_type: DeviceType) -> str:
    return device_type.manufacturer or "Unknown"  # as write_devices_csv


def _used_types(document: Document) -> list[DeviceType]:
    used = dict.fromkeys(d.type for rack in document.site.racks for d in rack.devices)
    return [document.catalog.devices[type_id] for type_id in used]


def write_sites_csv(document: Document, handle: TextIO) -> None:
    """Sites > Import: the layout's one site (name, slug, status planned, description)."""
    writer = safe_writer(handle)
    writer.writerow(["name", "slug", "status", "description"])
    name = _site_name(document)
    writer.writerow([name, slug(name), _value("status"), f"Planned in Rack Designer: {document.site.name}"[:200]])


def _locations(document: Document) -> list[tuple[str, str]]:
    """(name, parent) per location: the hall (File → Properties) and each rack row inside it."""
    hall = netbox_name(document.site.info.hall, NAME_LIMITS["location"])
    found: list[tuple[str, str]] = [(hall, "")] if hall else []
    rows = dict.fromkeys(netbox_name(rack.row, NAME_LIMITS["location"]) for rack in document.site.racks if rack.row)
    return found + [(row, hall) for row in rows if row != hall]


def write_locations_csv(document: Document, handle: TextIO) -> None:
    """Locations > Import: the hall, then each rack row as a location inside the hall (NetBox
    has no rows; a row is commonly a child location). A header alone when neither is set."""
    writer = safe_writer(handle)
    writer.writerow(["site", "parent", "name", "slug", "status"])
    site = _site_name(document)
    for name, parent in _locations(document):
        # A row's slug carries its hall: slugs are unique per site in NetBox.
        writer.writerow([site, parent, name, slug(f"{parent}-{name}" if parent else name), _value("status")])


def write_manufacturers_csv(document: Document, handle: TextIO) -> None:
    """Manufacturers > Import: each maker of a device type the layout places (name, slug)."""
    writer = safe_writer(handle)
    writer.writerow(["name", "slug"])
    for name in dict.fromkeys(_manufacturer(t) for t in _used_types(document)):
        writer.writerow([name, slug(name)])


def write_device_roles_csv(document: Document, handle: TextIO) -> None:
    """Device Roles > Import: one role per device kind placed (the names write_devices_csv
    uses, resources/netbox_interface_types.yaml device_roles), with a colour."""
    roles = netbox_table()["device_roles"]
    colors = import_set_table()["role_colors"]
    writer = safe_writer(handle)
    writer.writerow(["name", "slug", "color"])
    for kind in dict.fromkeys(t.kind for t in _used_types(document)):
        name = roles.get(kind, kind)
        writer.writerow([name, slug(name), colors.get(kind, "9e9e9e")])


def write_racks_csv(document: Document, handle: TextIO) -> None:
    """Racks > Import: each rack, planned, 19-inch, its height in U and its outer size in mm;
    its location is its row, else the hall."""
    writer = safe_writer(handle)
    columns = ["site", "location", "name", "status", "form_factor", "width", "u_height"]
    writer.writerow([*columns, "outer_width", "outer_depth", "outer_unit", "description"])
    site, hall = _site_name(document), netbox_name(document.site.info.hall, NAME_LIMITS["location"])
    for rack in document.site.racks:
        writer.writerow(
            [
                site,
                netbox_name(rack.row, NAME_LIMITS["location"]) or hall,
                netbox_name(rack.label, NAME_LIMITS["rack"]),
                _value("status"),
                _value("rack_form_factor"),
                _value("rack_width_in"),
                rack.height_u,
                round(rack.width_mm),
                round(rack.depth_mm),
                _value("outer_unit"),
                f"row {rack.row}" if rack.row else "",
            ]
        )


@cache
def _interface_slugs() -> dict[tuple[str, float, int, str], str]:
    # The import table read backwards: (connector, rate, lanes, protocol) -> NetBox type slug.
    found: dict[tuple[str, float, int, str], str] = {}
    for name, spec in netbox_table()["interface_types"].items():
        key = (spec["connector"], float(spec["rate_gbps"]), int(spec["lanes"]), spec["protocol"])
        found.setdefault(key, name)
    return found


def interface_type_slug(port: PortSpec) -> str:
    """NetBox's interface type for `port`: the entry of resources/netbox_interface_types.yaml
    with its connector, rate, lanes and protocol (Ethernet when the port names none), else
    the same without the lanes, else 'other' (InterfaceTypeChoices.TYPE_OTHER)."""
    protocol = port.protocol or "ethernet"
    found = _interface_slugs()
    exact = found.get((port.connector, float(port.rate_gbps), port.lanes, protocol))
    if exact:
        return exact
    for (connector, rate, _lanes, proto), name in found.items():
        if connector == port.connector and rate == float(port.rate_gbps) and proto == protocol:
            return name
    return "other"


def panel_port_slug(connector: str) -> str:
    """NetBox's front/rear port type (PortTypeChoices) for a panel port's connector: the type of
    resources/netbox_interface_types.yaml panel_ports with that connector, else with its family
    (MPO-16 and MPO-24 are NetBox's 'mpo': its list has no fibre counts), else 'other'."""
    types = netbox_table()["panel_ports"]["types"]
    for name, spec in types.items():
        if spec["connector"] == connector:
            return name
    family = connector.split("-")[0].lower()  # 'MPO-16' -> 'mpo'
    return family if family in types else "other"


def device_type_record(device_type: DeviceType) -> dict[str, Any]:
    """One device type as NetBox's Device Types > Import (YAML) takes it: manufacturer, model
    (the name the devices CSV gives as device_type), slug, u_height, full depth, and its
    interfaces, rear ports, front ports and power ports (devicetype-library keys)."""
    record: dict[str, Any] = {
        "manufacturer": _manufacturer(device_type),
        "model": device_type.name,
        "slug": slug(device_type.id),
        "u_height": device_type.u_height,
        "is_full_depth": True,
        "comments": "Rack Designer catalog type "
        + device_type.id
        + (" (some figures estimated)" if device_type.estimated_figures else ""),
    }
    ports = device_type.ports
    interfaces = [{"name": p.name, "type": interface_type_slug(p)} for p in ports if p.role == "interface"]
    rears = [
        {"name": p.name, "type": panel_port_slug(p.connector), "positions": p.positions}
        for p in ports
        if p.role == "rear"
    ]
    fronts = [
        {
            "name": p.name,
            "type": panel_port_slug(p.connector),
            "rear_port": p.rear_port,
            "rear_port_position": p.rear_position,
        }
        for p in ports
        if p.role == "front"
    ]
    power = [
        {key: value for key, value in _power_entry(p).items() if value not in (None, "")}
        for p in device_type.power_ports
        if p.kind == "inlet"
    ]
    # A PDU's outlets (NetBox power-outlets: name and type; what feeds them is NetBox's to wire).
    outlets = [
        {key: value for key, value in (("name", p.name), ("type", p.connector)) if value}
        for p in device_type.power_ports
        if p.kind == "outlet"
    ]
    for key, entries in (
        ("interfaces", interfaces),
        ("rear-ports", rears),
        ("front-ports", fronts),
        ("power-ports", power),
        ("power-outlets", outlets),
    ):
        if entries:
            record[key] = entries
    return record


def _power_entry(port: Any) -> dict[str, Any]:
    return {
        "name": port.name,
        "type": port.connector,  # NetBox's PowerPortTypeChoices slug, as the importer keeps it
        "maximum_draw": None if port.maximum_draw_w is None else round(port.maximum_draw_w),
        "allocated_draw": None if port.allocated_draw_w is None else round(port.allocated_draw_w),
    }


def write_device_types_yaml(document: Document, handle: TextIO) -> None:
    """Device Types > Import: each device type placed, one YAML document each (`---`)."""
    records = [device_type_record(t) for t in _used_types(document) if t.rack_mountable]
    yaml.safe_dump_all(records, handle, sort_keys=False, allow_unicode=True, explicit_start=True)


def import_set_writers(document: Document, result: Any) -> list[tuple[str, Callable[[TextIO], None]]]:
    """(file name, writer) per file of the set, in NetBox's import order (the file names of
    resources/netbox_import_set.yaml). `result` is the layout's AnalysisResult (the cables)."""
    writers: list[Callable[[TextIO], None]] = [
        lambda h: write_sites_csv(document, h),
        lambda h: write_locations_csv(document, h),
        lambda h: write_manufacturers_csv(document, h),
        lambda h: write_device_roles_csv(document, h),
        lambda h: write_device_types_yaml(document, h),
        lambda h: write_racks_csv(document, h),
        lambda h: write_devices_csv(document, h),
        lambda h: write_cables_csv(result, h),
    ]
    names = [entry["name"] for entry in import_set_table()["files"]]
    return list(zip(names, writers, strict=True))


def readme_text(document: Document) -> str:
    """The set's README: what it is, and each file with the NetBox page that imports it, in order."""
    lines = [
        f"NetBox import set for '{document.site.name}' (Rack Designer), checked against the import",
        "forms of NetBox 4.6.8 and 4.7.0; an older NetBox may not know some columns (the cables'",
        "'profile'). Breakout cables (several ports on one side) need NetBox 4.7.",
        "Import the files in this order, each on its NetBox page (Import, then upload or paste;",
        "YAML for the device types). Every row is 'planned'. A later file names rows of the",
        "earlier ones, so NetBox refuses it if an earlier one was skipped.",
        "",
    ]
    for entry in import_set_table()["files"]:
        lines.append(f"{entry['name']:<22} {entry['page']} - {entry['what']}")
    lines += [
        "",
        "If NetBox already holds the site, a maker, a role or a device type, leave that row out",
        "of its file (NetBox refuses a duplicate name or slug).",
    ]
    return "\n".join(lines) + "\n"


def write_import_set(document: Document, result: Any, folder: Path) -> list[Path]:
    """Writes the whole set into `folder` (created if missing; its parent must exist), each
    file atomically, and returns the paths written (README first). Raises FileFormatError
    when the folder cannot be made or a file cannot be written; files written before the
    failure stay whole."""
    from model.io.files import atomic_text_write

    if folder.exists() and not folder.is_dir():
        raise FileFormatError(f"cannot save {folder}: it is a file; give a folder name")
    ours = {README, *(entry["name"] for entry in import_set_table()["files"])}
    if folder.is_dir() and (others := sorted(p.name for p in folder.iterdir() if p.name not in ours)):
        # A set written over a folder of other files would leave them beside it, to be imported by mistake.
        raise FileFormatError(
            f"cannot save {folder}: it holds other files ({', '.join(others[:3])}"
            f"{', …' if len(others) > 3 else ''}); give a new or empty folder"
        )
    if not folder.resolve().parent.is_dir():
        raise FileFormatError(f"cannot save {folder}: no such folder {folder.resolve().parent}")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise FileFormatError(f"cannot save {folder}: {exc.strerror or exc}") from exc
    written = [folder / README]
    with atomic_text_write(written[0]) as handle:
        handle.write(readme_text(document))
    for name, writer in import_set_writers(document, result):
        path = folder / name
        with atomic_text_write(path) as handle:
            writer(handle)
        written.append(path)
    return written

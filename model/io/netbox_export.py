"""NetBox out: CSVs for NetBox's bulk import (Devices > Import, Cables > Import).

A planned layout loads into NetBox as 'planned' devices and cables. The columns and every
value come from NetBox's own import forms and choice lists, netbox-community/netbox
netbox/dcim/forms/bulk_import.py (DeviceImportForm, CableImportForm) and
netbox/dcim/choices.py at commit 43fe81f9e833228c9869f7ddadb67e6c5f145060 (v4.6.8) and
d7f79bd50162b2b8a8d07b52348d332bd9404f3c (v4.7.0); the values are kept in
resources/netbox_interface_types.yaml.

- Device names in NetBox are the names people read (hostnames, `Device.label`); NetBox
  requires them unique, so a device whose name another device shares (or which is another
  device's id) keeps its id, the stable key (netbox_device_names). Cables name their ends
  by the same names.
- A cable's label is its cable id as people read it (its label, else its id; TIA-606
  identifiers), its description the ends it joins ('rack U5 device:port ↔ …'). A device's
  site is the layout's site (File → Properties), else the layout's name.
- A cable end on a panel's front or rear port is a `dcim.frontport` / `dcim.rearport`
  termination, every other end a `dcim.interface`.
- A breakout is one cable: its single end on side A, its legs on side B as comma-separated
  names (one device for all, or one per leg) with the breakout profile of its leg count.
  NetBox reads several terminations per side from v4.7.0 on (CableImportForm._clean_side);
  v4.6 refuses such a row, and with it the whole file.
- A label is at most 100 characters (Cable.label); a longer one is cut to 91 characters,
  '~' and 8 hex digits of its SHA-256, the same every time, and the full text goes in the
  description (at most 200 characters).
"""

from __future__ import annotations

import hashlib
import math
from functools import cache
from typing import Any, TextIO

from model.bulk import paused_gc
from model.document import Document
from model.io.csv_safe import safe_writer
from model.io.exports import neutralised, write_columns
from model.io.netbox_table import figure, netbox_table
from model.layout import cable_ends
from model.report_rows import cable_rows

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
    "profile",
    "description",
]
PLANNED = "planned"  # DeviceStatusChoices.STATUS_PLANNED and LinkStatusChoices.STATUS_PLANNED
METRES = "m"  # CableLengthUnitChoices.UNIT_METER
TERMINATION = {"interface": "dcim.interface", "front": "dcim.frontport", "rear": "dcim.rearport"}
HASH_DIGITS = 8


def write_devices_csv(document: Document, handle: TextIO) -> None:
    """Devices > Import: one row per placed device (DEVICE_COLUMNS), status 'planned'; the role
    is the NetBox device role of the device's kind (resources/netbox_interface_types.yaml)."""
    roles = netbox_table()["device_roles"]
    names = netbox_device_names(document)
    writer = safe_writer(handle)
    writer.writerow(DEVICE_COLUMNS)
    site = document.site
    for rack in site.racks:
        for device in sorted(rack.devices, key=lambda d: d.u_position):
            device_type = document.catalog.devices[device.type]
            writer.writerow(
                [
                    names[device.id],
                    roles.get(device_type.kind, device_type.kind),
                    device_type.manufacturer or "Unknown",
                    device_type.name,
                    netbox_name(
                        site.info.site or site.name, NAME_LIMITS["site"]
                    ),  # File → Properties' site, else the layout's name
                    netbox_name(rack.row, NAME_LIMITS["location"]),
                    netbox_name(rack.label, NAME_LIMITS["rack"]),
                    device.u_position,
                    device.face,
                    PLANNED,
                ]
            )


def netbox_device_names(document: Document) -> dict[str, str]:
    """NetBox's device name per device id: the device's name (hostname, else its id) when no
    other device reads the same and it is not another device's id; else the device's id,
    which the layout keeps unique. A name longer than NetBox's 64 characters is shortened by
    `netbox_name` (the same every time, so the cables CSV names the same devices)."""
    devices = document.devices
    counts: dict[str, int] = {}
    for device in devices.values():
        counts[device.label] = counts.get(device.label, 0) + 1
    return {
        device_id: netbox_name(
            device.label
            if counts[device.label] == 1 and (device.label == device_id or device.label not in devices)
            else device_id,
            NAME_LIMITS["device"],
        )
        for device_id, device in devices.items()
    }


# NetBox's name lengths: Device.name max_length=64 (dcim/models/devices.py); Rack, Site and
# Location names max_length=100 (dcim/models/racks.py, sites.py), at the commits above.
NAME_LIMITS = {"device": 64, "rack": 100, "site": 100, "location": 100}


def netbox_name(text: str, limit: int) -> str:
    """`text` when it fits `limit` characters; else cut to limit - 9 characters + '~' + 8 hex
    digits of its SHA-256, the same every time and different for different texts (as labels)."""
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]
    return text[: limit - HASH_DIGITS - 1] + "~" + digest


@cache
def _limits() -> tuple[int, int]:
    return int(figure("limits", "label")), int(figure("limits", "description"))


def netbox_label(text: str) -> tuple[str, str]:
    """(label, description) for a cable: the text itself and no description when it fits
    NetBox's label (100 characters); else the text cut to 91 characters + '~' + 8 hex digits of
    its SHA-256 (the same every time, different for different texts), and the full text as
    the description, cut to NetBox's 200 characters."""
    limit, description_limit = _limits()
    if len(text) <= limit:
        return text, ""
    description = text if len(text) <= description_limit else text[: description_limit - 1] + "…"
    return netbox_name(text, limit), description


def write_cables_csv(result: Any, handle: TextIO) -> None:
    """Cables > Import from an AnalysisResult (CABLE_COLUMNS): type from the chosen medium,
    length = the ordered length in m, status 'planned'; terminations typed by port role and a
    breakout as one row (see the module's notes). Raises StaleResult when the layout changed
    since `result`."""
    document = result.document
    types = {medium: entry["value"] for medium, entry in netbox_table()["cable_types"].items()}
    # A fibre cord or trunk (model.structured) is typed by its fibre (mmf-om4, smf-os2), not its medium.
    fiber_types = {fiber: entry["value"] for fiber, entry in netbox_table()["fiber_cable_types"].items()}
    types |= {p.id: fiber_types[p.fiber] for p in document.catalog.cables.values() if p.fiber in fiber_types}
    profiles = netbox_table()["breakout_profiles"]
    cables = {cable.id: cable for cable in document.site.cables}
    termination = _Terminations(document)
    termination.names = netbox_device_names(document)
    writer = safe_writer(handle)
    writer.writerow(CABLE_COLUMNS)
    rows = cable_rows(result)  # in bulk from the result's columns; a breakout has a row per leg
    legs_of: dict[str, list[int]] = {}
    for i, cable_id in enumerate(rows.ids):
        legs_of.setdefault(cable_id, []).append(i)
    with paused_gc():  # a million small strings and tuples: no collector passes over the layout's heap
        columns = _cable_columns(rows, legs_of, cables, termination, types, profiles)
    write_columns(writer, handle, [neutralised(column) for column in columns])


def _cable_columns(
    rows: Any,
    legs_of: dict[str, list[int]],
    cables: dict[str, Any],
    termination: _Terminations,
    types: dict[str, str],
    profiles: dict[int, str],
) -> list[list[str]]:
    """The CSV's columns, a row per cable: straight cables in bulk from the result's columns,
    each breakout's legs folded into one row."""
    devices, ports = rows.end_device, rows.end_port
    kinds = [termination.of(device, port) for device, port in zip(devices, ports)]
    devices = [termination.names.get(device, device) for device in devices]  # NetBox names them by hostname
    lengths = [f"{x:g}" if x == x else "" for x in rows.ordered_length_m.tolist()]  # NaN: no orderable length
    ends = [a + " ↔ " + b for a, b in zip(rows.end_text[0::2], rows.end_text[1::2])]
    labels = [_cable_label(cable_id, joined) for cable_id, joined in zip(rows.cable_id, ends)]
    n = len(rows.ids)
    per_row = [
        devices[0::2],
        kinds[0::2],
        ports[0::2],
        devices[1::2],
        kinds[1::2],
        ports[1::2],
        [types.get(p or "") or (types[m] if m else "") for m, p in zip(rows.medium, rows.product_id)],
        [PLANNED] * n,
        [label for label, _ in labels],
        lengths,
        [METRES if length else "" for length in lengths],
        [""] * n,
        [description for _, description in labels],
    ]
    if len(legs_of) == n:
        return per_row  # no breakouts: a row per cable already
    columns: list[list[str]] = [[] for _ in CABLE_COLUMNS]
    for cable_id, legs in legs_of.items():
        first = legs[0]
        if len(legs) == 1:
            values = [column[first] for column in per_row]
        else:
            values = _breakout_row(rows, legs, cables[cable_id], termination, per_row, profiles)
        for column, value in zip(columns, values):
            column.append(value)
    return columns


def _cable_label(cable_id: str, ends: str) -> tuple[str, str]:
    """(label, description) of a cable: its cable id (netbox_label), and the ends it joins as
    the description unless the id's own overflow is there (at most NetBox's 200 characters)."""
    label, description = netbox_label(cable_id)
    if description or ends == cable_id:
        return label, description
    limit = _limits()[1]
    return label, ends if len(ends) <= limit else ends[: limit - 1] + "…"


def _breakout_row(
    rows: Any, legs: list[int], cable: Any, termination: _Terminations, per_row: list[list[str]], profiles: dict
) -> list[str]:
    """One row for a breakout whose legs are result rows `legs`: its single end on side A, the
    legs on side B, the longest leg's length, the breakout profile of its leg count."""
    first = legs[0]
    a_ends, b_ends = cable_ends(cable)
    if len(a_ends) > 1 and len(b_ends) == 1:  # the single end goes on side A, as the profile has it
        a_ends, b_ends = b_ends, a_ends
    text = rows.label[first]
    if len({rows.label[i] for i in legs}) > 1:  # no label of the designer's: 'a ↔ leg 1, leg 2'
        text = rows.end_text[2 * first] + " ↔ " + ", ".join(rows.end_text[2 * i + 1] for i in legs)
    label, description = _cable_label(rows.cable_id[first], text)
    lengths = [float(rows.ordered_length_m[i]) for i in legs]
    length = "" if any(math.isnan(x) for x in lengths) else f"{max(lengths):g}"  # the longest leg's
    return [
        *termination.side(a_ends),
        *termination.side(b_ends),
        per_row[6][first],
        PLANNED,
        label,
        length,
        METRES if length else "",
        profiles.get(max(len(a_ends), len(b_ends)), ""),
        description,
    ]


class _Terminations:
    """NetBox's termination type of a device's port (dcim.interface, dcim.frontport,
    dcim.rearport), looked up once per device type."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.panel_ports: dict[str, dict[str, str]] = {}
        self.names: dict[str, str] = {}  # NetBox's name per device id (netbox_device_names)

    def of(self, device_id: str, port: str) -> str:
        """The termination type of `port` on device `device_id` (dcim.interface when unknown)."""
        device = self.document.devices.get(device_id)
        if device is None:
            return TERMINATION["interface"]
        panel = self.panel_ports.get(device.type)
        if panel is None:
            device_type = self.document.catalog.devices[device.type]
            panel = {p.name: TERMINATION[p.role] for p in device_type.ports if p.role != "interface"}
            self.panel_ports[device.type] = panel
        return panel.get(port, TERMINATION["interface"])

    def side(self, refs: tuple[str, ...]) -> tuple[str, str, str]:
        """(device, type, name) of one side: one device for all ports, else one per port,
        comma-separated; NetBox takes one termination type per side (a breakout's legs are
        all interfaces)."""
        pairs = [ref.partition(":")[::2] for ref in refs]
        devices = [self.names.get(device, device) for device, _ in pairs]
        device_text = devices[0] if len(set(devices)) == 1 else ",".join(devices)
        kinds = sorted({self.of(device, port) for device, port in pairs})
        return device_text, kinds[0], ",".join(port for _, port in pairs)

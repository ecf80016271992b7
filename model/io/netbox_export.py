"""NetBox out: CSVs for NetBox's bulk import (Devices > Import, Cables > Import).

A planned layout loads into NetBox as 'planned' devices and cables. The columns and every
value come from NetBox's own import forms and choice lists, netbox-community/netbox
netbox/dcim/forms/bulk_import.py (DeviceImportForm, CableImportForm) and
netbox/dcim/choices.py at commit 43fe81f9e833228c9869f7ddadb67e6c5f145060 (v4.6.8) and
d7f79bd50162b2b8a8d07b52348d332bd9404f3c (v4.7.0); the values are kept in
resources/netbox_interface_types.yaml.

- Device names in NetBox are the layout's device ids: they are unique, which NetBox requires.
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
from typing import Any, TextIO

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


def netbox_label(text: str) -> tuple[str, str]:
    """(label, description) for a cable: the text itself and no description when it fits
    NetBox's label (100 characters); else the text cut to 91 characters + '~' + 8 hex digits of
    its SHA-256 (the same every time, different for different texts), and the full text as
    the description, cut to NetBox's 200 characters."""
    limit = int(figure("limits", "label"))
    if len(text) <= limit:
        return text, ""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]
    description_limit = int(figure("limits", "description"))
    description = text if len(text) <= description_limit else text[: description_limit - 1] + "…"
    return text[: limit - HASH_DIGITS - 1] + "~" + digest, description


def write_cables_csv(result: Any, handle: TextIO) -> None:
    """Cables > Import from an AnalysisResult (CABLE_COLUMNS): type from the chosen medium,
    length = the ordered length in m, status 'planned'; terminations typed by port role and a
    breakout as one row (see the module's notes). Raises StaleResult when the layout changed
    since `result`."""
    document = result.document
    types = netbox_table()["cable_types"]
    profiles = netbox_table()["breakout_profiles"]
    cables = {cable.id: cable for cable in document.site.cables}
    writer = safe_writer(handle)
    writer.writerow(CABLE_COLUMNS)
    rows = cable_rows(result)  # in bulk from the result's columns; a breakout has a row per leg
    legs_of: dict[str, list[int]] = {}
    for i, cable_id in enumerate(rows.ids):
        legs_of.setdefault(cable_id, []).append(i)
    ordered = rows.ordered_length_m
    columns: list[list[Any]] = [[] for _ in CABLE_COLUMNS]
    for cable_id, legs in legs_of.items():
        first = legs[0]
        a_ends, b_ends = cable_ends(cables[cable_id])
        if len(a_ends) > 1 and len(b_ends) == 1:  # the single end goes on side A, as the profile has it
            a_ends, b_ends = b_ends, a_ends
        count = max(len(a_ends), len(b_ends))
        text = rows.label[first]
        if len({rows.label[i] for i in legs}) > 1:  # no label of the designer's: 'a ↔ leg 1, leg 2'
            text = rows.end_text[2 * first] + " ↔ " + ", ".join(rows.end_text[2 * i + 1] for i in legs)
        label, description = netbox_label(text)
        lengths = [float(ordered[i]) for i in legs]
        length = "" if any(math.isnan(x) for x in lengths) else f"{max(lengths):g}"  # the longest leg's
        medium = rows.medium[first]
        values = [
            *_side(document, a_ends),
            *_side(document, b_ends),
            types[medium]["value"] if medium else "",
            PLANNED,
            label,
            length,
            METRES if length else "",
            profiles.get(count, "") if count > 1 else "",
            description,
        ]
        for column, value in zip(columns, values):
            column.append(value)
    write_columns(writer, handle, [neutralised(column) for column in columns])


def _side(document: Document, refs: tuple[str, ...]) -> tuple[str, str, str]:
    """(device, type, name) of one side: one device for all ports, else one per port, comma-separated."""
    devices, names, kinds = [], [], set()
    for ref in refs:
        device_id, _, port_name = ref.partition(":")
        devices.append(device_id)
        names.append(port_name)
        device = document.devices.get(device_id)
        spec = document.catalog.devices[device.type].port(port_name) if device is not None else None
        kinds.add(TERMINATION[getattr(spec, "role", "interface")] if spec is not None else TERMINATION["interface"])
    device_text = devices[0] if len(set(devices)) == 1 else ",".join(devices)
    # NetBox takes one termination type per side; legs of one breakout are all interfaces.
    return device_text, sorted(kinds)[0], ",".join(names)

"""`python main.py library ...`: the designer's own device library from the command line.

library import FILE.yaml...              NetBox devicetype-library files into the library, each
                                         all or nothing; one line per file on stdout (what was
                                         imported, what was left out), a refused file on stderr;
                                         exit 2 when any file is refused
library show TYPE_ID [--format json]     one device type of the catalog or the library

The library is $XDG_DATA_HOME/rack-designer/devices.yaml (model.io.library).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from model.text import terminal_safe

EXIT_REFUSED = 2


def add_library_parser(commands: Any) -> None:
    """Adds `library import` and `library show` to the CLI's sub-command parsers."""
    library = commands.add_parser("library", help="your device library: import NetBox device types, show one")
    actions = library.add_subparsers(
        dest="library_command", metavar="import|show", required=True, parser_class=type(library)
    )
    imports = actions.add_parser("import", help="import NetBox devicetype-library YAML files into your library")
    imports.add_argument("files", type=Path, nargs="+", metavar="FILE.yaml")
    imports.add_argument(
        "--replace",
        action="store_true",
        help="replace types of the same id already in your library (not built-in ones)",
    )
    show = actions.add_parser("show", help="show a device type of the catalog or your library")
    show.add_argument("type_id", metavar="TYPE_ID")
    show.add_argument("--format", choices=["text", "json"], default="text")


def run_library(args: argparse.Namespace, say: Any) -> int:
    """Runs `library import` or `library show`; returns the exit code (0, or 2 when a file is
    refused or the type is unknown). CatalogError from the library itself propagates (exit 2)."""
    from model.catalog import default_catalog

    if args.library_command == "import":
        from model.io.library import import_files

        results = import_files(args.files, default_catalog(), replace=args.replace)
        for result in results:
            if result.imported is None:
                say(result.line())
            else:
                print(terminal_safe(result.line()))
        return EXIT_REFUSED if any(r.imported is None for r in results) else 0
    from model.io.library import user_catalog

    catalog, warning = user_catalog(default_catalog())
    if warning:
        say(warning)
    device = catalog.devices.get(args.type_id)
    if device is None:
        say(f"no device type {args.type_id!r} in the catalog or your library")
        return EXIT_REFUSED
    payload = device_type_dict(device)
    if args.format == "json":
        sys.stdout.write(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("".join(terminal_safe(line) + "\n" for line in _text(payload)))
    return 0


def device_type_dict(device: Any) -> dict[str, Any]:
    """A device type as `library show --format json` gives it: id, name, kind, u_height, power_w
    (W; its power inlets' allocated draws add up to it), power_redundancy ("N+N", "N+1", "N" or
    None: how many of its inlets carry it), accelerators, estimated (the figures marked as
    estimates, e.g. ["power_w"]), cages (name, connector, face, ports)
    and ports (name, connector, rate_gbps, lanes, max_lane_rate_gbps, protocol, role, cage):
    role interface, front or rear, or power for a power inlet or outlet (its `power`: kind,
    maximum_draw_w, allocated_draw_w; no rate, lanes, protocol or cage)."""
    ports: list[dict[str, Any]] = [
        {
            "name": port.name,
            "connector": port.connector,
            "rate_gbps": port.rate_gbps,
            "lanes": port.lanes,
            "max_lane_rate_gbps": port.max_lane_rate_gbps,
            "protocol": port.protocol,
            "role": port.role,
            "cage": port.cage_name,
        }
        for port in device.ports
    ]
    ports += [
        {
            "name": power.name,
            "connector": power.connector,
            "rate_gbps": None,
            "lanes": None,
            "max_lane_rate_gbps": None,
            "protocol": None,
            "role": "power",
            "cage": None,
            "power": {
                "kind": power.kind,
                "maximum_draw_w": power.maximum_draw_w,
                "allocated_draw_w": power.allocated_draw_w,
            },
        }
        for power in device.power_ports
    ]
    # A panel's adapters are not transceiver cages (model.catalog.DeviceType.cages).
    interfaces = {port.name for port in device.ports if port.role == "interface"}
    cages = [
        {"name": cage.name, "connector": cage.connector, "face": cage.face, "ports": list(cage.ports)}
        for cage in device.cages
        if set(cage.ports) <= interfaces
    ]
    return {
        "id": device.id,
        "name": device.name,
        "kind": device.kind,
        "u_height": device.u_height,
        "power_w": device.power_w,
        "power_redundancy": device.power_redundancy,
        "accelerators": device.accelerators,
        "estimated": list(device.estimated_figures),  # figures no datasheet gives (the sources say so)
        "cages": cages,
        "ports": ports,
    }


def _text(payload: dict[str, Any]) -> list[str]:
    lines = [
        f"{payload['id']}: {payload['name']}",
        f"  {payload['kind']}, {payload['u_height']}U, {payload['power_w']:g} W"
        + (f" ({payload['power_redundancy']})" if payload.get("power_redundancy") else "")
        + ", "
        + (f"{payload['accelerators']} accelerators, " if payload["accelerators"] else "")
        + f"{len(payload['cages'])} cages, {len(payload['ports'])} ports",
    ]
    if payload["estimated"]:
        lines.append(f"  estimated: {', '.join(payload['estimated'])}")
    for port in payload["ports"]:
        if port["role"] == "power":
            power = port["power"]
            draw = f", max {power['maximum_draw_w']:g} W" if power["maximum_draw_w"] is not None else ""
            lines.append(f"  {port['name']}: power {power['kind']} {port['connector']}{draw}")
            continue
        protocol = f" {port['protocol']}" if port["protocol"] else ""
        lines.append(
            f"  {port['name']}: {port['role']} {port['connector']} {port['rate_gbps']:g}G x{port['lanes']}{protocol}"
            + (f" (cage {port['cage']})" if port["cage"] != port["name"] else "")
        )
    return lines

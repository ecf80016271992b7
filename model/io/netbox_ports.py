"""The parts of a NetBox device type that become ports and power in Rack Designer.

Interfaces become cabled ports (twin-port OSFP cages found from their names), front and
rear ports become panel ports, power ports give the device's draw. What cannot be used
is said in a warning naming the type and the ports, never dropped in silence; what is
wrong raises CatalogError naming the file, the list and the entry. All figures come from
resources/netbox_interface_types.yaml (model.io.netbox_table).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from model.defaults import default
from model.errors import CatalogError
from model.io.netbox_table import (
    connector_width_mm,
    figure,
    interface_type,
    known_connector,
    not_cabled_reason,
    panel_port,
)
from model.text import brief


@dataclass
class PortPlan:
    """One port to be: its name, connector, rate (Gb/s), lanes, protocol, role (interface /
    front / rear), its cage's name (the port's own for a single-port cage) and, for a front
    port, its rear port and position; `positions` for a rear port."""

    name: str
    connector: str
    rate_gbps: float
    lanes: int
    protocol: str | None
    role: str = "interface"
    cage: str = ""
    rear_port: str | None = None
    rear_position: int = 1
    positions: int = 1


@dataclass
class PortReport:
    """What reading one list of ports gave: the ports and the warnings for the designer."""

    ports: list[PortPlan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def few(names: list[str]) -> str:
    """'a, b, c, d, ... (9 in all)': at most four names."""
    return ", ".join(names[:4]) + (f", ... ({len(names)} in all)" if len(names) > 4 else "")


def entries_of(data: dict[str, Any], key: str, origin: str, repeats_ok: bool = False) -> list[dict[str, Any]]:
    """The list `key` of a device type, each entry a mapping with a name; CatalogError naming
    `origin`, the list and the entry otherwise. Names must not repeat within the list, except
    with `repeats_ok` (a list the import only names as left out, such as console ports: the
    devicetype-library's DGX A100 lists 'Rear VGA' twice), where a repeat is given once."""
    entries = data.get(key) or []
    if not isinstance(entries, list):
        raise CatalogError(f"{origin}: {key} must be a list")
    seen: set[str] = set()
    kept = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or entry.get("name") in (None, ""):
            raise CatalogError(f"{origin}: {key}[{i}].name is missing")
        name = str(entry["name"])
        if name in seen:
            if repeats_ok:
                continue
            raise CatalogError(f"{origin}: {key}[{i}].name: {brief(name)} repeats")
        seen.add(name)
        kept.append(entry)
    return kept


def read_interfaces(entries: list[dict[str, Any]], origin: str) -> PortReport:
    """Cabled ports from a device type's `interfaces`; management ports and types Rack Designer
    does not cable are left out and named in warnings (type, reason, ports). CatalogError naming
    `origin` and the ports for a type NetBox does not have (a typo, a type newer than the table)
    or none given: what such a port is cannot be told, and the file is refused whole."""
    _refuse_unknown_types(entries, origin)
    report = PortReport()
    skipped: dict[str, list[str]] = {}
    management: list[str] = []
    for entry in entries:
        name = str(entry["name"])
        slug = str(entry.get("type") or "")
        if entry.get("mgmt_only"):
            management.append(name)
            continue
        spec = interface_type(slug)
        if spec is None or not known_connector(spec.connector):
            skipped.setdefault(slug, []).append(name)
            continue
        report.ports.append(PortPlan(name, spec.connector, spec.rate_gbps, spec.lanes, spec.protocol, cage=name))
    for slug, names in skipped.items():
        spec = interface_type(slug)  # types NetBox lacks were refused: each left here has a reason
        reason = not_cabled_reason(slug) or ""
        if spec is not None:
            reason = f"its cage {spec.connector} is not in Rack Designer's connector table"
        report.warnings.append(
            f"left out {len(names)} interface(s) of type {brief(slug or '')}: {reason}: {few(names)}"
        )
    if management:
        report.warnings.append(f"left out {len(management)} management interface(s): {few(management)}")
    _twin_cages(report)
    return report


def _refuse_unknown_types(entries: list[dict[str, Any]], origin: str) -> None:
    unknown: dict[str, list[str]] = {}
    for entry in entries:
        slug = str(entry.get("type") or "")
        if entry.get("mgmt_only") and slug:
            continue  # a management port is left out whatever its type
        if interface_type(slug) is None and not_cabled_reason(slug) is None:
            unknown.setdefault(slug, []).append(str(entry["name"]))
    if unknown:
        said = "; ".join(
            f"interfaces[{few(names)}]: "
            + (f"type {brief(slug)} is not a NetBox interface type" if slug else "no type")
            for slug, names in unknown.items()
        )
        raise CatalogError(f"{origin}: {said} (resources/netbox_interface_types.yaml lists NetBox's types)")


def _stem(name: str, patterns: list[re.Pattern[str]]) -> str | None:
    """The cage part of a twin-port name (P1 of P1.0, sw3 of sw3p2), or None."""
    for pattern in patterns:
        match = pattern.match(name)
        if match:
            return match.group(1)
    return None


def _twin_cages(report: PortReport) -> None:
    """Pairs of ports named <stem>.N, <stem>/N or swNpM, alone on their stem, of one twin-port
    connector and type, share a cage named <stem>. A port alone on its stem, of a type whose
    other ports pair up, sits in its own twin cage too (its twin is missing from the file)."""
    patterns = [re.compile(p) for p in figure("twin_port", "name_patterns")]
    twins = set(figure("twin_port", "connectors"))
    stems: dict[str, list[PortPlan]] = {}
    for port in report.ports:
        stem = _stem(port.name, patterns)
        if stem is not None and port.connector in twins:
            stems.setdefault(stem, []).append(port)
    cages = 0
    paired: set[tuple[str, float, int]] = set()
    lone: list[tuple[str, PortPlan]] = []
    for stem, ports in stems.items():
        first, *rest = ports
        kind = (first.connector, first.rate_gbps, first.lanes)
        if len(ports) == 2 and all((p.connector, p.rate_gbps, p.lanes) == kind for p in rest):
            for port in ports:
                port.cage = stem
            cages += 1
            paired.add(kind)
        elif len(ports) == 1:
            lone.append((stem, first))
    half = [(stem, p) for stem, p in lone if (p.connector, p.rate_gbps, p.lanes) in paired]
    for stem, port in half:
        port.cage = stem
    if cages:
        report.warnings.append(
            f"{cages + len(half)} twin-port {first_connector(report)} cage(s) found from the port names "
            "(two ports per cage, as a QM9700's)"
        )
    if half:
        names = [f"{stem} ({port.name})" for stem, port in half]
        report.warnings.append(
            f"{len(half)} twin-port cage(s) list one port only, the other is missing from the file: {few(names)}"
        )


def first_connector(report: PortReport) -> str:
    """The connector of the first port that shares its cage ('' when none does)."""
    return next((p.connector for p in report.ports if p.cage != p.name), "")


def read_panel_ports(front: list[dict[str, Any]], rear: list[dict[str, Any]], origin: str) -> PortReport:
    """Panel ports from `front-ports` and `rear-ports`: each front port passes to its rear port
    (`rear_port`, at `rear_port_position`, default 1); CatalogError names a front port whose
    rear port is not listed."""
    report = PortReport()
    rate = float(figure("panel_ports", "rate_gbps"))
    rear_names = set()
    for entry in rear:
        connector, lanes = panel_port(str(entry.get("type") or ""))
        positions = _whole(entry.get("positions", 1), f"{origin}: rear-ports[{entry['name']}].positions")
        rear_names.add(str(entry["name"]))
        report.ports.append(
            PortPlan(str(entry["name"]), connector, rate, lanes, None, "rear", str(entry["name"]), positions=positions)
        )
    fronts = []
    for entry in front:
        name = str(entry["name"])
        connector, lanes = panel_port(str(entry.get("type") or ""))
        rear_port = entry.get("rear_port")
        if rear_port is None or str(rear_port) not in rear_names:
            raise CatalogError(
                f"{origin}: front-ports[{name}].rear_port: {brief(rear_port)} is not among the rear-ports"
            )
        position = _whole(entry.get("rear_port_position", 1), f"{origin}: front-ports[{name}].rear_port_position")
        fronts.append(PortPlan(name, connector, rate, lanes, None, "front", name, str(rear_port), position))
    report.ports[:0] = fronts  # front ports first, as a panel numbers them
    unknown = sorted({p.connector for p in report.ports if not known_connector(p.connector)})
    if unknown:
        left = [p.name for p in report.ports if p.connector in unknown]
        report.ports = [p for p in report.ports if p.connector not in unknown]
        report.warnings.append(
            f"left out panel ports of connector {', '.join(unknown)} Rack Designer does not know: {few(left)}"
        )
    return report


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1024:
        raise CatalogError(f"{where}: must be a whole number from 1 to 1024, not {brief(value)}")
    return value


def read_power(entries: list[dict[str, Any]], origin: str) -> tuple[float, str, list[str]]:
    """The device's draw in W from its `power-ports`, how it was found (for the source) and
    warnings. allocated_draw (what the device draws through a port) is summed when any port
    gives it; else the ports are N+N redundant supplies and the draw is that of the N = ceil(n/2)
    largest maximum_draw (resources/netbox_interface_types.yaml power.redundancy, an estimate)."""
    allocated: list[float] = []
    maximum: list[float] = []
    for entry in entries:
        for key, into in (("allocated_draw", allocated), ("maximum_draw", maximum)):
            value = entry.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e6:
                raise CatalogError(f"{origin}: power-ports[{entry['name']}].{key} must be watts, not {brief(value)}")
            into.append(float(value))
    if allocated:
        total = sum(allocated)
        return total, f"sum of allocated_draw over {len(allocated)} power port(s)", []
    if not maximum:
        if entries:
            return (
                0.0,
                "no power port gives a draw",
                ["no power port gives allocated_draw or maximum_draw: power set to 0 W, edit it in your library"],
            )
        return 0.0, "no power ports", ["no power ports: power set to 0 W, edit it in your library"]
    carrying = math.ceil(len(maximum) / 2)
    draws = sorted(maximum, reverse=True)[:carrying]
    total = sum(draws)
    how = f"{len(maximum)} supplies as N+N: the draw of {carrying} ({' + '.join(f'{d:g}' for d in draws)} W)"
    warning = f"power: {len(maximum)} power ports without allocated_draw taken as N+N redundant supplies, "
    warning += f"the draw of {carrying}: {total:g} W (an estimate; give allocated_draw for the real draw)"
    return total, how, [warning] if len(maximum) > 1 else []


def power_redundancy(entries: list[dict[str, Any]]) -> str | None:
    """How the supplies in `power-ports` share the load, as DeviceType.power_redundancy: "N+N"
    where `read_power` takes them as N+N (two or more, maximum_draw and no allocated_draw),
    "N" for a single supply with a draw, None when the file does not tell (allocated_draw
    given, or no draw at all). Draws were checked by `read_power`."""
    if any(entry.get("allocated_draw") is not None for entry in entries):
        return None
    drawing = [entry for entry in entries if entry.get("maximum_draw") is not None]
    if len(drawing) > 1:
        return "N+N"
    return "N" if drawing else None


def place(ports: list[PortPlan], faces: dict[str, str], u_height: int) -> list[dict[str, Any]]:
    """PortSpec entries: cages spread evenly over each face's faceplate, in rows when one row would
    put cages closer than a module's width (or the minimum pitch); the two ports of a twin cage
    side by side in it. `faces` maps a role to the face its ports are on."""
    by_face: dict[str, list[PortPlan]] = {}
    for port in ports:
        by_face.setdefault(faces[port.role], []).append(port)
    placed: list[dict[str, Any]] = []
    width = default("rail_width_mm")
    height = u_height * default("rack_unit_mm")
    for face, face_ports in by_face.items():
        cages: dict[str, list[PortPlan]] = {}
        for port in face_ports:
            cages.setdefault(port.cage, []).append(port)
        widest = max((connector_width_mm(p.connector) or 0 for p in face_ports), default=0)
        pitch = max(figure("faceplate", "min_port_pitch_mm"), widest)
        per_row_max = max(1, int(width // pitch))
        rows = math.ceil(len(cages) / per_row_max)
        per_row = math.ceil(len(cages) / rows)
        for i, members in enumerate(cages.values()):
            row, column = divmod(i, per_row)
            slot = width / per_row
            for k, port in enumerate(members):
                offset = (k - (len(members) - 1) / 2) * min(slot, pitch) / 2  # twin ports side by side in the cage
                entry: dict[str, Any] = {
                    "name": port.name,
                    "connector": port.connector,
                    "rate_gbps": port.rate_gbps,
                    "lanes": port.lanes,
                    "face": face,
                    "x_mm": round((column + 0.5) * slot + offset, 2),
                    "y_mm": round(height - (row + 0.5) * height / rows, 2),  # first row on top
                    "role": port.role,
                }
                if port.role == "front":
                    entry.update(rear_port=port.rear_port, rear_position=port.rear_position)
                if port.role == "rear":
                    entry["positions"] = port.positions
                if len(members) > 1 or port.cage != port.name:  # a twin cage, or one whose twin is not listed
                    entry["cage"] = port.cage
                if port.protocol:
                    entry["protocol"] = port.protocol
                placed.append(entry)
    return placed


def power_port_entries(inlets: list[dict[str, Any]], outlets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """PowerPortSpec entries: each power port as an inlet with its draws (W), each power outlet
    as an outlet; the connector is NetBox's type slug ('' when the file gives none). Draws were
    checked by `read_power`."""
    entries: list[dict[str, Any]] = []
    for entry in inlets:
        entries.append(
            {
                "name": str(entry["name"]),
                "connector": str(entry.get("type") or ""),
                "kind": "inlet",
                "maximum_draw_w": entry.get("maximum_draw"),
                "allocated_draw_w": entry.get("allocated_draw"),
            }
        )
    for entry in outlets:
        entries.append({"name": str(entry["name"]), "connector": str(entry.get("type") or ""), "kind": "outlet"})
    return entries

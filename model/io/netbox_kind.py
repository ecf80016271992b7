"""What a NetBox device type is (switch, server, patch panel, PDU), from what its file holds.

NetBox device types carry no role, so the kind is read from the content: the product line
its model names (model_families), its power outlets, its front/rear ports, its fabric ports
(how many, how they are named) and its bays. Every rule and pattern is data, with its
source, in resources/netbox_interface_types.yaml (model.io.netbox_table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from model.io.netbox_ports import PortPlan, few
from model.io.netbox_table import figure, netbox_table


@dataclass(frozen=True)
class ModelFamily:
    """A product line named by a device type's model: its key in the table, what to call it,
    the kind its devices are, the protocol of all their ports (None when the line does not
    fix it) and the source."""

    key: str
    label: str
    kind: str
    protocol: str | None
    source: str


def model_family(manufacturer: str, model: str, part_number: str = "") -> ModelFamily | None:
    """The product line (resources/netbox_interface_types.yaml model_families) whose pattern
    is in `model` or `part_number` and whose manufacturer pattern starts `manufacturer`
    (both case-insensitive), or None."""
    for key, spec in netbox_table()["model_families"].items():
        if not re.match(spec["manufacturer"], manufacturer, re.IGNORECASE):
            continue
        if any(re.search(spec["pattern"], text, re.IGNORECASE) for text in (model, part_number) if text):
            return ModelFamily(key, spec["label"], spec["kind"], spec.get("protocol"), spec["source"])
    return None


def guess_kind(
    data: dict[str, Any],
    family: ModelFamily | None,
    cabled: list[PortPlan],
    panel: list[PortPlan],
    outlets: list[dict[str, Any]],
) -> tuple[str, str]:
    """The device's kind and why, one line: its product line first, then power outlets (a PDU),
    front/rear ports without cabled interfaces (a patch panel), fabric ports (how many, their
    names), then its module bays (line cards: a switch; a passive housing: a patch panel).
    `data` is the device type's mapping as read (its bays, airflow, power)."""
    if family is not None:
        return family.kind, f"its model is {family.label} (resources/netbox_interface_types.yaml model_families)"
    if outlets:
        return "pdu", f"it has {len(outlets)} power outlet(s)"
    if panel and not cabled:
        return "patch_panel", f"it has {len(panel)} front/rear port(s) and no cabled interface"
    fast = [p for p in cabled if p.rate_gbps >= figure("kind_guess", "high_speed_gbps")]
    if len(fast) >= figure("kind_guess", "switch_min_ports"):
        return "switch", f"{len(fast)} ports of {figure('kind_guess', 'high_speed_gbps')}G or more"
    pattern = re.compile(figure("kind_guess", "switch_port_names"), re.IGNORECASE)
    named = [p.name for p in fast if pattern.match(p.name)]
    if fast and len(named) == len(fast):
        return "switch", f"its fabric ports are named as a switch names them ({few(named)})"
    if fast:
        return "server", f"{len(fast)} fabric port(s), named as a host names them ({few([p.name for p in fast])})"
    return _kind_from_bays(data)


def _kind_from_bays(data: dict[str, Any]) -> tuple[str, str]:
    """A device with no fabric ports: a modular switch when its module bays are line cards or
    supervisors, a patch panel when it is a passive housing of module bays; else a server."""
    bays = [e for e in data.get("module-bays") or [] if isinstance(e, dict)]
    cards = re.compile(figure("bays_kind", "line_card_names"), re.IGNORECASE)
    named = [str(b.get("name")) for b in bays if cards.search(f"{b.get('name', '')} {b.get('description', '')}")]
    if named:
        return "switch", f"a modular chassis: its module bays take line cards or supervisors ({few(named)})"
    unpowered = not data.get("power-ports") and not data.get("power-outlets")
    if bays and unpowered and data.get("airflow") == "passive":
        return (
            figure("bays_kind", "passive_housing"),
            f"a passive housing (airflow passive, no power ports) of {len(bays)} module bay(s)",
        )
    return "server", "no fabric ports to tell; change the kind in your library if it is not a server"


def sort_bays(bays: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Module bay names by what goes in them: 'accelerator' (a GPU: counted as the device's
    accelerators), 'part' (a supply, fan, CPU, memory or drive: nothing to cable) and 'card'
    (a line card or NIC whose ports the designer adds), by name and description
    (resources/netbox_interface_types.yaml bays_kind)."""
    accelerator = re.compile(figure("bays_kind", "accelerator_names"), re.IGNORECASE)
    part = re.compile(figure("bays_kind", "part_names"), re.IGNORECASE)
    sorted_bays: dict[str, list[str]] = {"accelerator": [], "part": [], "card": []}
    for bay in bays:
        text = f"{bay.get('name', '')} {bay.get('description') or ''}"
        group = "accelerator" if accelerator.search(text) else "part" if part.search(text) else "card"
        sorted_bays[group].append(str(bay.get("name")))
    return sorted_bays

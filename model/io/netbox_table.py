"""NetBox's vocabulary as Rack Designer reads and writes it: resources/netbox_interface_types.yaml.

Which NetBox interface type is which cage, rate, lanes and protocol; which types are not
cabled and why; front/rear port types; the kind guess; the figures an export must keep
to (NetBox's choice lists and field lengths). Each figure carries its source in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from model.connectors import connector_table
from model.resources import load_yaml, resource_path


@dataclass(frozen=True)
class InterfaceType:
    """How one NetBox interface type is cabled: the cage's connector, rate (Gb/s), lanes, protocol."""

    connector: str
    rate_gbps: float
    lanes: int
    protocol: str


@cache
def netbox_table() -> dict[str, Any]:
    """resources/netbox_interface_types.yaml, read once (a dict as in the file; every figure
    with its source). Raises OSError or yaml.YAMLError only if the shipped file is broken."""
    return load_yaml(resource_path("netbox_interface_types.yaml"))


def figure(*keys: str) -> Any:
    """The `value` of the entry at `keys` in the table, e.g. figure("kind_guess", "high_speed_gbps");
    KeyError when the table has no such entry."""
    node: Any = netbox_table()
    for key in keys:
        node = node[key]
    return node["value"]


def interface_type(slug: str) -> InterfaceType | None:
    """The cabling of NetBox interface type `slug`, or None when Rack Designer does not cable it
    (see `not_cabled_reason`) or does not know it."""
    spec = netbox_table()["interface_types"].get(slug)
    if spec is None:
        return None
    return InterfaceType(spec["connector"], float(spec["rate_gbps"]), int(spec["lanes"]), spec["protocol"])


@cache
def _not_cabled() -> dict[str, str]:
    return {slug: group["reason"] for group in netbox_table()["not_cabled"].values() for slug in group["types"]}


def not_cabled_reason(slug: str) -> str | None:
    """Why Rack Designer does not cable NetBox interface type `slug` (one line), or None when it
    cables it or does not know it."""
    return _not_cabled().get(slug)


def panel_port(slug: str) -> tuple[str, int]:
    """The connector and fibre count (lanes) of a NetBox front/rear port type (PortTypeChoices);
    a type the table does not list becomes its slug upper-cased, with 1 lane."""
    spec = netbox_table()["panel_ports"]["types"].get(slug)
    if spec is None:
        return slug.upper(), int(figure("panel_ports", "other_lanes"))
    return spec["connector"], int(spec["lanes"])


def connector_width_mm(connector: str) -> float | None:
    """A pluggable module's width across the faceplate (mm) from the connector table
    (resources/catalog/connectors.yaml), or None when it gives none (or does not know it)."""
    entry = connector_table().connector(connector)
    return None if entry is None else entry.width_mm


def known_connector(connector: str) -> bool:
    """Whether the catalog's connector table (resources/catalog/connectors.yaml) knows `connector`."""
    return connector_table().connector(connector) is not None

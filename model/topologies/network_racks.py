"""Racks for the generated fabrics: server racks of four 8-GPU servers, and network racks
whose power shelves cover their switches at their hungriest.

Figures: 48U racks, 600 mm for servers and 800 mm for network gear (resources/catalog);
33 kW ORv3 power shelves; a server rack's 60 kW holds four ~14.3 kW servers and their
NICs' cable ends with margin (NVIDIA DGX B200 ~14.3 kW; DGX SuperPOD B300 XDR RA ~56 kW
for four DGX B300).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from model.catalog import CableProduct, Catalog, DeviceType, PortSpec
from model.connectors import connector_table
from model.layout import Device
from model.topologies.floorplan import RackSpec

POWER_SHELF = "power-shelf-33kw"
POWER_SHELF_UNITS = (1, 2)
SERVER_RACK = "rack-48u-600x1200"
NETWORK_RACK = "rack-48u-800x1200"  # wide managers for hundreds of cables per rack
RACK_POWER_BUDGET_W = 60_000  # 4 servers of ~14.3 kW with their NICs' cable ends, with margin
SERVER_UNITS = (3, 11, 19, 27)
# The densest network rack here: ten 144-port switches. More cables than that do not fit
# the managers of an 800 mm rack (derived: 158 mm a side, ~3 mm fibre, 50 % fill).
MAX_PORTS_PER_NETWORK_RACK = 1440


def _device(device_id: str, type_id: str, u: int) -> Device:
    return Device(id=device_id, type=type_id, u_position=u)


def switch_power_w(switch: DeviceType, catalog: Catalog) -> float:
    """A switch's draw (W) with, on every port, the hungriest cable end the catalog offers
    for it (half that product's power: its two ends): every straight product whose plug goes
    into the port's cage directly at the port's lanes and rate or fewer and slower
    (model.connectors: a QSFP28 cable in a QSFP-DD cage), and every breakout from it
    (model.breakout: its power over its 1 + legs ends)."""
    ends: dict[tuple[str, float, int, str], float] = {}
    for port in switch.ports:
        key = (port.connector, port.rate_gbps, port.lanes, port.pathway)
        if key not in ends:
            ends[key] = max((_end_power(p) for p in port_products(catalog, port)), default=0.0)
    return switch.power_w + sum(ends[(p.connector, p.rate_gbps, p.lanes, p.pathway)] for p in switch.ports)


def _end_power(product: CableProduct) -> float:
    """The power (W) of one end of `product`: a straight cable's two ends share it, a breakout's 1 + legs."""
    return product.power_w / (2 if product.legs is None else 1 + product.legs.count)


def port_products(catalog: Catalog, port: PortSpec) -> list[CableProduct]:
    """The cable products that could end in `port` whatever the far end: straight products
    whose plug fits its cage directly (the same family at its rate and lanes; another family
    at no more lanes nor a faster rate, model.connectors), and breakouts with end a there."""
    table = connector_table()
    found = []
    for product in catalog.cables.values():
        if product.pathway != port.pathway or product.structured is not None:
            continue
        if product.legs is not None:
            fits = product.connector == port.connector and (product.rate_gbps, product.lanes) == (
                port.rate_gbps,
                port.lanes,
            )
        elif product.connector == port.connector:
            fits = (product.rate_gbps, product.lanes) == (port.rate_gbps, port.lanes)
        else:
            fit = table.fit(product.connector, port.connector)
            fits = (
                fit is not None
                and fit.fit == "direct"
                and product.lanes <= port.lanes
                and product.lane_rate_gbps <= port.rate_gbps / port.lanes + 1e-9
            )
        if fits:
            found.append(product)
    return found


def switches_per_rack(switch: DeviceType, catalog: Catalog) -> int:
    """How many of these switches one network rack takes: no more than
    MAX_PORTS_PER_NETWORK_RACK ports, and the switches with the power shelves their
    budget needs within the rack's height."""
    height = catalog.racks[NETWORK_RACK].height_u
    supply = catalog.devices[POWER_SHELF].supply_w
    best = 1
    for n in range(1, height + 1):
        shelves = max(len(POWER_SHELF_UNITS), math.ceil(n * switch_power_w(switch, catalog) / supply))
        if n * len(switch.ports) > MAX_PORTS_PER_NETWORK_RACK or shelves + n * switch.u_height > height:
            break
        best = n
    return best


def switch_rack(name: str, key: str, switch_ids: Sequence[str], switch: DeviceType, catalog: Catalog) -> RackSpec:
    """A network rack named `name`: power shelves '{key}-PS1', … from U1 for its budget (the
    switches at their hungriest, see switch_power_w, rounded up to a kW), then the switches
    stacked above them."""
    need = len(switch_ids) * switch_power_w(switch, catalog)
    budget = max(RACK_POWER_BUDGET_W, math.ceil(need / 1000) * 1000)
    shelves = max(len(POWER_SHELF_UNITS), math.ceil(budget / catalog.devices[POWER_SHELF].supply_w))
    devices = [_device(f"{key}-PS{k + 1}", POWER_SHELF, k + 1) for k in range(shelves)]
    devices += [_device(x, switch.id, shelves + 1 + i * switch.u_height) for i, x in enumerate(switch_ids)]
    return RackSpec(devices, name, NETWORK_RACK, budget)


def server_rack(name: str, key: str, server_ids: Sequence[str], server_type: str) -> RackSpec:
    """A server rack named `name`: power shelves '{key}-PS1', '{key}-PS2' at U1-U2 and the
    servers (up to four 8U) from U3 up, on a RACK_POWER_BUDGET_W budget."""
    devices = [_device(f"{key}-PS{k + 1}", POWER_SHELF, u) for k, u in enumerate(POWER_SHELF_UNITS)]
    devices += [_device(x, server_type, u) for x, u in zip(server_ids, SERVER_UNITS)]
    return RackSpec(devices, name, SERVER_RACK, RACK_POWER_BUDGET_W)

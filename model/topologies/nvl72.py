"""NVIDIA's rack-scale NVLink systems: GB200 NVL72, GB300 NVL72 and GB200 NVL36x2.

NVL72: 18 compute trays (72 GPUs) and 9 NVLink switch trays in one rack. Every GPU has
one NVLink connector to every switch tray: 72 GPUs x 9 switch trays = 648 runs of 4 x
200G, blind-mate into the passive copper cable cartridge at the rack's rear (NVIDIA
GB200 NVL72 pages: ~5,000 twinax pairs, ~3.2 km of copper). The switch trays sit in the
middle of the rack, between 8 compute trays below and 10 above, so the runs stay short.

NVL36x2: two racks of 9 two-unit compute trays (36 GPUs) and 9 switch trays each, every
GPU to its rack's 9 switch trays through the cartridge, and each switch tray joined to
its twin in the other rack by 18 x 1.6T front cables through the racks' side openings
(DOMAIN.md B6). The engine picks the medium of those by length.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.catalog import Catalog, default_catalog
from model.document import Document
from model.layout import Device, Site
from model.topologies.autowire import nvl72_spine, switch_bridge
from model.topologies.floorplan import RackSpec, build_floor, rack_id

GB200_NAME = "GB200 NVL72"
GB300_NAME = "GB300 NVL72"
NVL36X2_NAME = "GB200 NVL36x2"
COMPUTE = "gb200-compute-tray"
GB300_COMPUTE = "gb300-compute-tray"
SWITCH = "nvlink-switch-tray"
NVL36_COMPUTE = "nvl36-compute-tray"
NVL36_SWITCH = "nvlink-switch-tray-nvl36x2"
POWER_SHELF = "power-shelf-33kw"
# ~120 kW per GB200 NVL72 rack (NVIDIA DGX GB200 guide) with a 10% margin; GB300 NVL72
# ~135 kW (trade press, estimated) with the same margin; an NVL36x2 rack half of the former.
RACK_POWER_BUDGET_W = 132_000
GB300_RACK_POWER_BUDGET_W = 150_000
NVL36_RACK_POWER_BUDGET_W = 66_000
# Bottom to top: power shelves, compute trays, switch trays, compute trays, power shelves.
STACK = ((POWER_SHELF, 4), (COMPUTE, 8), (SWITCH, 9), (COMPUTE, 10), (POWER_SHELF, 4))
NVL36_STACK = ((POWER_SHELF, 2), (NVL36_COMPUTE, 5), (NVL36_SWITCH, 9), (NVL36_COMPUTE, 4), (POWER_SHELF, 2))


@dataclass
class NvlRack:
    """One NVLink rack's devices, bottom to top, and the ids of its compute and switch trays."""

    devices: list[Device]
    compute_ids: list[str]
    switch_ids: list[str]


def nvl_rack(
    rack: str, stack: tuple[tuple[str, int], ...], catalog: Catalog, prefix: str = "", compute: str | None = None
) -> NvlRack:
    """The devices of an NVLink rack `rack` stacked from U1 by `stack` ((type id, count)
    bottom to top). Compute trays are named '{prefix}CT01', switch trays '{prefix}NVS1';
    `compute` replaces the stack's compute tray type (GB300). Raises KeyError for a type
    the catalog lacks."""
    devices: list[Device] = []
    compute_ids: list[str] = []
    switch_ids: list[str] = []
    shelves = 0
    u = 1
    for type_id, count in stack:
        kind = catalog.devices[type_id].kind
        type_id = compute if compute and kind == "compute_tray" else type_id
        for _ in range(count):
            if kind == "compute_tray":
                compute_ids.append(f"{prefix}CT{len(compute_ids) + 1:02d}")
                name = f"{prefix}Compute tray {len(compute_ids)}"
                devices.append(Device(id=compute_ids[-1], name=name, type=type_id, u_position=u))
            elif kind == "switch":
                switch_ids.append(f"{prefix}NVS{len(switch_ids) + 1}")
                name = f"{prefix}NVLink switch tray {len(switch_ids)}"
                devices.append(Device(id=switch_ids[-1], name=name, type=type_id, u_position=u))
            else:
                shelves += 1
                devices.append(Device(id=f"{rack}-PS{shelves}", type=type_id, u_position=u))
            u += catalog.devices[type_id].u_height
    return NvlRack(devices, compute_ids, switch_ids)


def _nvl72(name: str, compute: str, budget_w: float) -> Site:
    catalog = default_catalog()
    rack = nvl_rack(rack_id(0, 0), STACK, catalog, compute=compute)
    spec = RackSpec(devices=rack.devices, name="NVL72 rack", power_budget_w=budget_w)
    racks, trays = build_floor([[spec]], catalog)
    doc = Document(Site(name=name, racks=racks, trays=trays), catalog)
    doc.connect_many(nvl72_spine(doc, rack.compute_ids, rack.switch_ids))
    return doc.site


def build_gb200_nvl72() -> Site:
    """One GB200 NVL72 rack: 18 compute trays, 9 switch trays, the 648-run NVLink spine."""
    return _nvl72(GB200_NAME, COMPUTE, RACK_POWER_BUDGET_W)


def build_gb300_nvl72() -> Site:
    """One GB300 NVL72 rack: as the GB200 NVL72 with B300 compute trays (ConnectX-8 NICs)."""
    return _nvl72(GB300_NAME, GB300_COMPUTE, GB300_RACK_POWER_BUDGET_W)


def build_gb200_nvl36x2() -> Site:
    """Two touching NVL36 racks joined into one 72-GPU NVLink domain: each rack's spine in
    its cartridge (36 GPUs x 9 switch trays = 324 runs), and 9 switch-tray pairs joined by
    18 front cables each (162 runs) through the side openings."""
    catalog = default_catalog()
    halves = [nvl_rack(rack_id(0, k), NVL36_STACK, catalog, prefix=f"{'AB'[k]}-") for k in range(2)]
    specs = [
        RackSpec(devices=half.devices, name=f"NVL36 rack {'AB'[k]}", power_budget_w=NVL36_RACK_POWER_BUDGET_W)
        for k, half in enumerate(halves)
    ]
    racks, trays = build_floor([specs], catalog)
    doc = Document(Site(name=NVL36X2_NAME, racks=racks, trays=trays), catalog)
    for half in halves:
        doc.connect_many(nvl72_spine(doc, half.compute_ids, half.switch_ids))
    doc.connect_many(switch_bridge(doc, halves[0].switch_ids, halves[1].switch_ids))
    return doc.site

"""NVIDIA DGX SuperPOD GB200: one scalable unit of 8 GB200 NVL72 racks and its compute fabric.

The DGX SuperPOD GB200 RA builds an SU of 8 DGX GB200 NVL72 racks (576 GPUs) in one row,
with an NDR 400 Gb/s InfiniBand compute fabric (DOMAIN.md B6). Each NVL72 rack is the
`gb200-nvl72` sample's (model.topologies.nvl72: 18 compute trays, 9 NVLink switch
trays, the 648-run copper spine in its cartridge). Each compute tray has 4 x ConnectX-7
400G, one NIC per GPU; NIC r of every tray is rail r.

The fabric is model.topologies.fabric's rail-optimised non-blocking Clos on Quantum-2
QM9700 (64 x 400G), counting compute trays as nodes of 4 rails: groups of 32 trays (the
leaf's 32 downlinks) with one leaf per rail, 144 trays -> 5 groups (the last of 16),
20 leaves and 16 spines (the smallest divisor of the 32 uplinks with room for them all),
576 NIC-leaf and 576 leaf-spine cables. These switch counts are the Clos arithmetic; the
RA's own table for one GB200 SU was not at hand to compare. The leaves and the spines
stand in two network racks in the middle of the row, four NVL72 racks either side.
"""

from __future__ import annotations

from model.catalog import default_catalog
from model.document import Document
from model.layout import Site
from model.topologies.autowire import leaf_spine, nvl72_spine, rail_groups, rail_ports
from model.topologies.fabric import plan_fabric
from model.topologies.floorplan import RackSpec, build_floor, rack_id
from model.topologies.network_racks import switch_rack
from model.topologies.nvl72 import COMPUTE, RACK_POWER_BUDGET_W, STACK, nvl_rack

NAME = "DGX SuperPOD GB200, one SU"
SWITCH = "switch-qm9700-64x400g"
NVL72_RACKS = 8


def build_gb200_superpod_su() -> Site:
    """One SU: 8 GB200 NVL72 racks (576 GPUs), each with its NVLink spine, and the QM9700
    compute fabric (20 leaves, 16 spines) in two network racks mid-row; every NIC cabled
    to its rail's leaf and every leaf's uplinks (one per cabled downlink) spread evenly over
    the spines. Device figures are the default catalog's (resources/catalog, with sources)."""
    catalog = default_catalog()
    switch = catalog.devices[SWITCH]
    tray = catalog.devices[COMPUTE]
    half = NVL72_RACKS // 2
    nvl = {}
    for k in range(NVL72_RACKS):
        slot = k if k < half else k + 2
        nvl[slot] = nvl_rack(rack_id(0, slot), STACK, catalog, prefix=f"N{k + 1}-")
    trays = [tray_id for slot in sorted(nvl) for tray_id in nvl[slot].compute_ids]
    plan = plan_fabric(len(trays), len(rail_ports(tray)), len(switch.ports))
    leaves = [[f"su{s + 1}-leaf{r + 1}" for r in range(plan.rails)] for s in range(plan.sus)]
    spines = [f"spine{j + 1:02d}" for j in range(plan.spines)]
    row = [
        RackSpec(nvl[s].devices, f"NVL72 rack {s + 1 if s < half else s - 1}", None, RACK_POWER_BUDGET_W)
        for s in range(half)
    ]
    row.append(switch_rack("Leaves", "leaves", [x for su in leaves for x in su], switch, catalog))
    row.append(switch_rack("Spines", "spines", spines, switch, catalog))
    row += [
        RackSpec(nvl[s].devices, f"NVL72 rack {s - 1}", None, RACK_POWER_BUDGET_W)
        for s in range(half + 2, NVL72_RACKS + 2)
    ]
    racks, tray_list = build_floor([row], catalog)
    doc = Document(Site(name=NAME, racks=racks, trays=tray_list), catalog)
    for rack in nvl.values():
        doc.connect_many(nvl72_spine(doc, rack.compute_ids, rack.switch_ids))
    groups = [([trays[n] for n in plan.nodes_of_su(s)], leaves[s]) for s in range(plan.sus)]
    doc.connect_many(rail_groups(doc, groups))
    doc.connect_many(leaf_spine(doc, [x for su in leaves for x in su], spines))
    return doc.site

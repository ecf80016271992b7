"""NVIDIA GB200 NVL72: 18 compute trays (72 B200) and 9 NVLink switch trays in one rack.

Every GPU has one NVLink cable to every switch tray (the copper spine at the back of the
rack): 72 GPUs x 9 switch trays = 648 cables. The switch trays sit in the middle of the
rack, between 8 compute trays below and 10 above, so the spine cables stay short.
"""

from __future__ import annotations

from model.catalog import default_catalog
from model.document import Document
from model.layout import Device, Site
from model.topologies.autowire import nvl72_spine
from model.topologies.floorplan import RackSpec, build_floor, rack_id

NAME = "GB200 NVL72"
COMPUTE = "gb200-compute-tray"
SWITCH = "nvlink-switch-tray"
POWER_SHELF = "power-shelf-33kw"
# ~120 kW per NVL72 rack (NVIDIA DGX GB200 guide) with a 10% margin.
RACK_POWER_BUDGET_W = 132_000
# Bottom to top: power shelves, compute trays, switch trays, compute trays, power shelves.
STACK = ((POWER_SHELF, 4), (COMPUTE, 8), (SWITCH, 9), (COMPUTE, 10), (POWER_SHELF, 4))


def build_gb200_nvl72() -> Site:
    """One GB200 NVL72 rack on its floor: 18 compute trays, 9 NVLink switch trays, 8 power shelves
    (STACK, bottom to top) and the 648 spine cables.

    Device figures come from the default catalog (resources/catalog, each with its source);
    the rack's 132 kW budget is NVIDIA's ~120 kW (DGX GB200 guide) with a 10 % margin.
    """
    catalog = default_catalog()
    rack = rack_id(0, 0)
    devices: list[Device] = []
    compute_ids: list[str] = []
    switch_ids: list[str] = []
    shelves = 0
    u = 1
    for type_id, count in STACK:
        for _ in range(count):
            if type_id == COMPUTE:
                compute_ids.append(f"CT{len(compute_ids) + 1:02d}")
                device = Device(id=compute_ids[-1], name=f"Compute tray {len(compute_ids)}", type=type_id, u_position=u)
            elif type_id == SWITCH:
                switch_ids.append(f"NVS{len(switch_ids) + 1}")
                device = Device(
                    id=switch_ids[-1], name=f"NVLink switch tray {len(switch_ids)}", type=type_id, u_position=u
                )
            else:
                shelves += 1
                device = Device(id=f"{rack}-PS{shelves}", type=type_id, u_position=u)
            devices.append(device)
            u += catalog.devices[type_id].u_height
    spec = RackSpec(devices=devices, name="NVL72 rack", power_budget_w=RACK_POWER_BUDGET_W)
    racks, trays = build_floor([[spec]], catalog)
    doc = Document(Site(name=NAME, racks=racks, trays=trays), catalog)
    doc.connect_many(nvl72_spine(doc, compute_ids, switch_ids))
    return doc.site

"""A rail-optimised scale-out pod: 8-accelerator servers, leaves per rail, a spine layer.

Servers come in groups of as many as a leaf has downlink ports (32); each group has one
leaf per rail (NIC) in a network rack in the middle of the group's racks, so NIC-to-leaf
runs stay short. Every leaf sends as many uplinks as it has servers (non-blocking) to the
spines, whose racks form rows in the middle of the floor: the longest leaf-spine run is
then about half the floor, well under 500 m even at 100,000 accelerators.

At 100,000 accelerators that is ~23,000 devices and 200,000 cables, built in a few seconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from model.catalog import Catalog, default_catalog
from model.document import Document
from model.layout import Device, Site
from model.topologies.autowire import leaf_spine, rail_groups, rail_ports
from model.topologies.floorplan import RackSpec, build_floor, rack_id

SERVER = "server-8gpu-800g"
LEAF = "switch-51t2-64x800g"
SPINE = "spine-q3400-144x800g"
POWER_SHELF = "power-shelf-33kw"
SERVER_RACK = "rack-48u-600x1200"
NETWORK_RACK = "rack-48u-800x1200"  # wide managers for hundreds of cables per rack
POWER_SHELF_UNITS = (1, 2)
RACK_POWER_BUDGET_W = 60_000  # 4 servers of ~10.2 kW with their NICs' cable ends, with margin
SERVER_UNITS = (3, 11, 19, 27)
FIRST_LEAF_U = 5
FIRST_SPINE_U = 3
SPINES_PER_RACK = 10
GROUPS_PER_ROW = 2
# The floor must fit the layout's coordinate range (10 km); this keeps well inside it.
MAX_ACCELERATORS = 1_000_000


def _device(device_id: str, type_id: str, u: int) -> Device:
    return Device(id=device_id, type=type_id, u_position=u)


def _shelves(rack: str, units: Sequence[int] = POWER_SHELF_UNITS) -> list[Device]:
    return [_device(f"{rack}-PS{i + 1}", POWER_SHELF, u) for i, u in enumerate(units)]


def _spine_rack_power(catalog: Catalog) -> tuple[float, list[int]]:
    """Budget and power shelf units of a full spine rack.

    Every spine port ends a long run, and at pod scale those are optics that draw ~16 W per
    end: ten spines then need ~84 kW, not 60. The budget covers the hungriest cable end the
    catalog offers for each port (its half of the product's power); the shelves cover the budget.
    """
    spine = catalog.devices[SPINE]
    ends = sum(
        max((p.power_w / 2 for p in catalog.products_for(port.connector, port.rate_gbps, port.lanes)), default=0.0)
        for port in spine.ports
    )
    need = SPINES_PER_RACK * (spine.power_w + ends)
    budget = max(RACK_POWER_BUDGET_W, math.ceil(need / 1000) * 1000)
    shelves = max(len(POWER_SHELF_UNITS), math.ceil(budget / catalog.devices[POWER_SHELF].supply_w))
    above = FIRST_SPINE_U + SPINES_PER_RACK * spine.u_height  # extra shelves go above the spines
    units = [*POWER_SHELF_UNITS, *range(above, above + shelves - len(POWER_SHELF_UNITS))]
    return budget, units


def _check_size(accelerators: object, per_server: int) -> int:
    if (
        isinstance(accelerators, bool)
        or not isinstance(accelerators, int)
        or accelerators <= 0
        or accelerators % per_server
    ):
        raise ValueError(f"accelerators must be a positive multiple of {per_server}, not {accelerators!r}")
    if accelerators > MAX_ACCELERATORS:
        raise ValueError(f"accelerators must be at most {MAX_ACCELERATORS:,}, not {accelerators:,}")
    return accelerators


# A rack plan: ("servers", group, n-th server rack of the group), ("leaves", group, 0) or
# ("spines", 0, n-th spine rack). Rows are planned first so that rack ids are known.
Plan = tuple[str, int, int]


def _plan_rows(catalog: Catalog, servers: int, group_size: int, spine_racks: int) -> list[list[Plan]]:
    group_rows: list[list[Plan]] = []
    for g in range(math.ceil(servers / group_size)):
        in_group = min(group_size, servers - g * group_size)
        racks = [("servers", g, r) for r in range(math.ceil(in_group / len(SERVER_UNITS)))]
        racks.insert(len(racks) // 2, ("leaves", g, 0))  # leaves mid-group: short NIC runs
        if g % GROUPS_PER_ROW == 0:
            group_rows.append([])
        group_rows[-1].extend(racks)
    # Spine rows no longer than the group rows keep the floor rectangular.
    widths = {"servers": catalog.racks[SERVER_RACK].width_mm, "leaves": catalog.racks[NETWORK_RACK].width_mm}
    row_length = max(sum(widths[kind] for kind, _, _ in row) for row in group_rows)
    per_row = max(1, int(row_length // catalog.racks[NETWORK_RACK].width_mm))
    spines = [("spines", 0, r) for r in range(spine_racks)]
    spine_rows = [spines[i : i + per_row] for i in range(0, spine_racks, per_row)]
    middle = len(group_rows) // 2
    return group_rows[:middle] + spine_rows + group_rows[middle:]


def build_scaleout_pod(accelerators: int = 1024) -> Site:
    """A rail-optimised pod of `accelerators` (8 per server), its racks, trays and every cable.

    Servers, leaves and spines are the default catalog's (resources/catalog, with sources);
    server and leaf racks get a 60 kW budget, spine racks enough for their optics (see
    _spine_rack_power). Raises ValueError unless `accelerators` is a positive multiple of 8
    and at most MAX_ACCELERATORS.
    """
    catalog = default_catalog()
    server_type, leaf_type, spine_type = catalog.devices[SERVER], catalog.devices[LEAF], catalog.devices[SPINE]
    accelerators = _check_size(accelerators, server_type.accelerators)
    servers = accelerators // server_type.accelerators
    group_size = len(leaf_type.ports) // 2  # a leaf's downlink half
    groups = math.ceil(servers / group_size)
    spine_ids = [f"spine{k + 1:03d}" for k in range(math.ceil(accelerators / len(spine_type.ports)))]
    spine_budget, spine_shelf_units = _spine_rack_power(catalog)
    group_servers: list[list[str]] = [[] for _ in range(groups)]
    group_leaves = [[f"g{g + 1:03d}-leaf{r + 1}" for r in range(len(rail_ports(server_type)))] for g in range(groups)]

    rows: list[list[RackSpec]] = []
    for row, plans in enumerate(_plan_rows(catalog, servers, group_size, math.ceil(len(spine_ids) / SPINES_PER_RACK))):
        specs = []
        for slot, (kind, g, r) in enumerate(plans):
            rack = rack_id(row, slot)
            if kind == "servers":
                devices = _shelves(rack)
                in_group = min(group_size, servers - g * group_size)
                for index, u in zip(range(r * len(SERVER_UNITS), in_group), SERVER_UNITS):
                    # Its index in the group is the downlink port it takes on each leaf.
                    server_id = f"g{g + 1:03d}-srv{index + 1:02d}"
                    group_servers[g].append(server_id)
                    devices.append(_device(server_id, SERVER, u))
                specs.append(RackSpec(devices, f"Group {g + 1} servers {r + 1}", SERVER_RACK, RACK_POWER_BUDGET_W))
            elif kind == "leaves":
                step = leaf_type.u_height
                devices = _shelves(rack) + [
                    _device(x, LEAF, FIRST_LEAF_U + i * step) for i, x in enumerate(group_leaves[g])
                ]
                specs.append(RackSpec(devices, f"Group {g + 1} leaves", NETWORK_RACK, RACK_POWER_BUDGET_W))
            else:
                chunk = spine_ids[r * SPINES_PER_RACK : (r + 1) * SPINES_PER_RACK]
                step = spine_type.u_height
                devices = _shelves(rack, spine_shelf_units)
                devices += [_device(x, SPINE, FIRST_SPINE_U + i * step) for i, x in enumerate(chunk)]
                specs.append(RackSpec(devices, f"Spines {r + 1}", NETWORK_RACK, spine_budget))
        rows.append(specs)

    racks, trays = build_floor(rows, catalog)
    site = Site(name=f"Scale-out pod ({accelerators} accelerators)", racks=racks, trays=trays)
    # The planners hand out only free ports and unused ids (and check_site passes on the
    # result, see the tests), so the cables go straight into the site: checking each of
    # 200,000 again through Document.connect_many would cost a third of the build.
    doc = Document(site, catalog, check=False)
    site.cables.extend(rail_groups(doc, list(zip(group_servers, group_leaves))))
    doc = Document(site, catalog, check=False)  # the uplink count follows the cabled downlinks
    site.cables.extend(leaf_spine(doc, [leaf for leaves in group_leaves for leaf in leaves], spine_ids))
    return site

"""A rail-optimised scale-out pod built as NVIDIA's DGX SuperPOD reference architectures build it.

`fabric` 'infiniband' or 'ethernet' and `server` 'b200' (8 x 400G ConnectX-7) or 'b300'
(8 x 800G ConnectX-8) choose one switch family for every tier (model.topologies.fabric):
InfiniBand B200 uses Quantum-2 QM9700 (64 x 400G NDR) and reproduces the DGX SuperPOD
B200 RA's counts (1,024 GPUs: 32 leaves, 16 spines; 8,192: 256 leaves, 256 spines, 128
cores); InfiniBand B300 uses Quantum-X800 Q3400 (144 x 800G XDR) with the DGX SuperPOD
B300 XDR RA's SU of 72 nodes; Ethernet uses Spectrum-4 SN5600 (64 x 800G, or 128 x 400G
split for B200). Two non-blocking tiers while the radix allows, three beyond, and beyond
three tiers the rails split into planes, each its own three-tier fabric (fabric.py): 1,000,000
B300 GPUs are two planes of four rails on Q3400, 3,000,000 cables. So are one-plane fabrics
whose hall trays would overflow (B300 from ~514,000 GPUs to 746,496: see build_scaleout_pod).

The floor (model.topologies.pod_floor): every scalable unit (SU) is one block of a row,
its server racks either side of its leaf rack; a pod (one spine-leaf group, or the whole
two-tier fabric) is a few rows of blocks with its spine racks at the blocks' ends, so
leaf-spine runs stay in the pod; for three tiers the pods stand either side of the core
rows mid-hall, each spine rack's cores straight across from it (with planes a pod holds a
spine-leaf group of every plane). Rows per pod, blocks per row and pod columns keep the
hall closest to square, and the trays over and across the rows are sized for every cable
that can reach them (model.topologies.hall.size_trays).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from model.bulk import paused_gc
from model.catalog import Catalog, DeviceType, default_catalog
from model.layout import Cable, Device, Site
from model.topologies.autowire import leaf_spine, rail_groups, rail_ports, spine_core
from model.topologies.fabric import FabricPlan, fabric_for, plan_fabric
from model.topologies.hall import TrayOverflowError, build_hall, size_trays
from model.topologies.pod_floor import PodFloor, plan_pod_floor

# The floor must fit the layout's coordinate range (10 km); this keeps well inside it. (A file
# holds at most layout.MAX_CABLES: three tiers lay three cables per accelerator.)
MAX_ACCELERATORS = 1_000_000


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


# ---- wiring --------------------------------------------------------------------------------
@dataclass
class _Wiring:
    """What the planners read (model.topologies.autowire.WiringSource), kept current as cables are planned."""

    devices: Mapping[str, Device]
    catalog: Catalog
    port_use: dict[str, str] = field(default_factory=dict)
    cables: set[str] = field(default_factory=set)

    def take(self, cables: list[Cable]) -> list[Cable]:
        for cable in cables:
            self.port_use.update(dict.fromkeys(cable.refs, cable.id))
            self.cables.add(cable.id)
        return cables


def _wire(site: Site, catalog: Catalog, plan: FabricPlan, floor: PodFloor) -> None:
    devices = {d.id: d for rack in site.racks for d in rack.devices}
    wiring = _Wiring(devices, catalog)
    groups = [(floor.su_servers[s], floor.su_leaves[s]) for s in range(plan.sus)]
    site.cables.extend(wiring.take(rail_groups(wiring, groups)))
    leaves = [leaf for su in floor.su_leaves for leaf in su]
    for g in range(plan.slgs):
        slg = [leaves[n] for n in plan.leaves_of_slg(g)]
        site.cables.extend(wiring.take(leaf_spine(wiring, slg, floor.slg_spines[g])))
    for group, cores in enumerate(floor.core_groups):
        plane, j = divmod(group, plan.spines_per_slg)
        spines = [floor.slg_spines[g][j] for g in plan.plane_slgs(plane)]
        site.cables.extend(wiring.take(spine_core(wiring, spines, cores)))


def build_scaleout_pod(accelerators: int = 1024, fabric: str = "infiniband", server: str = "b300") -> Site:
    """A rail-optimised pod of `accelerators` (8 per server) on one switch family: its
    racks, trays (sized for their cables) and every cable, node-leaf, leaf-spine and, for
    three tiers, spine-core (see the module docstring and model.topologies.fabric).

    `fabric`: 'infiniband' or 'ethernet'; `server`: 'b200' (8 x 400G ConnectX-7) or
    'b300' (8 x 800G ConnectX-8). Device figures are the default catalog's (with sources);
    server racks get a 60 kW budget, network racks their switches at their hungriest.
    Raises ValueError unless `accelerators` is a positive multiple of 8 and at most
    MAX_ACCELERATORS, for an unknown fabric or server, or beyond three tiers of the switch
    in as many planes as the server has rails. A pod whose hall trays cannot be sized in
    the fewest planes (hall.TrayOverflowError) is built in one more plane; raises
    TrayOverflowError when no plane count helps.
    """
    catalog = default_catalog()
    choice = fabric_for(fabric, server)
    server_type, switch_type = catalog.devices[choice.server], catalog.devices[choice.switch]
    accelerators = _check_size(accelerators, server_type.accelerators)
    nodes, rails, radix = accelerators // server_type.accelerators, len(rail_ports(server_type)), len(switch_type.ports)
    plan = plan_fabric(nodes, rails, radix, max_planes=rails)
    name = f"Scale-out pod ({accelerators} accelerators, {fabric} {server})"
    while True:
        try:
            return _build(name, plan, catalog, server_type, switch_type)
        except TrayOverflowError:
            # One plane of more pods than one pod column holds (B300: two pod columns from
            # 514,048 GPUs) sends half the spines' uplinks to cores under the other pod
            # column, on routes that tie through every pod row between (size_trays counts
            # every tie): at 600,000 no tray stack holds them. One more plane: pods twice
            # the size, one pod column again.
            more = [p for p in range(plan.planes + 1, rails + 1) if rails % p == 0]
            if plan.tiers < 3 or not more:
                raise
            plan = plan_fabric(nodes, rails, radix, max_planes=rails, min_planes=more[0])


def _build(name: str, plan: FabricPlan, catalog: Catalog, server_type: DeviceType, switch_type: DeviceType) -> Site:
    with paused_gc():
        floor = plan_pod_floor(plan, catalog, server_type, switch_type)
        hall = build_hall(floor.rows, floor.columns, catalog)
        site = Site(name=name, racks=hall.racks, trays=hall.trays)
        # The planners hand out only free ports and unused ids (check_site passes on the
        # result, see the tests), so the cables go straight into the site.
        _wire(site, catalog, plan, floor)
        size_trays(site, catalog)
    return site

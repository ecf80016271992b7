"""Rail-optimised, non-blocking scale-out fabrics counted as NVIDIA's DGX SuperPOD RAs count them.

A node (a server, or a compute tray) has one NIC per accelerator; NIC r of every node
is rail r. A scalable unit (SU) is as many nodes as a switch has downlink ports (half
its radix k): one leaf per rail takes the SU's rail r on its lower half and sends as
many uplinks (its upper half) on, one per cabled downlink. Switches are counted for full SUs, as the RAs
advise for a partial one ("the fabric should be designed to support the full SU,
including leaf switches and leaf-spine cables", DGX SuperPOD B300 RA, Network Fabrics);
the cables only for the nodes there are, so node-leaf, leaf-spine and spine-core cables
each equal the accelerator count.

Two tiers while leaves <= k: S spines, the smallest divisor of the k/2 uplinks per leaf
with S * k >= all uplinks, so every leaf sends (k/2)/S links to every spine and any two
leaves share k/2 disjoint paths. That is leaves * k/2 <= k²/2 endpoints per plane.

Three tiers beyond, up to k³/4: spine-leaf groups (SLGs) of k/2 leaves and k/2 spines,
each leaf one link to each spine of its group (so a partial last group still has all
k/2 spines); spine j of every group sends as many uplinks as it has downlinks to core
group j, whose ceil(leaves / k) cores take them round-robin. Leaves of different groups
then meet through every core group once per uplink.

Beyond three tiers, planes: the node's rails are split into `planes` equal groups (rails
1-4 and 5-8 for two), each group its own three-tier fabric of the same switch, so each
NIC keeps its full rate on one cable. A job's traffic between rails of different planes
crosses inside the node over NVLink first (NCCL's PXN does so on any rail-optimised
fabric); NVIDIA builds its largest fabrics as independent planes too (ConnectX-8 release
notes: "planarized topology network"; Spectrum-X Multiplane). Two planes of Q3400 reach
2 x 746,496 = 1,492,992 accelerators. Not chosen: running the Q3400's twin-port cages as
288 x 400G, since a ConnectX-8 on InfiniBand runs one 800G XDR or one 400G NDR port (2 x
400G is Ethernet only), so each GPU would lose half its bandwidth, or, split over two
400G ports, take two cables per tier: 5,000,000 cables at 1,000,000 GPUs, over the file's
3,000,000 (model.layout.MAX_CABLES).

Counts this gives, checked against the RAs' tables:
- DGX SuperPOD B200 RA (Quantum-2 QM9700, 64 x 400G NDR): 1,024 GPUs = 4 SU of 32
  DGX B200: 32 leaves, 16 spines; 8,192 GPUs = 32 SU: 256 leaves, 256 spines, 128 cores;
  node-leaf, leaf-spine and spine-core cables 8,192 each.
- DGX SuperPOD B300 XDR RA (Quantum-X800 Q3400, 144 x 800G): SU of 72 DGX B300; 1, 2,
  4, 8, 18 SU: 8/4, 16/8, 32/18, 64/36, 144/72 leaves/spines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Fabric:
    """One switch family for a scale-out fabric: the server it serves, the switch every
    tier uses (catalog ids) and the reference whose counts it follows."""

    server: str
    switch: str
    reference: str


# (fabric, server) -> the catalog's server and switch for it. One switch family per fabric.
FABRICS: dict[tuple[str, str], Fabric] = {
    ("infiniband", "b200"): Fabric(
        "server-8gpu-400g",
        "switch-qm9700-64x400g",
        "NVIDIA DGX SuperPOD B200 RA: Quantum-2 QM9700 NDR, 64 x 400G, SU of 32 nodes",
    ),
    ("infiniband", "b300"): Fabric(
        "server-8gpu-800g",
        "spine-q3400-144x800g",
        "NVIDIA DGX SuperPOD B300 XDR RA: Quantum-X800 Q3400, 144 x 800G, SU of 72 nodes",
    ),
    ("ethernet", "b200"): Fabric(
        "server-8gpu-400g",
        "switch-sn5600-128x400g",
        "Spectrum-X SN5600 with each 800G cage split 2 x 400G (128 x 400G), SU of 64 nodes",
    ),
    ("ethernet", "b300"): Fabric(
        "server-8gpu-800g",
        "switch-51t2-64x800g",
        "Spectrum-X SN5600, 64 x 800G, one plane, SU of 32 nodes",
    ),
}
FABRIC_NAMES = ("infiniband", "ethernet")
SERVER_NAMES = ("b200", "b300")


def fabric_for(fabric: str, server: str) -> Fabric:
    """The switch family for `fabric` ('infiniband' or 'ethernet') and `server` ('b200':
    8 x 400G ConnectX-7; 'b300': 8 x 800G ConnectX-8). Raises ValueError naming the choices."""
    if fabric not in FABRIC_NAMES:
        raise ValueError(f"fabric must be one of {', '.join(FABRIC_NAMES)}, not {fabric!r}")
    if server not in SERVER_NAMES:
        raise ValueError(f"server must be one of {', '.join(SERVER_NAMES)}, not {server!r}")
    return FABRICS[fabric, server]


@dataclass(frozen=True)
class FabricPlan:
    """The switch counts of one rail-optimised non-blocking fabric (see the module docstring).

    nodes: servers or trays; rails: NICs per node (= leaves per SU); radix: switch ports;
    planes: independent fabrics, plane q taking rails q * rails/planes onwards (1: one
    fabric). Leaves are numbered SU by SU, rail by rail (leaf s * rails + r is SU s's rail
    r); spine-leaf groups pod by pod, plane by plane (group p * planes + q is plane q's
    group p); leaves, spines, slgs and cores count every plane.
    """

    nodes: int
    rails: int
    radix: int
    su_nodes: int
    sus: int
    tiers: int
    leaves: int
    spines: int
    slgs: int
    spines_per_slg: int
    cores_per_group: int
    cores: int
    planes: int = 1

    @property
    def uplinks(self) -> int:
        """Uplinks per leaf (half its ports: non-blocking)."""
        return self.radix // 2

    @property
    def slg_leaves(self) -> int:
        """Leaves per spine-leaf group: every leaf for two tiers, k/2 for three."""
        return self.leaves if self.tiers == 2 else self.radix // 2

    @property
    def plane_rails(self) -> int:
        """Rails per plane."""
        return self.rails // self.planes

    @property
    def pod_sus(self) -> int:
        """SUs per pod: every SU for two tiers; for three, the SUs whose leaves make one
        spine-leaf group in every plane."""
        return self.sus if self.tiers == 2 else self.slg_leaves // self.plane_rails

    @property
    def pods(self) -> int:
        """Pods (spine-leaf groups of one plane)."""
        return self.slgs // self.planes

    def leaves_of_slg(self, g: int) -> list[int]:
        """Leaf numbers of spine-leaf group g (plane g mod planes, pod g // planes)."""
        pod, plane = divmod(g, self.planes)
        per, first = self.plane_rails, plane * self.plane_rails
        plane_leaves = range(pod * self.slg_leaves, min(self.sus * per, (pod + 1) * self.slg_leaves))
        return [i // per * self.rails + first + i % per for i in plane_leaves]

    def plane_slgs(self, plane: int) -> list[int]:
        """Spine-leaf group numbers of `plane`, pod by pod."""
        return list(range(plane, self.slgs, self.planes))

    def nodes_of_su(self, s: int) -> range:
        """Node numbers of SU s."""
        return range(s * self.su_nodes, min(self.nodes, (s + 1) * self.su_nodes))

    @property
    def cables(self) -> tuple[int, int, int]:
        """(node-leaf, leaf-spine, spine-core) cable counts: one per NIC at each tier."""
        nics = self.nodes * self.rails
        return nics, nics, nics if self.tiers == 3 else 0


def plan_fabric(nodes: int, rails: int, radix: int, max_planes: int = 1, min_planes: int = 1) -> FabricPlan:
    """Switch counts for `nodes` nodes of `rails` NICs on `radix`-port switches, in the
    fewest planes (a divisor of `rails`, at least `min_planes` when three tiers are needed,
    at most `max_planes`) whose fabrics need no fourth tier (each at most radix³/4
    endpoints; see the module docstring).

    Raises ValueError when even `max_planes` planes would need a fourth tier, or for a
    radix whose half is not a whole number of rails.
    """
    if nodes < 1 or rails < 1 or radix < 2 or radix % 2 or (radix // 2) % rails:
        raise ValueError(f"no rail-optimised fabric of {nodes} nodes x {rails} rails on {radix}-port switches")
    down = radix // 2
    sus = math.ceil(nodes / down)
    leaves = sus * rails
    if leaves <= radix:
        need = math.ceil(leaves * down / radix)
        spines = min(d for d in range(need, down + 1) if down % d == 0)
        return FabricPlan(nodes, rails, radix, down, sus, 2, leaves, spines, 1, spines, 0, 0)
    limit = radix * down
    planes = next(
        (p for p in range(min_planes, min(max_planes, rails) + 1) if rails % p == 0 and leaves <= limit * p), None
    )
    if planes is None:
        endpoints = limit * down
        most = max(p for p in range(1, min(max_planes, rails) + 1) if rails % p == 0)
        within = f" in {most} planes" if most > 1 else ""
        raise ValueError(
            f"{nodes * rails:,} endpoints need more than three tiers of {radix}-port switches{within} "
            f"(three non-blocking tiers reach {endpoints:,}{' a plane' if most > 1 else ''})"
        )
    plane_leaves = sus * (rails // planes)
    slgs = math.ceil(plane_leaves / down)
    per_group = math.ceil(plane_leaves / radix)
    return FabricPlan(
        nodes,
        rails,
        radix,
        down,
        sus,
        3,
        leaves,
        planes * slgs * down,
        planes * slgs,
        down,
        per_group,
        planes * down * per_group,
        planes,
    )

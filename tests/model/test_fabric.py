"""Scale-out fabrics: switch counts as NVIDIA's DGX SuperPOD RAs give them, one switch family
per fabric, and non-blocking by count: between any two leaves as many disjoint paths through
the built fabric as the leaves have uplinks (max-flow over up-then-down paths, networkx)."""

import itertools
import random
from collections import Counter, defaultdict

import networkx as nx
import numpy as np
import pytest

from model.catalog import default_catalog
from model.layout import split_port_ref
from model.rules import check_site, compatible_rate
from model.topologies.fabric import FABRICS, fabric_for, plan_fabric
from model.topologies.scaleout import build_scaleout_pod


# ---- the counts ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gpus", "radix", "leaves", "spines", "cores"),
    [
        # DGX SuperPOD B200 RA, QM9700 (64 x 400G): 2, 4, 8, 16, 32, 64 SU of 32 nodes.
        (512, 64, 16, 8, 0),
        (1024, 64, 32, 16, 0),
        (2048, 64, 64, 32, 0),
        (4096, 64, 128, 128, 64),
        (8192, 64, 256, 256, 128),
        (16384, 64, 512, 512, 256),
        # DGX SuperPOD B300 XDR RA, Q3400 (144 x 800G): 1, 2, 4, 8, 18 SU of 72 nodes.
        (576, 144, 8, 4, 0),
        (1152, 144, 16, 8, 0),
        (2304, 144, 32, 18, 0),
        (4608, 144, 64, 36, 0),
        (10368, 144, 144, 72, 0),
    ],
)
def test_plans_count_switches_as_the_reference_architectures(gpus, radix, leaves, spines, cores):
    plan = plan_fabric(gpus // 8, 8, radix)
    assert (plan.leaves, plan.spines, plan.cores) == (leaves, spines, cores)
    assert plan.tiers == (3 if cores else 2)
    assert plan.cables == (gpus, gpus, gpus if cores else 0)


def test_two_tiers_up_to_radix_squared_over_two_then_three_up_to_radix_cubed_over_four():
    assert plan_fabric(2048 // 8, 8, 64).tiers == 2 and plan_fabric(2056 // 8, 8, 64).tiers == 3
    assert plan_fabric(65536 // 8, 8, 64).tiers == 3
    with pytest.raises(ValueError, match="more than three tiers of 64-port switches .* reach 65,536"):
        plan_fabric(65544 // 8, 8, 64)
    assert plan_fabric(746496 // 8, 8, 144).cores == 72 * 72  # the report's 3-tier Quantum-X800 ceiling


def test_beyond_three_tiers_the_rails_split_into_the_fewest_planes():
    # The old limit: one plane of three Q3400 tiers, every leaf of the 144 x 72 a core tier takes.
    ceiling = plan_fabric(746496 // 8, 8, 144, max_planes=8)
    assert (ceiling.planes, ceiling.leaves, ceiling.spines, ceiling.cores) == (1, 10368, 10368, 5184)
    assert plan_fabric(746504 // 8, 8, 144, max_planes=8).planes == 2
    # 1,000,000 B300 GPUs: two planes of four rails, each 1,737 SUs x 4 = 6,948 leaves in 97
    # spine-leaf groups (the last half full) and 72 core groups of 49 cores.
    plan = plan_fabric(1_000_000 // 8, 8, 144, max_planes=8)
    assert (plan.planes, plan.tiers, plan.plane_rails, plan.pod_sus, plan.pods) == (2, 3, 4, 18, 97)
    assert (plan.leaves, plan.spines, plan.cores, plan.slgs) == (13896, 2 * 97 * 72, 2 * 72 * 49, 194)
    assert plan.cables == (1_000_000, 1_000_000, 1_000_000)  # 3,000,000: layout.MAX_CABLES
    # Port budget: each leaf 72 down and 72 up, each spine 72 down (one per leaf of its group)
    # and 72 up, each core group's 49 x 144 ports take its 97 spines' 72 uplinks.
    assert plan.slg_leaves == plan.radix // 2 == plan.spines_per_slg
    assert plan.cores_per_group * plan.radix >= plan.pods * plan.uplinks
    groups = [plan.leaves_of_slg(g) for g in range(plan.slgs)]
    assert sorted(n for group in groups for n in group) == list(range(plan.leaves))
    for g, group in enumerate(groups):  # a group's leaves are its plane's rails of its pod's SUs
        assert {n % plan.rails // plan.plane_rails for n in group} == {g % plan.planes}
        assert {n // plan.rails // plan.pod_sus for n in group} == {g // plan.planes}
        assert len(group) == (plan.slg_leaves if g < plan.slgs - 2 else 36)
    assert plan.plane_slgs(1) == list(range(1, 194, 2))
    # One plane when it is enough: the counts and leaf groups of before.
    assert plan_fabric(500_000 // 8, 8, 144, max_planes=8) == plan_fabric(500_000 // 8, 8, 144)
    assert plan_fabric(500_000 // 8, 8, 144).leaves_of_slg(3) == list(range(216, 288))
    with pytest.raises(ValueError, match="more than three tiers of 64-port switches in 8 planes .* 65,536 a plane"):
        plan_fabric(1_000_000 // 8, 8, 64, max_planes=8)


def test_one_switch_family_per_fabric_and_nic_rates_that_match_it(catalog):
    for (fabric, server), choice in FABRICS.items():
        nic = catalog.devices[choice.server].ports[0]
        port = catalog.devices[choice.switch].ports[0]
        # A NIC's flat-top OSFP-RHS cage joins the switch's finned OSFP at the switch port's full rate.
        assert (nic.connector, port.connector) == ("OSFP-RHS", "OSFP"), (fabric, server)
        assert compatible_rate(nic, port, None) == port.rate_gbps, (fabric, server)
    assert fabric_for("infiniband", "b200").switch == "switch-qm9700-64x400g"
    assert fabric_for("infiniband", "b300").switch == "spine-q3400-144x800g"
    assert {fabric_for("ethernet", s).switch for s in ("b200", "b300")} == {
        "switch-sn5600-128x400g",
        "switch-51t2-64x800g",
    }
    with pytest.raises(ValueError, match="fabric must be one of infiniband, ethernet"):
        fabric_for("nvlink", "b200")


# ---- built fabrics ------------------------------------------------------------------
SIZES = [
    (1024, "infiniband", "b200"),
    (8192, "infiniband", "b200"),
    (1024, "infiniband", "b300"),
    (8192, "infiniband", "b300"),
    (8192, "ethernet", "b200"),
    (8192, "ethernet", "b300"),
    # Three tiers whose last SU and spine-leaf group are partial: 1 node in the last SU; 7.
    (4104, "infiniband", "b200"),
    (11000, "infiniband", "b300"),
]


@pytest.fixture(scope="module", params=SIZES, ids=["-".join(map(str, size)) for size in SIZES])
def built(request):
    gpus, fabric, server = request.param
    site = build_scaleout_pod(gpus, fabric, server)
    return request.param, site, Fabric(site, default_catalog())


class Fabric:
    """The switch graph of a built pod: switch-to-switch cable counts, lower tier to upper."""

    def __init__(self, site, catalog):
        device_type = {d.id: d.type for rack in site.racks for d in rack.devices}
        kind = {d: catalog.devices[t].kind for d, t in device_type.items()}
        self.up: dict[str, Counter] = defaultdict(Counter)
        self.down = Counter()
        for cable in site.cables:
            a, b = split_port_ref(cable.a)[0], split_port_ref(cable.b)[0]
            if kind[a] == "switch" and kind[b] == "switch":
                self.up[a][b] += 1  # the planners put the lower tier's end first
            elif kind[b] == "switch":
                self.down[b] += 1
        self.leaves = sorted(self.down)
        self.switch_types = {device_type[d] for d in device_type if kind[d] == "switch"}

    def uplinks(self, leaf):
        return sum(self.up[leaf].values())

    def disjoint_paths(self, a, b):
        """Max-flow from leaf a to leaf b over paths that go up, then down (as a fat tree routes)."""
        graph = nx.DiGraph()
        for spine, n in self.up[a].items():
            graph.add_edge("a", ("up", spine), capacity=n)
            graph.add_edge(("up", spine), ("down", spine))  # turn at a spine: no limit
            for core, m in self.up[spine].items():
                graph.add_edge(("up", spine), ("core", core), capacity=m)
        for spine, n in self.up[b].items():
            graph.add_edge(("down", spine), "b", capacity=n)
            for core, m in self.up[spine].items():
                graph.add_edge(("core", core), ("down", spine), capacity=m)
        return nx.maximum_flow_value(graph, "a", "b")


def _pairs_to_check(fabric, count=20):
    """Leaf pairs whose spine sets differ most (other spine-leaf groups), the partial SU's
    leaves with every group, and a random sample: the pairs a bad fabric fails first."""
    groups: dict[frozenset, list[str]] = defaultdict(list)
    for leaf in fabric.leaves:
        groups[frozenset(fabric.up[leaf])].append(leaf)
    firsts = [members[0] for members in groups.values()]
    lasts = [members[-1] for members in groups.values()]
    partial = [leaf for leaf in fabric.leaves if fabric.down[leaf] < max(fabric.down.values())]
    pairs = set(itertools.combinations(firsts + lasts + partial[:2], 2))
    rng = random.Random(9)
    pairs |= {tuple(rng.sample(fabric.leaves, 2)) for _ in range(count)}
    return sorted(pairs)


def test_every_leaf_has_as_many_uplinks_as_cabled_downlinks(built):
    _, _, fabric = built
    assert all(fabric.uplinks(leaf) == fabric.down[leaf] for leaf in fabric.leaves)


def test_every_pair_of_leaves_has_as_many_disjoint_paths_as_uplinks(built):
    (gpus, _, _), _, fabric = built
    for a, b in _pairs_to_check(fabric):
        assert fabric.disjoint_paths(a, b) == min(fabric.uplinks(a), fabric.uplinks(b)), (a, b)
    spines = sorted({s for leaf in fabric.leaves for s in fabric.up[leaf]})
    if not any(fabric.up[s] for s in spines):
        # Two tiers: every path is leaf-spine-leaf, so all pairs at once in closed form.
        links = np.array([[fabric.up[leaf][s] for s in spines] for leaf in fabric.leaves])
        shared = np.minimum(links[:, None, :], links[None, :, :]).sum(axis=2)
        up = links.sum(axis=1)
        assert (shared >= np.minimum(up[:, None], up[None, :])).all()


def test_one_switch_family_and_the_reference_counts(built, catalog):
    (gpus, fabric_name, server), site, fabric = built
    (switch,) = fabric.switch_types
    assert switch == fabric_for(fabric_name, server).switch
    tiers = Counter()
    for rack in site.racks:
        for device in rack.devices:
            if device.type == switch:
                tiers["leaf" if device.id in fabric.down else "core" if device.id.startswith("core") else "spine"] += 1
    if (fabric_name, server) == ("infiniband", "b200") and gpus in (1024, 8192):  # the DGX SuperPOD B200 RA's table
        assert tiers == ({"leaf": 32, "spine": 16} if gpus == 1024 else {"leaf": 256, "spine": 256, "core": 128})
        assert len(site.cables) == gpus * (2 if gpus == 1024 else 3)
    check_site(site, catalog)

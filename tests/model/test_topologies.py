from collections import Counter

import numpy as np
import pytest

from model.analysis import analyse
from model.document import Document
from model.layout import split_port_ref
from model.rules import check_site, overlapping_racks
from model.topologies import SAMPLES, build_sample, sample_options, scaleout
from model.topologies.fabric import plan_fabric
from model.topologies.hall import TrayOverflowError
from model.topologies.network_racks import switches_per_rack
from model.topologies.nvl72 import build_gb200_nvl72
from model.topologies.pod_floor import pod_shape
from model.topologies.scaleout import build_scaleout_pod
from model.topologies.superpod import build_gb200_superpod_su
from model.topologies.tor import build_tor_pod
from model.topologies.trn2 import build_trn2_ultra64


def _devices(site):
    return {d.id: (rack, d) for rack in site.racks for d in rack.devices}


def _accelerators(site, catalog):
    return sum(catalog.devices[d.type].accelerators for rack in site.racks for d in rack.devices)


def _used_ports(site):
    return Counter(ref for c in site.cables for ref in (c.a, c.b))


# ---- Trn2-Ultra64 -------------------------------------------------------------------
@pytest.fixture(scope="module")
def ultra64():
    return build_trn2_ultra64()


def test_ultra64_counts(ultra64, catalog):
    check_site(ultra64, catalog)
    assert ultra64.name == "Trn2-Ultra64"
    assert [r.height_u for r in ultra64.racks] == [48, 48]
    assert overlapping_racks(ultra64.racks) == []
    assert _accelerators(ultra64, catalog) == 64
    trays = [d for r in ultra64.racks for d in r.devices if d.type == "trn2-compute-tray"]
    assert len(trays) == 32
    pcb = sum(len(catalog.devices[d.type].internal_links) for d in trays)
    assert pcb == 32
    assert len(ultra64.cables) == 160
    # As AWS builds it: the 64 ring links between the racks are AEC, the rest left to the engine.
    rack_of = {d.id: r.id for r in ultra64.racks for d in r.devices}
    between = [c for c in ultra64.cables if rack_of[c.a.split(":")[0]] != rack_of[c.b.split(":")[0]]]
    assert len(between) == 64 and all(c.pinned_medium == "AEC" for c in between)
    assert sum(c.pinned_medium is None and c.pinned_product is None for c in ultra64.cables) == 96
    assert max(_used_ports(ultra64).values()) == 1


def test_ultra64_rack_elevations(ultra64):
    for rack, servers in zip(ultra64.racks, ((1, 3), (2, 4))):
        units = {d.id: d.u_position for d in rack.devices}
        assert [units[f"{rack.id}-PS1"], units[f"{rack.id}-PS2"]] == [1, 2]
        for k, server in enumerate(servers):
            assert units[f"S{server}-head"] == 3 + 18 * k
            assert [units[f"S{server}-T{t + 1}"] for t in range(8)] == [5 + 18 * k + 2 * t for t in range(8)]


def test_ultra64_intra_server_links_stay_in_a_server_and_ring_links_cross_racks(ultra64):
    devices = _devices(ultra64)
    intra = ring = 0
    for cable in ultra64.cables:
        (a_dev, a_port), (b_dev, b_port) = split_port_ref(cable.a), split_port_ref(cable.b)
        a_server, b_server = a_dev.split("-")[0], b_dev.split("-")[0]
        ports = {a_port[-2:], b_port[-2:]}
        if a_server == b_server:
            intra += 1
            assert ports <= {"n1", "n2", "n3"}
            assert devices[a_dev][0] is devices[b_dev][0]
        else:
            ring += 1
            assert ports <= {"n4", "n5"} and a_port[:2] == b_port[:2]  # the same chip of the tray
            assert a_dev.split("-")[1] == b_dev.split("-")[1]  # the same tray of the server
            assert devices[a_dev][0] is not devices[b_dev][0]
            assert {int(a_server[1]), int(b_server[1])} in ({1, 2}, {2, 3}, {3, 4}, {4, 1})
    assert (intra, ring) == (96, 64)


def test_ultra64_is_a_4x4x4_torus(ultra64):
    # Each chip: 6 distinct neighbours (1 over PCB, 3 in its server, 2 in the ring).
    neighbours: dict[str, set[str]] = {}
    for cable in ultra64.cables:
        a, b = (ref.rsplit(".", 1)[0] for ref in (cable.a, cable.b))
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    for chip in list(neighbours):
        tray, c = chip.split(":")
        neighbours[chip].add(f"{tray}:c{1 - int(c[1])}")
    assert len(neighbours) == 64
    assert all(len(others) == 6 and chip not in others for chip, others in neighbours.items())


# ---- GB200 NVL72 --------------------------------------------------------------------
def test_nvl72_structure(catalog):
    site = build_gb200_nvl72()
    check_site(site, catalog)
    assert site.name == "GB200 NVL72"
    (rack,) = site.racks
    assert rack.height_u == 48 and rack.power_budget_w == 132000
    by_type: dict[str, list[int]] = {}
    for device in rack.devices:
        by_type.setdefault(device.type, []).append(device.u_position)
    assert sorted(by_type["power-shelf-33kw"]) == [1, 2, 3, 4, 32, 33, 34, 35]
    assert sorted(by_type["gb200-compute-tray"]) == [*range(5, 13), *range(22, 32)]
    assert sorted(by_type["nvlink-switch-tray"]) == list(range(13, 22))
    assert _accelerators(site, catalog) == 72
    assert len(site.cables) == 648


def test_nvl72_every_gpu_has_one_cable_to_each_switch_tray():
    site = build_gb200_nvl72()
    per_gpu: dict[str, set[str]] = {}
    for cable in site.cables:
        gpu = cable.a.rsplit(".", 1)[0]
        per_gpu.setdefault(gpu, set()).add(split_port_ref(cable.b)[0])
    assert len(per_gpu) == 72
    assert all(len(switches) == 9 for switches in per_gpu.values())
    switch_ports = Counter(split_port_ref(c.b)[0] for c in site.cables)
    assert set(switch_ports.values()) == {72}
    assert ("CT03:g1.nv5", "NVS5:nv10") in {(c.a, c.b) for c in site.cables}  # 4c + g + 1 with c=2, g=1


# ---- scale-out pod ------------------------------------------------------------------
@pytest.fixture(scope="module")
def pod():
    return build_scaleout_pod(1024)  # InfiniBand, B300: Quantum-X800 Q3400, SU of 72 nodes


def _kinds(site):
    """Cable counts by (device type, device type) and each switch's (downlinks, uplinks)."""
    devices = _devices(site)
    kinds = Counter()
    ports: dict[str, list[int]] = {}
    for cable in site.cables:
        a, b = split_port_ref(cable.a)[0], split_port_ref(cable.b)[0]
        kinds[devices[a][1].type, devices[b][1].type] += 1
        ports.setdefault(b, [0, 0])[0] += 1  # the planners put the lower tier first
        ports.setdefault(a, [0, 0])[1] += 1
    return kinds, ports


def test_pod_counts(pod, catalog):
    check_site(pod, catalog)
    assert pod.name == "Scale-out pod (1024 accelerators, infiniband b300)"
    assert _accelerators(pod, catalog) == 1024
    types = Counter(d.type for r in pod.racks for d in r.devices)
    assert types["server-8gpu-800g"] == 128
    # 128 nodes = 2 SU of 72 (the DGX SuperPOD B300 XDR RA's 2-SU row: 16 leaves, 8 spines).
    assert types["spine-q3400-144x800g"] == 16 + 8
    kinds, _ = _kinds(pod)
    assert kinds == {
        ("server-8gpu-800g", "spine-q3400-144x800g"): 1024,
        ("spine-q3400-144x800g", "spine-q3400-144x800g"): 1024,
    }
    assert {r.power_budget_w for r in pod.racks if "servers" in r.name} == {60000}
    assert overlapping_racks(pod.racks) == []
    assert max(_used_ports(pod).values()) == 1


def test_pod_racks_budget_for_their_devices_and_hungriest_cable_ends(catalog):
    site = build_scaleout_pod(11000)  # three tiers: leaf, spine and core racks
    assert {"SU 1 leaves", "Pod 1 spines 1", "Cores 1"} <= {r.name for r in site.racks}
    for rack in site.racks:
        need = supply = 0.0
        for device in rack.devices:
            device_type = catalog.devices[device.type]
            supply += device_type.supply_w
            need += device_type.power_w
            for port in device_type.ports:
                products = catalog.products_for(port.connector, port.rate_gbps, port.lanes)
                need += max((p.power_w / 2 for p in products), default=0.0)
        assert need <= rack.power_budget_w <= supply, rack.id


def test_pod_one_nic_cable_per_accelerator_on_its_rail(pod):
    nic_ports = Counter(split_port_ref(c.a)[1] for c in pod.cables if "srv" in c.a)
    assert nic_ports == {f"nic{r + 1}": 128 for r in range(8)}
    # Server n of an SU takes port n of its rail's leaf.
    assert ("su002-srv05:nic3", "su002-leaf3:p5") in {(c.a, c.b) for c in pod.cables}
    _, ports = _kinds(pod)
    leaves = {d: io for d, io in ports.items() if "leaf" in d}
    assert len(leaves) == 16 and all(down == up for down, up in leaves.values())
    assert sorted({down for down, _ in leaves.values()}) == [56, 72]


def test_pod_places_leaves_mid_su_and_spines_in_the_pod_rows(pod):
    rows: dict[str, list] = {}
    for rack in sorted(pod.racks, key=lambda r: r.x_mm):
        rows.setdefault(rack.row, []).append(rack)
    for racks in rows.values():
        for k, rack in enumerate(racks):
            if rack.name.endswith("leaves"):  # servers either side of their leaves
                assert racks[k - 1].name.startswith(rack.name[:5]) and racks[k + 1].name.startswith(rack.name[:5])
    assert sum(r.name.startswith("Spines") for r in pod.racks) == 2
    assert [racks[0].facing for racks in rows.values()] == ["south", "north"][: len(rows)]


def test_pod_with_a_partial_su(catalog):
    site = build_scaleout_pod(320)  # 40 servers: one SU of 72 with 40 in it
    check_site(site, catalog)
    kinds, ports = _kinds(site)
    assert kinds["server-8gpu-800g", "spine-q3400-144x800g"] == 320
    assert {tuple(io) for d, io in ports.items() if "leaf" in d} == {(40, 40)}
    assert sum(r.name.startswith("SU 1 servers") for r in site.racks) == 10


@pytest.mark.parametrize("bad", [0, -8, 12, 8.0, True, "64", 2_000_000])
def test_pod_refuses_bad_sizes(bad):
    with pytest.raises(ValueError, match="accelerators must be"):
        build_scaleout_pod(bad)


def test_pod_refuses_an_unknown_fabric_or_server_and_a_fourth_tier():
    with pytest.raises(ValueError, match="fabric must be one of infiniband, ethernet, not 'omnipath'"):
        build_scaleout_pod(64, fabric="omnipath")
    with pytest.raises(ValueError, match="server must be one of b200, b300, not 'h100'"):
        build_scaleout_pod(64, server="h100")
    with pytest.raises(ValueError, match="need more than three tiers of 64-port switches in 8 planes"):
        build_scaleout_pod(1_000_000, server="b200")


def test_pod_of_a_million_b300s_is_two_planes_in_one_pod_column(catalog):
    # Planned, not built: the pods of both planes' groups in one column, so every spine's
    # uplinks run down its own cross tray to the core rows (hall.size_trays: no turns that
    # tie through every pod row, as the trays of a one-plane 746,496 in two columns do).
    switch = catalog.devices["spine-q3400-144x800g"]
    for gpus, planes in ((500_000, 1), (746_496, 2), (1_000_000, 2)):
        plan = plan_fabric(gpus // 8, 8, 144, max_planes=8, min_planes=planes)
        racks = -(-plan.planes * plan.spines_per_slg // switches_per_rack(switch, catalog))
        shape = pod_shape(plan, catalog, plan.pod_sus, plan.pods, racks)
        assert (plan.planes, shape.pod_columns, shape.rows_per_pod) == (planes, 1, 1), gpus
        assert shape.blocks == plan.pod_sus and racks <= shape.blocks  # a network place per spine rack
        assert 0.5 <= shape.width_mm / ((plan.pods + 2) * 2400) <= 2.0  # roughly square
    assert plan_fabric(746_496 // 8, 8, 144, max_planes=8).planes == 1


def test_pod_whose_trays_overflow_in_one_plane_is_built_in_two(monkeypatch, catalog):
    # The fallback a 600,000-GPU pod takes, at a size that builds in a second: one plane's
    # trays refused, so the rails split in two; the fabric is whole and non-blocking by count.
    real, calls = scaleout.size_trays, []

    def size_trays(site, catalog):
        calls.append(any(d.id.startswith("plane") for r in site.racks for d in r.devices))
        if not calls[-1]:
            raise TrayOverflowError("tray T-R01-01 would carry 1 mm² of cable, more than ... hold")
        return real(site, catalog)

    monkeypatch.setattr(scaleout, "size_trays", size_trays)
    site = build_scaleout_pod(11000)
    assert calls == [False, True]
    check_site(site, catalog)
    kinds, ports = _kinds(site)
    assert sum(kinds.values()) == 3 * 11000
    switches = {d.id for r in site.racks for d in r.devices if d.type == "spine-q3400-144x800g"}
    assert {s.split("-")[0] for s in switches if not s.startswith("su")} == {"plane1", "plane2"}
    planes = Counter()
    for cable in site.cables:  # leaves of rails 1-4 to plane 1's spines, 5-8 to plane 2's; cores alike
        a, b = split_port_ref(cable.a)[0], split_port_ref(cable.b)[0]
        if "-leaf" in a:
            planes["leaf", b.split("-")[0]] += 1
            assert b.split("-")[0] == ("plane1" if int(a[-1]) <= 4 else "plane2"), cable
        elif a.startswith("plane"):
            planes["spine", b.split("-")[0]] += 1
            assert b.split("-")[0] == a.split("-")[0], cable
    assert planes == {(tier, plane): 5500 for tier in ("leaf", "spine") for plane in ("plane1", "plane2")}
    assert all(up == down for d, (down, up) in ports.items() if "-leaf" in d)


# ---- top-of-rack pod and DGX SuperPOD GB200 SU ------------------------------------------
def test_tor_pod_cables_each_nic_to_its_own_racks_switch_and_picks_copper_by_length(catalog):
    site = build_tor_pod(256)
    check_site(site, catalog)
    devices = _devices(site)
    assert len(site.racks) == 8 and len(site.cables) == 256
    for cable in site.cables:
        (a_rack, a_dev), (b_rack, b_dev) = (devices[split_port_ref(ref)[0]] for ref in (cable.a, cable.b))
        assert a_rack is b_rack and a_dev.type == "server-8gpu-800g" and b_dev.type == "switch-51t2-64x800g"
        assert cable.pinned_medium is None and cable.pinned_product is None
    result = analyse(Document(site))
    # Runs of 2.9-4.3 m: to 3 m the 26 AWG 800G DAC (NVIDIA: 26 AWG for 2.5-3 m), beyond it
    # active copper (the 3-5 m linear LACC); nothing reaches for optics.
    by_medium = result.totals["by_medium"]
    assert by_medium["DAC"] + by_medium["AEC"] == 256 and by_medium["DAC"] > 0 and by_medium["AEC"] > 0
    assert result.lengths_by_medium["DAC"].max() <= 3.0 < result.lengths_by_medium["AEC"].min()
    lengths = np.concatenate([result.lengths_by_medium["DAC"], result.lengths_by_medium["AEC"]])
    assert 2.0 < lengths.min() and lengths.max() < 5.0
    assert result.problems == []


def test_gb200_superpod_su_is_eight_nvl72_racks_and_their_compute_fabric(catalog):
    site = build_gb200_superpod_su()
    check_site(site, catalog)
    assert _accelerators(site, catalog) == 576
    names = [r.name for r in sorted(site.racks, key=lambda r: r.x_mm)]
    assert names == [
        *(f"NVL72 rack {k}" for k in range(1, 5)),
        "Leaves",
        "Spines",
        *(f"NVL72 rack {k}" for k in range(5, 9)),
    ]
    kinds, ports = _kinds(site)
    assert kinds["gb200-compute-tray", "nvlink-switch-tray"] == 8 * 648
    assert kinds["gb200-compute-tray", "switch-qm9700-64x400g"] == 576  # one NIC per GPU
    assert kinds["switch-qm9700-64x400g", "switch-qm9700-64x400g"] == 576
    switches = Counter(d.type for r in site.racks for d in r.devices if catalog.devices[d.type].kind == "switch")
    assert switches == {"nvlink-switch-tray": 72, "switch-qm9700-64x400g": 20 + 16}
    assert all(down == up for d, (down, up) in ports.items() if "leaf" in d)
    assert analyse(Document(site)).problems == []


# ---- samples ------------------------------------------------------------------------
def test_samples_registry_builds_each_sample(catalog):
    assert {"trn2-ultra64", "gb200-nvl72", "gb300-nvl72", "gb200-nvl36x2", "scaleout-pod"} <= set(SAMPLES)
    assert {"gb200-superpod-su", "tor-pod"} <= set(SAMPLES)
    assert sample_options("scaleout-pod") == ["accelerators", "fabric", "server"]
    assert sample_options("tor-pod") == ["accelerators"]
    assert build_sample("scaleout-pod", accelerators=64).name == "Scale-out pod (64 accelerators, infiniband b300)"
    assert build_sample("tor-pod", accelerators=64).name == "ToR pod (64 accelerators, 2 racks)"
    assert len(build_sample("trn2-ultra64").cables) == 160
    assert len(build_sample("gb200-nvl72").cables) == 648
    assert len(build_sample("gb300-nvl72").cables) == 648
    assert len(build_sample("gb200-nvl36x2").cables) == 648 + 162


def test_build_sample_names_valid_samples_and_options():
    with pytest.raises(ValueError, match="unknown sample 'nvl36'; the samples are: trn2-ultra64, gb200-nvl72"):
        build_sample("nvl36")
    with pytest.raises(ValueError, match="'gb200-nvl72' has no option accelerators \\(its options: none\\)"):
        build_sample("gb200-nvl72", accelerators=72)

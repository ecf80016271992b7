from collections import Counter

import pytest

from model.layout import split_port_ref
from model.rules import check_site, overlapping_racks
from model.topologies import SAMPLES, build_sample, sample_options
from model.topologies.nvl72 import build_gb200_nvl72
from model.topologies.scaleout import build_scaleout_pod
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
    return build_scaleout_pod(1024)


def _cable_kinds(site):
    devices = _devices(site)
    kinds = Counter()
    per_leaf = {}
    for cable in site.cables:
        a_type = devices[split_port_ref(cable.a)[0]][1].type
        b_type = devices[split_port_ref(cable.b)[0]][1].type
        kinds[a_type, b_type] += 1
        for ref, other in ((cable.a, b_type), (cable.b, a_type)):
            device = split_port_ref(ref)[0]
            if devices[device][1].type == "switch-51t2-64x800g":
                down_up = per_leaf.setdefault(device, [0, 0])
                down_up[other == "spine-q3400-144x800g"] += 1
    return kinds, per_leaf


def test_pod_counts(pod, catalog):
    check_site(pod, catalog)
    assert pod.name == "Scale-out pod (1024 accelerators)"
    assert _accelerators(pod, catalog) == 1024
    types = Counter(d.type for r in pod.racks for d in r.devices)
    assert types["server-8gpu-800g"] == 128
    assert types["switch-51t2-64x800g"] == 4 * 8
    assert types["spine-q3400-144x800g"] == 8  # ceil(1024 uplinks / 144 ports)
    assert len(pod.racks) == 4 * 9 + 1
    assert len(pod.cables) == 2048
    assert {r.power_budget_w for r in pod.racks if not r.name.startswith("Spines")} == {60000}
    assert overlapping_racks(pod.racks) == []


def test_pod_racks_budget_for_their_devices_and_hungriest_cable_ends(catalog):
    site = build_scaleout_pod(14400)  # 100 spines: ten full spine racks
    spine_racks = [r for r in site.racks if r.name.startswith("Spines")]
    assert len(spine_racks) == 10 and all(len(r.devices) == 3 + 10 for r in spine_racks)
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


def test_pod_one_nic_cable_per_accelerator_and_uplinks_match_downlinks(pod):
    kinds, per_leaf = _cable_kinds(pod)
    assert kinds["server-8gpu-800g", "switch-51t2-64x800g"] == 1024
    assert kinds["switch-51t2-64x800g", "spine-q3400-144x800g"] == 1024
    assert len(per_leaf) == 32 and all(down == up == 32 for down, up in per_leaf.values())
    nic_ports = Counter(split_port_ref(c.a)[1] for c in pod.cables if "srv" in c.a)
    assert nic_ports == {f"nic{r + 1}": 128 for r in range(8)}
    assert ("g002-srv05:nic3", "g002-leaf3:p5") in {(c.a, c.b) for c in pod.cables}


def test_pod_places_leaves_mid_group_and_spines_mid_floor(pod):
    rows = {}
    for rack in pod.racks:
        rows.setdefault(rack.row, []).append(rack)
    names = [[r.name for r in racks] for racks in rows.values()]
    assert len(names) == 3 and names[1] == ["Spines 1"]
    assert names[0][4] == "Group 1 leaves" and names[0][13] == "Group 2 leaves"
    facing = [racks[0].facing for racks in rows.values()]
    assert facing == ["south", "north", "south"]


def test_pod_with_a_partial_group(catalog):
    site = build_scaleout_pod(320)  # 40 servers: a full group of 32 and one of 8
    check_site(site, catalog)
    kinds, per_leaf = _cable_kinds(site)
    assert kinds["server-8gpu-800g", "switch-51t2-64x800g"] == 320
    assert sorted({tuple(v) for v in per_leaf.values()}) == [(8, 8), (32, 32)]
    assert len(site.racks) == (8 + 1) + (2 + 1) + 1


@pytest.mark.parametrize("bad", [0, -8, 12, 8.0, True, "64", 2_000_000])
def test_pod_refuses_bad_sizes(bad):
    with pytest.raises(ValueError, match="accelerators must be"):
        build_scaleout_pod(bad)


# ---- samples ------------------------------------------------------------------------
def test_samples_registry_builds_each_sample(catalog):
    assert {"trn2-ultra64", "gb200-nvl72", "gb300-nvl72", "gb200-nvl36x2", "scaleout-pod"} <= set(SAMPLES)
    assert sample_options("scaleout-pod") == ["accelerators"]
    assert build_sample("scaleout-pod", accelerators=64).name == "Scale-out pod (64 accelerators)"
    assert len(build_sample("trn2-ultra64").cables) == 160
    assert len(build_sample("gb200-nvl72").cables) == 648
    assert len(build_sample("gb300-nvl72").cables) == 648
    assert len(build_sample("gb200-nvl36x2").cables) == 648 + 162


def test_build_sample_names_valid_samples_and_options():
    with pytest.raises(ValueError, match="unknown sample 'nvl36'; the samples are: trn2-ultra64, gb200-nvl72"):
        build_sample("nvl36")
    with pytest.raises(ValueError, match="'gb200-nvl72' has no option accelerators \\(its options: none\\)"):
        build_sample("gb200-nvl72", accelerators=72)

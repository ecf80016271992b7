import pytest

from model.document import Document
from model.errors import LayoutError
from model.layout import Cable, Device, Rack, Site
from model.topologies.autowire import (
    leaf_spine,
    nic_rails,
    nvl72_spine,
    spine_core,
    top_of_rack,
    trn2_torus,
    wiring_arguments,
    wiring_snapshot,
)

TRN2 = "trn2-compute-tray"
GB200 = "gb200-compute-tray"
NVSWITCH = "nvlink-switch-tray"
SERVER = "server-8gpu-800g"
LEAF = "switch-51t2-64x800g"
SPINE = "spine-q3400-144x800g"
# The leaves' own family (Ethernet, as LEAF): an InfiniBand spine over Ethernet leaves is refused.
ETH_SPINE = "switch-51t2-64x800g"


def _doc(*racks: list[tuple[str, str, int]]) -> Document:
    """A document with one rack per list of (device id, type, U), racks side by side."""
    site = Site(
        racks=[
            Rack(
                id=f"R{i + 1}",
                x_mm=600.0 * i,
                y_mm=0.0,
                devices=[Device(id=d, type=t, u_position=u) for d, t, u in devs],
            )
            for i, devs in enumerate(racks)
        ]
    )
    return Document(site)


def _trn2_server() -> tuple[Document, list[str]]:
    trays = [f"T{t}" for t in range(8)]
    doc = _doc([(tray, TRN2, 1 + 2 * t) for t, tray in enumerate(trays)] + [("head", "trn2-server-head", 17)])
    return doc, trays


def _ends(cables):
    return [(c.a, c.b) for c in cables]


# ---- Trn2 torus ---------------------------------------------------------------------
def test_one_trn2_server_is_a_4x4_torus_on_ports_n1_to_n3():
    doc, trays = _trn2_server()
    cables = trn2_torus(doc, trays)
    assert len(cables) == 24
    doc.connect_many(cables)  # every cable passes the document's checks
    ports = [ref.split(":")[1] for c in cables for ref in (c.a, c.b)]
    assert sorted(ports) == sorted(f"c{chip}.n{k}" for _ in trays for chip in (0, 1) for k in (1, 2, 3))
    # Every chip gets 3 cables plus its PCB partner: 4 distinct torus neighbours.
    neighbours: dict[str, set[str]] = {}
    for cable in cables:
        a, b = (ref.replace(".n", "#").split("#")[0] for ref in (cable.a, cable.b))
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    assert len(neighbours) == 16
    for chip, others in neighbours.items():
        tray, c = chip.split(":")
        partner = f"{tray}:c{1 - int(c[1])}"
        assert len(others) == 3 and partner not in others


def test_folded_trn2_server_keeps_every_cable_within_four_trays():
    doc, trays = _trn2_server()
    spans = [abs(trays.index(c.a.split(":")[0]) - trays.index(c.b.split(":")[0])) for c in trn2_torus(doc, trays)]
    assert max(spans) == 4  # unfolded, the y wrap would span 6 trays


def test_trn2_torus_wants_8_or_32_trays():
    doc, trays = _trn2_server()
    with pytest.raises(LayoutError, match="8 compute trays .* or 32 .* 7 given"):
        trn2_torus(doc, trays[:7])


def test_trn2_torus_refuses_other_devices():
    doc, trays = _trn2_server()
    with pytest.raises(LayoutError, match="'head' is a .*server head.*must be a compute tray"):
        trn2_torus(doc, [*trays[:7], "head"])
    doc = _doc([(f"G{i}", GB200, 1 + i) for i in range(8)])
    with pytest.raises(LayoutError, match="two chips joined inside the tray"):
        trn2_torus(doc, [f"G{i}" for i in range(8)])
    with pytest.raises(LayoutError, match="no device 'ghost'"):
        trn2_torus(doc, ["ghost"] * 8)


def test_trn2_torus_uses_only_free_ports_and_says_when_none_is_left():
    doc, trays = _trn2_server()
    # Take two of chip 0's intra-server ports on tray T0 with a cable to another tray.
    doc.connect_many([Cable(id="c1", a="T0:c0.n1", b="T7:c1.n4"), Cable(id="c3", a="T0:c0.n2", b="T7:c1.n5")])
    with pytest.raises(LayoutError, match=r"'T0' chip 0 has no free port left among c0.n1, c0.n2, c0.n3"):
        trn2_torus(doc, trays)
    assert len(doc.cables) == 2  # nothing half-planned was added


def test_cable_ids_skip_the_taken_ones():
    doc, trays = _trn2_server()
    doc.connect(Cable(id="c2", a="head:efa1", b="head:efa2"))
    cables = trn2_torus(doc, trays)
    ids = [c.id for c in cables]
    assert ids[:3] == ["c1", "c3", "c4"] and len(set(ids)) == 24 and "c2" not in ids
    assert all(c.label == "" and c.pinned_medium is None for c in cables)


# ---- NVLink spine -------------------------------------------------------------------
def _nvl(compute: int = 2, switches: int = 9) -> tuple[Document, list[str], list[str]]:
    trays = [f"CT{c}" for c in range(compute)]
    nvs = [f"NVS{s}" for s in range(switches)]
    devices = [(t, GB200, 1 + i) for i, t in enumerate(trays)] + [(s, NVSWITCH, 20 + i) for i, s in enumerate(nvs)]
    return _doc(devices), trays, nvs


def test_nvl72_spine_joins_every_gpu_to_every_switch_tray():
    doc, trays, switches = _nvl()
    cables = nvl72_spine(doc, trays, switches)
    assert len(cables) == 2 * 4 * 9
    ends = set(_ends(cables))
    for c in range(2):
        for g in range(4):
            for s in range(9):
                assert (f"CT{c}:g{g}.nv{s + 1}", f"NVS{s}:nv{4 * c + g + 1}") in ends
    doc.connect_many(cables)


def test_nvl72_spine_counts_switch_trays_and_ports():
    doc, trays, switches = _nvl(switches=10)
    with pytest.raises(LayoutError, match="'CT0' GPU 0 has 9 free NVLINK ports; 10 switch trays need one each"):
        nvl72_spine(doc, trays, switches)
    doc, trays, switches = _nvl()
    doc.connect_many([Cable(id=f"x{i}", a=f"NVS0:nv{2 * i + 1}", b=f"NVS0:nv{2 * i + 2}") for i in range(33)])
    with pytest.raises(LayoutError, match="'NVS0' has 6 free ports; 2 compute trays with 8 GPUs need 8"):
        nvl72_spine(doc, trays, switches)


def test_nvl72_spine_refuses_wrong_kinds():
    doc, trays, switches = _nvl()
    with pytest.raises(LayoutError, match="compute tray 'NVS0' is a .*switch.*must be a compute tray"):
        nvl72_spine(doc, switches, switches)
    with pytest.raises(LayoutError, match="switch tray 'CT0' is a .*must be a switch"):
        nvl72_spine(doc, trays, trays)
    with pytest.raises(LayoutError, match="given twice"):
        nvl72_spine(doc, [trays[0], trays[0]], switches)


# ---- NIC rails and leaf-spine -------------------------------------------------------
def _fabric(servers: int = 2, leaves: int = 8, spines: int = 2) -> Document:
    server_rack = [(f"S{i}", SERVER, 1 + 8 * i) for i in range(servers)]
    leaf_rack = [(f"L{r}", LEAF, 1 + 2 * r) for r in range(leaves)]
    spine_rack = [(f"SP{k}", ETH_SPINE, 1 + 4 * k) for k in range(spines)]
    return _doc(server_rack, leaf_rack, spine_rack)


def test_nic_rails_send_rail_r_of_every_server_to_leaf_r():
    doc = _fabric()
    leaves = [f"L{r}" for r in range(8)]
    cables = nic_rails(doc, ["S0", "S1"], leaves)
    assert set(_ends(cables)) == {(f"S{i}:nic{r + 1}", f"L{r}:p{i + 1}") for i in range(2) for r in range(8)}
    doc.connect_many(cables)
    # A second batch continues on the leaves' next free downlink ports.
    doc2 = _fabric(servers=3)
    doc2.connect_many(nic_rails(doc2, ["S0", "S1"], leaves))
    assert {c.b for c in nic_rails(doc2, ["S2"], leaves)} == {f"L{r}:p3" for r in range(8)}


def test_nic_rails_say_what_is_wrong():
    doc = _fabric()
    leaves = [f"L{r}" for r in range(8)]
    with pytest.raises(LayoutError, match="'S0' .* has 8 NIC rails; give one leaf per rail \\(7 given\\)"):
        nic_rails(doc, ["S0"], leaves[:7])
    with pytest.raises(LayoutError, match="leaf 'S1' is a .*must be a switch"):
        nic_rails(doc, ["S0"], [*leaves[:7], "S1"])
    with pytest.raises(LayoutError, match="server 'L0' is a .*must be a server or compute tray"):
        nic_rails(doc, ["L0"], leaves)
    doc.connect(Cable(id="mine", a="S0:nic3", b="L7:p40"))
    with pytest.raises(LayoutError, match="'S0' rail nic3 is already cabled \\(cable 'mine'\\)"):
        nic_rails(doc, ["S0"], leaves)
    # Fill leaf L0's 32 downlinks: a server has nowhere to go on rail 1.
    doc = _fabric()
    doc.connect_many([Cable(id=f"d{p}", a=f"L0:p{p}", b=f"L1:p{p}") for p in range(1, 33)])
    with pytest.raises(LayoutError, match="leaf 'L0' has 0 free downlink ports \\(of its first 32\\); 1 servers"):
        nic_rails(doc, ["S1"], leaves)


def test_nic_rails_refuse_ports_that_cannot_be_joined():
    # A GB200 tray's 400G OSFP NICs on NVLink switch trays' cartridge ports.
    doc = _doc([("G", GB200, 1)], [(f"L{r}", NVSWITCH, 1 + r) for r in range(4)])
    with pytest.raises(LayoutError, match="G:nic1 and L0 cannot be joined: a plug port cannot join a cartridge port"):
        nic_rails(doc, ["G"], [f"L{r}" for r in range(4)])


def test_leaf_spine_spreads_uplinks_round_robin_on_upper_ports():
    doc = _fabric(spines=3)
    cables = leaf_spine(doc, ["L0", "L1"], ["SP0", "SP1", "SP2"], uplinks_per_leaf=4)
    assert [c.a for c in cables] == [f"L{leaf}:p{33 + j}" for leaf in range(2) for j in range(4)]
    # Every leaf takes the spines in the same order: uplink j to spine j mod 3.
    spines = [c.b.split(":")[0] for c in cables]
    assert spines == [f"SP{j % 3}" for leaf in range(2) for j in range(4)]
    assert [c.b for c in cables if c.b.startswith("SP0")] == ["SP0:p1", "SP0:p2", "SP0:p3", "SP0:p4"]
    doc.connect_many(cables)


def test_leaf_spine_without_a_count_matches_cabled_downlinks():
    doc = _fabric(servers=3, spines=1)
    leaves = [f"L{r}" for r in range(8)]
    doc.connect_many(nic_rails(doc, ["S0", "S1", "S2"], leaves))
    cables = leaf_spine(doc, leaves, ["SP0"])
    assert len(cables) == 24
    assert all(sum(c.a.startswith(f"{leaf}:") for c in cables) == 3 for leaf in leaves)


def test_leaf_spine_says_when_ports_run_out():
    doc = _fabric(spines=1)
    leaves = [f"L{r}" for r in range(5)]
    with pytest.raises(LayoutError, match="1 spines have 64 free ports; the leaves need 160 uplinks"):
        leaf_spine(doc, leaves, ["SP0"], uplinks_per_leaf=32)
    with pytest.raises(LayoutError, match="leaf 'L0' has 32 free uplink ports .*; 33 uplinks asked"):
        leaf_spine(doc, ["L0"], ["SP0"], uplinks_per_leaf=33)
    for bad in (0, 1.5, True):
        with pytest.raises(LayoutError, match="uplinks per leaf must be a whole number"):
            leaf_spine(doc, ["L0"], ["SP0"], uplinks_per_leaf=bad)
    with pytest.raises(LayoutError, match="spine 'S0' is a .*must be a switch"):
        leaf_spine(doc, ["L0"], ["S0"], uplinks_per_leaf=1)


def test_a_leaf_with_fewer_uplinks_takes_the_same_spines_as_the_others():
    # A partial SU's leaf (3 servers) and a full one (5): every path of the small one is shared.
    doc = _fabric(servers=5, spines=4)
    leaves = [f"L{r}" for r in range(8)]
    doc.connect_many(nic_rails(doc, [f"S{i}" for i in range(5)], leaves))
    full = leaf_spine(doc, ["L0"], ["SP0", "SP1", "SP2", "SP3"])
    small = leaf_spine(doc, ["L1"], ["SP0", "SP1", "SP2", "SP3"], uplinks_per_leaf=3)
    assert [c.b.split(":")[0] for c in full] == ["SP0", "SP1", "SP2", "SP3", "SP0"]
    assert [c.b.split(":")[0] for c in small] == ["SP0", "SP1", "SP2"]


def _three_tiers() -> tuple[Document, list[str], list[str]]:
    """Two spines with 6 and 3 downlinks each, 4 cores."""
    doc = _doc([(f"SP{k}", SPINE, 1 + 4 * k) for k in range(2)], [(f"C{k}", SPINE, 1 + 4 * k) for k in range(4)])
    doc.connect_many(
        [
            Cable(id=f"d{k}-{p}", a=f"SP{k}:p{p}", b=f"SP{1 - k}:p{100 + p}")
            for k, n in ((0, 6), (1, 3))
            for p in range(1, n + 1)
        ]
    )
    return doc, ["SP0", "SP1"], [f"C{k}" for k in range(4)]


def test_spine_core_sends_as_many_uplinks_as_downlinks_round_robin_over_the_cores():
    doc, spines, cores = _three_tiers()
    cables = spine_core(doc, spines, cores)
    ups = [(c.a.split(":")[0], c.b.split(":")[0]) for c in cables]
    # SP0 has 6 ports cabled (its 6 + SP1's 3 landing on it: 9), SP1 likewise 9.
    assert sum(a == "SP0" for a, _ in ups) == 9 and sum(a == "SP1" for a, _ in ups) == 9
    assert [b for _, b in ups] == [f"C{k % 4}" for k in range(18)]  # counting on across spines
    assert not {c.a for c in cables} & set(doc.port_use)  # free ports only
    doc.connect_many(cables)
    assert spine_core(doc, ["SP0"], cores, uplinks_per_spine=2)[0].b.startswith("C0:")


def test_spine_core_says_what_is_wrong():
    doc, spines, cores = _three_tiers()
    with pytest.raises(LayoutError, match="1 cores have 144 free ports; the spines need 260 uplinks"):
        spine_core(doc, spines, ["C0"], uplinks_per_spine=130)
    with pytest.raises(LayoutError, match="uplinks per spine must be a whole number"):
        spine_core(doc, spines, cores, uplinks_per_spine=0)
    with pytest.raises(LayoutError, match="spine 'SP0' has 135 free ports; 136 uplinks asked"):
        spine_core(doc, ["SP0"], cores, uplinks_per_spine=136)
    with pytest.raises(LayoutError, match="needs at least one spine and one core"):
        spine_core(doc, spines, [])


def test_top_of_rack_cables_every_nic_to_the_switch_in_order():
    doc = _doc([("S0", SERVER, 1), ("S1", SERVER, 9), ("T", LEAF, 47)])
    cables = top_of_rack(doc, ["S0", "S1"], "T")
    assert _ends(cables) == [(f"S{i}:nic{r + 1}", f"T:p{8 * i + r + 1}") for i in range(2) for r in range(8)]
    doc.connect_many(cables)
    with pytest.raises(LayoutError, match="'S0' port nic1 is already cabled"):
        top_of_rack(doc, ["S0"], "T")
    doc = _doc([(f"S{i}", SERVER, 1 + 8 * i) for i in range(5)] + [("T", LEAF, 47)])
    with pytest.raises(LayoutError, match="'T' has 32 free downlink ports; 40 NIC ports need one each"):
        top_of_rack(doc, [f"S{i}" for i in range(5)], "T")


def test_a_plan_on_a_snapshot_ignores_later_edits_and_the_document_rechecks_it():
    doc, trays = _trn2_server()
    snapshot = wiring_snapshot(doc)
    (tray_ids,) = wiring_arguments(snapshot, "trn2_torus", [], [])
    assert tray_ids == sorted(trays)  # nothing selected: every compute tray
    # An edit made while the planner runs: it takes a port the plan will use.
    planned_first = trn2_torus(wiring_snapshot(doc), tray_ids)[0]
    doc.connect(Cable(id="x", a=planned_first.a, b=planned_first.b))
    cables = trn2_torus(snapshot, tray_ids)
    assert cables[0].a == planned_first.a  # the snapshot did not see the edit
    with pytest.raises(LayoutError, match="already"):
        doc.connect_many(cables)
    assert "x" in doc.cables and len(doc.cables) == 1  # all or nothing


def test_wiring_arguments_pick_devices_by_kind_from_the_selection():
    doc = _doc([("s1", SERVER, 1), ("leaf", LEAF, 20)], [("s2", SERVER, 1), ("spine", SPINE, 20)])
    snapshot = wiring_snapshot(doc)
    assert wiring_arguments(snapshot, "nic_rails", [], ["R1"]) == (["s1"], ["leaf"])
    assert wiring_arguments(snapshot, "leaf_spine", [], []) == (["leaf"], ["spine"])
    with pytest.raises(LayoutError, match="no auto-wiring"):
        wiring_arguments(snapshot, "mesh", [], [])

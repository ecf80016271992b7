"""model.rules: the protocol check (issue #8): InfiniBand is not cabled to Ethernet, NVLink and
NeuronLink only to their own kind; a VPI NIC port (no protocol) joins either fabric."""

import pytest

from model.catalog import default_catalog
from model.document import Document
from model.errors import LayoutError
from model.layout import Cable, Device, Rack, Site
from model.rules import check_protocols, check_site, compatible_rate
from model.topologies import build_sample


def _doc(*devices: tuple[str, str, int]) -> Document:
    rack = Rack(id="R1", x_mm=0.0, y_mm=0.0, devices=[Device(id=d, type=t, u_position=u) for d, t, u in devices])
    return Document(Site(racks=[rack]))


def _port(type_id: str, name: str):
    spec = default_catalog().devices[type_id].port(name)
    assert spec is not None
    return spec


def test_an_infiniband_port_is_refused_on_an_ethernet_port_naming_both_ports():
    # A Quantum-2 QM9700 (InfiniBand NDR) and a split Spectrum-4 SN5600 (400GbE): same cage, rate, lanes.
    doc = _doc(("ib", "switch-qm9700-64x400g", 1), ("eth", "switch-sn5600-128x400g", 3))
    with pytest.raises(LayoutError) as refused:
        doc.connect(Cable(id="c1", a="ib:p1", b="eth:p1"))
    message = str(refused.value)
    assert "ib:p1 and eth:p1 cannot be joined: protocols differ: p1 infiniband, p1 ethernet" in message
    assert "c1" not in doc.cables  # nothing half-done


def test_like_protocols_and_a_vpi_nic_are_accepted():
    doc = _doc(
        ("ib1", "switch-qm9700-64x400g", 1), ("ib2", "switch-qm9700-64x400g", 2), ("eth", "switch-sn5600-128x400g", 3)
    )
    doc.connect(Cable(id="ib", a="ib1:p1", b="ib2:p1"))
    assert "ib" in doc.cables
    # A ConnectX-7 port has no protocol of its own: it runs InfiniBand or Ethernet as its switch does.
    nic = _port("server-8gpu-400g", "nic1")
    assert nic.protocol is None
    assert compatible_rate(nic, _port("switch-qm9700-64x400g", "p1"), None) == 400
    assert compatible_rate(nic, _port("switch-sn5600-128x400g", "p1"), None) == 400


def test_nvlink_and_neuronlink_join_only_their_own_kind():
    nvlink = _port("nvlink-switch-tray-nvl36x2", "x1")  # a 1.6T OSFP NVLink cage
    neuron = _port("trn2-compute-tray", "c0.n1")  # an 800G OSFP NeuronLink port
    check_protocols(nvlink, _port("nvlink-switch-tray-nvl36x2", "x2"))  # its own kind: no error
    check_protocols(neuron, _port("trn2-compute-tray", "c1.n1"))
    with pytest.raises(ValueError, match="protocols differ: x1 nvlink, c0.n1 neuronlink"):
        check_protocols(nvlink, neuron)
    # Not even to a port of no protocol (a VPI NIC joins InfiniBand or Ethernet, not NVLink).
    with pytest.raises(ValueError, match="protocols differ: c0.n1 neuronlink, nic1 of no protocol"):
        check_protocols(neuron, _port("server-8gpu-800g", "nic1"))
    with pytest.raises(ValueError, match="protocols differ: p1 ethernet, c0.n1 neuronlink"):
        check_protocols(_port("switch-51t2-64x800g", "p1"), neuron)


def _refused_at(site: Site) -> tuple[str, str]:
    with pytest.raises(LayoutError) as refused:
        check_site(site, default_catalog())
    return refused.value.where, str(refused.value)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda first, last: {"b": first.a}, "already used by cable"),
        (lambda first, last: {"b": last.a}, "both ends are"),
        (lambda first, last: {"b": last.a.split(":")[0] + ":nowhere"}, "has no port 'nowhere'"),
        (lambda first, last: {"pinned_product": "no-such-cable"}, "unknown cable product"),
    ],
)
def test_the_cables_checked_in_bulk_still_name_the_one_at_fault(change, words):
    # 160 good cables checked column by column, then one made bad: the check names it and its place.
    site = build_sample("trn2-ultra64")
    check_site(site, default_catalog())
    first, last = site.cables[0], site.cables[-1]
    site.cables[-1] = Cable(**{**last.model_dump(exclude_none=True), **change(first, last)})
    where, message = _refused_at(site)
    assert where.startswith(f"cables[{len(site.cables) - 1}]") and words in message


def test_a_breakout_onto_ports_of_another_protocol_is_refused_naming_both():
    # An Ethernet SN5600 800G port split onto two InfiniBand QM9700 ports.
    doc = _doc(("eth", "switch-51t2-64x800g", 1), ("ib", "switch-qm9700-64x400g", 4))
    with pytest.raises(LayoutError) as refused:
        doc.connect(Cable(id="bo", a="eth:p1", b=["ib:p1", "ib:p2"]))
    assert "eth:p1 and ib:p1 cannot be joined: protocols differ: p1 ethernet, p1 infiniband" in str(refused.value)
    assert refused.value.where == "cable.b[0]"
    assert "bo" not in doc.cables


@pytest.mark.parametrize("fault", ["overlap", "repeat", "too_high"])
def test_the_racks_checked_in_bulk_still_name_the_device_at_fault(fault):
    site = build_sample("gb200-nvl72")
    rack = site.racks[0]
    last = len(rack.devices) - 1
    low = min(rack.devices, key=lambda d: d.u_position)
    if fault == "overlap":  # the last device moved onto the lowest one's slot: named at the lowest, the first
        rack.devices[last] = rack.devices[last].model_copy(update={"u_position": low.u_position})
        first = rack.devices.index(low)
        expected, words = f"racks[0].devices[{first}].u_position", f"overlaps device {rack.devices[last].id!r}"
    elif fault == "repeat":
        rack.devices[last] = rack.devices[last].model_copy(update={"id": rack.devices[0].id})
        expected, words = f"racks[0].devices[{last}].id", "repeats"
    else:
        rack.devices[last] = rack.devices[last].model_copy(update={"u_position": rack.height_u + 1})
        expected, words = f"racks[0].devices[{last}].u_position", f"exceeds a {rack.height_u}U rack"
    where, message = _refused_at(site)
    assert where == expected and words in message


def test_overlaps_of_a_few_racks_are_those_the_tree_of_all_racks_finds(monkeypatch):
    import random

    from model import rules

    draw = random.Random(7)
    racks = [
        Rack(
            id=f"R{i}",
            x_mm=draw.choice([0, 300, 600, 601, 1200]) + 600 * (i % 7),
            y_mm=draw.choice([0, 600, 1200, 1201]) + 1200 * (i // 7),
            facing=draw.choice(["north", "south", "east", "west"]),
            width_mm=draw.choice([600, 800]),
        )
        for i in range(60)
    ]
    found = 0
    for candidates in ([0], [5, 6], list(range(10, 26)), [59, 3, 3]):
        monkeypatch.setattr(rules, "FEW_CANDIDATES", 16)
        few = rules.overlapping_racks(racks, candidates)
        monkeypatch.setattr(rules, "FEW_CANDIDATES", -1)  # the tree of every rack
        assert rules.overlapping_racks(racks, iter(candidates)) == few
        found += len(few)
    assert found  # some overlap, some only touch


@pytest.mark.parametrize("change", [None, "no-such-port", "no-such-device", "rate"])
def test_the_bulk_check_passes_good_cables_and_leaves_a_bad_one_to_the_loop(change):
    # model.rules._all_fine: True says every cable is common and fine; False sends them to the loop.
    from model.rules import _all_fine

    site, catalog = build_sample("scaleout-pod", accelerators=64), default_catalog()
    ports = {
        device.id: {port.name: port for port in catalog.devices[device.type].ports}
        for rack in site.racks
        for device in rack.devices
    }
    last = site.cables[-1]
    device, _, port = last.b.partition(":")
    b = {
        None: last.b,
        "no-such-port": f"{device}:nowhere",
        "no-such-device": f"nobody:{port}",
        "rate": last.b,
    }[change]
    site.cables[-1] = Cable(**{**last.model_dump(), "b": b, "rate_gbps": 1e5 if change == "rate" else last.rate_gbps})
    assert _all_fine(site.cables, ports, catalog) is (change is None)


@pytest.mark.parametrize(
    "change",
    [
        None,
        lambda first, last: {"b": first.a},
        lambda first, last: {"b": last.a},
        lambda first, last: {"id": first.id},
        lambda first, last: {"b": [first.a, first.b]},
    ],
)
def test_the_checks_in_pieces_say_what_they_said_in_one(change, monkeypatch):
    # model.bulk checks repeats a GIL_CHUNK of items a call (so that the app's window runs
    # meanwhile): in pieces of 7 the same site passes, or is refused at the same place in the same words.
    from model import bulk

    site = build_sample("trn2-ultra64")
    if change is not None:
        first, last = site.cables[0], site.cables[-1]
        site.cables[-1] = Cable(**{**last.model_dump(exclude_none=True), **change(first, last)})
    if change is None:
        check_site(site, default_catalog())
        monkeypatch.setattr(bulk, "GIL_CHUNK", 7)
        check_site(site, default_catalog())
        return
    whole = _refused_at(site)
    monkeypatch.setattr(bulk, "GIL_CHUNK", 7)
    assert _refused_at(site) == whole


def test_rack_floor_clashes_are_the_overlaps_of_the_racks_not_ignored_and_follow_moves():
    import random

    from model.rules import RackFloor, overlapping_racks

    draw = random.Random(11)
    racks = [
        Rack(
            id=f"R{i}",
            x_mm=draw.choice([0, 300, 600, 601]) + 600 * (i % 6),
            y_mm=draw.choice([0, 600, 1201]) + 1200 * (i // 6),
            facing=draw.choice(["north", "south", "east", "west"]),
        )
        for i in range(36)
    ]
    floor = RackFloor(racks)
    found = 0
    for k in range(36):
        probe = racks[k].model_copy(update={"id": "probe", "x_mm": racks[k].x_mm + 250})
        ignore = {racks[(k + 1) % 36].id}
        expected = [(i, 0) for i, j in overlapping_racks([*racks, probe], [36]) if racks[i].id not in ignore]
        assert floor.clashes([probe], ignore) == expected
        found += len(expected)
    assert found
    racks[0].x_mm = 50_000  # moved in place, far from all: told, it is found where it went
    floor.moved(["R0"])
    assert floor.clashes([racks[0].model_copy(update={"id": "probe", "x_mm": 50_100})], set()) == [(0, 0)]


def test_rack_floor_first_clash_is_with_the_floor_first_then_among_the_moved_racks():
    """One check for a drag's ghost and for the move it makes: a moved rack over one standing
    (not ignored) first, in the floor's order; then moved racks over each other; else None."""
    from model.rules import RackFloor

    standing = [Rack(id=f"S{i}", x_mm=600.0 * i, y_mm=0.0) for i in range(3)]
    floor = RackFloor(standing)
    over_s1 = Rack(id="M1", x_mm=700.0, y_mm=0.0)
    apart = [Rack(id="M2", x_mm=5000.0, y_mm=0.0), Rack(id="M3", x_mm=5200.0, y_mm=0.0)]
    assert floor.first_clash([*apart, over_s1], set()) == (over_s1, standing[1])  # the floor first
    assert floor.first_clash([over_s1], {"S1", "S2"}) is None  # the racks moving are left out
    assert floor.first_clash(apart, set()) == (apart[1], apart[0])  # then among themselves
    assert floor.first_clash(apart[:1], set()) is None

"""Auto-wire for the common topologies (issue #14 point 3): top-of-rack to the switch in the
rack or the nearest, the dual-homed leaf pair, and the plan a dialog shows before laying it:
counts by kind, and refusals that name what is missing."""

from __future__ import annotations

import pytest

from model.commands import ConnectCables, PlaceDevice, place_rack
from model.errors import LayoutError
from model.layout import Device, Rack
from model.session import Session
from model.topologies.autowire import rail_ports, wiring_snapshot
from model.topologies.wiring_plan import WIRINGS, WiringPlan, plan_wiring, wiring_devices

SERVER = "server-8gpu-400g"  # 8U, 8 x 400G OSFP NICs
LEAF = "switch-qm9700-64x400g"  # 64 x 400G OSFP: 32 downlinks, 32 uplinks


def hall(*racks: list[tuple[str, str, int]]) -> Session:
    """Racks in a row (placed as the app places them: the row tray comes with them), each
    with the given (id, type, U) devices."""
    session = Session()
    for k, devices in enumerate(racks):
        session.apply(place_rack(session.document, Rack(id=f"R{k + 1}", x_mm=600.0 * k, y_mm=0)))
        for device_id, type_id, u in devices:
            session.apply(PlaceDevice(session.document, f"R{k + 1}", Device(id=device_id, type=type_id, u_position=u)))
    return session


def ends(cables) -> list[tuple[str, str]]:
    return [(c.a.partition(":")[0], c.b.partition(":")[0]) for c in cables]


def test_top_of_rack_wires_each_rack_to_its_own_switch_and_says_what_it_lays():
    session = hall(
        [("tor1", LEAF, 44), ("s1", SERVER, 2), ("s2", SERVER, 10)],
        [("tor2", LEAF, 44), ("s3", SERVER, 2), ("s4", SERVER, 10)],
    )
    plan = plan_wiring(wiring_snapshot(session.document), "top_of_rack", [], [])
    assert len(plan.cables) == 32
    assert set(ends(plan.cables)) == {("s1", "tor1"), ("s2", "tor1"), ("s3", "tor2"), ("s4", "tor2")}
    assert plan.counts == {"server→ToR switch 400G": 32}
    assert plan.by_target == {"tor1 in R1": 16, "tor2 in R2": 16}
    assert plan.summary.splitlines()[:5] == [
        "Top-of-rack will lay 32 cables:",
        "  32 server→ToR switch 400G",
        "To:",
        "  tor1 in R1: 16",
        "  tor2 in R2: 16",
    ]
    session.apply(ConnectCables(session.document, plan.cables))  # one edit, one undo step
    assert session.result.problems == []  # the row tray carries them: every cable has a product
    session.undo()
    assert session.document.site.cables == []


def test_a_rack_without_a_switch_goes_to_the_nearest_with_room():
    session = hall(
        [("far", LEAF, 44)],
        [("tor1", LEAF, 44), ("s1", SERVER, 2)],
        [("s2", SERVER, 2), ("s3", SERVER, 10)],
    )
    plan = plan_wiring(wiring_snapshot(session.document), "top_of_rack", [], [])
    assert set(ends(plan.cables)) == {("s1", "tor1"), ("s2", "tor1"), ("s3", "tor1")}  # R2 is nearer R3 than R1


def test_top_of_rack_refusal_names_the_rack_and_the_nearest_switch():
    session = hall(
        [("tor1", LEAF, 44), ("s1", SERVER, 2), ("s2", SERVER, 10), ("s3", SERVER, 18)],
        [("s4", SERVER, 2), ("s5", SERVER, 10)],
    )
    with pytest.raises(LayoutError) as refused:
        plan_wiring(wiring_snapshot(session.document), "top_of_rack", [], [])
    # R1 fits (24 of 32); R2 then finds 8 left on tor1: the message names R2 and what tor1 has left.
    assert refused.value.message == (
        "Top-of-rack: rack R2 has 2 servers (16 NIC ports) and no switch with 16 free downlink ports; "
        "nearest switch tor1 in R1 has 8 free downlink ports"
    )


def test_dual_homed_splits_each_servers_ports_over_two_leaves():
    session = hall([("leafA", LEAF, 44), ("leafB", LEAF, 40), ("s1", SERVER, 2), ("s2", SERVER, 10)])
    plan = plan_wiring(wiring_snapshot(session.document), "dual_homed", [], [])
    for server in ("s1", "s2"):
        leaves = [b for a, b in ends(plan.cables) if a == server]
        assert leaves == ["leafA", "leafB"] * 4  # nic1 to A, nic2 to B, ...
    assert plan.counts == {"server→leaf 400G": 16}


def test_dual_homed_needs_two_leaves():
    session = hall([("leafA", LEAF, 44), ("s1", SERVER, 2)])
    with pytest.raises(LayoutError, match=r"Dual-homed leaf pair: rack R1 has 1 server needing two leaves .*: leafA;"):
        plan_wiring(wiring_snapshot(session.document), "dual_homed", [], [])


def test_tiers_are_told_apart_by_their_cables():
    session = hall(
        [("leaf", LEAF, 44), ("s1", SERVER, 2)],
        [("spine", LEAF, 44), ("core", LEAF, 40)],
    )
    doc = session.document
    session.apply(ConnectCables(doc, plan_wiring(wiring_snapshot(doc), "top_of_rack", ["s1", "leaf"], []).cables))
    snapshot = wiring_snapshot(doc)
    assert wiring_devices(snapshot, "leaf_spine", ["leaf", "spine"], []) == (["leaf"], ["spine"])
    leaf_spine = plan_wiring(snapshot, "leaf_spine", ["leaf", "spine"], [])
    assert leaf_spine.counts == {"leaf→spine 400G": 8}  # as many uplinks as cabled downlinks
    session.apply(ConnectCables(doc, leaf_spine.cables))
    assert wiring_devices(wiring_snapshot(doc), "spine_core", [], []) == (["spine"], ["core"])
    assert plan_wiring(wiring_snapshot(doc), "spine_core", [], []).counts == {"spine→core 400G": 8}


def test_refusals_name_what_is_missing():
    session = hall([("s1", SERVER, 2)])
    snapshot = wiring_snapshot(session.document)
    with pytest.raises(LayoutError, match=r"^Top-of-rack: no ToR switch in the layout \(select the racks to wire\)$"):
        plan_wiring(snapshot, "top_of_rack", [], [])
    with pytest.raises(LayoutError, match="^Leaf-to-spine: no leaf among the selected racks and devices"):
        plan_wiring(snapshot, "leaf_spine", [], ["R1"])
    with pytest.raises(LayoutError, match="no auto-wiring 'mesh'"):
        plan_wiring(snapshot, "mesh", [], [])


def test_a_second_run_has_nothing_left_to_wire():
    session = hall([("tor1", LEAF, 44), ("s1", SERVER, 2)])
    doc = session.document
    session.apply(ConnectCables(doc, plan_wiring(wiring_snapshot(doc), "top_of_rack", [], []).cables))
    with pytest.raises(LayoutError, match="Top-of-rack: the selected servers have no free NIC port"):
        plan_wiring(wiring_snapshot(doc), "top_of_rack", [], [])


def test_every_wiring_has_a_title_and_two_roles():
    assert {"top_of_rack", "dual_homed", "nic_rails", "leaf_spine", "spine_core", "trn2_torus"} <= set(WIRINGS)
    assert all(w.title and len(w.roles) == 2 for w in WIRINGS.values())


def test_a_server_without_nic_cards_wires_its_own_ports():
    catalog = Session().document.catalog
    assert [p.name for p in rail_ports(catalog.devices["generic-server-1u"])] == ["p1", "p2"]
    assert len(rail_ports(catalog.devices[SERVER])) == 8


def test_the_plan_and_its_refusals_use_the_names_people_gave():
    session = hall([("tor1", LEAF, 44), ("s1", SERVER, 2)], [("s2", SERVER, 2), ("s3", SERVER, 10)])
    doc = session.document
    doc.update_rack("R1", name="GPU-A01")
    doc.update_rack("R2", name="GPU-A02")
    doc.rename_device("tor1", "leaf-a01")
    plan = plan_wiring(wiring_snapshot(doc), "top_of_rack", [], ["R1"])
    assert plan.by_target == {"leaf-a01 in GPU-A01": 8}
    with pytest.raises(LayoutError) as refused:
        plan_wiring(wiring_snapshot(doc), "dual_homed", [], [])
    assert refused.value.message.startswith("Dual-homed leaf pair: rack GPU-A01 has 1 server needing two leaves")
    assert refused.value.message.endswith(
        "switches with that room: leaf-a01; nearest switch leaf-a01 in GPU-A01 has 32 free downlink ports; "
        "add a second switch to the rack (or free their ports)"
    )


def test_servers_selected_without_a_switch_go_to_the_nearest_switch_anywhere():
    """The device just placed is selected: Auto-wire on it finds the switch in the next rack."""
    session = hall([("tor1", LEAF, 44)], [("s1", SERVER, 2), ("s2", SERVER, 10)])
    plan = plan_wiring(wiring_snapshot(session.document), "top_of_rack", ["s2"], [])
    assert set(ends(plan.cables)) == {("s2", "tor1")}
    assert plan.by_target == {"tor1 in R1": 8}
    assert "Only the selection's 1 server: select nothing to wire the whole layout." in plan.summary.splitlines()
    assert "Only the selection" not in plan_wiring(wiring_snapshot(session.document), "top_of_rack", [], []).summary


def test_the_summary_names_six_far_ends_and_counts_the_rest():
    targets = {f"spine{k} in N1": 4 for k in range(9)}
    plan = WiringPlan("leaf_spine", [], {"leaf→spine 800G": 36}, targets)
    lines = plan.summary.splitlines()
    assert lines[2:10] == ["To:", *(f"  spine{k} in N1: 4" for k in range(6)), "  … 3 more: 12"]
    assert lines[-1] == "One Undo takes them all back."


def test_the_issues_flow_two_racks_a_tor_switch_and_16_1u_servers_wire_and_resolve():
    """#14's 'done when': File → New, two racks, a ToR switch, 16 servers, auto-wired. The
    built-in 1U server is 2 x 400G QSFP-DD, so its ToR is the 64 x 400G QSFP-DD switch."""
    servers = [(f"s{i}", "generic-server-1u", 2 + 2 * (i % 8)) for i in range(16)]
    session = hall([("tor1", "switch-25t6-64x400g-qsfpdd", 44), *servers[:8]], servers[8:])
    doc = session.document
    plan = plan_wiring(wiring_snapshot(doc), "top_of_rack", [], [])
    assert len(plan.cables) == 32
    session.apply(ConnectCables(doc, plan.cables))
    result = session.analysis.result
    assert len(doc.site.cables) == 32
    assert not [p for p in result.problems if p.kind in ("no_product", "pathway")]
    assert sum(m.count for m in result.by_medium.values()) == 32

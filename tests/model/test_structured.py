"""Patch panels and structured cabling: front ports pass a link through to rear ports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from model.analysis import analyse
from model.catalog import DeviceType
from model.cli import text_report
from model.commands import ConnectCables, DisconnectCables, MoveRacks
from model.document import Document
from model.io.files import dumps_layout, loads_layout
from model.io.netbox_export import write_cables_csv
from model.layout import Cable
from model.optical_loss import optical_table
from model.rules import compatible_rate
from model.session import Session
from tests.model.session_machine import assert_same_analysis


def _panel(**front: object) -> dict:
    return {
        "id": "pp",
        "name": "panel",
        "kind": "patch_panel",
        "u_height": 1,
        "depth_mm": 150,
        "power_w": 0,
        "sources": {},
        "port_groups": [
            {"prefix": "f", "count": 24, "connector": "LC", "rate_gbps": 100, "lanes": 1, "face": "front",
             "role": "front", "rear_prefix": "r", "per_rear": 12, **front},
            {"prefix": "r", "count": 2, "connector": "MPO-12", "rate_gbps": 1200, "lanes": 12, "face": "rear",
             "role": "rear", "positions": 12},
        ],
    }  # fmt: skip


def test_front_ports_map_onto_rear_ports_and_positions():
    panel = DeviceType.model_validate(_panel())
    f13 = panel.port("f13")
    assert (f13.role, f13.rear_port, f13.rear_position) == ("front", "r2", 1)
    assert panel.port("f12").rear_position == 12
    assert panel.port("r1").role == "rear" and panel.port("r1").positions == 12
    assert [p.name for p in panel.front_ports_of("r2")][:2] == ["f13", "f14"]


def test_a_front_port_past_its_rear_ports_positions_is_refused():
    with pytest.raises(ValidationError, match="rear port 'r3' is not a rear port"):
        DeviceType.model_validate(_panel(count=36))
    with pytest.raises(ValidationError, match="position 13 > 12 of rear port r1"):
        DeviceType.model_validate(_panel(per_rear=13, count=13))


def test_the_builtin_panel_passes_each_front_port_to_its_rear_port(catalog):
    panel = catalog.devices["patch-panel-1u-24"]
    assert panel.port("f7").rear_port == "r7" and panel.port("r7").role == "rear"
    assert all(p.role == "interface" for p in catalog.devices["switch-51t2-64x800g"].ports)


# ---- links through panels: f05 and its variants --------------------------------------------
F05 = Path(__file__).resolve().parent.parent / "data" / "hardware" / "f05" / "panels.json"


def _analyse(layout: dict):
    site = loads_layout(json.dumps(layout), "test.json")
    return analyse(Document(site))


def _f05() -> dict:
    return json.loads(F05.read_text(encoding="utf-8"))


def test_f05_a_link_through_panels_is_fibre_cords_a_trunk_and_two_transceivers():
    result = _analyse(_f05())
    c1, c2, c3 = (result.cable(c) for c in ("c1", "c2", "c3"))
    # Today's AEC into a fibre panel and the unresolved trunk and far cord are gone: fibre only.
    assert [c.product_id for c in (c1, c2, c3)] == ["cord-mpo16-om4", "trunk-mpo16-om4", "cord-mpo16-om4"]
    assert {c.medium for c in (c1, c2, c3)} == {"OPTICS"}
    assert result.totals["unresolved"] == 0 and result.problems == []
    # The cheaper multimode SR8 fits 14 m of OM4 and two MPO-16 pairs; one module per device end.
    sr8 = optical_table().transceivers[0]
    assert sr8.id == "xcvr-800g-osfp-sr8"
    assert c1.power_w == c3.power_w == sr8.power_w and c2.power_w == 0
    assert c1.cost_usd == pytest.approx(900 + 60 + 3 * c1.ordered_length_m)
    bom = {line.product_id: line for line in result.bom}
    assert bom["xcvr-800g-osfp-sr8"].quantity == 2
    assert sum(line.total_usd for line in result.bom) == pytest.approx(result.totals["cost_usd"])


def test_f05_loss_is_two_mpo_pairs_plus_fibre_against_the_sr8_budget():
    result = _analyse(_f05())
    (link,) = result.to_report_dict(with_cables=False)["links"]
    fiber_m = sum(result.cable(c).length_m for c in ("c1", "c2", "c3"))
    assert link["cables"] == ["c1", "c2", "c3"] and (link["a"], link["b"]) == ("gpu01:nic1", "leaf01:p1")
    assert link["mated_pairs"] == {"MPO-16": 2}
    assert link["fiber_m"] == pytest.approx(fiber_m, abs=1e-3)
    assert link["loss_db"] == pytest.approx(2 * 0.35 + fiber_m * 3.0 / 1000, abs=1e-3)
    assert link["budget_db"] == 1.8 and not link["over_budget"]
    reason = result.cable("c2").reason
    assert "loss 0.74 dB ≤ 1.8 dB budget (2 MPO-16 pairs 0.70 dB" in reason
    assert "this trunk: MPO-16 trunk, OM4" in reason and "no copper or AOC into a fibre panel" in reason


def _over_connected(panels: int = 10) -> dict:
    """f05 through `panels` MPO-16 panels: trunks between pairs, cross-connect cords between them."""
    layout = _f05()
    racks = {rack["id"]: rack for rack in layout["racks"]}
    racks["R01"]["devices"] = [d for d in racks["R01"]["devices"] if d["id"] != "pp01"]
    racks["R09"]["devices"] = [d for d in racks["R09"]["devices"] if d["id"] != "pp09"]
    # P0 in R01, then alternately two in R09 and two in R01: trunks cross, cords stay in a rack.
    homes = ["R01"] + [("R09", "R09", "R01", "R01")[(i - 1) % 4] for i in range(1, panels)]
    next_u = {"R01": 44, "R09": 44}
    for i, home in enumerate(homes):
        racks[home]["devices"].append({"id": f"P{i}", "type": "patch-panel-1u-24", "u_position": next_u[home]})
        next_u[home] += 1
    cables = [{"id": "in", "a": "gpu01:nic1", "b": "P0:f1"}]
    for i in range(0, panels, 2):
        cables.append({"id": f"t{i}", "a": f"P{i}:r1", "b": f"P{i + 1}:r1"})
        if i + 2 < panels:
            cables.append({"id": f"x{i}", "a": f"P{i + 1}:f1", "b": f"P{i + 2}:f1"})
    cables.append({"id": "out", "a": f"P{panels - 1}:f1", "b": "leaf01:p1"})
    layout["cables"] = cables
    return layout


def test_an_over_connected_link_is_an_optical_loss_problem_naming_loss_budget_and_parts():
    result = _analyse(_over_connected(10))
    (link,) = result.to_report_dict(with_cables=False)["links"]
    assert link["mated_pairs"] == {"MPO-16": 10}
    # 10 pairs = 3.5 dB: past SR8's 1.8 dB and DR8's 3.0 dB; the closer one (DR8, OS2) is laid.
    assert link["transceiver"] == "xcvr-800g-osfp-dr8" and link["over_budget"]
    assert link["loss_db"] > 3.5
    (problem,) = [p for p in result.problems if p.kind == "optical_loss"]
    assert problem.target_id == "in"
    assert "gpu01:nic1 → leaf01:p1" in problem.message and "3 dB budget" in problem.message
    assert "10 MPO-16 pairs 3.50 dB" in problem.message
    assert {result.cable(c).medium for c in result.cable_ids} == {"OPTICS"}


def test_four_panels_still_fit_the_sr8_budget():
    result = _analyse(_over_connected(4))
    (link,) = result.to_report_dict(with_cables=False)["links"]
    assert link["mated_pairs"] == {"MPO-16": 4} and link["transceiver"] == "xcvr-800g-osfp-sr8"
    assert 1.4 < link["loss_db"] <= 1.8 and result.problems == []


def test_live_equals_fresh_through_edits_of_a_link():
    session = Session(Document(loads_layout(F05.read_text(encoding="utf-8"), "panels.json")))
    doc = session.document

    def same() -> None:
        fresh = analyse(Document(loads_layout(dumps_layout(doc.site), "again.json")))
        assert_same_analysis(session.analysis.result, fresh)

    session.apply(DisconnectCables(doc, ["c2"]))  # the trunk out: two open links, each fibre
    assert session.analysis.result.cable("c1").product_id == "cord-mpo16-om4"
    same()
    session.undo()
    same()
    session.apply(MoveRacks(doc, {"R09": (40_000.0, 0.0, "south")}))  # beyond the tray: no pathway
    same()
    session.undo()
    session.apply(ConnectCables(doc, [Cable(id="c4", a="pp01:f2", b="pp09:f2")]))  # a cross-connect cord
    same()
    assert session.analysis.result.cable("c4").product_id == "cord-mpo16-om4"


def test_a_cartridge_port_takes_no_transceiver_into_a_panel(catalog):
    panel = catalog.devices["patch-panel-1u-24"].port("f1")
    nvlink = next(p for d in catalog.devices.values() for p in d.ports if p.pathway == "cartridge")
    with pytest.raises(ValueError, match="cartridge port takes no transceiver"):
        compatible_rate(nvlink, panel, None)
    server = catalog.devices["server-8gpu-800g"].port("nic1")
    assert compatible_rate(server, panel, None) == 800
    assert compatible_rate(panel, catalog.devices["patch-panel-1u-24"].port("r1"), None) == 1600


def test_a_copper_pin_into_a_panel_is_a_problem_and_a_cord_pin_is_kept():
    layout = _f05()
    layout["cables"][0]["pinned_medium"] = "AEC"
    layout["cables"][1]["pinned_product"] = "trunk-mpo16-os2"
    result = _analyse(layout)
    assert result.cable("c1").product_id == "cord-mpo16-os2"  # the pinned OS2 trunk makes the link single-mode
    assert result.cable("c2").product_id == "trunk-mpo16-os2"
    (problem,) = [p for p in result.problems if p.kind == "pinned"]
    assert (
        problem.message
        == "cable c1: pinned to AEC, but a fibre panel passes only fibre (a fibre cord or trunk is laid)"
    )


def test_lc_cassettes_carry_several_links_on_one_mpo12_trunk():
    layout = _f05()
    for rack, panel in (("R01", "cas1"), ("R09", "cas9")):
        devices = next(r for r in layout["racks"] if r["id"] == rack)["devices"]
        devices.append({"id": panel, "type": "patch-panel-1u-lc-mpo12", "u_position": 47})
        devices.append({"id": f"h{rack}", "type": "generic-server-1u", "u_position": 30})
    layout["cables"] = [
        {"id": "a1", "a": "hR01:p1", "b": "cas1:f1"},
        {"id": "a2", "a": "hR01:p2", "b": "cas1:f2"},
        {"id": "trunk", "a": "cas1:r1", "b": "cas9:r1"},
        {"id": "b1", "a": "cas9:f1", "b": "hR09:p1"},
        {"id": "b2", "a": "cas9:f2", "b": "hR09:p2"},
    ]
    result = _analyse(layout)
    links = result.to_report_dict(with_cables=False)["links"]
    # Positions 1 and 2 of one MPO-12 trunk: two links, LC front to LC front.
    assert [(x["a"], x["b"], x["cables"]) for x in links] == [
        ("hR01:p1", "hR09:p1", ["a1", "trunk", "b1"]),
        ("hR01:p2", "hR09:p2", ["a2", "trunk", "b2"]),
    ]
    # DR4 takes MPO-12 and the cassette's front is LC: FR4 (duplex LC, OS2) it is.
    assert {x["transceiver"] for x in links} == {"xcvr-400g-qsfpdd-fr4"}
    assert links[0]["mated_pairs"] == {"LC": 2, "MPO-12": 2} and not links[0]["over_budget"]
    assert result.cable("trunk").product_id == "trunk-mpo12-os2"
    assert result.cable("a2").product_id == "cord-lc-os2"
    assert "400G QSFP-DD DR4 transceiver (MPO-12 APC, OS2) out: takes MPO-12, the panel port is LC" in (
        result.cable("a1").reason
    )
    assert {line.product_id: line.quantity for line in result.bom}["xcvr-400g-qsfpdd-fr4"] == 4


def test_a_400g_nic_through_mpo12_panels_takes_sr4_and_its_leaf_port_too():
    layout = _f05()
    for rack in layout["racks"]:
        for device in rack["devices"]:
            if device["type"] == "patch-panel-1u-24":
                device["type"] = "patch-panel-1u-mpo12-24"
            elif device["type"] == "server-8gpu-800g":
                device["type"] = "server-8gpu-400g"
            elif device["type"] == "switch-51t2-64x800g":
                device["type"] = "switch-qm9700-64x400g"
    result = _analyse(layout)
    (link,) = result.to_report_dict(with_cables=False)["links"]
    assert link["transceiver"] == "xcvr-400g-osfp-sr4" and link["mated_pairs"] == {"MPO-12": 2}
    assert [result.cable(c).product_id for c in ("c1", "c2", "c3")] == [
        "cord-mpo12-om4",
        "trunk-mpo12-om4",
        "cord-mpo12-om4",
    ]


def test_the_text_report_lists_the_transceivers_as_modules():
    report = text_report(_analyse(_f05()))
    assert "       2 x xcvr-800g-osfp-sr8  @ $900 = $1,800" in report
    assert "1 x trunk-mpo16-om4 9 m  @ $156 = $156" in report


def test_f05_netbox_cables_are_typed_by_their_fibre_between_panel_ports():
    handle = io.StringIO()
    write_cables_csv(_analyse(_f05()), handle)
    rows = list(csv.DictReader(io.StringIO(handle.getvalue(), newline="")))
    assert [(r["side_a_type"], r["side_b_type"], r["type"]) for r in rows] == [
        ("dcim.interface", "dcim.frontport", "mmf-om4"),
        ("dcim.rearport", "dcim.rearport", "mmf-om4"),
        ("dcim.frontport", "dcim.interface", "mmf-om4"),
    ]


def test_the_bom_marks_an_estimated_transceiver():
    bom = {line.product_id: line for line in _analyse(_f05()).bom}
    assert bom["xcvr-800g-osfp-sr8"].estimated == ("budget_db", "power_w", "cost_usd")
    assert "cost" in bom["trunk-mpo16-om4"].estimated


def test_ends_that_take_no_common_optic_are_no_product_naming_both_ports():
    layout = _f05()
    leaf = next(d for r in layout["racks"] for d in r["devices"] if d["id"] == "leaf01")
    leaf["type"] = "switch-qm9700-64x400g"  # 400G x4 at the far end, 800G x8 at the server
    result = _analyse(layout)
    assert {result.cable(c).product_id for c in ("c1", "c2", "c3")} == {None}
    (problem,) = [p for p in result.problems if p.kind == "no_product"]
    assert problem.message == (
        "link gpu01:nic1 → leaf01:p1: no transceiver kind fits both ends (OSFP 400G x4 and OSFP-RHS 800G x8) "
        "through a fibre panel"
    )


def test_a_links_optic_draws_in_its_devices_rack_not_half_in_the_panels():
    layout = _f05()
    # The server's panel stands in its own rack beside it: its cord crosses from R01 to R02.
    r01 = next(r for r in layout["racks"] if r["id"] == "R01")
    r01["devices"] = [d for d in r01["devices"] if d["id"] != "pp01"]
    layout["racks"].append(
        {
            "id": "R02",
            "x_mm": 600,
            "y_mm": 0,
            "devices": [{"id": "pp01", "type": "patch-panel-1u-24", "u_position": 45}],
        }
    )
    result = _analyse(layout)
    sr8 = optical_table().transceivers[0].power_w
    assert result.racks["R01"].cable_power_w == pytest.approx(sr8)  # the server's module, all of it
    assert result.racks["R02"].cable_power_w == pytest.approx(0)  # a passive panel
    assert result.racks["R09"].cable_power_w == pytest.approx(sr8)  # the leaf's module (its cord stays in R09)

"""Breakout cables (issue #8 point 2, case f08): one 800G port split over two 400G NICs.

The f08 inputs are copied into tests/data/hardware/f08/ from shared/cases/hardware/f08_breakout.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from model.analysis import analyse
from model.breakout_legs import leg_table
from model.catalog import default_catalog
from model.document import Document
from model.errors import LayoutError
from model.io.files import loads_layout
from model.report_rows import cable_rows

F08 = Path(__file__).parent.parent / "data" / "hardware" / "f08"


def f08_layout(cables: list[dict]) -> dict:
    """two_legs.json with its cables replaced by `cables`, and its server one with 400G NICs
    over 4 lanes (ConnectX-7 class): the case's 800G NICs take 8 lanes, no leg of an 800G
    port (test_a_leg_on_a_port_of_other_lanes_is_refused_naming_the_port_and_the_rates)."""
    data = json.loads((F08 / "two_legs.json").read_text(encoding="utf-8"))
    data["cables"] = cables
    for rack in data["racks"]:
        for device in rack["devices"]:
            if device["type"] == "server-8gpu-800g":
                device["type"] = "server-8gpu-400g"
    return data


def load(data: dict) -> Document:
    return Document(loads_layout(json.dumps(data), "two_legs.json"), default_catalog())


BREAKOUT = {"id": "bo1", "a": "leaf01:p1", "b": ["srv01:nic1", "srv01:nic2"], "rate_gbps": 400}


@pytest.fixture(scope="module")
def two_legs():
    doc = load(f08_layout([BREAKOUT]))
    return doc, analyse(doc)


def test_the_case_file_as_written_is_refused_with_how_to_write_a_breakout():
    data = json.loads((F08 / "two_legs.json").read_text(encoding="utf-8"))
    with pytest.raises(LayoutError) as caught:
        Document(loads_layout(json.dumps(data), "two_legs.json"), default_catalog())
    message = str(caught.value)
    assert caught.value.where == "cables[1].a"
    assert "port leaf01:p1 is already used by cable 'leg1'" in message
    assert (
        """make 'leg1' one breakout cable: "a": "leaf01:p1" and "b" the list of every far port, srv01:nic2""" in message
    )


def test_one_breakout_cable_chosen_by_its_longest_leg(two_legs):
    _, result = two_legs
    rows = [result.cable(i) for i in range(len(result.cable_ids))]
    assert [r.id for r in rows] == ["bo1", "bo1"]  # a row per leg under one cable id
    assert [r.b for r in rows] == ["srv01:nic1", "srv01:nic2"]
    assert {r.product_id for r in rows} == {"aec-800g-2x400g-osfp"}  # 800G -> 2 x 400G
    assert [r.rate_gbps for r in rows] == [400.0, 400.0]
    longest = max(rows, key=lambda r: r.length_m or 0.0)
    shorter = min(rows, key=lambda r: r.length_m or 0.0)
    assert longest.length_m > shorter.length_m
    # The shorter leg alone would round up to 4 m; the cable is ordered for its longest leg.
    product = result.catalog.cables["aec-800g-2x400g-osfp"]
    assert product.ordered_length_m(shorter.length_m) == 4.0
    assert {r.ordered_length_m for r in rows} == {product.ordered_length_m(longest.length_m)} == {5.0}
    assert longest.reason.startswith(f"by its longest leg, to {longest.b}: ")
    assert shorter.reason == longest.reason


def test_the_bom_and_totals_count_one_cable(two_legs):
    _, result = two_legs
    assert [(line.product_id, line.ordered_length_m, line.quantity) for line in result.bom] == [
        ("aec-800g-2x400g-osfp", 5.0, 1)
    ]
    product = result.catalog.cables["aec-800g-2x400g-osfp"]
    assert result.totals["cables"] == 1
    assert result.totals["by_medium"]["AEC"] == 1
    assert result.totals["cost_usd"] == pytest.approx(product.cost_usd(5.0))
    assert result.totals["cable_power_w"] == pytest.approx(product.power_w)
    assert result.racks["R01"].cables_by_medium["AEC"] == 1


def test_attach_ratios_count_cables_bought_and_legs_used(two_legs):
    _, result = two_legs
    assert result.accelerators == 8
    assert result.attach_ratios["AEC"] == pytest.approx(1 / 8)  # one cable bought
    assert result.leg_attach_ratios["AEC"] == pytest.approx(2 / 8)  # two links used
    report = result.to_report_dict(with_cables=False)
    assert "a breakout counts once" in report["attach_basis"]["attach_ratios"]
    assert "each breakout leg counts" in report["attach_basis"]["leg_attach_ratios"]


def test_the_schedule_has_a_row_per_leg_under_the_cable_id(two_legs):
    _, result = two_legs
    rows = cable_rows(result)
    assert rows.ids == ["bo1", "bo1"]
    assert rows.b == ["srv01:nic1", "srv01:nic2"]
    assert rows.product_id == ["aec-800g-2x400g-osfp"] * 2
    assert result.to_report_dict()["cables"][1]["b"] == "srv01:nic2"


def _two_racks(server_u: int, medium: str | None = None) -> dict:
    """The breakout with its server in a second rack, at U `server_u`: the run goes through the tray."""
    data = f08_layout([{**BREAKOUT, "pinned_medium": medium} if medium else BREAKOUT])
    data["racks"].append({"id": "R02", "x_mm": 1200, "y_mm": 0, "side_openings": False, "devices": []})
    server = data["racks"][0]["devices"].pop()
    server["u_position"] = server_u
    data["racks"][1]["devices"].append(server)
    data["racks"][0]["side_openings"] = False
    return data


def test_a_copper_breakout_splits_near_its_far_end_and_a_tray_holds_its_trunk_once():
    result = analyse(load(_two_racks(38)))
    rows = [result.cable(i) for i in (0, 1)]
    product = result.catalog.cables[rows[0].product_id]
    assert product.medium.value in ("DAC", "AEC") and leg_table().legs[product.id].length_m == 0.5
    # The trunk runs from end a to where the legs fan out, the leg length before the longest
    # leg's port; each leg's own length is what is left of its run.
    trunk = result.trunk_m
    longest = max(result.length_m)
    assert trunk[0] == trunk[1] == pytest.approx(longest - 0.5)
    legs = result.length_m - trunk
    assert max(legs) == pytest.approx(0.5) and 0 < min(legs) <= 0.5
    pieces = [piece for piece in result.tray_fill if piece.cable_count]
    assert pieces, "the run goes through the tray"
    assert {piece.cable_count for piece in pieces} == {1}
    assert {round(piece.used_mm2, 6) for piece in pieces} == {round(product.cross_section_mm2, 6)}


def test_an_optical_breakouts_legs_run_whole_and_a_tray_holds_each_leg():
    # Twin-port optics: two separate fibres from end a, no split boot (no length_m in breakout_legs.yaml).
    result = analyse(load(_two_racks(2, "OPTICS")))
    product = result.catalog.cables[result.cable(0).product_id]
    legs = leg_table().legs[product.id]
    assert legs.length_m is None and legs.od_mm == 3.0
    assert list(result.trunk_m) == [0.0, 0.0]
    pieces = [piece for piece in result.tray_fill if piece.cable_count]
    assert pieces and {piece.cable_count for piece in pieces} == {2}
    leg_area = math.pi * (legs.od_mm / 2) ** 2
    assert {round(piece.used_mm2, 6) for piece in pieces} == {round(2 * leg_area, 6)}
    assert [(line.product_id, line.quantity) for line in result.bom] == [(product.id, 1)]  # one cable bought


@pytest.mark.parametrize(
    ("cable", "where", "words"),
    [
        ({"b": ["srv01:nic1", "srv01:nic9"]}, "cables[0].b[1]", "has no port 'nic9'"),
        ({"b": ["srv01:nic1", "nobody:nic2"]}, "cables[0].b[1]", "no device 'nobody'"),
        ({"a": "leaf01:p9", "b": ["srv01:nic1", "leaf01:p9"]}, "cables[0].b[1]", "is end a itself"),
        ({"rate_gbps": 800}, "cables[0].b[0]", "requested 800G exceeds leg port srv01:nic1's 400G"),
        ({"b": ["srv01:nic1", "srv01:nic2", "srv01:nic3"]}, "cables[0].b", "8 lanes do not split evenly into 3"),
        ({"pinned_product": "aec-800g-osfp-32awg-5m"}, "cables[0].pinned_product", "is a straight cable"),
    ],
)
def test_bad_breakouts_are_refused_naming_the_cable_and_the_end(cable, where, words):
    data = f08_layout([{**BREAKOUT, **cable}])
    with pytest.raises(LayoutError) as caught:
        load(data)
    assert caught.value.where == where
    assert words in str(caught.value)


def test_a_leg_port_used_by_another_cable_is_refused_at_that_leg():
    data = f08_layout([{"id": "c0", "a": "leaf01:p2", "b": "srv01:nic2"}, BREAKOUT])
    with pytest.raises(LayoutError) as caught:
        load(data)
    assert caught.value.where == "cables[1].b[1]"
    assert "port srv01:nic2 is already used by cable 'c0'" in str(caught.value)


def test_a_single_string_end_stays_valid_and_round_trips():
    data = f08_layout([{"id": "c0", "a": "leaf01:p2", "b": "srv01:nic3"}, BREAKOUT])
    doc = load(data)
    assert doc.cables["c0"].b == "srv01:nic3"
    assert doc.cables["bo1"].b == ["srv01:nic1", "srv01:nic2"]
    written = json.loads(doc.site.model_dump_json())
    assert written["cables"][1]["b"] == ["srv01:nic1", "srv01:nic2"]
    assert doc.port_use["srv01:nic1"] == doc.port_use["srv01:nic2"] == "bo1"


def test_no_breakout_product_is_a_problem_naming_the_split():
    # 800G over 8 lanes into four 200G QSFP112 ports of 2 lanes each: the lanes fit, no product does.
    catalog = qsfp112_catalog(
        example_type("example-host-4x200g", "server", "QSFP112", 200, 2, ["q1", "q2", "q3", "q4"])
    )
    data = json.loads((F08 / "one_leg.json").read_text(encoding="utf-8"))
    data["racks"][0]["devices"].append({"id": "h4", "type": "example-host-4x200g", "u_position": 4})
    data["cables"] = [{"id": "bo1", "a": "sw1:swp1", "b": [f"h4:q{k}" for k in range(1, 5)]}]
    result = analyse(Document(loads_layout(json.dumps(data), "one_leg.json", catalog), catalog))
    assert len(result.cable_ids) == 4
    problems = [p for p in result.problems if p.kind == "no_product"]
    assert len(problems) == 1  # said once for the cable, not per leg
    assert "no OSFP → 4 × QSFP112 product at 200G" in problems[0].message
    assert result.totals["unresolved"] == 1


def test_the_f08_case_as_a_breakout_onto_its_connectx8_nics():
    # The case's server has 800G ConnectX-8 NICs over 8 lanes that also run over 4 faster ones
    # (max_lane_rate_gbps): a 400G leg over 4 lanes fits them, as the case expects.
    data = f08_layout([BREAKOUT])
    data["racks"][0]["devices"][1]["type"] = "server-8gpu-800g"
    result = analyse(load(data))
    rows = [result.cable(i) for i in (0, 1)]
    assert [r.b for r in rows] == ["srv01:nic1", "srv01:nic2"] and [r.rate_gbps for r in rows] == [400.0] * 2
    product = result.catalog.cables[rows[0].product_id]
    assert (product.rate_gbps, product.legs.count, product.legs.rate_gbps) == (800, 2, 400)
    assert [(line.product_id, line.quantity) for line in result.bom] == [(product.id, 1)]


@pytest.mark.parametrize(
    ("a_port", "leg_port", "legs", "accepted"),
    [
        # Legs of 400G and 200G go to ConnectX NICs' flat-top OSFP-RHS cages (NVIDIA MCP7Y00 / MCP7Y50).
        (("OSFP", 800, 8), ("OSFP-RHS", 400, 4), 2, True),  # 800G -> 2 x 400G
        (("OSFP", 800, 8), ("OSFP", 200, 4), 2, False),  # a 200G port (4 x 50G) on a 400G leg
        (("OSFP", 800, 8), ("OSFP", 800, 8), 2, False),  # an 8-lane 800G port on a 4-lane leg
        (("OSFP", 800, 8), ("OSFP-RHS", 800, 8, 200), 2, True),  # ... unless it runs 4 faster lanes (ConnectX-8)
        (("OSFP", 1600, 8), ("OSFP", 800, 4), 2, True),  # 1.6T -> 2 x 800G (200G lanes)
        (("OSFP", 1600, 8), ("OSFP", 800, 8), 2, False),  # 800G over 8 x 100G lanes
        (("OSFP", 1600, 8), ("OSFP", 400, 4), 2, False),  # 400G is half an 800G leg
        (("OSFP", 800, 8), ("OSFP-RHS", 200, 2), 4, True),  # 800G -> 4 x 200G
        (("OSFP", 800, 8), ("OSFP", 200, 4), 4, False),  # 200G over 4 x 50G lanes
        (("OSFP", 800, 8), ("OSFP", 400, 4), 4, False),  # a 4-lane port on a 2-lane leg
    ],
)
def test_leg_lane_rates_for_each_split(a_port, leg_port, legs, accepted):
    from model.io.library import catalog_with

    names = [f"q{k}" for k in range(1, legs + 1)]
    catalog = catalog_with(
        default_catalog(),
        [
            example_type("example-a", "switch", *a_port, ["p1"]),
            example_type("example-legs", "server", *leg_port[:3], names, *leg_port[3:]),
        ],
    )
    data = json.loads((F08 / "one_leg.json").read_text(encoding="utf-8"))
    data["racks"][0]["devices"] = [
        {"id": "sw", "type": "example-a", "u_position": 40},
        {"id": "h", "type": "example-legs", "u_position": 2},
    ]
    data["cables"] = [{"id": "bo1", "a": "sw:p1", "b": [f"h:{n}" for n in names]}]
    if accepted:
        result = analyse(Document(loads_layout(json.dumps(data), "one_leg.json", catalog), catalog))
        assert result.cable(0).product_id is not None
        assert result.catalog.cables[result.cable(0).product_id].legs.count == legs
        return
    with pytest.raises(LayoutError) as caught:
        loads_layout(json.dumps(data), "one_leg.json", catalog)
    assert caught.value.where == "cables[0].b[0]"
    rate, lanes = a_port[1] / legs, a_port[2] // legs
    assert f"leg port h:q1 takes {leg_port[1]:g}G over {leg_port[2]} lanes" in str(caught.value)
    assert f"is {rate:g}G over {lanes} lanes" in str(caught.value)


def test_the_cli_report_says_which_attach_ratio_is_which(tmp_path, capsys):
    from model.cli import run_cli

    path = tmp_path / "two_legs.json"
    path.write_text(json.dumps(f08_layout([BREAKOUT])), encoding="utf-8")
    assert run_cli(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Cables: 1  (AEC 1)" in out
    assert "Attach ratios per accelerator (cables bought, a breakout once): AEC 0.12" in out
    assert "Links per accelerator (each breakout leg): AEC 0.25" in out
    assert "1 x aec-800g-2x400g-osfp 5 m" in out
    assert run_cli(["export", str(path), "--what", "schedule", "--out", str(tmp_path / "s.csv")]) == 0
    schedule = (tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()
    assert len(schedule) == 3  # a row per leg
    assert ",srv01,nic1," in schedule[1] and ",srv01,nic2," in schedule[2]
    assert all(",aec-800g-2x400g-osfp," in line for line in schedule[1:])


def test_the_two_cable_form_is_refused_by_the_cli_with_the_hint(capsys):
    from model.cli import run_cli

    assert run_cli(["validate", str(F08 / "two_legs.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cables[1].a" in err and '"b" the list of every far port' in err


def example_type(type_id, kind, connector, rate, lanes, names, max_lane=None):
    """A device type as the f08 YAML files describe theirs (front ports, 1U), as the catalog holds it."""
    from model.catalog import DeviceType

    ports = [
        {"name": n, "connector": connector, "rate_gbps": rate, "lanes": lanes, "face": "front", "x_mm": 40 + 40 * i}
        for i, n in enumerate(names)
    ]
    for port in ports:
        if max_lane is not None:
            port["max_lane_rate_gbps"] = max_lane
    for port in ports:
        port["y_mm"] = 22
    sources = {key: "f08 case file" for key in ("u_height", "depth_mm", "power_w", "accelerators", "ports")}
    return DeviceType.model_validate(
        {
            "id": type_id,
            "name": type_id,
            "manufacturer": "ExampleVendor",
            "kind": kind,
            "u_height": 1,
            "depth_mm": 600,
            "power_w": 300,
            "accelerators": 0,
            "ports_explicit": ports,
            "sources": sources,
        }
    )


def qsfp112_catalog(*extra):
    """The default catalog with the f08 YAML files' two device types (an 800G OSFP switch, a
    2 x 400G QSFP112 host), written here as the catalog holds them (no NetBox import), and `extra` types."""
    from model.io.library import catalog_with

    return catalog_with(
        default_catalog(),
        [
            example_type("example-sw-osfp800-2p", "switch", "OSFP", 800, 8, ["swp1", "swp2"]),
            example_type("example-host-2xqsfp112", "server", "QSFP112", 400, 4, ["eth0", "eth1"]),
            *extra,
        ],
    )


def test_the_qsfp112_variant_one_leg_is_refused_naming_the_ports_and_the_breakout():
    data = json.loads((F08 / "one_leg.json").read_text(encoding="utf-8"))
    with pytest.raises(LayoutError) as caught:
        loads_layout(json.dumps(data), "one_leg.json", qsfp112_catalog())
    message = str(caught.value)
    assert caught.value.where == "cables[0]"
    assert "sw1:swp1 and h1:eth0 cannot be joined" in message
    assert 'a breakout (800G OSFP to 2 x 400G QSFP112 DAC breakout, 26 AWG) joins them: write "b"' in message


def test_the_qsfp112_variant_as_a_breakout_gets_the_qsfp112_split():
    catalog = qsfp112_catalog()
    data = json.loads((F08 / "one_leg.json").read_text(encoding="utf-8"))
    data["cables"] = [{"id": "bo1", "a": "sw1:swp1", "b": ["h1:eth0", "h1:eth1"]}]
    result = analyse(Document(loads_layout(json.dumps(data), "one_leg.json", catalog), catalog))
    assert [result.cable(i).product_id for i in (0, 1)] == ["dac-800g-2x400g-qsfp112"] * 2
    assert [result.cable(i).rate_gbps for i in (0, 1)] == [400.0, 400.0]  # 800G shared out
    assert [(line.product_id, line.quantity) for line in result.bom] == [("dac-800g-2x400g-qsfp112", 1)]


def test_moves_and_pins_re_route_a_breakouts_legs_together_and_live_equals_fresh():
    from model.commands import MoveDevice, MoveRacks
    from model.commands_properties import UpdateCable
    from model.session import Session
    from tests.model.session_machine import assert_same_analysis

    data = f08_layout([BREAKOUT, {"id": "c0", "a": "leaf01:p2", "b": "srv01:nic3"}])
    data["racks"].append({"id": "R02", "x_mm": 1200, "y_mm": 0, "side_openings": False, "devices": []})
    data["racks"][0]["side_openings"] = False
    session = Session(load(data))
    analysis = session.analysis
    for command in (
        lambda doc: MoveDevice(doc, "srv01", "R02", 10, "front"),
        lambda doc: UpdateCable(doc, "bo1", pinned_medium="OPTICS"),
        lambda doc: MoveRacks(doc, {"R02": (2400.0, 0.0, "south")}),
    ):
        runs = (analysis.full_runs, analysis.incremental_runs)
        session.apply(command(session.document))
        assert (analysis.full_runs, analysis.incremental_runs) == (runs[0], runs[1] + 1)  # no full run
        live = session.result
        fresh = analyse(Document(session.document.site.model_copy(deep=True), session.document.catalog))
        assert_same_analysis(live, fresh)
        assert live.cable(0).product_id == live.cable(1).product_id
        assert live.totals["cables"] == 2


def test_legs_ending_in_two_racks_are_a_warning_naming_them():
    data = f08_layout([{"id": "bo1", "a": "leaf01:p1", "b": ["srv01:nic1", "srv02:nic1"]}])
    data["racks"].append(
        {
            "id": "R02",
            "x_mm": 1200,
            "y_mm": 0,
            "devices": [{"id": "srv02", "type": "server-8gpu-400g", "u_position": 2}],
        }
    )
    result = analyse(load(data))
    warnings = [p for p in result.problems if p.kind == "breakout"]
    assert [(p.target_id, p.severity) for p in warnings] == [("bo1", "warning")]
    assert "they end in racks R01, R02" in warnings[0].message
    assert not [p for p in analyse(load(f08_layout([BREAKOUT]))).problems if p.kind == "breakout"]


def test_every_breakout_product_says_its_split_and_which_figures_are_estimates():
    products = [p for p in default_catalog().cables.values() if p.legs is not None]
    splits = {(p.rate_gbps, p.legs.count, p.legs.rate_gbps, p.medium.value) for p in products}
    for trunk, count, leg in ((800, 2, 400), (800, 4, 200), (1600, 2, 800)):
        assert {m for t, c, r, m in splits if (t, c, r) == (trunk, count, leg)} == {"DAC", "AEC", "OPTICS"}
    for product in products:
        assert product.lanes == product.legs.count * product.legs.lanes, product.id
        assert product.estimated and "cost" in product.estimated_figures, product.id


def test_the_bom_line_of_the_breakout_names_its_estimated_figures(two_legs):
    _, result = two_legs
    assert result.bom[0].estimated == ("od_mm", "cost")


def test_the_qsfp112_case_files_imported_from_netbox_join_as_a_breakout():
    from model.io.library import catalog_with
    from model.io.netbox import import_device_type

    types = [import_device_type(F08 / name).device_type for name in ("osfp800-switch.yaml", "nic-host.yaml")]
    catalog = catalog_with(default_catalog(), types)
    data = json.loads((F08 / "one_leg.json").read_text(encoding="utf-8"))
    data["cables"] = [{"id": "bo1", "a": "sw1:swp1", "b": ["h1:eth0", "h1:eth1"]}]
    result = analyse(Document(loads_layout(json.dumps(data), "one_leg.json", catalog), catalog))
    rows = [result.cable(i) for i in (0, 1)]
    # The host's QSFP112 ports are on its rear (as NetBox imports interfaces): over 3 m, past the
    # DAC breakout's reach, so the twin-port optics with QSFP112 modules.
    assert max(r.length_m or 0.0 for r in rows) > 3.0
    assert {r.product_id for r in rows} == {"optics-800g-2x400g-qsfp112-dr4"}
    assert rows[0].reason.startswith("by its longest leg") and "DAC 26 AWG out" in rows[0].reason
    assert [(line.product_id, line.quantity) for line in result.bom] == [("optics-800g-2x400g-qsfp112-dr4", 1)]


def test_the_schedule_gives_the_trunk_and_each_legs_length_under_one_cable_id():
    import csv
    import io

    from model.io.exports import write_cable_schedule

    result = analyse(load(_two_racks(38)))
    handle = io.StringIO()
    write_cable_schedule(result, handle)
    table = list(csv.DictReader(io.StringIO(handle.getvalue())))
    assert [row["cable_id"] for row in table] == ["bo1", "bo1"]
    assert [row["b_port"] for row in table] == ["nic1", "nic2"]
    trunk = [float(row["trunk_m"]) for row in table]
    assert trunk == pytest.approx([max(result.length_m) - 0.5] * 2, abs=1e-3)
    legs = [float(row["leg_m"]) for row in table]
    assert legs == pytest.approx(list(result.length_m - result.trunk_m), abs=1e-3)
    assert max(legs) == pytest.approx(0.5, abs=1e-3) and legs[0] != legs[1]
    # A straight cable leaves both empty.
    plain = analyse(load(f08_layout([{"id": "c0", "a": "leaf01:p2", "b": "srv01:nic3"}])))
    handle = io.StringIO()
    write_cable_schedule(plain, handle)
    row = next(csv.DictReader(io.StringIO(handle.getvalue())))
    assert (row["trunk_m"], row["leg_m"]) == ("", "")


def test_the_route_is_a_trunk_to_the_split_and_a_leg_per_port():
    from model.breakout import _length, cable_polylines

    result = analyse(load(_two_racks(38)))  # copper: legs fan out 0.5 m before the far port
    routes = result.route_points([0, 1])
    trunk, *legs = cable_polylines(result, 0)
    longest = max(_length(r) for r in routes)
    assert _length(trunk) == pytest.approx(longest - 500, abs=1e-6)
    assert max(_length(leg) for leg in legs) == pytest.approx(500, abs=1e-6)
    assert [leg[0] for leg in legs] == [trunk[-1]] * 2  # both legs leave the split point
    assert [leg[-1] for leg in legs] == [r[-1] for r in routes]  # each at its own port
    optics = analyse(load(_two_racks(2, "OPTICS")))  # whole legs: the split is at end a
    trunk, *legs = cable_polylines(optics, 0)
    assert _length(trunk) == 0 and [leg[-1] for leg in legs] == [r[-1] for r in optics.route_points([0, 1])]


def test_a_breakout_with_no_product_counts_once_in_a_tray():
    catalog = qsfp112_catalog(
        example_type("example-host-4x200g", "server", "QSFP112", 200, 2, ["q1", "q2", "q3", "q4"])
    )
    data = json.loads((F08 / "one_leg.json").read_text(encoding="utf-8"))
    data["racks"][0]["side_openings"] = False
    data["racks"].append(
        {
            "id": "R02",
            "x_mm": 1200,
            "y_mm": 0,
            "side_openings": False,
            "devices": [{"id": "h4", "type": "example-host-4x200g", "u_position": 4}],
        }
    )
    data["cables"] = [{"id": "bo1", "a": "sw1:swp1", "b": [f"h4:q{k}" for k in range(1, 5)]}]
    result = analyse(Document(loads_layout(json.dumps(data), "one_leg.json", catalog), catalog))
    assert result.totals["unresolved"] == 1
    pieces = [piece for piece in result.tray_fill if piece.cable_count]
    assert pieces and {(piece.cable_count, piece.used_mm2) for piece in pieces} == {(1, 0.0)}


def test_the_single_leg_form_says_how_to_write_it_without_sending_the_designer_in_a_loop():
    # one_leg.json's straight cable is refused with a breakout hint; following the hint with one
    # port must not then be refused with "write it as a string" alone (the fresh-user test's loop).
    catalog = qsfp112_catalog()
    data = json.loads((F08 / "one_leg.json").read_text(encoding="utf-8"))
    with pytest.raises(LayoutError) as straight:
        loads_layout(json.dumps(data), "one_leg.json", catalog)
    assert 'write "b" as the list of the ports its legs go to, every leg' in str(straight.value)
    data["cables"][0]["b"] = ["h1:eth0"]
    with pytest.raises(LayoutError) as one:
        loads_layout(json.dumps(data), "one_leg.json", catalog)
    assert "list the port of every leg (a leg left unplugged is not modelled)" in str(one.value)
    data["cables"][0]["b"] = ["h1:eth0", "h1:eth1"]
    result = analyse(Document(loads_layout(json.dumps(data), "one_leg.json", catalog), catalog))
    assert result.catalog.cables[result.cable(0).product_id].legs.count == 2

"""`library import` / `library show`, and a broken library beside an unrelated layout."""

from __future__ import annotations

import json
import os
from pathlib import Path

from model.cli import run_cli
from model.io.library import default_library_path, load_user_devices

HARDWARE = Path(__file__).parents[1] / "data" / "hardware"


def cli(*args, capsys):
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_says_one_line_per_file_and_refuses_module_types(capsys):
    files = [HARDWARE / "f01" / "ib-switch.yaml", HARDWARE / "f07" / "chassis.yaml"]
    module = HARDWARE / "f07" / "linecard-module-type.yaml"
    code, out, err = cli("library", "import", *files, module, capsys=capsys)
    assert code == 2  # one file refused
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{files[0]}: imported example-ib-xdr-4p: switch, 1U, 4 ports (")
    assert "left out: nothing" in lines[0]
    assert lines[1].startswith(f"{files[1]}: imported example-chassis-4slot: switch, 7U, 0 ports")  # line cards
    assert "left out: 4 module bay(s): Linecard 1, Linecard 2, Linecard 3, Linecard 4" in lines[1]
    assert err.count("\n") == 1
    assert f"{module}: refused: ExampleVendor LC-36x400G is a NetBox module type" in err
    # The two good files are in the library; the refused one added nothing.
    assert [d.id for d in load_user_devices()] == ["example-ib-xdr-4p", "example-chassis-4slot"]
    assert default_library_path().parent.parent == Path(os.environ["XDG_DATA_HOME"])


def test_a_repeated_import_is_refused_and_the_library_kept(capsys):
    file = HARDWARE / "f04" / "ndr-switch.yaml"
    assert cli("library", "import", file, capsys=capsys)[0] == 0
    code, out, err = cli("library", "import", file, capsys=capsys)
    assert code == 2 and out == ""
    assert "'example-ndr-2cage' is already in your library" in err
    assert [d.id for d in load_user_devices()] == ["example-ndr-2cage"]


def test_show_json_gives_cages_and_ports(capsys):
    assert cli("library", "import", HARDWARE / "f04" / "ndr-switch.yaml", capsys=capsys)[0] == 0
    code, out, _ = cli("library", "show", "example-ndr-2cage", "--format", "json", capsys=capsys)
    assert code == 0
    shown = json.loads(out)
    assert (shown["id"], shown["kind"], shown["u_height"], shown["power_w"]) == ("example-ndr-2cage", "switch", 1, 0)
    assert [p["name"] for p in shown["ports"]] == ["P1.0", "P1.1", "P2.0", "P2.1"]
    port = shown["ports"][0]
    assert {k: port[k] for k in ("connector", "rate_gbps", "lanes", "role")} == {
        "connector": "OSFP",
        "rate_gbps": 400,
        "lanes": 4,
        "role": "interface",
    }
    assert "protocol" in port
    assert [(c["name"], c["connector"], c["ports"]) for c in shown["cages"]] == [
        ("P1", "OSFP", ["P1.0", "P1.1"]),
        ("P2", "OSFP", ["P2.0", "P2.1"]),
    ]


def test_show_panel_roles_and_built_in_types(capsys):
    assert cli("library", "import", HARDWARE / "f06" / "panel.yaml", capsys=capsys)[0] == 0
    shown = json.loads(cli("library", "show", "example-mpo-panel-2", "--format", "json", capsys=capsys)[1])
    assert [(p["name"], p["role"]) for p in shown["ports"]] == [
        ("F1", "front"),
        ("F2", "front"),
        ("R1", "rear"),
        ("R2", "rear"),
    ]
    assert shown["kind"] == "patch_panel" and shown["cages"] == []
    code, out, _ = cli("library", "show", "switch-qm9700-64x400g", capsys=capsys)
    assert code == 0 and out.startswith("switch-qm9700-64x400g: ")
    code, out, err = cli("library", "show", "no-such-type", capsys=capsys)
    assert code == 2 and out == "" and "no device type 'no-such-type'" in err


def test_f02_five_n_plus_n_servers_overload_a_40_kw_rack(capsys):
    assert cli("library", "import", HARDWARE / "f02" / "gpu-server-6psu.yaml", capsys=capsys)[0] == 0
    code, out, err = cli("validate", HARDWARE / "f02" / "rack.json", capsys=capsys)
    assert code == 1  # 5 x 9,000 W = 45 kW in a 40 kW rack
    assert "[power] rack R01 draws 45.0 kW against a 40.0 kW budget" in err


def test_a_broken_library_is_a_warning_for_an_unrelated_layout(tmp_path, capsys):
    layout = tmp_path / "t.json"
    assert cli("sample", "trn2-ultra64", "--out", layout, capsys=capsys)[0] == 0
    library = default_library_path()
    library.parent.mkdir(parents=True, exist_ok=True)
    library.write_text("devices: [unclosed\n", encoding="utf-8")
    code, out, err = cli("validate", layout, capsys=capsys)
    assert code == 0
    assert "valid" in out
    assert err.startswith(f"rack-designer: warning: your device library is left out: {library}: ")
    assert err.count("\n") == 1


def test_show_lists_power_ports_with_role_power(capsys):
    files = [HARDWARE / "f02" / "gpu-server-6psu.yaml", HARDWARE / "f06" / "pdu.yaml"]
    assert cli("library", "import", *files, capsys=capsys)[0] == 0
    server = json.loads(cli("library", "show", "example-gpu-8u-6psu", "--format", "json", capsys=capsys)[1])
    assert server["power_w"] == 9000
    power = [p for p in server["ports"] if p["role"] == "power"]
    assert [p["name"] for p in power] == ["PSU1", "PSU2", "PSU3", "PSU4", "PSU5", "PSU6"]
    assert power[0]["connector"] == "iec-60320-c20"
    assert power[0]["power"] == {"kind": "inlet", "maximum_draw_w": 3000, "allocated_draw_w": None}
    assert power[0]["rate_gbps"] is None and power[0]["lanes"] is None
    pdu = json.loads(cli("library", "show", "example-pdu-1u-2out", "--format", "json", capsys=capsys)[1])
    assert [(p["name"], p["role"], p["power"]["kind"]) for p in pdu["ports"]] == [
        ("inlet", "power", "inlet"),
        ("out1", "power", "outlet"),
        ("out2", "power", "outlet"),
    ]
    code, out, _ = cli("library", "show", "example-pdu-1u-2out", capsys=capsys)
    assert code == 0 and "  out1: power outlet iec-60320-c13" in out


LIBRARY = Path(__file__).parents[1] / "data" / "devicetype_library"


def test_real_library_files_import_in_one_run_and_show(capsys):
    files = sorted((LIBRARY / "device-types").glob("*/*.y*ml"))
    assert len(files) == 21
    code, out, err = cli("library", "import", *files, capsys=capsys)
    assert code == 2  # the Corning panel (misspelt rear_port_postion) and the 0U APC PDU are refused
    assert len(out.splitlines()) == 19 and err.count("\n") == 2
    assert "CCH-UM12-04-89G.yaml: refused: " in err and "rear_port_postion" in err
    assert "AP7941.yaml: refused: " in err and "a 0U PDU (24 power outlets)" in err
    assert len(load_user_devices()) == 19
    shown = json.loads(cli("library", "show", "nvidia-qm9700", "--format", "json", capsys=capsys)[1])
    assert (shown["kind"], shown["u_height"], shown["power_w"], len(shown["cages"])) == ("switch", 1, 0, 32)
    cages = {c["name"]: c["ports"] for c in shown["cages"]}
    assert cages["P0"] == ["P0.0", "P0.1"] and cages["P22"] == ["P22.0"]
    fabric = [p for p in shown["ports"] if p["role"] == "interface"]
    assert {(p["connector"], p["rate_gbps"], p["lanes"], p["protocol"]) for p in fabric} == {
        ("OSFP", 400, 4, "infiniband")
    }
    assert [p["name"] for p in shown["ports"] if p["role"] == "power"] == ["psu0", "psu1"]
    shown = json.loads(cli("library", "show", "supermicro-as-8125gs-tnmr2", "--format", "json", capsys=capsys)[1])
    assert (shown["kind"], shown["accelerators"], shown["power_w"]) == ("server", 8, 9000)
    code, out, _ = cli("library", "show", "supermicro-as-8125gs-tnmr2", capsys=capsys)
    assert code == 0 and "  server, 8U, 9000 W (N+N), 8 accelerators, 10 cages, 16 ports" in out


def test_bad_files_are_refused_one_line_each_and_nothing_is_imported(tmp_path, capsys):
    unknown = tmp_path / "unknown-type.yaml"
    unknown.write_text(
        "manufacturer: X\nmodel: Y\nslug: x-y\nu_height: 1\ninterfaces:\n"
        "  - {name: swp1, type: 800gbase-x-osfp}\n  - {name: swp2, type: 800gbase-x-osfpp}\n",
        encoding="utf-8",
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("manufacturer: X\nmodel: [unclosed\n", encoding="utf-8")
    layout = tmp_path / "layout.yaml"
    layout.write_text('{"kind": "rack-designer-layout", "schema_version": 1, "racks": []}\n', encoding="utf-8")
    module = LIBRARY / "module-types" / "Nvidia" / "MCX755106AS-HEAT.yaml"
    code, out, err = cli("library", "import", unknown, broken, layout, module, capsys=capsys)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 4
    assert lines[0] == (
        f"rack-designer: {unknown}: refused: {unknown} (x-y): interfaces[swp2]: type '800gbase-x-osfpp' "
        "is not a NetBox interface type (resources/netbox_interface_types.yaml lists NetBox's types)"
    )
    assert lines[1].startswith(f"rack-designer: {broken}: refused: ") and "YAML" in lines[1]
    assert lines[2].startswith(f"rack-designer: {layout}: refused: not a NetBox device type")
    assert lines[3].startswith(
        f"rack-designer: {module}: refused: Nvidia ConnectX-7 MCX755106AS-HEAT is a NetBox module"
    )
    assert not default_library_path().exists()  # nothing half-imported: the library was not even written


def _two_racks(tmp_path: Path, a: tuple[str, str], b: tuple[str, str], ports: tuple[str, str]) -> Path:
    layout = {
        "kind": "rack-designer-layout",
        "schema_version": 1,
        "name": "imported",
        "racks": [
            {"id": "R01", "x_mm": 0, "y_mm": 0, "devices": [{"id": a[0], "type": a[1], "u_position": 40}]},
            {"id": "R02", "x_mm": 600, "y_mm": 0, "devices": [{"id": b[0], "type": b[1], "u_position": 10}]},
        ],
        "trays": [{"id": "T", "points": [[-1500, 0], [2000, 0]], "elevation_mm": 2450}],
        "cables": [{"id": "c1", "a": f"{a[0]}:{ports[0]}", "b": f"{b[0]}:{ports[1]}"}],
    }
    path = tmp_path / "layout.json"
    path.write_text(json.dumps(layout), encoding="utf-8")
    return path


def test_imported_qm9700_cables_to_a_b200_server_and_not_to_an_ethernet_switch(tmp_path, capsys):
    files = [LIBRARY / "device-types" / "Nvidia" / name for name in ("QM9700.yaml", "SN5600.yaml")]
    assert cli("library", "import", *files, capsys=capsys)[0] == 0
    good = _two_racks(tmp_path, ("leaf1", "nvidia-qm9700"), ("gpu1", "server-8gpu-400g"), ("P0.0", "nic1"))
    code, out, _ = cli("report", good, "--format", "json", capsys=capsys)
    assert code == 0
    cable = json.loads(out)["cables"][0]
    assert cable["product"] is not None and cable["medium"] in ("DAC", "AEC", "AOC", "OPTICS")
    # Its file types the ports as Ethernet 400gbase-x-osfp; a QM9700 is InfiniBand, so an
    # Ethernet SN5600 port is refused, naming both ports.
    bad = _two_racks(tmp_path, ("leaf1", "nvidia-qm9700"), ("eth1", "nvidia-sn5600"), ("P0.0", "swp1"))
    code, out, err = cli("validate", bad, capsys=capsys)
    assert code == 2 and err.count("\n") == 1
    assert "leaf1:P0.0 and eth1:swp1 cannot be joined: protocols differ: P0.0 infiniband, swp1 ethernet" in err


def test_show_gives_built_in_types_their_supplies_and_redundancy(capsys):
    code, out, _ = cli("library", "show", "spine-q3400-144x800g", "--format", "json", capsys=capsys)
    assert code == 0
    shown = json.loads(out)
    supplies = [p for p in shown["ports"] if p["role"] == "power"]
    assert (shown["power_w"], shown["power_redundancy"], len(supplies)) == (3500, "N+N", 8)
    assert {p["connector"] for p in supplies} == {"iec-60320-c20"}
    assert sum(p["power"]["allocated_draw_w"] for p in supplies) == 3500
    assert {p["power"]["maximum_draw_w"] for p in supplies} == {875}
    code, out, _ = cli("library", "show", "server-8gpu-800g", capsys=capsys)
    assert code == 0 and "server, 8U, 14020 W (N+1), " in out
    assert "  psu6: power inlet iec-60320-c20, max 3300 W" in out
    # Its ConnectX-8 cages: flat-top, 8 lanes of up to 200G (4 x 200G XDR or 8 x 100G).
    code, out, _ = cli("library", "show", "server-8gpu-800g", "--format", "json", capsys=capsys)
    nic = next(p for p in json.loads(out)["ports"] if p["name"] == "nic1")
    assert (nic["connector"], nic["rate_gbps"], nic["lanes"], nic["max_lane_rate_gbps"]) == ("OSFP-RHS", 800, 8, 200)


def test_a_refusal_says_refused_once_and_a_missing_subcommand_names_the_choices(tmp_path, capsys):
    nested = tmp_path / "nested.yaml"
    nested.write_text("a: " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    code, out, err = cli("library", "import", nested, capsys=capsys)
    assert code == 2 and err.count("refused:") == 1, err
    code = run_cli(["library"])
    err = capsys.readouterr().err
    assert code == 2 and "import|show" in err and "library_command" not in err


def test_show_marks_estimated_figures_and_replace_renews_a_type_of_your_library(tmp_path, capsys):
    code, out, _ = cli("library", "show", "switch-25t6-64x400g-qsfpdd", "--format", "json", capsys=capsys)
    assert code == 0 and json.loads(out)["estimated"] == ["depth_mm", "power_w"]
    code, out, _ = cli("library", "show", "switch-25t6-64x400g-qsfpdd", capsys=capsys)
    assert "  estimated: depth_mm, power_w" in out.splitlines()
    source = HARDWARE / "f03" / next(p.name for p in (HARDWARE / "f03").glob("*.yaml"))
    assert cli("library", "import", source, capsys=capsys)[0] == 0
    code, _, err = cli("library", "import", source, capsys=capsys)
    assert code == 2 and "already in your library (library import --replace takes the file's instead)" in err
    changed = tmp_path / source.name
    changed.write_text(source.read_text(encoding="utf-8").replace("u_height: 1", "u_height: 2"), encoding="utf-8")
    code, out, _ = cli("library", "import", "--replace", changed, capsys=capsys)
    assert code == 0 and "imported" in out
    library = load_user_devices()
    assert len(library) == 1 and library[0].u_height == 2  # replaced, not added twice

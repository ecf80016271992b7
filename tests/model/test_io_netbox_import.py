"""NetBox device-type import against the hardware cases (issue #8 point 6): InfiniBand, N+N
power, twin-port cages, panels and PDUs, module bays and module types, every interface type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model.catalog import default_catalog
from model.errors import CatalogError
from model.io.netbox import import_device_type
from model.io.netbox_table import interface_type, netbox_table, not_cabled_reason

HARDWARE = Path(__file__).parents[1] / "data" / "hardware"
CHOICES = json.loads((Path(__file__).parent / "data" / "netbox" / "netbox_choices.json").read_text())


def write(tmp_path: Path, text: str, name: str = "type.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_f01_infiniband_switch():
    imported = import_device_type(HARDWARE / "f01" / "ib-switch.yaml")
    switch = imported.device_type
    assert switch.kind == "switch"
    rates = {p.name: (p.connector, p.rate_gbps, p.lanes) for p in switch.ports}
    assert rates == {
        "p1": ("OSFP", 800, 4),
        "p2": ("OSFP", 800, 4),
        "p3": ("OSFP", 400, 4),
        "p4": ("OSFP", 400, 4),
    }
    assert {p.protocol for p in switch.ports} == {"infiniband"}
    assert any(w.startswith("kind switch:") for w in imported.warnings)


@pytest.mark.parametrize(
    ("slug", "rate"),
    [
        ("infiniband-sdr", 10),
        ("infiniband-ddr", 20),
        ("infiniband-qdr", 40),
        ("infiniband-fdr10", 40),
        ("infiniband-fdr", 56),
        ("infiniband-edr", 100),
        ("infiniband-hdr", 200),
        ("infiniband-ndr", 400),
        ("infiniband-xdr", 800),
    ],
)
def test_infiniband_generations_are_4x_ports(slug, rate):
    spec = interface_type(slug)
    assert spec is not None
    assert (spec.rate_gbps, spec.lanes, spec.protocol) == (rate, 4, "infiniband")


def test_every_netbox_interface_type_is_cabled_or_has_a_reason():
    types = CHOICES["InterfaceTypeChoices"]
    assert len(types) == 218
    missing = [t for t in types if interface_type(t) is None and not_cabled_reason(t) is None]
    assert missing == []
    both = [t for t in types if interface_type(t) is not None and not_cabled_reason(t) is not None]
    assert both == []
    # Nothing in the table that NetBox does not have (a typo would never match a file).
    listed = set(netbox_table()["interface_types"]) | {
        t for group in netbox_table()["not_cabled"].values() for t in group["types"]
    }
    assert listed - set(types) == set()


def test_mapped_cages_are_the_catalogs_connectors():
    known = {p.connector for p in default_catalog().cables.values()}
    for slug in ("800gbase-x-osfp", "400gbase-x-osfp", "400gbase-x-qsfpdd", "1.6tbase-x-osfp1600", "infiniband-ndr"):
        assert interface_type(slug).connector in known


def test_uncabled_types_are_named(tmp_path):
    path = write(
        tmp_path,
        "manufacturer: X\nmodel: Y\nu_height: 1\ninterfaces:\n"
        "  - {name: a, type: 800gbase-x-osfp}\n"
        "  - {name: c, type: 400gbase-dr4}\n  - {name: d, type: lag}\n",
    )
    imported = import_device_type(path)
    assert [p.name for p in imported.device_type.ports] == ["a"]
    text = "\n".join(imported.warnings)
    assert "'400gbase-dr4': names the optics or the medium (PMD), not the cage" in text
    assert "'lag': a logical interface" in text


def test_a_type_netbox_does_not_have_refuses_the_file(tmp_path):
    # A typo or a type newer than the table: what the port is cannot be told, so nothing is imported.
    path = write(
        tmp_path,
        "manufacturer: X\nmodel: Y\nslug: x-y\nu_height: 1\ninterfaces:\n"
        "  - {name: a, type: 800gbase-x-osfp}\n  - {name: b, type: 900gbase-warp}\n  - {name: c}\n",
    )
    with pytest.raises(CatalogError) as info:
        import_device_type(path)
    message = str(info.value)
    assert message.startswith(f"{path} (x-y): ")
    assert "interfaces[b]: type '900gbase-warp' is not a NetBox interface type" in message
    assert "interfaces[c]: no type" in message


def test_f02_power_is_the_draw_of_n_supplies():
    imported = import_device_type(HARDWARE / "f02" / "gpu-server-6psu.yaml")
    assert imported.device_type.power_w == 9000  # 6 x 3000 W as 3+3: the draw of 3
    assert any("N+N" in w and "9000 W" in w for w in imported.warnings)
    assert "N+N" in imported.device_type.sources["power_w"]


def test_allocated_draw_is_summed(tmp_path):
    path = write(
        tmp_path,
        "manufacturer: X\nmodel: Y\nu_height: 2\npower-ports:\n"
        "  - {name: PSU1, type: iec-60320-c20, maximum_draw: 3000, allocated_draw: 1200}\n"
        "  - {name: PSU2, type: iec-60320-c20, maximum_draw: 3000, allocated_draw: 1300}\n",
    )
    assert import_device_type(path).device_type.power_w == 2500


@pytest.mark.parametrize(("supplies", "draw"), [(1, 1000), (2, 1000), (3, 2000), (5, 3000), (8, 4000)])
def test_n_plus_n_counts(tmp_path, supplies, draw):
    ports = "".join(f"  - {{name: P{i}, type: iec-60320-c14, maximum_draw: 1000}}\n" for i in range(supplies))
    path = write(tmp_path, f"manufacturer: X\nmodel: Y\nu_height: 1\npower-ports:\n{ports}")
    assert import_device_type(path).device_type.power_w == draw


def test_f04_twin_port_osfp_cages():
    imported = import_device_type(HARDWARE / "f04" / "ndr-switch.yaml")
    switch = imported.device_type
    assert switch.kind == "switch"
    assert [(p.name, p.rate_gbps, p.lanes) for p in switch.ports] == [
        ("P1.0", 400, 4),
        ("P1.1", 400, 4),
        ("P2.0", 400, 4),
        ("P2.1", 400, 4),
    ]
    assert any("2 twin-port OSFP cage(s)" in w for w in imported.warnings)
    p10, p11, p20, _ = switch.ports
    assert p11.x_mm - p10.x_mm < 22.6 < p20.x_mm - p11.x_mm  # the twins share one cage's width
    assert [p.cage for p in switch.ports] == ["P1", "P1", "P2", "P2"]
    assert [(c.name, c.connector, len(c.ports)) for c in switch.cages] == [("P1", "OSFP", 2), ("P2", "OSFP", 2)]


def test_slash_named_twins_and_longer_runs(tmp_path):
    path = write(
        tmp_path,
        "manufacturer: X\nmodel: Y\nu_height: 1\ninterfaces:\n"
        "  - {name: p1/1, type: infiniband-ndr}\n  - {name: p1/2, type: infiniband-ndr}\n"
        "  - {name: Ethernet1/1, type: 400gbase-x-osfp}\n  - {name: Ethernet1/2, type: 400gbase-x-osfp}\n"
        "  - {name: Ethernet1/3, type: 400gbase-x-osfp}\n",
    )
    ports = import_device_type(path).device_type.ports
    assert [p.cage for p in ports] == ["p1", "p1", None, None, None]  # three on one stem: not a twin cage


def test_f06_patch_panel_and_pdu():
    panel = import_device_type(HARDWARE / "f06" / "panel.yaml").device_type
    assert panel.kind == "patch_panel"
    assert [(p.name, p.role, p.face, p.rear_port, p.connector) for p in panel.ports] == [
        ("F1", "front", "front", "R1", "MPO-12"),
        ("F2", "front", "front", "R2", "MPO-12"),
        ("R1", "rear", "rear", None, "MPO-12"),
        ("R2", "rear", "rear", None, "MPO-12"),
    ]
    assert panel.front_ports_of("R1")[0].name == "F1"
    pdu = import_device_type(HARDWARE / "f06" / "pdu.yaml")
    assert pdu.device_type.kind == "pdu"
    assert pdu.device_type.power_w == 0
    assert any("2 power outlet(s) (out1, out2)" in w for w in pdu.warnings)


def test_front_port_onto_a_missing_rear_port_names_file_type_and_port(tmp_path):
    path = write(
        tmp_path,
        "manufacturer: X\nmodel: Y\nslug: x-y\nu_height: 1\nfront-ports:\n  - {name: F1, type: lc, rear_port: R9}\n"
        "rear-ports:\n  - {name: R1, type: mpo}\n",
    )
    with pytest.raises(CatalogError) as info:
        import_device_type(path)
    assert str(info.value) == f"{path} (x-y): front-ports[F1].rear_port: 'R9' is not among the rear-ports"


def test_a_bad_power_port_names_file_type_and_port(tmp_path):
    path = write(
        tmp_path,
        "manufacturer: X\nmodel: Y\nslug: x-y\nu_height: 1\npower-ports:\n  - {name: PSU2, maximum_draw: lots}\n",
    )
    with pytest.raises(CatalogError) as info:
        import_device_type(path)
    assert str(info.value) == f"{path} (x-y): power-ports[PSU2].maximum_draw must be watts, not 'lots'"


def test_f07_module_bays_are_named_and_module_types_refused():
    chassis = import_device_type(HARDWARE / "f07" / "chassis.yaml")
    assert chassis.device_type.u_height == 7
    assert any(
        w.startswith("left out 4 module bay(s): Linecard 1, Linecard 2, Linecard 3, Linecard 4")
        for w in chassis.warnings
    )
    path = HARDWARE / "f07" / "linecard-module-type.yaml"
    with pytest.raises(CatalogError) as info:
        import_device_type(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ExampleVendor LC-36x400G is a NetBox module type")
    assert "not a device type" in message
    assert "u_height is missing" not in message


@pytest.mark.parametrize(
    ("file", "kind", "ports"),
    [
        ("f03/nic-host.yaml", "server", {("eth0", "QSFP112", 400, 4), ("eth1", "QSFP112", 400, 4)}),
        ("f08/nic-host.yaml", "server", {("eth0", "QSFP112", 400, 4), ("eth1", "QSFP112", 400, 4)}),
        ("f08/osfp800-switch.yaml", "switch", {("swp1", "OSFP", 800, 8), ("swp2", "OSFP", 800, 8)}),
        ("f09/host-qsfp28.yaml", "server", {("eth0", "QSFP28", 100, 4)}),
        ("f09/tor-qsfpdd.yaml", "switch", {("Ethernet1/1", "QSFP-DD", 400, 8)}),
    ],
)
def test_other_case_files_import_right(file, kind, ports):
    device = import_device_type(HARDWARE / file).device_type
    assert device.kind == kind
    assert {(p.name, p.connector, p.rate_gbps, p.lanes) for p in device.ports} == ports


def test_a_file_laid_out_as_the_library_writes_an_edr_switch(tmp_path):
    # The shape of the devicetype-library's Mellanox SB7800 (36 x 100G QSFP28 named IB1/N, a
    # management port, a console, two 460 W supplies), written out here.
    ports = "".join(f"  - {{name: IB1/{n}, type: 100gbase-x-qsfp28}}\n" for n in range(1, 37))
    path = write(
        tmp_path,
        "manufacturer: Mellanox\nmodel: SB7800\nslug: sb7800\nu_height: 1\nis_full_depth: false\n"
        "console-ports:\n  - {name: Console, type: rj-45}\n"
        "power-ports:\n  - {name: ps1, type: iec-60320-c14, maximum_draw: 460}\n"
        "  - {name: psu2, type: iec-60320-c14, maximum_draw: 460}\n"
        f"interfaces:\n  - {{name: mgmt0, type: 1000base-t, mgmt_only: true}}\n{ports}",
    )
    imported = import_device_type(path)
    switch = imported.device_type
    assert (switch.kind, len(switch.ports), switch.power_w, switch.depth_mm) == ("switch", 36, 460, 450)
    assert {(p.connector, p.rate_gbps, p.lanes) for p in switch.ports} == {("QSFP28", 100, 4)}
    assert all(p.cage is None for p in switch.ports)  # 36 ports on one stem: no twin cages
    text = "\n".join(imported.warnings)
    assert "left out 1 management interface(s): mgmt0" in text
    assert "left out 1 console port(s): Console" in text

"""Real devicetype-library files (tests/data/devicetype_library, README there) through the import:
kind, height, power, cages and ports checked by hand against each file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from model.analysis import analyse
from model.catalog import default_catalog
from model.document import Document
from model.errors import CatalogError
from model.io.library import catalog_with
from model.io.netbox import import_device_type
from model.layout import Cable, Device, Rack, Site, Tray

LIBRARY = Path(__file__).parents[1] / "data" / "devicetype_library"
DEVICES = LIBRARY / "device-types"
MODULES = LIBRARY / "module-types"


def imported(path: str):
    result = import_device_type(DEVICES / path)
    return result.device_type, "\n".join(result.warnings)


def interfaces(device):
    return [p for p in device.ports if p.role == "interface"]


def test_qm9700_is_an_infiniband_switch_of_32_twin_cages():
    device, warnings = imported("Nvidia/QM9700.yaml")
    assert (device.id, device.kind, device.u_height, device.power_w) == ("nvidia-qm9700", "switch", 1, 0)
    ports = interfaces(device)
    # The file lists 62 ports: P22.1 and P23.0 are missing from it.
    assert len(ports) == 62
    assert {(p.connector, p.rate_gbps, p.lanes, p.protocol) for p in ports} == {("OSFP", 400, 4, "infiniband")}
    cages = {c.name: c.ports for c in device.cages}
    assert len(cages) == 32
    assert cages["P0"] == ("P0.0", "P0.1") and cages["P31"] == ("P31.0", "P31.1")
    assert cages["P22"] == ("P22.0",) and cages["P23"] == ("P23.1",)
    assert "P22 (P22.0), P23 (P23.1)" in warnings and "missing from the file" in warnings
    assert "62 port(s) typed as Ethernet cages (400G OSFP) taken as infiniband" in warnings
    assert "no power port gives allocated_draw or maximum_draw" in warnings
    assert "1 console port(s): uart" in warnings
    summary = import_device_type(DEVICES / "Nvidia" / "QM9700.yaml").summary()
    assert summary == "nvidia-qm9700: switch, 1U, 62 ports in 32 cages (62 x 400G OSFP infiniband), 0 W"


def test_q3400_is_144_xdr_ports_in_72_twin_cages_at_the_draw_of_4_supplies():
    device, warnings = imported("Nvidia/Q3400-RA.yaml")
    assert (device.kind, device.u_height) == ("switch", 4)
    assert device.power_w == 3500  # 8 x 875 W as 4+4: the draw of 4
    ports = interfaces(device)
    assert len(ports) == 145  # sw1p1 ... sw72p2 and fnm1, the in-band management port
    assert {(p.connector, p.rate_gbps, p.lanes, p.protocol) for p in ports} == {("OSFP", 800, 4, "infiniband")}
    twins = [c for c in device.cages if c.twin]
    assert len(twins) == 72 and twins[0].ports == ("sw1p1", "sw1p2") and twins[-1].ports == ("sw72p1", "sw72p2")
    assert device.cage_of("fnm1").ports == ("fnm1",)
    assert "'1000base-t'" in warnings and "eth1" in warnings  # eth1 has no mgmt_only, but is RJ45
    assert "1 management interface(s): eth0" in warnings
    assert "N+N" in device.sources["power_w"]


@pytest.mark.parametrize(
    ("path", "u_height", "count", "cage"),
    [
        ("Nvidia/SN5600.yaml", 2, 64, ("OSFP", 800, 8)),
        ("Nvidia/SN5610.yaml", 2, 64, ("OSFP", 800, 8)),
        ("Mellanox/SN4600.yml", 2, 64, ("QSFP56", 200, 4)),
        ("Mellanox/SN4700.yml", 1, 32, ("QSFP-DD", 400, 8)),
        ("Mellanox/SN3700.yml", 1, 32, ("QSFP56", 200, 4)),
    ],
)
def test_spectrum_switches_are_ethernet_with_a_cage_per_port(path, u_height, count, cage):
    device, warnings = imported(path)
    assert (device.kind, device.u_height, device.power_w) == ("switch", u_height, 0)
    ports = interfaces(device)
    assert len(ports) == count == len(device.cages)
    assert {(p.connector, p.rate_gbps, p.lanes, p.protocol) for p in ports} == {(*cage, "ethernet")}
    assert "management interface(s): eth0" in warnings
    assert "power set to 0 W" in warnings  # the files give no draw: said, not hidden
    if path.startswith("Nvidia/"):  # their supplies are module types, in PSU bays
        assert "bay(s) for power supplies, fans, CPUs, memory or drives: PSU1, PSU2" in warnings
        assert "the cards that go in them" not in warnings


@pytest.mark.parametrize(
    ("path", "count", "cage", "power_w", "depth_mm"),
    [
        ("Mellanox/qm8700.yml", 40, ("QSFP56", 200, 4), 1100, 450),
        ("Mellanox/QM8790.yaml", 40, ("QSFP56", 200, 4), 0, 800),
        ("Mellanox/SB7800.yml", 36, ("QSFP28", 100, 4), 460, 450),
    ],
)
def test_older_infiniband_switches_take_their_protocol_from_the_model(path, count, cage, power_w, depth_mm):
    device, warnings = imported(path)
    assert (device.kind, device.u_height, device.power_w, device.depth_mm) == ("switch", 1, power_w, depth_mm)
    ports = interfaces(device)
    assert len(ports) == count
    assert {(p.connector, p.rate_gbps, p.lanes, p.protocol) for p in ports} == {(*cage, "infiniband")}
    assert "taken as infiniband at the same cage and rate" in warnings
    assert "NVIDIA InfiniBand switch" in device.sources["kind"]


def test_dgx_a100_is_a_server_whatever_its_file_lists():
    device, warnings = imported("Nvidia/DGC-A100.yaml")
    assert (device.kind, device.u_height) == ("server", 6)
    assert device.power_w == 1172  # allocated_draw 586 W on each of two supplies, summed
    counts = Counter((p.connector, p.rate_gbps) for p in interfaces(device))
    assert counts == {("QSFP28", 100): 28, ("QSFP-DD", 400): 8}
    # 'Rear VGA' is listed twice among the console ports: named once, not a refusal.
    assert "7 console port(s): Front USB1, Front USB2, Rear VGA, Rear IPMI" in warnings


def test_unpowered_devices_draw_nothing_without_a_warning_to_fill_it_in():
    tray, warnings = imported("Nvidia/NVLink-5-Switch.yaml")
    assert (tray.kind, tray.power_w, interfaces(tray)) == ("switch", 0, [])
    assert "is_powered: false" in tray.sources["power_w"]
    assert "power set to 0 W" not in warnings
    kit, warnings = imported("Mellanox/SX60-DKIT.yaml")
    assert (kit.kind, kit.power_w) == ("server", 0)
    assert "2 device bay(s): SX6012 Slot 1, SX6012 Slot 2" in warnings


def test_pdu_housing_and_chassis_kinds_come_from_their_content():
    pdu, warnings = imported("APC/AP7900B.yaml")
    assert (pdu.kind, pdu.power_w) == ("pdu", 0)
    assert [p.kind for p in pdu.power_ports] == ["inlet"] + ["outlet"] * 8
    housing, warnings = imported("Corning/EDGE-01U.yaml")
    assert (housing.kind, housing.ports) == ("patch_panel", ())
    assert "8 module bay(s): 01A, 01B, 01C, 01D" in warnings
    chassis, warnings = imported("Cisco/N9K-C9508.yaml")
    assert (chassis.kind, chassis.u_height) == ("switch", 13)
    assert "10 module bay(s): Slot 1, Slot 2" in warnings and "line cards or supervisors" in warnings
    assert "5 bay(s) for power supplies, fans, CPUs, memory or drives: PS1, PS2, FAN 1, FAN 2" in warnings


def test_a_misspelt_key_is_named_with_the_key_it_meant():
    chassis, warnings = imported("Cisco/N9K-C9504.yaml")
    assert chassis.kind == "server"  # its bays are under 'odule-bays', so nothing tells
    assert "unknown key(s): 'odule-bays' (did you mean 'module-bays'?)" in warnings


def test_a_misspelt_rear_port_position_refuses_the_panel_naming_port_and_key():
    path = DEVICES / "Corning" / "CCH-UM12-04-89G.yaml"
    with pytest.raises(CatalogError) as info:
        import_device_type(path)
    message = str(info.value)
    assert message.startswith(f"{path} (CCH-UM12-04-89G): front port 3-4: position 1 of mpo1-12 is taken")
    assert "front-ports[1-2]: 'rear_port_postion' (did you mean 'rear_port_position'?)" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("Nvidia/MCX755106AS-HEAT.yaml", "Nvidia ConnectX-7 MCX755106AS-HEAT"),
        ("Nvidia/MCX753436MS-HEAB.yaml", "Nvidia ConnectX-7 MCX753436MS-HEAB"),
        ("Nvidia/08P2T2.yaml", "Nvidia ConnectX-6 DX"),
        ("Mellanox/MSX60-PF.yaml", "Mellanox MSX60-PF"),  # a supply: its only ports are power ports
        ("Corning/ECM-UM-12-04-89G.yaml", "Corning ECM-UM-12-04-89G"),
    ],
)
def test_module_types_are_refused_as_module_types(path, model):
    with pytest.raises(CatalogError) as info:
        import_device_type(MODULES / path)
    assert str(info.value).startswith(f"{MODULES / path}: {model} is a NetBox module type")


def test_a_cable_between_an_imported_qm9700_and_a_b200_server_gets_a_product():
    switch, _ = imported("Nvidia/QM9700.yaml")
    catalog = catalog_with(default_catalog(), [switch])
    site = Site(
        racks=[
            Rack(id="R01", x_mm=0, y_mm=0, devices=[Device(id="leaf1", type=switch.id, u_position=40)]),
            Rack(id="R02", x_mm=600, y_mm=0, devices=[Device(id="gpu1", type="server-8gpu-400g", u_position=10)]),
        ],
        trays=[Tray(id="T", points=[(-1500, 0), (2000, 0)], elevation_mm=2450)],
        cables=[Cable(id="c1", a="gpu1:nic1", b="leaf1:P0.0"), Cable(id="c2", a="gpu1:nic2", b="leaf1:P22.0")],
    )
    result = analyse(Document(site, catalog))
    for cable_id in ("c1", "c2"):
        run = result.cable(cable_id)
        assert run.product_id is not None, run.reason
        product = catalog.cables[run.product_id]
        assert (product.connector, product.rate_gbps, product.lanes) == ("OSFP", 400, 4)


def test_a_cable_between_the_built_in_1u_server_and_an_imported_arista_tor_gets_a_product():
    switch, warnings = imported("Arista/DCS-7060DX5-64S-F.yaml")
    assert (switch.kind, switch.u_height, len(interfaces(switch))) == ("switch", 2, 66)
    assert "2 bay(s) for power supplies, fans, CPUs, memory or drives: PS1, PS2" in warnings
    catalog = catalog_with(default_catalog(), [switch])
    site = Site(
        racks=[
            Rack(
                id="R01",
                x_mm=0,
                y_mm=0,
                devices=[
                    Device(id="tor", type=switch.id, u_position=40),
                    Device(id="srv", type="generic-server-1u", u_position=10),
                ],
            )
        ],
        cables=[Cable(id="c1", a="srv:p1", b="tor:Ethernet1/1")],
    )
    run = analyse(Document(site, catalog)).cable("c1")
    assert run.product_id is not None, run.reason
    product = catalog.cables[run.product_id]
    assert (product.connector, product.rate_gbps) == ("QSFP-DD", 400)


def test_an_mi300x_server_counts_its_gpu_bays_as_accelerators():
    server, warnings = imported("Supermicro/AS-8125GS-TNMR2.yml")
    assert (server.kind, server.u_height, server.accelerators) == ("server", 8, 8)
    assert server.power_w == 9000  # 6 x 3000 W as 3+3
    ports = interfaces(server)
    assert [p.name for p in ports] == ["eno0", "eno1"] + [f"eth{i}" for i in range(8)]
    assert {(p.connector, p.rate_gbps, p.lanes, p.protocol, p.face) for p in ports} == {
        ("QSFP112", 400, 4, "ethernet", "rear")
    }
    assert "8 accelerator bay(s) (GPU 01, GPU 02, GPU 03, GPU 04, ... (8 in all)) counted" in warnings
    assert "52 bay(s) for power supplies, fans, CPUs, memory or drives: Motherboard, CPU, PSU 01" in warnings
    assert "the cards that go in them" not in warnings  # no card bay: nothing for the designer to add
    assert "'virtual'" in warnings and "vpc0" in warnings and "'10gbase-t'" in warnings


def test_an_sn5600_port_breaks_out_to_two_imported_mi300x_servers():
    leaf, _ = imported("Nvidia/SN5600.yaml")
    server, _ = imported("Supermicro/AS-8125GS-TNMR2.yml")
    catalog = catalog_with(default_catalog(), [leaf, server])
    site = Site(
        racks=[
            Rack(id="R01", x_mm=0, y_mm=0, devices=[Device(id="leaf1", type=leaf.id, u_position=40)]),
            Rack(
                id="R02",
                x_mm=600,
                y_mm=0,
                devices=[
                    Device(id="gpuA", type=server.id, u_position=2),
                    Device(id="gpuB", type=server.id, u_position=12),
                ],
            ),
        ],
        trays=[Tray(id="T", points=[(-1500, 0), (2000, 0)], elevation_mm=2450)],
        cables=[Cable(id="c1", a="leaf1:swp1", b=["gpuA:eth0", "gpuB:eth0"])],
    )
    result = analyse(Document(site, catalog))
    run = result.cable("c1")
    assert run.product_id is not None, run.reason
    product = catalog.cables[run.product_id]
    assert (product.connector, product.legs.count, product.legs.connector) == ("OSFP", 2, "QSFP112")
    assert result.accelerators == 16


def test_a_0u_pdu_is_refused_saying_where_it_mounts():
    path = DEVICES / "APC" / "AP7941.yaml"
    with pytest.raises(CatalogError) as info:
        import_device_type(path)
    assert str(info.value) == (
        f"{path} (ap7941): u_height 0: a 0U PDU (24 power outlets) mounts in the rack's side channel, not in "
        "rack units; Rack Designer places devices in rack units only and counts a rack's power from its devices "
        "against the rack's budget"
    )


def test_every_file_is_named_in_the_readme_with_its_commit():
    readme = (LIBRARY / "README.md").read_text(encoding="utf-8")
    files = sorted(p.relative_to(LIBRARY).as_posix() for p in LIBRARY.rglob("*.y*ml"))
    assert len(files) == 26
    for name in files:
        row = next((line for line in readme.splitlines() if line.startswith(f"| {name} | ")), None)
        assert row is not None, f"{name} is not in the README"
        assert len(row.split(" | ")[1]) == 40  # the commit it was read at


@pytest.mark.parametrize(
    ("path", "power_w", "redundancy"),
    [
        ("Nvidia/Q3400-RA.yaml", 3500, "N+N"),  # 8 x 875 W maximum_draw: 4 carry it
        ("Mellanox/SB7800.yml", 460, "N+N"),  # 2 x 460 W: 1+1
        ("Supermicro/AS-8125GS-TNMR2.yml", 9000, "N+N"),  # 6 x 3000 W: 3+3
        ("Nvidia/DGC-A100.yaml", 1172, None),  # allocated_draw given: summed, the split not told
        ("Nvidia/QM9700.yaml", 0, None),  # no draw in the file
        ("APC/AP7900B.yaml", 0, None),  # a PDU: its outlets' loads are the devices' own
        ("Nvidia/NVLink-5-Switch.yaml", 0, None),  # is_powered: false
    ],
)
def test_power_and_how_the_supplies_share_it(path, power_w, redundancy):
    device, _ = imported(path)
    assert (device.power_w, device.power_redundancy) == (power_w, redundancy)
    inlets = [p for p in device.power_ports if p.kind == "inlet"]
    assert device.supplies_needed == ((len(inlets) + 1) // 2 if redundancy == "N+N" else len(inlets))

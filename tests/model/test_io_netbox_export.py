"""NetBox CSV exports (issue #8 point 7): every column and value checked against NetBox's own
import forms and choice lists, taken from netbox-community/netbox (tests/model/data/netbox/
netbox_choices.json names the commits); panel ports, labels over 100 characters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from model.analysis import analyse
from model.catalog import default_catalog
from model.document import Document
from model.io import netbox_export
from model.io.files import load_layout
from model.io.library import catalog_with
from model.io.netbox import import_device_type
from model.io.netbox_export import netbox_label, write_cables_csv, write_devices_csv
from model.layout import Device, LayoutInfo, Rack, Site
from model.topologies import build_sample

DATA = Path(__file__).parent / "data" / "netbox"
HARDWARE = Path(__file__).parents[1] / "data" / "hardware"
CHOICES = json.loads((DATA / "netbox_choices.json").read_text())


def rows(write_fn, *args) -> list[dict[str, str]]:
    handle = io.StringIO()
    write_fn(*args, handle)
    handle.seek(0)
    return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def trn2():
    document = Document(build_sample("trn2-ultra64"))
    return document, analyse(document)


def test_columns_are_fields_of_netbox_import_forms():
    assert set(netbox_export.CABLE_COLUMNS) <= set(CHOICES["CableImportForm"])
    assert set(netbox_export.DEVICE_COLUMNS) <= set(CHOICES["DeviceImportForm"])
    # The columns NetBox requires are all there.
    assert {"side_a_device", "side_a_type", "side_a_name", "side_b_device", "side_b_type", "side_b_name"} <= set(
        netbox_export.CABLE_COLUMNS
    )
    assert {"name", "role", "manufacturer", "device_type", "site", "status"} <= set(netbox_export.DEVICE_COLUMNS)


def test_devices_csv_values(trn2):
    document, _ = trn2
    table = rows(write_devices_csv, document)
    assert list(table[0]) == netbox_export.DEVICE_COLUMNS
    assert len(table) == len(document.devices)
    names = netbox_export.netbox_device_names(document)
    assert names["S1-T1"] == "Server 1 tray 1"  # the hostname people read, unique in the layout
    row = {r["name"]: r for r in table}["Server 1 tray 1"]
    device = document.devices["S1-T1"]
    device_type = document.catalog.devices[device.type]
    assert (row["position"], row["rack"], row["role"]) == (
        str(device.u_position),
        document.device_rack["S1-T1"].label,
        "Compute tray",
    )
    assert (row["device_type"], row["manufacturer"], row["site"]) == (
        device_type.name,
        device_type.manufacturer,
        document.site.name,
    )
    assert {r["status"] for r in table} <= set(CHOICES["DeviceStatusChoices"])
    assert {r["status"] for r in table} == {"planned"}
    assert {r["face"] for r in table} <= set(CHOICES["DeviceFaceChoices"])


def test_cables_csv_values(trn2):
    document, result = trn2
    table = rows(write_cables_csv, result)
    assert list(table[0]) == netbox_export.CABLE_COLUMNS
    assert len(table) == len(document.site.cables)
    types = {"DAC": "dac-passive", "AEC": "dac-active", "AOC": "aoc", "OPTICS": "smf-os2"}
    names = netbox_export.netbox_device_names(document)  # the devices CSV's names
    for i, row in enumerate(table):
        report = result.cable(i)
        assert (row["side_a_device"], row["side_a_name"]) == (names[report.a_end.device], report.a_end.port)
        assert (row["side_b_device"], row["side_b_name"]) == (names[report.b_end.device], report.b_end.port)
        assert row["side_a_type"] == row["side_b_type"] == "dcim.interface"
        assert row["type"] == types[report.medium]
        assert float(row["length"]) == report.ordered_length_m
        # the cable id as the label (the sample's cables have none of the designer's), the ends as the description
        assert (row["label"], row["description"], row["profile"]) == (report.id, report.label, "")
    assert {r["type"] for r in table} <= set(CHOICES["CableTypeChoices"])
    assert {r["status"] for r in table} == {"planned"} <= set(CHOICES["LinkStatusChoices"])
    assert {r["length_unit"] for r in table} == {"m"} <= set(CHOICES["CableLengthUnitChoices"])
    assert {r["side_a_type"] for r in table} | {r["side_b_type"] for r in table} <= set(
        CHOICES["CABLE_TERMINATION_MODELS"]
    )


def test_table_values_are_netbox_choices():
    from model.io.netbox_table import netbox_table

    table = netbox_table()
    assert {entry["value"] for entry in table["cable_types"].values()} <= set(CHOICES["CableTypeChoices"])
    assert set(table["breakout_profiles"].values()) <= set(CHOICES["CableProfileChoices"])
    assert set(netbox_export.TERMINATION.values()) <= set(CHOICES["CABLE_TERMINATION_MODELS"])
    assert set(table["panel_ports"]["types"]) <= set(CHOICES["PortTypeChoices"])
    assert table["limits"]["label"]["value"] == CHOICES["limits"]["Cable.label"]
    assert table["limits"]["description"]["value"] == CHOICES["limits"]["PrimaryModel.description"]


def test_panel_ports_are_front_and_rear_port_terminations():
    path = HARDWARE / "f05" / "panels.json"
    catalog = default_catalog()
    document = Document(load_layout(path, catalog), catalog, check=False)
    by_ends = {(r["side_a_name"], r["side_b_name"]): r for r in rows(write_cables_csv, analyse(document))}
    assert (by_ends[("nic1", "f1")]["side_a_type"], by_ends[("nic1", "f1")]["side_b_type"]) == (
        "dcim.interface",
        "dcim.frontport",
    )
    assert (by_ends[("r1", "r1")]["side_a_type"], by_ends[("r1", "r1")]["side_b_type"]) == (
        "dcim.rearport",
        "dcim.rearport",
    )
    assert (by_ends[("f1", "p1")]["side_a_type"], by_ends[("f1", "p1")]["side_b_type"]) == (
        "dcim.frontport",
        "dcim.interface",
    )


def test_imported_panel_and_pdu_get_their_roles():
    panel = import_device_type(HARDWARE / "f06" / "panel.yaml").device_type
    pdu = import_device_type(HARDWARE / "f06" / "pdu.yaml").device_type
    catalog = catalog_with(default_catalog(), [panel, pdu])
    document = Document(load_layout(HARDWARE / "f06" / "rack.json", catalog), catalog, check=False)
    roles = {r["name"]: r["role"] for r in rows(write_devices_csv, document)}
    assert roles == {"pp1": "Patch panel", "pdu1": "PDU"}


def test_long_labels_are_cut_the_same_way_every_time():
    short = "a" * 100
    assert netbox_label(short) == (short, "")
    long = "R01 U10 gpu-server-with-a-long-hostname:nic1 ↔ R09 U40 leaf-switch-with-an-even-longer-hostname:swp64/2"
    label, description = netbox_label(long)
    assert len(label) == 100 and label.startswith(long[:91]) and label[91] == "~"
    assert description == long
    assert netbox_label(long) == (label, description)
    other = netbox_label(long[:-1] + "3")[0]
    assert other != label and other[:91] == label[:91]
    label, description = netbox_label("x" * 300)
    assert len(label) == 100 and len(description) == 200


def test_cables_csv_writes_long_labels_within_netbox_limits():
    catalog = default_catalog()
    name = "server-" + "x" * 60
    site = Site(
        racks=[
            Rack(id="R1", x_mm=0, y_mm=0, devices=[Device(id=name, type="server-8gpu-800g", u_position=2)]),
            Rack(id="R2", x_mm=600, y_mm=0, devices=[Device(id=name + "b", type="server-8gpu-800g", u_position=2)]),
        ],
        cables=[{"id": "c1", "label": "GPU-A01 U2 " + "x" * 120, "a": f"{name}:nic1", "b": f"{name}b:nic1"}],
    )
    table = rows(write_cables_csv, analyse(Document(site, catalog)))
    assert len(table[0]["label"]) == 100
    assert len(table[0]["description"]) > 100 and table[0]["description"].startswith(table[0]["label"][:91])


def test_devices_are_named_by_hostname_unless_two_share_one():
    site = Site(
        racks=[
            Rack(
                id="R1",
                name="GPU-A01",
                x_mm=0,
                y_mm=0,
                devices=[
                    Device(id="s1", name="gpu-a01-01", type="server-8gpu-800g", u_position=2),
                    Device(id="s2", name="twin", type="server-8gpu-800g", u_position=12),
                    Device(id="s3", name="twin", type="server-8gpu-800g", u_position=22),
                    Device(id="s4", name="s1", type="server-8gpu-800g", u_position=32),  # another device's id
                ],
            )
        ],
        cables=[{"id": "c1", "a": "s1:nic1", "b": "s2:nic1"}],
    )
    document = Document(site, default_catalog())
    assert netbox_export.netbox_device_names(document) == {"s1": "gpu-a01-01", "s2": "s2", "s3": "s3", "s4": "s4"}
    devices = rows(write_devices_csv, document)
    assert [(r["name"], r["rack"]) for r in devices] == [
        ("gpu-a01-01", "GPU-A01"),
        ("s2", "GPU-A01"),
        ("s3", "GPU-A01"),
        ("s4", "GPU-A01"),
    ]
    (cable,) = rows(write_cables_csv, analyse(document))
    assert (cable["side_a_device"], cable["side_b_device"], cable["label"]) == ("gpu-a01-01", "s2", "c1")
    assert cable["description"] == "GPU-A01 U2 gpu-a01-01:nic1 ↔ GPU-A01 U12 twin:nic1"  # ends by the names people read
    document.update_cable("c1", label="GPU-A01-C0001")
    document.site.info = LayoutInfo(site="Ashburn VA1")
    (cable,) = rows(write_cables_csv, analyse(document))
    assert (cable["label"], cable["description"]) == (
        "GPU-A01-C0001",
        "GPU-A01 U2 gpu-a01-01:nic1 ↔ GPU-A01 U12 twin:nic1",
    )
    assert {r["site"] for r in rows(write_devices_csv, document)} == {"Ashburn VA1"}

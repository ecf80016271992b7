"""The NetBox import set (issue #14's "exported to NetBox needs no step the app does not show",
issue #8 point 7): every file NetBox needs, in order; each later file names only rows of the
earlier ones; columns are NetBox's import-form fields; device types re-import to the same ports."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from model.analysis import analyse
from model.document import Document
from model.errors import FileFormatError
from model.io.netbox import import_device_type
from model.io.netbox_import_set import interface_type_slug, slug, write_import_set
from model.layout import Device, LayoutInfo, Rack, Site
from model.topologies import build_sample
from tests.model.test_io_netbox_export import CHOICES

ROOT = Path(__file__).parents[2]
# The import forms' fields, netbox-community/netbox netbox/dcim/forms/bulk_import.py at
# 016a5335aeb1e9ab78bc41ca8f561f4fe97dd187 (SiteImportForm, LocationImportForm, RackImportForm,
# ManufacturerImportForm, DeviceRoleImportForm .Meta.fields).
FORM_FIELDS = {
    "1-sites.csv": {"name", "slug", "status", "region", "group", "tenant", "facility", "time_zone", "description"},
    "2-locations.csv": {"site", "parent", "name", "slug", "status", "tenant", "facility", "description"},
    "3-manufacturers.csv": {"name", "slug", "description"},
    "4-device-roles.csv": {"name", "slug", "color", "vm_role", "config_template", "description"},
    "6-racks.csv": {
        "site", "location", "name", "facility_id", "status", "role", "form_factor", "width", "u_height",
        "outer_width", "outer_depth", "outer_unit", "mounting_depth", "airflow", "description",
    },
}  # fmt: skip


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture
def two_racks_tor() -> Document:
    """#14's flow: two racks in hall DH2 (one in row A), a ToR switch and four servers."""
    site = Site(name="GPU pod 1", info=LayoutInfo(site="AMS1", hall="DH2"))
    site.racks = [Rack(id="R1", name="DH2-GPU01", row="A", x_mm=0, y_mm=0), Rack(id="R2", x_mm=600, y_mm=0)]
    site.racks[0].devices = [Device(id="tor", type="switch-25t6-64x400g-qsfpdd", u_position=44)]
    site.racks[0].devices += [Device(id=f"s{i}", type="generic-server-1u", u_position=i) for i in (1, 2)]
    site.racks[1].devices = [Device(id=f"t{i}", type="generic-server-1u", u_position=i) for i in (1, 2)]
    return Document(site)


def test_the_set_is_every_file_netbox_needs_in_import_order(two_racks_tor, tmp_path):
    written = write_import_set(two_racks_tor, analyse(two_racks_tor), tmp_path / "nb")
    assert [p.name for p in written] == [
        "README.txt", "1-sites.csv", "2-locations.csv", "3-manufacturers.csv", "4-device-roles.csv",
        "5-device-types.yaml", "6-racks.csv", "7-devices.csv", "8-cables.csv",
    ]  # fmt: skip
    readme = written[0].read_text()
    assert "Organization > Sites > Import" in readme and readme.index("1-sites.csv") < readme.index("8-cables.csv")
    for name, allowed in FORM_FIELDS.items():
        header = next(csv.reader(io.StringIO((tmp_path / "nb" / name).read_text())))
        assert set(header) <= allowed, (name, set(header) - allowed)


def test_every_name_a_later_file_uses_is_a_row_of_an_earlier_one(two_racks_tor, tmp_path):
    folder = tmp_path / "nb"
    write_import_set(two_racks_tor, analyse(two_racks_tor), folder)
    sites = {r["name"] for r in read_csv(folder / "1-sites.csv")}
    locations = read_csv(folder / "2-locations.csv")
    makers = {r["name"] for r in read_csv(folder / "3-manufacturers.csv")}
    roles = {r["name"] for r in read_csv(folder / "4-device-roles.csv")}
    types = list(yaml.safe_load_all((folder / "5-device-types.yaml").read_text()))
    racks = read_csv(folder / "6-racks.csv")
    devices = read_csv(folder / "7-devices.csv")
    assert sites == {"AMS1"}
    assert [(r["name"], r["parent"]) for r in locations] == [("DH2", ""), ("A", "DH2")]  # the row inside the hall
    assert {r["status"] for r in locations + racks} == {"planned"}
    assert {t["manufacturer"] for t in types} <= makers
    assert [(r["name"], r["location"]) for r in racks] == [("DH2-GPU01", "A"), ("R2", "DH2")]
    assert {r["form_factor"] for r in racks} == {"4-post-cabinet"} and {r["width"] for r in racks} == {"19"}
    location_names = {r["name"] for r in locations}
    models = {(t["manufacturer"], t["model"]) for t in types}
    for device in devices:
        assert device["site"] in sites and device["role"] in roles
        assert (device["manufacturer"], device["device_type"]) in models
        assert device["rack"] in {r["name"] for r in racks}
        assert device["location"] in location_names | {""}
    assert len(devices) == 5


def test_device_types_use_netbox_values_and_reimport_to_the_same_ports(two_racks_tor, tmp_path):
    folder = tmp_path / "nb"
    write_import_set(two_racks_tor, analyse(two_racks_tor), folder)
    catalog = two_racks_tor.catalog
    for record in yaml.safe_load_all((folder / "5-device-types.yaml").read_text()):
        assert {i["type"] for i in record["interfaces"]} <= set(CHOICES["InterfaceTypeChoices"])
        source = next(t for t in catalog.devices.values() if t.name == record["model"])
        single = tmp_path / f"{record['slug']}.yaml"
        single.write_text(yaml.safe_dump(record, sort_keys=False))
        imported = import_device_type(single).device_type
        assert [(p.name, p.connector, p.rate_gbps, p.lanes) for p in imported.ports] == [
            (p.name, p.connector, p.rate_gbps, p.lanes) for p in source.ports
        ]
        assert imported.u_height == source.u_height


def test_interface_types_follow_rate_lanes_and_protocol():
    catalog = Document(build_sample("trn2-ultra64")).catalog
    osfp_400 = next(p for t in catalog.devices.values() for p in t.ports if (p.connector, p.rate_gbps) == ("OSFP", 400))
    assert interface_type_slug(osfp_400) in {"400gbase-x-osfp", "infiniband-ndr"}
    qsfpdd = catalog.devices["switch-25t6-64x400g-qsfpdd"].ports[0]
    assert interface_type_slug(qsfpdd) == "400gbase-x-qsfpdd"
    nvlink = next(p for t in catalog.devices.values() for p in t.ports if p.protocol == "nvlink")
    assert interface_type_slug(nvlink) in set(CHOICES["InterfaceTypeChoices"])


def test_slugs_are_netbox_slugs():
    assert slug("GPU pod 1 / Hall #2") == "gpu-pod-1-hall-2"
    assert slug("—") == "unnamed"
    assert len(slug("x" * 300)) == 100


def test_a_file_where_the_folder_should_be_is_refused_and_left_alone(two_racks_tor, tmp_path):
    in_the_way = tmp_path / "nb"
    in_the_way.write_text("keep me")
    with pytest.raises(FileFormatError, match="it is a file; give a folder name"):
        write_import_set(two_racks_tor, analyse(two_racks_tor), in_the_way)
    assert in_the_way.read_text() == "keep me"


def test_cli_writes_the_set_and_refuses_stdout(tmp_path):
    layout = tmp_path / "pod.json"
    run = [sys.executable, str(ROOT / "main.py")]
    subprocess.run([*run, "sample", "gb200-nvl72", "--out", str(layout)], check=True, capture_output=True)
    done = subprocess.run([*run, "export", str(layout), "--what", "netbox-set", "--out", str(tmp_path / "nb")],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "wrote 9 files" in done.stderr and (tmp_path / "nb" / "8-cables.csv").exists()
    refused = subprocess.run([*run, "export", str(layout), "--what", "netbox-set", "--out", "-"],
                             capture_output=True, text=True)  # fmt: skip
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "give a folder with --out" in refused.stderr


def test_panels_and_pdus_export_with_netbox_port_outlet_and_power_types(tmp_path):
    # The fresh-user test found 'mpo-16' / 'mpo-12' written for the built-in panels: NetBox knows only 'mpo'.
    from model.catalog import default_catalog
    from model.io.files import load_layout
    from model.io.library import catalog_with

    hardware = Path(__file__).parents[1] / "data" / "hardware"
    imported = [import_device_type(hardware / "f06" / name).device_type for name in ("panel.yaml", "pdu.yaml")]
    catalog = catalog_with(default_catalog(), imported)
    site = load_layout(hardware / "f06" / "rack.json", catalog)
    rack = site.racks[0]
    rack.devices.append(Device(id="pp2", type="patch-panel-1u-mpo12-24", u_position=45))
    rack.devices.append(Device(id="pp3", type="patch-panel-1u-lc-mpo12", u_position=44))
    document = Document(site, catalog)
    write_import_set(document, analyse(document), tmp_path / "nb")
    records = list(yaml.safe_load_all((tmp_path / "nb" / "5-device-types.yaml").read_text()))
    ports = [p for r in records for key in ("front-ports", "rear-ports") for p in r.get(key, [])]
    assert ports and {p["type"] for p in ports} <= set(CHOICES["PortTypeChoices"])
    assert "mpo" in {p["type"] for p in ports}
    pdu = next(r for r in records if r["model"] == next(t.name for t in imported if t.kind == "pdu"))
    assert len(pdu["power-outlets"]) == 2
    assert {o["type"] for o in pdu["power-outlets"]} <= set(CHOICES["PowerOutletTypeChoices"])
    inlets = [p for r in records for p in r.get("power-ports", [])]
    assert {p["type"] for p in inlets if "type" in p} <= set(CHOICES["PowerPortTypeChoices"])


def test_built_in_power_ports_use_netbox_power_port_types():
    catalog = Document(build_sample("trn2-ultra64")).catalog
    from model.io.netbox_import_set import device_type_record

    types = {p["type"] for t in catalog.devices.values() for p in device_type_record(t).get("power-ports", [])}
    assert types and types <= set(CHOICES["PowerPortTypeChoices"])


def test_a_folder_holding_other_files_is_refused_and_our_own_set_is_rewritten(two_racks_tor, tmp_path):
    folder = tmp_path / "nb"
    result = analyse(two_racks_tor)
    write_import_set(two_racks_tor, result, folder)
    assert len(write_import_set(two_racks_tor, result, folder)) == 9  # the same set again: fine
    (folder / "9-front-ports.csv").write_text("stale")
    with pytest.raises(FileFormatError, match=r"it holds other files \(9-front-ports.csv\); give a new or empty"):
        write_import_set(two_racks_tor, result, folder)
    assert (folder / "9-front-ports.csv").read_text() == "stale"
    assert "NetBox 4.6.8 and 4.7.0" in (folder / "README.txt").read_text()


def test_names_longer_than_netbox_takes_are_shortened_alike_in_every_file(tmp_path):
    long_host, long_rack = "h" * 80, "R" * 150  # NetBox: a device name at most 64, a rack name 100
    site = Site(name="long", info=LayoutInfo(site="S" * 120, hall="H"))
    site.racks = [Rack(id="R1", name=long_rack, x_mm=0, y_mm=0)]
    site.racks[0].devices = [
        Device(id="tor", type="switch-25t6-64x400g-qsfpdd", u_position=44, face="rear"),
        Device(id="s1", type="generic-server-1u", u_position=40, name=long_host),
    ]
    from model.layout import Cable

    site.cables = [Cable(id="c1", a="s1:p1", b="tor:p1")]
    document = Document(site)
    folder = tmp_path / "nb"
    write_import_set(document, analyse(document), folder)
    racks, devices = read_csv(folder / "6-racks.csv"), read_csv(folder / "7-devices.csv")
    cables = read_csv(folder / "8-cables.csv")
    sites = read_csv(folder / "1-sites.csv")
    assert len(racks[0]["name"]) == 100 and racks[0]["name"].startswith("R" * 91 + "~")
    assert len(sites[0]["name"]) == 100 and devices[0]["site"] == sites[0]["name"]
    host = next(d["name"] for d in devices if d["name"].startswith("h"))
    assert len(host) == 64 and host.startswith("h" * 55 + "~")
    assert {d["rack"] for d in devices} == {racks[0]["name"]}
    assert cables[0]["side_a_device"] == host

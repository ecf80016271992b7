"""NetBox devicetype-library import: real device files, bad files named by file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.analysis import analyse
from model.catalog import default_catalog
from model.document import Document
from model.errors import CatalogError
from model.io import netbox
from model.io.library import catalog_with
from model.io.netbox import import_device_type
from model.layout import Cable, Device, Rack, Site

DATA = Path(__file__).parent / "data" / "netbox"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "type.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---- import ---------------------------------------------------------------------------
def test_switch_import():
    imported = import_device_type(DATA / "nvidia-sn5600.yaml")
    switch = imported.device_type
    assert (switch.id, switch.name, switch.manufacturer, switch.kind) == ("nvidia-sn5600", "SN5600", "NVIDIA", "switch")
    assert switch.u_height == 2
    assert switch.power_w == 2200
    fabric = [p for p in switch.ports if p.rate_gbps == 800]
    assert len(fabric) == 64 and len(switch.ports) == 65
    assert {(p.connector, p.lanes, p.face) for p in fabric} == {("OSFP", 8, "front")}
    assert switch.port("swp65").connector == "SFP28"
    assert switch.port("eth0") is None  # management port skipped
    assert any("management" in w and "eth0" in w for w in imported.warnings)


def test_ports_spread_evenly_over_the_faceplate():
    switch = import_device_type(DATA / "nvidia-sn5600.yaml").device_type
    xs = sorted({p.x_mm for p in switch.ports})
    ys = sorted({p.y_mm for p in switch.ports})
    # 65 ports 22.58 mm wide (OSFP MSA) need four rows on a 19 in faceplate, as the SN5600 has them
    assert len(ys) == 4
    assert 0 < xs[0] and xs[-1] < 482.6
    gaps = {round(b - a, 1) for a, b in zip(xs, xs[1:])}
    assert len(gaps) == 1
    assert 0 < ys[0] < ys[1] < 2 * 44.45


def test_server_import_skips_unknown_types_and_names_them():
    imported = import_device_type(DATA / "generic-2u-server.yaml")
    server = imported.device_type
    assert server.kind == "server"
    assert [p.name for p in server.ports] == ["ens1f0", "ens1f1"]
    assert {(p.connector, p.rate_gbps, p.lanes, p.face) for p in server.ports} == {("QSFP-DD", 400, 8, "rear")}
    assert any("'10gbase-t'" in w and "eno1, eno2" in w for w in imported.warnings)
    assert any("N+N" in w and "the draw of 1: 1600 W" in w for w in imported.warnings)


def test_imported_type_is_placed_and_cabled():
    switch = import_device_type(DATA / "nvidia-sn5600.yaml").device_type
    catalog = catalog_with(default_catalog(), [switch])
    rack = Rack(
        id="A1",
        x_mm=0,
        y_mm=0,
        devices=[
            Device(id="srv1", type="server-8gpu-800g", u_position=10),
            Device(id="sw1", type=switch.id, u_position=40, face="rear"),
        ],
    )
    site = Site(racks=[rack], cables=[Cable(id="c1", a="srv1:nic1", b="sw1:swp1")])
    result = analyse(Document(site, catalog))
    assert result.cable("c1").medium in ("DAC", "AEC")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("manufacturer: X\nu_height: 1\n", "model is missing"),
        ("model: Y\nu_height: 1\n", "manufacturer is missing"),
        ("manufacturer: X\nmodel: Y\n", "u_height is missing"),
        ("manufacturer: X\nmodel: Y\nu_height: 0\n", "u_height 0: a 0U device"),
        ("manufacturer: X\nmodel: Y\nu_height: 1.5\n", "u_height 1.5 is fractional"),
        ("manufacturer: X\nmodel: Y\nu_height: two\n", "u_height must be a number of rack units"),
        ("manufacturer: X\nmodel: Y\nu_height: 100\n", "taller than any rack"),
        (
            "manufacturer: X\nmodel: Y\nu_height: 1\ninterfaces:\n  - type: 800gbase-x-osfp\n",
            "interfaces[0].name is missing",
        ),
        (
            "manufacturer: X\nmodel: Y\nu_height: 1\ninterfaces:\n  - {name: a, type: 800gbase-x-osfp}\n"
            "  - {name: a, type: 800gbase-x-osfp}\n",
            "interfaces[1].name: 'a' repeats",
        ),
        ("manufacturer: X\nmodel: Y\nu_height: 1\npower-ports:\n  - {name: p, maximum_draw: -5}\n", "maximum_draw"),
        ("- a list\n", "not a NetBox device type"),
        ("model: [unclosed\n", "not valid YAML"),
        ("!!python/object/apply:os.system ['true']\n", "not valid YAML"),
    ],
)
def test_bad_files_name_file_and_field(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(CatalogError) as info:
        import_device_type(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(CatalogError, match="cannot read"):
        import_device_type(tmp_path / "nope.yaml")


def test_slug_is_made_when_absent(tmp_path):
    path = write(tmp_path, "manufacturer: Acme Corp\nmodel: Box 9000/X\nu_height: 1\n")
    imported = import_device_type(path)
    assert imported.device_type.id == "acme-corp-box-9000-x"
    assert imported.device_type.power_w == 0
    assert any("no power port" in w for w in imported.warnings)


def test_interface_table_uses_catalog_connectors():
    table = netbox.netbox_table()["interface_types"]
    catalog_connectors = {p.connector for p in default_catalog().cables.values()}
    assert {"OSFP", "QSFP-DD"} <= {spec["connector"] for spec in table.values()}
    assert table["800gbase-x-osfp"]["connector"] in catalog_connectors
    assert table["400gbase-x-qsfpdd"]["connector"] in catalog_connectors
    assert all(spec["source"] for spec in table.values())

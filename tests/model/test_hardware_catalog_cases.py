"""Hardware cases f03, f04 and f09 (../shared/cases/hardware, copied to tests/data/hardware):
the catalog's QSFP112 products, twin-port OSFP cages and cables, and connector families."""

import json
from pathlib import Path

import pytest

from model.analysis import Analysis
from model.catalog import Catalog, DeviceType, default_catalog, link_products
from model.cli import text_report
from model.errors import LayoutError
from model.io.netbox import import_device_type
from model.layout import Cable, Device
from model.session import Session

DATA = Path(__file__).resolve().parents[1] / "data" / "hardware"


def _catalog_with(*types: DeviceType) -> Catalog:
    catalog = default_catalog()
    return Catalog(devices={**catalog.devices, **{t.id: t for t in types}}, racks=catalog.racks, cables=catalog.cables)


def _imported(case: str, *files: str) -> list[DeviceType]:
    return [import_device_type(DATA / case / name).device_type for name in files]


def test_f03_a_qsfp112_link_gets_a_400g_qsfp112_product_chosen_by_length():
    host = _imported("f03", "nic-host.yaml")[0]
    assert {(p.connector, p.rate_gbps, p.lanes) for p in host.ports} == {("QSFP112", 400, 4)}
    session = Session.open(DATA / "f03" / "pair.json", _catalog_with(host))
    result = session.result
    report = result.cable("c1")
    assert report.rate_gbps == 400
    assert report.product_id == "dac-400g-qsfp112-30awg"  # ~1.0 m run: the thin DAC
    assert report.ordered_length_m == 1.5
    assert result.problems == []
    # By length: moved 38 U higher the run leaves 30 AWG reach and takes the 26 AWG DAC.
    session.document.move_device("h2", "R01", 42)
    longer = session.result.cable("c1")
    assert 2.0 < longer.length_m <= 3.0 and longer.product_id == "dac-400g-qsfp112-26awg"
    assert all(
        p.connector == "QSFP112" for p in default_catalog().cables.values() if p.id.startswith("optics-400g-qsfp112")
    )


def _ndr_switch() -> DeviceType:
    """f04's ndr-switch.yaml through the NetBox import: P1.0 / P1.1 and P2.0 / P2.1 are the two
    400G ports (4 lanes each) of twin-port OSFP cages P1 and P2."""
    return _imported("f04", "ndr-switch.yaml")[0]


def test_f04_two_links_between_two_twin_port_cages_are_one_twin_port_cable():
    switch = _ndr_switch()
    assert [(c.name, c.ports) for c in switch.cages] == [("P1", ("P1.0", "P1.1")), ("P2", ("P2.0", "P2.1"))]
    assert {(p.connector, p.rate_gbps, p.lanes) for p in switch.ports} == {("OSFP", 400, 4)}
    result = Session.open(DATA / "f04" / "link.json", _catalog_with(switch)).result
    c1, c2 = result.cable("c1"), result.cable("c2")
    for report in (c1, c2):
        assert report.rate_gbps == 400
        assert report.product_id == "dac-2x400g-osfp-twin-30awg"
    product = default_catalog().cables["dac-2x400g-osfp-twin-30awg"]
    assert (product.ports_per_end, product.rate_gbps, product.lanes) == (2, 400, 4)  # each port 400G over 4 lanes
    assert "2 x 400G" in product.name
    bom = result.bom
    assert [(line.product_id, line.quantity) for line in bom] == [("dac-2x400g-osfp-twin-30awg", 1)]
    assert bom[0].links_per_cable == 2 and result.to_report_dict()["bom"][0]["links_per_cable"] == 2
    assert "1 x dac-2x400g-osfp-twin-30awg 1.5 m  @ $147.50 = $147.50  (twin-port: each cable carries 2 links)" in (
        text_report(result)
    )
    # One cable bought; each link carries half of its price.
    assert c1.cost_usd + c2.cost_usd == pytest.approx(bom[0].unit_cost_usd)
    assert result.problems == []


def test_f04_a_twin_port_cable_needs_both_ports_of_both_cages():
    switch = _ndr_switch()
    session = Session.open(DATA / "f04" / "link.json", _catalog_with(switch))

    def twin_cables() -> int:
        return sum(line.quantity for line in session.result.bom if line.product_id == "dac-2x400g-osfp-twin-30awg")

    # One link between cages P2: no sibling link, so a single-port 400G cable of its own.
    session.document.connect(Cable(id="c3", a="s1:P2.0", b="s2:P2.0"))
    assert session.result.cable("c3").product_id == "dac-400g-osfp-30awg"
    assert twin_cables() == 1
    # Its sibling joins the same two cages: both links become one twin-port cable.
    session.document.connect(Cable(id="c4", a="s1:P2.1", b="s2:P2.1"))
    assert {session.result.cable(k).product_id for k in ("c3", "c4")} == {"dac-2x400g-osfp-twin-30awg"}
    assert twin_cables() == 2
    assert Analysis(session.document).result.bom == session.result.bom  # live equals fresh
    session.document.disconnect("c4")
    assert session.result.cable("c3").product_id == "dac-400g-osfp-30awg" and twin_cables() == 1


def test_f09_a_100g_qsfp28_host_joins_a_400g_qsfp_dd_port_at_100g():
    host, tor = _imported("f09", "host-qsfp28.yaml", "tor-qsfpdd.yaml")
    result = Session.open(DATA / "f09" / "link.json", _catalog_with(host, tor)).result
    report = result.cable("c1")
    assert report.rate_gbps == 100
    product = default_catalog().cables[report.product_id]
    assert (product.connector, product.rate_gbps, product.lanes) == ("QSFP28", 100, 4)
    assert report.product_id == "dac-100g-qsfp28-26awg"  # a ~4.2 m run in the rack: the 5 m DAC
    assert result.problems == []


def test_f09_families_with_no_real_cable_are_refused_with_the_reason():
    host, tor = _imported("f09", "host-qsfp28.yaml", "tor-qsfpdd.yaml")
    session = Session.open(DATA / "f09" / "link.json", _catalog_with(host, tor))
    document = session.document
    document.place_device("R01", Device(id="h2", type=host.id, u_position=4))
    document.place_device("R01", Device(id="s", type="switch-51t2-64x800g", u_position=20))
    refused = "h2:eth0 and s:p1 cannot be joined: .*a QSFP28 plug fits a OSFP cage only with an OSFP-to-QSFP adapter"
    with pytest.raises(LayoutError, match=refused):
        document.connect(Cable(id="c2", a="h2:eth0", b="s:p1"))
    with pytest.raises(
        LayoutError, match=r"\(h2:eth0: HOST-QSFP28 QSFP28 port; s:p1: NVIDIA Spectrum-4 SN5600 .* OSFP port\)"
    ):
        document.connect(Cable(id="c2", a="h2:eth0", b="s:p1"))  # the device types and ports named
    assert "c2" not in {c.id for c in document.site.cables}


def test_the_products_a_designer_may_pin_follow_the_plug_that_fits_both_cages():
    host, tor = _imported("f09", "host-qsfp28.yaml", "tor-qsfpdd.yaml")
    catalog = _catalog_with(host, tor)
    found = link_products(catalog, tor.port("Ethernet1/1"), host.port("eth0"), 100)
    assert found and {(p.connector, p.rate_gbps, p.lanes) for p in found} == {("QSFP28", 100, 4)}
    qm9700 = catalog.devices["switch-qm9700-64x400g"]
    twin = link_products(catalog, qm9700.port("p1"), qm9700.port("p1"), 400)
    assert "dac-2x400g-osfp-twin-30awg" in {p.id for p in twin} and "dac-400g-osfp-30awg" in {p.id for p in twin}
    nic = catalog.devices["nic-400g-osfp"]
    assert "dac-2x400g-osfp-twin-30awg" not in {
        p.id for p in link_products(catalog, nic.port("p1"), qm9700.port("p1"), 400)
    }
    assert link_products(catalog, host.port("eth0"), catalog.devices["switch-51t2-64x800g"].port("p1"), 100) == []


def _two_racks(*devices: tuple[str, str, int, int]) -> dict:
    """A layout of two touching racks under one tray, holding (id, type, U, rack index) devices."""
    racks = [
        {
            "id": f"R0{i + 1}",
            "x_mm": 600 * i,
            "y_mm": 0,
            "devices": [{"id": d, "type": t, "u_position": u} for d, t, u, r in devices if r == i],
        }
        for i in range(2)
    ]
    return {
        "kind": "rack-designer-layout",
        "schema_version": 1,
        "name": "x",
        "racks": racks,
        "trays": [{"id": "T", "points": [[-1500, 0], [2000, 0]], "elevation_mm": 2450}],
        "cables": [],
    }


def _session(layout: dict, tmp_path: Path, *types: DeviceType) -> Session:
    path = tmp_path / "layout.json"
    path.write_text(json.dumps(layout), encoding="utf-8")
    return Session.open(path, _catalog_with(*types))


def test_f01_an_imported_xdr_port_to_a_q3400_port_resolves_to_an_xdr_product(tmp_path):
    switch = _imported("f01", "ib-switch.yaml")[0]
    xdr = switch.port("p1")
    q3400 = default_catalog().devices["spine-q3400-144x800g"]
    # XDR is 800G over 4 lanes of 200G, on the import and on the built-in Q3400 alike.
    assert (xdr.connector, xdr.rate_gbps, xdr.lanes) == ("OSFP", 800, 4)
    assert {(p.connector, p.rate_gbps, p.lanes, p.lane_rate_gbps) for p in q3400.ports} == {("OSFP", 800, 4, 200)}
    layout = _two_racks(("ib", switch.id, 40, 0), ("q", "spine-q3400-144x800g", 40, 1))
    layout["cables"] = [{"id": "c1", "a": "ib:p1", "b": "q:p1"}]
    result = _session(layout, tmp_path, switch).result
    report = result.cable("c1")
    assert report.rate_gbps == 800 and report.product_id is not None
    product = default_catalog().cables[report.product_id]
    assert (product.connector_key, product.rate_gbps, product.lanes) == ("OSFP", 800, 4)
    assert product.id == "acc-800g-xdr-osfp"  # ~1.3 m between touching racks: XDR linear active copper
    assert result.problems == [] and result.totals["unresolved"] == 0


def test_a_switch_cage_reaches_a_nic_cage_only_through_a_finned_to_flat_top_product(tmp_path):
    # ConnectX-7 and -8 cages are flat-top OSFP-RHS; the Q3400's and QM9700's finned OSFP.
    catalog = default_catalog()
    for type_id in ("server-8gpu-400g", "server-8gpu-800g", "gb200-compute-tray", "gb300-compute-tray"):
        nics = [p for p in catalog.devices[type_id].ports if p.name.startswith("nic")]
        assert nics and {p.connector for p in nics} == {"OSFP-RHS"}, type_id
    layout = _two_racks(
        ("s8", "server-8gpu-800g", 2, 0),
        ("s4", "server-8gpu-400g", 20, 0),
        ("q", "spine-q3400-144x800g", 40, 1),
        ("qm", "switch-qm9700-64x400g", 30, 1),
        ("sn", "switch-51t2-64x800g", 20, 1),
    )
    layout["cables"] = [
        {"id": "xdr", "a": "s8:nic1", "b": "q:p1"},  # ConnectX-8 at XDR: 4 x 200G
        {"id": "eth", "a": "s8:nic2", "b": "sn:p1"},  # ConnectX-8 on an SN5600: 8 x 100G
        {"id": "ndr", "a": "s4:nic1", "b": "qm:p1"},  # ConnectX-7 at NDR: 4 x 100G
    ]
    result = _session(layout, tmp_path).result
    expected = {"xdr": (800, 4), "eth": (800, 8), "ndr": (400, 4)}
    for cable_id, (rate, lanes) in expected.items():
        report = result.cable(cable_id)
        product = catalog.cables[report.product_id]
        assert {product.connector, product.connector_b} == {"OSFP", "OSFP-RHS"}, cable_id
        assert (report.rate_gbps, product.rate_gbps, product.lanes) == (rate, rate, lanes), cable_id
    # Every product a designer may pin there has one finned and one flat-top end.
    pins = link_products(
        catalog,
        catalog.devices["switch-qm9700-64x400g"].port("p1"),
        catalog.devices["server-8gpu-400g"].port("nic1"),
        400,
    )
    assert pins and all({p.connector, p.connector_b} == {"OSFP", "OSFP-RHS"} for p in pins)
    assert "dac-400g-osfp-30awg" not in {p.id for p in pins}  # finned at both ends: no fit in the NIC
    assert result.problems == []


def test_a_product_without_connector_b_is_the_same_at_both_ends():
    old = default_catalog().cables["dac-800g-osfp-30awg"]
    assert old.connector_b is None and old.connector_key == "OSFP"
    mixed = default_catalog().cables["dac-400g-osfp-rhs-30awg"]
    assert mixed.connector_key == "OSFP ↔ OSFP-RHS"
    with pytest.raises(ValueError, match="legs.connector, not connector_b"):
        default_catalog().cables["dac-800g-2x400g-osfp"].model_validate(
            {**default_catalog().cables["dac-800g-2x400g-osfp"].model_dump(), "connector_b": "OSFP-RHS"}
        )

from pathlib import Path

import pytest
import yaml

from model.catalog import Medium, load_catalog
from model.errors import CatalogError
from model.resources import resource_path


def test_shipped_catalog_loads_with_the_required_device_types(catalog):
    kinds = {d.kind for d in catalog.devices.values()}
    assert {"compute_tray", "server", "switch", "nic", "patch_panel", "power_shelf"} <= kinds
    assert catalog.devices["trn2-compute-tray"].accelerators == 2
    assert catalog.devices["gb200-compute-tray"].accelerators == 4
    assert len(catalog.devices["switch-51t2-64x800g"].ports) == 64


def test_every_product_has_sources_and_media(catalog):
    media = {p.medium for p in catalog.cables.values()}
    assert {Medium.DAC, Medium.AEC, Medium.AOC, Medium.OPTICS} <= media
    for product in catalog.cables.values():
        assert "reach_m" in product.sources and "cost" in product.sources


def test_dac_is_fatter_than_aec_at_800g(catalog):
    dac = catalog.cables["dac-800g-osfp-26awg"]
    aec = catalog.cables["aec-800g-osfp-32awg-7m"]
    assert dac.gauge_awg == 26 and aec.gauge_awg == 32
    assert dac.od_mm > aec.od_mm and dac.min_bend_radius_mm > aec.min_bend_radius_mm


def test_ordered_length_rounds_up(catalog):
    thin = catalog.cables["dac-800g-osfp-30awg"]
    assert thin.ordered_length_m(1.2) == 1.5
    assert thin.ordered_length_m(2.01) is None  # NVIDIA: 30 AWG to 2 m
    thick = catalog.cables["dac-800g-osfp-26awg"]
    assert thick.ordered_length_m(1.2) == 2.5  # 26 AWG is sold at 2.5 and 3 m
    assert thick.ordered_length_m(3.01) is None
    optics = catalog.cables["optics-800g-dr8-smf"]
    assert optics.ordered_length_m(12.2) == 13


def test_nic_ports_expand_into_the_server(catalog):
    server = catalog.devices["server-8gpu-800g"]
    assert [p.name for p in server.ports] == [f"nic{i}" for i in range(1, 9)]
    assert [p.accelerator for p in server.ports] == list(range(8))


def _write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def test_a_product_without_a_source_is_refused(tmp_path):
    data = yaml.safe_load(resource_path("catalog", "cables.yaml").read_text())
    del data["products"][0]["sources"]["reach_m"]
    cables = _write(tmp_path, "cables.yaml", data)
    with pytest.raises(CatalogError, match="no source for reach_m"):
        load_catalog(cables_path=cables)


def test_broken_yaml_names_the_file(tmp_path):
    cables = _write(tmp_path, "cables.yaml", "products: [ {id: x\n")
    with pytest.raises(CatalogError, match="cables.yaml: not valid YAML"):
        load_catalog(cables_path=cables)


def test_a_negative_reach_names_the_field(tmp_path):
    data = yaml.safe_load(resource_path("catalog", "cables.yaml").read_text())
    data["products"][1]["reach_m"] = -2
    cables = _write(tmp_path, "cables.yaml", data)
    with pytest.raises(CatalogError, match="reach_m"):
        load_catalog(cables_path=cables)


def test_every_built_in_type_has_power_ports_that_add_up_to_its_power():
    """Issue #8: each built-in type lists its supplies (NetBox power ports) with a redundancy;
    their allocated draws add up to power_w, the figure the rack budget check sums, and the
    supplies that must work can carry it. NIC cards (fed by their slot) and passive panels have none."""
    catalog = load_catalog()
    for device in catalog.devices.values():
        inlets = [p for p in device.power_ports if p.kind == "inlet"]
        if device.kind in ("nic", "patch_panel"):
            assert inlets == [], device.id
            continue
        assert inlets and device.power_redundancy in ("N", "N+1", "N+N"), device.id
        assert "power_ports" in device.sources, device.id
        assert sum(p.allocated_draw_w or 0 for p in inlets) == pytest.approx(device.power_w, abs=0.1), device.id
        largest = max(p.maximum_draw_w or 0 for p in inlets)
        carried = device.supply_w if device.kind == "power_shelf" else device.power_w
        needed = len(inlets) if device.kind == "power_shelf" else device.supplies_needed
        assert needed * largest >= carried, device.id
    q3400 = catalog.devices["spine-q3400-144x800g"]
    # The devicetype-library's Q3400-RA: 8 x 875 W supplies as 4 + 4.
    assert (len(q3400.power_ports), q3400.power_redundancy, q3400.supplies_needed, q3400.power_w) == (8, "N+N", 4, 3500)
    server = catalog.devices["server-8gpu-400g"]
    assert (len(server.power_ports), server.power_redundancy, server.supplies_needed) == (6, "N+1", 5)


def test_a_built_in_pdu_with_its_inlet_and_outlets():
    # Issue #8 point 5 asks for a PDU among the device types (figures from the devicetype-library's AP7900B).
    pdu = load_catalog().devices["pdu-1u-apc-ap7900b"]
    assert (pdu.kind, pdu.u_height, pdu.supply_w, pdu.power_w) == ("pdu", 1, 1440, 0)
    inlets = [p for p in pdu.power_ports if p.kind == "inlet"]
    outlets = [p for p in pdu.power_ports if p.kind == "outlet"]
    assert [(p.connector, p.maximum_draw_w) for p in inlets] == [("nema-l5-20p", 1440)]
    assert len(outlets) == 8 and {p.connector for p in outlets} == {"nema-5-15r"}
    assert pdu.estimated_figures == ["depth_mm"]

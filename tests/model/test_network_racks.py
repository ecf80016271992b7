"""Network racks: a switch's draw with the hungriest cable end each of its ports can take."""

import pytest

from model.catalog import default_catalog
from model.topologies.network_racks import port_products, switch_power_w


def test_a_port_takes_the_products_whose_plug_fits_its_cage():
    catalog = default_catalog()
    qsfpdd = catalog.devices["switch-25t6-64x400g-qsfpdd"].port("p1")
    found = {p.id for p in port_products(catalog, qsfpdd)}
    assert "dac-100g-qsfp28-26awg" in found  # a QSFP28 plug goes into a QSFP-DD cage (model.connectors)
    assert all(catalog.cables[p].connector in ("QSFP-DD", "QSFP28", "QSFP56", "QSFP112") for p in found)
    osfp = catalog.devices["switch-51t2-64x800g"].port("p1")
    found = {p.id for p in port_products(catalog, osfp)}
    assert "aec-800g-2x400g-osfp" in found  # a breakout from it
    assert not any(catalog.cables[p].connector != "OSFP" for p in found)


def test_blind_mate_cartridge_ports_draw_nothing_for_their_cables():
    # The NVLink switch tray's 72 ports go into the rack's passive cable cartridge: 0 W cables.
    catalog = default_catalog()
    tray = catalog.devices["nvlink-switch-tray"]
    assert {p.pathway for p in tray.ports} == {"cartridge"}
    assert switch_power_w(tray, catalog) == pytest.approx(tray.power_w)


def test_a_breakout_end_is_its_power_over_its_ends():
    catalog = default_catalog()
    port = catalog.devices["switch-51t2-64x800g"].port("p1")
    products = port_products(catalog, port)
    hungriest = max(p.power_w / (2 if p.legs is None else 1 + p.legs.count) for p in products)
    switch = catalog.devices["switch-51t2-64x800g"]
    assert switch_power_w(switch, catalog) == pytest.approx(switch.power_w + len(switch.ports) * hungriest)

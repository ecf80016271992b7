"""The catalog's products and their figures: each with its source, estimates marked and shown."""

import pytest

from model.catalog import CableProduct, default_catalog
from model.cli import text_report
from model.session import Session
from tests.model.test_hardware_catalog_cases import DATA, _catalog_with, _imported


@pytest.fixture(scope="module")
def cables() -> dict[str, CableProduct]:
    return default_catalog().cables


def test_800g_dac_reach_is_the_vendors(cables):
    thin, thick = cables["dac-800g-osfp-30awg"], cables["dac-800g-osfp-26awg"]
    assert (thin.gauge_awg, thin.reach_m, thin.lengths_m[-1]) == (30, 2.0, 2.0)  # NVIDIA: 30 AWG to 2 m
    assert (thick.gauge_awg, thick.reach_m, thick.lengths_m) == (26, 3.0, [2.5, 3.0])  # 26 AWG 2.5-3 m


def test_800g_aoc_power_is_two_modules(cables):
    assert cables["aoc-800g-osfp"].power_w == 30.0  # 15 W per SR8-class module (DOMAIN.md B3), one per end


@pytest.mark.parametrize(
    ("product_id", "medium", "rate", "connector", "reach"),
    [
        ("acc-800g-osfp-30awg", "AEC", 800, "OSFP", 4.0),
        ("acc-800g-osfp-26awg", "AEC", 800, "OSFP", 5.0),
        ("optics-800g-sr8-mmf", "OPTICS", 800, "OSFP", 50.0),
        ("optics-800g-dr8-smf", "OPTICS", 800, "OSFP", 500.0),
        ("optics-800g-2xfr4-smf", "OPTICS", 800, "OSFP", 2000.0),
        ("optics-1p6t-dr8-smf", "OPTICS", 1600, "OSFP", 500.0),
        ("dac-400g-qsfp112-30awg", "DAC", 400, "QSFP112", 2.0),
        ("aec-400g-qsfp112-32awg", "AEC", 400, "QSFP112", 7.0),
        ("aoc-400g-qsfp112", "AOC", 400, "QSFP112", 50.0),
        ("optics-400g-qsfp112-sr4-mmf", "OPTICS", 400, "QSFP112", 50.0),
        ("optics-400g-qsfp112-dr4-smf", "OPTICS", 400, "QSFP112", 500.0),
        ("dac-100g-qsfp28-26awg", "DAC", 100, "QSFP28", 5.0),
    ],
)
def test_new_products_and_their_sources(cables, product_id, medium, rate, connector, reach):
    product = cables[product_id]
    assert (product.medium.value, product.rate_gbps, product.connector, product.reach_m) == (
        medium,
        rate,
        connector,
        reach,
    )
    assert product.sources["reach_m"] and product.sources["power_w"] and product.sources["cost"]


def test_linear_active_copper_covers_3_to_5_m(cables):
    lacc = [cables["acc-800g-osfp-30awg"], cables["acc-800g-osfp-26awg"]]
    assert sorted(length for p in lacc for length in p.lengths_m) == [3.0, 4.0, 5.0]
    assert all(p.power_w == 3.0 for p in lacc)  # NVIDIA MCA7J70: 1.5 W per end


def test_the_nvlink_aec_is_marked_estimated(cables):
    aec = cables["aec-nvlink-800g-32awg"]
    assert aec.estimated and {"power_w", "cost"} <= set(aec.estimated_figures)


def test_every_estimated_source_shows_in_the_mark():
    catalog = default_catalog()
    for item in [*catalog.cables.values(), *catalog.devices.values()]:
        guessed = [k for k, text in item.sources.items() if text.lower().startswith("estimated")]
        assert item.estimated_figures == (guessed or (["all"] if item.estimated else [])), item.id
    assert catalog.devices["switch-qm9700-64x400g"].estimated
    assert catalog.cables["optics-800g-dr8-smf"].estimated_figures == []  # every figure from a datasheet


def test_reports_show_which_figures_are_estimates():
    host = _imported("f03", "nic-host.yaml")[0]
    result = Session.open(DATA / "f03" / "pair.json", _catalog_with(host)).result
    line = result.bom[0]
    assert line.product_id == "dac-400g-qsfp112-30awg" and line.estimated == ("od_mm",)
    bom = result.to_report_dict()["bom"]
    assert bom[0]["estimated"] == ["od_mm"]
    assert "x dac-400g-qsfp112-30awg 1.5 m  @ $82.50 = $82.50  (estimated: od_mm)" in text_report(result)

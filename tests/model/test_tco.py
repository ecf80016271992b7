"""Cost of ownership year by year: purchase + years x (energy + replacements)."""

from __future__ import annotations

import pytest

from model.analysis import analyse
from model.catalog import default_catalog
from model.document import Document
from model.tco import failure_rate, tco_by_year
from model.topologies import build_sample


def test_failure_rates_are_data_with_sources_and_optics_fail_more_than_copper():
    catalog = default_catalog()
    rates = {p.medium.value: failure_rate(p) for p in catalog.cables.values()}
    assert rates["DAC"][0] < rates["AEC"][0] < rates["AOC"][0] <= rates["OPTICS"][0]
    assert all(source.startswith("estimated:") for _, source in rates.values())


def test_cumulative_costs_follow_the_formula():
    site = build_sample("trn2-ultra64")
    result = analyse(Document(site, default_catalog(), check=False))
    tco = tco_by_year(result)
    assert tco.years == list(range(1, 9))
    s = site.settings
    aec = tco.parts["AEC"]
    assert aec.count == 64 and aec.purchase_usd == pytest.approx(result.by_medium["AEC"].cost_usd)
    assert aec.energy_usd_per_year == pytest.approx(
        result.by_medium["AEC"].power_w / 1000 * 8760 * s.pue * s.energy_usd_per_kwh
    )
    assert aec.replacement_usd_per_year == pytest.approx(0.003 * aec.purchase_usd)
    assert tco.by_medium["AEC"][7] == pytest.approx(
        aec.purchase_usd + 8 * (aec.energy_usd_per_year + aec.replacement_usd_per_year)
    )
    assert tco.total == pytest.approx([a + b for a, b in zip(tco.by_medium["AEC"], tco.by_medium["DAC"])])
    assert set(tco.as_dict()) == {"years", "by_medium", "total"}


def test_a_fractional_horizon_ends_the_last_year_there():
    site = build_sample("trn2-ultra64")
    site.settings.tco_years = 2.5
    tco = tco_by_year(analyse(Document(site, default_catalog(), check=False)))
    assert tco.years == [1, 2, 3]
    part = tco.parts["AEC"]
    assert tco.by_medium["AEC"][2] == pytest.approx(part.at(2.5))


def test_scale_out_optics_cost_more_than_aec_by_the_last_year():
    # The report's optics vs AEC cost-of-ownership picture, drawn from a scale-out layout (XDR
    # InfiniBand by default: its long runs are single-mode transceivers, NVIDIA sells no XDR AOC).
    result = analyse(Document(build_sample("scaleout-pod"), default_catalog(), check=False))
    tco = tco_by_year(result)
    assert tco.by_medium["OPTICS"][-1] > tco.by_medium["AEC"][-1]
    assert result.to_report_dict(with_cables=False)["tco_by_year"] == tco.as_dict()


def test_the_tco_objective_counts_replacements_as_the_tco_figures_do():
    from model.analysis import Analysis
    from model.catalog import default_catalog
    from tests.model.builders import cable, place, two_rows

    def chosen(afr_percent: float | None) -> str:
        catalog = default_catalog()
        products = dict(catalog.cables)
        for pid, product in products.items():
            if product.medium.value == "AEC" and afr_percent is not None:
                sources = {**product.sources, "afr_percent": "test: a failure-prone AEC"}
                products[pid] = product.model_copy(update={"afr_percent": afr_percent, "sources": sources})
        doc = two_rows(racks_per_row=3)
        doc.set_catalog(catalog.model_copy(update={"cables": products}))
        place(doc, "R1-1", "a", "switch-51t2-64x800g", 30)
        place(doc, "R1-3", "b", "switch-51t2-64x800g", 30)
        cable(doc, "c", "a:p1", "b:p1")
        doc.update_settings(objective="tco")
        return Analysis(doc).result.cable("c").medium

    assert chosen(None) == "AEC"  # ~5 m: the AEC is cheapest to own at its estimated failure rate
    # An AEC that fails every year costs its price again each year: optics own cheaper.
    assert chosen(100.0) != "AEC"

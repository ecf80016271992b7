"""Scenarios: overrides laid on copies of the site and catalog, analysed by the same engine."""

from __future__ import annotations

import pytest

from model.catalog import default_catalog
from model.errors import LayoutError
from model.layout import ProductOverride, Scenario, Site
from model.scenarios import analyse_applied, apply_scenario, scenario_named
from model.topologies import build_sample


@pytest.fixture(scope="module")
def trn2() -> Site:
    return build_sample("trn2-ultra64")


@pytest.fixture(scope="module")
def nvl72() -> Site:
    return build_sample("gb200-nvl72")


def test_the_base_is_the_layout_unchanged(trn2):
    catalog = default_catalog()
    applied = apply_scenario(trn2, catalog, None)
    assert applied.site is trn2 and applied.catalog is catalog and applied.name == "base"


def test_nvl72_rewired_with_aec_gives_the_reports_4_5_per_gpu(nvl72):
    # The report's "NVL72 rewired with AEC, NVSwitch kept": 7,200 / 1,600 = 4.5 x 1.6T per B200.
    catalog = default_catalog()
    before = [c.model_dump() for c in nvl72.cables]
    applied = apply_scenario(nvl72, catalog, Scenario(name="aec", medium_policy="copper-aec"))
    result = analyse_applied(applied)
    assert result.totals["by_medium"]["AEC"] == 648 and result.totals["by_medium"]["DAC"] == 0
    assert result.equivalent_per_accelerator["1600"] == pytest.approx(4.5)
    assert not result.problems
    # The cartridge has no AEC: the policy rewires those ports as plugged cables, and says so.
    assert any("cartridge" in note and "rewired" in note for note in applied.notes)
    assert [c.model_dump() for c in nvl72.cables] == before  # the layout itself is untouched
    assert all(
        p.pathway == "cartridge"
        for p in catalog.devices[nvl72.racks[0].devices[0].type].ports
        if p.connector == "NVLINK"
    )


def test_trn2_copper_as_aec_gives_one_aec_per_chip_pair_link(trn2):
    result = analyse_applied(apply_scenario(trn2, default_catalog(), Scenario(name="aec", medium_policy="copper-aec")))
    assert result.totals["by_medium"]["AEC"] == 160
    assert result.attach_ratios["AEC"] == pytest.approx(2.5)
    assert result.equivalent_per_accelerator["800"] == pytest.approx(3.0)


def test_all_optical_leaves_no_copper(trn2):
    applied = apply_scenario(trn2, default_catalog(), Scenario(name="opt", medium_policy="all-optical"))
    result = analyse_applied(applied)
    assert result.totals["by_medium"]["DAC"] == result.totals["by_medium"]["AEC"] == 0
    assert result.totals["by_medium"]["AOC"] + result.totals["by_medium"]["OPTICS"] == 160
    assert any("automatic" in note for note in applied.notes)  # the AEC pins gave way


def test_lane_rate_200_moves_ports_with_products_and_says_which_stay(trn2):
    catalog = default_catalog()
    applied = apply_scenario(trn2, catalog, Scenario(name="200G", lane_rate_gbps=200))
    result = analyse_applied(applied)
    assert set(result.state.compiled.rate.tolist()) == {1600.0}
    # 1.6T DAC reaches 1 m and is too fat for the managers: the DAC runs become AEC.
    assert result.totals["by_medium"]["DAC"] == 0 and result.totals["unresolved"] == 0
    assert all("kept their rate" in note for note in applied.notes)


def test_settings_trays_and_product_edits(trn2):
    catalog = default_catalog()
    scenario = Scenario(
        name="s",
        objective="power",
        service_slack_m=1.0,
        tray_elevation_mm=3000,
        products=[ProductOverride(product="aoc-800g-osfp", fixed_usd=10, per_m_usd=0, power_w=1, afr_percent=9)],
    )
    applied = apply_scenario(trn2, catalog, scenario)
    assert applied.site.settings.objective == "power" and applied.site.settings.service_slack_m == 1.0
    assert all(t.elevation_mm == 3000 for t in applied.site.trays)
    product = applied.catalog.cables["aoc-800g-osfp"]
    assert (product.cost.fixed_usd, product.power_w, product.afr_percent) == (10, 1, 9)
    assert product.sources["afr_percent"] == "scenario 's'"
    assert catalog.cables["aoc-800g-osfp"].cost.fixed_usd != 10 and trn2.settings.objective == "cost"


def test_a_product_edit_of_an_unknown_product_is_refused_by_name(trn2):
    scenario = Scenario(name="s", products=[ProductOverride(product="no-such", power_w=1)])
    with pytest.raises(LayoutError, match="'no-such'"):
        apply_scenario(trn2, default_catalog(), scenario)


def test_scenarios_are_stored_in_the_layout_with_unique_names():
    site = Site(scenarios=[{"name": "a", "medium_policy": "copper-aec"}])
    assert scenario_named(site, "a").medium_policy == "copper-aec" and scenario_named(site, "base") is None
    with pytest.raises(LayoutError):
        scenario_named(site, "b")
    with pytest.raises(ValueError, match="repeat"):
        Site(scenarios=[{"name": "a"}, {"name": "a"}])
    with pytest.raises(ValueError, match="base"):
        Site(scenarios=[{"name": "Base"}])
    with pytest.raises(ValueError):
        Site(scenarios=[{"name": "a", "lane_rate_gbps": float("inf")}])


def test_scenario_commands_undo_and_redo_through_the_session():
    from model.commands_scenarios import add_scenario, remove_scenario
    from model.document import Document
    from model.session import Session

    session = Session(Document(build_sample("trn2-ultra64")))
    session.apply(add_scenario(session.document, Scenario(name="a", medium_policy="copper-aec")))
    with pytest.raises(LayoutError):
        add_scenario(session.document, Scenario(name="a"))
    session.undo()
    assert session.document.site.scenarios == []
    session.redo()
    session.apply(remove_scenario(session.document, "a"))
    assert session.document.site.scenarios == []
    session.undo()
    assert [s.name for s in session.document.site.scenarios] == ["a"]


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(name="optics", medium_policy="all-optical"),
        Scenario(name="copper", medium_policy="copper-aec"),
        Scenario(name="power", objective="power", service_slack_m=1.0),
    ],
)
def test_a_scenario_analysed_with_its_bases_lookups_copied_is_the_same(scenario):
    """The app's scenario shown copies the base document's cable lookups (the same cables,
    the same ends: ~0.7 s of a ~2 s analysis at 300,000 cables) instead of indexing again."""
    import numpy as np

    from model.document import Document

    site = build_sample("trn2-ultra64")  # its own: the base is edited below
    base = Document(site)
    applied = apply_scenario(site, base.catalog, scenario)
    built, copied = analyse_applied(applied), analyse_applied(applied, base=base)
    assert list(copied.cable_ids) == list(built.cable_ids) and copied.totals == built.totals
    assert np.array_equal(np.asarray(copied.length_m), np.asarray(built.length_m), equal_nan=True)
    assert np.array_equal(np.asarray(copied.medium_code), np.asarray(built.medium_code))
    fresh = Document(applied.site, applied.catalog, check=False)
    taken = Document(applied.site, applied.catalog, check=False, index_cables=False)
    assert taken.take_cable_lookups(base)
    assert (taken.cables, taken.port_use, taken.device_cables) == (fresh.cables, fresh.port_use, fresh.device_cables)
    # Copies: an edit of the base after it leaves them alone.
    gone = next(iter(base.cables))
    ends = base.cables[gone].refs
    base.disconnect(gone)
    assert all(taken.port_use[ref] == gone for ref in ends)
    assert any(gone in ids for ids in taken.device_cables.values())


def test_lookups_are_built_not_copied_for_cables_that_differ(trn2):
    from model.document import Document

    base = Document(trn2)
    other = trn2.model_copy(update={"cables": trn2.cables[1:]})
    taken = Document(other, base.catalog, check=False, index_cables=False)
    assert not taken.take_cable_lookups(base)
    assert trn2.cables[0].id not in taken.cables and len(taken.port_use) == len(base.port_use) - 2  # built when read

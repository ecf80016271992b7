"""Designs side by side: `compare` on the command line, what-if expressions, comparison rows."""

from __future__ import annotations

import json

import pytest

from model.catalog import default_catalog
from model.cli import run_cli
from model.compare import WhatIfError, compare_layout, compare_rows, format_delta, parse_what_if
from model.io.files import load_layout, save_layout
from model.layout import Scenario
from model.topologies import build_sample


def cli(*args, capsys):
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sample_file(tmp_path, capsys):
    def make(name: str):
        path = tmp_path / f"{name}.json"
        assert cli("sample", name, "--out", path, capsys=capsys)[0] == 0
        return path

    return make


def test_nvl72_copper_as_aec_gives_648_aec_and_4_5_per_gpu(sample_file, capsys):
    code, out, err = cli(
        "compare", sample_file("gb200-nvl72"), "--what-if", "copper=AEC", "--format", "json", capsys=capsys
    )
    assert code == 0 and err == ""
    base, aec = json.loads(out)["scenarios"]
    assert base["name"] == "base" and base["overrides"] == {}
    assert aec["name"] == "copper=AEC" and aec["overrides"] == {"medium_policy": "copper-aec"}
    assert aec["totals"]["by_medium"]["AEC"] == 648
    assert aec["equivalent_per_accelerator"]["1600"] == 4.5
    assert aec["problems"] == [] and any("rewired" in n for n in aec["notes"])
    assert set(aec["totals"]) == set(
        json.loads(cli("report", sample_file("gb200-nvl72"), "--format", "json", capsys=capsys)[1])["totals"]
    )


def test_trn2_copper_as_aec_and_lane_rate_200(sample_file, capsys):
    path = sample_file("trn2-ultra64")
    code, out, _ = cli(
        "compare", path, "--what-if", "copper=AEC", "--what-if", "lane-rate=200", "--format", "json", capsys=capsys
    )
    base, aec, fast = json.loads(out)["scenarios"]
    assert aec["totals"]["by_medium"]["AEC"] == 160 and aec["attach_ratios"]["AEC"] == 2.5
    assert aec["equivalent_per_accelerator"]["800"] == 3.0
    # Which runs change medium at 200G per lane, and why: the engine's reason for the new choice.
    change = fast["medium_changes"][0]
    assert (change["from"], change["to"], change["count"]) == ("DAC", "AEC", 96)
    assert "DAC" in change["reason"] and "AEC" in change["reason"]
    years = fast["tco_by_year"]
    assert years["years"] == list(range(1, 9)) and len(years["total"]) == 8
    code, text, _ = cli("compare", path, "--what-if", "lane-rate=200", capsys=capsys)
    assert code == 0 and "96 run(s) DAC -> AEC" in text and "== lane-rate=200" in text


def test_the_text_names_each_what_if_as_a_person_writes_it(sample_file, capsys):
    """A price what-if's header read "(products=[{'product': …, 'fixed_usd': 500.0, …}])"."""
    path = sample_file("trn2-ultra64")
    code, text, _ = cli(
        "compare", path, "--what-if", "price:aec-800g-osfp-32awg-5m=500", "--what-if", "copper=AEC", capsys=capsys
    )
    assert code == 0
    assert "== price:aec-800g-osfp-32awg-5m=500  (aec-800g-osfp-32awg-5m: fixed_usd=500, per_m_usd=0)" in text
    assert "== copper=AEC  (medium_policy=copper-aec)" in text
    assert "[{" not in text and "'product'" not in text


@pytest.mark.parametrize(
    "expression", ["copper", "foo=1", "lane-rate=fast", "objective=speed", "afr:aoc-800g-osfp=-1", "price:x y=3"]
)
def test_a_bad_what_if_is_one_line_naming_it_and_exit_2(sample_file, capsys, expression):
    code, out, err = cli("compare", sample_file("trn2-ultra64"), "--what-if", expression, capsys=capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and repr(expression) in err


def test_an_unknown_product_is_named(sample_file, capsys):
    code, _, err = cli("compare", sample_file("trn2-ultra64"), "--what-if", "price:nope=3", capsys=capsys)
    assert code == 2 and "'nope'" in err and err.count("\n") == 1


def test_the_files_scenarios_are_compared_after_the_base(tmp_path, capsys):
    site = build_sample("trn2-ultra64")
    site.scenarios = [Scenario(name="optics", medium_policy="all-optical")]
    save_layout(site, tmp_path / "s.json")
    code, out, _ = cli("compare", tmp_path / "s.json", "--what-if", "objective=tco", "--format", "json", capsys=capsys)
    names = [s["name"] for s in json.loads(out)["scenarios"]]
    assert code == 0 and names == ["base", "optics", "objective=tco"]
    assert load_layout(tmp_path / "s.json").scenarios[0].medium_policy == "all-optical"


def test_what_if_expressions():
    assert parse_what_if("optical=all").medium_policy == "all-optical"
    assert parse_what_if("lane-rate=200G").lane_rate_gbps == 200
    assert parse_what_if("objective=TCO").objective == "tco"
    edit = parse_what_if("price:aec-800g-osfp-32awg-5m=450").products[0]
    assert (edit.product, edit.fixed_usd, edit.per_m_usd) == ("aec-800g-osfp-32awg-5m", 450, 0)
    assert parse_what_if("afr:aoc-800g-osfp=3").products[0].afr_percent == 3
    with pytest.raises(WhatIfError, match="'lane-rate=0'"):
        parse_what_if("lane-rate=0")


def test_rows_show_differences_to_the_base():
    site = build_sample("trn2-ultra64")
    items = compare_layout(site, default_catalog(), [parse_what_if("optical=all")])
    rows = {row.label: row.values for row in compare_rows(items)}
    assert rows["AOC cables"] == [0, 160] and rows["Cables"] == [160, 160]
    tco = next(v for label, v in rows.items() if label.startswith("Cost of ownership"))
    assert tco[1] > tco[0]
    assert (
        format_delta(160, 0, ",.0f") == "+160"
        and format_delta(0, 96, ",.0f") == "−96"
        and format_delta(1, 1, ".2f") == ""
    )


def test_compare_what_applies_leaves_out_the_scenarios_that_cannot_be_applied():
    """The Compare panel's analysis: the base and every scenario that applies, in order, and
    a refusal naming each that does not (compare_layout, the command line's, refuses whole)."""
    from model.compare import compare_what_applies
    from model.document import Document
    from model.errors import LayoutError
    from model.layout import Scenario
    from model.topologies import build_sample

    site = build_sample("trn2-ultra64")
    site.scenarios = [
        Scenario.model_validate({"name": "bogus", "products": [{"product": "NO-SUCH", "fixed_usd": 1}]}),
        Scenario(name="optics", medium_policy="all-optical"),
    ]
    catalog = Document().catalog
    items, refused = compare_what_applies(site, catalog)
    assert [i.name for i in items] == ["base", "optics"]
    assert {name: str(e) for name, e in refused.items()} == {
        "bogus": "scenarios: scenario 'bogus': no cable product 'NO-SUCH' in the catalog"
    }
    with pytest.raises(LayoutError, match="NO-SUCH"):
        compare_layout(site, catalog)

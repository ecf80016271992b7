"""The printed report's cost-of-ownership page and, for a layout with scenarios, its comparison page."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from gui.printing import ReportDocument, write_report_pdf
from gui.report.tco import ComparisonPage, TcoPage
from model.analysis import Analysis
from model.document import Document
from model.layout import Scenario
from model.tco import tco_by_year
from model.topologies import build_sample


def pages_of(site):
    result = Analysis(Document(site)).result
    return result, ReportDocument(result).pages


def test_a_layout_without_scenarios_gets_the_cost_of_ownership_page_only(qapp):
    result, pages = pages_of(build_sample("trn2-ultra64"))
    tco_pages = [p for p in pages if isinstance(p, TcoPage)]
    assert len(tco_pages) == 1 and not any(isinstance(p, ComparisonPage) for p in pages)
    table = tco_pages[0].table
    tco = tco_by_year(result)
    assert [row[0] for row in table.rows] == [str(y) for y in tco.years]
    assert table.rows[-1][-1] == f"{tco.total[-1]:,.0f}"


def test_scenarios_get_a_comparison_page_in_the_pdf(qapp, tmp_path):
    site = build_sample("trn2-ultra64")
    site.scenarios = [Scenario(name="copper as AEC", medium_policy="copper-aec")]
    result, pages = pages_of(site)
    page = next(p for p in pages if isinstance(p, ComparisonPage))
    assert [c.title for c in page.table.columns] == ["Figure", "base", "copper as AEC"]
    rows = {row[0]: row[1:] for row in page.table.rows}
    assert rows["AEC cables"] == ("64", "160 (+96)")
    pdf = tmp_path / "r.pdf"
    write_report_pdf(result, pdf)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Scenarios compared with the base" in text and "Cost of ownership, cumulative" in text

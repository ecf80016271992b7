"""The title block on every page of the PDF report: the layout's name, site and hall,
revision and date, author, and page n of N, read back with pdftotext; and a rename through
File → Properties reaching it."""

from __future__ import annotations

import datetime

from gui.printing import ReportOptions, write_report_pdf
from gui.report.title_block import TitleBlock
from model.commands_naming import SetLayoutProperties
from model.document import Document
from model.session import Session
from model.topologies import build_sample
from tests.gui.test_printing import page_texts

DAY = datetime.date(2026, 11, 30)


def test_every_page_has_the_title_block(qapp, tmp_path):
    session = Session(Document(build_sample("trn2-ultra64")))
    info = {"site": "Ashburn", "hall": "DH2", "author": "A. Designer", "revision": "C", "date": "2026-11-29"}
    session.apply(SetLayoutProperties(session.document, name="Pod 7", info=info))
    pdf = tmp_path / "pod7.pdf"
    write_report_pdf(session.result, pdf, ReportOptions(date=DAY, labels=False))
    texts = page_texts(pdf)
    assert len(texts) > 5
    for n, text in enumerate(texts, start=1):
        tail = text[-220:]
        assert "Layout Pod 7 — Ashburn · DH2" in tail, f"page {n}"
        assert "Revision C · 2026-11-29" in tail and "Author A. Designer" in tail, f"page {n}"
        assert "Cabling report 2026-11-30 · Rack Designer" in tail, f"page {n}"
        assert tail.endswith(f"page {n} of {len(texts)}"), f"page {n}"
    assert "Untitled layout" not in " ".join(texts)


def test_empty_fields_print_as_a_dash():
    cells = TitleBlock("Untitled layout").cells(1, 3)
    assert [text for _, text, _ in cells] == ["Untitled layout", "—", "—", "Rack Designer", "page 1 of 3"]
    assert abs(sum(share for *_, share in cells) - 1.0) < 1e-9

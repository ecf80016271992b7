"""The printed cabling report, read back from the PDF with poppler (pdfinfo, pdftotext)."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

from gui.printing import (
    LARGE_LAYOUT_CABLES,
    ReportCancelled,
    ReportDocument,
    ReportOptions,
    make_print_preview,
    make_printer,
    print_report,
    write_report_pdf,
)
from model.analysis import Analysis
from model.document import Document
from model.errors import FileFormatError
from model.layout import Rack, Site
from model.topologies import build_sample

ROOT = Path(__file__).resolve().parents[2]
DAY = datetime.date(2025, 1, 6)


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: install poppler-utils (apt-get install poppler-utils) to test the PDF report")
    return path


def page_count(pdf: Path) -> int:
    info = subprocess.run([poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_title(pdf: Path) -> str:
    info = subprocess.run([poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.search(r"^Title:\s+(.*)$", info, re.M).group(1).strip()


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in drawing order, whitespace folded to single spaces."""
    raw = subprocess.run(
        [poppler("pdftotext"), "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = raw.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [" ".join(page.split()) for page in pages]


def layout_text(pdf: Path, page: int) -> str:
    """A page's text as laid out on paper (row by row, whitespace folded): the long tables are
    written a column at a time (gui/report/blocks.py), so their rows read whole only this way."""
    raw = subprocess.run(
        [poppler("pdftotext"), "-layout", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return " ".join(raw.split())


def sample(pin_one: bool = False):
    document = Document(build_sample("trn2-ultra64"))
    analysis = Analysis(document)
    if pin_one:
        result = analysis.result
        aecs = [c for c in result.cable_ids if result.medium_of(result.index[c]) == "AEC"]
        aec = max(aecs, key=lambda c: result.length_m[result.index[c]])  # 1.97 m, in the 30 AWG DAC's 2 m
        # ... but flexed, the fat DAC's bend (10 x OD) does not fit the side manager: a problem
        document.update_cable(aec, pinned_product="dac-800g-osfp-30awg", label="SPARE-AEC 7", flexed=True)
    return document, analysis.result


@pytest.fixture(scope="module")
def trn2(qapp, tmp_path_factory):
    document, result = sample()
    pdf = tmp_path_factory.mktemp("report") / "trn2.pdf"
    write_report_pdf(result, pdf, ReportOptions(date=DAY))
    return document, result, pdf, page_texts(pdf)


def sections(texts: list[str], marker: str) -> list[int]:
    """Pages (from 1) whose running header names `marker` as the section."""
    return [i + 1 for i, text in enumerate(texts) if text.startswith(f"Trn2-Ultra64 {marker}")]


def test_pdf_has_the_documents_pages_and_the_layout_as_title(trn2):
    _, result, pdf, texts = trn2
    assert page_count(pdf) == ReportDocument(result, options=ReportOptions(date=DAY)).page_count == len(texts)
    assert pdf_title(pdf) == "Trn2-Ultra64"


def test_every_page_has_the_layout_name_and_page_n_of_m(trn2):
    _, _, _, texts = trn2
    n = len(texts)
    for i, text in enumerate(texts, start=1):
        assert text.startswith("Trn2-Ultra64"), f"page {i} lacks the header"
        assert f"page {i} of {n}" in text, f"page {i} lacks its footer"
    assert "page 1 of" in texts[0]


def test_cover_summarises_the_layout(trn2):
    _, result, _, texts = trn2
    cover = texts[0]
    assert "Cabling report" in cover and "2025-01-06 · Rack Designer" in cover
    assert "Accelerators 64" in cover
    assert "2 racks · 40 devices · 160 cables" in cover
    assert f"${result.totals['cost_usd']:,.0f}" in cover
    assert "3.00 × 800G · 1.50 × 1.6T" in cover  # the report's 3 × 800G AEC per Trn2 chip
    assert "DAC 96 1.50" in cover and "AEC 64 1.00" in cover  # cables and attach ratio per medium
    assert "Problems 0" in cover
    for chart in ("Cable cost by medium", "Cable power by medium", "Run lengths by medium"):
        assert chart in cover
    for section in ("Racks (2)", "Cable schedule", "Bill of materials", "Cable labels"):
        assert section in cover


def test_sections_come_in_order_and_each_rack_has_a_page(trn2):
    _, _, _, texts = trn2
    rack_a = sections(texts, "Rack Ultra64 rack A")
    rack_b = sections(texts, "Rack Ultra64 rack B")
    schedule = sections(texts, "Cable schedule")
    bom = sections(texts, "Bill of materials")
    labels = sections(texts, "Cable labels")
    assert sections(texts, "Summary") == [1]
    assert rack_a and rack_b and schedule and bom and labels
    assert max(rack_a) < min(rack_b) < max(rack_b) < min(schedule) <= max(schedule) < min(bom) < min(labels)
    assert sections(texts, "Problems") == []  # the sample has none
    first_rack_page = texts[rack_a[0] - 1]
    assert "Front" in first_rack_page and "Rear" in first_rack_page and "Elevations at 1:" in first_rack_page
    # Every device of the rack is named beside its elevation.
    for name in ("Server 1 tray 1", "Server 3 tray 8", "Server 1 head", "R01-01-PS1"):
        assert name in first_rack_page


def test_rack_pages_list_the_racks_cables(trn2):
    document, result, _, texts = trn2
    rack_pages = " ".join(texts[i - 1] for i in sections(texts, "Rack Ultra64 rack A"))
    touching = [c for c in document.site.cables if document.device_rack[c.a.split(":")[0]].id == "R01-01"]
    touching += [c for c in document.site.cables if document.device_rack[c.b.split(":")[0]].id == "R01-01"]
    for cable in touching:
        assert f" {cable.label or cable.id} " in rack_pages  # the cable id people read


def test_schedule_lists_every_cable_with_the_header_on_each_page(trn2):
    _, result, pdf, texts = trn2
    pages = sections(texts, "Cable schedule")
    assert len(pages) >= 2
    for page in pages:
        text = texts[page - 1]
        assert "End A (rack U device:port) End B (rack U device:port) Medium Product AWG" in text
    schedule = " ".join(layout_text(pdf, p) for p in pages)
    for i in range(len(result.cable_ids)):
        c = result.cable(i)
        # the cable id, then both ends by the names people read (the sample names its racks and trays)
        assert f" {c.id} {c.a_end.text} {c.b_end.text} " in schedule
    assert "Ultra64 rack A U5 Server 1 tray 1:c0.n1" in schedule
    assert "All 160 cables" in schedule


def test_bill_of_materials_has_lines_and_grand_total(trn2):
    _, result, _, texts = trn2
    bom = " ".join(texts[p - 1] for p in sections(texts, "Bill of materials"))
    for line in result.bom:
        assert line.product_id in bom
        assert f"{line.total_usd:,.2f}" in bom
    quantity = sum(line.quantity for line in result.bom)
    assert f"Grand total {quantity} {result.totals['cost_usd']:,.2f}" in bom


def test_two_labels_per_cable_one_for_each_end(trn2):
    _, result, _, texts = trn2
    labels = " ".join(texts[p - 1] for p in sections(texts, "Cable labels"))
    for i in range(len(result.cable_ids)):
        cable = result.cable(i)
        # TIA-606-C practice: each end's label names this end first, then the far end, whole (wrapped, not cut)
        a, b = cable.a_end.text, cable.b_end.text
        assert f"{cable.id} this end {a} far end {b}" in labels, cable.id
        assert f"{cable.id} this end {b} far end {a}" in labels, cable.id
        assert labels.count(f"{cable.id} this end") == 2
    assert "end A of 2" in labels and "end B of 2" in labels
    assert "…" not in labels


def test_problems_get_a_section_and_custom_labels_print(qapp, tmp_path):
    _, result = sample(pin_one=True)
    pdf = tmp_path / "pinned.pdf"
    write_report_pdf(result, pdf)
    texts = page_texts(pdf)
    problems = [t for t in texts if t.startswith("Trn2-Ultra64 Problems")]
    assert len(problems) == 1
    assert [p.message for p in result.problems] == [
        "cable c145: dac-800g-osfp-30awg bend 85 mm does not fit 59 mm side manager (pinned)"
    ]
    assert "pinned cable c145" in problems[0] and "manager (pinned)" in problems[0]
    assert "Problems 1 (1 error)" in texts[0]
    assert sum(t.count("SPARE-AEC 7") for t in texts) >= 4  # schedule, rack pages, two labels: the cable id


def test_capped_rack_pages_say_so_and_the_schedule_stays_whole(qapp, tmp_path):
    _, result = sample()
    pdf = tmp_path / "capped.pdf"
    write_report_pdf(result, pdf, ReportOptions(max_rack_pages=1, labels=False, date=DAY))
    texts = page_texts(pdf)
    assert len(sections(texts, "Rack Ultra64 rack A")) == 1
    assert "more cable ends in this rack, not listed here" in texts[1]
    assert re.search(r"the cable schedule \(pages \d+–\d+\) lists every cable", texts[1])
    assert (
        "Rack pages list at most 1 page of a rack's cables; 2 racks end more" in texts[0]
        and "Cable labels were left out" in texts[0]
    )
    assert sections(texts, "Cable labels") == []
    schedule = " ".join(texts[p - 1] for p in sections(texts, "Cable schedule"))
    assert all(f" {cable_id} " in schedule for cable_id in result.cable_ids)


def test_an_empty_layout_prints_a_short_report(qapp, tmp_path):
    document = Document(Site(name="Bare room", racks=[Rack(id="R1", x_mm=0, y_mm=0)]))
    pdf = tmp_path / "bare.pdf"
    write_report_pdf(Analysis(document).result, pdf)
    texts = page_texts(pdf)
    assert [t.split(" page ")[0].split(" ")[2] for t in texts] == ["Summary", "Rack", "Cable", "Bill"]
    assert "1 rack · 0 devices · 0 cables" in texts[0]
    assert "No cable ends in this rack." in texts[1]
    assert "The layout has no cables." in texts[2] and "No cables to order." in texts[3]


def test_large_layouts_default_to_one_page_per_rack_with_every_label():
    # The options depend only on how many cables the layout has.
    large = SimpleNamespace(cable_ids=range(LARGE_LAYOUT_CABLES + 1))
    assert ReportOptions.for_layout(large) == ReportOptions(max_rack_pages=1, labels=True)
    assert not ReportOptions.for_layout(large, labels=False).labels
    assert ReportOptions.for_layout(SimpleNamespace(cable_ids=range(LARGE_LAYOUT_CABLES))) == ReportOptions()


def test_print_report_draws_on_a_qprinter_and_relayouts_for_landscape(qapp, tmp_path):
    _, result = sample()
    printer = make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "portrait.pdf"))
    print_report(result, printer)
    portrait = page_texts(tmp_path / "portrait.pdf")
    assert len(portrait) == ReportDocument(result).page_count

    printer = make_printer()
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "landscape.pdf"))
    print_report(result, printer)
    landscape = page_texts(tmp_path / "landscape.pdf")
    assert f"page 1 of {len(landscape)}" in landscape[0]
    assert "Elevations at 1:" in " ".join(landscape)
    assert len(landscape) != len(portrait)  # laid out again for the wider, shorter page


def test_print_preview_paints_every_page(qtbot):
    _, result = sample()
    dialog = make_print_preview(result)
    qtbot.addWidget(dialog)
    preview = dialog.findChild(QPrintPreviewWidget)
    preview.updatePreview()
    assert preview.pageCount() == dialog.report_document.page_count > 10


def test_a_printer_page_range_prints_only_those_pages(qapp, tmp_path):
    _, result = sample()
    printer = make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "range.pdf"))
    printer.setFromTo(2, 3)
    print_report(result, printer)
    texts = page_texts(tmp_path / "range.pdf")
    total = ReportDocument(result).page_count
    assert len(texts) == 2
    assert f"page 2 of {total}" in texts[0] and f"page 3 of {total}" in texts[1]


def test_missing_folder_is_named_and_nothing_is_left_behind(qapp, tmp_path):
    _, result = sample()
    with pytest.raises(FileFormatError) as caught:
        write_report_pdf(result, tmp_path / "nowhere" / "out.pdf")
    assert str(caught.value) == f"cannot save {tmp_path / 'nowhere' / 'out.pdf'}: no such folder {tmp_path / 'nowhere'}"


def test_cancelled_report_leaves_no_file(qapp, tmp_path):
    _, result = sample()
    seen = []

    def progress(done, total):
        seen.append((done, total))
        return done < 3

    with pytest.raises(ReportCancelled):
        write_report_pdf(result, tmp_path / "cancelled.pdf", progress=progress)
    assert seen[-1][0] == 3 and seen[-1][1] > 3
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_the_pdf_without_a_screen(tmp_path):
    layout = tmp_path / "trn2.json"
    pdf = tmp_path / "trn2.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    run = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "sample", "trn2-ultra64", "--out", str(layout)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    run = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", str(layout), "--pdf", str(pdf)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert f"wrote {pdf}" in run.stderr
    texts = page_texts(pdf)
    assert "Cabling report" in texts[0] and f"page 1 of {len(texts)}" in texts[0]


def test_cables_that_cannot_be_ordered_are_on_the_cover_and_under_the_bom(qapp, tmp_path):
    """Ring links pinned to AEC that no AEC reaches (rack B moved 7 m away, a tray between):
    the cover counts them, the bill of materials says they are not in it and why."""
    from model.analysis import Analysis
    from model.document import Document
    from model.layout import Tray
    from model.topologies import build_sample

    document = Document(build_sample("trn2-ultra64"))
    a, b = document.site.racks[:2]
    document.move_racks({b.id: (b.x_mm + 7000, b.y_mm, b.facing)})
    document.add_tray(Tray(id="T-ring", points=[(a.x_mm, a.y_mm), (b.x_mm, b.y_mm)], elevation_mm=2400))
    result = Analysis(document).result
    assert result.totals["unorderable"] == 64
    pdf = tmp_path / "far.pdf"
    write_report_pdf(result, pdf, ReportOptions(labels=False, date=DAY))
    texts = page_texts(pdf)
    assert "Cables not orderable 64" in texts[0]
    bom = next(t for t in texts if "Bill of materials" in t and "Not listed" in t)
    assert "Not listed: 64 pinned cables with no orderable length" in " ".join(bom.split())

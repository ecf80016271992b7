"""The report's label sheets (gui/report/labels.py): sheet N holds the two labels of exactly its
slice of cables, each label whole (id, this end, far end, details), a long one at the tiny size
rather than cut. Read back from a PDF with pdftotext."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from gui.report.labels import LabelPage, grid, label_pages
from tests.gui.test_printing import page_count, page_texts

WIDTH, HEIGHT = 520.0, 700.0


def rows(n: int, long_every: int = 0) -> list[tuple[str, ...]]:
    """Schedule-shaped rows: id, end A, end B, medium, product, AWG, length, ordered, power, cost, file id."""
    out = []
    for i in range(n):
        a = f"R{i % 9} U{i % 40 + 1} srv{i:03d}:nic1"
        if long_every and i % long_every == 0:
            a = f"Hall 7 north row {i} rack with a long name U12 " + "very long host name " * 4 + f"h{i}:p1"
        out.append(
            (f"C{i:05d}", a, f"S{i % 5} U20 leaf{i % 5}:p{i}", "AOC", "aoc", "—", "9.50", "10", "30.0", "1", f"c{i}")
        )
    return out


def draw(pdf, pages: list[LabelPage]) -> None:
    writer = QPdfWriter(str(pdf))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter)
    painter = QPainter(writer)
    scale = writer.width() / writer.pageLayout().paintRect(QPageLayout.Unit.Point).width()
    for n, page in enumerate(pages):
        if n:
            writer.newPage()
        painter.save()
        painter.scale(scale, scale)
        page.paint(painter, QRectF(0, 0, WIDTH, HEIGHT))
        painter.restore()
    painter.end()


def test_sheets_take_consecutive_slices_of_the_cables(qapp):
    columns, grid_rows = grid(WIDTH, HEIGHT)
    per_sheet = columns * grid_rows // 2
    sheets = label_pages(rows(100), WIDTH, HEIGHT)
    assert [s.cables for s in sheets[:-1]] == [
        range(k * per_sheet, (k + 1) * per_sheet) for k in range(len(sheets) - 1)
    ]
    assert sheets[-1].cables.stop == 100 and len(sheets) == -(-100 // per_sheet)
    assert len({id(s.sizes) for s in sheets}) == 1  # the ends are measured once for every sheet


def test_sheet_n_holds_both_labels_of_its_cables_and_no_others(qapp, tmp_path):
    data = rows(100, long_every=7)
    sheets = label_pages(data, WIDTH, HEIGHT)
    pdf = tmp_path / "labels.pdf"
    draw(pdf, sheets)
    texts = page_texts(pdf)
    assert page_count(pdf) == len(sheets) == len(texts)
    for sheet, text in zip(sheets, texts):
        for i in range(100):
            cable, a, b = data[i][0], data[i][1], data[i][2]
            if i in sheet.cables:
                # TIA-606-C: each end's label names this end first, then the far end, whole
                assert f"{cable} this end {a} far end {b} AOC · 10 m · end A of 2" in text, cable
                assert f"{cable} this end {b} far end {a} AOC · 10 m · end B of 2" in text, cable
            else:
                assert f"{cable} this end" not in text
        assert "…" not in text


def test_a_label_too_long_for_the_small_size_is_set_tiny_not_cut(qapp):
    data = rows(14, long_every=7)
    sheet = label_pages(data, WIDTH, HEIGHT)[0]
    columns, grid_rows = grid(WIDTH, HEIGHT)
    inner = WIDTH / columns - 3.0 - 2 * 5.0
    fits = sheet.sizes.fits_small(inner, HEIGHT / grid_rows - 2 * 5.0)
    assert [i for i, small in enumerate(fits) if not small] == [0, 7]


def test_a_label_too_long_even_tiny_keeps_its_medium_line_and_elides_the_ends(qapp):
    """Ends too long for four tiny lines each get fewer lines, the last elided: the label never
    runs past its box, and the line saying the medium, the ordered length and which end is there."""
    from gui.report.labels import label_lines

    columns, grid_rows = grid(WIDTH, HEIGHT)
    inner, height = WIDTH / columns - 3.0 - 2 * 5.0, HEIGHT / grid_rows - 2 * 5.0
    long_end = " ".join(f"word{k}" for k in range(30)) + " U12 host:p1"
    row = ("C00001", long_end, long_end, "AOC", "aoc", "—", "9.50", "10", "30.0", "1", "c1")
    lines = label_lines(row, "A", inner, height)
    assert sum(style.line_height for style, *_ in lines) <= height
    assert lines[-1][2].startswith("AOC · 10 m · end A")
    assert [caption for _, caption, *_ in lines if caption] == ["this end", "far end"]
    assert any(text.endswith("…") for _, _, text, _ in lines)
    # A label that fits keeps every word (no ellipsis).
    short = label_lines(rows(1)[0], "B", inner, height)
    assert not any(text.endswith("…") for _, _, text, _ in short)


def test_a_report_label_too_long_even_tiny_keeps_its_details_line(qapp, tmp_path):
    """A report label whose id and ends overflow the tiny size is wrapped with its last lines
    elided (gui.report.labels.tiny_text), so its details line is printed, not clipped off."""
    from gui.report.labels import TINY_TEXT, tiny_text

    columns, grid_rows = grid(WIDTH, HEIGHT)
    inner, height = WIDTH / columns - 3.0 - 2 * 5.0, HEIGHT / grid_rows - 2 * 5.0
    long_id = " ".join(f"word{k}" for k in range(30))
    data = rows(3)
    data[0] = (long_id, *data[0][1:])
    sheet = label_pages(data, WIDTH, HEIGHT)[0]
    assert sheet.sizes.fits_small(inner, height)[:3] == [False, True, True]  # the id counts
    text = tiny_text(long_id, data[0][1], data[0][2], "AOC · 10 m · end A of 2", inner, height)
    lines = text.split("\n")
    assert len(lines) * TINY_TEXT.line_height <= height
    assert lines[-1] == "AOC · 10 m · end A of 2" and lines[0].startswith("word0 word1")
    pdf = tmp_path / "labels.pdf"
    draw(pdf, [sheet])
    assert "AOC · 10 m · end A of 2" in page_texts(pdf)[0]

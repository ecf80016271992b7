"""Long report tables drawn a column at a time (gui/report/blocks.py): pages are slices of the
rows, a page shows exactly its slice, row by row, and only cells too wide for their column
are elided. Read back from a PDF with pdftotext -layout."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

import gui.report
from gui.report import SMALL
from gui.report.blocks import ROW_STYLE, BlockTable
from gui.report.tables import Column
from tests.gui.test_printing import layout_text, page_count

COLUMNS = [Column("Cable", 1.0, max_lines=2), Column("Where", 3.0, max_lines=2), Column("Metres", 0.6, right=True)]


def table(rows: int, width: float = 400.0) -> BlockTable:
    cells = [[f"k{i:04d}" for i in range(rows)], [f"rack {i % 7} U{i % 48}" for i in range(rows)]]
    cells.append([f"{i * 0.25:.2f}" for i in range(rows)])
    return BlockTable(COLUMNS, cells, width)


def draw(pdf, blocks: BlockTable, slices: list[range]) -> None:
    writer = QPdfWriter(str(pdf))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter)
    painter = QPainter(writer)
    scale = writer.width() / writer.pageLayout().paintRect(QPageLayout.Unit.Point).width()
    for n, rows in enumerate(slices):
        if n:
            writer.newPage()
        painter.save()
        painter.scale(scale, scale)
        blocks.paint(painter, 0, 0, rows)
        painter.restore()
    painter.end()


def test_pages_are_consecutive_slices_that_fill_the_space(qapp):
    blocks = table(250)
    slices = blocks.paginate(200.0, 500.0)
    assert slices[0] == range(0, blocks.rows_in(200.0))
    assert all(len(s) == blocks.rows_in(500.0) for s in slices[1:-1])
    assert [i for s in slices for i in s] == list(range(250))
    assert blocks.height_of(slices[1]) <= 500.0 < blocks.height_of(slices[1]) + blocks.pitch
    assert blocks.pitch == ROW_STYLE.metrics.lineSpacing()


def test_a_first_space_without_room_for_a_row_starts_the_table_on_the_next_page(qapp):
    blocks = table(30)
    slices = blocks.paginate(blocks.header_height, 500.0)
    assert slices[0] == range(0) and slices[1] == range(0, 30)


def test_page_n_shows_its_rows_row_by_row_and_no_others(qapp, tmp_path):
    blocks = table(250)
    slices = blocks.paginate(300.0, 300.0)
    pdf = tmp_path / "blocks.pdf"
    draw(pdf, blocks, slices)
    assert page_count(pdf) == len(slices) >= 3
    text = layout_text(pdf, 3)
    assert text.startswith("Cable Where Metres")
    shown = [i for i in range(250) if f"k{i:04d} " in text]
    assert shown == list(slices[2])
    for i in slices[2]:  # each row whole and in order: id, place, figure right-aligned
        assert f"k{i:04d} rack {i % 7} U{i % 48} {i * 0.25:.2f}" in text


def test_only_cells_too_wide_for_their_column_are_elided(qapp, tmp_path):
    long = "a-very-long-device-name-" * 8
    cells = [["k1", "k2"], ["short place", long], ["1.00", "2.00"]]
    blocks = BlockTable(COLUMNS, cells, 300.0)
    assert blocks.too_wide[1].tolist() == [1] and blocks.too_wide[0].tolist() == []
    assert sum(blocks.widths) <= 300.0 + 1e-6
    pdf = tmp_path / "elided.pdf"
    draw(pdf, blocks, [range(2)])
    text = layout_text(pdf, 1)
    assert "k1 short place 1.00" in text
    assert "k2 a-very-long-device-name-a-very" in text and "…" in text and long not in text


def test_bulk_widths_match_one_by_one(qapp, monkeypatch):
    texts = ["", "c1", "Ultra64 rack A U5 Server 1 tray 1:c0.n1", "x ↔ y", "日本語 rack", "Ω—…", "end"]
    assert SMALL.widths(texts).tolist() == [SMALL.width(t) for t in texts]
    monkeypatch.setattr(gui.report, "WIDTHS_SLICE", 2)  # measured a few at a time, the same
    assert SMALL.widths(texts).tolist() == [SMALL.width(t) for t in texts]
    assert SMALL.widths([]).tolist() == []


def test_one_outlandish_name_is_elided_alone(qapp):
    places = [f"rack {i % 7} U{i % 48} host-{i}:p1" for i in range(300)]
    places[5] = "x" * 400
    blocks = BlockTable(COLUMNS, [[f"k{i}" for i in range(300)], places, [f"{i}.00" for i in range(300)]], 200.0)
    assert blocks.too_wide[1].tolist() == [5]
    assert blocks.too_wide[0].tolist() == [] and blocks.too_wide[2].tolist() == []
    assert abs(sum(blocks.widths) - 200.0) < 1e-6


def test_a_name_with_a_line_break_stays_on_its_row(qapp, tmp_path):
    # Names may hold tabs and line breaks (model/text.py keeps them); a column block would
    # otherwise push the rows after it down a line.
    cells = [
        ["k1", "k2", "k3"],
        ["rack 1\nU5 host:p1", "rack\t2 U6 host:p2", "rack 3 U7 host:p3"],
        ["1.00", "2.00", "3.00"],
    ]
    blocks = BlockTable(COLUMNS, cells, 300.0)
    assert blocks.cells[1] == ["rack 1 U5 host:p1", "rack 2 U6 host:p2", "rack 3 U7 host:p3"]
    pdf = tmp_path / "breaks.pdf"
    draw(pdf, blocks, [range(3)])
    text = layout_text(pdf, 1)
    assert "k1 rack 1 U5 host:p1 1.00 k2 rack 2 U6 host:p2 2.00 k3 rack 3 U7 host:p3 3.00" in text

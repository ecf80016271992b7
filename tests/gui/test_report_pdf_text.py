"""The PDF report's own text layer (gui/report/pdf_canvas.py, pdf_fonts.py, pdf_file.py): the file
write_report_pdf writes against the same report drawn by Qt alone (as a printer gets it), read
back with poppler: the same pages, the same text, each word where Qt puts it."""

from __future__ import annotations

import errno
import html
import io
import random
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from fontTools.ttLib.sfnt import SFNTWriter
from PySide6.QtCore import QFile, QIODevice, QPointF

import gui.printing
from gui.printing import ReportCancelled, ReportDocument, ReportOptions, draw_pdf_with_qt, write_report_pdf
from gui.report import SMALL
from gui.report.labels import TINY_TEXT
from gui.report.pdf_file import PdfFormatError, TextLayer
from gui.report.pdf_fonts import FontSet, NotInFace
from model.analysis import Analysis
from model.errors import FileFormatError
from tests.gui.test_printing import DAY, layout_text, page_count, page_texts, poppler, sample
from tests.gui.test_report_pdf_fonts import small_canvas


def qt_pdf(result, path: Path, options: ReportOptions) -> None:
    file = QFile(str(path))
    assert file.open(QIODevice.OpenModeFlag.WriteOnly)
    draw_pdf_with_qt(result, file, options, None)
    file.close()


def words(pdf: Path) -> list[list[tuple[str, float, float, float]]]:
    """Per page, its words with their boxes (pdftotext -bbox), ligatures spelled out, sorted."""
    out = subprocess.run([poppler("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    found = []
    for page in out.split("<page ")[1:]:
        boxes = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', page)
        found.append(
            sorted(
                (unicodedata.normalize("NFKC", html.unescape(w)), float(x0), float(y0), float(x1))
                for x0, y0, x1, w in boxes
            )
        )
    return found


def same_pages(ours: Path, qt: Path) -> None:
    """Equal page counts, the same words on each page, each within 0.1 pt of Qt's place, and
    the first pages' rows read whole with -layout as in Qt's."""
    assert page_count(ours) == page_count(qt)

    # Qt writes the ﬁ ligature's text as U+FB01, the text layer as "fi": compared spelled out.
    def spelled(text: str) -> str:
        return unicodedata.normalize("NFKC", text)

    assert [sorted(spelled(t).split()) for t in page_texts(ours)] == [
        sorted(spelled(t).split()) for t in page_texts(qt)
    ]
    assert [spelled(layout_text(ours, n)) for n in range(1, 4)] == [spelled(layout_text(qt, n)) for n in range(1, 4)]
    for n, (a, b) in enumerate(zip(words(ours), words(qt)), start=1):
        assert [spelled(w[0]) for w in a] == [spelled(w[0]) for w in b], f"page {n}"
        worst = max((max(abs(p - q) for p, q in zip(x[1:], y[1:])) for x, y in zip(a, b)), default=0.0)
        assert worst < 0.1, f"page {n}: a word {worst:.2f} pt from Qt's place"


def test_the_written_pdf_has_qt_s_pages_text_and_places(qapp, tmp_path):
    _, result = sample()
    options = ReportOptions(date=DAY)
    write_report_pdf(result, tmp_path / "ours.pdf", options)
    qt_pdf(result, tmp_path / "qt.pdf", options)
    same_pages(tmp_path / "ours.pdf", tmp_path / "qt.pdf")
    info = subprocess.run([poppler("pdffonts"), str(tmp_path / "ours.pdf")], capture_output=True, text=True)
    assert info.returncode == 0 and "CID TrueType" in info.stdout  # the text layer's embedded fonts
    # Its fonts are named as subsets (a tag of six capitals and '+'): poppler says so.
    ours = [line for line in info.stdout.splitlines() if re.match(r"[A-Z]{6}\+DejaVu", line)]
    assert ours and all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in ours)
    # Only the glyphs used are embedded (each whole face would be ~300 KB): about Qt's size.
    assert (tmp_path / "ours.pdf").stat().st_size < 2 * (tmp_path / "qt.pdf").stat().st_size


def test_non_latin_names_print_as_qt_prints_them(qapp, tmp_path):
    # Cyrillic and Greek are in the report's font: the text layer sets them. CJK is not (Qt
    # falls back to another font): those pages are drawn by Qt. Either way the text is the same.
    document, _ = sample()
    cables = list(document.site.cables)
    document.update_cable(cables[0].id, label="Кабель-α 1")
    document.update_cable(cables[1].id, label="机柜 A-2")
    result = Analysis(document).result
    options = ReportOptions(date=DAY)
    write_report_pdf(result, tmp_path / "ours.pdf", options)
    qt_pdf(result, tmp_path / "qt.pdf", options)
    same_pages(tmp_path / "ours.pdf", tmp_path / "qt.pdf")
    texts = " ".join(page_texts(tmp_path / "ours.pdf"))
    assert texts.count("Кабель-α 1") >= 3 and texts.count("机柜 A-2") >= 3  # schedule, rack pages, labels


def test_a_character_the_font_lacks_sends_the_page_to_qt(qapp):
    canvas = small_canvas()
    canvas.drawText(QPointF(0, 10), "Кабель α")  # in DejaVu: set here
    with pytest.raises(NotInFace):
        canvas.drawText(QPointF(0, 20), "机柜")
    with pytest.raises(NotInFace):
        canvas.drawPath(None)  # a call the text layer does not draw


def test_each_face_is_embedded_with_the_glyphs_drawn_and_their_parts(qapp):
    # fontTools subsets the face: every glyph drawn keeps its id, outline and advance (an
    # accented letter's parts too: Ä is A and a dieresis in DejaVu), the others are left empty.
    fonts = FontSet()
    canvas = small_canvas(fonts)
    canvas.drawText(QPointF(0, 10), "Äé Кабель-й office")
    (face,) = fonts.faces.values()
    name, data, descriptor = face.embedded()
    assert re.fullmatch(r"[A-Z]{6}\+" + re.escape(face.name), name) and f"/FontName /{name} " in descriptor
    whole_file = io.BytesIO()
    writer = SFNTWriter(whole_file, len(face.tables))
    for tag in sorted(face.tables):
        writer[tag] = face.tables[tag]
    writer.close()
    whole, subset = TTFont(whole_file), TTFont(io.BytesIO(data))
    assert not {"GSUB", "GPOS", "GDEF"} & set(subset.keys())
    drawn = {0, *face.glyphs.values()}
    assert any(whole["glyf"][whole.getGlyphName(g)].isComposite() for g in drawn)
    for gid in drawn:
        a, b = whole.getGlyphName(gid), subset.getGlyphName(gid)
        assert subset["hmtx"][b] == whole["hmtx"][a]
        assert list(subset["glyf"][b].getCoordinates(subset["glyf"])[0]) == list(
            whole["glyf"][a].getCoordinates(whole["glyf"])[0]
        ), f"glyph {gid}"
    left_out = whole.getGlyphID(whole.getBestCmap()[ord("Ж")])
    assert left_out not in drawn and subset["glyf"][subset.getGlyphName(left_out)].numberOfContours == 0
    assert len(data) < len(b"".join(face.tables.values())) / 5


PLAIN = "abcXYZ0123 -:./_#,+é"
MARKS = "abcXYZ0123  -:./_()#,+—·é"


@pytest.mark.parametrize("alphabet", [PLAIN, MARKS])
def test_lines_break_where_qtextlayout_breaks_them(qapp, alphabet):
    rnd = random.Random(13)
    fonts = FontSet()
    for style in (SMALL, TINY_TEXT):
        font = fonts.font(style.font)
        texts = ["this end SU 14 servers 17 U3 su014-srv65:nic1", "far end Spines 15 U3 spine057:p28"]
        texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 60))) for _ in range(400)]
        for text in texts:
            for width in (rnd.uniform(5, 130), 118.74, 60.0):
                assert font.wrap(text, width) == font._qt_wrap(text, width), (text, width)


def test_cancelling_leaves_no_file_in_either_pass(qapp, tmp_path):
    _, result = sample()
    total = gui.printing.ReportDocument(result).page_count
    for stop in (2, total - 1):  # in the text layer's pages, then in Qt's (drawn after them)
        seen = []

        def progress(done, pages, stop=stop, seen=seen):
            seen.append(done)
            return done < stop

        with pytest.raises(ReportCancelled):
            write_report_pdf(result, tmp_path / "cancelled.pdf", progress=progress)
        assert seen[-1] == stop and sorted(seen) == list(range(1, stop + 1))
        assert list(tmp_path.iterdir()) == []


def test_a_failed_write_says_so_and_leaves_nothing(qapp, tmp_path, monkeypatch):
    _, result = sample()

    def full_disk(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(gui.printing, "write_pdf", full_disk)
    with pytest.raises(FileFormatError) as caught:
        write_report_pdf(result, tmp_path / "full.pdf")
    assert "full.pdf" in str(caught.value) and "No space left on device" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_qt_file_it_cannot_read_back_gives_qt_s_whole_report(qapp, tmp_path, monkeypatch):
    _, result = sample()
    options = ReportOptions(date=DAY)

    def unreadable(*args):
        raise PdfFormatError("no classic xref")

    monkeypatch.setattr(gui.printing, "write_pdf", unreadable)
    write_report_pdf(result, tmp_path / "ours.pdf", options)
    qt_pdf(result, tmp_path / "qt.pdf", options)
    assert page_texts(tmp_path / "ours.pdf") == page_texts(tmp_path / "qt.pdf")  # in Qt's order: all by Qt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ours.pdf", "qt.pdf"]  # no temporary file left


def test_the_text_layer_draws_every_page_but_the_charts(qapp, tmp_path, monkeypatch):
    # A page the text layer refuses still prints (Qt draws it), only slower: this says none is.
    _, result = sample()
    added: list[int] = []
    keep = TextLayer.add

    def add(self, index, canvas):
        added.append(index)
        keep(self, index, canvas)

    monkeypatch.setattr(TextLayer, "add", add)
    write_report_pdf(result, tmp_path / "ours.pdf", ReportOptions(date=DAY))
    pages = ReportDocument(result, options=ReportOptions(date=DAY)).pages
    assert [type(pages[i]).__name__ for i in range(len(pages)) if i not in added] == ["CoverPage", "TcoPage"]

"""The PDF's text pages on two cores (gui/report/pdf_parallel.py): the file is the very file one
core writes, whatever the child learns, gives back or fails at; a cancelled report leaves no
child behind."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF

import gui.report.pdf_parallel as pdf_parallel
from gui.printing import ReportCancelled, ReportOptions, write_report_pdf
from gui.report import SMALL, TINY
from gui.report.pdf_file import TextLayer
from gui.report.pdf_fonts import FontSet, NotLearnt
from model.analysis import Analysis
from tests.gui.test_printing import DAY, page_texts, sample
from tests.gui.test_report_pdf_fonts import small_canvas

GREEK = "αβγδεζηθικλμνξοπρστυφχψω"


def without_qt_s_dates(pdf: Path) -> bytes:
    """The file with what Qt stamps on each run taken out: its dates and document id."""
    data = pdf.read_bytes()
    data = re.sub(rb"D:\d{14}Z", b"D:", data)
    data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", b"T", data)
    return re.sub(rb"uuid:[0-9a-f-]+", b"uuid:", data)


@pytest.fixture(scope="module")
def result(qapp):
    """The Trn2-Ultra64 sample with a Greek letter in every cable's label (spread over the
    pages, so the child learns characters its parent has not) and one label in Chinese (a
    page the text layer gives to Qt)."""
    document, _ = sample()
    cables = list(document.site.cables)
    for k, cable in enumerate(cables):
        document.update_cable(cable.id, label=f"{GREEK[k % len(GREEK)]}-{k}")
    document.update_cable(cables[-1].id, label="机柜 A-2")
    return Analysis(document).result


class Children:
    """What the children did: the pages the layer took from each, and their process ids."""

    def __init__(self) -> None:
        self.adopted: list[dict] = []
        self.pids: list[int] = []

    def all_reaped(self) -> bool:
        for pid in self.pids:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                continue  # reaped: no such child any more
            return False
        return True


@pytest.fixture
def children(monkeypatch) -> Children:
    """The sample's ~30 text pages are enough to fork for; what the children did is recorded."""
    monkeypatch.setattr(pdf_parallel, "MIN_PAGES", 1)
    seen = Children()
    adopt, start = TextLayer.adopt, pdf_parallel._Child.start.__func__

    def adopting(self, file, pages, used):
        seen.adopted.append(pages)
        adopt(self, file, pages, used)

    def starting(cls, *args):
        child = start(cls, *args)
        if child is not None:
            seen.pids.append(child.pid)
        return child

    monkeypatch.setattr(TextLayer, "adopt", adopting)
    monkeypatch.setattr(pdf_parallel._Child, "start", classmethod(starting))
    return seen


def write(result, path: Path, **kwargs) -> Path:
    write_report_pdf(result, path, ReportOptions(date=DAY), **kwargs)
    return path


def test_two_cores_write_the_very_file_one_core_writes(result, tmp_path, children, monkeypatch):
    learnt: list[str] = []  # the fonts the parent learnt the child's characters in
    original = FontSet.named

    def named(self, name):
        font = original(self, name)
        learnt.append(name)
        return font

    monkeypatch.setattr(FontSet, "named", named)
    one = write(result, tmp_path / "one.pdf")
    two = write(result, tmp_path / "two.pdf", parallel=True)
    assert len(children.adopted) == 1 and children.adopted[0]  # the child painted a share of the pages
    assert children.all_reaped()
    assert learnt  # ... and learnt Greek letters its parent then learnt too
    assert without_qt_s_dates(two) == without_qt_s_dates(one)
    assert "机柜 A-2" in " ".join(page_texts(two))  # its pages drawn by Qt, in the parent


def test_a_child_that_dies_costs_time_not_the_report(result, tmp_path, children, monkeypatch):
    monkeypatch.setattr(pdf_parallel, "_child_main", lambda *args: os._exit(3))
    one = write(result, tmp_path / "one.pdf")
    two = write(result, tmp_path / "two.pdf", parallel=True)
    assert children.adopted == [] and len(children.pids) == 1  # nothing of the child's taken
    assert without_qt_s_dates(two) == without_qt_s_dates(one)
    assert children.all_reaped()


def test_a_stuck_child_is_given_up_and_ended(result, tmp_path, children, monkeypatch):
    def stuck(*args):
        while True:
            time.sleep(60)

    monkeypatch.setattr(pdf_parallel, "_child_main", stuck)
    monkeypatch.setattr(pdf_parallel, "PATIENCE_S", 0.5)
    one = write(result, tmp_path / "one.pdf")
    two = write(result, tmp_path / "two.pdf", parallel=True)
    assert children.adopted == [] and len(children.pids) == 1
    assert without_qt_s_dates(two) == without_qt_s_dates(one)
    assert children.all_reaped()  # ended, not left paused


def test_a_refused_fork_paints_every_page_here(result, tmp_path, children, monkeypatch):
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    one = write(result, tmp_path / "one.pdf")
    monkeypatch.setattr(os, "fork", refused)
    two = write(result, tmp_path / "two.pdf", parallel=True)
    assert children.adopted == [] and children.pids == []
    assert without_qt_s_dates(two) == without_qt_s_dates(one)


def test_cancelling_ends_the_child_and_leaves_no_file(result, tmp_path, children):
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 6

    with pytest.raises(ReportCancelled):
        write(result, tmp_path / "out.pdf", parallel=True, progress=progress)
    assert len(calls) == 6
    assert list(tmp_path.iterdir()) == []
    assert len(children.pids) == 1 and children.all_reaped()  # no child left running


def test_a_frozen_font_set_learns_characters_but_no_font(qapp):
    fonts = FontSet()
    canvas = small_canvas(fonts)
    canvas.drawText(QPointF(0, 10), "U12 rack")
    fonts.freeze()
    canvas.drawText(QPointF(0, 20), "Кабель α")  # characters are still learnt ...
    assert fonts.learnt() == {fonts.font(SMALL.font).name: "".join(sorted(set("Кабельα")))}
    canvas.setFont(TINY.font)
    with pytest.raises(NotLearnt):
        canvas.drawText(QPointF(0, 30), "U12")  # ... a font is not
    # The parent learns them alike: the same widths for the PDF's /W.
    other = FontSet()
    font = other.font(SMALL.font)
    font.learn(fonts.learnt()[font.name])
    assert font.widths_array() == fonts.font(SMALL.font).widths_array()


def test_the_child_asks_to_die_with_its_parent():
    # A report stopped by SIGTERM or SIGKILL left its child painting for seconds, orphaned.
    import ctypes
    import signal

    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            asked = pdf_parallel.die_with_parent()
            got = ctypes.c_int(0)
            ctypes.CDLL(None).prctl(2, ctypes.byref(got))  # PR_GET_PDEATHSIG
            code = 0 if asked and got.value == signal.SIGKILL else 3
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0

"""The text layer's pages painted on two cores: a forked child paints every other text page
into a file of its own while this process paints the rest, and the layer takes the child's
pages in (TextLayer.adopt). The PDF of 199,992 cables spends most of its time here (13,518
pages of pure-Python string work in gui/report/pdf_canvas.py).

Why fork: the report is laid out in memory once; a forked child has it at once (copy on
write), where a spawned process would read and analyse the layout again (~5 s at 200,000
cables). Why only where asked (the command line): a child forked from a process whose other
threads may hold a lock (the app's GUI thread painting with the same fonts) can hang; the
command line has one thread drawing. Linux only: macOS forbids Qt after fork, Windows has none.

The PDF embeds the parent's fonts: the characters the child learnt are learnt again by the
parent (the same glyphs and advances, from Qt), and a page that needs a font the parent has
not named yet (FontSet.freeze) comes back to the parent, as does a page the text layer cannot
set (Qt draws it, in the parent). The parent paints the first page of each kind first, so
few come back. A child that fails in any way (killed, out of memory, a bug) costs
time, not the report: the parent paints its pages itself, and meets the bug itself.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import select
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import IO, Any

from gui.report.pdf_file import TextLayer, write_page
from gui.report.pdf_fonts import NotInFace

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
MIN_PAGES = 64  # fewer text pages than this are painted here alone: a fork would gain nothing
PATIENCE_S = 10.0  # how much longer than this process the child may take on its half, and twice as long

# Called with the number of text pages painted so far; it raises to stop (the user cancelled).
Tick = Callable[[int], None]


def paint_text_pages(document: Any, layer: TextLayer, indices: Sequence[int], tick: Tick, *, parallel: bool) -> None:
    """Paints pages `indices` (page indices from 0) of `document` (a gui.printing.ReportDocument)
    into `layer`; a page the text layer cannot set is left out of layer.pages, for Qt to draw.
    `parallel`: on two cores as the module says, when this machine lets the process run on two
    and fork. Raises what `tick` or painting raises; the child is gone by then."""
    if not parallel or len(indices) < MIN_PAGES or not two_cores():
        _paint(document, layer, indices, tick, 0)
        return
    kinds: dict[type, int] = {}  # the schedule's and tables' pages, a rack's, a label sheet
    for index in indices:
        kinds.setdefault(type(document.pages[index]), index)
    first = sorted(kinds.values())
    done = _paint(document, layer, first, tick, 0)
    taken = set(first)
    rest = [index for index in indices if index not in taken]
    mine, theirs = rest[0::2], rest[1::2]
    child = _Child.start(document, layer, theirs)
    if child is None:
        _paint(document, layer, rest, tick, done)
        return
    try:
        # The child keeps about the same pace: count its pages with ours.
        start = time.monotonic()
        _paint(document, layer, mine, lambda n: tick(min(done + 2 * (n - done), len(indices))), done)
        # A child far slower than this process is stuck (a lock held at the fork): given up.
        back = child.join(layer, patience=PATIENCE_S + 2 * (time.monotonic() - start))
    finally:
        child.kill()
    _paint(document, layer, theirs if back is None else back, tick, len(layer.pages))


def two_cores() -> bool:
    """Whether this process may run on two cores and fork (Linux)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    return len(os.sched_getaffinity(0)) >= 2


def _paint(document: Any, layer: TextLayer, indices: Sequence[int], tick: Tick, done: int) -> int:
    """Paints `indices` into `layer` here; returns `done` plus the pages painted."""
    for index in indices:
        canvas = layer.canvas()
        try:
            document.paint_page(canvas, index)
        except NotInFace:
            continue  # drawn by Qt
        layer.add(index, canvas)
        done += 1
        tick(done)
    return done


def die_with_parent() -> bool:
    """Asks Linux to kill this (forked) process when its parent ends (PR_SET_PDEATHSIG): a
    report stopped by SIGTERM or SIGKILL left its child painting for seconds, orphaned.
    Returns True when asked; ends this process at once if the parent is already gone."""
    parent = os.getppid()
    try:
        asked = ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):
        asked = False
    if os.getppid() != parent:  # it ended before the request took effect
        os._exit(1)
    return asked


class _Child:
    """A forked child painting pages into `file`; it says what it did as one JSON line."""

    def __init__(self, pid: int, pipe: int, file: IO[bytes]) -> None:
        self.pid, self.pipe = pid, pipe
        self.file: IO[bytes] | None = file

    @classmethod
    def start(cls, document: Any, layer: TextLayer, indices: Sequence[int]) -> _Child | None:
        """Forks a child painting `indices`; None when the system refuses the fork."""
        file = tempfile.TemporaryFile()
        read, write = os.pipe()
        frozen = gc.get_freeze_count()
        # The child's collections then leave the parent's objects alone, rather than touching
        # (and so copying) every page of the heap.
        gc.freeze()
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:  # the child: whatever happens, never back into its parent's code
            code = 1
            try:
                _child_main(document, layer, indices, file, read, write)
                code = 0
            finally:
                # No atexit handler, no flush of the parent's buffers, no temporary file removed.
                os._exit(code)
        if not frozen:
            gc.unfreeze()
        os.close(write)
        if pid < 0:
            os.close(read)
            file.close()
            return None
        return cls(pid, read, file)

    def join(self, layer: TextLayer, patience: float) -> list[int] | None:
        """Waits up to `patience` seconds for the child; adopts its pages into `layer` and
        returns the pages it gave back, or None when it failed or took too long (then none of
        its pages are taken and kill() ends it)."""
        said = bytearray()
        deadline = time.monotonic() + patience
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.pipe], [], [], left)[0]:
                return None
            chunk = os.read(self.pipe, 1 << 16)
            if not chunk:
                break
            said += chunk
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            told = json.loads(said)
            pages = {int(i): (int(offset), int(length)) for i, offset, length in told["pages"]}
            used, back = set(told["used"]), [int(i) for i in told["back"]]
            learnt = {str(name): str(characters) for name, characters in told["learnt"].items()}
            for name, characters in learnt.items():
                layer.fonts.named(name).learn(characters)
        except (ValueError, KeyError, TypeError, NotInFace):
            return None
        assert self.file is not None
        layer.adopt(self.file, pages, used)
        self.file = None  # the layer's now
        return back

    def kill(self) -> None:
        """Ends the child if it still runs (the parent failed or was cancelled), and frees what it held."""
        if self.pid:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0
        if self.pipe >= 0:
            os.close(self.pipe)
            self.pipe = -1
        if self.file is not None:
            self.file.close()
            self.file = None


def _child_main(
    document: Any, layer: TextLayer, indices: Sequence[int], file: IO[bytes], read: int, write: int
) -> None:
    """The child's work: paints `indices` into `file` and tells its parent on `write`."""
    die_with_parent()
    os.close(read)
    layer.fonts.freeze()
    pages: list[tuple[int, int, int]] = []
    used: set[str] = set()
    back: list[int] = []
    for index in indices:
        canvas = layer.canvas()
        try:
            document.paint_page(canvas, index)
        except NotInFace:  # a font not named yet, or a page for Qt: the parent's
            back.append(index)
            continue
        pages.append((index, *write_page(file, layer.ctm, canvas)))
        used |= canvas.used
    file.flush()
    told = {"pages": pages, "used": sorted(used), "back": back, "learnt": layer.fonts.learnt()}
    with os.fdopen(write, "wb") as pipe:
        pipe.write(json.dumps(told, ensure_ascii=True).encode("ascii"))

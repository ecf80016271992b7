"""The app's C heap keeps the memory an edit frees, for the next edit to reuse, and has
that memory ready before the first edit.

An edit at 300,000 cables makes new numpy columns for its snapshot (model.analysis:
published snapshots never change) and frees the last ones: ~60 arrays of 0.3-4.6 MiB,
~60 MiB a step of a dragged rack. glibc's malloc serves blocks of that size with mmap, or
from a heap it trims back as soon as ~2 blocks are free, so every new column was fresh
pages faulted in one by one: 58 copies of a 2.4 MB column took ~72 ms that way against
~12 ms in reused memory (this machine), about 24 of a drag step's 40 ms at 100,000
accelerators (bench/gui.py). Raising both thresholds keeps the blocks in the heap.

After a file is opened the heap has no such free memory yet: the first edit faulted in its
new columns page by page (first delete of a server at 100k: 90-280 ms, 18-22 thousand page
faults). `HeapReserve` touches one snapshot's worth (68 MB there) in 8 MB blocks, a block per
turn of the event loop once the window is idle, and frees it: the first delete then took
~66 ms (~5,000 faults), and the first step of a drag found it too. It costs that much
resident memory from the start (settled RSS after opening the 100k file 630 -> 690 MiB) that
the first edit would have taken anyway. All threads share one arena (`keep_freed_memory`),
so the opened layout's columns, made on the worker thread that read the file, are there for
the edits after the first to reuse when freed. Twice the reserve was tried: the first delete ~55-64 ms and
no faults in the second drag step either, for 763 MiB; a zoom-in that draws every route
takes the free memory for its own items anyway.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer

from gui.turns import leave, my_turn

# mallopt's parameters (glibc malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
MMAP_THRESHOLD_BYTES = 32 * 2**20  # glibc's most (HEAP_MAX_SIZE / 2 on 64-bit): blocks below it come from the heap
TRIM_THRESHOLD_BYTES = 256 * 2**20  # free memory the heap keeps at its top: a few edits' worth of columns
BLOCK_BYTES = 8 * 2**20  # touched a turn (~2,000 page faults, ~8 ms)
RESERVE_MAX_BYTES = 192 * 2**20  # below the trim threshold: the freed reserve stays in the heap
RESERVE_MIN_BYTES = 16 * 2**20  # a smaller layout's edits fault in too little to matter
_state = {"kept": False}  # keep_freed_memory() took effect in this process


def keep_freed_memory() -> bool:
    """Sets glibc malloc's mmap and trim thresholds (MMAP_THRESHOLD_BYTES, TRIM_THRESHOLD_BYTES)
    for this process, and one arena for all its threads. Returns True when all three were set;
    False where there is no glibc (other systems' allocators reuse freed memory by themselves)
    or it refused. Raises nothing. Call it before any thread allocates (make_application).

    One arena: a file is read and analysed on a worker thread (gui.background), whose blocks
    glibc takes from an arena of that thread's own; freed there, the main thread's edits could
    not reuse them. The opened layout's columns, freed once the first edit replaced them, were
    such memory: the first undo after opening faulted in ~15,500 fresh pages (~60 MB, 40-60 ms
    of it at 100,000 accelerators) and the thread's arena kept its freed memory resident beside
    the main one (peak RSS opening that pod 689 -> 655 MiB with one arena)."""
    if not sys.platform.startswith("linux"):
        return False
    mallopt = _libc_function("mallopt")
    if mallopt is None:  # musl and others: no mallopt
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    kept = (
        bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
        and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES))
        and bool(mallopt(M_ARENA_MAX, 1))
    )
    _state["kept"] = _state["kept"] or kept
    return kept


def _libc_function(name: str) -> Any:
    """The C library's function `name` (ctypes), or None where there is no such library or
    function. Raises nothing."""
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):
        return None


def give_back_freed_memory() -> bool:
    """Gives the memory the heap holds free back to the system (glibc's malloc_trim(0): the
    top of the heap and every whole free page below it). Returns True when some went back;
    False where keep_freed_memory() did not take effect (the heap gives memory back by itself
    there) or nothing was free. Raises nothing.

    For another layout opened: the last one, freed, stayed in the heap under the high trim
    threshold (TRIM_THRESHOLD_BYTES) beside the new one, and the app grew with every file
    opened (100,000 accelerators opened four times: 631, 857, 801, 908 MiB). HeapReserve
    gives it back before it readies its own memory for the first edits."""
    trim = _libc_function("malloc_trim") if _state["kept"] else None
    if trim is None:
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return bool(trim(0))


def snapshot_bytes(result: Any) -> int:
    """Bytes of the numpy columns an analysis snapshot (model.metrics.AnalysisResult) holds
    in its routes, products chosen and compiled cables and ends: what an edit copies."""
    state = result.state
    holders = (state.routes, state.choice, state.compiled, state.compiled.ends)
    return sum(v.nbytes for h in holders for v in vars(h).values() if isinstance(v, np.ndarray))


class HeapReserve(QObject):
    """Gives back what the heap holds free (give_back_freed_memory), then touches `nbytes` of
    memory (at most RESERVE_MAX_BYTES) in BLOCK_BYTES blocks, one a turn of the event loop
    (gui.turns: after other sliced work), then frees it all, so that the heap holds it,
    faulted in, for the next edits' columns. `done` once freed. Does nothing
    (done at once) where keep_freed_memory() did not take effect: the memory would go back
    to the system as soon as it was freed."""

    def __init__(self, nbytes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._left = min(nbytes, RESERVE_MAX_BYTES) if _state["kept"] else 0
        self.touched = 0  # bytes touched so far
        self._blocks: list[np.ndarray] = []
        self.done = self._left <= 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        if not self.done:
            self._timer.start()

    def _step(self) -> None:
        if not my_turn(self):
            self._timer.start()
            return
        if self.touched == 0:  # what the last layout left free goes back first (give_back_freed_memory)
            give_back_freed_memory()
        size = min(BLOCK_BYTES, self._left)
        self._blocks.append(np.ones(size // 8))  # ones, not zeros: calloc would leave the pages untouched
        self.touched += size
        self._left -= size
        if self._left > 0:
            self._timer.start()
            return
        self._blocks.clear()  # one free stretch at the heap's top, kept (TRIM_THRESHOLD_BYTES)
        self.done = True
        leave(self)


def reserve_for_edits(result: Any, parent: QObject | None = None) -> HeapReserve | None:
    """A HeapReserve for the first edit of the layout of `result` (one snapshot's columns,
    snapshot_bytes), or None for a layout too small to need one (RESERVE_MIN_BYTES)."""
    nbytes = snapshot_bytes(result)
    return HeapReserve(nbytes, parent) if nbytes >= RESERVE_MIN_BYTES else None

"""gui.heap: the app keeps freed memory for the next edit's columns (glibc's mallopt)."""

from __future__ import annotations

import platform
import sys

import pytest

from gui import heap


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's"
)
def test_both_thresholds_are_set_on_glibc():
    assert heap.keep_freed_memory() is True


def test_elsewhere_it_sets_nothing_and_says_so(monkeypatch):
    monkeypatch.setattr(heap.sys, "platform", "darwin")
    assert heap.keep_freed_memory() is False


def test_a_libc_without_mallopt_is_no_error(monkeypatch):
    class NoMallopt:
        def __init__(self, _name):
            pass

    monkeypatch.setattr(heap.ctypes, "CDLL", NoMallopt)
    assert heap.keep_freed_memory() is False


def test_a_reserve_touches_its_memory_a_block_a_turn_then_frees_it(qtbot, monkeypatch):
    monkeypatch.setitem(heap._state, "kept", True)
    monkeypatch.setattr(heap, "BLOCK_BYTES", 2**20)
    reserve = heap.HeapReserve(5 * 2**20 + 8)
    assert not reserve.done and reserve.touched == 0  # nothing before the event loop turns
    qtbot.waitUntil(lambda: reserve.done)
    assert reserve.touched == 5 * 2**20 + 8 and reserve._blocks == []


def test_no_reserve_where_freed_memory_would_go_back_at_once(monkeypatch):
    monkeypatch.setitem(heap._state, "kept", False)
    reserve = heap.HeapReserve(64 * 2**20)
    assert reserve.done and reserve.touched == 0


def test_a_reserve_is_the_size_of_a_snapshot_and_only_for_a_big_layout(qtbot, monkeypatch):
    from model.analysis import Analysis
    from model.document import Document
    from model.topologies import build_sample

    result = Analysis(Document(build_sample("trn2-ultra64"))).result
    assert heap.reserve_for_edits(result) is None  # a few kB of columns
    monkeypatch.setattr(heap, "RESERVE_MIN_BYTES", 0)
    monkeypatch.setitem(heap._state, "kept", True)
    reserve = heap.reserve_for_edits(result)
    assert reserve is not None
    qtbot.waitUntil(lambda: reserve.done)
    assert reserve.touched == heap.snapshot_bytes(result) > 0


_ONE_ARENA = """
import resource, sys, threading
import numpy as np
sys.path.insert(0, {root!r})
from gui import heap
if {keep}:
    assert heap.keep_freed_memory()
else:  # the thresholds alone, as before
    import ctypes
    libc = ctypes.CDLL("libc.so.6")
    libc.mallopt(heap.M_MMAP_THRESHOLD, heap.MMAP_THRESHOLD_BYTES)
    libc.mallopt(heap.M_TRIM_THRESHOLD, heap.TRIM_THRESHOLD_BYTES)
def worker():  # a file read on a worker thread: its columns made there
    blocks = [np.ones(2**20) for _ in range(8)]  # 8 blocks of 8 MiB, touched
    del blocks
thread = threading.Thread(target=worker)
thread.start()
thread.join()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
blocks = [np.ones(2**20) for _ in range(8)]  # the next edit's columns, on the main thread
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's"
)
def test_memory_a_worker_thread_freed_is_reused_by_the_main_thread():
    """64 MiB freed by a worker thread (a file read and analysed there) are reused by the main
    thread's next columns in one arena, where with an arena per thread (the thresholds alone)
    they are faulted in afresh: page faults counted in a fresh process each way (~0 against
    ~4,000 here; transparent huge pages make fewer, larger faults, hence the ratio)."""
    import subprocess
    from pathlib import Path

    root = str(Path(heap.__file__).resolve().parent.parent)

    def faults(keep: bool) -> int:
        script = _ONE_ARENA.format(root=root, keep=keep)
        return int(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout)

    one_arena, per_thread = faults(True), faults(False)
    assert per_thread >= 10 * (one_arena + 1), (one_arena, per_thread)


def test_a_reserve_gives_back_what_the_heap_holds_free_before_it_touches_its_own(qtbot, monkeypatch):
    """Another layout opened: the last one, freed, stayed in the heap beside the new one (the
    high trim threshold), and the app grew with every file opened. The reserve gives it back
    first, then readies its own memory for the first edits."""
    monkeypatch.setitem(heap._state, "kept", True)
    monkeypatch.setattr(heap, "BLOCK_BYTES", 2**20)
    reserve = heap.HeapReserve(3 * 2**20)
    given_back_at: list[int] = []
    monkeypatch.setattr(heap, "give_back_freed_memory", lambda: given_back_at.append(reserve.touched) or True)
    qtbot.waitUntil(lambda: reserve.done)
    assert given_back_at == [0] and reserve.touched == 3 * 2**20  # once, before any block was touched


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's"
)
def test_freed_memory_kept_by_the_heap_goes_back_to_the_system():
    import numpy as np

    def resident_mib() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096 / 2**20

    assert heap.keep_freed_memory()
    blocks = [np.ones(2**20 // 8) for _ in range(48)]  # 48 MiB in heap blocks (under the mmap threshold)
    del blocks  # freed, and kept by the heap (under the trim threshold)
    kept = resident_mib()
    assert heap.give_back_freed_memory() is True
    assert resident_mib() < kept - 32


def test_without_glibcs_thresholds_nothing_is_given_back(monkeypatch):
    monkeypatch.setitem(heap._state, "kept", False)
    assert heap.give_back_freed_memory() is False

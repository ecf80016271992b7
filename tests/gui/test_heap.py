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

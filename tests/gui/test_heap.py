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

"""model.geometry.columns: column holders cloned, and batches of copies shared by two threads."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from model.geometry import columns
from model.geometry.columns import clone_columns, copy_pairs


def _batch(count: int) -> tuple[list[np.ndarray], list[tuple[np.ndarray, np.ndarray]]]:
    rng = np.random.default_rng(7)
    sources = [rng.random((1000 + 37 * k, 2)) if k % 3 else rng.integers(0, 9, 5000 + k) for k in range(count)]
    return sources, [(np.empty_like(source), source) for source in sources]


@pytest.mark.parametrize("parallel_bytes", [0, 10**12])
def test_every_pair_is_copied_by_one_thread_or_two(monkeypatch, parallel_bytes):
    monkeypatch.setattr(columns, "PARALLEL_BYTES", parallel_bytes)
    handed: list[int] = []  # pairs handed to the helper, a batch each
    helper = columns._executor()

    class Noted:
        def submit(self, work, pairs):
            handed.append(len(pairs))
            return helper.submit(work, pairs)

    monkeypatch.setattr(columns, "_executor", Noted)
    sources, pairs = _batch(9)
    copy_pairs(pairs)
    for (to, _), source in zip(pairs, sources):
        np.testing.assert_array_equal(to, source)
    # Below PARALLEL_BYTES one thread copies all; above, the later pairs (about half the bytes) go over.
    assert handed == [] if parallel_bytes else (len(handed) == 1 and 0 < handed[0] < len(pairs))


def test_the_helpers_half_is_copied_here_when_it_has_not_started(monkeypatch):
    # The helper busy (a long job ahead of ours): this thread takes the half back and copies it.
    monkeypatch.setattr(columns, "PARALLEL_BYTES", 0)
    release = threading.Event()
    blocker = columns._executor().submit(release.wait, 5)
    try:
        sources, pairs = _batch(6)
        copy_pairs(pairs)
        for (to, _), source in zip(pairs, sources):
            np.testing.assert_array_equal(to, source)
    finally:
        release.set()
        blocker.result()


def test_a_copy_that_fails_on_either_thread_raises_here(monkeypatch):
    monkeypatch.setattr(columns, "PARALLEL_BYTES", 0)
    sources, pairs = _batch(6)
    for wrong in (0, len(pairs) - 1):  # this thread's half, the helper's half
        bad = list(pairs)
        bad[wrong] = (np.empty(3), sources[wrong])
        with pytest.raises(ValueError):
            copy_pairs(bad)


def test_a_clone_holds_equal_copies_it_owns():
    class Holder:
        def __init__(self) -> None:
            self.a = np.arange(10.0)
            self.b = np.arange(6, dtype=np.int32).reshape(3, 2)[:, ::-1]  # not contiguous: the copy is
            self.names = ["x", "y"]
            self.lookup = {"x": 0}

    holder = Holder()
    twin = clone_columns(holder)
    np.testing.assert_array_equal(twin.a, holder.a)
    np.testing.assert_array_equal(twin.b, holder.b)
    assert twin.b.flags.c_contiguous and twin.names == holder.names and twin.lookup is holder.lookup
    twin.a[0], twin.b[0, 0] = -1, -1
    twin.names.append("z")
    assert holder.a[0] == 0 and holder.b[0, 0] == 1 and holder.names == ["x", "y"]

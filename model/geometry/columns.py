"""Copies of column holders, so that a published analysis never changes under a reader.

The analysis updates its columns in place after an edit (re-routing a few cables of
200k). A published `AnalysisResult` keeps the objects it was built from; before the
next in-place update the analysis works on copies made here (copy on write), which
costs one array copy per column (a few ms at 200k cables) instead of a full re-analysis.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np

from model.rows import Pieces

T = TypeVar("T")

# A batch of copies this big is shared with a helper thread: numpy lets the interpreter lock go
# while it copies a large array, so two cores copy at once. 67 MB of columns (a snapshot at
# 100,000 accelerators) took ~9 ms on one thread of this machine and ~5 ms on two; handing
# half over costs ~0.05-0.1 ms, more than a small batch gains.
PARALLEL_BYTES = 4 * 2**20
_helper: list[ThreadPoolExecutor] = []  # made on first use: a command-line run never needs it
_helper_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    with _helper_lock:
        if not _helper:
            _helper.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="column-copies"))
        return _helper[0]


def _copy(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
    for to, source in pairs:
        to[...] = source


def copy_pairs(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
    """Copies each (to, source) pair of arrays of one shape, as to[...] = source. A batch of
    PARALLEL_BYTES or more is split in two by bytes: the later pairs go to a helper thread
    while this one copies the first; if the helper has not started by then (a busy machine),
    this thread copies them too. Returns when every pair is copied. Raises what numpy's
    assignment raises (ValueError for shapes that do not match), from either thread."""
    total = sum(source.nbytes for _, source in pairs)
    if total < PARALLEL_BYTES or len(pairs) < 2:
        _copy(pairs)
        return
    done, split = 0, len(pairs)
    for k, (_, source) in enumerate(pairs):
        done += source.nbytes
        if 2 * done >= total:
            split = k + 1
            break
    mine, theirs = pairs[:split], pairs[split:]
    if not theirs:
        _copy(mine)
        return
    future = _executor().submit(_copy, theirs)
    try:
        _copy(mine)
    finally:
        if future.cancel():
            _copy(theirs)
        else:
            future.result()


def clone_columns(holder: T, **replace: Any) -> T:
    """A shallow copy of `holder` whose numpy arrays and lists (model.rows.Pieces too) are copies
    (the arrays' by copy_pairs).

    Takes any object with a `__dict__` (a column holder: arrays by name); `replace` sets
    attributes on the copy (e.g. a reference to another cloned holder). Returns the copy;
    the original is untouched. Dicts and nested holders are shared (they are lookups an
    incremental update does not change) unless passed in `replace`.
    """
    twin = copy.copy(holder)
    pairs = []
    for name, value in vars(holder).items():
        if isinstance(value, np.ndarray):
            to = np.empty(value.shape, dtype=value.dtype)  # C order, as value.copy() makes it
            pairs.append((to, value))
            setattr(twin, name, to)
        elif isinstance(value, list):
            setattr(twin, name, copy.copy(value))
        elif isinstance(value, Pieces):
            setattr(twin, name, value.copy())  # shares its pieces; a write copies only its own
    copy_pairs(pairs)  # a drag step's ~60 columns at 300,000 cables: on two threads
    for name, value in replace.items():
        setattr(twin, name, value)
    return twin

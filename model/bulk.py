"""Making hundreds of thousands of small objects at once (a layout read from a file, a sample built).

Layout objects hold no reference cycles, yet CPython's cyclic garbage collector walks the
whole growing heap again and again while they are made: about a third of building or
reading a 100,000-accelerator layout (300,000 cables) went into its passes.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

H = TypeVar("H", bound=Hashable)


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off while the body makes its (acyclic) objects, back on
    (if it was) afterwards, when it collects whatever cycles were made meanwhile. Takes and
    raises nothing of its own (the body's exceptions pass through)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# One C call over a few hundred thousand items holds the interpreter lock throughout (a set of
# 600,000 port references: 90-360 ms at load), and a thread that reads a file for the app
# freezes its window as long: in pieces of this many, the interpreter can switch between them.
GIL_CHUNK = 20_000


def all_distinct(items: Sequence[Hashable]) -> bool:
    """Whether no item of `items` (any sequence of hashables) repeats, as
    len(set(items)) == len(items), the set made GIL_CHUNK items a call. Raises TypeError
    for an unhashable item, as set() does."""
    seen: set[Hashable] = set()
    for start in range(0, len(items), GIL_CHUNK):
        seen.update(items[start : start + GIL_CHUNK])
    return len(seen) == len(items)


def distinct(items: Iterable[H]) -> set[H]:
    """set(items) made GIL_CHUNK items a call (`items`: any iterable of hashables, read
    once), so that other threads run between the calls. Raises TypeError as set() does."""
    seen: set[H] = set()
    it = iter(items)
    while True:
        piece = list(itertools.islice(it, GIL_CHUNK))
        if not piece:
            return seen
        seen.update(piece)


def rows_of(items: Sequence[H]) -> dict[H, int]:
    """{items[k]: k} for every k, as dict(zip(items, range(len(items)))) (a repeated item
    takes its last row), made GIL_CHUNK items a call: one call of 300,000 cable ids held the
    interpreter lock ~70 ms on the worker reading a file. Raises TypeError as dict() does."""
    rows: dict[H, int] = {}
    for start in range(0, len(items), GIL_CHUNK):
        stop = min(start + GIL_CHUNK, len(items))
        rows.update(zip(items[start:stop], range(start, stop)))
    return rows

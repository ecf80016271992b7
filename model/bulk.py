"""Making hundreds of thousands of small objects at once (a layout read from a file, a sample built).

Layout objects hold no reference cycles, yet CPython's cyclic garbage collector walks the
whole growing heap again and again while they are made: about a third of building or
reading a 100,000-accelerator layout (300,000 cables) went into its passes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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

"""Copies of column holders, so that a published analysis never changes under a reader.

The analysis updates its columns in place after an edit (re-routing a few cables of
200k). A published `AnalysisResult` keeps the objects it was built from; before the
next in-place update the analysis works on copies made here (copy on write), which
costs one array copy per column (a few ms at 200k cables) instead of a full re-analysis.
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

import numpy as np

from model.rows import Pieces

T = TypeVar("T")


def clone_columns(holder: T, **replace: Any) -> T:
    """A shallow copy of `holder` whose numpy arrays and lists (model.rows.Pieces too) are copies.

    Takes any object with a `__dict__` (a column holder: arrays by name); `replace` sets
    attributes on the copy (e.g. a reference to another cloned holder). Returns the copy;
    the original is untouched. Dicts and nested holders are shared (they are lookups an
    incremental update does not change) unless passed in `replace`.
    """
    twin = copy.copy(holder)
    for name, value in vars(holder).items():
        if isinstance(value, np.ndarray):
            setattr(twin, name, value.copy())
        elif isinstance(value, list):
            setattr(twin, name, copy.copy(value))
        elif isinstance(value, Pieces):
            setattr(twin, name, value.copy())  # shares its pieces; a write copies only its own
    for name, value in replace.items():
        setattr(twin, name, value)
    return twin

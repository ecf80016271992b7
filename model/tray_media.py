"""Which media run in each piece of tray: the routes of a whole hall at a glance.

Zoomed out, the floor plan draws a hall's routes as lanes along its trays, one per medium
(DAC, AEC, AOC, optics), instead of 300,000 polylines. The counts come from the same
difference arrays as tray fill (model.geometry.fill), one medium at a time, in chunks so
that a view can spread the work over several turns of its event loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from model.selection import MEDIUM_NAMES

if TYPE_CHECKING:
    from model.analysis import AnalysisState

CHUNK = 50_000  # cables added up per step


def piece_media_counts(state: AnalysisState, chunk: int = CHUNK, rows=None) -> Iterator[np.ndarray]:
    """Per tray piece (the rows of AnalysisResult.tray_fill), how many cables of each medium
    (columns in MEDIUM_NAMES order) lie in it: yields the (pieces, len(MEDIUM_NAMES)) int64
    counts after every `chunk` cables, the last yield complete. `rows` (cable rows): only
    those cables (an edit's, to update counts), else all. A breakout counts each leg;
    cables without a product, inside one rack or not in a tray count nowhere. Raises nothing
    of its own. Figures: the analysis' routes and tray pieces (model.geometry.fill)."""
    fill = state.fill
    probe = fill.clone(fill.routes)  # same pieces, own sums
    counts = np.zeros((fill.piece_count, len(MEDIUM_NAMES)), dtype=np.int64)
    product = state.choice.product
    code = np.where(product >= 0, state.products.medium[np.maximum(product, 0)], -1)
    every = np.arange(len(code)) if rows is None else np.asarray(rows, dtype=np.int64)
    for medium in range(len(MEDIUM_NAMES)):
        rows = every[code[every] == medium]
        probe.diff[:] = 0
        probe.edge_area[:] = 0
        probe.count_diff[:] = 0
        probe.edge_count[:] = 0
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            probe.add(part, np.ones(len(part)))
            counts[:, medium] = probe.cable_counts()
            yield counts
    yield counts

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
    every = np.arange(len(product)) if rows is None else np.asarray(rows, dtype=np.int64)
    # The medium of the cables counted only: an edit's few rows, not all 300,000 (~0.6 ms a call).
    code = state.products.medium_of(product[every])
    for medium in range(len(MEDIUM_NAMES)):
        rows = every[code == medium]
        if not len(rows):  # its column stays 0 (an edit's 8 cables are of one or two media)
            continue
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


def carry_counts(before: AnalysisState, after: AnalysisState, counts: np.ndarray, rows) -> np.ndarray:
    """`counts` (the complete piece_media_counts of `before`) as they are in `after`, where
    only the cables at `rows` (cable rows, the same in both) were re-routed or re-chosen and
    the trays are the same but may be cut elsewhere (racks moved: their drops elsewhere).
    Returns (pieces of `after`, len(MEDIUM_NAMES)) int64 counts, equal to counting `after`
    afresh: with those cables taken out, every other cable starts and ends at a drop that
    stays, so each piece of `after` has the counts of the piece of `before` it lies in
    (model.geometry.fill.TrayFill.recut carries the fill the same way). Raises nothing of
    its own. Figures: the analyses' routes and tray pieces."""
    rows = np.asarray(rows, dtype=np.int64)
    kept = counts - list(piece_media_counts(before, rows=rows))[-1]
    old, new = before.fill, after.fill
    n = new.piece_count
    middle = (new.piece_start[:n] + new.piece_end[:n]) / 2
    return kept[old.piece_at(new.piece_edge[:n], middle)] + list(piece_media_counts(after, rows=rows))[-1]

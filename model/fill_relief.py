"""When a tray piece is over its fill, move the cheapest cables in it to thinner products.

Cables in over-full pieces get, once, their best feasible product among those thinner
than the one they have. Then, piece by piece from the fullest, the swaps that free the
most cross-section per extra dollar are taken until the piece fits. A piece that stays
over after that is a problem for the designer (metrics reports it); pinned cables and
breakouts are never moved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.selection import Choice

if TYPE_CHECKING:
    from model.analysis import Analysis

PASSES = 2


def relieve_fill(analysis: Analysis, only: np.ndarray | None = None) -> None:
    """Moves cables of over-full tray pieces to thinner products, in `analysis.choice`, in place.

    `only` ((pieces,) bool) limits it to the pieces an edit changed. Pieces still over
    after PASSES passes stay over: metrics reports them as fill problems.
    """
    fill = analysis.fill
    for _ in range(PASSES):
        over_mask = fill.used_mm2() > fill.usable_mm2 + 1e-9
        if only is not None:
            over_mask &= only
        over = np.nonzero(over_mask)[0]
        if len(over) == 0 or not _one_pass(analysis, over):
            return


def _unpinned(analysis: Analysis) -> np.ndarray:
    c = analysis.compiled
    free = np.array([p is None and m is None for p, m in zip(c.pinned_product, c.pinned_medium)], dtype=bool)
    if c.has_breakouts:
        free &= c.leg_count == 1  # a breakout's product is chosen for all its legs at once: not moved
    return np.nonzero(free & (analysis.choice.product >= 0))[0]


def _one_pass(analysis: Analysis, over: np.ndarray) -> bool:
    fill = analysis.fill
    touched = np.sort(fill.near(over, _unpinned(analysis)))
    if len(touched) == 0:
        return False
    # Only cables that have a thinner feasible product can help; most full trays hold
    # none (fibre is already the thinnest), so find those before the per-piece work.
    area_now = analysis._areas(touched)
    alternative = _thinner_choices(analysis, touched, area_now)
    has_alt = alternative.product[touched] >= 0
    gain = area_now - np.where(has_alt, analysis.products.area[np.maximum(alternative.product[touched], 0)], area_now)
    helpful = has_alt & (gain > 1e-9)
    if not helpful.any():
        return False
    touched, area_now, gain = touched[helpful], area_now[helpful], gain[helpful]
    extra = alternative.cost[touched] - analysis.choice.cost[touched]
    members = fill.members(over, touched)
    swapped = np.zeros(len(touched), dtype=bool)
    moved = False
    used = fill.used_mm2()
    for at in np.argsort(-(used[over] - fill.usable_mm2[over])):
        piece = over[at]
        excess = fill.used_mm2()[piece] - fill.usable_mm2[piece]
        rows = np.searchsorted(touched, members[at])
        rows = rows[~swapped[rows]]
        if excess <= 1e-9 or len(rows) == 0:
            continue
        order = rows[np.argsort(extra[rows] / gain[rows], kind="stable")]
        take = order[: int(np.searchsorted(np.cumsum(gain[order]), excess - 1e-9) + 1)]
        _swap(analysis, touched[take], alternative, area_now[take])
        swapped[take] = True
        moved = True
    return moved


def _thinner_choices(analysis: Analysis, cables: np.ndarray, area_now: np.ndarray) -> Choice:
    saved = analysis.choice
    analysis.choice = Choice(*(np.copy(column) for column in vars(saved).values()))
    try:
        analysis._select(cables, max_area=area_now)
        return analysis.choice
    finally:
        analysis.choice = saved


def _swap(analysis: Analysis, cables: np.ndarray, alternative: Choice, old_area: np.ndarray) -> None:
    before = analysis.choice.product[cables].copy()
    analysis.fill.add(cables, old_area, -1)
    for column, source in zip(vars(analysis.choice).values(), vars(alternative).values()):
        column[cables] = source[cables]
    analysis.fill.add(cables, analysis._areas(cables))
    analysis.fill_moved[cables] = before != analysis.choice.product[cables]

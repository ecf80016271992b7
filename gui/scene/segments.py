"""Many routes as few lines: overlapping pieces along the same tray drawn once.

Hundreds of cables leaving a rack share the same lane, manager and tray, so their
polylines lie on top of each other. Drawn with one opaque pen, the overlap is
invisible but each copy still costs the painter; merging collinear axis-aligned
pieces first leaves the picture the same and the line count a fraction of it.
"""

from __future__ import annotations

import numpy as np

ALIGNED_MM = 0.5  # a piece whose ends differ less than this across is axis-aligned
SPAN = 1e8  # larger than any coordinate on a floor plan (100 km), in mm


def pieces(route: np.ndarray) -> np.ndarray:
    """One route's pieces as rows (x1, y1, x2, y2)."""
    return np.hstack([route[:-1], route[1:]]) if len(route) >= 2 else np.zeros((0, 4))


def route_segments(routes: list[np.ndarray]) -> np.ndarray:
    """Every piece of every route ((n, 2) points each) as rows (x1, y1, x2, y2), route by
    route: their corners stacked once, less the rows that would join one route's last corner
    to the next one's first (one numpy pass, not an array a route: a bundle holds thousands)."""
    if not routes:
        return np.zeros((0, 4))
    xy = np.concatenate(routes)
    if len(xy) < 2:
        return np.zeros((0, 4))
    keep = np.ones(len(xy) - 1, dtype=bool)
    last = np.cumsum([len(r) for r in routes]) - 1  # each route's last corner, a row of xy
    keep[last[(last >= 0) & (last < len(keep))]] = False  # an empty route first has none (-1)
    return np.hstack([xy[:-1], xy[1:]])[keep]


def merged_segments(routes: list[np.ndarray]) -> np.ndarray:
    """The routes' pieces as rows (x1, y1, x2, y2), overlapping collinear ones merged."""
    return merge(route_segments(routes))


def merge(segments: np.ndarray) -> np.ndarray:
    """Rows (x1, y1, x2, y2) with overlapping collinear axis-aligned ones merged into one."""
    dx = np.abs(segments[:, 2] - segments[:, 0])
    dy = np.abs(segments[:, 3] - segments[:, 1])
    horizontal = dy < ALIGNED_MM
    vertical = (dx < ALIGNED_MM) & ~horizontal
    other = segments[~(horizontal | vertical)]
    h = segments[horizontal]
    v = segments[vertical]
    rows = _merge(np.round(h[:, 1]), np.minimum(h[:, 0], h[:, 2]), np.maximum(h[:, 0], h[:, 2]))
    columns = _merge(np.round(v[:, 0]), np.minimum(v[:, 1], v[:, 3]), np.maximum(v[:, 1], v[:, 3]))
    flat = np.column_stack([rows[:, 1], rows[:, 0], rows[:, 2], rows[:, 0]])
    upright = np.column_stack([columns[:, 0], columns[:, 1], columns[:, 0], columns[:, 2]])
    return np.concatenate([flat, upright, other])


def _merge(line: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Intervals [lo, hi] on the lines `line`, overlapping ones joined: rows (line, lo, hi)."""
    if len(line) == 0:
        return np.zeros((0, 3))
    order = np.lexsort((lo, line))
    line, lo, hi = line[order], lo[order], hi[order]
    # Each line gets its own band of the number axis, so one running maximum serves all lines.
    band = np.cumsum(np.r_[0, np.diff(line) != 0]) * SPAN * 4
    reach = np.maximum.accumulate(hi + band)
    starts = np.r_[True, lo[1:] + band[1:] > reach[:-1]]
    first = np.flatnonzero(starts)
    return np.column_stack([line[first], lo[first], np.maximum.reduceat(hi, first)])

"""Route corner points of many cables at once, as one array: what views draw.

The same corners as model.geometry.route_points (port, lane, manager, riser, the tray
network junction by junction, and down at the far end; consecutive corners closer than
SAME_POINT_MM are one), built without a Python step per cable: the walk along the tray
network is looked up once per distinct pair of junctions and copied into place with
numpy. A hall of 300,000 cables needs every route when it is drawn; one cable at a time
that was ~50 µs each (15 s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.geometry.pathways import CARTRIDGE, PASS_THROUGH
from model.geometry.route_points import SAME_POINT_MM, across_to_lane_b, end_legs

if TYPE_CHECKING:
    from model.geometry.routes import RouteColumns

DEDUPE_ROUNDS = 8  # rounds of the vectorised merge of close corners before falling back to one by one


def route_polylines(routes: RouteColumns, cables) -> tuple[np.ndarray, np.ndarray]:
    """Corner points of the routes of `cables` (ints, cable rows of `routes`), port to port.

    Returns (points, starts): points (N, 3) floor x, y and height z in mm; starts (n + 1,)
    int64, cable i's corners being points[starts[i]:starts[i + 1]]. Equal to
    model.geometry.route_points.route_points for the same cables. Raises IndexError for a
    row outside the routes. Figures: the route model in model/geometry/routes.py."""
    cables = np.asarray(cables, dtype=np.int64).reshape(-1)
    n = len(cables)
    if n == 0:
        return np.zeros((0, 3)), np.zeros(1, dtype=np.int64)
    pathway = routes.pathway[cables]
    cart = pathway == CARTRIDGE
    through = (pathway == PASS_THROUGH) & ~cart
    inside = routes.same_rack[cables] & ~cart & ~through
    tray = ~(cart | through | inside)
    a, b = end_legs(routes, cables)
    z_b = routes.compiled.ends.z[2 * cables + 1]
    cross = across_to_lane_b(routes, cables)  # (n, 2) floor x, y in end a's manager at end b's lane
    middle, middle_count = _tray_middle(routes, cables[tray])
    count = np.zeros(n, dtype=np.int64)
    count[cart], count[through], count[inside] = 5, 8, 7
    count[tray] = 10 + middle_count
    starts = np.concatenate([[0], np.cumsum(count)])
    out = np.zeros((int(starts[-1]), 3))

    def put(first: np.ndarray, parts: list[np.ndarray]) -> None:
        block = np.stack(parts, axis=1)  # (cables, k, 3)
        out[first[:, None] + np.arange(block.shape[1])] = block

    def at(xy: np.ndarray, z: np.ndarray) -> np.ndarray:
        return np.column_stack([xy, z])

    if cart.any():
        put(starts[:-1][cart], _cartridge(routes, cables[cart]))
    for mask, far in ((through, [b[:, 2], b[:, 1], b[:, 0]]), (inside, [b[:, 1], b[:, 0]])):
        if mask.any():
            corner = [at(a[mask, 2, :2], z_b[mask]), at(cross[mask], z_b[mask])]
            put(starts[:-1][mask], [a[mask, 0], a[mask, 1], a[mask, 2], *corner, *[p[mask] for p in far]])
    if tray.any():
        first = starts[:-1][tray]
        at_, bt = a[tray], b[tray]
        rise_a = [at(at_[:, 2, :2], at_[:, 3, 2]), at_[:, 3]]
        rise_b = [bt[:, 3], at(bt[:, 2, :2], bt[:, 3, 2])]
        put(first, [at_[:, 0], at_[:, 1], at_[:, 2], *rise_a])
        out[np.repeat(first + 5, middle_count) + _ranks(middle_count)] = middle
        put(first + 5 + middle_count, [*rise_b, bt[:, 2], bt[:, 1], bt[:, 0]])
    return _dedupe(out, starts)


def _cartridge(routes: RouteColumns, cables: np.ndarray) -> list[np.ndarray]:
    """Five (cables, 3) points: port a, back to the cartridge plane, along it, out to port b."""
    ends, racks = routes.compiled.ends, routes.compiled.racks
    ea, eb = 2 * cables, 2 * cables + 1
    rack = ends.rack[ea]
    face_ly = racks.depth[rack] - racks.clearance[rack, 1]  # blind-mate ports sit on the rear faceplate
    plane = face_ly + routes.settings.cartridge_offset_mm
    lx = np.stack([ends.lx[ea], ends.lx[ea], ends.lx[ea], ends.lx[eb], ends.lx[eb]], axis=1)
    ly = np.stack([face_ly, plane, plane, plane, face_ly], axis=1)
    z = np.stack([ends.z[ea], ends.z[ea], ends.z[eb], ends.z[eb], ends.z[eb]], axis=1)
    fx, fy = racks.to_floor(np.repeat(rack, 5), lx.reshape(-1), ly.reshape(-1))
    points = np.stack([fx.reshape(-1, 5), fy.reshape(-1, 5), z], axis=2)
    return [points[:, k] for k in range(5)]


def _tray_middle(routes: RouteColumns, cables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points along the tray network of tray-run `cables`: where the cable meets its
    first edge, the junctions walked (each at its edge's elevation) and where it leaves
    the last. Returns (points (M, 3), count (cables,)), the cables' points one after another."""
    net = routes.network
    n = len(cables)
    if n == 0:
        return np.zeros((0, 3)), np.zeros(0, dtype=np.int64)
    e1, e2 = routes.edge[cables, 0].astype(np.int64), routes.edge[cables, 1].astype(np.int64)
    on = e1 >= 0
    if not on.any():  # none reached a tray (a layout with no tray has no edge 0 to look up below)
        return np.zeros((0, 3)), np.zeros(n, dtype=np.int64)
    e1s, e2s = np.maximum(e1, 0), np.maximum(e2, 0)
    p1 = net.edge_start[e1s] + net.edge_dir[e1s] * routes.offset[cables, 0][:, None]
    p2 = net.edge_start[e2s] + net.edge_dir[e2s] * routes.offset[cables, 1][:, None]
    z1, z2 = net.edge_elevation[e1s], net.edge_elevation[e2s]
    u, v = routes.junction[cables, 0].astype(np.int64), routes.junction[cables, 1].astype(np.int64)
    via = on & (u >= 0)
    # The junctions of each distinct walk: its start (at the cable's first elevation, set
    # below) and the far node of every edge, at that edge's elevation.
    keys = u * max(net.node_count, 1) + v
    unique, inverse = np.unique(keys[via], return_inverse=True)
    walk_xy, walk_z, walk_len = [], [], np.zeros(len(unique), dtype=np.int64)
    for k, key in enumerate(unique.tolist()):
        xy, z = net.walk(*divmod(key, max(net.node_count, 1)))
        walk_xy.append(xy)
        walk_z.append(z)
        walk_len[k] = len(z)
    walk_first = np.concatenate([[0], np.cumsum(walk_len)[:-1]]) if len(unique) else np.zeros(0, dtype=np.int64)
    walks = np.column_stack([np.concatenate(walk_xy), np.concatenate(walk_z)]) if walk_xy else np.zeros((0, 3))
    inner = np.zeros(n, dtype=np.int64)
    inner[via] = walk_len[inverse]
    count = np.where(on, 2 + inner, 0)
    out = np.zeros((int(count.sum()), 3))
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    out[first[on]] = np.column_stack([p1[on], z1[on]])
    out[(first + count - 1)[on]] = np.column_stack([p2[on], z2[on]])
    if via.any():
        rank = _ranks(inner[via])
        gathered = walks[np.repeat(walk_first[inverse], inner[via]) + rank].copy()
        gathered[rank == 0, 2] = z1[via]  # a walk starts at the height of the cable's first edge
        out[np.repeat(first[via] + 1, inner[via]) + rank] = gathered
    return out, count


def _ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., c - 1 for each c in `counts`, one after another."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return np.arange(total) - np.repeat(first, counts)


def _dedupe(points: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drops each corner within SAME_POINT_MM (every coordinate) of the last corner kept
    before it in its route, as route_points does one by one."""
    n = len(starts) - 1
    owner = np.repeat(np.arange(n), np.diff(starts))
    begins = np.zeros(len(points), dtype=bool)
    begins[starts[:-1][np.diff(starts) > 0]] = True
    index = np.arange(len(points))
    far = np.ones(len(points), dtype=bool)
    far[1:] = _apart(points[1:], points[:-1])
    keep = begins | far
    for _ in range(DEDUPE_ROUNDS):
        # Compare every corner with the last one kept before it in its route; repeat until
        # nothing changes (the one-by-one rule is the only fixed point of these equations).
        last = np.maximum.accumulate(np.where(keep, index, -1))
        before = np.concatenate([[-1], last[:-1]])
        again = begins | _apart(points, points[np.maximum(before, 0)])
        if np.array_equal(again, keep):
            break
        keep = again
    else:
        keep = _dedupe_one_by_one(points, starts)
    kept = np.bincount(owner[keep], minlength=n)
    return points[keep], np.concatenate([[0], np.cumsum(kept)])


def _apart(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Rows of `p` more than SAME_POINT_MM from the same rows of `q` in some coordinate."""
    out = np.abs(p[:, 0] - q[:, 0]) > SAME_POINT_MM  # column by column: no (N, 3) temporaries
    for k in (1, 2):
        out |= np.abs(p[:, k] - q[:, k]) > SAME_POINT_MM
    return out


def _dedupe_one_by_one(points: np.ndarray, starts: np.ndarray) -> np.ndarray:
    keep = np.zeros(len(points), dtype=bool)
    for s, e in zip(starts[:-1].tolist(), starts[1:].tolist()):
        last = None
        for i in range(s, e):
            if last is None or np.abs(points[i] - points[last]).max() > SAME_POINT_MM:
                keep[i] = True
                last = i
    return keep

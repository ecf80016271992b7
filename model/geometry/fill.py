"""Tray fill: the summed cross-section of the cables in each piece of tray.

Every tray edge is cut into pieces at the points where racks drop into it, so fill is
known rack by rack along a row. A cable adds its cross-section to the pieces between
its drop point and the junction it leaves by, to every piece of the junction-to-
junction path, and to the pieces up to its far drop. Additions are kept as a
difference array per piece plus a per-edge total, so adding or taking away a few
cables (an edit) costs little.
"""

from __future__ import annotations

import numpy as np

from model.geometry.columns import clone_columns
from model.geometry.routes import RouteColumns
from model.geometry.trays import TrayNetwork


class TrayFill:
    """The fill of every tray piece for one set of routes, kept as sums that edits update.

    Pieces are numbered along the edges; per piece `piece_edge`, `piece_start` and
    `piece_end` (mm along the edge) and `usable_mm2` (tray width × depth × fill ratio)
    are arrays of shape (pieces,).
    """

    def __init__(self, network: TrayNetwork, routes: RouteColumns) -> None:
        self.network = network
        self.routes = routes
        edges = len(network.edge_length)
        station_edge, stations = _stations(network, routes.joins)
        counts = np.bincount(station_edge, minlength=edges).astype(np.int64)
        self.station_first = np.concatenate([[0], np.cumsum(counts)[:-1]]) if edges else np.zeros(0, np.int64)
        self.stations = stations
        self.station_edge = station_edge
        self._scale = float(network.edge_length.max() + 10) if edges else 1.0
        self._keys = self.station_edge * self._scale + self.stations
        # Pieces lie between consecutive stations of one edge: station i of edge e starts piece i - e.
        self.piece_edge = np.repeat(np.arange(edges), counts - 1)
        # A piece from each station but an edge's last, to the next.
        last = np.zeros(len(stations), dtype=bool)
        last[self.station_first + counts - 1] = True
        self.piece_start, self.piece_end = stations[~last], stations[1:][~last[:-1]]
        self.piece_count = len(self.piece_edge)
        net = network
        self.usable_mm2 = (net.edge_width * net.edge_depth * net.edge_fill)[self.piece_edge] if edges else np.zeros(0)
        self.diff = np.zeros(self.piece_count + 1)
        self._piece_points: np.ndarray | None = None  # see piece_points
        self.edge_area = np.zeros(edges)
        self.count_diff = np.zeros(self.piece_count + 1, dtype=np.int64)
        self.edge_count = np.zeros(edges, dtype=np.int64)

    def clone(self, routes: RouteColumns) -> TrayFill:
        """A copy over `routes` (a clone of this fill's routes) whose sums can change alone."""
        return clone_columns(self, routes=routes)

    def recut(self, routes: RouteColumns) -> TrayFill:
        """A fill over `routes` (racks moved: their drops, `routes.joins`, elsewhere) cut at
        the drops as they are now, holding this fill's sums: the caller has taken the moved
        racks' cables out of this fill first and lays them into the new one.

        Refilling every cable (20,000 at 10k accelerators, ~5 ms a drag step) is not needed:
        with the moved cables out, every sum starts and ends at a drop that stays (another
        rack's, or a junction), so each boundary's entry moves to the same drop in the new
        cutting, the very same numbers summed in the same order. A drop only the moved racks
        used carries nothing once their cables are out (its entry, float dust, is left behind)."""
        new = TrayFill(self.network, routes)
        old_edge = self.station_edge
        boundary = np.arange(len(self.stations)) - old_edge
        # Each boundary once (the end of edge e is the start of edge e + 1: one entry).
        boundary, first = np.unique(boundary, return_index=True)
        keys = self._keys[first]
        at = np.minimum(np.searchsorted(new._keys, keys - 1e-6), len(new._keys) - 1)
        kept = np.abs(new._keys[at] - keys) <= 1e-6
        target = at[kept] - old_edge[first][kept]
        new.diff[target] = self.diff[boundary[kept]]
        new.count_diff[target] = self.count_diff[boundary[kept]]
        new.edge_area = self.edge_area.copy()
        new.edge_count = self.edge_count.copy()
        return new

    def piece_at(self, edge: np.ndarray, offset: np.ndarray) -> np.ndarray:
        """The piece (an index of the pieces) holding each point `offset` mm along tray edge
        `edge` (int and float arrays of one shape), for points inside a piece, not on a
        station; raises nothing."""
        return np.searchsorted(self._keys, edge * self._scale + offset, side="right") - 1 - edge

    def _piece(self, edge: np.ndarray, offset: np.ndarray) -> np.ndarray:
        """Index of the station at `offset` on `edge` (drop points are stations), as a piece boundary."""
        at = np.searchsorted(self._keys, edge * self._scale + offset - 1e-6)
        return at - edge

    def add(self, cables: np.ndarray, area: np.ndarray, sign: int = 1) -> None:
        """Adds (sign 1) or takes away (sign -1) cables' cross-sections to the pieces they lie in.

        `cables` are (n,) route rows and `area` their (n,) cross-sections in mm²; cables
        within one rack, without a route or not in a tray add nothing.
        """
        r = self.routes
        keep = ~r.same_rack[cables] & r.routable[cables] & (r.edge[cables, 0] >= 0)
        cables, area = cables[keep], area[keep] * sign
        if len(cables) == 0:
            return
        net = self.network
        e1, e2 = r.edge[cables, 0], r.edge[cables, 1]
        t1, t2 = r.offset[cables, 0], r.offset[cables, 1]
        u, v = r.junction[cables, 0], r.junction[cables, 1]
        direct = u < 0
        # On one edge: between the two drops.
        lo, hi = np.minimum(t1, t2), np.maximum(t1, t2)
        self._interval(e1[direct], lo[direct], hi[direct], area[direct], sign)
        via = ~direct
        if via.any():
            e1v, e2v, uv, vv = e1[via], e2[via], u[via], v[via]
            a1 = np.where(net.edge_u[e1v] == uv, 0.0, t1[via])
            b1 = np.where(net.edge_u[e1v] == uv, t1[via], net.edge_length[e1v])
            a2 = np.where(net.edge_u[e2v] == vv, 0.0, t2[via])
            b2 = np.where(net.edge_u[e2v] == vv, t2[via], net.edge_length[e2v])
            self._interval(e1v, a1, b1, area[via], sign)
            self._interval(e2v, a2, b2, area[via], sign)
            keys = uv.astype(np.int64) * net.node_count + vv
            unique, inverse = np.unique(keys, return_inverse=True)
            summed = np.bincount(inverse, weights=area[via])
            counted = np.bincount(inverse) * sign
            for key, total, count in zip(unique, summed, counted):
                path = net.path(int(key // net.node_count), int(key % net.node_count))
                for edge in path.edges:
                    self.edge_area[edge] += total
                    self.edge_count[edge] += count

    def _interval(self, edge: np.ndarray, start: np.ndarray, end: np.ndarray, area: np.ndarray, sign: int) -> None:
        first, last = self._piece(edge, start), self._piece(edge, end)
        np.add.at(self.diff, first, area)
        np.add.at(self.diff, last, -area)
        np.add.at(self.count_diff, first, sign)
        np.add.at(self.count_diff, last, -sign)

    def piece_points(self) -> np.ndarray:
        """Where each piece starts and ends on the floor: (pieces, 4) x1, y1, x2, y2 in mm, from
        the tray network's edges. Worked out once per cutting and carried by `clone` (an add or
        delete keeps the pieces; gathering them again was ~0.4 ms of every edit's figures)."""
        if self._piece_points is None:
            net, n = self.network, self.piece_count
            edge = self.piece_edge[:n]
            start = net.edge_start[edge] + net.edge_dir[edge] * self.piece_start[:n, None]
            end = net.edge_start[edge] + net.edge_dir[edge] * self.piece_end[:n, None]
            self._piece_points = np.column_stack([start, end])
        return self._piece_points

    def used_mm2(self) -> np.ndarray:
        """The summed cable cross-section in each piece, mm², shape (pieces,)."""
        return np.cumsum(self.diff)[: self.piece_count] + self.edge_area[self.piece_edge]

    def cable_counts(self) -> np.ndarray:
        """How many cables lie in each piece, shape (pieces,)."""
        return np.cumsum(self.count_diff)[: self.piece_count] + self.edge_count[self.piece_edge]

    def _path_pairs(self, keys: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(path key, edge) for every junction-to-junction path in `keys` that runs along one of `edges`."""
        net = self.network
        wanted = set(edges.tolist())
        pair_key, pair_edge = [], []
        for key in np.unique(keys[keys >= 0]):
            for edge in net.path(int(key // net.node_count), int(key % net.node_count)).edges:
                if edge in wanted:
                    pair_key.append(key)
                    pair_edge.append(edge)
        return np.array(pair_key, dtype=np.int64), np.array(pair_edge, dtype=np.int64)

    def _path_keys(self, cables: np.ndarray) -> np.ndarray:
        r, net = self.routes, self.network
        u, v = r.junction[cables, 0], r.junction[cables, 1]
        return np.where(u >= 0, u.astype(np.int64) * net.node_count + v, -1)

    def _in_trays(self, cables: np.ndarray) -> np.ndarray:
        r = self.routes
        return cables[~r.same_rack[cables] & r.routable[cables] & (r.edge[cables, 0] >= 0)]

    def near(self, pieces: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Candidates whose route uses any edge that holds one of `pieces` (a quick first cut)."""
        c = self._in_trays(candidates)
        edges = np.unique(self.piece_edge[pieces])
        keys = self._path_keys(c)
        pair_key, _ = self._path_pairs(keys, edges)
        r = self.routes
        return c[np.isin(r.edge[c, 0], edges) | np.isin(r.edge[c, 1], edges) | np.isin(keys, pair_key)]

    def members(self, pieces: np.ndarray, candidates: np.ndarray) -> list[np.ndarray]:
        """For each piece, which of `candidates` (cable rows) lie in it."""
        r, net = self.routes, self.network
        c = self.near(pieces, candidates)
        edges = self.piece_edge[pieces]
        e1, e2 = r.edge[c, 0], r.edge[c, 1]
        u, v = r.junction[c, 0], r.junction[c, 1]
        keys = self._path_keys(c)
        pair_key, pair_edge = self._path_pairs(keys, edges)
        t1, t2 = r.offset[c, 0], r.offset[c, 1]
        out = []
        for piece, edge in zip(pieces, edges):
            mid = (self.piece_start[piece] + self.piece_end[piece]) / 2
            direct = (u < 0) & (e1 == edge) & (np.minimum(t1, t2) <= mid) & (mid <= np.maximum(t1, t2))
            first = (u >= 0) & (e1 == edge) & np.where(net.edge_u[e1] == u, mid <= t1, mid >= t1)
            last = (u >= 0) & (e2 == edge) & np.where(net.edge_u[e2] == v, mid <= t2, mid >= t2)
            inside = (u >= 0) & np.isin(keys, pair_key[pair_edge == edge])
            out.append(c[direct | first | last | inside])
        return out

    def piece_ends(self, piece: int) -> tuple[tuple[float, float], tuple[float, float]]:
        """Floor (x, y) of a piece's start and end, mm."""
        net, edge = self.network, self.piece_edge[piece]
        a = net.edge_start[edge] + net.edge_dir[edge] * self.piece_start[piece]
        b = net.edge_start[edge] + net.edge_dir[edge] * self.piece_end[piece]
        return (float(a[0]), float(a[1])), (float(b[0]), float(b[1]))


def _stations(network: TrayNetwork, joins) -> tuple[np.ndarray, np.ndarray]:
    """Every edge's stations, mm along it: both its ends and every rack's drop into it, sorted
    and each once, as (edge, offset) per station in edge order. One sort of all of them (a
    loop over the edges with np.unique each took ~9 ms a drag step at 1,000 edges)."""
    edges = len(network.edge_length)
    if not edges:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    lengths = np.asarray(network.edge_length, dtype=float)
    on = joins.edge >= 0
    edge = np.concatenate([np.arange(edges), np.arange(edges), joins.edge[on]]).astype(np.int64)
    offset = np.concatenate([np.zeros(edges), lengths, joins.offset[on]]).astype(float)
    order = np.lexsort((offset, edge))
    edge, offset = edge[order], offset[order]
    first = np.ones(len(edge), dtype=bool)
    first[1:] = (edge[1:] != edge[:-1]) | (offset[1:] != offset[:-1])
    return edge[first], offset[first]

"""The tray network: trays cut into edges at their junctions, shortest paths between them.

Shapely finds where trays meet and which tray a rack drops into; the graph between
junctions is small (a few per row), so all-pairs distances come from scipy's Dijkstra
(compiled; the Floyd–Warshall it replaced took 5–10 s at 1,500 junctions), and past
DENSE_NODE_LIMIT junctions one shortest-path tree per source that a cable needs. A
cable's tray run is then: along its first edge to a
junction, the cached junction-to-junction path, along its last edge, which numpy
evaluates for every cable at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from model.layout import Tray

_SNAP_MM = 1.0  # junctions closer than this are one junction
# Up to this many junctions an all-pairs table (n² floats, 18 MB) is cheap; beyond, Dijkstra per source.
DENSE_NODE_LIMIT = 1500
SOURCES_PER_CALL = 256  # shortest-path trees worked out per call to scipy (n floats and ints each)


@dataclass
class JunctionPath:
    """The shortest walk along the trays from junction u to junction v (see TrayNetwork.path)."""

    edges: list[int]  # edges walked from junction u to junction v
    turns: int  # changes of direction inside the path
    first_dir: np.ndarray  # direction (unit) of the first edge leaving u, or NaN when u == v
    last_dir: np.ndarray


class TrayNetwork:
    """The trays of a site as a graph: junctions (nodes) joined by tray edges, floor x, y in mm.

    Edge columns are arrays of shape (edges,) (`edge_start`, `edge_end`, `edge_dir`: (edges, 2)):
    the two junctions, the tray it belongs to, its length and the tray's elevation, width,
    depth (mm) and fill ratio. Only trays of the same kind join where they cross.
    """

    def __init__(self, trays: list[Tray]) -> None:
        # A list of its own: the layout's list loses a tray when one is deleted, and an
        # analysis published before keeps this network (its fill names trays by index here).
        self.trays = list(trays)
        self._build_edges()
        self._distances()
        self._paths: dict[tuple[int, int], JunctionPath] = {}
        self._hops: dict[tuple[int, int], int] = {}  # (node, target) -> first edge of the walk (dense case)
        self._walks: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

    # ---- building --------------------------------------------------------------
    def _build_edges(self) -> None:
        segs, seg_tray = [], []
        for ti, tray in enumerate(self.trays):
            for p, q in zip(tray.points, tray.points[1:]):
                segs.append((p[0], p[1], q[0], q[1]))
                seg_tray.append(ti)
        segs_arr = np.array(segs, dtype=float).reshape(-1, 4)
        lines = np.asarray(shapely.linestrings(segs_arr.reshape(-1, 2, 2)))  # (segments,); empty for none
        # Where does each segment meet another tray of the same kind? Cut it there.
        cuts: list[list[float]] = [[0.0, 1.0] for _ in segs]
        if len(segs) > 1:
            tree = shapely.STRtree(lines)
            left, right = tree.query(lines, predicate="intersects")
            kinds = np.array([self.trays[t].kind for t in seg_tray], dtype=object)
            meeting = (left < right) & (kinds[left] == kinds[right])
            left, right = left[meeting], right[meeting]
            # Every meeting at once (Shapely's vectorised functions): 100,000 tray points
            # took 5 s one pair at a time, mostly in Shapely's per-call overhead.
            points, pair = shapely.get_coordinates(shapely.intersection(lines[left], lines[right]), return_index=True)
            where = shapely.points(points)
            for side in (left, right):
                segment = side[pair]
                along = shapely.line_locate_point(lines[segment], where, normalized=True)
                for k, t in zip(segment.tolist(), along.tolist()):
                    cuts[k].append(t)
        nodes: dict[tuple[int, int], int] = {}
        node_xy: list[tuple[float, float]] = []

        def node_at(x: float, y: float) -> int:
            key = (round(x / _SNAP_MM), round(y / _SNAP_MM))
            if key not in nodes:
                nodes[key] = len(node_xy)
                node_xy.append((x, y))
            return nodes[key]

        edge_u, edge_v, edge_tray, edge_xy = [], [], [], []
        for si, (x0, y0, x1, y1) in enumerate(segs):
            ts = sorted(set(round(t, 9) for t in cuts[si])) if len(cuts[si]) > 2 else (0.0, 1.0)  # most meet nothing
            for t0, t1 in zip(ts, ts[1:]):
                a = (x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0)
                b = (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1)
                if np.hypot(b[0] - a[0], b[1] - a[1]) < _SNAP_MM:
                    continue
                edge_u.append(node_at(*a))
                edge_v.append(node_at(*b))
                edge_tray.append(seg_tray[si])
                edge_xy.append((*a, *b))
        self.node_xy = np.array(node_xy, dtype=float).reshape(-1, 2)
        self.edge_u = np.array(edge_u, dtype=np.int32)
        self.edge_v = np.array(edge_v, dtype=np.int32)
        self.edge_tray = np.array(edge_tray, dtype=np.int32)
        xy = np.array(edge_xy, dtype=float).reshape(-1, 4)
        self.edge_start = xy[:, :2]
        self.edge_end = xy[:, 2:]
        delta = self.edge_end - self.edge_start
        self.edge_length = np.hypot(delta[:, 0], delta[:, 1])
        self.edge_dir = delta / np.where(self.edge_length > 0, self.edge_length, 1)[:, None]
        self.edge_lines = np.asarray(shapely.linestrings(xy.reshape(-1, 2, 2)))  # (edges,); empty for none
        self.edge_tree = shapely.STRtree(self.edge_lines) if len(xy) else None
        tray_col = lambda name: np.array([getattr(t, name) for t in self.trays], dtype=float)  # noqa: E731
        self.edge_elevation = tray_col("elevation_mm")[self.edge_tray] if len(xy) else np.zeros(0)
        self.edge_width = tray_col("width_mm")[self.edge_tray] if len(xy) else np.zeros(0)
        self.edge_depth = tray_col("depth_mm")[self.edge_tray] if len(xy) else np.zeros(0)
        self.edge_fill = tray_col("fill_ratio")[self.edge_tray] if len(xy) else np.zeros(0)

    def _distances(self) -> None:
        n = len(self.node_xy)
        self.node_count = n
        self._dense = n <= DENSE_NODE_LIMIT
        self._adjacency = self._neighbours()
        self._graph, self._pair_keys, self._pair_edge = self._shortest_edges()
        if self._dense:
            self.dist = dijkstra(self._graph, directed=False) if n else np.zeros((0, 0))
        else:
            self._rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _shortest_edges(self) -> tuple[csr_array, np.ndarray, np.ndarray]:
        """The junction graph for scipy (the shortest edge of each pair of junctions: a sparse
        matrix would add up parallel edges), the pairs' keys (low * n + high, sorted) and
        their shortest edges."""
        n = self.node_count
        low, high = np.minimum(self.edge_u, self.edge_v), np.maximum(self.edge_u, self.edge_v)
        joins = np.nonzero(low != high)[0]  # an edge from a junction to itself is never on a shortest walk
        key = low[joins].astype(np.int64) * n + high[joins]
        order = np.lexsort((self.edge_length[joins], key))
        keys, first = np.unique(key[order], return_index=True)
        edges = joins[order[first]]
        graph = csr_array((self.edge_length[edges], (low[edges], high[edges])), shape=(n, n))
        return graph, keys, edges

    def _neighbours(self) -> list[list[tuple[int, float, int]]]:
        adjacency: list[list[tuple[int, float, int]]] = [[] for _ in range(len(self.node_xy))]
        for e, (u, v, w) in enumerate(zip(self.edge_u.tolist(), self.edge_v.tolist(), self.edge_length.tolist())):
            adjacency[u].append((v, w, e))
            adjacency[v].append((u, w, e))
        return adjacency

    def _next_edge(self, node: int, target: int) -> int:
        """The edge that starts the shortest walk from `node` to `target` (dense case)."""
        best, best_edge = np.inf, -1
        for neighbour, weight, edge in self._adjacency[node]:
            total = weight + self.dist[neighbour, target]
            if total < best - 1e-9:
                best, best_edge = total, edge
        return best_edge

    def _dijkstra(self, source: int) -> tuple[np.ndarray, np.ndarray]:
        """Distances from `source` and, per node, the edge that leads one step back towards it (-1: none)."""
        if source not in self._rows:
            self._trees([source])
        return self._rows[source]

    def _trees(self, sources: list[int]) -> None:
        """Works out the shortest-path trees from `sources` (scipy, SOURCES_PER_CALL at a time) into the cache."""
        n = self.node_count
        for start in range(0, len(sources), SOURCES_PER_CALL):
            chunk = sources[start : start + SOURCES_PER_CALL]
            dist, before = dijkstra(self._graph, directed=False, indices=chunk, return_predecessors=True)
            for k, source in enumerate(chunk):
                towards_source = np.full(n, -1, dtype=np.int32)
                reached = np.nonzero(before[k] >= 0)[0]
                key = np.minimum(reached, before[k][reached]).astype(np.int64) * n + np.maximum(
                    reached, before[k][reached]
                )
                towards_source[reached] = self._pair_edge[np.searchsorted(self._pair_keys, key)]
                self._rows[source] = (dist[k], towards_source)

    def distance(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Shortest distances along the trays (mm) from junctions `u` to junctions `v`.

        `u` and `v` are (n,) junction indices; the result is (n,), inf where no tray joins them.
        """
        if self._dense:
            return self.dist[u, v]
        u, v = np.asarray(u), np.asarray(v)
        out = np.empty(len(u))
        # One shortest-path tree per distinct source, read for all its targets at once.
        order = np.argsort(u, kind="stable")
        sources, starts = np.unique(u[order], return_index=True)
        self._trees([source for source in sources.tolist() if source not in self._rows])
        for source, at in zip(sources.tolist(), np.split(order, starts[1:])):
            out[at] = self._dijkstra(int(source))[0][v[at]]
        return out

    # ---- queries ---------------------------------------------------------------
    def locate(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Nearest edge to each floor point, the offset along it (mm) and the distance to it."""
        if self.edge_tree is None or len(x) == 0:
            return np.full(len(x), -1, np.int32), np.zeros(len(x)), np.full(len(x), np.inf)
        points = shapely.points(np.column_stack([x, y]))
        _, edge = self.edge_tree.query_nearest(points, all_matches=False, return_distance=False)
        edge = edge.astype(np.int32)
        rel = np.column_stack([x, y]) - self.edge_start[edge]
        offset = np.clip((rel * self.edge_dir[edge]).sum(axis=1), 0, self.edge_length[edge])
        foot = self.edge_start[edge] + self.edge_dir[edge] * offset[:, None]
        return edge, offset, np.hypot(*(np.column_stack([x, y]) - foot).T)

    def path(self, u: int, v: int) -> JunctionPath:
        """The shortest walk from junction u to junction v, cached; no edges when u == v or they are not joined."""
        key = (u, v)
        if key not in self._paths:
            edges: list[int] = []
            node = u
            guard = 0
            while node != v and guard <= self.node_count:
                if self._dense:
                    # Walks towards one target share their tails: each step is worked out once.
                    edge = self._hops.get((node, v))
                    if edge is None:
                        edge = self._hops[(node, v)] = self._next_edge(node, v)
                else:
                    edge = int(self._dijkstra(v)[1][node])
                if edge < 0:
                    break
                edges.append(edge)
                node = int(self.edge_v[edge] if self.edge_u[edge] == node else self.edge_u[edge])
                guard += 1
            nan = np.array([np.nan, np.nan])
            if edges:
                along = np.array(edges)
                forward = self.edge_u[along] == np.array(self._nodes_along(u, edges))
                dirs = np.where(forward[:, None], self.edge_dir[along], -self.edge_dir[along])
                cross = np.abs(dirs[:-1, 0] * dirs[1:, 1] - dirs[:-1, 1] * dirs[1:, 0])
                turns = int(((cross > 1e-6) | ((dirs[:-1] * dirs[1:]).sum(axis=1) < 0)).sum())
                self._paths[key] = JunctionPath(edges, turns, dirs[0], dirs[-1])
            else:
                self._paths[key] = JunctionPath(edges, 0, nan, nan)
        return self._paths[key]

    def walk(self, u: int, v: int) -> tuple[np.ndarray, np.ndarray]:
        """The junctions of the shortest walk from junction u to junction v (`path`): floor
        x, y (k, 2) in mm of u and of the far junction of each edge walked, and each one's
        height (k,) in mm, NaN for u and then the elevation of the edge that reaches it;
        k = 1 when u == v or they are not joined. Cached: the arrays are shared, never change
        them. Why cached: a dragged rack's routes walk the same few paths at every step
        (model.geometry.route_lines), and building each walk in Python was ~1 ms a step."""
        key = (u, v)
        found = self._walks.get(key)
        if found is None:
            edges = self.path(u, v).edges
            nodes = [*self._nodes_along(u, edges), v] if edges else [u]
            z = np.concatenate([[np.nan], self.edge_elevation[edges]]) if edges else np.array([np.nan])
            found = self._walks[key] = (self.node_xy[nodes], z)
        return found

    def _nodes_along(self, start: int, edges: list[int]) -> list[int]:
        nodes, node = [], start
        for e in edges:
            nodes.append(node)
            node = int(self.edge_v[e] if self.edge_u[e] == node else self.edge_u[e])
        return nodes

    def node_point(self, node: int) -> tuple[float, float]:
        """Floor (x, y) of a junction, mm."""
        return float(self.node_xy[node, 0]), float(self.node_xy[node, 1])

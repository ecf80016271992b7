"""Every cable's route: out of the port, along the faceplate to a side manager, up to the
tray, along the tray network, down at the far rack, into the far port.

Lengths and the pathway space at every bend are computed for all cables at once.
A route's points (for drawing) are built on demand for one cable at a time.

Rack-local frame: lx across the rack from its left as seen from the front, ly from the
rack's front face towards its rear, z up from the floor. A face's cable lane runs in
the middle of its faceplate-to-door clearance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.geometry.columns import clone_columns
from model.geometry.compiled import CompiledLayout
from model.geometry.pathways import CARTRIDGE, IN_RACK, PASS_THROUGH, TRAYS
from model.geometry.route_points import route_points
from model.geometry.trays import TrayNetwork
from model.layout import SiteSettings

ROUTE_CHUNK = 50_000  # cables routed at a time by a full run (see RouteColumns.__init__)


@dataclass
class RackJoins:
    """Where each rack's left (side 0) and right (side 1) manager meets the tray network."""

    edge: np.ndarray  # (racks, 2) nearest tray edge, -1 when there are no trays
    offset: np.ndarray  # (racks, 2) mm along that edge
    reach: np.ndarray  # (racks, 2) mm from the rack's centre line to the tray, across the floor
    elevation: np.ndarray  # (racks, 2) tray bottom above the floor, mm


def rack_joins(
    compiled: CompiledLayout, network: TrayNetwork, max_offset_mm: float, rows=None, joins: RackJoins | None = None
) -> RackJoins:
    """Where each rack's left and right manager meets the nearest tray edge: (racks, 2) columns.

    The edge is -1 where no tray passes within `max_offset_mm` (mm, the site's
    max_drop_offset_mm) of the rack's centre line: its cables cannot reach the trays.
    With `rows` (rack rows) and `joins` (the joins before those racks moved), only those
    racks are located again and the rest copied from `joins` (a dragged rack: one query,
    not thousands); `joins` itself is left as it was.
    """
    racks = compiled.racks
    n = len(racks.ids)
    rows = np.arange(n) if rows is None or joins is None else np.asarray(rows, dtype=np.int64)
    mx = np.stack([racks.manager[rows] / 2, racks.width[rows] - racks.manager[rows] / 2], axis=1)
    rack_idx = np.repeat(rows, 2)
    x, y = racks.to_floor(rack_idx, mx.reshape(-1), np.repeat(racks.depth[rows] / 2, 2))
    edge, offset, reach = network.locate(x, y)
    edge = np.where(reach <= max_offset_mm, edge, -1)
    elevation = network.edge_elevation[np.maximum(edge, 0)] if len(network.edge_elevation) else np.zeros(len(edge))
    found = (edge.reshape(-1, 2), offset.reshape(-1, 2), reach.reshape(-1, 2), np.asarray(elevation).reshape(-1, 2))
    if joins is None or np.array_equal(rows, np.arange(n)):
        return RackJoins(*found)  # every rack in order (all racks moved, in any order, are put in place below)
    columns = []
    for old, new in zip((joins.edge, joins.offset, joins.reach, joins.elevation), found):
        column = old.copy()
        column[rows] = new
        columns.append(column)
    return RackJoins(*columns)


class RouteColumns:
    """Route figures per cable, every column indexed by cable row in the compiled layout.

    Columns are (cables,) or (cables, 2) for the a and b ends; lengths, offsets and the
    free space at each kind of bend are in mm. `length_mm` is the routed length with sharp
    corners and no slack (selection subtracts each product's fillets and adds slack), NaN
    where no pathway joins the ends (`routable` False).
    """

    def __init__(self, compiled: CompiledLayout, network: TrayNetwork, settings: SiteSettings) -> None:
        self.compiled = compiled
        self.network = network
        self.settings = settings
        self.joins = rack_joins(compiled, network, settings.max_drop_offset_mm)
        n = len(compiled.cable_ids)
        # Routed, corners sharp (fillets and slack are per product); NaN: no pathway joins the ends.
        self.length_mm = np.zeros(n)
        self.bends = np.zeros(n, dtype=np.int32)
        self.same_rack = np.zeros(n, dtype=bool)
        self.routable = np.ones(n, dtype=bool)
        self.exit_space = np.zeros((n, 2))  # faceplate-to-door clearance at each end
        self.manager_space = np.zeros(n)
        self.top_space = np.full(n, np.inf)
        self.tray_space = np.full(n, np.inf)
        self.side = np.zeros((n, 2), dtype=np.int8)
        self.pathway = np.zeros(n, dtype=np.int8)  # PATHWAYS: how the cable runs
        self.slack_ends = np.full(n, 2, dtype=np.int8)  # ends that get a service loop
        self.edge = np.full((n, 2), -1, dtype=np.int32)
        self.offset = np.zeros((n, 2))
        self.junction = np.full((n, 2), -1, dtype=np.int32)  # -1: both ends on one edge
        self.tray_mm = np.zeros(n)
        # ROUTE_CHUNK cables at a time: `update` makes ~60 temporary columns, all 300,000
        # cables' at once a ~150 MB peak (bench/memory.py). Each cable's route is its own.
        for start in range(0, n, ROUTE_CHUNK):
            self.update(np.arange(start, min(n, start + ROUTE_CHUNK)))

    def clone(self, compiled: CompiledLayout) -> RouteColumns:
        """A copy whose columns can change without touching this one (see model.geometry.columns)."""
        return clone_columns(self, compiled=compiled)

    def update(self, cables: np.ndarray) -> None:
        """Re-routes the cables at rows `cables` (int array) from the compiled ends and the joins."""
        if len(cables) == 0:
            return
        _c, racks, ends = self.compiled, self.compiled.racks, self.compiled.ends
        ea, eb = 2 * cables, 2 * cables + 1
        ra, rb = ends.rack[ea], ends.rack[eb]
        side_a = (ends.lx[ea] > racks.width[ra] / 2).astype(np.int8)
        side_b = (ends.lx[eb] > racks.width[rb] / 2).astype(np.int8)
        same = ra == rb
        side_b = np.where(same, side_a, side_b)  # in one rack a cable stays in one manager
        self.side[cables, 0], self.side[cables, 1] = side_a, side_b
        self.same_rack[cables] = same
        clear_a = racks.clearance[ra, ends.face[ea]]
        clear_b = racks.clearance[rb, ends.face[eb]]
        self.exit_space[cables, 0], self.exit_space[cables, 1] = clear_a, clear_b
        self.manager_space[cables] = np.minimum(racks.manager[ra], racks.manager[rb])
        # Port → out to the lane → along the faceplate to the manager.
        lat_a = np.abs(ends.lx[ea] - self._manager_x(ra, side_a))
        lat_b = np.abs(ends.lx[eb] - self._manager_x(rb, side_b))
        near = clear_a / 2 + lat_a + clear_b / 2 + lat_b
        lane_a = self._lane(ra, ends.face[ea])
        lane_b = self._lane(rb, ends.face[eb])
        in_rack = near + np.abs(ends.z[ea] - ends.z[eb]) + np.abs(lane_a - lane_b)
        # A turn out of each port, one into and out of the manager's vertical run, one more
        # where the cable crosses from the front lane to the rear lane; a port facing its
        # manager directly needs no separate turn along the faceplate.
        lateral_turns = (lat_a > 1).astype(np.int32) + (lat_b > 1)
        length = in_rack.astype(float)
        bends = 3 + lateral_turns + (ends.face[ea] != ends.face[eb])
        self.top_space[cables] = np.inf
        self.tray_space[cables] = np.inf
        self.junction[cables] = -1
        self.tray_mm[cables] = 0.0
        self.routable[cables] = True
        self.pathway[cables] = IN_RACK
        self.slack_ends[cables] = 2
        self.edge[cables] = -1
        # Between touching neighbours: through the side openings, not up to the tray.
        touching, side_a, side_b, gap = self._neighbours(ra, rb)
        through = touching & ~same
        if through.any():
            self.pathway[cables[through]] = PASS_THROUGH
            self.side[cables[through], 0], self.side[cables[through], 1] = side_a[through], side_b[through]
            lat_a = np.abs(ends.lx[ea] - self._manager_x(ra, side_a.astype(np.int8)))
            lat_b = np.abs(ends.lx[eb] - self._manager_x(rb, side_b.astype(np.int8)))
            crossing = racks.manager[ra] / 2 + gap + racks.manager[rb] / 2
            run = clear_a / 2 + lat_a + clear_b / 2 + lat_b + np.abs(ends.z[ea] - ends.z[eb])
            run = run + np.abs(lane_a - lane_b) + crossing
            turns = (lat_a > 1).astype(np.int32) + (lat_b > 1)
            length[through] = run[through]
            # Out of each port, into the manager, out of it into the opening and back up or down.
            bends[through] = (5 + turns + (ends.face[ea] != ends.face[eb]))[through]
        apart = ~same & ~through
        if apart.any():
            length[apart], apart_bends = self._between_racks(cables[apart], near[apart], lane_a[apart], lane_b[apart])
            bends[apart] = apart_bends + lateral_turns[apart]
        # Blind-mate ports into the rear cable cartridge: straight back to its cable plane,
        # along it, and back out; no door clearance, no manager, no service loop.
        in_cartridge = ends.cartridge[ea] & ends.cartridge[eb]
        if in_cartridge.any():
            rows = cables[in_cartridge]
            offset = self.settings.cartridge_offset_mm
            rise = np.abs(ends.z[ea] - ends.z[eb])[in_cartridge]
            across = np.abs(ends.lx[ea] - ends.lx[eb])[in_cartridge]
            length[in_cartridge] = np.where(same[in_cartridge], 2 * offset + rise + across, np.nan)
            bends[in_cartridge] = 2 + ((rise > 1) & (across > 1))
            self.pathway[rows] = CARTRIDGE
            self.slack_ends[rows] = 0
            self.routable[rows] = same[in_cartridge]  # a cartridge joins the trays of one rack only
            self.edge[rows] = -1
            room = self.settings.cartridge_room_mm
            self.exit_space[rows] = room
            self.manager_space[rows] = room
            self.top_space[rows] = np.inf
            self.tray_space[rows] = np.inf
        self.length_mm[cables] = length
        self.bends[cables] = bends

    def _neighbours(self, ra: np.ndarray, rb: np.ndarray) -> tuple[np.ndarray, ...]:
        """Per pair of racks: whether they stand side by side in one line facing the same way
        (at most `pass_through_max_gap_mm` apart, both with side openings), the manager side of each that faces the
        other (0 left, 1 right, seen from the front) and the gap between them (mm)."""
        racks = self.compiled.racks
        dx, dy = racks.x[rb] - racks.x[ra], racks.y[rb] - racks.y[ra]
        across = dx * racks.across[ra, 0] + dy * racks.across[ra, 1]
        along = dx * racks.front[ra, 0] + dy * racks.front[ra, 1]
        same_way = (racks.front[ra] == racks.front[rb]).all(axis=1)
        in_line = np.abs(along) <= 1.0 + np.abs(racks.depth[ra] - racks.depth[rb]) / 2
        gap = np.abs(across) - (racks.width[ra] + racks.width[rb]) / 2
        close = (gap >= -1.0) & (gap <= self.settings.pass_through_max_gap_mm)
        touching = same_way & in_line & close & racks.openings[ra] & racks.openings[rb]
        side_a = (across > 0).astype(np.int8)
        return touching, side_a, 1 - side_a, np.maximum(gap, 0.0)

    def _manager_x(self, rack: np.ndarray, side: np.ndarray) -> np.ndarray:
        racks = self.compiled.racks
        return np.where(side == 0, racks.manager[rack] / 2, racks.width[rack] - racks.manager[rack] / 2)

    def _lane(self, rack: np.ndarray, face: np.ndarray) -> np.ndarray:
        racks = self.compiled.racks
        clear = racks.clearance[rack, face]
        return np.where(face == 0, clear / 2, racks.depth[rack] - clear / 2)

    def _between_racks(
        self, cables: np.ndarray, near: np.ndarray, lane_a: np.ndarray, lane_b: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        net, ends, racks, joins = self.network, self.compiled.ends, self.compiled.racks, self.joins
        self.pathway[cables] = TRAYS
        ea, eb = 2 * cables, 2 * cables + 1
        ra, rb = ends.rack[ea], ends.rack[eb]
        sa, sb = self.side[cables, 0], self.side[cables, 1]
        e1, e2 = joins.edge[ra, sa], joins.edge[rb, sb]
        joined = (e1 >= 0) & (e2 >= 0)
        if not joined.any():
            # No pathway: no length either (a made-up one would read as a real run).
            self.routable[cables] = False
            self.edge[cables] = -1
            return np.full(len(cables), np.nan), np.zeros(len(cables), dtype=np.int32)
        # Racks off every tray are unroutable; give them edge 0 for the arithmetic, then mask.
        e1, e2 = np.maximum(e1, 0), np.maximum(e2, 0)
        t1, t2 = joins.offset[ra, sa], joins.offset[rb, sb]
        z1, z2 = joins.elevation[ra, sa], joins.elevation[rb, sb]
        self.edge[cables, 0], self.edge[cables, 1] = e1, e2
        self.offset[cables, 0], self.offset[cables, 1] = t1, t2
        # Up (or down) the manager to the tray, then across the rack top to the tray's line.
        rise = np.abs(z1 - ends.z[ea]) + np.abs(z2 - ends.z[eb])
        across = (
            np.abs(lane_a - racks.depth[ra] / 2)
            + np.abs(lane_b - racks.depth[rb] / 2)
            + joins.reach[ra, sa]
            + joins.reach[rb, sb]
        )
        tray, junctions, tray_turns = self._tray_runs(e1, t1, e2, t2)
        self.tray_mm[cables] = tray
        self.junction[cables] = junctions
        self.routable[cables] = np.isfinite(tray) & joined
        self.edge[cables[~joined]] = -1
        tray = np.where(joined, tray, np.inf)
        top_a = np.where(z1 > racks.top_z[ra], z1 - racks.top_z[ra], net.edge_depth[e1])
        top_b = np.where(z2 > racks.top_z[rb], z2 - racks.top_z[rb], net.edge_depth[e2])
        self.top_space[cables] = np.minimum(top_a, top_b)
        self.tray_space[cables] = np.minimum(net.edge_width[e1], net.edge_width[e2])
        # Per end: out of the port, over the top of the manager, into the tray's line.
        bends = 2 * 3 + tray_turns
        # A cable with no tray path has no length: the same NaN whether it is routed alone
        # (an edit) or among routable ones (a full run), so live and fresh agree.
        length = np.where(self.routable[cables], near + rise + across + np.where(np.isfinite(tray), tray, 0.0), np.nan)
        return length, bends.astype(np.int32)

    def _tray_runs(
        self, e1: np.ndarray, t1: np.ndarray, e2: np.ndarray, t2: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Shortest tray run between two points on edges: direct on one edge, else via junctions."""
        net = self.network
        n = len(e1)
        best = np.where(e1 == e2, np.abs(t1 - t2), np.inf)
        junctions = np.full((n, 2), -1, dtype=np.int32)
        ends1 = np.stack([net.edge_u[e1], net.edge_v[e1]], axis=1)
        ends2 = np.stack([net.edge_u[e2], net.edge_v[e2]], axis=1)
        to_end1 = np.stack([t1, net.edge_length[e1] - t1], axis=1)
        to_end2 = np.stack([t2, net.edge_length[e2] - t2], axis=1)
        for a in (0, 1):
            for b in (0, 1):
                total = to_end1[:, a] + net.distance(ends1[:, a], ends2[:, b]) + to_end2[:, b]
                better = (total < best - 1e-6) & (e1 != e2)
                best = np.where(better, total, best)
                junctions[better] = np.column_stack([ends1[better, a], ends2[better, b]])
        turns = np.zeros(n, dtype=np.int32)
        via = junctions[:, 0] >= 0
        if via.any():
            keys = junctions[via, 0].astype(np.int64) * net.node_count + junctions[via, 1]
            unique, inverse = np.unique(keys, return_inverse=True)
            paths = [net.path(int(k // net.node_count), int(k % net.node_count)) for k in unique]
            inner = np.array([p.turns for p in paths])
            empty = np.array([not p.edges for p in paths])[inverse]
            first = np.array([p.first_dir for p in paths]).reshape(-1, 2)[inverse]
            last = np.array([p.last_dir for p in paths]).reshape(-1, 2)[inverse]
            d1, d2 = net.edge_dir[e1[via]], net.edge_dir[e2[via]]
            # Where the junctions coincide the cable turns straight from its first edge to its last.
            first = np.where(empty[:, None], d2, first)
            last = np.where(empty[:, None], d1, last)
            turns[via] = inner[inverse] + _turn_count(d1, first) + _turn_count(last, d2)
        return best, junctions, turns

    # ---- drawing ---------------------------------------------------------------
    def points(self, cable: int) -> list[tuple[float, float, float]]:
        """The route's corner points port to port: floor (x, y) and height z above the floor, mm."""
        return route_points(self, np.array([cable]))[0]

    def points_of(self, cables) -> list[list[tuple[float, float, float]]]:
        """`points` of many cables at once, far faster than one at a time."""
        return route_points(self, np.asarray(cables, dtype=np.int64))


def _turn_count(d0: np.ndarray, d1: np.ndarray) -> np.ndarray:
    """1 where the direction changes between two unit vectors (rows), else 0."""
    cross = np.abs(d0[:, 0] * d1[:, 1] - d0[:, 1] * d1[:, 0])
    dot = (d0 * d1).sum(axis=1)
    return ((cross > 1e-6) | (dot < 0)).astype(np.int32)

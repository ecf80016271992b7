"""The corner points of routes, for drawing and the cable detail: port to port, (x, y, z) in mm.

A route leaves its port straight back to the clearance lane behind the door, runs along
that lane to the side cable manager, rises in the manager to the tray (or, inside one
rack, runs down the manager to the other port's lane), follows the tray network junction
by junction, and comes down the same way at the far rack.

Everything that depends only on the two ends is computed for a whole batch of cables at
once (one numpy call per step instead of one per cable): views redraw thousands of
routes when a rack moves or a hall opens. Only the walk along the tray network is a loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.geometry.pathways import CARTRIDGE, PASS_THROUGH

if TYPE_CHECKING:
    from model.geometry.routes import RouteColumns

Point = tuple[float, float, float]
SAME_POINT_MM = 0.5  # consecutive corners closer than this are one corner


def route_points(routes: RouteColumns, cables: np.ndarray) -> list[list[Point]]:
    """Corner points (x, y, z in mm, port to port) of the routes of `cables` (cable rows of
    `routes`), in their order."""
    cables = np.asarray(cables, dtype=np.int64).reshape(-1)
    if len(cables) == 0:
        return []
    ends = routes.compiled.ends
    legs = [leg.tolist() for leg in end_legs(routes, cables)]  # per end: port, lane, manager, riser top
    # Inside one rack, and through the side openings: from end a's manager down (or up) to end
    # b's height and lane, then across to it.
    across = across_to_lane_b(routes, cables)
    mid_x, mid_y = across[:, 0].tolist(), across[:, 1].tolist()
    z_b = ends.z[2 * cables + 1].tolist()
    same = routes.same_rack[cables].tolist()
    pathway = routes.pathway[cables].tolist()
    in_cartridge = np.flatnonzero(routes.pathway[cables] == CARTRIDGE)
    # Only for the cables in a cartridge: a floor's thousands of tray runs need none of it.
    cartridge = {}
    if len(in_cartridge):
        cartridge = dict(zip(in_cartridge.tolist(), _cartridge_points(routes, cables[in_cartridge])))
    out = []
    for i, cable in enumerate(cables.tolist()):
        a, b = legs[0][i], legs[1][i]
        if pathway[i] == CARTRIDGE:
            out.append(cartridge[i])
            continue
        if pathway[i] == PASS_THROUGH:
            corner = [(a[2][0], a[2][1], z_b[i]), (mid_x[i], mid_y[i], z_b[i])]
            out.append(_dedupe([*a[:3], *corner, *b[:3][::-1]]))
            continue
        if same[i]:
            corner = [(a[2][0], a[2][1], z_b[i]), (mid_x[i], mid_y[i], z_b[i])]
            out.append(_dedupe([*a[:3], *corner, *b[:3][::-1][1:]]))
            continue
        # The riser: up the manager to the tray's height, then to the manager's middle under the tray.
        rise_a = [(a[2][0], a[2][1], a[3][2]), a[3]]
        rise_b = [(b[2][0], b[2][1], b[3][2]), b[3]]
        out.append(_dedupe([*a[:3], *rise_a, *_tray_points(routes, cable), *rise_b[::-1], *b[:3][::-1]]))
    return out


def end_legs(routes: RouteColumns, cables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per end a and b of `cables` (cable rows of `routes`), (cables, 4, 3) points in mm: the
    port, its lane, the manager at the port's height, and the manager's middle under the tray
    at the tray's height (the shared start of route_points and model.geometry.route_lines)."""
    ends, racks, joins = routes.compiled.ends, routes.compiled.racks, routes.joins
    sides = routes.side[cables].astype(np.int64)
    legs = []
    for which in (0, 1):
        end = 2 * cables + which
        rack, face, side = ends.rack[end], ends.face[end].astype(np.int64), sides[:, which]
        lane = routes._lane(rack, face)
        port_ly = np.where(face == 0, racks.clearance[rack, 0], racks.depth[rack] - racks.clearance[rack, 1])
        manager_x = routes._manager_x(rack, side)
        lx = np.stack([ends.lx[end], ends.lx[end], manager_x, manager_x], axis=1)
        ly = np.stack([port_ly, lane, lane, racks.depth[rack] / 2], axis=1)
        fx, fy = racks.to_floor(np.repeat(rack, 4), lx.reshape(-1), ly.reshape(-1))
        z = np.stack([ends.z[end]] * 3 + [joins.elevation[rack, side]], axis=1)
        legs.append(np.stack([fx.reshape(-1, 4), fy.reshape(-1, 4), z], axis=2))
    return legs[0], legs[1]


def across_to_lane_b(routes: RouteColumns, cables: np.ndarray) -> np.ndarray:
    """(cables, 2) floor x, y in mm: in end a's rack, its manager at the lane of end b's face
    (where a cable inside one rack, or through the side openings, turns across)."""
    ends, racks = routes.compiled.ends, routes.compiled.racks
    rack_a = ends.rack[2 * cables]
    lane_b = routes._lane(rack_a, ends.face[2 * cables + 1].astype(np.int64))
    x, y = racks.to_floor(rack_a, routes._manager_x(rack_a, routes.side[cables, 0].astype(np.int64)), lane_b)
    return np.column_stack([x, y])


def _cartridge_points(routes: RouteColumns, cables: np.ndarray) -> list[list[Point]]:
    """Port a straight back to the cartridge's cable plane, along it (up or down, then
    across), and out to port b, for `cables` that run in a cartridge (rows of `routes`)."""
    ends, racks = routes.compiled.ends, routes.compiled.racks
    offset = routes.settings.cartridge_offset_mm
    ea, eb = 2 * cables, 2 * cables + 1
    rack = ends.rack[ea]
    # Blind-mate ports sit on the rear faceplate; the cartridge lies behind it.
    face_ly = racks.depth[rack] - racks.clearance[rack, 1]
    plane = face_ly + offset
    lx = np.stack([ends.lx[ea], ends.lx[ea], ends.lx[ea], ends.lx[eb], ends.lx[eb]], axis=1)
    ly = np.stack([face_ly, plane, plane, plane, face_ly], axis=1)
    z = np.stack([ends.z[ea], ends.z[ea], ends.z[eb], ends.z[eb], ends.z[eb]], axis=1)
    fx, fy = racks.to_floor(np.repeat(rack, 5), lx.reshape(-1), ly.reshape(-1))
    points = np.stack([fx.reshape(-1, 5), fy.reshape(-1, 5), z], axis=2).tolist()
    return [_dedupe(p) for p in points]


def _tray_points(routes: RouteColumns, cable: int) -> list[Point]:
    net = routes.network
    e1, e2 = int(routes.edge[cable, 0]), int(routes.edge[cable, 1])
    if e1 < 0:
        return []
    t1, t2 = float(routes.offset[cable, 0]), float(routes.offset[cable, 1])
    z1 = float(net.edge_elevation[e1])
    p1 = net.edge_start[e1] + net.edge_dir[e1] * t1
    p2 = net.edge_start[e2] + net.edge_dir[e2] * t2
    points = [(float(p1[0]), float(p1[1]), z1)]
    u, v = int(routes.junction[cable, 0]), int(routes.junction[cable, 1])
    if u >= 0:
        path = net.path(u, v)
        node = u
        points.append((*net.node_point(node), z1))
        for edge in path.edges:
            node = int(net.edge_v[edge] if net.edge_u[edge] == node else net.edge_u[edge])
            points.append((*net.node_point(node), float(net.edge_elevation[edge])))
    points.append((float(p2[0]), float(p2[1]), float(net.edge_elevation[e2])))
    return points


def _dedupe(points: list) -> list[Point]:
    out: list[Point] = []
    for p in points:
        p = (float(p[0]), float(p[1]), float(p[2]))
        if not out or max(abs(p[0] - out[-1][0]), abs(p[1] - out[-1][1]), abs(p[2] - out[-1][2])) > SAME_POINT_MM:
            out.append(p)
    return out

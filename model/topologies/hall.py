"""Halls for the generated fabrics: rows of racks at given places, overhead trays over every
row and across the rows, each tray piece sized for every cable a shortest route could put in it.

Rows run east (along x) and alternate facing, as in `build_floor`: row 0 faces south and
row 1 north, so their fronts share a cold aisle and the rears of rows 1 and 2 a hot one.
A row's racks stand where the caller puts them (walkways and empty places between them
are the caller's). One tray runs along each row over the rack centres; cross trays run
across all rows at the given columns and at both ends of the hall. Both are cut where
they meet, so each piece between two junctions is a tray of its own, sized alone.

`size_trays` sizes those pieces once the cables are in: the engine routes every cable on
a shortest path through the tray network (model.geometry.routes), and where several are
equally short it may take any of them, so a piece is sized for every cable that has a
shortest path through it (each rack joining from either side manager), at the cross-
section of the thickest product that could serve the cable's shortest possible length.
Sizes go up from one 600 mm ladder tray (150 mm fill depth, 50 % fill: resources/
defaults.yaml) through 900 mm (36 in, the widest common ladder tray) and two 600 mm trays
side by side, then to stacked levels of those; a stack of n levels is one tray of n x 150
mm fill depth at the lowest level's height (the upper levels' extra rise is not counted).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.breakout import breakout_products
from model.breakout_legs import tray_area_mm2
from model.catalog import CableProduct, Catalog, link_products
from model.connectors import connector_table
from model.defaults import default
from model.errors import LayoutError
from model.geometry.trays import DENSE_NODE_LIMIT, TrayNetwork
from model.layout import Rack, Site, SiteSettings, Tray
from model.topologies.floorplan import TRAY_OVERHANG_MM, RackSpec, rack_dimensions, rack_id, row_id

if TYPE_CHECKING:
    from model.metrics import AnalysisResult

# The catalog products that could serve a cable, by id: what its two ends' cages take
# (model.catalog.link_products, model.connectors), or its breakout's (model.breakout).
Kind = tuple[str, ...]

# Tray sizes in the order they are tried: (width mm, levels, what it is). Figures: DOMAIN.md
# B5 (ladder rack 450-600 mm typical, up to 36 in; 150 mm fill depth).
TRAY_SIZES = (
    (600.0, 1, "600 mm ladder tray"),
    (900.0, 1, "900 mm ladder tray"),
    (1200.0, 1, "two 600 mm trays side by side"),
    (900.0, 2, "900 mm trays, 2 levels"),
    (1200.0, 2, "two 600 mm trays side by side, 2 levels"),
    (900.0, 3, "900 mm trays, 3 levels"),
    (1200.0, 3, "two 600 mm trays side by side, 3 levels"),
)


class TrayOverflowError(LayoutError):
    """A tray piece would need more than the largest size in TRAY_SIZES (see size_trays)."""


@dataclass
class Placed:
    """A rack to place in a row: its west edge `x_mm` from the hall's west end, and how it is built."""

    x_mm: float
    spec: RackSpec


@dataclass(frozen=True)
class Hall:
    """What `build_hall` made: racks, trays, and the hall's size in mm (x by y, trays included)."""

    racks: list[Rack]
    trays: list[Tray]
    width_mm: float
    depth_mm: float


def build_hall(
    rows: Sequence[Sequence[Placed]],
    columns: Sequence[float],
    catalog: Catalog,
    settings: SiteSettings | None = None,
    overhang_mm: float = TRAY_OVERHANG_MM,
) -> Hall:
    """Racks row by row (ids 'R01-01', … west to east) and the overhead trays over them.

    `rows` lists each row's racks (x in mm from the hall's west end, racks of a row must
    not overlap); `columns` the x (mm) of the cross trays between the two end ones, which
    sit `overhang_mm` beyond the outermost racks. Raises LayoutError for an empty hall or
    an unknown rack type.
    """
    settings = settings or SiteSettings()
    rows = [sorted(row, key=lambda p: p.x_mm) for row in rows if row]
    if not rows:
        raise LayoutError("a hall needs at least one rack")
    cold, hot = default("room", "cold_aisle_mm"), default("room", "hot_aisle_mm")
    racks: list[Rack] = []
    centres_y: list[float] = []
    edge_y = hot  # row 0 turns its rear north: a hot aisle along the wall
    east = 0.0
    for r, row in enumerate(rows):
        dims = [rack_dimensions(p.spec, catalog, settings, f"rows[{r}][{s}]") for s, p in enumerate(row)]
        depth = max(d["depth_mm"] for d in dims)
        centre_y = edge_y + depth / 2
        centres_y.append(centre_y)
        for s, (placed, d) in enumerate(zip(row, dims)):
            values = {
                "id": rack_id(r, s),
                "name": placed.spec.name,
                "row": row_id(r),
                "x_mm": overhang_mm + placed.x_mm + d["width_mm"] / 2,
                "y_mm": centre_y,
                "facing": "south" if r % 2 == 0 else "north",
                "devices": placed.spec.devices,
                **d,
            }
            if placed.spec.power_budget_w is not None:
                values["power_budget_w"] = placed.spec.power_budget_w
            racks.append(Rack(**values))
            east = max(east, overhang_mm + placed.x_mm + d["width_mm"])
        edge_y += depth + (cold if r % 2 == 0 else hot)
    east += overhang_mm
    top = max(rack.frame_top_mm(settings.rack_unit_mm) for rack in racks)
    elevation = top + settings.tray_clearance_above_rack_mm
    xs = sorted({0.0, east, *(overhang_mm + x for x in columns if 0 < overhang_mm + x < east)})
    trays: list[Tray] = []
    for r, y in enumerate(centres_y):
        for k, (x0, x1) in enumerate(zip(xs, xs[1:])):
            name = f"Row {row_id(r)} tray {k + 1} of {len(xs) - 1}"
            trays.append(_tray(f"T-{row_id(r)}-{k + 1:02d}", name, [(x0, y), (x1, y)], elevation))
    for c, x in enumerate(xs):
        for r, (y0, y1) in enumerate(zip(centres_y, centres_y[1:])):
            name = f"Cross tray {c + 1} between rows {row_id(r)} and {row_id(r + 1)}"
            trays.append(_tray(f"T-X{c + 1:02d}-{r + 1:02d}", name, [(x, y0), (x, y1)], elevation))
    return Hall(racks, trays, east, edge_y)


def _tray(tray_id: str, name: str, points: list[tuple[float, float]], elevation: float) -> Tray:
    return Tray(id=tray_id, name=name, kind="overhead", points=points, elevation_mm=elevation)


# ---- sizing --------------------------------------------------------------------------------
def size_trays(site: Site, catalog: Catalog) -> dict[str, float]:
    """Widens or stacks each tray of `site` (in place) to hold every cable that has a
    shortest route through it (see the module docstring); returns each tray's sized-for
    cross-section (mm²). Raises TrayOverflowError (a LayoutError) when a tray would need
    more than the largest size in TRAY_SIZES."""
    settings = site.settings
    network = TrayNetwork(site.trays)
    if len(network.edge_length) == 0:
        return {}
    flows = _flows(site, catalog)
    index = {rack.id: i for i, rack in enumerate(site.racks)}
    edge, offset = _joins(site.racks, network)
    lower = 2 * (settings.tray_clearance_above_rack_mm / 1000 + settings.service_slack_m)
    routes = _Routes(network)
    # Flows with the same possible routes are summed first: the masks are added once each.
    areas: dict[tuple[frozenset[tuple[int, int]], frozenset[int]], float] = {}
    for (a, b, kind), count in flows.items():
        ia, ib = index[a], index[b]
        if _touching(site.racks[ia], site.racks[ib], settings):
            continue
        shortest = math.inf
        junctions: set[tuple[int, int]] = set()
        edges: set[int] = set()
        for sa in (0, 1):
            for sb in (0, 1):
                length = routes.shortest(edge[ia, sa], offset[ia, sa], edge[ib, sb], offset[ib, sb], junctions, edges)
                shortest = min(shortest, length)
        products = [catalog.cables[product_id] for product_id in kind]
        key = (frozenset(junctions), frozenset(edges))
        areas[key] = areas.get(key, 0.0) + _thickest(products, shortest / 1000 + lower) * count
    load = np.zeros(len(network.edge_length))
    for (pairs, ends), area in areas.items():
        used = np.zeros(len(load), dtype=bool)
        used[list(ends)] = True
        for u, v in pairs:
            used |= routes.between(u, v)
        load[used] += area
    per_tray = np.zeros(len(site.trays))
    np.maximum.at(per_tray, network.edge_tray, load)
    fill = default("tray", "fill_ratio")
    depth = default("tray", "depth_mm")
    sized: dict[str, float] = {}
    for tray, need in zip(site.trays, per_tray):
        fits = [size for size in TRAY_SIZES if size[0] * depth * size[1] * fill >= need - 1e-6]
        if not fits:
            raise TrayOverflowError(
                f"tray {tray.id} would carry {need:,.0f} mm² of cable, more than {TRAY_SIZES[-1][2]} hold"
            )
        width, levels, what = fits[0]
        tray.width_mm, tray.depth_mm, tray.fill_ratio = width, depth * levels, fill
        if (width, levels) != TRAY_SIZES[0][:2]:
            tray.name = f"{tray.name} ({what})"
        sized[tray.id] = float(need)
    return sized


def _flows(site: Site, catalog: Catalog) -> dict[tuple[str, str, Kind], int]:
    """Cables between two racks, counted by (rack, rack, the products that could serve them)."""
    rack_of = {device.id: rack.id for rack in site.racks for device in rack.devices}
    type_of = {device.id: device.type for rack in site.racks for device in rack.devices}
    kinds: dict[tuple[str, str, str, str, int], Kind] = {}
    counts: dict[tuple[str, str, Kind], int] = {}
    for cable in site.cables:
        dev_a, _, port_a = cable.a.partition(":")
        legs = cable.legs
        dev_b, _, port_b = legs[0].partition(":")
        rack_a, rack_b = rack_of[dev_a], rack_of[dev_b]
        if rack_a == rack_b:
            continue
        key = (type_of[dev_a], port_a, type_of[dev_b], port_b, len(legs))
        kind = kinds.get(key)
        if kind is None:
            kind = kinds[key] = _kind(catalog, key)
        flow = (rack_a, rack_b, kind)
        counts[flow] = counts.get(flow, 0) + 1
    return counts


def _kind(catalog: Catalog, key: tuple[str, str, str, str, int]) -> Kind:
    """The ids of the products that fit a cable from port key[1] of type key[0] to port key[3]
    of type key[2] in key[4] legs: both ends' cages count (a QSFP28 cable into a QSFP-DD
    cage), a breakout's products for a breakout."""
    type_a, port_a, type_b, port_b, legs = key
    spec_a = catalog.devices[type_a].port(port_a)
    spec_b = catalog.devices[type_b].port(port_b)
    if spec_a is None or spec_b is None:
        return ()
    if legs > 1:
        return tuple(p.id for p in breakout_products(catalog, spec_a, spec_b, legs))
    try:
        _, rate, _ = connector_table().link(spec_a.link_end, spec_b.link_end)
    except ValueError:
        return ()
    return tuple(p.id for p in link_products(catalog, spec_a, spec_b, rate))


def _joins(racks: list[Rack], network: TrayNetwork) -> tuple[np.ndarray, np.ndarray]:
    """Per rack and side manager (0 west, 1 east of the rack's centre): tray edge and offset (mm)."""
    x = np.array(
        [
            [r.x_mm - r.width_mm / 2 + r.manager_width_mm / 2, r.x_mm + r.width_mm / 2 - r.manager_width_mm / 2]
            for r in racks
        ]
    )
    y = np.repeat(np.array([r.y_mm for r in racks]), 2)
    edge, offset, _ = network.locate(x.reshape(-1), y)
    return edge.reshape(-1, 2), offset.reshape(-1, 2)


def _touching(a: Rack, b: Rack, settings: SiteSettings) -> bool:
    """Side by side in one row, facing alike, both open at the sides: cables pass through, no tray."""
    gap = abs(a.x_mm - b.x_mm) - (a.width_mm + b.width_mm) / 2
    return (
        abs(a.y_mm - b.y_mm) < 1.0
        and a.facing == b.facing
        and a.side_openings
        and b.side_openings
        and -1.0 <= gap <= settings.pass_through_max_gap_mm
    )


class _Routes:
    """Shortest tray runs on a network, as the engine takes them (model.geometry.routes), with
    every run that ties for shortest."""

    def __init__(self, network: TrayNetwork) -> None:
        self.network = network
        self.dist = network.dist if network.node_count <= DENSE_NODE_LIMIT else None
        self.masks: dict[tuple[int, int], np.ndarray] = {}

    def distance(self, u: int, v: int) -> float:
        if self.dist is not None:
            return float(self.dist[u, v])
        return float(self.network.distance(np.array([u]), np.array([v]))[0])

    def shortest(self, e1: int, t1: float, e2: int, t2: float, junctions: set, edges: set) -> float:
        """Length (mm) of the shortest run between points on edges e1 and e2 (offsets t1, t2
        mm along them); adds the junction pairs (u, v) of every run that ties for it to
        `junctions` and the edges it starts and ends on to `edges`."""
        net = self.network
        edges.update((int(e1), int(e2)))
        if e1 == e2:
            return abs(t1 - t2)
        ends1 = ((int(net.edge_u[e1]), t1), (int(net.edge_v[e1]), net.edge_length[e1] - t1))
        ends2 = ((int(net.edge_u[e2]), t2), (int(net.edge_v[e2]), net.edge_length[e2] - t2))
        runs = [(d1 + self.distance(u, v) + d2, u, v) for u, d1 in ends1 for v, d2 in ends2]
        best = min(run[0] for run in runs)
        junctions.update((u, v) for total, u, v in runs if total <= best + 1e-6 and u != v)
        return float(best)

    def between(self, u: int, v: int) -> np.ndarray:
        """Every edge on any shortest path from junction u to junction v (a mask over edges)."""
        key = (u, v)
        if key not in self.masks:
            net = self.network
            nodes = np.arange(net.node_count)
            from_u = net.distance(np.full(net.node_count, u), nodes)
            to_v = net.distance(np.full(net.node_count, v), nodes)  # the trays run both ways
            total = from_u[v]
            eu, ev, length = net.edge_u, net.edge_v, net.edge_length
            on = (np.abs(from_u[eu] + length + to_v[ev] - total) < 1e-6) | (
                np.abs(from_u[ev] + length + to_v[eu] - total) < 1e-6
            )
            self.masks[key] = on if math.isfinite(total) else np.zeros(len(length), dtype=bool)
        return self.masks[key]


def _thickest(products: Sequence[CableProduct], length_m: float) -> float:
    """Cross-section (mm²) of the thickest of `products` that reaches `length_m` (of any, when
    none does), as a tray holds it (model.breakout_legs.tray_area_mm2: a breakout's trunk, or
    its whole legs together)."""
    reaching = [tray_area_mm2(p) for p in products if p.reach_m >= length_m]
    return max(reaching or [tray_area_mm2(p) for p in products] or [0.0])


# ---- figures -------------------------------------------------------------------------------
@dataclass(frozen=True)
class HallFigures:
    """A layout's floor size (m, x by y: its racks' footprints and trays) and its longest
    cable run (m, route plus slack, as the engine measures it; 0 without cables)."""

    width_m: float
    depth_m: float
    longest_run_m: float

    def __str__(self) -> str:
        return f"hall {self.width_m:.0f} m x {self.depth_m:.0f} m, longest run {self.longest_run_m:.1f} m"


def hall_figures(site: Site, catalog: Catalog, result: AnalysisResult | None = None) -> HallFigures:
    """The floor size and longest run of `site`, from `result` (its analysis) or a fresh
    analysis (~2-3 s at 100,000 accelerators)."""
    from model.analysis import analyse
    from model.document import Document
    from model.rules import rack_footprint

    boxes = [rack_footprint(rack) for rack in site.racks]
    xs = [x for box in boxes for x in (box[0], box[2])] + [p[0] for t in site.trays for p in t.points]
    ys = [y for box in boxes for y in (box[1], box[3])] + [p[1] for t in site.trays for p in t.points]
    if not xs:
        return HallFigures(0.0, 0.0, 0.0)
    result = result or analyse(Document(site, catalog, check=False))
    lengths = result.lengths_by_medium.values()
    longest = max((float(np.nanmax(values)) for values in lengths if len(values)), default=0.0)
    return HallFigures((max(xs) - min(xs)) / 1000, (max(ys) - min(ys)) / 1000, longest)

"""Breakout cables: one port at end a split into legs, one port each at end b.

In a layout file a breakout's end b is a list of ports (`"b": ["srv01:nic1", "srv01:nic2"]`).
The engine gives it one row per leg under the cable's id (model.geometry.compiled): each
leg is routed from end a to its own port. The product, chosen per leg from the catalog's
breakout products of the same split ('OSFP → 2 × OSFP', CableProduct.legs), is the one
chosen for the longest leg (reach is checked on that whole run), for the whole cable; the
cable's cost and power sit on its first row, so sums and the BOM count the cable once while
the schedule lists every leg. The cable is a trunk from end a to a split point, then a leg
per port: the split is the legs' length (model.breakout_legs) before the longest leg's port,
or end a itself where the legs are whole fibres; a tray holds the trunk once, or each whole
leg (`tray_rows`), and the views draw the trunk once and every leg (`cable_polylines`). Each
leg's port must take the leg's share of end a's lanes at its rate (`check_leg_lanes`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from model.catalog import CableProduct, Catalog, PortSpec, protocol_clash
from model.errors import LayoutError
from model.layout import Cable, Device, split_port_ref

if TYPE_CHECKING:  # model.rules imports this module; the selection builds on the rules' models
    from model.metrics import AnalysisResult
    from model.selection import Choice, ProductTable


def _spec(ref: str, devices: dict[str, Device], catalog: Catalog, where: str) -> PortSpec:
    """The port spec of 'device:port'; LayoutError at `where` when the device, its type or the port is unknown."""
    device_id, port_name = split_port_ref(ref)
    device = devices.get(device_id)
    if device is None:
        raise LayoutError(f"no device {device_id!r}", where)
    device_type = catalog.device(device.type)
    if device_type is None:
        raise LayoutError(f"device {device_id!r} has unknown type {device.type!r}", where)
    spec = device_type.port(port_name)
    if spec is None:
        raise LayoutError(f"device {device_id!r} ({device_type.name}) has no port {port_name!r}", where)
    return spec


def check_breakout(
    cable: Cable, devices: dict[str, Device], catalog: Catalog, used_ports: dict[str, str], where: str
) -> float:
    """Checks a breakout cable (end b a list of ports); returns the rate of each leg (Gb/s).

    `devices` maps device id -> device, `used_ports` 'device:port' -> the cable using it.
    Raises LayoutError at `where`.a or `where`.b[k] when a port is unknown, used by another
    cable or end a itself, when the legs' connectors or pathways differ, when end a's lanes
    do not split evenly over the legs, when a requested rate exceeds a leg's port, (at
    `where`.b) when the legs' rates add up to more than end a's port, or (at
    `where`.pinned_product) when the pinned product is unknown or not a breakout.
    """
    legs = cable.legs
    spec_a = _spec(cable.a, devices, catalog, f"{where}.a")
    specs = [_spec(ref, devices, catalog, f"{where}.b[{k}]") for k, ref in enumerate(legs)]
    for end, ref in (("a", cable.a), *((f"b[{k}]", ref) for k, ref in enumerate(legs))):
        holder = used_ports.get(ref)
        if holder is not None and holder != cable.id:
            raise LayoutError(f"port {ref} is already used by cable {holder!r}", f"{where}.{end}")
        if end != "a" and ref == cable.a:
            raise LayoutError(f"leg {ref} is end a itself", f"{where}.{end}")
    for k, (ref, spec) in enumerate(zip(legs, specs)):
        if spec.pathway != "plug" or spec_a.pathway != "plug":
            raise LayoutError(
                f"a breakout joins pluggable ports only: {ref} is a {spec.pathway} port", f"{where}.b[{k}]"
            )
        clash = protocol_clash(spec_a, spec)  # as a straight cable's (model.rules.check_protocols)
        if clash:
            raise LayoutError(f"{cable.a} and {ref} cannot be joined: {clash}", f"{where}.b[{k}]")
        if spec.connector != specs[0].connector:
            raise LayoutError(
                f"a breakout's legs end in one kind of plug: {legs[0]} is {specs[0].connector}, "
                f"{ref} is {spec.connector}",
                f"{where}.b[{k}]",
            )
    if spec_a.lanes % len(legs):
        raise LayoutError(f"{cable.a}'s {spec_a.lanes} lanes do not split evenly into {len(legs)} legs", f"{where}.b")
    check_leg_lanes(cable.a, spec_a, legs, specs, where)
    rates = []
    for k, (ref, spec) in enumerate(zip(legs, specs)):
        rate = cable.rate_gbps if cable.rate_gbps is not None else min(spec_a.rate_gbps / len(legs), spec.rate_gbps)
        if rate > spec.rate_gbps + 1e-9:
            raise LayoutError(f"requested {rate:g}G exceeds leg port {ref}'s {spec.rate_gbps:g}G", f"{where}.b[{k}]")
        rates.append(rate)
    if sum(rates) > spec_a.rate_gbps + 1e-9:
        raise LayoutError(
            f"the legs carry {len(legs)} × {rates[0]:g}G = {sum(rates):g}G, more than {cable.a}'s {spec_a.rate_gbps:g}G",
            f"{where}.b",
        )
    if cable.pinned_product is not None:
        product = catalog.cables.get(cable.pinned_product)
        if product is None:
            raise LayoutError(f"unknown cable product {cable.pinned_product!r}", f"{where}.pinned_product")
        if product.legs is None:
            raise LayoutError(
                f"{product.id} is a straight cable: a breakout takes a breakout product (one with legs)",
                f"{where}.pinned_product",
            )
    return min(rates)


def check_leg_lanes(a: str, spec_a: PortSpec, legs: Sequence[str], specs: Sequence[PortSpec], where: str) -> None:
    """Each leg of port `a` (spec `spec_a`) split over `legs` (their `specs`) carries end a's
    rate and lanes shared out evenly: 800G over 8 lanes in 2 legs is 400G over 4 lanes each.
    A leg's port must take that many lanes at no less than that rate (its lanes no slower),
    or run on that many lanes as a port whose SerDes takes fewer, faster lanes does (its
    max_lane_rate_gbps: a ConnectX-8's 800G over 8 lanes also runs over 4, so a 400G leg over
    4 lanes fits it): a leg cannot run on a 200G port (4 × 50G) nor on a plain 8-lane 800G
    port. Raises LayoutError at `where`.b[k] naming the port, its rate and lanes and the leg's.
    Lane counts split by the physical layer (IEEE 802.3ck/df: 100G and 200G lanes, 2/4/8 per port)."""
    lanes = spec_a.lanes // len(legs)
    rate = spec_a.rate_gbps / len(legs)
    for k, (ref, spec) in enumerate(zip(legs, specs)):
        if not _takes_leg(spec, rate, lanes):
            raise LayoutError(
                f"leg port {ref} takes {spec.rate_gbps:g}G over {spec.lanes} lanes, but each leg of {a} "
                f"({spec_a.rate_gbps:g}G over {spec_a.lanes} lanes in {len(legs)} legs) is {rate:g}G over {lanes} lanes",
                f"{where}.b[{k}]",
            )


def _takes_leg(spec: PortSpec, rate: float, lanes: int) -> bool:
    """Whether port `spec` takes a leg of `rate` Gb/s over `lanes` lanes: its own lanes at no
    less than that rate, or fewer lanes than its own where its fastest lane carries the leg's."""
    if spec.rate_gbps < rate - 1e-9:
        return False
    if spec.lanes == lanes:
        return True
    fastest = spec.max_lane_rate_gbps
    return fastest is not None and lanes < spec.lanes and lanes * fastest >= rate - 1e-9


def shared_port_hint(ref: str, holder: str, other: str) -> str:
    """What a refusal of port `ref` (used by cable `holder`) adds for a cable whose other end
    is `other`: how to write the two as one breakout from `ref`."""
    return (
        f'; to split {ref} over several ports, make {holder!r} one breakout cable: "a": "{ref}" and '
        f'"b" the list of every far port, {other} among them'
    )


def breakout_for(catalog: Catalog, spec_a: PortSpec, spec_b: PortSpec) -> str | None:
    """The name of a catalog breakout from end a's connector to end b's, when one exists
    (for the refusal of a straight cable between them), else None."""
    for product in catalog.cables.values():
        legs = product.legs
        if legs is None or product.connector != spec_a.connector or legs.connector != spec_b.connector:
            continue
        if product.rate_gbps == spec_a.rate_gbps and legs.rate_gbps <= spec_b.rate_gbps:
            return product.name
    return None


def breakout_products(catalog: Catalog, spec_a: PortSpec, spec_leg: PortSpec, count: int) -> list[CableProduct]:
    """The catalog's breakout products from a port like `spec_a` split into `count` legs onto
    ports like `spec_leg`: end a's connector, rate (Gb/s), lanes and pathway, the legs' plug
    and count (the products a breakout's rows are grouped with, CableProduct.connector_key)."""
    return [
        p
        for p in catalog.cables.values()
        if p.legs is not None
        and p.legs.count == count
        and p.connector == spec_a.connector
        and p.legs.connector == spec_leg.connector
        and p.rate_gbps == spec_a.rate_gbps
        and p.lanes == spec_a.lanes
        and p.pathway == spec_a.pathway
    ]


def spread_by_longest_leg(
    leg: np.ndarray, leg_count: np.ndarray, choice: Choice, rows: np.ndarray, leg_length_m: np.ndarray
) -> None:
    """After each leg of `rows` got its own choice: every breakout among them takes, for all its
    legs, the product and ordered length chosen for its longest leg (a leg with no pathway
    counts as longest: the cable cannot be laid). Its cost and power move to its first row
    and the other legs carry 0, so that sums count the cable once. `rows` must hold every leg
    of each breakout in it; `leg` and `leg_count` are the compiled columns of that name.

    The split: the legs fan out `leg_length_m` (per catalog product, m; NaN: whole legs from
    end a) before the longest leg's port, so the trunk (choice.trunk_m, on every leg's row)
    is the longest run less that, and none where the run is shorter or the legs are whole."""
    split = rows[leg_count[rows] > 1]
    if len(split) == 0:
        return
    length = np.where(np.isnan(choice.length_m), np.inf, choice.length_m)
    for first in np.unique(split - leg[split]).tolist():
        members = np.arange(first, first + int(leg_count[first]))
        longest = int(members[np.argmax(length[members])])
        cost, power = float(choice.cost[longest]), float(choice.power[longest])
        product = int(choice.product[longest])
        choice.product[members] = product
        choice.ordered_m[members] = choice.ordered_m[longest]
        choice.pinned_violation[members] = choice.pinned_violation[longest]
        choice.cost[members], choice.power[members] = 0.0, 0.0
        choice.cost[first], choice.power[first] = cost, power
        choice.longest_leg[members] = longest - first
        legs_m = leg_length_m[product] if product >= 0 else np.nan
        run = choice.length_m[longest]
        choice.trunk_m[members] = max(0.0, run - legs_m) if np.isfinite(legs_m) and np.isfinite(run) else 0.0


def tray_rows(
    leg: np.ndarray, choice: Choice, rows: np.ndarray, products: ProductTable
) -> tuple[np.ndarray, np.ndarray]:
    """Of cable rows `rows` (every leg of each breakout among them), the rows whose cross-section
    lies in the trays, and those cross-sections (mm², the chosen product's; 0 without one): a
    straight cable's row; a breakout's trunk once, on its first row, where it splits past end a
    (choice.trunk_m > 0: the legs fan out near the far port, out of the trays, as copper
    splitters do); else each leg on its own row at the leg's cross-section (legs whole from end
    a, as a twin-port transceiver's separate fibres). A split within the tray run counts the
    trunk over the whole run (the stretch past the split holds the legs instead). A breakout
    with no product counts once. Figures: the product's od_mm, its legs' od_mm in
    resources/catalog/breakout_legs.yaml (model.breakout_legs)."""
    product = choice.product[rows]
    safe = np.maximum(product, 0)
    # A straight cable has no trunk: laid on its row at its leg area, which is its own area. A
    # breakout with no product counts once, as a cable with no cross-section.
    trunk = (choice.trunk_m[rows] > 0) | (product < 0)
    area = np.where(trunk, products.area[safe], products.leg_area[safe]) * (product >= 0)
    keep = ~trunk | (leg[rows] == 0)
    return rows[keep], area[keep]


def longest_rows(leg: np.ndarray, choice: Choice, rows: np.ndarray) -> np.ndarray:
    """Per row of `rows`, the row of its cable's longest leg (the row itself for a straight cable):
    where a breakout's reach and reason are read."""
    return rows - leg[rows] + choice.longest_leg[rows]


Point = tuple[float, float, float]


def cable_polylines(result: AnalysisResult, row: int) -> list[list[Point]]:
    """The route of the cable whose (first) row is `row` in `result`, as corner points (floor
    x, y and height z, mm): [route] for a straight cable; for a breakout [trunk, leg 1, leg 2,
    ...]: the trunk from end a along its longest leg to the split, each leg from the split to
    its port. The split is the legs' length (model.breakout_legs) back from the longest leg's
    port along its route, at end a where the legs are whole (trunk_m 0)."""
    return polylines_of(result, [row])[0]


def polylines_of(result: AnalysisResult, rows: list[int]) -> list[list[list[Point]]]:
    """`cable_polylines` of the cables whose first rows are `rows`, their routes computed together."""
    leg_count = result.state.compiled.leg_count
    counts = [int(leg_count[row]) for row in rows]
    every = result.route_points([row + k for row, count in zip(rows, counts) for k in range(count)])
    out, at = [], 0
    for row, count in zip(rows, counts):
        routes, at = every[at : at + count], at + count
        out.append(routes if count == 1 else _split(result, row, routes))
    return out


def _split(result: AnalysisResult, row: int, routes: list[list[Point]]) -> list[list[Point]]:
    """[trunk, leg 1, ...] of the breakout at first row `row`, from its legs' `routes`."""
    product = int(result.product_row[row])
    legs_m = float(result.state.products.leg_length[product]) if product >= 0 else float("nan")
    lengths = [_length(points) for points in routes]
    split = max(lengths) - legs_m * 1000 if result.trunk_m[row] > 0 and legs_m == legs_m else 0.0
    longest = routes[lengths.index(max(lengths))]
    return [_cut(longest, max(0.0, split))[0], *(_cut(points, max(0.0, split))[1] for points in routes)]


def _length(points: list[Point]) -> float:
    """The length of a polyline, mm."""
    return float(sum(math.dist(p, q) for p, q in zip(points, points[1:])))


def _cut(points: list[Point], at_mm: float) -> tuple[list[Point], list[Point]]:
    """`points` cut `at_mm` along it: the part before (from its start) and the part after."""
    done = 0.0
    for k, (p, q) in enumerate(zip(points, points[1:])):
        step = math.dist(p, q)
        if done + step >= at_mm:
            t = (at_mm - done) / step if step else 0.0
            mid = (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]), p[2] + t * (q[2] - p[2]))
            return [*points[: k + 1], mid], [mid, *points[k + 1 :]]
        done += step
    return list(points), [points[-1]]

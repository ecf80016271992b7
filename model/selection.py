"""Which product for which run, and why.

For every cable the candidates are the catalog products of its connector, rate and
lanes. A candidate is feasible when the run's length (route, less what its bends'
fillets save, plus service slack) rounds up to an orderable length within its reach,
and its bend radius fits every turn of the route in the space the pathway gives
there. The feasible candidate that scores best on the site's objective (cost, power
or cost of ownership) wins; tray fill can then push cables to thinner products (see
model.geometry.fill). All of it runs on arrays, one block per candidate group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from model.breakout_legs import leg_columns
from model.catalog import MEDIA_ORDER, CableProduct, Catalog
from model.geometry.compiled import CompiledLayout
from model.geometry.routes import RouteColumns
from model.layout import SiteSettings
from model.rows import take

FILLET_SAVING = 2 - math.pi / 2  # a 90° corner of radius r is (2 - π/2)·r shorter than a sharp one
HOURS_PER_YEAR = 24 * 365
MEDIUM_CODES = {m.value: i for i, m in enumerate(MEDIA_ORDER)}
MEDIUM_NAMES = [m.value for m in MEDIA_ORDER]

# Which pathway limits a bend, in the order reasons name them.
BEND_PLACES = ("door clearance at end A", "door clearance at end B", "side manager", "rack top", "tray")


@dataclass
class Candidates:
    """The products that match one group of cables (same connector, rate and lanes)."""

    products: list[CableProduct]
    index: np.ndarray  # catalog product rows


@dataclass
class Evaluation:
    """Candidates × cables, for one group: every figure the choice and its reason need."""

    length_m: np.ndarray
    ordered_m: np.ndarray  # NaN where no orderable length within reach covers the run
    bend_radius: np.ndarray
    cost: np.ndarray
    power: np.ndarray
    score: np.ndarray
    reach_ok: np.ndarray
    bend_ok: np.ndarray
    spaces: np.ndarray  # (cables, places): the pathway's space at each kind of turn, mm
    straight: np.ndarray  # (candidates,): the straight run behind the plug at a door clearance, mm
    od: np.ndarray  # (candidates,): the cable's outer diameter, mm

    @cached_property
    def bend_room(self) -> np.ndarray:
        """(cables, candidates, places): the room for the bend's centre line at each kind of
        turn (mm): the space, less the straight run behind the plug at a door clearance, less
        half the cable. Made when asked (the reasons name the tightest turn); the choice
        needs only the least of them."""
        room = self.spaces[:, None, :] - self.od[None, :, None] / 2
        room[:, :, :2] = self.spaces[:, None, :2] - self.straight[None, :, None] - self.od[None, :, None] / 2
        return room


class ProductTable:
    """The catalog's cable products as arrays."""

    def __init__(self, catalog: Catalog) -> None:
        self.products = list(catalog.cables.values())
        self.ids = [p.id for p in self.products]
        self.row = {pid: i for i, pid in enumerate(self.ids)}
        self.medium = np.array([MEDIUM_CODES[p.medium.value] for p in self.products], dtype=np.int8)
        # The media again with -1 last, where a row without a product (-1) reads (medium_of).
        self._medium_or_none = np.append(self.medium, np.int8(-1)).astype(np.int8)
        self.od = np.array([p.od_mm for p in self.products])
        self.area = np.array([p.cross_section_mm2 for p in self.products])
        self.radius = np.array([p.min_bend_radius_mm for p in self.products])
        self.reach = np.array([p.reach_m for p in self.products])
        self.power = np.array([p.power_w for p in self.products])
        self.fixed = np.array([p.cost.fixed_usd for p in self.products])
        self.per_m = np.array([p.cost.per_m_usd for p in self.products])
        self.latency_per_m = np.array([p.latency_ns_per_m for p in self.products])
        self.latency_fixed = np.array([p.latency_fixed_ns for p in self.products])
        self.gauge = [p.gauge_awg for p in self.products]
        # A breakout's legs (model.breakout_legs): length from the split, m (NaN: whole from end
        # a, and for a straight cable), and each leg's cross-section in a tray, mm².
        self.leg_length, self.leg_area = leg_columns(self.products)

    def medium_of(self, product: np.ndarray) -> np.ndarray:
        """The medium code (MEDIUM_NAMES order) of each product row of `product` ((n,) ints,
        -1 for no product): (n,) int8, -1 where there is none. One gather, where np.where over
        a clamped gather made three passes (~0.7 ms of an edit's result at 300,000 cables)."""
        return self._medium_or_none[product]

    def candidates(self, connector: str, rate: float, lanes: int, pathway: str = "plug") -> Candidates:
        """The products for one group of cables: same connector, rate (Gb/s), lanes and pathway.

        A breakout's legs are grouped by `connector` 'OSFP → 2 × QSFP112' (CableProduct.connector_key),
        the rate of one leg and the lanes of end a.
        """
        # Between two twin-port cages ('OSFP twin-port', model.geometry.compiled): the twin-port
        # products (one cable serves both ports of the cage) and the single-port ones.
        base = connector.removesuffix(" twin-port")
        twin = base != connector
        rows = [
            i
            for i, p in enumerate(self.products)
            if (p.connector_key == base if p.ports_per_end == 1 else twin and p.connector_key == base)
            and p.link_rate_gbps == rate
            and p.lanes == lanes
            and p.pathway == pathway
        ]
        return Candidates([self.products[i] for i in rows], np.array(rows, dtype=np.int32))


def ordered_lengths(product: CableProduct, length_m: np.ndarray) -> np.ndarray:
    """For runs `length_m` ((n,), m): the shortest length of `product` one can order that
    covers each, (n,) in m; NaN beyond its reach or its longest stock length."""
    out = np.full(len(length_m), np.nan)
    within = length_m <= product.reach_m + 1e-9
    if product.lengths_m is not None:
        stock = np.array(product.lengths_m)
        at = np.searchsorted(stock, length_m - 1e-9)
        ok = within & (at < len(stock))
        out[ok] = stock[at[ok]]
    else:
        step = product.length_step_m or 1.0
        # Rounded to the µm: 12 × 0.05 is 0.6000000000000001 in floating point.
        out[within] = np.round(np.maximum(step, np.ceil(length_m[within] / step - 1e-9) * step), 6)
    return out


def evaluate(
    cables: np.ndarray, group: Candidates, routes: RouteColumns, compiled: CompiledLayout, settings: SiteSettings
) -> Evaluation:
    """Every candidate product of one group for every cable of `cables` ((n,) cable rows).

    Returns (n, m) columns for the group's m products: the length each would need (m; the
    route less its fillets' saving at that product's bend radius, plus service slack), the
    orderable length (NaN beyond reach), the bend radius (mm, flexed runs scaled up) against
    the room at each of BEND_PLACES (bend_room: (n, m, 5), mm), cost (USD), power (W), the objective's
    score, and whether reach and bends are met. Product figures come from the catalog; a
    twin-port product's cost and power are shared by the two links it carries.
    """
    n, m = len(cables), len(group.products)
    flex = np.where(compiled.flexed[cables], settings.bend_multiplier_flexed / settings.bend_multiplier_static, 1.0)
    od = np.array([p.od_mm for p in group.products])
    radius = np.array([p.min_bend_radius_mm for p in group.products])[None, :] * flex[:, None]
    straight = settings.straight_behind_plug_od * od
    spaces = np.column_stack(
        [
            routes.exit_space[cables, 0],
            routes.exit_space[cables, 1],
            routes.manager_space[cables],
            routes.top_space[cables],
            routes.tray_space[cables],
        ]
    )
    # The bend fits where the least room (Evaluation.bend_room) takes it. Subtracting one
    # figure keeps the spaces' order, so the least room is the room at the least space,
    # bit for bit, without the (cables, candidates, places) array.
    door = np.minimum(spaces[:, 0], spaces[:, 1])[:, None] - straight[None, :]
    least = np.minimum(door, spaces[:, 2:].min(axis=1)[:, None]) - od[None, :] / 2
    bend_ok = radius <= least + 1e-9  # (n, m)
    length = (routes.length_mm[cables][:, None] - routes.bends[cables][:, None] * FILLET_SAVING * radius) / 1000
    length = length + routes.slack_ends[cables][:, None] * settings.service_slack_m
    ordered = np.column_stack([ordered_lengths(p, length[:, j]) for j, p in enumerate(group.products)])
    reach_ok = ~np.isnan(ordered) & routes.routable[cables][:, None]
    # A twin-port product is one cable for the two ports of a cage: each link carries its share.
    share = np.array([1 / p.ports_per_end for p in group.products])
    fixed = np.array([p.cost.fixed_usd for p in group.products]) * share
    per_m = np.array([p.cost.per_m_usd for p in group.products]) * share
    cost = fixed[None, :] + per_m[None, :] * np.where(np.isnan(ordered), length, ordered)
    power = np.broadcast_to((np.array([p.power_w for p in group.products]) * share)[None, :], (n, m))
    afr = np.array([p.failure_rate()[0] for p in group.products])
    score = _score(cost, power, afr[None, :], settings)
    return Evaluation(length, ordered, radius, cost, power, score, reach_ok, bend_ok, spaces, straight, od)


def _score(cost: np.ndarray, power: np.ndarray, afr: np.ndarray, settings: SiteSettings) -> np.ndarray:
    """The objective per (cable, product): cost (USD), power (W), or the cost of ownership over
    the layout's horizon as model.tco counts it: purchase + years x (energy + afr x purchase)."""
    if settings.objective == "power":
        return power + cost * 1e-6  # cost breaks ties
    if settings.objective == "tco":
        energy = power / 1000 * HOURS_PER_YEAR * settings.pue * settings.energy_usd_per_kwh
        return cost + settings.tco_years * (energy + afr * cost)
    return cost + power * 1e-6


@dataclass
class Choice:
    """Per cable: the chosen catalog product row (-1: none) and its figures."""

    product: np.ndarray
    length_m: np.ndarray
    ordered_m: np.ndarray
    cost: np.ndarray
    power: np.ndarray
    pinned_violation: np.ndarray  # the pin forced a product that breaks a rule
    # A breakout's legs: which leg (0-based, in its cable) the product was chosen for (its longest);
    # 0 for a straight cable (model.breakout).
    longest_leg: np.ndarray
    # A breakout's trunk: m from end a to the split, on each of its legs' rows (model.breakout);
    # 0 for a straight cable.
    trunk_m: np.ndarray


def allowed_mask(cables: np.ndarray, group: Candidates, compiled: CompiledLayout) -> np.ndarray:
    """(cables, candidates) bool: which of the group's products each cable's pin allows
    (a pinned product, or the products of a pinned medium; all where it is not pinned)."""
    allowed = np.ones((len(cables), len(group.products)), dtype=bool)
    ids = [p.id for p in group.products]
    media = [p.medium.value for p in group.products]
    rows = cables.tolist()
    pins = zip(take(compiled.pinned_product, rows), take(compiled.pinned_medium, rows))
    for row, (product, medium) in enumerate(pins):
        if product is not None:
            allowed[row] = [pid == product for pid in ids]
        elif medium is not None:
            allowed[row] = [m == medium for m in media]
    return allowed


def _least_broken(group: Candidates, ev: Evaluation, allowed: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """(k,) column of the allowed product (candidate column) that breaks the least, for each
    of the k cables `rows` (positions in `ev` and `allowed`: cables whose pin every allowed
    product breaks): the run least beyond its reach, then one whose bends fit, then the best
    score. A pin to AEC on a 7.2 m run so takes the 7 m AEC, not the cheapest
    4 m one, and its problem names the longest reach there is (a fresh user read '7.20 m
    exceeds the 4 m reach' and looked for a longer AEC that also fails)."""
    reach = np.array([p.reach_m for p in group.products])
    allowed = allowed[rows]
    beyond = np.where(ev.reach_ok[rows], 0.0, np.maximum(ev.length_m[rows] - reach[None, :], 1e-6))
    beyond = np.where(allowed & ~np.isnan(beyond), beyond, np.inf)
    near = allowed & (beyond <= beyond.min(axis=1, keepdims=True))
    bends = near & ev.bend_ok[rows]
    near = np.where(bends.any(axis=1, keepdims=True), bends, near)
    return np.argmin(np.where(near, ev.score[rows], np.inf), axis=1)


def choose(
    cables: np.ndarray,
    group: Candidates,
    ev: Evaluation,
    compiled: CompiledLayout,
    choice: Choice,
    banned: np.ndarray | None = None,
) -> None:
    """Writes the best feasible candidate of each of `cables` ((n,) rows) into `choice`.

    Feasible: within reach, bends within the room, allowed by the pin and not `banned`
    ((n, candidates) bool). A pinned, routed cable for which every allowed product breaks a
    rule still gets the best of them, marked in `choice.pinned_violation`; a cable with no
    product gets -1.
    """
    if len(group.products) == 0:
        choice.product[cables] = -1
        return
    allowed = allowed_mask(cables, group, compiled)
    feasible = ev.reach_ok & ev.bend_ok & allowed
    if banned is not None:
        feasible &= ~banned
    score = np.where(feasible, ev.score, np.inf)
    best = np.argmin(score, axis=1)
    found = np.isfinite(score[np.arange(len(cables)), best])
    # A pin is honoured even when it breaks a rule; the break becomes a problem.
    # ... but not where no pathway joins the ends: there is no run to put a product on.
    routed = ~np.isnan(ev.length_m).all(axis=1)
    pinned_fallback = ~found & allowed.any(axis=1) & ~allowed.all(axis=1) & routed
    pick = np.where(found, best, -1)
    if pinned_fallback.any():  # few or none: worked out for those rows only
        broken = np.flatnonzero(pinned_fallback)
        pick[broken] = _least_broken(group, ev, allowed, broken)
    rows = np.arange(len(cables))
    has = pick >= 0
    safe = np.where(has, pick, 0)
    choice.product[cables] = np.where(has, group.index[safe], -1)
    choice.length_m[cables] = np.where(has, ev.length_m[rows, safe], ev.length_m.min(axis=1))
    ordered = np.where(has, ev.ordered_m[rows, safe], np.nan)
    choice.ordered_m[cables] = ordered
    # What cannot be ordered costs nothing: a pin beyond every allowed product's reach keeps
    # its product (the problem names it), but no length of it can be bought, so it is in no
    # BOM line, and the cost was the BOM's plus a price for cables that do not exist (a fresh
    # user's find: $58,687 against a BOM of $13,960). It counts as 'unorderable' instead.
    choice.cost[cables] = np.where(has & ~np.isnan(ordered), ev.cost[rows, safe], 0.0)
    choice.power[cables] = np.where(has, ev.power[rows, safe], 0.0)
    choice.pinned_violation[cables] = pinned_fallback

"""Structured cabling: links through patch panels, chosen whole.

A patch panel's front port passes a link to a rear port (model.catalog.PortSpec role,
rear_port, rear_position). A link is the chain of cables from a device port through panel
ports to the far device port: typically cord (device → panel front), trunk (rear → rear)
and cord (front → device). A panel is passive fibre, so the whole link is chosen at once:
a transceiver at each device end (both of one kind), fibre patch cords and MPO trunks of
its fibre, by length; never copper. Its insertion loss (model.optical_loss) is checked
against the transceiver's budget; a link over budget or beyond the optic's reach is a
problem of kind 'optical_loss' or 'reach'.

Runs after the selection on the cables of links only; a layout without cabled panels
costs one vectorised check. Links are few; each is solved on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from model.catalog import Catalog, PortSpec
from model.layout import cable_ends
from model.optical_loss import LinkLoss, Transceiver, link_loss, optical_table
from model.selection import Candidates, evaluate

if TYPE_CHECKING:
    from model.geometry.compiled import CompiledLayout
    from model.geometry.routes import RouteColumns
    from model.layout import SiteSettings
    from model.selection import Choice, ProductTable


@dataclass(frozen=True)
class LinkEnd:
    """Where a link ends: a device port ('gpu01:nic1'), and whether it is a device's port
    (True, with the cable end row at it) or a panel port with no cable beyond it (False: the
    link is open there)."""

    ref: str
    spec: PortSpec
    device: bool
    end: int = -1  # the cable end row at a device port (2 x cable row, + 1 for end b); -1 when open


@dataclass
class Link:
    """One end-to-end link: its cable rows in order from end `a` to end `b`, the panel ports
    it passes (per panel crossed: front connector, rear connector) and, once solved, the
    transceivers, each cable's product row, and its loss and problems."""

    rows: list[int]
    a: LinkEnd
    b: LinkEnd
    crossings: list[tuple[str, str]]
    kinds: list[str]  # per cable: "cord" or "trunk"
    connectors: list[str]  # per cable: the panel connector it must carry
    transceiver: Transceiver | None = None
    products: list[int] = field(default_factory=list)
    fiber_m: float = float("nan")
    loss: LinkLoss | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    picks: list[tuple[int, float, float, float]] | None = None  # per cable: product row, m, ordered m, USD
    options: list[_Option] = field(default_factory=list)  # every way tried, for the reason

    def name(self) -> str:
        """'gpu01:nic1 → pp01 → pp09 → leaf01:p1': the link by its ends and the panels between."""
        return f"{self.a.ref} → {self.b.ref}"


@dataclass(frozen=True)
class Links:
    """Every link of a layout (`links`) and, per cable row, the link it belongs to (-1: none)."""

    links: tuple[Link, ...]
    of_row: np.ndarray

    def link_of(self, row: int) -> Link | None:
        """The link the cable at `row` belongs to, or None."""
        at = int(self.of_row[row]) if 0 <= row < len(self.of_row) else -1
        return self.links[at] if at >= 0 else None


NO_LINKS = Links((), np.zeros(0, dtype=np.int32))


def _panel_type_codes(compiled: CompiledLayout, catalog: Catalog) -> list[int]:
    names = compiled._type_names
    return [
        code
        for code, name in enumerate(names)
        if name in catalog.devices and any(p.role != "interface" for p in catalog.devices[name].ports)
    ]


def find_links(compiled: CompiledLayout, catalog: Catalog) -> Links:
    """The links through patch panels among the compiled cables (rows), each walked from one
    device port (or open panel port) to the other. Returns NO_LINKS when no cable touches a
    panel port; otherwise Links with `of_row` of shape (cables,)."""
    n = len(compiled.cable_ids)
    codes = _panel_type_codes(compiled, catalog)
    if not n or not codes:
        return Links((), np.full(n, -1, dtype=np.int32))
    on_panel = np.isin(compiled.end_type, codes)
    if not on_panel.any():
        return Links((), np.full(n, -1, dtype=np.int32))
    spec_of = _spec_lookup(compiled, catalog)
    ends = np.nonzero(on_panel)[0]
    panel_rows = np.unique(ends // 2)
    # Which cable end sits at each (device row, port name) of the cables that touch panels.
    at_port: dict[tuple[int, str], int] = {}
    for row in panel_rows.tolist():
        for end in (2 * row, 2 * row + 1):
            at_port[(int(compiled.end_device_row[end]), spec_of(end).name)] = end
    of_row = np.full(n, -1, dtype=np.int32)
    links: list[Link] = []
    # Start from device ends first so each link is walked from a device port when it has one.
    starts = sorted(panel_rows.tolist(), key=lambda r: (not _has_device_end(spec_of, r), r))
    for row in starts:
        if of_row[row] >= 0:
            continue
        link = _walk(compiled, catalog, spec_of, at_port, row)
        for member in link.rows:
            if of_row[member] < 0:  # a trunk behind cassettes carries several links: the first keeps it
                of_row[member] = len(links)
        links.append(link)
    return Links(tuple(links), of_row)


def _spec_lookup(compiled: CompiledLayout, catalog: Catalog):
    def spec_of(end: int) -> PortSpec:
        device_type = catalog.devices[compiled.device_type[int(compiled.end_device_row[end])]]
        return device_type.ports[int(compiled.end_port[end])]

    return spec_of


def _has_device_end(spec_of, row: int) -> bool:
    return spec_of(2 * row).role == "interface" or spec_of(2 * row + 1).role == "interface"


def _ref(compiled: CompiledLayout, end: int, spec: PortSpec) -> str:
    return f"{compiled.device_ids[int(compiled.end_device_row[end])]}:{spec.name}"


def _walk_out(compiled, catalog, spec_of, at_port, end: int, seen: set[int]):
    """From cable end `end`, outwards through panel after panel: the cable rows met, the
    panels crossed (front connector, rear connector) and where the link ends."""
    rows: list[int] = []
    crossings: list[tuple[str, str]] = []
    position = 1  # the rear position the link travels in, set where it enters a front port
    while True:
        spec = spec_of(end)
        if spec.role == "interface":
            return rows, crossings, LinkEnd(_ref(compiled, end, spec), spec, True, end)
        device_row = int(compiled.end_device_row[end])
        device_type = catalog.devices[compiled.device_type[device_row]]
        if spec.role == "front":
            position = spec.rear_position
            out = device_type.port(spec.rear_port or "")
        else:
            fronts = [p for p in device_type.front_ports_of(spec.name) if p.rear_position == position]
            out = fronts[0] if fronts else None
        if out is None:
            return rows, crossings, LinkEnd(_ref(compiled, end, spec), spec, False)
        crossings.append((spec.connector, out.connector) if spec.role == "front" else (out.connector, spec.connector))
        beyond = at_port.get((device_row, out.name))
        if beyond is None or beyond // 2 in seen:
            # Nothing cabled beyond the panel: the link is open at `out`.
            return rows, crossings, LinkEnd(f"{compiled.device_ids[device_row]}:{out.name}", out, False)
        seen.add(beyond // 2)
        rows.append(beyond // 2)
        end = beyond ^ 1


def _walk(compiled, catalog, spec_of, at_port, row: int) -> Link:
    """The link through cable `row`, walked outwards both ways; a device end, if the cable has
    one, becomes end a."""
    first_a = 2 * row if spec_of(2 * row + 1).role != "interface" else 2 * row + 1
    seen = {row}
    rows_b, cross_b, end_b = _walk_out(compiled, catalog, spec_of, at_port, first_a ^ 1, seen)
    rows_a, cross_a, end_a = _walk_out(compiled, catalog, spec_of, at_port, first_a, seen)
    ordered = list(reversed(rows_a)) + [row] + rows_b
    kinds, connectors = [], []
    for member in ordered:
        specs = [spec_of(2 * member), spec_of(2 * member + 1)]
        panel = [s for s in specs if s.role != "interface"]
        kinds.append("trunk" if all(s.role == "rear" for s in specs) else "cord")
        connectors.append(panel[0].connector if panel else specs[0].connector)
    return Link(ordered, end_a, end_b, list(reversed(cross_a)) + cross_b, kinds, connectors)


# ---- choosing --------------------------------------------------------------------------
@dataclass
class _Option:
    """One way to build a link: a transceiver (None for a link with no device end) and fibre,
    with per cable (product row, length m, ordered m, cost USD), or why it cannot be built."""

    transceiver: Transceiver | None
    fiber: str
    picks: list[tuple[int, float, float, float]] = field(default_factory=list)
    why_not: str = ""
    fiber_m: float = 0.0
    loss: LinkLoss | None = None
    cost: float = 0.0
    power: float = 0.0

    @property
    def feasible(self) -> bool:
        """Built, within the optic's reach and within its loss budget."""
        if self.why_not:
            return False
        reach = self.transceiver is None or self.fiber_m <= self.transceiver.reach_m + 1e-9
        return reach and (self.loss is None or not self.loss.over)


def solve(
    links: Links, compiled: CompiledLayout, routes: RouteColumns, settings: SiteSettings, products: ProductTable
) -> None:
    """Chooses, per link, a transceiver kind and each cable's cord or trunk (cheapest on the
    site's objective among those within the optic's reach and loss budget; when none is, the
    one closest to its budget, and the link gets a problem). Fills each Link's transceiver,
    products, fiber_m (m), loss and problems in place. A trunk shared by several links (an
    MPO trunk behind LC cassettes) keeps the product the first link chose. A cable pinned to
    a cord or trunk gets it; a pin to copper, an AOC or a device-to-device product cannot be
    laid through a panel and is a 'pinned' problem (the link is still chosen in fibre)."""
    fixed: dict[int, int] = {}
    kinds = [_kinds(link) for link in links.links]
    evals = _evaluations(links, kinds, compiled, routes, settings, products)
    for link, ways in zip(links.links, kinds):
        pins = _pins(link, compiled, products)
        for row, product in pins.items():
            if product >= 0:
                fixed.setdefault(row, product)
        options = [_build(link, t, fiber, compiled, routes, evals, fixed) for t, fiber in ways]
        _pick(link, options, settings)
        for row, product in pins.items():
            if product < 0:
                pin = compiled.pinned_product[row] or compiled.pinned_medium[row]
                link.problems.append(
                    (
                        "pinned",
                        f"cable {compiled.cable_ids[row]}: pinned to {pin}, but a fibre panel passes only fibre "
                        "(a fibre cord or trunk is laid)",
                    )
                )
        for row, product in zip(link.rows, link.products):
            if product >= 0:
                fixed.setdefault(row, product)


def _evaluations(links: Links, kinds, compiled, routes, settings, products) -> dict:
    """Per (kind, connector, fibre) the cords or trunks that could serve, evaluated at once for
    every link cable that may need them (model.selection.evaluate): (group, row -> position,
    evaluation), or None when the catalog has none. One call per kind, not per cable."""
    needs: dict[tuple[str, str, str], set[int]] = {}
    for link, ways in zip(links.links, kinds):
        for fiber in {fiber for _, fiber in ways}:
            for i, row in enumerate(link.rows):
                needs.setdefault((link.kinds[i], link.connectors[i], fiber), set()).add(row)
    out: dict = {}
    for (kind, connector, fiber), rows in needs.items():
        candidates = [
            p for p in products.products if p.structured == kind and p.fiber == fiber and p.connector == connector
        ]
        if not candidates:
            out[(kind, connector, fiber)] = None
            continue
        group = Candidates(candidates, np.array([products.row[p.id] for p in candidates], dtype=np.int32))
        ordered = np.array(sorted(rows), dtype=np.int64)
        ev = evaluate(ordered, group, routes, compiled, settings)
        out[(kind, connector, fiber)] = (group, {row: k for k, row in enumerate(ordered.tolist())}, ev)
    return out


def _pins(link: Link, compiled: CompiledLayout, products: ProductTable) -> dict[int, int]:
    """Per pinned cable of the link: the product row its pin names when that is a cord or trunk
    for its place (kind and connector), else -1 (a pin that cannot go through a panel)."""
    pins: dict[int, int] = {}
    for i, row in enumerate(link.rows):
        product_id, medium = compiled.pinned_product[row], compiled.pinned_medium[row]
        if product_id is not None:
            at = products.row.get(product_id, -1)
            p = products.products[at] if at >= 0 else None
            fits = p is not None and p.structured == link.kinds[i] and p.connector == link.connectors[i]
            pins[row] = at if fits else -1
        elif medium is not None and medium != "OPTICS":
            pins[row] = -1
    return pins


def _kinds(link: Link) -> list[tuple[Transceiver | None, str]]:
    """The (transceiver, fibre) ways to light the link: the optics both device ports take."""
    devices = [end.spec for end in (link.a, link.b) if end.device]
    if not devices:
        return [(None, "OM4"), (None, "OS2")]
    table = optical_table()
    fits = [table.for_port(s.connector, s.rate_gbps, s.lanes) for s in devices]
    return [(t, t.fiber) for t in fits[0] if all(t in other for other in fits[1:])]


def _build(link, transceiver, fiber, compiled, routes, evals, fixed) -> _Option:
    option = _Option(transceiver, fiber)
    device_ends = sum(end.device for end in (link.a, link.b))
    for i, row in enumerate(link.rows):
        kind, connector = link.kinds[i], link.connectors[i]
        touches_device = _touches_device(link, i)
        if transceiver is not None and touches_device and transceiver.optical_connector != connector:
            option.why_not = f"takes {transceiver.optical_connector}, the panel port is {connector}"
            return option
        entry = evals.get((kind, connector, fiber))
        if entry is None:
            option.why_not = f"no {fiber} {connector} {kind} in the catalog"
            return option
        group, at, ev = entry
        k = at[row]
        ok = ev.reach_ok[k] & ev.bend_ok[k]
        if row in fixed:
            # Pinned, or a trunk another link already chose: only that product.
            ok = ok & (group.index == fixed[row])
            if not (group.index == fixed[row]).any():
                option.why_not = f"{compiled.cable_ids[row]} is not an {fiber} {kind} (pinned, or shared with a link)"
                return option
        if not ok.any():
            longest = max(p.reach_m for p in group.products)
            option.why_not = (
                f"no {fiber} {connector} {kind} fits {compiled.cable_ids[row]} "
                f"({ev.length_m[k].min():.2f} m; longest {longest:g} m)"
                if routes.routable[row]
                else f"no pathway joins the ends of {compiled.cable_ids[row]}"
            )
            return option
        j = int(np.argmin(np.where(ok, ev.score[k], np.inf)))
        option.picks.append(
            (int(group.index[j]), float(ev.length_m[k, j]), float(ev.ordered_m[k, j]), float(ev.cost[k, j]))
        )
    option.fiber_m = sum(length for _, length, _, _ in option.picks)
    option.cost = sum(cost for _, _, _, cost in option.picks)
    if transceiver is not None:
        option.cost += device_ends * transceiver.cost_usd
        option.power = device_ends * transceiver.power_w
        if device_ends == 2:
            option.loss = link_loss(_pairs(link), transceiver.fiber, option.fiber_m, transceiver)
    return option


def _touches_device(link: Link, i: int) -> bool:
    return (i == 0 and link.a.device) or (i == len(link.rows) - 1 and link.b.device)


def _pairs(link: Link) -> dict[str, int]:
    """Mated pairs per connector: one where a pass-through adapter joins front and rear, two
    where a cassette's front and rear connectors differ (e.g. LC front, MPO-12 rear)."""
    pairs: dict[str, int] = {}
    for front, rear in link.crossings:
        pairs[front] = pairs.get(front, 0) + 1
        if rear != front:
            pairs[rear] = pairs.get(rear, 0) + 1
    return pairs


def _score(option: _Option, settings: SiteSettings) -> float:
    if settings.objective == "power":
        return option.power + option.cost * 1e-6
    return option.cost + option.power * 1e-6


def _pick(link: Link, options: list[_Option], settings: SiteSettings) -> None:
    built = [o for o in options if not o.why_not]
    feasible = [o for o in built if o.feasible]
    if feasible:
        best = min(feasible, key=lambda o: _score(o, settings))
    elif built:
        # None fits its budget or reach: lay the one closest to fitting, and say so.
        best = min(built, key=lambda o: (_overshoot(o), _score(o, settings)))
    else:
        link.products = [-1] * len(link.rows)
        if not options:
            ports = {f"{e.spec.connector} {e.spec.rate_gbps:g}G x{e.spec.lanes}" for e in (link.a, link.b) if e.device}
            if len(ports) > 1:
                why = f"no transceiver kind fits both ends ({' and '.join(sorted(ports))}) through a fibre panel"
            else:
                why = f"no transceiver for a {ports.pop()} port into a fibre panel"
        else:
            why = "; ".join(f"{o.transceiver.name if o.transceiver else o.fiber}: {o.why_not}" for o in options)
        link.note = why
        link.problems = [("no_product", f"link {link.name()}: {why}")]
        return
    link.transceiver, link.fiber_m, link.loss = best.transceiver, best.fiber_m, best.loss
    link.products = [pick[0] for pick in best.picks]
    link.picks, link.options = best.picks, options
    t = best.transceiver
    if best.loss is not None and best.loss.over:
        link.problems.append(("optical_loss", f"link {link.name()}: {best.loss.text()} with {t.name if t else ''}"))
    if t is not None and best.fiber_m > t.reach_m + 1e-9:
        link.problems.append(
            ("reach", f"link {link.name()}: {best.fiber_m:.1f} m of fibre > {t.name}'s {t.reach_m:g} m reach")
        )


def _overshoot(option: _Option) -> float:
    over = 0.0
    if option.loss is not None:
        over += max(0.0, option.loss.total_db - option.loss.budget_db)
    if option.transceiver is not None:
        over += max(0.0, option.fiber_m - option.transceiver.reach_m) / 100  # 100 m over ~ 1 dB over
    return over


def write(links: Links, choice: Choice, cables: np.ndarray, routes: RouteColumns, settings: SiteSettings) -> None:
    """Writes the solved links' choices into `choice` for those of `cables` (cable rows) that
    belong to a link: the cord or trunk, its lengths (m), its cost plus the transceiver at a
    device end (USD) and that transceiver's power (W). Pins do not apply to links."""
    if not links.links or not len(cables):
        return
    rows = cables[links.of_row[cables] >= 0]
    for row in rows.tolist():
        link = links.links[int(links.of_row[row])]
        i = link.rows.index(row)
        picks = link.picks
        choice.pinned_violation[row] = False
        if picks is None:
            choice.product[row] = -1
            choice.cost[row] = choice.power[row] = 0.0
            choice.ordered_m[row] = np.nan
            choice.length_m[row] = routes.length_mm[row] / 1000 + routes.slack_ends[row] * settings.service_slack_m
            continue
        product, length, ordered, cost = picks[i]
        optics = 0
        if link.transceiver is not None:
            optics = (i == 0 and link.a.device) + (i == len(link.rows) - 1 and link.b.device)
        choice.product[row] = product
        choice.length_m[row] = length
        choice.ordered_m[row] = ordered
        choice.cost[row] = cost + optics * (link.transceiver.cost_usd if link.transceiver else 0.0)
        choice.power[row] = optics * (link.transceiver.power_w if link.transceiver else 0.0)


def apply(analysis, cables: np.ndarray) -> None:
    """After the selection of `cables` (cable rows) in a live model.analysis.Analysis: finds
    the layout's links through panels (analysis.links), solves them and overwrites the choice
    of those of `cables` that belong to one. Costs one vectorised check without panels."""
    compiled = analysis.compiled
    links = find_links(compiled, analysis.document.catalog)
    analysis.links = links
    if links.links:
        settings = analysis.document.site.settings
        solve(links, compiled, analysis.routes, settings, analysis.products)
        write(links, analysis.choice, np.asarray(cables), analysis.routes, settings)


def adds_panel_cable(document, change) -> bool:
    """Whether `change` (model.document.Change) brings in a cable with an end on a patch-panel
    port (a link may form): the analysis then re-analyses in full."""
    cables, devices, catalog = document.cables, document.devices, document.catalog
    for cable_id in change.cables:
        cable = cables.get(cable_id)
        if cable is None:
            continue
        a_refs, b_refs = cable_ends(cable)
        for ref in (*a_refs, *b_refs):
            device_id, _, port = ref.partition(":")
            device = devices.get(device_id)
            device_type = catalog.devices.get(device.type) if device is not None else None
            spec = device_type.port(port) if device_type is not None else None
            if spec is not None and spec.role != "interface":
                return True
    return False

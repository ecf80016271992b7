"""What links through patch panels say: each cable's reason, the link's problems, the
transceivers' BOM lines and the JSON report's links (model.structured chooses them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.results import BomLine
from model.structured import NO_LINKS, Link, Links

if TYPE_CHECKING:
    from model.analysis import AnalysisState
    from model.optical_loss import Transceiver

Problems = list[tuple[str, str]]


def links_of(state: AnalysisState) -> Links:
    """The links of an analysis snapshot (NO_LINKS for one made without them)."""
    return getattr(state, "links", NO_LINKS)


def link_rows(state: AnalysisState, rows: np.ndarray) -> np.ndarray | None:
    """(len(rows),) bool: which of cable `rows` belong to a link through panels; None when none do."""
    links = links_of(state)
    if not links.links or not len(rows):
        return None
    linked = links.of_row[rows] >= 0
    return linked if linked.any() else None


def with_link_reasons(state: AnalysisState, rows: np.ndarray, linked: np.ndarray, others: list[str]) -> list[str]:
    """The reasons of cable `rows`: the link's reason where `linked` (its transceiver, loss
    against budget, this cable's cord or trunk, why the other optics are out), `others` (the
    reasons of the rest, in order) elsewhere."""
    links = links_of(state)
    rest = iter(others)
    return [_reason(state, links.link_of(int(row)), int(row)) if hit else next(rest) for row, hit in zip(rows, linked)]  # type: ignore[arg-type]


def with_link_problems(
    state: AnalysisState, rows: np.ndarray, linked: np.ndarray, others: list[Problems]
) -> list[Problems]:
    """The problems of cable `rows`: a link's problems (kinds 'optical_loss', 'reach',
    'no_product'), said once on the link's first cable, where `linked`; `others` elsewhere."""
    links = links_of(state)
    rest = iter(others)
    out: list[Problems] = []
    for row, hit in zip(rows.tolist(), linked.tolist()):
        if not hit:
            out.append(next(rest))
            continue
        link = links.link_of(row)
        out.append(list(link.problems) if link is not None and link.rows[0] == row else [])
    return out


def link_problem_rows(state: AnalysisState) -> list[int]:
    """The cable rows that carry a link's problems (each link's first cable)."""
    return [link.rows[0] for link in links_of(state).links if link.problems]


def transceiver_lines(state: AnalysisState) -> list[BomLine]:
    """BOM lines for the transceivers the links take, one per device end (length 0: a module),
    priced from resources/catalog/optical.yaml, with their estimated figures named."""
    counts: dict[str, tuple[Transceiver, int]] = {}
    for link in links_of(state).links:
        t = link.transceiver
        if t is None or link.picks is None:
            continue
        ends = int(link.a.device) + int(link.b.device)
        counts[t.id] = (t, counts.get(t.id, (t, 0))[1] + ends)
    return [
        BomLine(t.id, t.name, "OPTICS", 0.0, n, t.cost_usd, tuple(t.estimated_figures))
        for t, n in (counts[k] for k in sorted(counts))
    ]


def rack_power_shift(state: AnalysisState, racks: int) -> np.ndarray:
    """(racks,) W to add to each rack's cable power: the metrics draw a cable's power half in
    each end's rack, but a link's transceiver draws all of it in its device's rack, not half in
    the panel's (a server's cord to a panel in a network rack)."""
    shift = np.zeros(racks)
    rack = state.compiled.ends.rack
    for link in links_of(state).links:
        t = link.transceiver
        if t is None or link.picks is None:
            continue
        for end in (link.a, link.b):
            if end.device and end.end >= 0:
                shift[rack[end.end]] += t.power_w / 2
                shift[rack[end.end ^ 1]] -= t.power_w / 2
    return shift


def link_dicts(state: AnalysisState) -> list[dict]:
    """The JSON report's links: cables, ends, transceiver, fibre (m), mated pairs, loss and
    budget (dB), whether over budget, and the link's problems."""
    ids = state.compiled.cable_ids
    out = []
    for link in links_of(state).links:
        loss = link.loss
        out.append(
            {
                "cables": [ids[row] for row in link.rows],
                "a": link.a.ref,
                "b": link.b.ref,
                "open": not (link.a.device and link.b.device),
                "transceiver": link.transceiver.id if link.transceiver else None,
                "fiber": link.transceiver.fiber if link.transceiver else None,
                "fiber_m": None if link.picks is None else round(link.fiber_m, 3),
                "mated_pairs": dict(loss.pairs) if loss else None,
                "loss_db": round(loss.total_db, 3) if loss else None,
                "budget_db": loss.budget_db if loss else None,
                "over_budget": bool(loss.over) if loss else False,
                "problems": [message for _, message in link.problems],
            }
        )
    return out


def _reason(state: AnalysisState, link: Link, row: int) -> str:
    i = link.rows.index(row)
    kind = link.kinds[i]
    head = f"link {link.name()} through {len(link.crossings)} panel{'s' if len(link.crossings) != 1 else ''}"
    if link.picks is None:
        return f"{head}: fibre only through a panel, none fits: {link.note}"
    t = link.transceiver
    fiber = t.fiber if t is not None else state.products.products[link.picks[0][0]].fiber
    parts = [f"{head}, {len(link.rows)} cables, {link.fiber_m:.1f} m of {fiber or 'fibre'}"]
    if t is not None:
        ends = "each end" if link.a.device and link.b.device else "its device end"
        parts.append(f"{t.name} at {ends}; no copper or AOC into a fibre panel")
    if link.loss is not None:
        parts.append(link.loss.text())
    elif t is not None:
        open_end = link.b if link.a.device else link.a
        parts.append(f"open at {open_end.ref}: loss not checked")
    product = state.products.products[link.picks[i][0]]
    parts.append(f"this {kind}: {product.name}, {link.picks[i][1]:.2f} m → {link.picks[i][2]:g} m")
    parts.extend(_others(link))
    return "; ".join(parts)


def _others(link: Link) -> list[str]:
    chosen = next((o for o in link.options if o.transceiver is link.transceiver and o.picks == link.picks), None)
    texts = []
    for option in link.options:
        if option is chosen or option.transceiver is None:
            continue
        name = option.transceiver.name
        if option.why_not:
            texts.append(f"{name} out: {option.why_not}")
        elif option.loss is not None and option.loss.over:
            texts.append(f"{name} out: {option.loss.text()}")
        elif option.fiber_m > option.transceiver.reach_m:
            texts.append(f"{name} out: {option.fiber_m:.1f} m > {option.transceiver.reach_m:g} m reach")
        elif chosen is not None:
            texts.append(f"{name}: ${option.cost - chosen.cost:,.0f} more")
    return texts

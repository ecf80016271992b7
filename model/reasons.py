"""One readable line per cable: why the chosen product, and why the cheaper ones are out.

Written from the same evaluation the selection ran, so the words and the choice cannot
disagree. Built in bulk: `reasons` and `problems` evaluate each group of cables (same
connector, rate and lanes) once as arrays and only the words are put together per
cable, so the 200,000 lines of a large report take about a second; `cable_reason` and
`cable_problems` are the same for one cable (a table row, the inspector).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.breakout import longest_rows
from model.geometry.pathways import CARTRIDGE
from model.selection import BEND_PLACES, Candidates, Evaluation, evaluate
from model.structured_text import link_rows, with_link_problems, with_link_reasons

# Where a bend can bind, by the index _places gives: the selection's places, then the cartridge.
PLACE_NAMES = (*BEND_PLACES, "rear cable cartridge")
REASON_BLOCK = 2_048  # distinct cables evaluated and worded at a time (see _ranked_reasons)

if TYPE_CHECKING:
    from model.analysis import AnalysisState as Analysis

Problems = list[tuple[str, str]]  # (kind, message) of one cable


def reasons(analysis: Analysis, rows) -> list[str]:
    """The reason line of each cable at `rows` (cable rows, any int sequence), in that order.

    E.g. 'DAC 30 AWG out: 6.40 m > 1.5 m reach at 800G; AEC 32 AWG: 6.43 m → 7 m ≤ 7 m,
    bend 32 mm fits 59 mm side manager'. Lengths in m, bends and spaces in mm, from the
    analysis' evaluation of every candidate product of the cable's group.
    """
    rows = _longest_legs(analysis, np.asarray(rows, dtype=np.int64).reshape(-1))
    linked = link_rows(analysis, rows)
    if linked is not None:  # links through patch panels say their own (model.structured_text)
        return with_link_reasons(analysis, rows, linked, reasons(analysis, rows[~linked]))
    out = np.empty(len(rows), dtype=object)
    for at, group in _groups(analysis, rows):
        out[at] = _group_reasons(analysis, rows[at], group)
    if analysis.compiled.has_breakouts:
        c = analysis.compiled
        for i in np.nonzero(c.leg_count[rows] > 1)[0].tolist():
            out[i] = f"by its longest leg, to {c.cable_b[rows[i]]}: {out[i]}"
    return out.tolist()


def _longest_legs(analysis: Analysis, rows: np.ndarray) -> np.ndarray:
    """`rows` with each breakout leg replaced by its cable's longest leg, whose run chose the
    product and is checked for reach (model.breakout)."""
    if not analysis.compiled.has_breakouts:
        return rows
    return longest_rows(analysis.compiled.leg, analysis.choice, rows)


def problems(analysis: Analysis, rows) -> list[Problems]:
    """Per cable at `rows` (cable rows): (kind, message) for every rule its chosen product
    breaks, or why no product was chosen; empty when it breaks none. Kinds: 'pathway' (no
    pathway joins the ends: the message says how to fix it, worded alike for every cable
    between the same two racks, so that model.problem_groups groups them), 'reach',
    'bend', 'no_product', 'pinned' (a pinned product that breaks reach or bend). A breakout's
    legs all read its longest leg's."""
    rows = _longest_legs(analysis, np.asarray(rows, dtype=np.int64).reshape(-1))
    linked = link_rows(analysis, rows)
    if linked is not None:  # a link through panels: its loss, reach or optics (model.structured_text)
        return with_link_problems(analysis, rows, linked, problems(analysis, rows[~linked]))
    out: list[Problems] = [[] for _ in range(len(rows))]
    c, routes = analysis.compiled, analysis.routes
    ids = c.cable_ids
    routable = routes.routable[rows]
    for i, text in zip(np.nonzero(~routable)[0].tolist(), _unroutable_texts(analysis, rows[~routable])):
        out[i] = [("pathway", f"cable {ids[rows[i]]}: {text}")]
    for at, group in _groups(analysis, rows):
        at = at[routable[at]]
        if len(at) == 0:
            continue
        members = rows[at]
        if group is None or not group.products:
            texts = _no_group_texts(analysis, members)
            for i, row, text in zip(at.tolist(), members.tolist(), texts):
                out[i] = [("no_product", f"cable {ids[row]}: {text}")]
            continue
        chosen = analysis.choice.product[members]
        unchosen = chosen < 0
        if unchosen.any():
            why = _group_reasons(analysis, members[unchosen], group)
            for i, row, text in zip(at[unchosen].tolist(), members[unchosen].tolist(), why):
                out[i] = [("no_product", f"cable {ids[row]}: no product fits: {text}")]
        at, members, chosen = at[~unchosen], members[~unchosen], chosen[~unchosen]
        if len(at) == 0:
            continue
        ev = evaluate(members, group, routes, c, analysis.settings)
        choice = analysis.choice
        n = np.arange(len(members))
        j = _column_of(group, chosen)
        reach_ok, bend_ok = ev.reach_ok[n, j], ev.bend_ok[n, j]
        for k in np.nonzero(~reach_ok | ~bend_ok)[0].tolist():
            row, product = int(members[k]), group.products[j[k]]
            found = []
            if not reach_ok[k]:
                # Pinned to a medium, every product of it was too short: this is the one that
                # reaches furthest (model.selection picks the least broken), and says so.
                medium = c.pinned_medium[row] if c.pinned_product[row] is None else None
                furthest = f", the furthest of any {medium}" if medium and choice.pinned_violation[row] else ""
                found.append(
                    (
                        "reach",
                        f"cable {ids[row]}: {ev.length_m[k, j[k]]:.2f} m exceeds "
                        f"{product.id}'s {product.reach_m:g} m reach{furthest}",
                    )
                )
            if not bend_ok[k]:
                found.append(("bend", f"cable {ids[row]}: {product.id} {_bend_text(analysis, ev, members, k, j[k])}"))
            if choice.pinned_violation[row]:
                found = [("pinned", f"{message} (pinned)") for _, message in found]
            out[int(at[k])] = found
    return out


def cable_reason(analysis: Analysis, row: int) -> str:
    """`reasons` of the one cable at `row`."""
    return reasons(analysis, [row])[0]


def cable_problems(analysis: Analysis, row: int) -> Problems:
    """`problems` of the one cable at `row`: (kind, message) pairs, empty when none."""
    return problems(analysis, [row])[0]


# ---- groups ------------------------------------------------------------------------------
def _groups(analysis: Analysis, rows: np.ndarray):
    """(positions in `rows`, the group's candidates or None) per (connector, rate, lanes) among `rows`."""
    c = analysis.compiled
    # Each column numbered by its distinct values and the numbers combined into one int per
    # cable, in (connector, rate, lanes) order: a sort of 200,000 records took ten times as long.
    distinct, code = [], np.zeros(len(rows), dtype=np.int64)
    for column in (c.connector[rows], c.rate[rows], c.lanes[rows]):
        values, number = np.unique(column, return_inverse=True)
        distinct.append(values.tolist())
        code = code * len(values) + number.reshape(-1)
    codes, inverse = np.unique(code, return_inverse=True)
    inverse = inverse.reshape(-1)
    connectors, rates, lanes = distinct
    for k, group in enumerate(codes.tolist()):
        rest, lane = divmod(group, len(lanes))
        connector, rate = divmod(rest, len(rates))
        key = (int(connectors[connector]), float(rates[rate]), int(lanes[lane]))
        yield np.nonzero(inverse == k)[0], analysis.groups.get(key)


def _column_of(group: Candidates, products: np.ndarray) -> np.ndarray:
    """The candidate column of each catalog product row (which must be one of the group's)."""
    order = np.argsort(group.index)
    return order[np.searchsorted(group.index, products, sorter=order)]


def _short(product) -> str:
    gauge = f" {product.gauge_awg} AWG" if product.gauge_awg else ""
    return f"{product.medium.value}{gauge}"


def _rate_texts(analysis: Analysis, rows: np.ndarray) -> list[str]:
    rates = analysis.compiled.rate[rows].tolist()
    text = {rate: f"{rate:g}G" for rate in set(rates)}  # a few rates: each worded once
    return [text[rate] for rate in rates]


def _no_group_texts(analysis: Analysis, rows: np.ndarray) -> list[str]:
    c = analysis.compiled
    return [
        f"no {c.connector_names[conn]} product at {rate} x{lanes} lanes in the catalog"
        for conn, rate, lanes in zip(c.connector[rows].tolist(), _rate_texts(analysis, rows), c.lanes[rows].tolist())
    ]


# ---- words -------------------------------------------------------------------------------
def _spaces(analysis: Analysis, rows: np.ndarray) -> np.ndarray:
    """(rows, places): the pathway's space at each kind of turn, in PLACE_NAMES order (mm);
    the last column is the rear cable cartridge's room (a cartridge run turns only there)."""
    r = analysis.routes
    return np.column_stack(
        [
            r.exit_space[rows, 0],
            r.exit_space[rows, 1],
            r.manager_space[rows],
            r.top_space[rows],
            r.tray_space[rows],
            r.exit_space[rows, 0],
        ]
    )


def _places(analysis: Analysis, rows: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Per cable (and candidate), the PLACE_NAMES index of the tightest turn in `room`
    (rows, ..., places): the cartridge for a cartridge run."""
    tightest = np.argmin(room, axis=-1)
    cartridge = (analysis.routes.pathway[rows] == CARTRIDGE).reshape((-1,) + (1,) * (tightest.ndim - 1))
    return np.where(cartridge, len(BEND_PLACES), tightest)


def _bend_text(analysis: Analysis, ev: Evaluation, rows: np.ndarray, k: int, j: int) -> str:
    """Whether candidate `j`'s bend fits cable `k` of `ev`, and the binding place, in words."""
    radius, room = ev.bend_radius[k, j], ev.bend_room[k, j]
    place = int(_places(analysis, rows[k : k + 1], room[None, :])[0])
    space = float(_spaces(analysis, rows[k : k + 1])[0, place])
    verb = "fits" if ev.bend_ok[k, j] else "does not fit"
    return f"bend {radius:.0f} mm {verb} {space:.0f} mm {PLACE_NAMES[place]}"


def _bend_texts(radius: np.ndarray, fits: np.ndarray, space: np.ndarray, place: np.ndarray) -> list[str]:
    return [
        f"bend {r:.0f} mm {'fits' if ok else 'does not fit'} {s:.0f} mm {PLACE_NAMES[p]}"
        for r, ok, s, p in zip(radius.tolist(), fits.tolist(), space.tolist(), place.tolist())
    ]


def _group_reasons(analysis: Analysis, rows: np.ndarray, group: Candidates | None) -> np.ndarray:
    """Reasons (object array) of `rows`, all of one group."""
    out = np.empty(len(rows), dtype=object)
    if group is None or not group.products:
        out[:] = _no_group_texts(analysis, rows)
        return out
    routable = analysis.routes.routable[rows]
    out[~routable] = _unroutable_texts(analysis, rows[~routable])
    at = np.nonzero(routable)[0]
    if len(at):
        out[at] = _ranked_reasons(analysis, rows[at], group)
    return out


def _ranked_reasons(analysis: Analysis, rows: np.ndarray, group: Candidates) -> np.ndarray:
    """Candidates from the best score down to the chosen one (or all, and 'no product fits').

    Cables with the same figures read the same (the 300,000 cables of a 100,000-accelerator
    pod have about 19,000 distinct reasons): the candidates are evaluated and the words put
    together once per distinct set of the figures they come from."""
    c = analysis.compiled
    pinned = np.zeros(len(rows), dtype=bool)
    # Most layouts pin nothing: a bulk report skips the loop over its cables. A few rows (a
    # table's visible cables) are looked at themselves: scanning 300,000 pins took ~5 ms a row.
    if len(rows) * 16 < len(c.pinned_product) or any(c.pinned_product) or any(c.pinned_medium):
        pinned[:] = [bool(c.pinned_product[r] or c.pinned_medium[r]) for r in rows.tolist()]
    first, inverse = _alike(analysis, rows, pinned)
    few, few_pinned = rows[first], pinned[first]
    texts = np.empty(len(few), dtype=object)
    # A block at a time: the evaluation and the words' columns of all ~45,000 distinct cables
    # of a 100,000-accelerator pod at once were ~14 MB of the JSON report's peak (bench/memory.py).
    for start in range(0, len(few), REASON_BLOCK):
        block = slice(start, start + REASON_BLOCK)
        ev = evaluate(few[block], group, analysis.routes, c, analysis.settings)
        texts[block] = _ranked_texts(analysis, few[block], group, ev, few_pinned[block])
    return texts[inverse]


def _alike(analysis: Analysis, rows: np.ndarray, pinned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first, inverse): the position in `rows` of one cable per distinct set of the figures
    its reason is worded from (bit for bit), and each cable's set. Those are what the
    selection's evaluation reads (model.selection.evaluate: the route's length, corners,
    service loops, the space at each kind of turn, flexed, routable, the pathway) and the
    choice (product, pinned, moved off a full tray, rate); equal figures, equal words."""
    r, c = analysis.routes, analysis.compiled
    # Each column taken from its array only when it is numbered: all 15 columns of 300,000
    # cables at once were 36 MB (bench/memory.py).
    columns = (
        lambda: r.length_mm[rows],
        lambda: r.bends[rows],
        lambda: r.slack_ends[rows],
        lambda: r.exit_space[rows, 0],
        lambda: r.exit_space[rows, 1],
        lambda: r.manager_space[rows],
        lambda: r.top_space[rows],
        lambda: r.tray_space[rows],
        lambda: r.routable[rows],
        lambda: r.pathway[rows],
        lambda: c.flexed[rows],
        lambda: c.rate[rows],
        lambda: analysis.choice.product[rows],
        lambda: analysis.fill_moved[rows],
        lambda: pinned,
    )
    # Each column numbered (an integer column by its value less its least, a float column
    # by its distinct values, compared by their bits: -0.0 is not 0.0), the numbers combined
    # into one code per cable: a few sorts of 8-byte keys, where one sort of 120-byte records,
    # or a dict of them, takes several times as long.
    code, size = np.zeros(len(rows), dtype=np.int64), 1
    for taken in columns:
        if len(rows) == 0:
            break
        column = taken()
        if column.dtype.kind == "f":
            distinct, number = np.unique(column.astype(np.float64).view(np.int64), return_inverse=True)
            number, count = number.reshape(-1), len(distinct)
        else:
            least = int(column.min())
            number, count = column.astype(np.int64) - least, int(column.max()) - least + 1
        if size * count >= 2**62:  # keep the code in range: number the codes so far
            distinct_codes, code = np.unique(code, return_inverse=True)
            code, size = code.reshape(-1).astype(np.int64), len(distinct_codes)
        code, size = code * count + number, size * count
    _, inverse = np.unique(code, return_inverse=True)
    inverse = inverse.reshape(-1)
    first = np.empty(int(inverse.max()) + 1 if len(inverse) else 0, dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse) - 1, -1, -1)  # each set's first cable: later writes win
    return first, inverse


def _ranked_texts(
    analysis: Analysis, rows: np.ndarray, group: Candidates, ev: Evaluation, pinned: np.ndarray
) -> np.ndarray:
    """The reasons of `_ranked_reasons` worded cable by cable from their evaluation `ev`."""
    n, m = len(rows), len(group.products)
    order = np.argsort(ev.score, axis=1)
    chosen = analysis.choice.product[rows]
    hit = group.index[order] == chosen[:, None]
    found = hit.any(axis=1)
    stop = np.where(found, hit.argmax(axis=1), m)  # the chosen candidate's rank
    moved = analysis.fill_moved[rows]
    rates = np.array(_rate_texts(analysis, rows), dtype=object)
    spaces = _spaces(analysis, rows)
    place = _places(analysis, rows, ev.bend_room)  # (n, m): the tightest turn of each candidate
    shorts = [_short(p) for p in group.products]
    reach = [f"{p.reach_m:g}" for p in group.products]
    out = np.full(n, "", dtype=object)
    for k in range(m):
        rejected = np.nonzero(k < stop)[0]
        taken = np.nonzero((k == stop) & found)[0]
        part = np.empty(n, dtype=object)
        if len(rejected):
            part[rejected] = _rejected(ev, order, rejected, k, spaces, place, pinned, rates, shorts, reach)
        if len(taken):
            part[taken] = _taken(ev, order, taken, k, spaces, place, pinned, moved, shorts, reach)
        written = np.concatenate([rejected, taken])
        if k:
            part[written] = "; " + part[written]
        out[written] = out[written] + part[written]
    unchosen = np.nonzero(chosen < 0)[0]
    if len(unchosen):
        out[unchosen] = out[unchosen] + ("; no product fits" if m else "no product fits")
    return out


def _rejected(ev, order, cables, k, spaces, place, pinned, rates, shorts, reach) -> np.ndarray:
    """Why candidate of rank `k` is out for each of `cables` (positions in the group's rows)."""
    j = order[cables, k]
    out = np.empty(len(cables), dtype=object)
    too_long = ~ev.reach_ok[cables, j]
    bent = ~too_long & ~ev.bend_ok[cables, j]
    rest = ~too_long & ~bent
    if too_long.any():
        at = np.nonzero(too_long)[0]
        out[at] = [
            f"{shorts[jj]} out: {length:.2f} m > {reach[jj]} m reach at {rate}"
            for jj, length, rate in zip(
                j[at].tolist(), ev.length_m[cables[at], j[at]].tolist(), rates[cables[at]].tolist()
            )
        ]
    if bent.any():
        at = np.nonzero(bent)[0]
        cb, jb = cables[at], j[at]
        where = place[cb, jb]
        texts = _bend_texts(ev.bend_radius[cb, jb], ev.bend_ok[cb, jb], spaces[cb, where], where)
        out[at] = [f"{shorts[jj]} out: {text}" for jj, text in zip(jb.tolist(), texts)]
    if rest.any():
        at = np.nonzero(rest)[0]
        out[at] = [
            f"{shorts[jj]} fits, not pinned" if pin else f"{shorts[jj]} out: its tray is over fill"
            for jj, pin in zip(j[at].tolist(), pinned[cables[at]].tolist())
        ]
    return out


def _taken(ev, order, cables, k, spaces, place, pinned, moved, shorts, reach) -> list[str]:
    """The chosen candidate's part: its length, ordered length, reach and binding bend."""
    j = order[cables, k]
    where = place[cables, j]
    bends = _bend_texts(ev.bend_radius[cables, j], ev.bend_ok[cables, j], spaces[cables, where], where)
    out = []
    for jj, length, ordered, pin, move, bend in zip(
        j.tolist(),
        ev.length_m[cables, j].tolist(),
        ev.ordered_m[cables, j].tolist(),
        pinned[cables].tolist(),
        moved[cables].tolist(),
        bends,
    ):
        size = (
            f"{length:.2f} m → {ordered:g} m ≤ {reach[jj]} m"
            if ordered == ordered  # not NaN
            else f"{length:.2f} m > {reach[jj]} m reach"
        )
        out.append(
            f"{shorts[jj]}{' (pinned)' if pin else ''}: {size}, {bend}{', moved off a full tray' if move else ''}"
        )
    return out


ADD_TRAY_FIX = "select both racks, then Insert → Add Tray over the Selected Racks"


def _unroutable_texts(analysis: Analysis, rows: np.ndarray) -> list[str]:
    """Why no route joins the ends of each cable at `rows` (all unroutable), and the fix:
    'no pathway between racks A and B: <why> — fix: <what to do>', the racks in id order and
    each by its name with its id ('SU 18 leaves' (R09-25); the id alone when it has no name),
    so that every cable between the same two racks for the same cause reads the same."""
    routes, c = analysis.routes, analysis.compiled
    limit = analysis.settings.max_drop_offset_mm / 1000
    rack_ids = c.racks.ids
    if len(rows) == 0:
        return []
    # Worded once per (rack, rack, which has no tray, cartridge): thousands of cables share a few causes.
    ends = np.stack([c.ends.rack[2 * rows], c.ends.rack[2 * rows + 1]], axis=1)
    off = np.stack([routes.joins.edge[ends[:, k], routes.side[rows, k]] < 0 for k in (0, 1)], axis=1)
    cartridge = routes.pathway[rows] == CARTRIDGE
    keys = np.column_stack([ends, off, cartridge]).astype(np.int64)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    labels = c.racks.names

    def named(row: int) -> str:
        # A rack by the name people read, as typed (not repr's escapes and switched quotes:
        # names are clean text, and a terminal gets them escaped anyway), with its id.
        return rack_ids[row] if labels[row] == rack_ids[row] else f"'{labels[row]}' ({rack_ids[row]})"

    texts = []
    for a, b, off_a, off_b, in_cartridge in unique.tolist():
        names = [named(r) for r in sorted({a, b}, key=rack_ids.__getitem__)]
        between = f"racks {names[0]} and {names[1]}" if len(names) == 2 else f"ports of rack {names[0]}"
        if in_cartridge:
            why = "a rear cable cartridge joins ports of one rack only, and these blind-mate ports are in two racks"
            fix = "put both devices in one rack, or cable plug ports instead"
        else:
            trayless = [
                named(r) for r in sorted({r for r, flag in ((a, off_a), (b, off_b)) if flag}, key=rack_ids.__getitem__)
            ]
            if trayless:
                what = f"rack {trayless[0]} has" if len(trayless) == 1 else f"racks {' and '.join(trayless)} have"
                why = f"{what} no tray within {limit:g} m to drop cables into"
            else:
                why = "no tray path joins their trays"
            fix = f"add a tray over racks {', '.join(names)} ({ADD_TRAY_FIX})"
        texts.append(f"no pathway between {between}: {why} — fix: {fix}")
    return [texts[i] for i in inverse.reshape(-1).tolist()]

"""One readable line per cable: why the chosen product, and why the cheaper ones are out.

Built on demand for one cable (a table row, a report line) from the same evaluation
the selection ran, so the words and the choice cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.selection import BEND_PLACES, Evaluation, evaluate

if TYPE_CHECKING:
    from model.analysis import AnalysisState as Analysis


def _evaluation(analysis: Analysis, row: int):
    c = analysis.compiled
    key = (int(c.connector[row]), float(c.rate[row]), int(c.lanes[row]))
    group = analysis.groups.get(key)
    if group is None or not group.products:
        return None, None
    return group, evaluate(np.array([row]), group, analysis.routes, c, analysis.settings)


def _short(product) -> str:
    gauge = f" {product.gauge_awg} AWG" if product.gauge_awg else ""
    return f"{product.medium.value}{gauge}"


def _bend_text(ev: Evaluation, j: int, analysis: Analysis, row: int) -> tuple[bool, str]:
    """Whether the bend fits and the binding place in words."""
    radius = ev.bend_radius[0, j]
    room = ev.bend_room[0, j]
    place = int(np.argmin(room))
    space = _space(analysis, row, place)
    fits = bool((radius <= room + 1e-9).all())
    verb = "fits" if fits else "does not fit"
    return fits, f"bend {radius:.0f} mm {verb} {space:.0f} mm {BEND_PLACES[place]}"


def _space(analysis: Analysis, row: int, place: int) -> float:
    r = analysis.routes
    return float(
        [r.exit_space[row, 0], r.exit_space[row, 1], r.manager_space[row], r.top_space[row], r.tray_space[row]][place]
    )


def cable_reason(analysis: Analysis, row: int) -> str:
    group, ev = _evaluation(analysis, row)
    c = analysis.compiled
    rate = f"{c.rate[row]:g}G"
    if group is None:
        return (
            f"no {c.connector_names[int(c.connector[row])]} product at {rate} x{int(c.lanes[row])} lanes in the catalog"
        )
    if not analysis.routes.routable[row]:
        return _unroutable_text(analysis, row)
    chosen = int(analysis.choice.product[row])
    order = np.argsort(ev.score[0])
    parts = []
    for j in order:
        product = group.products[j]
        length, reach = ev.length_m[0, j], product.reach_m
        fits, bend = _bend_text(ev, j, analysis, row)
        if group.index[j] == chosen:
            pin = " (pinned)" if c.pinned_product[row] or c.pinned_medium[row] else ""
            fill = ", moved off a full tray" if analysis.fill_moved[row] else ""
            ordered = ev.ordered_m[0, j]
            size = (
                f"{length:.2f} m → {ordered:g} m ≤ {reach:g} m"
                if not np.isnan(ordered)
                else f"{length:.2f} m > {reach:g} m reach"
            )
            parts.append(f"{_short(product)}{pin}: {size}, {bend}{fill}")
            break
        if not ev.reach_ok[0, j]:
            parts.append(f"{_short(product)} out: {length:.2f} m > {reach:g} m reach at {rate}")
        elif not fits:
            parts.append(f"{_short(product)} out: {bend}")
        elif c.pinned_product[row] or c.pinned_medium[row]:
            parts.append(f"{_short(product)} not pinned")
        else:
            parts.append(f"{_short(product)} out: its tray is over fill")
    if chosen < 0:
        parts.append("no product fits")
    return "; ".join(parts)


def _unroutable_text(analysis: Analysis, row: int) -> str:
    routes, c = analysis.routes, analysis.compiled
    for which in (0, 1):
        rack = int(c.ends.rack[2 * row + which])
        side = int(routes.side[row, which])
        if routes.joins.edge[rack, side] < 0:
            limit = analysis.settings.max_drop_offset_mm / 1000
            return f"rack {c.racks.ids[rack]} has no tray within {limit:g} m to drop its cables into"
    return "no tray path joins the two racks"


def cable_problems(analysis: Analysis, row: int) -> list[tuple[str, str]]:
    """(kind, message) for every rule the cable's chosen product breaks, or why none was chosen."""
    c = analysis.compiled
    cable_id = c.cable_ids[row]
    if not analysis.routes.routable[row]:
        return [("reach", f"cable {cable_id}: {_unroutable_text(analysis, row)}")]
    group, ev = _evaluation(analysis, row)
    if group is None:
        return [("no_product", f"cable {cable_id}: {cable_reason(analysis, row)}")]
    chosen = int(analysis.choice.product[row])
    if chosen < 0:
        return [("no_product", f"cable {cable_id}: no product fits: {cable_reason(analysis, row)}")]
    j = int(np.nonzero(group.index == chosen)[0][0])
    found = []
    if not ev.reach_ok[0, j]:
        product = group.products[j]
        found.append(
            ("reach", f"cable {cable_id}: {ev.length_m[0, j]:.2f} m exceeds {product.id}'s {product.reach_m:g} m reach")
        )
    fits, bend = _bend_text(ev, j, analysis, row)
    if not fits:
        found.append(("bend", f"cable {cable_id}: {group.products[j].id} {bend}"))
    if analysis.choice.pinned_violation[row] and found:
        found = [("pinned", f"{message} (pinned)") for _, message in found]
    return found

"""The row's overhead tray a placed rack gets: racks standing in a row share one straight
tray along the row, laid when the second rack joins and extended as more do.

A row here is what a designer sees on the floor: racks facing the same way, their centres
on one line across the row, each within `row_join_gap_mm` (SiteSettings; default in
resources/defaults.yaml) of the next. The plan is a pure function of the document; the
command that places the rack applies it in the same edit (model.commands.place_rack).
"""

from __future__ import annotations

from dataclasses import dataclass

from model.defaults import default
from model.document import Document
from model.layout import Rack, Tray
from model.rules import rack_footprint

ALIGN_MM = 1.0  # centres this close across the row stand on one line (snapped racks share it exactly)


@dataclass(frozen=True)
class RowTrayPlan:
    """What placing a rack does to its row's tray: `tray` is the new tray (when `extends`
    is None) or the tray `extends` names with its new points and elevation (mm)."""

    tray: Tray
    extends: str | None
    racks: tuple[str, ...]  # the row's racks the tray runs over, the placed one among them


def _axis(rack: Rack) -> int:
    """0 when the row runs along x (racks facing north or south), 1 along y."""
    return 0 if rack.facing in ("north", "south") else 1


def row_of(document: Document, rack: Rack) -> list[Rack]:
    """The racks of `rack`'s row with `rack` among them (it need not be in the document yet),
    in order along the row: same facing, centres within ALIGN_MM across the row, each gap
    between neighbours at most the site's row_join_gap_mm. Raises nothing."""
    along = _axis(rack)
    across = (rack.y_mm, rack.x_mm)[along]
    line = [
        r
        for r in document.site.racks
        if r.id != rack.id and r.facing == rack.facing and abs((r.y_mm, r.x_mm)[along] - across) <= ALIGN_MM
    ]
    line.append(rack)
    line.sort(key=lambda r: rack_footprint(r)[along])
    gap = document.site.settings.row_join_gap_mm
    at = next(i for i, r in enumerate(line) if r is rack)
    low = high = at
    while low > 0 and rack_footprint(line[low])[along] - rack_footprint(line[low - 1])[along + 2] <= gap:
        low -= 1
    while high < len(line) - 1 and rack_footprint(line[high + 1])[along] - rack_footprint(line[high])[along + 2] <= gap:
        high += 1
    return line[low : high + 1]


def _row_tray(document: Document, row: list[Rack], along: int) -> Tray | None:
    """An existing straight overhead tray along the row, over its centre line (within half a
    rack depth), that already runs over some rack of the row; None when there is none."""
    across = (row[0].y_mm, row[0].x_mm)[along]
    reach = max(r.depth_mm for r in row) / 2
    low = min(rack_footprint(r)[along] for r in row)
    high = max(rack_footprint(r)[along + 2] for r in row)
    for tray in document.site.trays:
        if tray.kind != "overhead" or len(tray.points) != 2:
            continue
        (x0, y0), (x1, y1) = tray.points
        first, second = ((x0, y0), (x1, y1)) if along == 0 else ((y0, x0), (y1, x1))
        if abs(first[1] - second[1]) > ALIGN_MM or abs(first[1] - across) > reach:
            continue  # not along the row, or beside it
        if min(first[0], second[0]) < high and max(first[0], second[0]) > low:
            return tray
    return None


def plan_row_tray(document: Document, rack: Rack) -> RowTrayPlan | None:
    """The row tray placing `rack` (not yet in the document) lays or extends, or None: the
    site's auto_row_tray is off, the rack stands alone, or the row's tray already runs over
    it. A new tray runs along the row's centre line from end to end of its racks and a tray
    width past each end (resources/defaults.yaml tray.row_overhang_mm), at the
    site's tray clearance above the tallest (tray section from resources/defaults.yaml); an
    extended one keeps its line and section, runs to the new end and rises, if it hangs below
    the placed rack's top, to the clearance above it. Raises nothing."""
    settings = document.site.settings
    if not settings.auto_row_tray:
        return None
    row = row_of(document, rack)
    if len(row) < 2:
        return None
    along = _axis(rack)
    # Past each end of the row by the overhang (defaults.yaml tray.row_overhang_mm), as hall rows are
    # drawn: a cross tray can meet it clear of the end racks, and it shows beyond them on the plan.
    overhang = default("tray", "row_overhang_mm")
    low = min(rack_footprint(r)[along] for r in row) - overhang
    high = max(rack_footprint(r)[along + 2] for r in row) + overhang
    elevation = max(r.frame_top_mm(settings.rack_unit_mm) for r in row) + settings.tray_clearance_above_rack_mm
    ids = tuple(r.id for r in row)
    existing = _row_tray(document, [r for r in row if r is not rack], along)
    if existing is None:
        across = (rack.y_mm, rack.x_mm)[along]
        ends = [(low, across), (high, across)]
        points = ends if along == 0 else [(y, x) for x, y in ends]
        return RowTrayPlan(
            Tray(id=document.unique_id("T", document.trays), points=points, elevation_mm=elevation), None, ids
        )
    (x0, y0), (x1, y1) = existing.points
    if along == 0:
        start, end, across = x0, x1, y0
    else:
        start, end, across = y0, y1, x0
    forward = end >= start
    tray_low, tray_high = min(start, end), max(start, end)
    new_low, new_high = min(low, tray_low), max(high, tray_high)
    top = rack.frame_top_mm(settings.rack_unit_mm)
    # A tray the designer hung lower than the default clearance stays; one below the placed
    # rack's top would take no cable from it (a 'pathway' problem), so it rises.
    new_elevation = (
        existing.elevation_mm if existing.elevation_mm >= top else top + settings.tray_clearance_above_rack_mm
    )
    if (new_low, new_high) == (tray_low, tray_high) and new_elevation == existing.elevation_mm:
        return None
    ends = [(new_low, across), (new_high, across)] if forward else [(new_high, across), (new_low, across)]
    points = ends if along == 0 else [(y, x) for x, y in ends]
    extended = existing.model_copy(update={"points": points, "elevation_mm": new_elevation})
    return RowTrayPlan(extended, existing.id, ids)

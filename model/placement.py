"""Where things may go: racks on the floor (snapping into rows, free spots), devices in
free slots, and the plans for paste, duplicate and the Insert menu.

Pure functions of a document, shared by the GUI's drags and menus and by scripts; each
returns new models to apply as commands and changes nothing itself.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from model.document import Document
from model.errors import LayoutError
from model.layout import Cable, Device, Rack, Tray
from model.naming import named_paste, named_rack
from model.rules import RackFloor, check_device_fits, find_overlap, rack_footprint

GRID_MM = 100  # free placement snaps to a 10 cm grid: a drawing choice, not a physical figure
SLOT_TOLERANCE_MM = 0.5  # a slot butting a neighbour fits though its edges were worked out in floats


def snap_rack(document: Document, rack: Rack, x: float, y: float, ignore: set[str]) -> Rack:
    """`rack` moved to (x, y) mm and snapped; the racks `ignore` (ids: those dragged) stay out
    of it. Dropped on a row (across it within half a rack's depth and 10 cm of its line; along
    it within two of `rack`'s widths of its ends): onto the row's line, facing and named as its
    first rack, in the slot nearest (x, y) that butts against the nearest rack on either side
    or lies a whole number of `rack`'s widths on from it, or where `rack` stands if that is on
    the row, so that a row of mixed widths (an 800 mm network rack among 600 mm ones) keeps
    every rack where it stands. Elsewhere: the 10 cm grid (GRID_MM), and out of its row: its
    row name cleared while racks not dragged stand in that row (a rack pulled out on its own
    kept 'R03', so row R03 reached across the hall to it, for the next rack snapped into that
    row, the row's tray and the report's rows); a whole row dragged keeps its name. Returns a
    new Rack; raises nothing (floor_clash says whether it fits)."""
    width = rack.width_mm
    spans = _row_spans(document, ignore)
    for row in spans:
        first = row.first
        along = 0 if first.facing in ("north", "south") else 1
        x0, y0, x1, y1 = rack_footprint(first)
        across_centre = (first.y_mm, first.x_mm)[along]
        point_along, point_across = ((x, y), (y, x))[along]
        depth = (y1 - y0, x1 - x0)[along]
        near_row = abs(point_across - across_centre) < depth / 2 + GRID_MM
        if near_row and row.low - 2 * width <= point_along <= row.high + 2 * width:
            # A rack dragged along its own row may always go back to where it stood.
            own_along, own_across = ((rack.x_mm, rack.y_mm), (rack.y_mm, rack.x_mm))[along]
            on_line = (
                rack.id in document.racks  # a rack of the layout, not a new one's template at its origin
                and rack.facing == first.facing
                and abs(own_across - across_centre) < SLOT_TOLERANCE_MM
            )
            slot = _slot(row, width, point_along, own_along if on_line else None)
            sx, sy = (slot, across_centre) if along == 0 else (across_centre, slot)
            return rack.model_copy(update={"x_mm": sx, "y_mm": sy, "facing": first.facing, "row": first.row})
    left_behind = row_left_behind(document, rack.row, ignore)
    update = {"x_mm": round(x / GRID_MM) * GRID_MM, "y_mm": round(y / GRID_MM) * GRID_MM}
    return rack.model_copy(update={**update, "row": ""} if left_behind else update)


def row_left_behind(document: Document, row: str, ignore: set[str]) -> bool:
    """Whether racks other than `ignore` (ids: those dragged) stand in the row named `row`
    (False for no row): a dragged rack that leaves them leaves the row. Raises nothing."""
    return bool(row) and any(span.first.row == row for span in _row_spans(document, ignore))


@dataclass(frozen=True)
class _RowSpan:
    """A row of racks along its line: its first rack (in the layout's order), the racks'
    centres along the line ascending and half of each one's extent along it (mm), and the
    row's lowest and highest edge along it."""

    first: Rack
    centres: list[float]
    halves: list[float]
    low: float
    high: float


def _slot(row: _RowSpan, width: float, point: float, own: float | None) -> float:
    """The centre along `row` (mm) nearest `point` for a rack `width` mm wide: butting against
    the nearest rack below or above `point`, or whole widths on from it, or `own` (where the
    rack stood, when on this row), preferring a slot that fits between the two; over a rack
    with none of those within half a width, that rack's centre (an overlap, refused)."""
    k = bisect.bisect_right(row.centres, point)
    below = row.centres[k - 1] + row.halves[k - 1] if k > 0 else None  # the upper edge of the rack below
    above = row.centres[k] - row.halves[k] if k < len(row.centres) else None
    slots = []
    if below is not None:
        start = below + width / 2
        slots.append(start + max(0, round((point - start) / width)) * width)
    if above is not None:
        start = above - width / 2
        slots.append(start - max(0, round((start - point) / width)) * width)
    if own is not None:
        slots.append(own)
    fitting = [
        s
        for s in slots
        if (below is None or s - width / 2 >= below - SLOT_TOLERANCE_MM)
        and (above is None or s + width / 2 <= above + SLOT_TOLERANCE_MM)
    ]
    nearest = min(fitting or slots, key=lambda s: abs(s - point))
    if abs(nearest - point) > width / 2:
        # Over a rack of the row, with no free slot within half a width: its own place, which
        # the drag refuses (a red ghost) rather than making the rack jump aside.
        if below is not None and point < below:
            return row.centres[k - 1]
        if above is not None and point > above:
            return row.centres[k]
    return nearest


def _row_spans(document: Document, ignore: set[str]) -> list[_RowSpan]:
    """Each row of racks (not `ignore`), in the layout's order (its first rack's). Kept in
    the document's RackFloor while only `ignore` racks move: a dragged rack snaps at every
    mouse step, and grouping the 3,571 racks of a 100,000-accelerator hall was ~1.5 ms a step."""
    floor = document.rack_floor()
    key = frozenset(ignore)
    spans = floor.derived.get(key)
    if spans is None:
        spans = floor.derived[key] = []
        for others in _rows(document, ignore).values():
            along = 0 if others[0].facing in ("north", "south") else 1
            placed = []
            for r in others:
                x0, y0, x1, y1 = rack_footprint(r)
                low, high = ((x0, x1), (y0, y1))[along]
                placed.append(((low + high) / 2, (high - low) / 2))
            placed.sort()
            spans.append(
                _RowSpan(
                    others[0],
                    [c for c, _ in placed],
                    [h for _, h in placed],
                    min(c - h for c, h in placed),
                    max(c + h for c, h in placed),
                )
            )
    return spans


def _rows(document: Document, ignore: set[str]) -> dict[str, list[Rack]]:
    rows: dict[str, list[Rack]] = {}
    for rack in document.site.racks:
        if rack.id not in ignore:
            rows.setdefault(rack.row or f"{rack.facing}@{rack.y_mm:g}/{rack.x_mm:g}", []).append(rack)
    return rows


def floor_clash(document: Document, racks: list[Rack], ignore: set[str]) -> str:
    """Why `racks` (moved copies; the document's racks `ignore`, ids, left out) cannot stand
    there: an overlap with a rack of the layout or among themselves, as Document.move_racks
    refuses it. "" when they can. Raises nothing."""
    # Among themselves too (RackFloor.first_clash): a drag showed a green ghost for racks that
    # overlapped each other, and the release was refused (a fresh user's find).
    clash = document.rack_floor().first_clash(racks, ignore)
    return f"rack {clash[0].label!r} would overlap rack {clash[1].label!r}" if clash else ""


def free_floor_spot(document: Document, rack: Rack, planned: list[Rack]) -> Rack:
    """`rack` moved along its row, a footprint at a time, to the first spot clear of every rack
    of the layout and of `planned` (racks this function placed, clear of those already).
    Raises LayoutError when none is within 10,000 footprints."""
    along = 0 if rack.facing in ("north", "south") else 1
    x0, y0, x1, y1 = rack_footprint(rack)
    step = (x1 - x0, y1 - y0)[along]
    # Each spot against the layout's and the planned racks' columns: `planned` checked among
    # themselves again at every spot made pasting all 349 racks of a 10,000-accelerator pod
    # take ~110 s.
    floors = [document.rack_floor(), RackFloor(planned)]
    for k in range(1, 10_000):
        shift = {"x_mm": rack.x_mm + k * step} if along == 0 else {"y_mm": rack.y_mm + k * step}
        moved = rack.model_copy(update=shift)
        if not any(floor.clashes([moved], set()) for floor in floors):
            return moved
    raise LayoutError(f"no free floor space next to rack {rack.label!r}")


def copy_payload(document: Document, rack_ids: list[str], device_ids: list[str]) -> dict[str, Any]:
    """What Copy puts on the clipboard: racks whole, loose devices, and the cables among them."""
    devices = [d for d in device_ids if document.device_rack[d].id not in rack_ids]
    inside = set(devices) | {d.id for r in rack_ids for d in document.rack(r).devices}
    cables = [c for c in document.site.cables if all(ref.partition(":")[0] in inside for ref in c.refs)]
    return {
        "racks": [document.rack(r).model_dump() for r in rack_ids],
        "devices": [{"rack": document.device_rack[d].id, "device": document.device(d).model_dump()} for d in devices],
        "cables": [c.model_dump() for c in cables],
    }


def plan_paste(
    document: Document, payload: dict[str, Any], target_rack: str | None
) -> tuple[list[Rack], list[tuple[str, Device]], list[Cable]]:
    """Fresh ids, free places and names by the layout's naming scheme (model.naming) for a
    copied payload: (racks, placements, cables); LayoutError if no room."""
    taken_racks, taken_devices = set(document.racks), set(document.devices)
    renamed: dict[str, str] = {}

    def fresh(old: str, taken: set[str]) -> str:
        new = document.unique_id(re.sub(r"-copy\d+$", "", old) + "-copy", taken)  # R2-copy1 -> R2-copy2
        taken.add(new)
        return new

    racks: list[Rack] = []
    for data in payload.get("racks", []):
        rack = Rack.model_validate(data)
        devices = []
        for device in rack.devices:
            renamed[device.id] = fresh(device.id, taken_devices)
            devices.append(device.model_copy(update={"id": renamed[device.id]}))
        rack = rack.model_copy(update={"id": fresh(rack.id, taken_racks), "devices": devices})
        racks.append(free_floor_spot(document, rack, racks))
    placements: list[tuple[str, Device]] = []
    for entry in payload.get("devices", []):
        device = Device.model_validate(entry["device"])
        rack_id = target_rack or entry["rack"]
        if rack_id not in document.racks:
            raise LayoutError(f"rack {rack_id!r} is gone: select a rack to paste {device.label} into")
        renamed[device.id] = fresh(device.id, taken_devices)
        device = device.model_copy(update={"id": renamed[device.id]})
        planned = [d for r, d in placements if r == rack_id]
        placements.append((rack_id, _free_slot(document, document.rack(rack_id), device, planned)))
    cables = []
    taken_cables = set(document.cables)
    for data in payload.get("cables", []):
        cable = Cable.model_validate(data)
        a, _, pa = cable.a.partition(":")
        legs = [f"{renamed[d]}:{p}" for d, _, p in (ref.partition(":") for ref in cable.legs)]
        update = {
            "id": fresh(cable.id, taken_cables),
            "a": f"{renamed[a]}:{pa}",
            "b": legs if cable.is_breakout else legs[0],
        }
        cables.append(cable.model_copy(update=update))
    return named_paste(document, racks, placements, cables)  # names by the layout's scheme, not the copies'


def _free_slot(document: Document, rack: Rack, device: Device, planned: list[Device]) -> Device:
    scratch = rack.model_copy(update={"devices": [*rack.devices, *planned]})
    order = [device.u_position, *range(1, rack.height_u + 1)]
    for u in order:
        candidate = device.model_copy(update={"u_position": u})
        try:
            check_device_fits(scratch, candidate, document.catalog, "device")
        except LayoutError:
            continue
        if find_overlap(scratch, candidate, document.catalog) is None:
            return candidate
    raise LayoutError(f"no free slot for {device.label} in rack {rack.label!r}")


def next_rack(document: Document) -> Rack:
    """A rack of the catalog's first type, in the last rack's row at the first free spot (or at
    0, 0), named by the layout's rack pattern."""
    rack_type = next(iter(document.catalog.racks.values()))
    size = {"height_u": rack_type.height_u, "width_mm": rack_type.width_mm, "depth_mm": rack_type.depth_mm}
    if not document.site.racks:
        first = Rack.model_validate({"id": document.unique_id("R", document.racks), "x_mm": 0, "y_mm": 0, **size})
        return named_rack(document, first)
    last = document.site.racks[-1]
    base = last.model_copy(update={"name": "", "devices": [], **size})
    stem = f"{last.row}-" if last.row else "R"
    placed = free_floor_spot(document, base.model_copy(update={"id": document.unique_id(stem, document.racks)}), [])
    return named_rack(document, placed)


def tray_over(document: Document, racks: list[Rack]) -> Tray | None:
    """A straight tray along the racks' longer extent, at the default clearance above the tallest."""
    if not racks:
        return None
    boxes = [rack_footprint(r) for r in racks]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    settings = document.site.settings
    top = max(r.frame_top_mm(settings.rack_unit_mm) for r in racks) + settings.tray_clearance_above_rack_mm
    if x1 - x0 >= y1 - y0:
        points = [(x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2)]
    else:
        points = [((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1)]
    return Tray(id=document.unique_id("T", document.trays), points=points, elevation_mm=top)

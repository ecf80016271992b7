"""Devices and cables added or removed, re-analysed without a full run.

Placing a device, removing one with its cables, connecting and disconnecting cables
(and undoing any of these) add or drop rows of the analysis' columns without changing
what the other rows mean: racks, trays and settings stay as they were. `apply` edits
the columns into what a fresh analysis of the new layout holds: the removed rows taken
out (their cross-sections out of the trays first), the new cables compiled, routed and
given products on their own and put in at their places in the layout's order, then
tray fill relieved only in the pieces the edit changed. It builds new column holders
and never changes the ones a published result reads, so no copy of the old columns
is needed either. At 200,000 cables a device removed or put back costs tens of ms
where a full run costs seconds.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from model.geometry.columns import copy_pairs
from model.layout import Site
from model.metrics import racks_of_rows
from model.rows import Pieces, edited_list
from model.selection import Choice
from model.structured import adds_panel_cable

if TYPE_CHECKING:
    from model.analysis import Analysis
    from model.document import Change
    from model.geometry.compiled import CompiledLayout

# CompiledLayout's columns by what a row is. A column missing here makes `apply` decline
# (a full run follows), and tests/model/test_structure_edits.py names it.
CABLE_COLUMNS = (
    "cable_ids",
    "rate",
    "lanes",
    "connector",
    "flexed",
    "pinned_medium",
    "pinned_product",
    "cable_a",
    "cable_b",
    "cable_label",
    "leg",
    "leg_count",
)
END_COLUMNS = ("end_device_row", "end_port", "end_type")
DEVICE_COLUMNS = (
    "device_ids",
    "device_names",
    "device_rack",
    "device_base_z",
    "device_face",
    "device_type",
    "device_type_code",
)
# Rebuilt here from the columns above, or the same for every row.
OTHER_ATTRIBUTES = (
    "site",
    "catalog",
    "racks",
    "tables",
    "_type_codes",
    "_type_names",
    "connector_keys",
    "connector_names",
    "cable_index",
    "device_row",
    "ends",
    "has_breakouts",
    "_device_names_unique",
    "device_name_hash",  # carried with device_names by _without and _with_devices
)


def in_pieces(compiled: CompiledLayout) -> None:
    """Puts `compiled`'s list columns (ids, ends, labels, pins, device names) in model.rows.Pieces
    now, as the first incremental edit would, for an app that will edit it."""
    for name in (*CABLE_COLUMNS, *DEVICE_COLUMNS):
        value = getattr(compiled, name)
        if isinstance(value, list):
            setattr(compiled, name, Pieces(value))


def unknown_columns(compiled: CompiledLayout) -> set[str]:
    """Attributes of `compiled` that this module does not know how to carry over (should be none)."""
    return set(vars(compiled)) - {*CABLE_COLUMNS, *END_COLUMNS, *DEVICE_COLUMNS, *OTHER_ATTRIBUTES}


def apply(analysis: Analysis, change: Change) -> bool:
    """Brings `analysis` up to date after `change` when it only added or removed devices and
    cables (rack, tray and settings untouched), and publishes the result. Returns False,
    changing nothing, for any other change, or when a tray piece it frees holds cables the
    fill relief moved (a full run then follows: relief is not undone piecewise)."""
    doc, c = analysis.document, analysis.compiled
    if change.settings or change.everything or change.trays or not change.structure:
        return False
    if len(doc.site.racks) != len(c.racks.ids) or unknown_columns(c):
        return False
    if not all(r in c.racks.index and r in doc.racks for r in change.racks) or analysis._racks_changed(change.racks):
        return False
    added_devices = [d for d in change.devices if d in doc.devices and d not in c.device_row]
    removed_devices = [d for d in change.devices if d not in doc.devices and d in c.device_row]
    added = [x for x in change.cables if x in doc.cables and x not in c.cable_index]
    removed = [x for x in change.cables if x not in doc.cables and x in c.cable_index]
    if len(added_devices) + len(removed_devices) != len(change.devices):
        return False
    if len(added) + len(removed) != len(change.cables) or not (added_devices or removed_devices or added or removed):
        return False
    if _touches_twin_cages(doc, c, added, removed):
        return False  # a twin-port pair gains or loses a link: its sibling's product may change
    drop = analysis._rows(removed)  # a breakout's every leg
    if _touches_links(analysis, drop, change):
        return False  # a link through patch panels gains or loses a cable: it is chosen whole
    if len(drop) and analysis.fill_moved.any() and np.delete(analysis.fill_moved, drop).any():
        return False
    gone = sorted(c.device_row[d] for d in removed_devices)
    dropped_ends = c.end_device_row[np.concatenate([2 * drop, 2 * drop + 1]).astype(np.int64)]
    if gone and _ends_on(c.end_device_row, gone) > _ends_on(dropped_ends, gone):
        return False  # a removed device still has a cable: not a removal this module knows
    _apply(analysis, drop, gone, added_devices, added)
    return True


def _ends_on(end_device_row: np.ndarray, devices: list[int]) -> int:
    """How many of these cable ends are on the device rows `devices` (one compare per device
    for a few: np.isin sorts 600,000 ends)."""
    if len(devices) > 8:
        return int(np.count_nonzero(np.isin(end_device_row, devices)))
    return sum(int(np.count_nonzero(end_device_row == row)) for row in devices)


def _touches_links(analysis: Analysis, drop: np.ndarray, change: Change) -> bool:
    """Whether a removed cable (rows `drop`) belongs to a link through patch panels, or an
    added one has an end on a panel port (model.structured: a link is chosen whole, so its
    other cables may change product)."""
    links = analysis.links
    if links.links and len(drop) and (links.of_row[drop] >= 0).any():
        return True
    return adds_panel_cable(analysis.document, change)


def _touches_twin_cages(doc: Any, c: CompiledLayout, added: list[str], removed: list[str]) -> bool:
    """Whether an added or removed cable is one of two links between the same two twin-port
    cages (model.geometry.compiled pairs them into one twin-port cable, so the other link of
    the pair changes its product too)."""
    for cable_id in removed:
        if c.connector_names[c.connector[c.cable_index[cable_id]]].endswith("twin-port"):
            return True
    return any(_pairs_twin_cages(doc, doc.cables[cable_id]) for cable_id in added)


def _pairs_twin_cages(doc: Any, cable: Any) -> bool:
    """Whether another cable joins the same two twin-port cages as `cable` (a straight one)."""
    if cable.is_breakout:
        return False  # a layout with a breakout re-analyses in full anyway
    cages = []
    for ref in (cable.a, cable.b):
        device_id, _, port = ref.partition(":")
        device_type = doc.catalog.device(doc.devices[device_id].type)
        cage = device_type.cage_of(port) if device_type is not None else None
        if cage is None or not cage.twin:
            return False
        cages.append({f"{device_id}:{name}" for name in cage.ports})
    for other in doc.cables_of_device(cable.a.partition(":")[0]):
        if other.id != cable.id and not other.is_breakout:
            ends = (other.a, other.b)
            if any(e in cages[0] for e in ends) and any(e in cages[1] for e in ends):
                return True
    return False


def _apply(analysis: Analysis, drop: np.ndarray, gone: list[int], new_devices: list[str], new: list[str]) -> None:
    before = analysis.fill.used_mm2()
    routes = copy.copy(analysis.routes)
    fill = analysis.fill.clone(routes)
    if len(drop):
        analysis._lay(fill, drop, -1)  # still on the old rows
    old_ids = analysis.compiled.cable_ids
    compiled = _without(analysis.compiled, drop, gone)
    compiled = _with_devices(compiled, analysis.document, new_devices)
    if not len(drop) and not new:
        # Devices only (placed, or removed without cables): the cable columns stay as they are.
        routes.compiled = compiled
        analysis.compiled, analysis.routes, analysis.fill = compiled, routes, fill
        if analysis.links.links:
            analysis._select(np.zeros(0, dtype=np.int64))  # the links found again: their ends' device rows moved
        analysis.incremental_runs += 1
        analysis._publish(np.zeros(0, dtype=np.intp))  # no cable's figures changed: no rack's cable figures
        return
    rows, ids, first = _positions(analysis, compiled, new)
    at = rows - np.arange(len(rows))  # insertion points among the kept rows
    if new:
        compiled = _with_cables(compiled, _compiled_part(compiled, [analysis.document.cables[x] for x in ids]), at)
    compiled.has_breakouts = bool(len(compiled.leg_count) and compiled.leg_count.max() > 1)
    runs = _runs(drop)
    old = analysis.compiled
    removed_ids = [old.cable_ids[r] for r in drop.tolist() if old.leg[r] == 0]
    compiled.cable_index = old.cable_index.edited(
        compiled.cable_ids,
        removed_ids,
        runs,
        at,
        dict(zip(ids, first.tolist())),
        np.nonzero(compiled.leg == 0)[0] if compiled.has_breakouts else None,
    )
    splices = _Splices()  # the routes' and choices' columns (~40 MB at 300,000 cables) copied together
    for name, value in vars(analysis.routes).items():
        if isinstance(value, np.ndarray):
            setattr(routes, name, splices.rows(value, runs, at))
    routes.compiled = compiled
    choice = analysis.choice = Choice(
        **{name: splices.rows(value, runs, at) for name, value in vars(analysis.choice).items()}
    )
    analysis.fill_moved = splices.rows(analysis.fill_moved, runs, at)
    splices.run()
    choice.product[rows] = -1
    choice.ordered_m[rows] = np.nan
    if len(drop):
        # Where each removed cable stood in the layout's list (undo puts it back there).
        layout_index = np.cumsum(old.leg == 0) - 1 if old.has_breakouts else np.arange(len(old_ids))
        analysis._removed_rows = {old_ids[r]: int(layout_index[r]) for r in drop.tolist() if old.leg[r] == 0}
    analysis.compiled, analysis.routes, analysis.fill = compiled, routes, fill
    analysis._groups = dict(analysis._groups)
    analysis._published = False  # these holders are new: nobody else reads them
    if len(rows):
        routes.update(rows)
        analysis._select(rows)
        analysis._lay(fill, rows)
    elif analysis.links.links:
        analysis._select(rows)  # no cable to choose, but the links found again on the rows left
    only = np.abs(fill.used_mm2() - before) > 1e-9
    chosen = (choice.product.copy(), choice.power.copy()) if only.any() else None
    analysis._relieve_fill(only=only)
    if chosen is not None:  # relief may re-choose cables the edit did not add
        now = analysis.choice
        rows = np.union1d(rows, np.flatnonzero((now.product != chosen[0]) | (now.power != chosen[1])))
    analysis.incremental_runs += 1
    analysis._publish(racks_of_rows(old, drop, compiled, rows))


# ---- rows ----------------------------------------------------------------------------------
# An edit drops or puts in a few rows of columns 300,000 long: each new column is made empty and
# filled by copying the stretches between them (memcpy), not by a boolean mask or np.insert
# (~0.5 ms a column at 300,000 rows against ~0.06 ms; the analysis has ~60 such columns).
MANY_PLACES = 64  # more insertion places than this: np.insert, one vectorised call


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Ascending `rows` as (start, stop) stretches of consecutive rows."""
    if not len(rows):
        return []
    rows = np.asarray(rows, dtype=np.int64)
    breaks = np.nonzero(np.diff(rows) != 1)[0] + 1
    starts = rows[np.concatenate([[0], breaks])]
    stops = rows[np.concatenate([breaks - 1, [len(rows) - 1]])] + 1
    return list(zip(starts.tolist(), stops.tolist()))


def _end_runs(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cable row stretches as stretches of their end rows (2 per cable)."""
    return [(2 * a, 2 * b) for a, b in runs]


class _Splices:
    """The columns one edit splices, copied together: `rows` makes each new column at once (the
    rows put in written) and notes the stretches of kept rows it still needs; `run` copies
    them all (model.geometry.columns.copy_pairs: on two threads for a big batch). A column
    from `rows` must not be read before `run`."""

    def __init__(self) -> None:
        self.pairs: list[tuple[np.ndarray, np.ndarray]] = []

    def rows(
        self, column: np.ndarray, runs: list[tuple[int, int]], at: np.ndarray, new: np.ndarray | None = None
    ) -> np.ndarray:
        """A new `column` (first axis: rows) without the rows of `runs` (ascending stretches),
        with new[k] (zeros when `new` is None) put before kept row at[k] (`at` ascending, places
        may repeat, as np.insert takes them)."""
        if len(at) > MANY_PLACES:  # many places: np.insert, one vectorised call, now
            kept = _cut(column, runs) if runs else column
            return np.insert(kept, at, 0 if new is None else new, axis=0)
        stretches, places = _stretches(len(column), runs, np.asarray(at).tolist())
        out = np.empty((len(column) - sum(b - a for a, b in runs) + len(places), *column.shape[1:]), column.dtype)
        self.pairs.extend((out[to : to + b - a], column[a:b]) for a, b, to in stretches if b > a)
        if places:
            out[places] = 0 if new is None else new
        return out

    def run(self) -> None:
        """Copies every stretch noted so far."""
        pairs, self.pairs = self.pairs, []
        copy_pairs(pairs)


def _stretches(count: int, runs: list[tuple[int, int]], at: list[int]) -> tuple[list[tuple[int, int, int]], list[int]]:
    """How `count` rows splice: (start, stop, new start) of each stretch of kept rows that moves
    as one, and the new row of each row put in. Kept row i (counted without the rows of `runs`)
    goes to i plus the places of `at` at or before it; the k-th row put in, to at[k] + k."""
    kept: list[tuple[int, int, int]] = []  # (start, stop, index of its first row among the kept)
    start = index = 0
    for a, b in runs:
        if a > start:
            kept.append((start, a, index))
            index += a - start
        start = b
    if count > start:
        kept.append((start, count, index))
    out = []
    for a, b, first in kept:
        last = first + (b - a)
        bounds = [first, *sorted({p for p in at if first < p < last}), last]
        for lo, hi in zip(bounds, bounds[1:]):
            out.append((a + lo - first, a + hi - first, lo + bisect.bisect_right(at, lo)))
    return out, [place + k for k, place in enumerate(at)]


def _cut(column: np.ndarray, runs: list[tuple[int, int]]) -> np.ndarray:
    """A new copy of `column` (first axis: rows) without the rows of `runs` (ascending stretches)."""
    return _rows(column, runs, np.zeros(0, dtype=np.int64))


def _put(column: np.ndarray, at: np.ndarray, new: np.ndarray | None = None) -> np.ndarray:
    """A new copy of `column` with new[k] (zeros when `new` is None) put before column[at[k]]
    (`at` ascending, places may repeat)."""
    return _rows(column, [], at, new)


def _rows(column: np.ndarray, runs: list[tuple[int, int]], at: np.ndarray, new: np.ndarray | None = None) -> np.ndarray:
    """One column spliced alone, as `_Splices.rows` splices it (each stretch of kept rows
    copied once), and copied now."""
    splices = _Splices()
    out = splices.rows(column, runs, at, new)
    splices.run()
    return out


def _without(compiled: CompiledLayout, drop: np.ndarray, gone: list[int]) -> CompiledLayout:
    """A copy of `compiled` without the cable rows `drop` and the device rows `gone` (both ascending)."""
    out = copy.copy(compiled)
    if len(drop):
        runs = _runs(drop)
        end_runs = _end_runs(runs)
        splices, none = _Splices(), np.zeros(0, dtype=np.int64)
        for name in CABLE_COLUMNS:
            value = getattr(compiled, name)
            kept = (
                splices.rows(value, runs, none) if isinstance(value, np.ndarray) else edited_list(value, runs, [], [])
            )
            setattr(out, name, kept)
        for name in END_COLUMNS:
            setattr(out, name, splices.rows(getattr(compiled, name), end_runs, none))
        ends = compiled.ends
        # ends.device_row is end_device_row (the same rows): cut once, not twice.
        out.ends = dataclasses.replace(
            ends,
            device_row=out.end_device_row,
            **{
                f.name: splices.rows(getattr(ends, f.name), end_runs, none)
                for f in dataclasses.fields(ends)
                if f.name != "device_row"
            },
        )
        splices.run()
    if gone:
        device_runs = _runs(np.array(gone, dtype=np.int64))
        for name in DEVICE_COLUMNS:
            value = getattr(compiled, name)
            kept = (
                _cut(value, device_runs) if isinstance(value, np.ndarray) else edited_list(value, device_runs, [], [])
            )
            setattr(out, name, kept)
        rows = out.end_device_row
        if len(gone) <= 8:  # a compare per gone device (~0.3 ms): gathering 600,000 ends through a table ~1 ms
            out.end_device_row = _shifted(rows, gone, -1)
        else:
            renumber = np.arange(len(compiled.device_ids)) - np.searchsorted(gone, np.arange(len(compiled.device_ids)))
            out.end_device_row = renumber.astype(rows.dtype)[rows]
        out.ends = dataclasses.replace(out.ends, device_row=out.end_device_row)
        if out._device_names_unique is False:
            out._device_names_unique = None  # the removed device may have been one of two of a name
        if compiled.device_name_hash is not None:
            out.device_name_hash = _cut(compiled.device_name_hash, device_runs)
        removed_devices = [compiled.device_ids[g] for g in gone]
        no_places = np.zeros(0, dtype=np.int64)
        out.device_row = compiled.device_row.edited(out.device_ids, removed_devices, device_runs, no_places, {})
    return out


def _with_devices(compiled: CompiledLayout, document: Any, new_devices: list[str]) -> CompiledLayout:
    """`compiled` with rows for devices placed since, at their places in the layout's order."""
    if not new_devices:
        return compiled
    unit = document.site.settings.rack_unit_mm
    racks_of_new = [compiled.racks.index[document.device_rack[d].id] for d in new_devices]
    placed = []
    for device_id, ri in zip(new_devices, racks_of_new):
        rack = document.device_rack[device_id]
        # Devices of the racks before this one: the kept rows' (one compare over 23,000 device
        # rows, where summing the layout's 3,571 racks was ~1.2 ms) and the other new ones'.
        before = int(np.count_nonzero(compiled.device_rack < ri)) + sum(1 for r in racks_of_new if r < ri)
        placed.append((before + rack.devices.index(document.devices[device_id]), ri, device_id))
    placed.sort()
    from model.rack_face import FACE_CODE

    at = np.array([p for p, _, _ in placed]) - np.arange(len(placed))
    devices = [document.devices[d] for _, _, d in placed]
    old_index = compiled.device_row
    names = [d.label for d in devices]
    if compiled._device_names_unique:  # still so if no name put in is taken (CompiledLayout.name_taken)
        taken = len(set(names)) < len(names) or any(compiled.name_taken(name) for name in names)
        compiled._device_names_unique = not taken
    if compiled.device_name_hash is not None:
        hashes = np.array([hash(name) for name in names], dtype=np.int64)
        compiled.device_name_hash = _put(compiled.device_name_hash, at, hashes)
    compiled.device_ids = edited_list(compiled.device_ids, [], at, [d.id for d in devices])
    compiled.device_names = edited_list(compiled.device_names, [], at, names)
    compiled.device_type = edited_list(compiled.device_type, [], at, [d.type for d in devices])
    compiled.device_rack = _put(compiled.device_rack, at, np.array([ri for _, ri, _ in placed]))
    compiled.device_base_z = _put(compiled.device_base_z, at, np.array([(d.u_position - 1) * unit for d in devices]))
    compiled.device_face = _put(compiled.device_face, at, np.array([FACE_CODE[d.face] for d in devices]))
    new_rows = (at + np.arange(len(at))).tolist()
    compiled.device_row = old_index.edited(
        compiled.device_ids, [], [], at, dict(zip((d.id for d in devices), new_rows))
    )
    # Existing ends follow their devices to their new rows.
    rows = compiled.end_device_row
    if len(at) <= 8:  # a compare per new device: searchsorted over 600,000 ends took ~4 ms
        compiled.end_device_row = _shifted(rows, [place - 1 for place in at.tolist()], 1)
    else:
        compiled.end_device_row = (rows + np.searchsorted(at, rows, side="right")).astype(rows.dtype)
    compiled.ends = dataclasses.replace(compiled.ends, device_row=compiled.end_device_row)
    compiled._type_codes, compiled._type_names = dict(compiled._type_codes), list(compiled._type_names)
    codes = np.array([compiled._type_code(device.type) for device in devices], dtype=np.int32)
    compiled.device_type_code = _put(compiled.device_type_code, at, codes)
    return compiled


def _shifted(rows: np.ndarray, places: list[int], step: int) -> np.ndarray:
    """A new copy of `rows` (device rows, an int array) with `step` (+1 or -1) added once for
    each of `places` it is greater than: rows renumbered around devices put in or taken out.
    Two passes over the rows a place (a compare, an add in place), where a sum of converted
    compares made five (~1.3 ms of an undo at 600,000 ends)."""
    out = rows.copy()
    shift = np.add if step > 0 else np.subtract
    for place in places:
        shift(out, rows > place, out=out, casting="unsafe")
    return out


def _positions(analysis: Analysis, kept: CompiledLayout, new: list[str]) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Where the cables `new` go among the rows of `kept` (the columns without the removed
    rows): their rows in the new columns, ascending (a breakout's every leg), their ids in
    the layout's order, and each one's first row."""
    if not new:
        return np.zeros(0, dtype=np.int64), [], np.zeros(0, dtype=np.int64)
    document = analysis.document
    cables = document.site.cables
    k = len(new)
    # Usually they were appended (connect) or put back where they were removed from (undo);
    # else the list is scanned.
    removed = analysis._removed_rows
    guess = sorted(removed.get(x, -1) for x in new)
    wanted = {id(document.cables[x]) for x in new}
    if all(0 <= r < len(cables) and id(cables[r]) in wanted for r in guess) and len(set(guess)) == k:
        places = guess
    elif all(id(cable) in wanted for cable in cables[len(cables) - k :]):
        places = list(range(len(cables) - k, len(cables)))
    else:
        places = [i for i, cable in enumerate(cables) if id(cable) in wanted]
    ids = [cables[i].id for i in places]
    legs = [len(cables[i].legs) for i in places]
    at = np.array(places, dtype=np.int64)
    if not kept.has_breakouts and max(legs) == 1:
        return at, ids, at  # a row per cable: rows are places in the layout's list
    # A row per leg: a new cable's first row is the first row of the kept cable it goes
    # before, plus the rows of the new cables put in before it.
    firsts = np.append(np.nonzero(kept.leg == 0)[0], len(kept.leg))
    before = np.concatenate([[0], np.cumsum(legs)[:-1]]).astype(np.int64)
    first = firsts[at - np.arange(k)] + before
    rows = np.concatenate([f + np.arange(n) for f, n in zip(first.tolist(), legs)]).astype(np.int64)
    return rows, ids, first


def _compiled_part(compiled: CompiledLayout, cables: list) -> CompiledLayout:
    """`compiled`'s per-cable and per-end columns for `cables` alone (the device rows are `compiled`'s)."""
    part = copy.copy(compiled)
    part.site = Site.model_construct(cables=cables, settings=compiled.site.settings, racks=compiled.site.racks)
    part._type_codes, part._type_names = dict(compiled._type_codes), list(compiled._type_names)
    part._compile_cables()
    return part


def _with_cables(compiled: CompiledLayout, part: CompiledLayout, at: np.ndarray) -> CompiledLayout:
    """`compiled` with `part`'s cables put in before kept rows `at`."""
    keys = list(compiled.connector_keys)
    codes = {key: i for i, key in enumerate(keys)}
    for key in part.connector_keys:
        if key not in codes:
            codes[key] = len(keys)
            keys.append(key)
    compiled.connector_keys = keys
    compiled.connector_names = [c if way == "plug" else f"{c} {way}" for c, way in keys]
    remap = np.array([codes[key] for key in part.connector_keys], dtype=compiled.connector.dtype)
    part_connector = remap[part.connector] if len(part.connector) else part.connector
    compiled._type_codes, compiled._type_names = part._type_codes, part._type_names
    splices = _Splices()
    for name in CABLE_COLUMNS:
        value, new = getattr(compiled, name), part_connector if name == "connector" else getattr(part, name)
        if isinstance(value, np.ndarray):
            setattr(compiled, name, splices.rows(value, [], at, new))
        else:
            setattr(compiled, name, edited_list(value, [], at, list(new)))
    end_at = np.repeat(2 * at, 2)
    for name in END_COLUMNS:
        setattr(compiled, name, splices.rows(getattr(compiled, name), [], end_at, getattr(part, name)))
    ends, part_ends = compiled.ends, part.ends
    puts = {f.name: getattr(ends, f.name) for f in dataclasses.fields(ends) if f.name != "device_row"}
    compiled.ends = dataclasses.replace(
        ends,
        device_row=compiled.end_device_row,  # end_device_row's rows, put in above: not twice
        **{name: splices.rows(value, [], end_at, getattr(part_ends, name)) for name, value in puts.items()},
    )
    splices.run()
    return compiled

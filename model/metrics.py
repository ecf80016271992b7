"""Power, cost, bill of materials, attach ratios and problems, from the analysis columns.

`AnalysisResult` is a snapshot of the totals plus a window onto the per-cable columns;
one cable's full report (with its reason and route) is built only when asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from model.catalog import Catalog
from model.errors import StaleResult
from model.layout import SiteSettings
from model.reasons import cable_problems, cable_reason, problems
from model.results import BomLine, CableEnd, CableReport, MediumTotals, Problem, RackMetrics, TraySegmentFill
from model.selection import MEDIUM_NAMES
from model.structured_text import link_dicts, link_problem_rows, rack_power_shift, transceiver_lines
from model.tco import TcoByYear, tco_by_year

if TYPE_CHECKING:
    from model.analysis import AnalysisState
    from model.document import Document
    from model.geometry.compiled import CompiledLayout

EQUIVALENT_RATES = (800, 1600)
# Racks whose cable figures an edit works out again: up to this many, their ends are found by a
# compare each (~0.1 ms over 600,000 ends); more, by one gather of every end (~2 ms).
FEW_RACKS = 8


@dataclass(frozen=True)
class RackBasis:
    """What a result after an edit may start its rack figures from: the last result's
    `figures` (AnalysisResult.rack_figures) and the rack rows (ascending) the edit touched,
    outside of which every rack's cable figures are as they were (the same racks in the
    same order). model.analysis works out `racks`; see AnalysisResult.rack_figures."""

    figures: dict[str, np.ndarray]
    racks: np.ndarray


def racks_of_rows(old: CompiledLayout, old_rows: np.ndarray, new: CompiledLayout, new_rows: np.ndarray) -> np.ndarray:
    """Rack rows (ascending, intp) that the cable rows `old_rows` of `old` and `new_rows` of
    `new` (CompiledLayouts of one layout's racks, before and after an edit; ints) end in: what
    an edit passes as RackBasis.racks. Raises IndexError for a row out of range."""
    old_rows, new_rows = np.asarray(old_rows, dtype=np.int64), np.asarray(new_rows, dtype=np.int64)
    racks = (
        old.ends.rack[2 * old_rows],
        old.ends.rack[2 * old_rows + 1],
        new.ends.rack[2 * new_rows],
        new.ends.rack[2 * new_rows + 1],
    )
    return np.unique(np.concatenate(racks)).astype(np.intp)


class AnalysisResult:
    """An immutable snapshot of one analysis: totals, per-cable columns (read-only numpy
    arrays indexed by cable row, see `cable_ids`) and, on demand, a cable's full report,
    the BOM, tray fill and problems. Later edits never change it; views compare the
    snapshot they drew with the next one."""

    def __init__(self, state: AnalysisState) -> None:
        self._state = state
        self.layout_name = state.layout_name
        c = state.compiled
        self.cable_ids: Sequence[str] = c.cable_ids  # a list, or model.rows.Pieces after an edit
        self.index: Mapping[str, int] = c.cable_index
        product = _frozen(state.choice.product)
        # Per cable, the row of its product in `product_names` (-1: none chosen).
        self.product_row = product
        self.product_names = [p.name for p in state.products.products]
        self.medium_code = _frozen(state.products.medium_of(product))
        self.length_m = _frozen(state.choice.length_m)  # NaN: no pathway joins the ends
        self.ordered_length_m = _frozen(state.choice.ordered_m)
        # A breakout's trunk, m from end a to the split (model.breakout), on each leg's row; 0 for a
        # straight cable. A leg's own length is length_m less it.
        self.trunk_m = _frozen(state.choice.trunk_m)
        self.power_w = _frozen(state.choice.power)
        self.cost_usd = _frozen(state.choice.cost)
        self._device_figures()
        self._totals()

    @property
    def revision(self) -> int:
        """The document revision (`Document.revision`) this snapshot shows."""
        return self._state.revision

    @property
    def document(self) -> Document:
        """The document this snapshot was computed from, for what it does not hold itself
        (rack elevations in the printed report). Raises StaleResult when the document has
        changed since: a reader never mixes this snapshot with a later layout."""
        source = self._state.source
        if source.revision != self._state.revision:
            raise StaleResult(
                f"the layout changed since this analysis (revision {self._state.revision}, now {source.revision})"
            )
        return source

    @property
    def settings(self) -> SiteSettings:
        """The site settings the analysis ran with."""
        return self._state.settings

    @property
    def catalog(self) -> Catalog:
        """The catalog the analysis ran with."""
        return self._state.catalog

    @property
    def state(self) -> AnalysisState:
        """The frozen columns this snapshot was built from (model.analysis.AnalysisState),
        for model code that reads them in bulk (reasons, report rows). Never change them."""
        return self._state

    def route_points(self, rows) -> list[list[tuple[float, float, float]]]:
        """Corner points (x, y on the floor, z height; mm) of the routes of cable `rows`
        (ints), in their order; empty for a cable with no pathway."""
        return self._state.routes.points_of(rows)

    # ---- totals ------------------------------------------------------------------
    def _device_figures(self) -> None:
        catalog, c = self._state.catalog, self._state.compiled
        # A few types among thousands of devices: each type's figures looked up once, then
        # gathered by the devices' type codes (a map over 23,000 type names was ~3 ms an edit).
        names = c._type_names
        per_type = np.bincount(c.device_type_code, minlength=len(names)) if len(names) else np.zeros(0, np.int64)
        kinds = {names[code]: int(n) for code, n in enumerate(per_type.tolist()) if n}
        power_of = np.array([catalog.devices[t].power_w if t in kinds else 0.0 for t in names], dtype=float)
        accelerators_of = np.array([catalog.devices[t].accelerators if t in kinds else 0 for t in names], dtype=float)
        power = power_of[c.device_type_code] if len(names) else np.zeros(0)
        accelerators = accelerators_of[c.device_type_code] if len(names) else np.zeros(0)
        racks = len(c.racks.ids)
        self.rack_device_power = (
            np.bincount(c.device_rack, weights=power, minlength=racks) if len(power) else np.zeros(racks)
        )
        self.rack_accelerators = (
            np.bincount(c.device_rack, weights=accelerators, minlength=racks) if len(power) else np.zeros(racks)
        )
        self.accelerators = int(accelerators.sum())
        # Per device type once, times how many there are: 0.5 ms instead of 15 at 23,000 devices.
        self.internal_link_gbps = sum(
            count * sum(link.rate_gbps for link in catalog.devices[t].internal_links) for t, count in kinds.items()
        )

    def _totals(self) -> None:
        codes = self.medium_code
        # What the designer buys counts a breakout once (its first row, which carries its cost and
        # power); what the accelerators use counts each leg (model.breakout).
        bought = self.bought = _frozen(self._state.compiled.leg == 0)
        every_row_bought = not self._state.compiled.has_breakouts  # then bought is all True: no mask needed
        self.by_medium: dict[str, MediumTotals] = {}
        self.legs_by_medium: dict[str, int] = {}
        # Rows per medium in one pass (-1, no product, first); a medium no cable uses sums
        # nothing (0.0, as the sum of an empty selection), so only the media in use are masked:
        # a layout uses two or three of the seven (~1 ms of every edit's totals at 300,000).
        per_code = np.bincount(codes.astype(np.intp) + 1, minlength=len(MEDIUM_NAMES) + 1).tolist()
        for code, name in enumerate(MEDIUM_NAMES):
            legs = self.legs_by_medium[name] = per_code[code + 1]
            if not legs:
                self.by_medium[name] = MediumTotals(0, 0.0, 0.0)
                continue
            mask = codes == code
            count = legs if every_row_bought else int(np.count_nonzero(mask & bought))
            self.by_medium[name] = MediumTotals(
                count, float(self.power_w[mask].sum()), float(self.cost_usd[mask].sum())
            )
        cable_power = float(self.power_w.sum())
        device_power = float(self.rack_device_power.sum())
        self.totals = {
            "cables": len(codes) if every_row_bought else int(bought.sum()),
            "by_medium": {name: t.count for name, t in self.by_medium.items()},
            "unresolved": per_code[0] if every_row_bought else int(((codes < 0) & bought).sum()),
            # A product (a pin honoured past every reach) but no length of it to order: not
            # costed and in no BOM line (model.selection.choose); Problems says why.
            "unorderable": int(((codes >= 0) & np.isnan(self.ordered_length_m) & bought).sum()),
            "power_w": round(cable_power + device_power, 3),
            "cable_power_w": round(cable_power, 3),
            "device_power_w": round(device_power, 3),
            "cost_usd": round(float(self.cost_usd.sum()), 2),
        }
        n = max(self.accelerators, 1)
        # Cables bought per accelerator (a breakout once), and links used per accelerator (each leg).
        self.attach_ratios = {name: (t.count / n if self.accelerators else 0.0) for name, t in self.by_medium.items()}
        self.leg_attach_ratios = {
            name: (count / n if self.accelerators else 0.0) for name, count in self.legs_by_medium.items()
        }
        ends = self._state.compiled.ends.accelerator
        touching = ends[0::2] | ends[1::2] if len(ends) else np.zeros(0, dtype=bool)
        gbps = float(self._state.compiled.rate[touching].sum()) + self.internal_link_gbps
        self.equivalent_per_accelerator = {
            str(rate): (gbps / rate / self.accelerators if self.accelerators else 0.0) for rate in EQUIVALENT_RATES
        }

    @cached_property
    def rack_figures(self) -> dict[str, np.ndarray]:
        """Per rack row (the order of `rack_ids`), as arrays: 'device_w' the devices' power,
        'cable_w' half the power of each cable ending in it (W; a link's optic all in its
        device's rack), 'budget_w' (W, the rack's power_budget_w), 'accelerators', each
        (racks,), and 'cables' (racks, media in MEDIUM_NAMES' order): cables by medium, a cable
        counting once in each rack it touches. Power from the catalog's device and product
        figures. Columns, so a panel or check reads 4,000 racks without an object per rack."""
        c = self._state.compiled
        count = len(c.racks.ids)
        basis = self._state.rack_basis
        if basis is not None and not c.has_breakouts and len(basis.figures["cable_w"]) == count:
            return self._rack_figures_after(basis)
        # Each end's rack as bincount takes it (contiguous intp: it converted the strided int32
        # views itself, twice each; ~1.5 ms of an edit's figures at 300,000 cables).
        rack_a, rack_b = c.ends.rack[0::2].astype(np.intp), c.ends.rack[1::2].astype(np.intp)
        bought = self.bought  # a breakout counts once, at its first leg's racks
        every_row_bought = not c.has_breakouts
        # A cable's power is drawn at both ends: half in each rack.
        half = self.power_w / 2
        cable_power = np.bincount(rack_a, weights=half, minlength=count)
        cable_power += np.bincount(rack_b, weights=half, minlength=count)
        cable_power = cable_power + rack_power_shift(self._state, count)  # a link's optic draws in its device's rack
        # Cables by medium per rack: a cable counts in each rack it touches, once.
        media = len(MEDIUM_NAMES)
        code = self.medium_code.astype(np.intp)  # -1 (no product) counted in a last column, dropped below
        code[code < 0] = media
        cells = count * (media + 1)
        if every_row_bought:
            cell = rack_a * (media + 1)
            cell += code
            per_rack = np.bincount(cell, minlength=cells)
            other = rack_b != rack_a
        else:
            per_rack = np.bincount(rack_a[bought] * (media + 1) + code[bought], minlength=cells)
            other = (rack_b != rack_a) & bought
        per_rack += np.bincount(rack_b[other] * (media + 1) + code[other], minlength=cells)
        figures = {
            "device_w": self.rack_device_power,
            "cable_w": cable_power,
            "budget_w": np.asarray(c.racks.budget, dtype=float),
            "accelerators": self.rack_accelerators,
            "cables": per_rack.reshape(count, media + 1)[:, :media],
        }
        return {name: _frozen(np.asarray(value)) for name, value in figures.items()}

    def _rack_figures_after(self, basis: RackBasis) -> dict[str, np.ndarray]:
        """rack_figures from the last result's, with the cable figures of the racks `basis.racks`
        worked out again (~1 ms at 300,000 cables, against ~4 ms for every rack). Each rack's
        figures come out bit for bit as rack_figures makes them: bincount adds a rack's cables
        one by one in row order, and so does it here over the same rows in the same order."""
        c, media = self._state.compiled, len(MEDIUM_NAMES)
        count, touched = len(c.racks.ids), basis.racks
        cable_power = np.array(basis.figures["cable_w"])
        per_rack = np.array(basis.figures["cables"])
        if len(touched):
            k = len(touched)
            local = np.full(count, -1, dtype=np.intp)  # rack row -> its place in `touched`
            local[touched] = np.arange(k)
            ends_rack = c.ends.rack
            if k <= FEW_RACKS:
                # A compare per touched rack over the ends (contiguous), then their few rows:
                # mapping all 600,000 ends through `local` took ~2 ms of every edit.
                hit = ends_rack == touched[0]
                for rack in touched[1:].tolist():
                    hit |= ends_rack == rack
                rows_a, rows_b = np.flatnonzero(hit[0::2]), np.flatnonzero(hit[1::2])
            else:
                rows_a = np.flatnonzero(local[ends_rack[0::2]] >= 0)
                rows_b = np.flatnonzero(local[ends_rack[1::2]] >= 0)
            # The same rows in the same (ascending) order either way: the same sums, bit for bit.
            place_a, place_b = local[ends_rack[2 * rows_a]], local[ends_rack[2 * rows_b + 1]]
            # As floats also when no row ends there (bincount of nothing gives ints).
            power = np.bincount(place_a, weights=self.power_w[rows_a] / 2, minlength=k).astype(float)
            power += np.bincount(place_b, weights=self.power_w[rows_b] / 2, minlength=k)
            cable_power[touched] = power + rack_power_shift(self._state, count)[touched]
            other = ends_rack[2 * rows_b + 1] != ends_rack[2 * rows_b]  # once per rack it touches
            rows_b, place_b = rows_b[other], place_b[other]
            cells = np.zeros(k * (media + 1), dtype=np.intp)
            for place, rows in ((place_a, rows_a), (place_b, rows_b)):
                code = self.medium_code[rows].astype(np.intp)  # the touched racks' rows only
                code[code < 0] = media  # no product: a last column, dropped below
                cells += np.bincount(place * (media + 1) + code, minlength=k * (media + 1))
            per_rack[touched] = cells.reshape(k, media + 1)[:, :media]
        figures = {
            "device_w": self.rack_device_power,
            "cable_w": cable_power,
            "budget_w": np.asarray(c.racks.budget, dtype=float),
            "accelerators": self.rack_accelerators,
            "cables": per_rack,
        }
        return {name: _frozen(np.asarray(value)) for name, value in figures.items()}

    @property
    def rack_ids(self) -> list[str]:
        """Rack ids in the order of the rows of `rack_figures`."""
        return self._state.compiled.racks.ids

    @cached_property
    def racks_over_budget(self) -> np.ndarray:
        """Rows (ascending, as `rack_ids`) of the racks whose devices and cables together draw
        more than their budget."""
        f = self.rack_figures
        return np.flatnonzero(f["device_w"] + f["cable_w"] > f["budget_w"])

    @cached_property
    def racks(self) -> Mapping[str, RackMetrics]:
        """Per rack id its load (RackMetrics): device power, half the power of each cable
        ending in it (W), its budget (W), accelerators and cables by medium. Each rack's
        object is made when first read (4,000 of them took ~12 ms an edit)."""
        return _RackTable(self.rack_ids, self._state.compiled.racks.index, self.rack_figures)

    @cached_property
    def tco(self) -> TcoByYear:
        """The cost of ownership year by year (model.tco.tco_by_year of this snapshot), worked
        out once: the metrics and compare panels both draw it after every edit."""
        return tco_by_year(self)

    @cached_property
    def lengths_by_medium(self) -> dict[str, np.ndarray]:
        """Per medium name the run lengths (m) of its cables, each (cables of that medium,)."""
        return {name: self.length_m[self.medium_code == code] for code, name in enumerate(MEDIUM_NAMES)}

    @cached_property
    def bom(self) -> list[BomLine]:
        """The bill of materials: one line per product and orderable length, cables without a
        product or an orderable length left out; prices from the catalog's cost figures."""
        products = self._state.products
        product = self.product_row
        chosen = (product >= 0) & ~np.isnan(self.ordered_length_m) & self.bought  # a breakout once
        if not chosen.any():
            return []
        # One int64 key per cable, product row then length in mm: sorts as (row, length) pairs
        # would, ten times faster than np.unique over rows.
        length_mm = np.round(self.ordered_length_m[chosen] * 1000).astype(np.int64)
        cable_keys = product[chosen].astype(np.int64) << 40 | length_mm
        keys, counts = np.unique(cable_keys, return_counts=True)
        lines = []
        for key, quantity in zip(keys.tolist(), counts.tolist()):
            p = products.products[key >> 40]
            if p.ports_per_end == 2:
                # A twin-port cable serves both ports of a cage: one per pair of cages joined.
                quantity = self._cage_pairs(np.nonzero(chosen)[0][cable_keys == key])
            length = (key & (1 << 40) - 1) / 1000
            estimated = tuple(p.estimated_figures)
            lines.append(
                BomLine(
                    p.id, p.name, p.medium.value, length, int(quantity), p.cost_usd(length), estimated, p.ports_per_end
                )
            )
        return lines + transceiver_lines(self._state)  # the optics of links through patch panels

    def _cage_pairs(self, cables: np.ndarray) -> int:
        """How many distinct pairs of cages (device and cage at each end) `cables` (rows) join."""
        ends = np.stack([2 * cables, 2 * cables + 1], axis=1).ravel()
        cages = self._state.compiled.end_cages(ends).reshape(-1, 2, 2).tolist()
        return len({tuple(sorted((tuple(a), tuple(b)))) for a, b in cages})

    @cached_property
    def tray_fill(self) -> list[TraySegmentFill]:
        """Every tray piece (between junctions and rack drops) with its cables and fill (mm²)."""
        return self.tray_fill_of(range(self._state.fill.piece_count))

    @cached_property
    def tray_fill_figures(self) -> np.ndarray:
        """Every tray piece as a row (cables, used mm², x1, y1, x2, y2 in floor mm), a
        read-only array of shape (pieces, 6) indexed as `tray_fill`: a view finds the pieces
        an edit changed by comparing two results' rows, without building every piece's
        TraySegmentFill."""
        fill = self._state.fill
        return _frozen(np.column_stack([fill.cable_counts(), fill.used_mm2(), fill.piece_points()]))

    def tray_piece_ids(self, pieces) -> list[str]:
        """The ids of the tray pieces `pieces` (ints, as `tray_fill_of` takes them) as
        TraySegmentFill has them ('tray-id#piece'), without the rest of their figures."""
        fill, net = self._state.fill, self._state.network
        rows = np.asarray(list(pieces), dtype=np.int64)
        trays = net.edge_tray[fill.piece_edge[rows]].tolist() if len(rows) else []
        return [f"{net.trays[t].id}#{p}" for t, p in zip(trays, rows.tolist())]

    def tray_fill_of(self, pieces) -> list[TraySegmentFill]:
        """The TraySegmentFill of the tray pieces `pieces` (ints from 0 to the number of
        pieces, indexing `tray_fill`), in their order."""
        fill, net = self._state.fill, self._state.network
        used, counts = fill.used_mm2(), fill.cable_counts()
        out = []
        for piece in pieces:
            tray = net.trays[int(net.edge_tray[fill.piece_edge[piece]])]
            start, end = fill.piece_ends(piece)
            out.append(
                TraySegmentFill(
                    f"{tray.id}#{piece}",
                    tray.id,
                    start,
                    end,
                    int(counts[piece]),
                    float(used[piece]),
                    float(fill.usable_mm2[piece]),
                )
            )
        return out

    @cached_property
    def problems(self) -> list[Problem]:
        """Everything the designer must see: per cable what it breaks (see cable_problems),
        then over-full tray pieces, overhead trays hanging below a rack they serve, breakouts
        whose legs end in different racks (a warning), racks or devices sharing a name (a
        warning), then racks over their power budget."""
        found: list[Problem] = []
        leg = self._state.compiled.leg
        for row, kinds in self.cable_problems().items():
            if leg[row]:
                continue  # a breakout's legs share its problems (read on its longest leg): said once
            found.extend(Problem(kind, message, "cable", self.cable_ids[row]) for kind, message in kinds)
        # Only the over-full pieces are built (TraySegmentFill.over's test): a 100k hall has 8,000.
        fill = self._state.fill
        over = np.flatnonzero(fill.used_mm2() > fill.usable_mm2[: fill.piece_count] + 1e-9).tolist()
        for segment in self.tray_fill_of(over):
            if segment.over:
                found.append(
                    Problem(
                        "fill",
                        f"tray {segment.tray_id} from ({segment.start_mm[0] / 1000:.1f}, {segment.start_mm[1] / 1000:.1f}) m "
                        f"to ({segment.end_mm[0] / 1000:.1f}, {segment.end_mm[1] / 1000:.1f}) m is "
                        f"{segment.fill:.0%} of its usable fill ({segment.cable_count} cables)",
                        "tray",
                        segment.tray_id,
                    )
                )
        found.extend(self._trays_below_racks())
        found.extend(self._split_breakouts())
        found.extend(self._duplicate_names())
        for row in self.racks_over_budget.tolist():
            metrics = self.racks[self.rack_ids[row]]
            rack_id = metrics.rack_id
            if metrics.over_budget:
                draw, budget = _kw_apart(metrics.device_power_w + metrics.cable_power_w, metrics.budget_w)
                found.append(
                    Problem("power", f"rack {rack_id} draws {draw} against a {budget} budget", "rack", rack_id)
                )
        return found

    def _duplicate_names(self) -> list[Problem]:
        """Racks, or devices, that share a name (a hostname): people, labels and NetBox would
        take them for one. A warning per name (names in sorted order), naming the ids (sorted;
        the first is its target); NetBox's export keeps their ids
        (model.io.netbox_export.netbox_device_names)."""
        c = self._state.compiled
        found: list[Problem] = []
        for kind, ids, names in (("rack", c.racks.ids, c.racks.names), ("device", c.device_ids, c.device_names)):
            unique = c.device_names_unique() if kind == "device" else len(set(names)) == len(names)
            if unique:
                continue  # the usual case, in one pass in C: no list per name for 100,000 devices
            by_name: dict[str, list[str]] = {}
            for item_id, name in zip(ids, names, strict=True):
                by_name.setdefault(name, []).append(item_id)
            # Names, and the ids of each, in sorted order, not in rows': a device moved into
            # another rack keeps its row after an edit, where a fresh analysis puts it among the
            # other rack's, and the warning (its first id its target) must read alike.
            for name in sorted(by_name):
                same = sorted(by_name[name])
                if len(same) > 1:
                    shown = ", ".join(same[:4]) + (f" and {len(same) - 4} more" if len(same) > 4 else "")
                    message = (
                        f"{len(same)} {kind}s are named '{name}' ({shown}): names must be unique, or labels, "
                        "the schedule and NetBox mix them up; the NetBox export uses their ids instead"
                    )
                    found.append(Problem("name", message, kind, same[0], "warning"))
        return found

    def _split_breakouts(self) -> list[Problem]:
        """A breakout splits near its far end (model.breakout): legs ending in different racks
        would each need the whole run, so the cable is a warning naming the racks."""
        c = self._state.compiled
        if not c.has_breakouts:
            return []
        found = []
        for first in np.nonzero((c.leg == 0) & (c.leg_count > 1))[0].tolist():
            legs = range(first, first + int(c.leg_count[first]))
            racks = sorted({c.racks.ids[int(c.ends.rack[2 * row + 1])] for row in legs})
            if len(racks) > 1:
                message = (
                    f"cable {c.cable_ids[first]}: a breakout's legs split near its far end, but they end in "
                    f"racks {', '.join(racks)}: use one cable per rack"
                )
                found.append(Problem("breakout", message, "cable", c.cable_ids[first], "warning"))
        return found

    def _trays_below_racks(self) -> list[Problem]:
        """An overhead tray a rack drops its cables into must hang above that rack's frame:
        one lower would run through the racks (a what-if's tray height of 100 mm, say)."""
        racks, joins, net = self._state.compiled.racks, self._state.routes.joins, self._state.network
        found: list[Problem] = []
        seen: set[tuple[str, str]] = set()
        rack_rows, sides = np.nonzero(joins.edge >= 0)
        trays = np.asarray(net.edge_tray)[joins.edge[rack_rows, sides]]
        # Only joins into an overhead tray hung below the rack's top are looked at one by one.
        overhead = np.array([t.kind == "overhead" for t in net.trays], dtype=bool)
        elevation = np.array([t.elevation_mm for t in net.trays], dtype=float)
        low = overhead[trays] & (elevation[trays] < np.asarray(racks.top_z)[rack_rows]) if len(net.trays) else trays < 0
        for rack, side in zip(rack_rows[low].tolist(), sides[low].tolist()):
            tray = net.trays[int(net.edge_tray[joins.edge[rack, side]])]
            key = (tray.id, racks.ids[rack])
            top = float(racks.top_z[rack])
            if tray.kind != "overhead" or tray.elevation_mm >= top or key in seen:
                continue
            seen.add(key)
            found.append(
                Problem(
                    "pathway",
                    f"tray {tray.id} hangs at {tray.elevation_mm / 1000:.2f} m, below the top of rack "
                    f"{racks.ids[rack]} ({top / 1000:.2f} m) that drops its cables into it",
                    "tray",
                    tray.id,
                )
            )
        return found

    def cable_problems(self) -> dict[int, list[tuple[str, str]]]:
        """Per cable row that breaks a rule (ascending rows), its (kind, message) pairs (see
        model.reasons.problems); a cable missing here breaks none. Only cables with no
        product, a pin that breaks a rule, or no pathway can break one."""
        return dict(self._cable_problems)

    @cached_property
    def _cable_problems(self) -> dict[int, list[tuple[str, str]]]:
        a = self._state
        flagged = np.nonzero((self.medium_code < 0) | a.choice.pinned_violation | ~a.routes.routable)[0]
        flagged = np.union1d(flagged, link_problem_rows(a)).astype(np.int64)  # links over budget or reach
        return {row: kinds for row, kinds in zip(flagged.tolist(), problems(a, flagged)) if kinds}

    # ---- per cable ---------------------------------------------------------------
    def medium_of(self, row: int) -> str | None:
        """The medium name (DAC, AEC, AOC, OPTICS) of the cable at `row`; None without a product."""
        code = int(self.medium_code[row])
        return MEDIUM_NAMES[code] if code >= 0 else None

    def cable(self, key: int | str, detail: bool = True) -> CableReport:
        """One cable's report; `detail=False` skips the reason, problems and route (bulk exports)."""
        row = self.index[key] if isinstance(key, str) else int(key)
        a = self._state
        c = a.compiled
        product_row = int(self.product_row[row])
        product = a.products.products[product_row] if product_row >= 0 else None
        ordered = float(self.ordered_length_m[row])
        length = float(self.length_m[row])
        routed = not np.isnan(length)
        latency = (
            float(a.products.latency_per_m[product_row] * length + a.products.latency_fixed[product_row])
            if product and routed
            else 0.0
        )
        a_end, b_end = self.end(2 * row), self.end(2 * row + 1)
        label = c.cable_label[row] or f"{_end_text(a_end)} ↔ {_end_text(b_end)}"
        return CableReport(
            id=self.cable_ids[row],
            cable_id=c.cable_label[row] or self.cable_ids[row],
            label=label,
            a=c.cable_a[row],
            b=c.cable_b[row],
            a_end=a_end,
            b_end=b_end,
            rate_gbps=float(c.rate[row]),
            medium=product.medium.value if product else None,
            product_id=product.id if product else None,
            product_name=product.name if product else None,
            gauge_awg=product.gauge_awg if product else None,
            length_m=length if routed else None,
            ordered_length_m=None if np.isnan(ordered) else ordered,
            power_w=float(self.power_w[row]),
            cost_usd=float(self.cost_usd[row]),
            latency_ns=latency,
            reason=cable_reason(a, row) if detail else "",
            problems=[message for _, message in cable_problems(a, row)] if detail else [],
            route_mm=a.routes.points(row) if detail and routed else [],
        )

    def end(self, end_row: int) -> CableEnd:
        """Cable end `end_row` (2 × cable row, + 1 for end b): its rack id, U, device id and port,
        with the rack's and the device's names."""
        c = self._state.compiled
        device_row = int(c.end_device_row[end_row])
        ref = c.cable_a[end_row // 2] if end_row % 2 == 0 else c.cable_b[end_row // 2]
        rack_row = int(c.device_rack[device_row])
        return CableEnd(
            c.racks.ids[rack_row],
            int(c.u_position(np.array([device_row]))[0]),
            c.device_ids[device_row],
            ref.partition(":")[2],
            rack_name=c.racks.names[rack_row],
            device_name=c.device_names[device_row],
        )

    def to_report_dict(self, with_cables: bool = True) -> dict:
        """The JSON report: totals, attach ratios, racks, BOM, problems, TCO by year and, with
        `with_cables`, every cable (model.report_json). Powers in W, money in USD, lengths in m."""
        report = {
            "layout": self.layout_name,
            "accelerators": self.accelerators,
            "totals": self.totals,
            "attach_ratios": {k: round(v, 4) for k, v in self.attach_ratios.items()},
            "leg_attach_ratios": {k: round(v, 4) for k, v in self.leg_attach_ratios.items()},
            "attach_basis": {
                "attach_ratios": "cables bought per accelerator, by medium (a breakout counts once)",
                "leg_attach_ratios": "links used per accelerator, by medium (each breakout leg counts)",
            },
            "equivalent_per_accelerator": {k: round(v, 4) for k, v in self.equivalent_per_accelerator.items()},
            "racks": {
                rid: {
                    "device_power_w": m.device_power_w,
                    "cable_power_w": round(m.cable_power_w, 3),
                    "budget_w": m.budget_w,
                    "accelerators": m.accelerators,
                    "cables_by_medium": m.cables_by_medium,
                }
                for rid, m in self.racks.items()
            },
            "bom": [
                {
                    "product": line.product_id,
                    "medium": line.medium,
                    "ordered_length_m": line.ordered_length_m,
                    "quantity": line.quantity,
                    "unit_cost_usd": round(line.unit_cost_usd, 2),
                    "total_usd": round(line.total_usd, 2),
                    "estimated": list(line.estimated),
                    "links_per_cable": line.links_per_cable,
                }
                for line in self.bom
            ],
            "problems": [p.as_dict() for p in self.problems],
            "tco_by_year": self.tco.as_dict(),
        }
        if self._state.links.links:
            report["links"] = link_dicts(self._state)  # through patch panels: optics, loss, budget
        if with_cables:
            from model.report_json import cable_dicts  # the report's writer builds on this module

            report["cables"] = cable_dicts(self)
        return report


class _RackTable(Mapping):
    """AnalysisResult.racks: rack id -> RackMetrics, each made from the rack figures when read."""

    def __init__(self, ids: list[str], index: Mapping[str, int], figures: dict[str, np.ndarray]) -> None:
        self._ids, self._index, self._figures = ids, index, figures
        self._made: dict[str, RackMetrics] = {}

    def __getitem__(self, rack_id: str) -> RackMetrics:
        made = self._made.get(rack_id)
        if made is None:
            i, f = self._index[rack_id], self._figures
            made = self._made[rack_id] = RackMetrics(
                rack_id,
                float(f["device_w"][i]),
                float(f["cable_w"][i]),
                float(f["budget_w"][i]),
                int(f["accelerators"][i]),
                dict(zip(MEDIUM_NAMES, f["cables"][i].tolist())),
            )
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, rack_id: object) -> bool:
        return rack_id in self._index


def _kw_apart(draw_w: float, budget_w: float) -> tuple[str, str]:
    """A rack's draw and its budget (W) as a problem names them: kW to one decimal ('45.0 kW'),
    or, where that reads alike for a draw over its budget, to as many decimals as tell them
    apart, up to W to one decimal ('56.5 kW against a 56.5 kW budget' said nothing)."""
    for decimals in (1, 2, 3):
        draw, budget = f"{draw_w / 1000:.{decimals}f} kW", f"{budget_w / 1000:.{decimals}f} kW"
        if draw != budget:
            return draw, budget
    return f"{draw_w:,.1f} W", f"{budget_w:,.1f} W"


def _frozen(column: np.ndarray) -> np.ndarray:
    """A read-only view of a column: a snapshot's figures cannot be changed through it. A view,
    not a copy: the analysis never changes a column it has published (it works on copies
    from then on, Analysis._detach), and copying eight 300,000-row columns was ~4 ms of every
    edit and drag step."""
    out = np.asarray(column).view()
    out.flags.writeable = False
    return out


def _end_text(end: CableEnd) -> str:
    """A label's end: 'R01-01 U5 c0.n1' by rack, U, device and port (their names, else ids)."""
    return end.text

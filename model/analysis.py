"""Runs geometry → selection → fill → metrics, and re-runs only what an edit touched.

`Analysis(document)` listens to the document. A moved device, or a rack moved or
turned on the floor, re-routes its own cables, takes their old cross-sections out of
the trays and puts the new ones in; devices and cables added or removed (and put back
by undo) add or drop rows (model.structure_edits); anything else that changes racks
(their size, clearances, budget, which racks exist), trays or settings rebuilds the
columns (still vectorised, so a rebuild of 200k cables takes a second or two).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from model import structure_edits
from model.breakout import spread_by_longest_leg, tray_rows
from model.bulk import paused_gc
from model.catalog import Catalog
from model.document import Change, Document
from model.fill_relief import relieve_fill
from model.geometry.columns import clone_columns
from model.geometry.compiled import CompiledLayout
from model.geometry.fill import TrayFill
from model.geometry.routes import RouteColumns, rack_joins
from model.geometry.trays import TrayNetwork
from model.layout import FACING_VECTORS, Site, SiteSettings
from model.metrics import AnalysisResult, RackBasis, racks_of_rows
from model.selection import Candidates, Choice, ProductTable, choose, evaluate
from model.structured import NO_LINKS, Links, adds_panel_cable
from model.structured import apply as apply_links

SELECT_BLOCK = 32_768  # cables whose candidates are evaluated together
# Compiled columns a move never writes (it re-reads racks, devices and ends): shared, not copied.
MOVES_KEEP = structure_edits.CABLE_COLUMNS + structure_edits.END_COLUMNS


@dataclass(frozen=True)
class AnalysisState:
    """Everything a published result reads, frozen: the analysis never changes these objects
    after publishing them (it updates copies, see `Analysis._detach`), and nothing here
    refers to the live document."""

    source: Document  # read only through AnalysisResult.document, which checks `revision`
    revision: int
    catalog: Catalog
    settings: SiteSettings
    layout_name: str
    products: ProductTable
    compiled: CompiledLayout
    network: TrayNetwork
    routes: RouteColumns
    choice: Choice
    fill: TrayFill
    fill_moved: np.ndarray
    groups: dict[tuple[int, float, int], Candidates]
    links: Links = NO_LINKS  # links through patch panels (model.structured)
    rack_basis: RackBasis | None = None  # the rack figures before an edit, and the racks it touched


class Analysis:
    """The live analysis of one document: columns kept current edit by edit, published as
    immutable `AnalysisResult` snapshots (`result`) to subscribers after every change."""

    # What a full run computes (the rest is the document, the listeners and counters).
    STATE = ("products", "compiled", "network", "routes", "choice", "fill_moved", "_groups", "fill", "links")

    def __init__(self, document: Document) -> None:
        self.document = document
        self.products = ProductTable(document.catalog)
        self._listeners: list[Callable[[AnalysisResult], None]] = []
        self._prepared: Analysis | None = None
        # How a full re-analysis is carried out: here and now unless set. The app hands
        # `full_run(work)` big ones, to run `work` on a worker thread behind a busy dialog.
        self.full_run: Callable[[Callable[[], Analysis]], Analysis] | None = None
        self.full_runs = 0
        self.incremental_runs = 0
        self._published = False  # the current columns belong to `result`: copy before changing them
        self._removed_rows: dict[str, int] = {}  # cable id -> its row before the last removal (undo puts it back)
        self.links: Links = NO_LINKS
        self._rebuild()
        document.subscribe(self._on_change)

    def subscribe(self, listener: Callable[[AnalysisResult], None]) -> None:
        """Calls `listener` with the new result snapshot after every re-analysis, in subscription order."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[AnalysisResult], None]) -> None:
        """Stops calling `listener`; one never subscribed is ignored."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    # ---- a full run done elsewhere (a worker thread) -------------------------------
    @staticmethod
    def prepare(site: Site, catalog: Catalog) -> Analysis:
        """A full analysis of `site`, to hand to `expect` before the document takes `site`.

        Only reads `site` and `catalog`, so it may run on a worker thread while the GUI
        paints, as long as nothing edits the site meanwhile. The cyclic garbage collector is
        paused meanwhile (model.bulk): on a worker each of its passes held the interpreter
        lock, and so the window, 60-95 ms at 300,000 cables.
        """
        with paused_gc():
            prepared = Analysis(Document(site, catalog, check=False))
            # What the first edit would otherwise do on the GUI thread: build the index it derives
            # the next from, put the list columns in pieces and find each cable's place in the
            # layout's list (~30 + ~16 + ~15 ms at 300,000 cables).
            prepared.compiled.cable_index.build()
            structure_edits.in_pieces(prepared.compiled)
            prepared.document.ready_for_edits()
        return prepared

    def expect(self, prepared: Analysis) -> None:
        """The next full re-analysis, if it is of `prepared`'s very site, takes `prepared` instead."""
        self._prepared = prepared

    def _adopt(self, prepared: Analysis) -> None:
        for name in self.STATE:
            setattr(self, name, getattr(prepared, name))
        # `prepared` listens to a document of its own (`prepare`'s), which so refers back to
        # it: a cycle, that reference counting alone never frees. The app freezes what is
        # alive once a file is shown (gui.background.keep_long_lived), so the collector never
        # freed it either, and with it the columns taken over here once an edit replaced them
        # (~70 MB at 300,000 cables, for as long as the app ran).
        prepared.document.unsubscribe(prepared._on_change)
        self.full_runs += 1
        self._publish()

    # ---- full run ----------------------------------------------------------------
    def _rebuild(self) -> None:
        prepared, self._prepared = self._prepared, None
        if prepared is not None and prepared.document.site is self.document.site:
            if prepared.document.catalog is self.document.catalog:
                self._adopt(prepared)
                return
        if self.full_run is not None:
            site, catalog = self.document.site, self.document.catalog
            self._adopt(self.full_run(lambda: Analysis.prepare(site, catalog)))
            return
        site, catalog = self.document.site, self.document.catalog
        self.compiled = CompiledLayout(site, catalog)
        self.network = TrayNetwork(site.trays)
        self.routes = RouteColumns(self.compiled, self.network, site.settings)
        n = len(self.compiled.cable_ids)
        self.choice = Choice(
            product=np.full(n, -1, dtype=np.int32),
            length_m=np.zeros(n),
            ordered_m=np.full(n, np.nan),
            cost=np.zeros(n),
            power=np.zeros(n),
            pinned_violation=np.zeros(n, dtype=bool),
            longest_leg=np.zeros(n, dtype=np.int8),
            trunk_m=np.zeros(n),
        )
        self.fill_moved = np.zeros(n, dtype=bool)
        self._groups = self._group_cables()
        self._select(np.arange(n))
        self.fill = TrayFill(self.network, self.routes)
        self._lay(self.fill, np.arange(n))
        self._relieve_fill()
        self.full_runs += 1
        self._publish()

    def _group_cables(self) -> dict[tuple[int, float, int], Candidates]:
        c = self.compiled
        groups = {}
        for key in np.unique(self._group_keys(np.arange(len(c.cable_ids)))):
            conn, rate, lanes = _split_key(int(key))
            connector, pathway = c.connector_keys[conn]
            groups[(conn, rate, lanes)] = self.products.candidates(connector, rate, lanes, pathway)
        return groups

    def _group_keys(self, cables: np.ndarray) -> np.ndarray:
        """One integer per (connector, rate in Mb/s, lanes): a 1-D key sorts far faster than rows."""
        c = self.compiled
        rate = np.round(c.rate[cables] * 1000).astype(np.int64)
        return (c.connector[cables].astype(np.int64) * 10**10 + rate) * 1000 + c.lanes[cables]

    def _select(self, cables: np.ndarray, max_area: np.ndarray | None = None) -> None:
        """Chooses products for `cables`; with `max_area` (per cable), only thinner ones."""
        c, settings = self.compiled, self.document.site.settings
        if len(cables) == 0:
            apply_links(self, cables)  # nothing to choose, but the links are found afresh (none, after the last cable)
            return
        keys = self._group_keys(cables)
        for key in np.unique(keys):
            group_key = _split_key(int(key))
            group = self._groups.get(group_key)
            if group is None:
                connector, pathway = c.connector_keys[group_key[0]]
                group = self._groups[group_key] = self.products.candidates(connector, *group_key[1:], pathway)
            rows = cables[keys == key]
            if not group.products:
                self.choice.product[rows] = -1
                self.choice.cost[rows] = self.choice.power[rows] = 0.0
                self.choice.ordered_m[rows] = np.nan
                slack = self.routes.slack_ends[rows] * settings.service_slack_m
                self.choice.length_m[rows] = self.routes.length_mm[rows] / 1000 + slack
                continue
            # A block at a time: the evaluation holds ~60 floats per cable and candidate pair,
            # 150 MB at once for 200,000 cables; per block it stays near 25 MB.
            for start in range(0, len(rows), SELECT_BLOCK):
                block = rows[start : start + SELECT_BLOCK]
                ev = evaluate(block, group, self.routes, c, settings)
                mask = None
                if max_area is not None:
                    limit = max_area[np.searchsorted(cables, block)]
                    mask = self.products.area[group.index][None, :] >= limit[:, None] - 1e-9
                choose(block, group, ev, c, self.choice, mask)
        apply_links(self, cables)  # a link through patch panels is chosen whole, fibre only
        if c.has_breakouts:
            spread_by_longest_leg(c.leg, c.leg_count, self.choice, cables, self.products.leg_length)

    def _areas(self, cables: np.ndarray) -> np.ndarray:
        product = self.choice.product[cables]
        return np.where(product >= 0, self.products.area[np.maximum(product, 0)], 0.0)

    # ---- fill ------------------------------------------------------------------
    def _relieve_fill(self, only: np.ndarray | None = None) -> None:
        relieve_fill(self, only)

    # ---- edits -------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change == Change(scenarios=True) or change == Change(names=True):
            # Scenarios are overrides analysed on their own, and the layout's properties (its
            # name, info, naming scheme) route nothing: the base's columns stand. A new snapshot
            # still names the document's new revision (see AnalysisResult.document).
            self._publish()
            return
        if self._adds_breakout(change):
            # A cable's legs changed in number (model.breakout: a row per leg): a full run. Breakouts
            # added or removed are rows put in or taken out (model.structure_edits); moves and pins
            # re-route a breakout's legs together (`_rows`).
            self._rebuild()
            return
        moved_devices_only = (
            not (change.structure or change.settings or change.everything or change.trays)
            and change.devices
            and all(r in self.compiled.racks.index for r in change.racks)
            and not self._racks_changed(change.racks)
        )
        racks_moved_only = (
            not (change.structure or change.settings or change.everything or change.trays or change.devices)
            and change.racks
            and all(r in self.compiled.racks.index for r in change.racks)
            and not self._racks_changed(change.racks, moves_allowed=True)
        )
        pins_only = not (
            change.structure or change.settings or change.everything or change.trays or change.racks or change.devices
        )
        # A move keeps every cable's ends, so it forms no link: only an edit of cables is looked
        # at port by port (~4 ms a step of a rack of 544 cables dragged at 10k accelerators).
        forms_link = not (moved_devices_only or racks_moved_only) and adds_panel_cable(self.document, change)
        if (self.links.links or forms_link) and not change.structure:
            # A link through patch panels is chosen whole (model.structured): moves and pins near
            # one re-analyse in full; cables and devices added or removed away from the links do
            # not (model.structure_edits declines those that touch a link).
            self._rebuild()
            return
        if change.names and not (change.structure or change.settings or change.everything or change.trays):
            self._rename(change)
            return
        if moved_devices_only:
            self._move_devices(change)
        elif racks_moved_only:
            self._move_racks(change)
        elif pins_only and change.cables:
            self._recheck_cables(change.cables)
        elif not structure_edits.apply(self, change):  # devices or cables added or removed, incrementally
            self._rebuild()

    def _rename(self, change: Change) -> None:
        """Racks, devices or cables renamed (model.document.rename_many): only the name columns change."""
        self._detach()
        c, doc = self.compiled, self.document
        if change.racks:
            c.racks.names = [doc.racks[rack_id].label for rack_id in c.racks.ids]
        for device_id in change.devices:
            row = c.device_row.get(device_id)
            if row is not None:
                c.set_device_name(row, doc.devices[device_id].label)
        c.refresh_cables(self._rows(change.cables))
        self._publish()

    def _rows(self, cable_ids) -> np.ndarray:
        """The rows of these cables (ids; unknown ones skipped), ascending: a breakout's every leg."""
        c = self.compiled
        found = c.cable_index.rows_of(cable_ids)
        first = np.sort(found[found >= 0]).tolist()
        if not c.has_breakouts:
            return np.array(first, dtype=np.int64)
        return np.array([row + k for row in first for k in range(int(c.leg_count[row]))], dtype=np.int64)

    def _lay(self, fill: TrayFill, rows: np.ndarray, sign: int = 1) -> None:
        """Adds (sign 1) or takes away (-1) the cross-sections of the cables at `rows` in `fill`'s
        trays, as chosen now: a straight cable its product's, a breakout its trunk once or its
        every leg (model.breakout.tray_rows)."""
        if self.compiled.has_breakouts:
            rows, areas = tray_rows(self.compiled.leg, self.choice, rows, self.products)
        else:
            areas = self._areas(rows)
        fill.add(rows, areas, sign)

    def _adds_breakout(self, change: Change) -> bool:
        """Whether `change` makes a cable the columns hold a breakout of another number of legs
        (its end b made a list, or its legs changed); an added breakout is no such change."""
        if not change.structure:
            # A cable's ends change only with structure (Document.update_cable): a move or a pin
            # names its cables to re-route, not to look at (~0.5 ms a 10k drag step).
            return False
        cables, c = self.document.cables, self.compiled
        for cable_id in change.cables:
            cable = cables.get(cable_id)
            if cable is None or not isinstance(cable.b, list):
                continue
            row = c.cable_index.get(cable_id)
            if row is not None and int(c.leg_count[row]) != len(cable.b):
                return True
        return False

    def _racks_changed(self, rack_ids: set[str], moves_allowed: bool = False) -> bool:
        """Whether these racks differ from the columns; with `moves_allowed`, in more than place and facing."""
        racks = self.compiled.racks
        for rack_id in rack_ids:
            rack, i = self.document.racks[rack_id], racks.index[rack_id]
            top = rack.frame_top_mm(self.document.site.settings.rack_unit_mm)
            shape = (
                rack.width_mm,
                rack.depth_mm,
                rack.height_u,
                rack.manager_width_mm,
                rack.power_budget_w,
                top,
                rack.side_openings,
            )
            clearance = (rack.front_clearance_mm, rack.rear_clearance_mm)
            columns = (
                racks.width[i],
                racks.depth[i],
                racks.height_u[i],
                racks.manager[i],
                racks.budget[i],
                racks.top_z[i],
                racks.openings[i],
            )
            if shape != columns:
                return True
            if clearance != tuple(racks.clearance[i]):
                return True
            placed = (rack.x_mm, rack.y_mm, FACING_VECTORS[rack.facing])
            if not moves_allowed and placed != (racks.x[i], racks.y[i], tuple(racks.front[i])):
                return True
        return False

    def _move_racks(self, change: Change) -> None:
        """Racks moved or turned: new columns and tray joins, then only their cables re-routed."""
        # Ends are rack-local (a port's place in its rack): a move or turn of the rack keeps them,
        # so their ~15 MB of columns at 300,000 cables are shared, not copied, every drag step.
        self._detach(moves_only=True, ends=False)
        moved = [self.compiled.racks.index[r] for r in change.racks]
        self._place_racks(moved)
        offset = self.document.site.settings.max_drop_offset_mm
        self.routes.joins = rack_joins(self.compiled, self.network, offset, moved, self.routes.joins)
        self._reroute(self._rows(change.cables), new_pieces=True, ends_moved=False)

    def _place_racks(self, rows: list[int]) -> None:
        """The rack columns' place, facing and name at `rows` read again from the document (a move
        changes nothing else: `_racks_changed(moves_allowed=True)` said so). New arrays, as
        RackColumns.refresh makes, since a published result may share the old ones; reading
        every rack again was ~8 ms a drag step at 3,571 racks."""
        racks, by_id = self.compiled.racks, self.document.racks
        x, y, front = racks.x.copy(), racks.y.copy(), racks.front.copy()
        names = racks.names
        for row in rows:
            rack = by_id[racks.ids[row]]
            x[row], y[row], front[row] = rack.x_mm, rack.y_mm, FACING_VECTORS[rack.facing]
            if names[row] != rack.label:  # update_rack may rename a rack in the same edit
                names = names if names is not racks.names else list(names)
                names[row] = rack.label
        racks.x, racks.y, racks.front, racks.names = x, y, front, names
        racks.across = np.stack([front[:, 1], -front[:, 0]], axis=1) if len(front) else front

    def _move_devices(self, change: Change) -> None:
        self._detach(moves_only=True)
        c, cables = self.compiled, self._rows(change.cables)
        doc = self.document
        moved = {d: doc.devices[d] for d in change.devices if d in doc.devices}
        c.refresh_devices(moved, doc.device_rack)
        self._reroute(cables)

    def _recheck_cables(self, cable_ids: set[str]) -> None:
        self._detach()
        rows = self._rows(cable_ids)
        self.compiled.refresh_cables(rows)
        self._reroute(rows)

    def _detach(self, moves_only: bool = False, ends: bool = True) -> None:
        """Before changing columns in place: if `result` holds them, work on copies from now on.

        `moves_only`: the edit moves racks or devices and changes no cable's ends, pins or label,
        so the per-cable and per-end columns it never writes (structure_edits.CABLE_COLUMNS and
        END_COLUMNS) stay shared with the published result: at 300,000 cables copying their
        five lists was ~14 ms of every drag step. `ends` False: the rack-local end columns are
        shared too (a move of racks)."""
        if not self._published:
            return
        if moves_only:
            shared = {name: getattr(self.compiled, name) for name in MOVES_KEEP}
            self.compiled = copy.copy(self.compiled)
            for name in MOVES_KEEP:
                setattr(self.compiled, name, None)  # not copied: put back below
            self.compiled = self.compiled.clone(ends=ends)
            for name, value in shared.items():
                setattr(self.compiled, name, value)
        else:
            self.compiled = self.compiled.clone()
        self.routes = self.routes.clone(self.compiled)
        self.choice = clone_columns(self.choice)
        self.fill = self.fill.clone(self.routes)
        self.fill_moved = self.fill_moved.copy()
        self._groups = dict(self._groups)
        self._published = False

    def _reroute(self, cables: np.ndarray, new_pieces: bool = False, ends_moved: bool = True) -> None:
        """Re-routes and re-selects `cables`; `new_pieces` when racks now drop into trays elsewhere;
        `ends_moved` False when their ends stayed where they are in their racks (a rack moved)."""
        before = self.fill.used_mm2()
        self._lay(self.fill, cables, -1)
        if ends_moved:
            self.compiled.refresh_ends(np.concatenate([2 * cables, 2 * cables + 1]))
        self.routes.update(cables)
        self.fill_moved[cables] = False
        self._select(cables)
        if new_pieces:
            # Trays are cut into pieces where racks drop in: a moved rack cuts them elsewhere,
            # so the pieces are recut, the other cables' sums carried over (TrayFill.recut).
            self.fill = self.fill.recut(self.routes)
            self._lay(self.fill, cables)
            self._relieve_fill()
        else:
            self._lay(self.fill, cables)
            # Only pieces this edit changed can need relief; the rest were settled before.
            self._relieve_fill(only=np.abs(self.fill.used_mm2() - before) > 1e-9)
        self.incremental_runs += 1
        self._publish(self._racks_rechosen(cables))

    def _racks_rechosen(self, cables: np.ndarray) -> np.ndarray | None:
        """Rack rows (ascending) whose figures an edit that kept every cable row may have changed:
        the racks `cables` end in, before (the last published result's) and now (a moved device's
        cables may end in another rack), and those of every cable whose product or power differs
        from the last result's (fill relief may re-choose cables the edit did not name). None
        when there is no such result."""
        last = getattr(self, "result", None)
        if last is None or len(last.product_row) != len(self.choice.product):
            return None
        changed = np.flatnonzero((self.choice.product != last.product_row) | (self.choice.power != last.power_w))
        rows = np.union1d(changed, cables)
        return racks_of_rows(last.state.compiled, rows, self.compiled, rows)

    def _publish(self, touched_racks: np.ndarray | None = None) -> None:
        """Publishes the current columns as a new `result` and tells the listeners. `touched_racks`:
        after an edit, the rack rows (ascending) outside of which no rack's figures changed, so
        the new result works out only theirs (RackBasis); None when not known."""
        doc = self.document
        basis = None
        last = getattr(self, "result", None)
        if touched_racks is not None and last is not None and not self.links.links and not last.state.links.links:
            figures = last.__dict__.get("rack_figures")  # worked out (cached_property), else no basis
            if figures is not None and len(figures["cable_w"]) == len(self.compiled.racks.ids):
                basis = RackBasis(figures, touched_racks)
        self.result = AnalysisResult(
            AnalysisState(
                source=doc,
                revision=doc.revision,
                catalog=doc.catalog,
                settings=doc.site.settings,
                layout_name=doc.site.name,
                products=self.products,
                compiled=self.compiled,
                network=self.network,
                routes=self.routes,
                choice=self.choice,
                fill=self.fill,
                fill_moved=self.fill_moved,
                groups=dict(self._groups),
                links=self.links,
                rack_basis=basis,
            )
        )
        self._published = True
        for listener in list(self._listeners):
            listener(self.result)


def _split_key(key: int) -> tuple[int, float, int]:
    rest, lanes = divmod(key, 1000)
    connector, rate = divmod(rest, 10**10)
    return connector, rate / 1000, lanes


def analyse(document: Document) -> AnalysisResult:
    """One analysis of `document`, for the CLI, scripts and the scenarios the Compare panel
    analyses: the result snapshot (model.metrics.AnalysisResult). Raises what a full run
    raises (LayoutError for a layout the engine cannot route).

    The analysis stops listening to the document before it returns: the result refers to the
    document, whose listener would refer back to the analysis and so to the result, a cycle
    only the cyclic collector frees. The Compare panel dropped one such scenario at every
    edit (~23,000 objects with ~2.8 million list items at 300,000 cables), and the pass that
    freed it held the interpreter lock, and so the window, ~100 ms."""
    analysis = Analysis(document)
    document.unsubscribe(analysis._on_change)
    return analysis.result

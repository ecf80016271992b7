"""The floor plan's cable routes: computed in batches on an idle timer, drawn as bundles.

Zoomed out below CABLE_LOD no route is drawn (the trays' fill summarises them) and none is
computed either: cables wait in `pending` until the view zooms in.

Routes come from the analysis, many at a time (gui.scene.floor_plan.FloorPlanScene is a
RouteDrawing). A big hall routes its cables in batches sized to take about BATCH_S a turn of the event
loop, so the view stays usable while they appear; an edit re-routes only the cables it
touched. One CableBundleItem per (rack, medium) draws all its routes as one path.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from itertools import compress
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QRectF, QTimer
from PySide6.QtWidgets import QGraphicsScene

from gui.scene.floor_items import CableBundleItem, RackItem
from model.geometry.route_lines import route_polylines
from model.rows import RowShift, kept_rows
from model.selection import MEDIUM_NAMES

if TYPE_CHECKING:
    from gui.context import AppContext

BundleKey = tuple[str, str | None]  # (rack id of the cable's a end, medium or None for no product)

ROUTE_BATCH = 400  # cables routed per idle tick, at the least
MAX_BATCH = 20_000  # ... and at the most
# The time a batch may take: the window stays responsive while a hall fills in (the view's
# repaint after it, 20-30 ms zoomed into a 100k hall, comes on top). At 40 ms a batch, turns
# were 45-76 ms and the longest 0.12-0.15 s in some runs; at 25 ms they stay near 45-60 ms,
# every route of a 100k hall drawn in ~4.2 s instead of ~3.5 s (those in view first, ~0.06 s).
# 20 ms was tried (1 December): no shorter zoom-in freeze in the bench (0.07-0.09 s against
# 0.06-0.09 s), and an add at 10,000 accelerators, whose re-merged bundles then took more
# turns, went from 18 to 25-27 ms.
BATCH_S = 0.025
REORDER_S = 0.3  # while the view pans or zooms, the queue is put in its order again at most this often
COMMIT_EVERY_S = 0.3  # how often routes being filled in are shown
BUSY_RETRY_MS = 50
# The bundle "rack" of routes redrawn while a live drag moves: each step re-merges only them, not
# the far racks' bundles they also belong to (a leaf rack's thousands of routes, ~60 ms a step
# at 10k accelerators); they go back to their racks' bundles when the drag rests or ends.
LIVE = "\x00live"


def _kept_changed(old: np.ndarray, new: np.ndarray, gone: np.ndarray, added: np.ndarray) -> np.ndarray:
    """The k-th (ascending) of the rows kept where `old` without its `gone` rows and `new`
    without its `added` rows (both sorted) differ: np.flatnonzero(np.delete(old, gone) !=
    np.delete(new, added)), compared slice by slice between the rows that went or came
    (copying two columns of 300,000 for a delete of a few cables was ~0.5 ms an edit)."""
    kept = len(new) - len(added)
    # Where the k-th kept row's place shifts in either column: the runs between are slices.
    cuts = np.unique(np.concatenate([[0, kept], gone - np.arange(len(gone)), added - np.arange(len(added))]))
    cuts = cuts[(cuts >= 0) & (cuts <= kept)].tolist()
    out = []
    for start, end, at_old, at_new in zip(
        cuts,
        cuts[1:],
        kept_rows(np.array(cuts[:-1], dtype=np.int64), gone).tolist(),
        kept_rows(np.array(cuts[:-1], dtype=np.int64), added).tolist(),
    ):
        differ = np.flatnonzero(old[at_old : at_old + end - start] != new[at_new : at_new + end - start])
        if len(differ):
            out.append(differ + start)
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


class DrawnRoutes(Mapping[str, np.ndarray]):
    """Cable id -> the (corners, 2) floor points of its route as drawn (mm), read through its
    bundle: a dict of its own held 300,000 more entries (~20 MB) of the same arrays."""

    def __init__(self, drawing: RouteDrawing) -> None:
        self._drawing = drawing

    def __getitem__(self, cable_id: str) -> np.ndarray:
        drawing = self._drawing
        return drawing.bundles[drawing.cable_bundle[cable_id]].routes[cable_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._drawing.cable_bundle)

    def __len__(self) -> int:
        return len(self._drawing.cable_bundle)


class RouteDrawing(QGraphicsScene):
    """A scene's cable routes and their bundles; the subclass draws the selection over them
    (`_refresh_highlight`) and queues cables in `pending` as the document changes."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.document = context.document
        self.bundles: dict[BundleKey, CableBundleItem] = {}
        self.cable_bundle: dict[str, BundleKey] = {}
        self.routes = DrawnRoutes(self)  # cable id -> (corners, 2) floor x, y in mm, as drawn
        self.pending: set[str] = set()  # cable ids waiting to be routed
        self._touched: set[BundleKey] = set()  # bundles whose routes changed since the last commit
        self._commit_left = False  # a commit ran out of its turn's time: the rest of it comes next
        self._next_commit = 0.0
        self.cables_shown = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._route_some)
        self._batch = ROUTE_BATCH  # cables in the next batch, grown or shrunk to take about BATCH_S
        self._live: set[str] = set()  # cables drawn in the LIVE bundles
        self._view_rect: QRectF | None = None  # what the view shows, scene mm
        self._reorder = False  # the view moved since the queue was ordered
        self._queue_built = 0.0
        # The cables the last edit named and the row index last drawn from: an added or
        # removed device finds its rows from these instead of comparing every cable.
        # While a big hall fills in: the pending cables of the racks in view (None: to be found
        # again), taken first, then the others in the analysis' row order from `_scan` on.
        self._queue: list[str] | None = None
        self._scan_ids: list[str] | None = None  # the cable ids `_scan` walks (a result's)
        self._scan = 0
        self._edit_cables: set[str] | None = None
        # After an add or delete: the rows it changed in the last result and in the new one.
        self.edit_rows: tuple[np.ndarray, np.ndarray] | None = None
        self._seen_index: Mapping[str, int] | None = None
        context.documentChanged.connect(self._note_change)  # before the subclass's: connected first

    def _note_change(self, change) -> None:
        self._edit_cables = None if change.everything else set(change.cables)

    def _refresh_highlight(self) -> None:
        """Draws the selected cables over the routes; the scene knows what is selected."""
        raise NotImplementedError

    def _sync_cable_set(self, result, seen: tuple[list[str], np.ndarray] | None = None) -> None:
        """Cables came or went: drop the routes of the gone, queue the new and the recoloured.

        `seen`: the cable ids and medium codes last drawn from. When the cables that stayed
        are in the same order there (an added or removed device or cable keeps it), the
        recoloured are found by comparing the two code columns, not cable by cable."""
        edited, self._edit_cables = self._edit_cables, None
        index, self._seen_index = self._seen_index, result.index
        self.edit_rows = None
        if seen is not None and index is not None and edited is not None:
            if self._queue_edited(result, seen, index, edited):
                return
        now = set(result.cable_ids)
        if not self.cable_bundle:  # no route drawn (a layout just read): every cable waits, none to compare
            self.pending, self._queue = now, None
            # A batch sized by the last layout's routing took as long again here: after the
            # bench's 10,000-accelerator hall (5,882 cables a batch), zooming into the
            # 100,000's routed them in one turn of 0.12-0.14 s. It grows again from here.
            self._batch = ROUTE_BATCH
            return
        for cable_id in [c for c in self.cable_bundle if c not in now]:
            self._place_route(cable_id, None, None)
        self._commit_bundles()
        self.pending = {c for c in self.pending if c in now}
        if seen is not None and self._queue_changed(result, seen, now):
            return
        codes = result.medium_code.tolist()
        for row, cable_id in enumerate(result.cable_ids):
            key = self.cable_bundle.get(cable_id)
            if key is None or (key[1] != (result.medium_of(row) if codes[row] >= 0 else None)):
                self.pending.add(cable_id)

    def _queue_edited(
        self, result, seen: tuple[list[str], np.ndarray], index: Mapping[str, int], edited: set[str]
    ) -> bool:
        """After an edit that added or removed the cables `edited` (and kept the others in
        their order, as model.structure_edits does): drops the gone routes and queues the
        new and the recoloured, in numpy over the rows; O(edit) in Python, not O(cables).
        False (nothing done) when the rows do not line up that way.

        `seen`: the cable ids and medium codes last drawn from; `index`: their rows."""
        old_ids, old_codes = seen
        ids, now = result.cable_ids, result.index
        gone = [c for c in edited if c in index and c not in now]
        added = [c for c in edited if c in now and c not in index]
        gone_rows = np.sort(np.array([index[c] for c in gone], dtype=np.int64))
        added_rows = np.sort(np.array([now[c] for c in added], dtype=np.int64))
        # The order is kept by construction; a sample of rows guards that assumption cheaply.
        if RowShift.checked(old_ids, ids, gone_rows, added_rows) is None:
            return False
        for cable_id in gone:
            self._place_route(cable_id, None, None)
        self._commit_bundles()
        self.pending.difference_update(gone)
        # The codes of the cables that stayed, side by side (the i-th kept before and after).
        changed = _kept_changed(old_codes, result.medium_code, gone_rows, added_rows)
        recoloured = kept_rows(changed, added_rows)
        self.pending.update(added)
        self.pending.update(ids[row] for row in recoloured.tolist())
        # What changed, as rows before and after: the gone and recoloured, the added and recoloured.
        before = np.concatenate([np.array([index[c] for c in gone], dtype=np.int64), kept_rows(changed, gone_rows)])
        self.edit_rows = (before, np.concatenate([np.array([now[c] for c in added], dtype=np.int64), recoloured]))
        return True

    def _queue_changed(self, result, seen: tuple[list[str], np.ndarray], now: set[str]) -> bool:
        """Queues the cables with no route drawn and those whose medium changed since `seen`;
        False (nothing queued) when the cables that stayed are not in the same order."""
        old_ids, old_codes = seen
        stayed = np.fromiter((c in now for c in old_ids), dtype=bool, count=len(old_ids))
        was = set(old_ids)
        kept = np.fromiter((c in was for c in result.cable_ids), dtype=bool, count=len(result.cable_ids))
        if list(compress(old_ids, stayed.tolist())) != list(compress(result.cable_ids, kept.tolist())):
            return False
        rows = np.flatnonzero(kept)
        recoloured = rows[old_codes[stayed] != result.medium_code[rows]]
        self.pending.update(now.difference(self.cable_bundle))
        self.pending.update(result.cable_ids[row] for row in recoloured.tolist())
        return True

    def route_points(self, cable_id: str) -> np.ndarray:
        """Floor (x, y) corner points of one cable's route, from the analysis."""
        return self.routes_of([cable_id])[0]

    def routes_of(self, cable_ids: list[str]) -> list[np.ndarray]:
        """`route_points` of many cables, computed together (far faster than one by one)."""
        index = self.context.result.index
        return self._route_lines([index[c] for c in cable_ids])

    def _route_lines(self, rows: list[int]) -> list[np.ndarray]:
        """Per cable row of the analysis, its route's (corners, 2) floor points in mm: all
        cables' corners in one numpy pass (model.geometry.route_lines), each cable's array a
        view into it."""
        result = self.context.result
        compiled = result.state.compiled
        if not compiled.has_breakouts:
            corners, starts = route_polylines(result.state.routes, rows)
            xy = np.ascontiguousarray(corners[:, :2])
            bounds = starts.tolist()
            return [xy[s:e] for s, e in zip(bounds[:-1], bounds[1:])]
        from model.breakout import polylines_of  # only layouts with breakouts come here

        # A breakout is one path: its trunk once, end a to the split (model.breakout), then out
        # along each leg and back to the split: drawn with the code of one route.
        out = []
        for trunk, *legs in polylines_of(result, rows):
            parts = [trunk, *(leg + leg[-2::-1] if k < len(legs) - 1 else leg for k, leg in enumerate(legs))]
            out.append(np.array([p for part in parts for p in part], dtype=float).reshape(-1, 3)[:, :2])
        return out

    def _place_route(
        self,
        cable_id: str,
        medium: str | None,
        points: np.ndarray | None,
        rack: str | None = None,
    ) -> None:
        """Draws `points` as cable `cable_id`'s route (None: none) in the bundle of its a
        end's rack (`rack`, else looked up) and `medium`."""
        old = self.cable_bundle.pop(cable_id, None)
        if old is not None and old in self.bundles:
            self.bundles[old].set_route(cable_id, None)
            self._touched.add(old)
        if points is None:
            return
        if rack is None:
            rack = self.document.device_rack[self.document.cables[cable_id].a.partition(":")[0]].id
        bundle = self.bundles.get((rack, medium))
        if bundle is None:
            bundle = self.bundles[(rack, medium)] = CableBundleItem(medium, merged=rack != LIVE)
            bundle.key = (rack, medium)
            bundle.setVisible(self.cables_shown)
            self.addItem(bundle)
        bundle.set_route(cable_id, points)
        self._touched.add(bundle.key)
        # The bundle's own key, not a new tuple a cable: ~17 MB of a 300,000-cable hall drawn.
        self.cable_bundle[cable_id] = bundle.key

    def _route_some(self, limit: int | None = 0) -> None:
        """Routes and draws a batch of waiting cables: `limit` of them (None: all; 0: as many
        as take about BATCH_S), and asks for another turn while some wait."""
        if limit is not None and not self.cables_shown:
            return  # zoomed out the routes are not drawn: they wait for show_cables (a drag step costs no routing)
        # The document is ahead of the analysis until the worker is done; a floor being built
        # routes once its racks are there.
        if self.context.busy or (limit is not None and self._routing_waits()):
            self._timer.start(BUSY_RETRY_MS)
            return
        if limit is not None and self._commit_left:  # the last turn's bundles first
            self._commit_left = False
            self._commit_bundles(BATCH_S)
            self._commit_left = bool(self._touched)
            self._timer.start(0)
            return
        started = time.monotonic()
        result = self.context.result
        get = result.index.get  # one lookup a cable (the index is a mapping written in Python)
        found = [
            (c, row)
            for c in self._next_batch(result, self._batch if limit == 0 else limit)
            if (row := get(c)) is not None
        ]
        batch = [c for c, _row in found]
        row_list = [row for _c, row in found]
        rows = np.array(row_list, dtype=np.int64)
        if self.context.panels_wait():  # a live drag moves (the worker is not busy: checked above)
            racks = [LIVE] * len(batch)
            self._live.update(batch)
        else:
            compiled = result.state.compiled
            racks = [compiled.racks.ids[r] for r in compiled.ends.rack[2 * rows].tolist()]
        media = [None if code < 0 else MEDIUM_NAMES[code] for code in result.medium_code[rows].tolist()]
        # Cables staying in their bundle (every step of a drag after the first) are set in bulk.
        same: dict[BundleKey, tuple[list, list]] = {}
        cable_bundle, bundles = self.cable_bundle, self.bundles
        for cable_id, rack, medium, points in zip(batch, racks, media, self._route_lines(row_list)):
            key = (rack, medium)
            if cable_bundle.get(cable_id) == key and key in bundles:
                ids, all_points = same.setdefault(key, ([], []))
                ids.append(cable_id)
                all_points.append(points)
            else:
                self._place_route(cable_id, medium, points, rack)
        for key, (ids, all_points) in same.items():
            bundles[key].set_routes(ids, all_points)
            self._touched.add(key)
        if limit == 0 and len(batch) == self._batch:  # as many a turn as fit in BATCH_S (speed and load vary)
            spent = max(time.monotonic() - started, 1e-3)
            self._batch = int(min(MAX_BATCH, max(ROUTE_BATCH, self._batch * BATCH_S / spent)))
        # While a big hall fills in, a bundle redraws a few times a second, not per batch:
        # re-merging a spine rack's thousand routes after every 400 would be quadratic.
        if limit is None:
            self._commit_bundles()
            self._commit_left = False  # what an earlier turn left is committed too
        elif not self.pending or time.monotonic() > self._next_commit:
            self._commit_bundles(max(BATCH_S - (time.monotonic() - started), BATCH_S / 4))
            self._commit_left = bool(self._touched)
        if self.pending or self._commit_left:
            self._timer.start(0)
        else:
            self._refresh_highlight()

    def _routing_waits(self) -> bool:
        """Whether routing waits a little (the subclass: while its floor is being built)."""
        return False

    def settle_live(self) -> None:
        """After a live drag rests or ends: the routes it redrew go back from the LIVE
        bundles to their racks' bundles, each of those merged once."""
        live, self._live = self._live, set()
        for cable_id in live:
            key = self.cable_bundle.get(cable_id)
            if key is None or key[0] != LIVE:
                continue
            bundle = self.bundles[key]
            self._place_route(cable_id, key[1], bundle.routes[cable_id])
        if live:
            self._commit_bundles()

    def _next_batch(self, result, limit: int | None) -> list[str]:
        """Takes up to `limit` cables (all when None) out of `pending`: first those of the
        racks in view (`set_view_rect`), then the rest in the analysis' row order (a rack's
        cables come together, so each bundle is merged a few times while a hall fills in,
        not after every batch). Drops pending cables the analysis lacks. The row order is
        walked from where the last batch stopped: a batch costs its own size, not a pass
        over every cable (ordering 300,000 at once held the window ~0.5 s on a zoom in)."""
        pending = self.pending
        if limit is None or len(pending) <= limit:  # those the analysis lacks are dropped by the caller
            every = list(pending)
            pending.clear()
            return every
        if self._queue is None or (self._reorder and time.monotonic() > self._queue_built + REORDER_S):
            seen = self.cables_in_view()
            index = result.index
            self._queue = sorted((c for c in seen if c in pending and c in index), key=index.__getitem__, reverse=True)
            self._reorder, self._queue_built = False, time.monotonic()
        batch: list[str] = []
        queue = self._queue
        while queue and len(batch) < limit:
            cable_id = queue.pop()
            if cable_id in pending:
                pending.discard(cable_id)
                batch.append(cable_id)
        ids = result.cable_ids
        if self._scan_ids is not ids:
            self._scan_ids, self._scan = ids, 0
        wrapped = False
        while len(batch) < limit:
            if self._scan >= len(ids):
                if wrapped:  # a whole pass found none: what is left is not in the analysis
                    pending.clear()
                    break
                wrapped, self._scan = True, 0  # cables queued again behind the walk
                continue
            end = min(len(ids), self._scan + 4 * limit)
            for row in range(self._scan, end):
                cable_id = ids[row]
                if cable_id in pending:
                    pending.discard(cable_id)
                    batch.append(cable_id)
                    if len(batch) == limit:
                        end = row + 1
                        break
            self._scan = end
        return batch

    def set_view_rect(self, rect: QRectF) -> None:
        """The part of the floor the view shows (scene mm): its racks' cables are routed before
        the others (a zoom into a 100k hall draws what it shows first)."""
        if rect != self._view_rect:
            self._view_rect = QRectF(rect)
            self._reorder = bool(self.pending)

    def cables_in_view(self) -> set[str]:
        """Ids of the cables with an end in a rack the view shows (none before it says what it shows)."""
        if self._view_rect is None or not self.cables_shown:
            return set()
        racks = {i.rack_id for i in self.items(self._view_rect) if isinstance(i, RackItem) and not i.retired}
        return {c.id for rack_id in racks for c in self.document.cables_of_rack(rack_id)}

    def routes_waiting(self) -> bool:
        """Whether routes the zoom shows are still to be drawn (routed, or merged into their bundles)."""
        return self.cables_shown and (bool(self.pending) or self._commit_left)

    def in_view_pending(self) -> bool:
        """Whether a cable of a rack in view still waits to be routed (zoomed out: none is shown)."""
        return self.cables_shown and bool(self.pending) and not self.pending.isdisjoint(self.cables_in_view())

    def _commit_bundles(self, budget_s: float | None = None) -> None:
        """Redraws the bundles whose routes changed; with `budget_s`, those that fit in about
        that long (the rest stay in `_touched` for the next turn: a 100k hall's batch touched
        bundles of thousands of routes each, ~0.4 s to merge them all at once)."""
        started = time.monotonic()
        touched = self._touched
        while touched:
            key = touched.pop()
            bundle = self.bundles.get(key)
            if bundle is None:
                continue
            if bundle.routes:
                bundle.commit()
            else:
                self.removeItem(self.bundles.pop(key))
            if budget_s is not None and time.monotonic() - started > budget_s:
                break
        # At most a fifth of the time goes to redrawing half-filled bundles.
        spent = time.monotonic() - started
        self._next_commit = time.monotonic() + max(COMMIT_EVERY_S, 4 * spent)

    def show_cables(self, shown: bool) -> None:
        """Zoomed out below CABLE_LOD routes are smudges: hidden, they cost the painter nothing,
        and cables waiting to be routed wait until they are shown again (opening a 100k hall
        or dragging a rack there routes nothing until the designer zooms in)."""
        if shown != self.cables_shown:
            self.cables_shown = shown
            for bundle in self.bundles.values():
                bundle.setVisible(shown)
            if shown and self.pending:
                self._timer.start(0)

    def flush_routes(self) -> None:
        """Routes every waiting cable now (tests, printing)."""
        self._timer.stop()
        self._route_some(None)

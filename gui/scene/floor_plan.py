"""The floor plan: the hall from above, mirroring the document and its analysis.

Racks, trays, aisles and fill are items kept in step with the document's change events;
the cable routes are gui/scene/floor_routes.py's (drawn in batches, as bundles).
"""

from __future__ import annotations

import math
import time
import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QLineF, QObject, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QWidget

from gui.context import Selected
from gui.floor_drags import MoveRacksDrag, PlaceRack
from gui.mime import RACK_TYPE_MIME
from gui.release import let_go
from gui.scene.floor_items import (
    CABLE_LOD,
    AisleItem,
    CableBundleItem,
    HighlightItem,
    RackItem,
    TrayFillItem,
    TrayItem,
)
from gui.scene.floor_media import TrayMediaItem
from gui.scene.floor_overlays import RULER_PX, FloorLegend, Ruler, ScaleBar
from gui.scene.floor_overview import OVERVIEW_LOD, OverviewItem
from gui.scene.floor_routes import RouteDrawing
from gui.scene.views import ZoomableView
from gui.turns import leave, my_turn, watch_turns
from model.defaults import default
from model.selection import MEDIUM_NAMES
from model.tray_media import carry_counts, piece_media_counts

if TYPE_CHECKING:
    from gui.context import AppContext

GRID_MIN_PX = 8  # grid lines closer than this on screen are left out
# A rack narrower than this on screen is picked by a click even where a cable crosses it:
# zoomed out, a click means the rack (the cables in it are a smudge of hair-lines).
RACK_PICK_PX = 60
# Opaque grid colours (black at 6 % and 13 % over the floor, blended ahead): opaque
# hair-lines fill pixels, translucent ones blend each, several times slower on a big hall.
FLOOR, FLOOR_GRID, FLOOR_GRID_MAJOR = QColor("#fcfcfb"), QColor("#ececeb"), QColor("#dadad9")
HIT_PX = 5  # how near (screen pixels) a click must be to a cable to pick it
FLOOR_WAIT_MS = 50  # how often the floor, held back by a live drag, looks whether it may catch up
FILL_SAME = 1e-6  # tray pieces' figures (cables, mm², mm) this close (or this share apart) are unchanged
MAX_HIGHLIGHT = 2000
MEDIA_STEP_S = 0.03  # the lanes by medium are worked out in steps of about this long a turn
MEDIA_CHUNK = 15_000  # cables counted at a time (50,000, the model's default, took 40-60 ms at 100k)
MEDIA_DELAY_MS = 500  # after an edit they wait this long for the next (a burst of edits counts once)
LANES_EDIT_MAX = 20_000  # an edit of more cables than this works the lanes out afresh
# A floor of more racks, trays and tray pieces than this (a file just read) is built in slices
# of about BUILD_STEP_S a turn of the event loop: building a 100k hall's 3,500 racks and 8,000
# fill pieces at once held the window ~1 s (a 10k hall's 1,200 items ~0.1 s). Smaller floors
# are built at once. Each turn also paints what the slice added (~20 ms at 100k) and may run a
# young collection (~19 ms): slices of 30 ms and fill chunks of 250 pieces (5-24 ms) made
# turns of 45-67 ms, and now and then one over 100 ms; 20 ms and 100 pieces keep them near
# 45 ms, the whole floor still drawn in ~0.6 s.
BUILD_AT_ONCE = 1_000
RETIRE_STEP = 1_000  # the last layout's items taken from the scene a step of the build (~3 ms)
BUILD_STEP_S = 0.02
FILL_CHUNK = 100  # tray pieces made into fill items at a time
FILL_AT_ONCE = 400  # an analysis that changed the fill of more pieces than this redraws them in slices
LIVE_ROUTE_NOW = 5_000  # a live drag step re-routing at most this many cables does it at once


class FloorPlanScene(RouteDrawing):
    built = Signal()  # a sliced rebuild has made every item
    sliced = Signal()  # a slice of a sliced rebuild is made: more racks and trays have items

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(context, parent)
        self.racks: dict[str, RackItem] = {}
        self.trays: dict[str, TrayItem] = {}
        self.fills: dict[str, TrayFillItem] = {}
        self._retired: list[RackItem | TrayItem | TrayFillItem] = []  # the last layout's, leaving as the build starts
        self.aisles = (AisleItem(hot=False), AisleItem(hot=True))
        for aisle in self.aisles:
            self.addItem(aisle)
        self.highlight = HighlightItem()
        self.addItem(self.highlight)
        self.overview = OverviewItem(lambda: (self.trays.values(), self.fills.values(), self.racks.values()))
        self.addItem(self.overview)
        self._overview_selected: set = set()  # the racks and trays the overview last drew selected
        # Zoomed out, the routes are lanes along the trays by medium (gui.scene.floor_media).
        self.media = TrayMediaItem()
        self.addItem(self.media)
        self._media_job: tuple | None = None  # (the result it works on, its steps)
        # The result the lanes show, by identity only: held, it kept a whole snapshot's columns
        # (~45 MB at 100k accelerators) alive for as long as the view stayed zoomed in, and
        # the first steps of a drag there faulted in a third set of them.
        self._media_ref: weakref.ref | None = None
        self._media_counts = np.zeros((0, 0), dtype=np.int64)  # what they show: cables by medium per piece
        self._media_look: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # pieces' ends, widths, media drawn
        self._previous_result: Any = None  # the analysis last drawn from
        self._media_timer = QTimer(self)
        self._media_timer.setSingleShot(True)
        self._media_timer.timeout.connect(self._media_step)
        self._syncing = False
        self._rerouted: set[str] = set()  # cables the last edit named (re-routed, maybe elsewhere)
        self._drawn_over: set[str] = set()  # the racks last drawn over their power budget
        self._seen: tuple[list[str], np.ndarray] | None = None  # cable ids and media last drawn from
        self._fill_seen: tuple[dict, np.ndarray] | None = None  # the fill items and piece figures last drawn
        self._fill_piece: dict[int, str] = {}  # tray piece -> the id of its fill item
        self._fill_left: list[int] = []  # tray pieces whose items are still to redraw (_fill_some)
        self._fill_result: Any = None  # the analysis they are redrawn from
        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.timeout.connect(self._fill_some)
        # While a live drag moves a rack, the aisles, the trays' fill and the racks' budget colours
        # (~20 ms a step at 10k accelerators, ~0.1 s at 100k) catch up when it rests or ends.
        self._aisles_stale = self._fill_stale = False
        self._floor_wait = QTimer(self)
        self._floor_wait.setSingleShot(True)
        self._floor_wait.setInterval(FLOOR_WAIT_MS)
        self._floor_wait.timeout.connect(self._catch_up_floor)
        self._aisles_left: list[bool] = []  # the aisles (hot or not) still to redraw after racks moved
        self._aisle_timer = QTimer(self)
        self._aisle_timer.setSingleShot(True)
        self._aisle_timer.timeout.connect(self._aisle_step)
        self._build: Iterator[None] | None = None  # the steps left of a sliced build (rebuild)
        self._analysis_waits = False  # a sliced rebuild has not taken the analysis in yet
        self._planned = QRectF()  # what the hall being built covers
        self._content = QRectF()  # what the scene rect was last grown around
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.timeout.connect(self._build_some)
        watch_turns()  # its slices share a turn with the panels' and the overview's
        context.documentChanged.connect(self._on_document_changed)
        context.analysisUpdated.connect(self._on_analysis)
        context.selectionChanged.connect(self._on_context_selection)
        self.selectionChanged.connect(self._on_scene_selection)
        self.rebuild()

    # ---- mirroring the model -------------------------------------------------------
    def _drop_routes(self) -> None:
        """Every route item gone, and the last analysis drawn forgotten: the next one queues
        every cable (`_sync_cable_set`) and works the lanes by medium out afresh, as cables may
        run through other tray pieces now without changing medium."""
        for item in self.bundles.values():
            self.removeItem(item)
        # Freed in slices (gui.release): a 100k hall's lookups and items took ~0.1 s at once.
        let_go(self.bundles, self.cable_bundle, self._seen)
        self.bundles, self.cable_bundle, self._seen = {}, {}, None
        self._live, self._touched = set(), set()

    def rebuild(self) -> None:
        """Every item made again from the document and its analysis: at once for a small
        floor, else in slices on the event loop (`building`; the racks, trays and fill first,
        then the aisles, then the overview's tiles), the routes queued meanwhile."""
        self._build = None
        self._build_timer.stop()
        self._drop_routes()
        # The last layout's items leave the scene in the build's first slices, not in the turn
        # that swapped the layouts (12,500 at 100,000 accelerators: ~40 ms). Until then they
        # are drawn as they were and `retired`: no lookup or pick takes them for the new layout's.
        old: list[RackItem | TrayItem | TrayFillItem] = [*self.racks.values(), *self.trays.values()]
        old += self.fills.values()
        for item in old:
            item.retired = True
        self._retired += old
        let_go(self.racks, self.trays, self.fills, self._fill_piece)
        self.racks, self.trays, self.fills = {}, {}, {}
        self._fill_seen, self._fill_piece = None, {}
        self._fill_left, self._fill_result = [], None
        self._fill_timer.stop()
        # The last layout's lanes go too (drawn again when zoomed out): kept, their bounds held
        # the old hall, which a fit or a drawing export then took in.
        self.media.set_lanes(np.zeros((0, 4)), np.zeros(0), np.zeros((0, len(MEDIUM_NAMES))))
        self._media_look, self._media_ref = None, None
        site, pieces = self.document.site, self.context.result.state.fill.piece_count
        steps = self._build_steps()
        self.overview.hold(True)  # grouped once, when every item is there
        if len(site.racks) + len(site.trays) + pieces <= BUILD_AT_ONCE:
            for _ in steps:
                pass
        else:
            self._build = steps
            self._planned = self._hall_rect()
            self._grow_scene_rect(self._planned)
            self._build_timer.start(0)
            # The routes are queued in the build's first slice: a set of a 100k hall's 300,000
            # cable ids was ~30 ms of the turn that shows the file just read.
            self._analysis_waits = True
            return
        self._on_analysis(self.context.result)  # the routes queued (the fill waits for the build)

    def _hall_rect(self) -> QRectF:
        """What the document's racks (with their aisles) and trays cover, floor mm."""
        aisle = max(default("room", "cold_aisle_mm"), default("room", "hot_aisle_mm"))
        # The footprints the document keeps as columns (model.rules.RackFloor): a fit walked
        # every rack in Python again, and a fitted view fits at every resize.
        floor = self.document.rack_floor()
        xs, ys = [], []
        if len(floor.low_x):
            xs = [float(floor.low_x.min()) - aisle, float(floor.high_x.max()) + aisle]
            ys = [float(floor.low_y.min()) - aisle, float(floor.high_y.max()) + aisle]
        for tray in self.document.site.trays:
            xs += [p[0] for p in tray.points]
            ys += [p[1] for p in tray.points]
        if not xs:
            return QRectF()
        return QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys)))

    def content_rect(self) -> QRectF:
        """What a view fits to: the hall (its racks with their aisles, and its trays), planned
        while a sliced rebuild makes its items. Not the items' bounds: right after another
        layout is opened they still hold the last one's aisles and overview for a turn or two,
        and a view fitted then showed the new hall as a speck in the old one."""
        if self._build is not None:
            return self._planned
        hall = self._hall_rect()
        return hall if not hall.isEmpty() else self.itemsBoundingRect()

    @property
    def building(self) -> bool:
        """Whether a sliced rebuild is still making the floor's items."""
        return self._build is not None

    def _routing_waits(self) -> bool:
        return self.building

    def finish_build(self) -> None:
        """Makes what is left of a sliced rebuild now (tests, a lookup of an item not made yet)."""
        if self._build is not None:
            self._build_timer.stop()
            steps, self._build = self._build, None
            for _ in steps:
                pass
            self.sliced.emit()

    def _build_some(self) -> None:
        """Works on the sliced rebuild for BUILD_STEP_S, then yields to the event loop."""
        if self._build is None:
            leave(self._build_timer)
            return
        if not my_turn(self._build_timer):  # a panel's refresh or another slice goes first
            self._build_timer.start(0)
            return
        started = time.monotonic()
        for _ in self._build:
            if time.monotonic() - started > BUILD_STEP_S:
                self._build_timer.start(0)
                self.sliced.emit()
                return
        self._build = None
        self.sliced.emit()

    def _build_steps(self) -> Iterator[None]:
        """The rebuild, a step at a time: each rack and tray, the fill a chunk of pieces at a
        time, each aisle, then the overview's tiles (gui.scene.floor_overview)."""
        site = self.document.site
        while self._retired:
            # Last made first: Qt takes each from the end of its list of top-level items rather
            # than moving the rest down (~40 -> ~28 ms for 12,500).
            chunk = self._retired[-RETIRE_STEP:]
            del self._retired[-RETIRE_STEP:]
            for item in reversed(chunk):
                self.removeItem(item)
            del chunk
            yield
        if self._analysis_waits:
            self._analysis_waits = False
            self._on_analysis(self.context.result)  # the routes queued
            yield
        for rack_id in [rack.id for rack in site.racks]:
            self._sync_rack(rack_id)
            yield
        for tray_id in [tray.id for tray in site.trays]:
            self._sync_tray(tray_id)
            yield
        # The selection, the fill and the budget colours of the latest analysis, each a step.
        self._on_context_selection(self.context.selection, regroup=False)
        yield
        result = self.context.result
        for start in range(0, result.state.fill.piece_count, FILL_CHUNK):
            self._fill_items(result.tray_fill_of(range(start, min(start + FILL_CHUNK, result.state.fill.piece_count))))
            yield
        self._fill_seen = (self.fills, result.tray_fill_figures)
        self._fill_stale = result is not self.context.result  # an edit came meanwhile: caught up below
        self._budget_colours(result)
        yield
        for hot in (False, True):
            self._refresh_aisle(hot)
            yield
        self._grow_scene_rect()
        yield
        self.overview.hold(False)
        self.overview.mark_dirty()
        self.overview.refresh()  # itself in slices, on a big floor
        yield
        sliced, self._build = self._build is not None, None  # what follows may redraw as after any edit
        self._catch_up_floor()
        if sliced:  # the view fits itself again in a turn of its own
            QTimer.singleShot(0, self, self.built.emit)

    def _sync_rack(self, rack_id: str) -> None:
        self._sync_item(self.racks, self.document.racks.get(rack_id), rack_id, RackItem)

    def _rack_place(self, rack_id: str) -> tuple | None:
        """Where rack `rack_id` is drawn and which way its front faces (None: not drawn)."""
        item = self.racks.get(rack_id)
        return None if item is None else (item.pos(), item.rect, item.front)

    def _sync_tray(self, tray_id: str) -> None:
        self._sync_item(self.trays, self.document.trays.get(tray_id), tray_id, TrayItem)

    def _sync_item(self, items: dict, thing, key: str, make) -> None:
        """The item for `key` made, refreshed or removed to match `thing` (None: gone)."""
        item = items.get(key)
        if thing is None:
            if item is not None:
                self.removeItem(items.pop(key))
        elif item is None:
            item = items[key] = make(thing)
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, self.overview.active)
            self.addItem(item)
        elif not item.refresh(thing):
            return  # drawn as it is (a device added or taken out): the overview's tile stands
        if item is not None:
            self.overview.mark_dirty(item)

    def _refresh_aisles(self) -> None:
        for hot in (False, True):
            self._refresh_aisle(hot)

    def _aisle_step(self) -> None:
        """Redraws the next aisle left to redraw; after the last, the scene grows to hold them
        (racks moved: they hold every rack; not a walk over every item, ~30 ms on a 100k hall)."""
        if self._aisles_left:
            self._refresh_aisle(self._aisles_left.pop(0))
        if self._aisles_left:
            self._aisle_timer.start(0)
            return
        rect = self._content.united(self.aisles[0].boundingRect()).united(self.aisles[1].boundingRect())
        if rect != self._content:
            self._grow_scene_rect(rect)

    def flush_aisles(self) -> None:
        """Redraws the aisles left to redraw now (tests)."""
        self._aisle_timer.stop()
        while self._aisles_left:
            self._aisle_step()

    def _refresh_aisle(self, hot: bool) -> None:
        width = default("room", "hot_aisle_mm" if hot else "cold_aisle_mm")
        self.aisles[hot].refresh(self.document.site.racks, width)

    def _grow_scene_rect(self, rect: QRectF | None = None) -> None:
        # Room around the hall so that zooming about the cursor and panning are never clamped.
        rect = self.itemsBoundingRect() if rect is None else rect
        self._content = QRectF(rect)
        margin = max(20_000.0, rect.width(), rect.height())
        self.setSceneRect(rect.adjusted(-margin, -margin, margin, margin))

    def _on_document_changed(self, change) -> None:
        if change.everything and change.settings and not change.structure:
            # The racks and trays stand as they were, and what the floor draws of them reads no
            # setting: only the routes go (any may run otherwise now), drawn again from the new
            # analysis. A rebuild of the 37,000 items of a 100k hall held the window ~50 ms.
            self._drop_routes()
            return
        if change.everything:
            self.rebuild()
            return
        before = {rack_id: self._rack_place(rack_id) for rack_id in change.racks}
        for rack_id in change.racks:
            self._sync_rack(rack_id)
        for tray_id in change.trays:
            self._sync_tray(tray_id)
        # A device added to or taken from a rack leaves the aisles as they were (redrawing
        # them costs ~0.1 s on a 100k-accelerator hall): only racks moved, turned, come or gone.
        if any(self._rack_place(rack_id) != place for rack_id, place in before.items()):
            self._aisles_stale = True
            self._catch_up_floor()
        self.pending |= change.cables
        self._rerouted = set(change.cables)  # their routes may have moved: the lanes follow them
        # A move or an edit of racks names their cables in the change (a drag step need not
        # look them up again); racks added or filled bring cables the change may not name.
        for rack_id in change.racks if change.structure or not change.cables else ():
            if rack_id in self.document.racks:
                self.pending |= {c.id for c in self.document.cables_of_rack(rack_id)}
        self.overview.refresh()

    def _on_analysis(self, result) -> None:
        if self._analysis_waits:  # a sliced rebuild's first slice takes the latest analysis
            return
        seen = self._seen
        edit_rows = None  # rows changed, before and after, when known
        if seen is not None and (result.cable_ids is seen[0] or result.cable_ids == seen[0]):
            # The same cables as last time (a drag step, a pin): redraw those whose medium changed.
            changed = np.flatnonzero(result.medium_code != seen[1])
            self.pending.update(result.cable_ids[row] for row in changed.tolist())
            if not self.cables_shown:  # the lanes follow the cables the edit re-routed, too
                index = result.index
                moved = [index[c] for c in self._rerouted if c in index]
                changed = np.union1d(changed, np.array(moved, dtype=np.int64))
            edit_rows = (changed, changed)
        else:
            self._sync_cable_set(result, seen)
            edit_rows = self.edit_rows
        self._rerouted = set()
        self._seen = (result.cable_ids, result.medium_code)
        previous, self._previous_result = self._previous_result, result
        if not self.cables_shown and edit_rows is not None and previous is not None:
            self._lanes_follow(previous, result, edit_rows)
        self._fill_stale = True
        self._catch_up_floor()
        if self.pending and self.cables_shown and self.context.panels_wait() and len(self.pending) <= LIVE_ROUTE_NOW:
            # A live drag step: its routes are drawn in the same turn as its racks, one repaint
            # of the view for both, not one for the racks and one more for their routes.
            self._timer.stop()
            self._route_some(None)
        elif self.pending:
            self._timer.start(0)
        self._refresh_highlight()
        if not self.cables_shown:  # the lanes follow a little later (at once when a file is read)
            self._media_timer.start(0 if self._media_ref is None else MEDIA_DELAY_MS)

    def _catch_up_floor(self) -> None:
        """Redraws what is out of date of the aisles, the trays' fill and the racks' budget
        colours, from the latest analysis; while a live drag moves, a little later instead."""
        if self._build is not None:
            return  # a sliced rebuild draws them from the latest analysis as it ends
        if self.context.panels_wait():
            self._floor_wait.start()
            return
        self.settle_live()
        if self._aisles_stale:  # each aisle in a turn of its own (~30 ms each on a 100k hall)
            self._aisles_stale = False
            self._aisles_left = [False, True]
            self._aisle_timer.start(0)
        if self._fill_stale:
            self._fill_stale = False
            result = self.context.result
            self._sync_fill(result)
            self._budget_colours(result)
            self.overview.refresh()

    def _budget_colours(self, result) -> None:
        """Each rack's item red or not as `result` has it over its power budget."""
        ids = result.rack_ids  # the rows over budget, not an object per rack (4,000 at 100k)
        over_budget = {ids[row] for row in result.racks_over_budget.tolist()}
        # Only racks red now or drawn red before can be wrong: an item is made not red, and only
        # this turns it red (a walk over every rack item was ~1.3 ms an edit at 100k).
        for rack_id in over_budget | self._drawn_over:
            item = self.racks.get(rack_id)
            if item is not None and (rack_id in over_budget) != item.over_budget:
                item.set_over_budget(rack_id in over_budget)
                self.overview.mark_dirty(item)
        self._drawn_over = over_budget

    def _sync_fill(self, result) -> None:
        # An edit changes the fill of a few tray pieces: only their items are redrawn, found
        # by comparing two results' piece figures (building all 8,000 pieces of a 100k hall
        # took ~0.3 s per edit). The items' dict tells whether a rebuild came in between.
        figures = result.tray_fill_figures
        seen, self._fill_seen = self._fill_seen, (self.fills, figures)
        if self._fill_left:  # the last result's pieces were not all redrawn: this one's all are
            seen, self._fill_left = None, []
        if seen is not None and seen[0] is self.fills and seen[1].shape == figures.shape:
            # Within a micron: used mm² is a running sum, so an edit early in it moves the
            # rounding of every later piece by ~1e-12 without changing its fill.
            same = np.isclose(seen[1], figures, rtol=FILL_SAME, atol=FILL_SAME)
            pieces = np.flatnonzero(~same.all(axis=1)).tolist()
            old = [self._fill_piece.pop(p) for p in pieces if p in self._fill_piece]
        else:
            pieces, old, self._fill_piece = list(range(len(figures))), list(self.fills), {}
        drawn = set(result.tray_piece_ids([p for p in pieces if figures[p, 0]]))
        for segment_id in [s for s in old if s not in drawn and s in self.fills]:
            self.overview.mark_dirty(self.fills[segment_id])
            self.removeItem(self.fills.pop(segment_id))
        # A few pieces at once; many (a rack of 1,392 cables deleted, a full re-analysis: every
        # piece of a 100k hall, ~0.2 s) FILL_CHUNK at a time, BUILD_STEP_S a turn.
        self._fill_result, self._fill_left = result, pieces
        self._fill_some(at_once=len(pieces) <= FILL_AT_ONCE)

    def _fill_some(self, at_once: bool = False) -> None:
        """Redraws the fill items of the pieces left (`_fill_left`) of the result being drawn,
        for BUILD_STEP_S (all `at_once`), then in a later turn of the event loop."""
        if not at_once and not my_turn(self._fill_timer):
            self._fill_timer.start(0)
            return
        started, result = time.monotonic(), self._fill_result
        while self._fill_left:
            chunk, self._fill_left = self._fill_left[:FILL_CHUNK], self._fill_left[FILL_CHUNK:]
            self._fill_items(result.tray_fill_of(chunk))
            if self._fill_left and not at_once and time.monotonic() - started > BUILD_STEP_S:
                self.overview.refresh()
                self._fill_timer.start(0)
                return
        leave(self._fill_timer)
        self._fill_result = None
        if not at_once:
            self.overview.refresh()

    def finish_fill(self) -> None:
        """Redraws now the fill items still waiting for a turn (tests, an export of the floor)."""
        if self._fill_left:
            self._fill_timer.stop()
            self._fill_some(at_once=True)
            self.overview.refresh()

    @property
    def fill_waiting(self) -> bool:
        """Whether fill items of the last analysis are still to be redrawn, a slice a turn."""
        return bool(self._fill_left)

    def _fill_items(self, segments) -> None:
        """Fill items made or refreshed for the tray pieces `segments` that carry cables."""
        for segment in segments:
            if not segment.cable_count:
                continue
            item = self.fills.get(segment.id)
            if item is None:
                item = self.fills[segment.id] = TrayFillItem(segment.id)
                item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, self.overview.active)
                self.addItem(item)
            self._fill_piece[int(segment.id.rpartition("#")[2])] = segment.id
            tray = self.document.trays.get(segment.tray_id)
            if item.refresh(segment, tray.width_mm if tray else 0.0):
                self.overview.mark_dirty(item)  # its band looks otherwise: its tile is grouped again

    # ---- selection -----------------------------------------------------------------
    def _on_scene_selection(self) -> None:
        if self._syncing:
            return
        picked = [i for i in self.selectedItems() if not getattr(i, "retired", False)]  # the last layout's: not these
        chosen = [Selected("rack", i.rack_id) for i in picked if isinstance(i, RackItem)]
        chosen += [Selected("tray", i.tray_id) for i in picked if isinstance(i, TrayItem)]
        others = [s for s in self.context.selection if s.kind not in ("rack", "tray")]
        self.context.set_selection(chosen + others if chosen else chosen)

    def _on_context_selection(self, selection, regroup: bool = True) -> None:
        self._syncing = True
        try:
            racks = {s.id for s in selection if s.kind == "rack"}
            trays = {s.id for s in selection if s.kind == "tray"}
            for rack_id, item in self.racks.items():
                item.setSelected(rack_id in racks)
            for tray_id, tray_item in self.trays.items():
                tray_item.setSelected(tray_id in trays)
        finally:
            self._syncing = False
        # The overview regroups the racks and trays selected or no longer (by the mouse or not).
        selected = {i for i in self.selectedItems() if isinstance(i, (RackItem, TrayItem)) and not i.retired}
        for changed in selected ^ self._overview_selected:
            self.overview.mark_dirty(changed)
        self._overview_selected = selected
        if regroup:
            self.overview.refresh()
            self._refresh_highlight()

    def show_cables(self, shown: bool) -> None:
        """As RouteDrawing.show_cables; zoomed out, the lanes by medium are brought up to date."""
        super().show_cables(shown)
        if not shown and self._media_drawn is not self.context.result:
            self._media_timer.start(0)

    @property
    def _media_drawn(self) -> Any:
        """The result the lanes show; None when never drawn or that result is gone (not the current one)."""
        return None if self._media_ref is None else self._media_ref()

    def lanes_waiting(self) -> bool:
        """Whether the lanes by medium shown zoomed out are behind the analysis."""
        return not self.cables_shown and self._media_drawn is not self.context.result

    def _media_step(self) -> None:
        """Works on the lanes by medium for MEDIA_STEP_S, then yields to the event loop."""
        result = self.context.result
        if self.cables_shown or self._media_drawn is result:
            self._media_job = None
            leave(self._media_timer)
            return
        if self.context.panels_wait():  # a live drag or a worker: later
            self._media_timer.start(FLOOR_WAIT_MS)
            return
        if not my_turn(self._media_timer):  # the floor's build or a panel goes first
            self._media_timer.start(0)
            return
        if self._media_job is None or self._media_job[0] is not result:
            self._media_job = (result, piece_media_counts(result.state, chunk=MEDIA_CHUNK), [None])
        started = time.monotonic()
        _result, steps, last = self._media_job
        for last[0] in steps:  # the counts so far: the last step's are complete
            if time.monotonic() - started > MEDIA_STEP_S:
                self._media_timer.start(0)
                return
        self._media_job = None
        counts = last[0]
        if counts is None:
            return
        self._set_lanes(result, counts)

    def lanes_now(self, run: Callable[[Callable[[], np.ndarray]], np.ndarray]) -> None:
        """Brings the lanes by medium up to date with the analysis at once (a drawing export),
        zoomed in or not: `run` calls the count of every cable by tray piece and medium and
        returns it (gui.background.run_with_progress: on a worker, behind the busy dialog;
        ~0.75 s at 100,000 accelerators). Returns nothing; raises what `run` raises."""
        result = self.context.result
        if self._media_drawn is result:
            return
        pieces = result.state.fill.piece_count

        def count() -> np.ndarray:
            counts = np.zeros((pieces, len(MEDIUM_NAMES)), dtype=np.int64)  # no cable in a tray: no yield
            for counts in piece_media_counts(result.state):  # noqa: B007 - the last yield is complete
                pass
            return counts

        self._media_job = None
        self._set_lanes(result, run(count))

    def _set_lanes(self, result, counts: np.ndarray) -> None:
        """Draws the lanes by medium of `result` from `counts` ((pieces, media) cables by medium)."""
        state = result.state
        fill = state.fill
        ends = np.asarray(result.tray_fill_figures[:, 2:6])
        widths = state.network.edge_width[fill.piece_edge[: fill.piece_count]]
        drawn = self._media_look
        if (
            drawn is not None
            and drawn[0].shape == ends.shape
            and drawn[2].shape == counts.shape
            and np.array_equal(drawn[0], ends)
            and np.array_equal(drawn[1], widths)
            and np.array_equal(drawn[2], counts > 0)
        ):
            # The same media in the same pieces (an edit of a few cables: a piece seldom loses its
            # last cable of a medium): the lanes stand as drawn, not made again with the hall's
            # lanes repainted (~3 ms and most of the floor's pixels at 100k accelerators).
            self._media_ref, self._media_counts = weakref.ref(result), counts.copy()
            return
        self.media.set_lanes(ends, widths, counts)
        self._media_look = (ends, widths, counts > 0)
        self._media_ref, self._media_counts = weakref.ref(result), counts.copy()

    def _lanes_follow(self, previous, result, edit_rows: tuple[np.ndarray, np.ndarray]) -> None:
        """An edit's cables in and out of the lanes by medium at once, when the lanes showed
        the analysis before it and the tray pieces stayed as they were (an add, a delete, a
        pin) or were cut elsewhere by moved racks (model.tray_media.carry_counts): a few
        cables counted, not 300,000. Otherwise the lanes are worked out again."""
        if self._media_drawn is not previous or len(edit_rows[0]) + len(edit_rows[1]) > LANES_EDIT_MAX:
            return
        before, after = previous.tray_fill_figures, result.tray_fill_figures
        if before.shape == after.shape and np.array_equal(before[:, 2:6], after[:, 2:6]):
            counts = self._media_counts.copy()
            # A delete brings no cable and an undo of it takes none: a count of no rows still
            # reads every cable's medium (~1.2 ms at 100k accelerators), so it is not asked for.
            if len(edit_rows[0]):
                counts -= list(piece_media_counts(previous.state, rows=edit_rows[0]))[-1]
            if len(edit_rows[1]):
                counts += list(piece_media_counts(result.state, rows=edit_rows[1]))[-1]
            self._set_lanes(result, counts)
        elif previous.state.network is result.state.network and np.array_equal(*edit_rows):
            # Racks moved: the same trays cut elsewhere, the same cables (a ghost drag's release
            # counted all 300,000 again at 100k accelerators, ~0.35 s of CPU).
            self._set_lanes(result, carry_counts(previous.state, result.state, self._media_counts, edit_rows[1]))

    def show_overview(self, shown: bool) -> None:
        """Zoomed out below OVERVIEW_LOD racks, trays and fill are painted in batches by the
        overview item (gui.scene.floor_overview); their own items stop painting but still
        answer clicks, tooltips and selection."""
        if shown == self.overview.active:
            return
        for item in [*self.racks.values(), *self.trays.values(), *self.fills.values()]:
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, shown)
        self.overview.set_active(shown)

    def highlighted_cables(self) -> tuple[str, ...]:
        return self.context.selected_cables(MAX_HIGHLIGHT)

    def _refresh_highlight(self) -> None:
        ids = self.highlighted_cables()
        # A route still waiting to be redrawn (zoomed out, routing waits) is drawn from the analysis.
        routes = [self.routes[c] if c in self.routes and c not in self.pending else self.route_points(c) for c in ids]
        self.highlight.show_routes(ids, routes)

    def cable_at(self, pos: QPointF, tolerance: float) -> str | None:
        area = QRectF(pos.x() - tolerance, pos.y() - tolerance, 2 * tolerance, 2 * tolerance)
        best = None
        for item in self.items(area):
            if isinstance(item, CableBundleItem):
                hit = item.nearest(pos.x(), pos.y(), tolerance)
                if hit and (best is None or hit[0] < best[0]):
                    best = hit
        return best[1] if best else None

    def rack_rect(self, rack_id: str) -> QRectF:
        if rack_id not in self.racks:
            self.finish_build()
        return self.racks[rack_id].sceneBoundingRect()


class FloorPlanView(ZoomableView):
    def empty_hint(self) -> str:
        if self.context.document.site.racks:
            return ""
        return "An empty floor. Press Add Rack, or drag a rack from the Library here; then drop devices into it."

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        plan = FloorPlanScene(context)
        super().__init__(plan, parent)
        self.plan = plan
        self.context = context
        self.setDragMode(ZoomableView.DragMode.RubberBandDrag)
        self.zoomChanged.connect(lambda zoom: self.scene().show_cables(zoom >= CABLE_LOD))
        self.zoomChanged.connect(lambda zoom: self.scene().show_overview(zoom < OVERVIEW_LOD))
        # Rulers sit in margins of their own, outside the viewport, as on a drawing's border.
        self.setViewportMargins(RULER_PX, RULER_PX, 0, 0)
        self.rulers = (Ruler(self, horizontal=True), Ruler(self, horizontal=False))
        self.scale_bar = ScaleBar(self)
        self.legend = FloorLegend(self)
        context.documentChanged.connect(lambda _change: self.refresh_hint())
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.valueChanged.connect(self._update_overlays)
        self.zoomChanged.connect(self._update_overlays)
        plan.built.connect(self._on_built)

    def content_rect(self) -> QRectF:
        return self.plan.content_rect()

    def _on_built(self) -> None:
        """A floor built in slices is whole now: fitted again if the view was fitted to it."""
        if self.follows_fit:
            self.fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        viewport = self.viewport().geometry()
        self.rulers[0].setGeometry(viewport.left(), viewport.top() - RULER_PX, viewport.width(), RULER_PX)
        self.rulers[1].setGeometry(viewport.left() - RULER_PX, viewport.top(), RULER_PX, viewport.height())
        self.scale_bar.place()
        self.legend.place()
        self._update_overlays()

    def _update_overlays(self, *_args) -> None:
        for overlay in (*self.rulers, self.scale_bar):
            overlay.update()
        self.plan.set_view_rect(self.mapToScene(self.viewport().rect()).boundingRect())

    def set_overlays_visible(self, rulers: bool | None = None, legend: bool | None = None) -> None:
        """Shows or hides the rulers (with their margins) and the legend (View menu)."""
        if rulers is not None:
            self.setViewportMargins(RULER_PX if rulers else 0, RULER_PX if rulers else 0, 0, 0)
            for ruler in self.rulers:
                ruler.setVisible(rulers)
            self.scale_bar.place()
            self.legend.place()
        if legend is not None:
            self.legend.setVisible(legend)

    def scene(self) -> FloorPlanScene:
        """The floor plan this view shows (QGraphicsView.scene() would say only 'a scene')."""
        return self.plan

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """The raised floor's tile grid (resources/defaults.yaml room.tile_mm, 600 mm), every
        tenth line darker: racks sit on tiles, and distances can be counted in tiles."""
        rect = QRectF(rect)
        painter.fillRect(rect, FLOOR)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # axis-aligned hair-lines
        zoom = self.zoom()
        tile = default("room", "tile_mm")
        for step, color in ((tile, FLOOR_GRID), (tile * 10, FLOOR_GRID_MAJOR)):
            if step * zoom < GRID_MIN_PX:
                continue
            pen = QPen(color, 0)
            painter.setPen(pen)
            x = math.floor(rect.left() / step) * step
            lines = []
            while x <= rect.right():
                lines.append(QLineF(x, rect.top(), x, rect.bottom()))
                x += step
            y = math.floor(rect.top() / step) * step
            while y <= rect.bottom():
                lines.append(QLineF(rect.left(), y, rect.right(), y))
                y += step
            painter.drawLines(lines)

    def press(self, event) -> bool:
        pos = self.mapToScene(event.position().toPoint())
        ctrl = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        rack = next(
            (i for i in self.items(event.position().toPoint()) if isinstance(i, RackItem) and not i.retired), None
        )
        small_rack = rack is not None and min(rack.rect.width(), rack.rect.height()) * self.zoom() < RACK_PICK_PX
        picks_cable = self.zoom() >= CABLE_LOD and not small_rack
        cable = self.scene().cable_at(pos, HIT_PX / self.zoom()) if picks_cable else None
        if cable is not None and not ctrl:
            self.context.set_selection([Selected("cable", cable)])
            return True
        if rack is None or ctrl:
            return False
        if not rack.isSelected():
            self.context.set_selection([Selected("rack", rack.rack_id)])
        moving = self.context.selected_ids("rack") or [rack.rack_id]
        self.interaction = MoveRacksDrag(self, self.context, moving, rack.rack_id, pos)
        return True

    drop_mime = RACK_TYPE_MIME

    def make_drop(self, type_id: str):
        if type_id not in self.context.document.catalog.racks:
            self.context.say(f"Unknown rack type {type_id!r}")
            return None
        return PlaceRack(self, self.context, type_id)

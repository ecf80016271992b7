"""The whole hall at a glance: racks, trays and tray fill drawn as a few batched paths.

Zoomed out below OVERVIEW_LOD a rack is a few pixels wide, and painting a 100,000-accelerator
hall item by item (3,500 racks, 6,000 fill pieces, 700 trays) took ~30 ms of CPU a scroll
step. There the items stop painting (ItemHasNoContents: they still answer clicks, tooltips
and selection) and one OverviewItem paints them all from paths grouped by how they look, in
tiles, cached as one picture at the current zoom. The paths are built from the items
themselves when something changed, so they show exactly what the items would.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from gui import colors
from gui.release import let_go
from gui.scene.floor_items import RACK_ALPHA, Z_RACK, RackItem, TrayFillItem, TrayItem
from gui.turns import leave, my_turn

OVERVIEW_LOD = 0.01  # px per mm: a 600 mm rack under 6 px wide
# Paths are cut into tiles this size: a scroll step paints the few it exposes, and an edit
# regroups the tile of each item it changed (a 20 m tile of a 100k hall held ~800 racks, trays
# and fill pieces, ~4.2 ms to regroup; a 10 m one ~200, ~1.3 ms; a full paint is no slower).
TILE_MM = 10_000.0
PEN_ROOM_MM = 1_000.0  # round what a tile's paths cover: a cosmetic pen's pixels, zoomed out
# Grouping more items than this again (a 100k hall: 12,000 racks, trays and fill pieces, ~0.1 s)
# is done in slices of about REGROUP_STEP_S a turn of the event loop, the tiles shown as built.
# A slice shares its turn with a scroll step's paint (~5 ms): 30 ms slices made the first steps
# of a whole-hall pan after zooming out 40 ms; a tile takes up to ~4 ms, so a slice stays ~10 ms.
REGROUP_AT_ONCE = 3_000
# Regrouping more tiles than this of items that changed (every rack of a 100k hall selected,
# or let go: 77 tiles, ~0.1 s) is done in slices the same way.
TILES_AT_ONCE = 16
REGROUP_STEP_S = 0.006
# The tiles built so far are shown at most this often: showing them changes the item's bounds,
# which throws its cached picture away (a full repaint, ~10 ms at 100k) at every slice otherwise.
REGROUP_SHOW_S = 0.1


def _pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCosmetic(True)
    return pen


class OverviewItem(QGraphicsItem):
    """Paints racks, trays and fill of the hall in batches while `active` (zoomed out)."""

    def __init__(
        self, sources: Callable[[], tuple[Iterable[TrayItem], Iterable[TrayFillItem], Iterable[RackItem]]]
    ) -> None:
        """`sources`: returns the trays, fill pieces and racks drawn, when the paths are rebuilt."""
        super().__init__()
        self.setZValue(Z_RACK)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # exposedRect
        # Zoomed out this far the whole hall is at most a screenful or two of pixels: kept as one
        # picture, a scroll step blits it and paints only the strip it exposes (~1 ms, not ~10).
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.active = False
        self._dirty = True  # everything is to be grouped again
        self._touched: set[QGraphicsItem] = set()  # items changed, added or removed since
        self._bounds = self._covers = QRectF()  # what it paints on show, what the paths cover
        # Per tile (column, row): what it covers, and its (path, pen or None, brush or None) painted in order.
        self.tiles: dict[tuple[int, int], tuple[QRectF, list[tuple[Shape, QPen | None, QColor | None]]]] = {}
        self._members: dict[tuple[int, int], set[QGraphicsItem]] = {}  # the items grouped in each tile
        self._tile_of: dict[QGraphicsItem, tuple[int, int]] = {}
        # Per item what it adds to its tile (see _parts), kept until it is marked changed: an
        # edit regroups a tile of ~250 items, and reading each one's look from Qt again was most
        # of the ~1.5 ms that took at 100k accelerators.
        self._parts: dict[QGraphicsItem, list[Part]] = {}
        self._sources = sources
        self._held = False  # a scene being built holds the grouping until its items are all there
        self._job: Iterator[None] | None = None  # the steps left of a sliced regrouping
        self._shown_at = 0.0  # when a sliced regrouping last showed the tiles built so far
        self._timer = QTimer()  # no parent: an item is no QObject; it lives as long as the item
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._regroup_some)
        self._pens = {
            (color.name(), width): _pen(color, width)
            for color, width in (
                (colors.SELECTION, 2),
                (colors.SELECTION, 3),
                (colors.TRAY_EDGE, 1),
                (colors.RACK_EDGE, 1),
            )
        }

    def mark_dirty(self, item: QGraphicsItem | None = None) -> None:
        """`item` changed, came or went (None: anything may have): its tile is grouped again by
        the next `refresh` while the overview is on show (an edit redoes a tile, not the hall)."""
        if item is None:
            self._dirty = True
            self._job = None  # a regrouping under way starts again from the items as they are now
            self._timer.stop()
            # Everything is grouped again from the items as they are then: no item is kept. Held
            # here, another layout opened kept the last one's floor items alive (all its racks,
            # trays and fill pieces: +10 MiB a reopen at 10,000 accelerators).
            let_go(self._parts, self._touched, self._members, self._tile_of)  # in slices: ~80 ms at once at 100k
            self._parts, self._touched, self._members, self._tile_of = {}, set(), {}, {}
        elif not self._dirty:  # (else grouped again whole anyway)
            self._touched.add(item)
            self._parts.pop(item, None)

    def hold(self, held: bool) -> None:
        """While `held`, `refresh` groups nothing (a scene building its items: once, at the end)."""
        self._held = held

    @property
    def grouping(self) -> bool:
        """Whether a sliced regrouping is under way (the tiles built so far are shown)."""
        return self._job is not None

    def refresh(self) -> None:
        """Groups again what changed, if the overview is on show: everything (when marked
        dirty) in slices if there is much of it, else at once."""
        if self._held or self._job is not None or not self.active or not (self._dirty or self._touched):
            return
        if self._dirty:
            trays, fills, racks = self._sources()
            items = [*trays, *fills, *racks]
            self._touched = set()
            steps = self._regroup(items)
            if len(items) <= REGROUP_AT_ONCE:
                for _ in steps:
                    pass
            else:
                self._job = steps
                self._timer.start(0)
                return
        else:
            tiles: set[tuple[int, int]] = set()
            for item in self._touched:
                old = self._tile_of.pop(item, None)
                if old is not None:
                    self._members[old].discard(item)
                    tiles.add(old)
                if item.scene() is None:
                    self._parts.pop(item, None)
                else:
                    key = _tile(item)
                    self._tile_of[item] = key
                    self._members.setdefault(key, set()).add(item)
                    tiles.add(key)
            self._touched = set()
            if len(tiles) > TILES_AT_ONCE:  # every rack selected or let go: a slice a turn
                self._job = self._tiles_steps(tiles)
                self._timer.start(0)
                return
            for _ in self._tiles_steps(tiles):
                pass
            return
        self._touched = set()
        self.update()

    def _tiles_steps(self, tiles: set[tuple[int, int]]) -> Iterator[None]:
        """Each of `tiles` grouped again, a step each. Only the tiles regrouped are painted again,
        where they were and where they are: a full update threw the whole hall's cached picture
        away (~10 ms of painting at 100k)."""
        for key in tiles:
            before = self.tiles[key][0] if key in self.tiles else None
            self._build_tile(key)
            if key in self.tiles:
                self.update(self.tiles[key][0])
            if before is not None:
                self.update(before)
            yield
        if self._update_bounds():
            self.update()

    def finish(self) -> None:
        """Groups what is left of a sliced regrouping now (tests)."""
        if self._job is not None:
            self._timer.stop()
            steps, self._job = self._job, None
            for _ in steps:
                pass
            self.refresh()

    def _regroup_some(self) -> None:
        if self._job is None:
            leave(self)
            return
        if not my_turn(self):  # other slices of work (the floor's, the panels') go first
            self._timer.start(0)
            return
        started = time.monotonic()
        for _ in self._job:
            if time.monotonic() - started > REGROUP_STEP_S:
                if started - self._shown_at > REGROUP_SHOW_S:
                    self._shown_at = started
                    self._update_bounds()
                    self.update()
                self._timer.start(0)
                return
        self._job = None
        self.refresh()  # what changed meanwhile
        self.update()

    def set_active(self, active: bool) -> None:
        """On (zoomed out: the items stop painting, see the module) or off."""
        if active != self.active:
            self.active = active
            if active and (self._dirty or self._touched):
                self.refresh()
            elif active:
                self.prepareGeometryChange()
                self._bounds = self._covers
            else:
                self.prepareGeometryChange()
                self._bounds = QRectF()  # off, it covers nothing (nor the scene's bounding rect)
            self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if not self.active:
            return
        exposed = option.exposedRect
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # a few pixels a rack: crisp and fast
        for covers, batches in self.tiles.values():
            if not covers.intersects(exposed):
                continue
            for shape, pen, brush in batches:
                painter.setPen(pen if pen is not None else Qt.PenStyle.NoPen)
                painter.setBrush(brush if brush is not None else Qt.BrushStyle.NoBrush)
                if isinstance(shape, QPainterPath):
                    painter.drawPath(shape)
                else:  # racks: axis-aligned rectangles, which the raster engine draws far faster than a path
                    painter.drawRects(shape)

    def _regroup(self, items: list[QGraphicsItem]) -> Iterator[None]:
        """Every one of `items` (trays, fill pieces, racks) into its tile, and every tile
        built, a step at a time."""
        self._members, self._tile_of, self.tiles = {}, {}, {}
        self._dirty = False
        for start in range(0, len(items), 500):
            for item in items[start : start + 500]:
                key = _tile(item)
                self._tile_of[item] = key
                self._members.setdefault(key, set()).add(item)
            yield
        for key in list(self._members):
            self._build_tile(key)
            yield
        self._update_bounds()

    def _update_bounds(self) -> bool:
        """What the tiles cover, as the item's bounds; True when that changed (a change of
        bounds throws the cached picture away)."""
        bounds = QRectF()
        for covers, _batches in self.tiles.values():
            bounds = bounds.united(covers)
        if bounds == self._covers and (bounds == self._bounds or not self.active):
            return False
        self.prepareGeometryChange()
        self._bounds = self._covers = bounds
        return True

    def _build_tile(self, key: tuple[int, int]) -> None:
        """The tile's items grouped by look: a path of the trays and fill pieces of each look,
        a list of rectangles of the racks of each look, in drawing order."""
        members = self._members.get(key, set())
        if not members:
            self.tiles.pop(key, None)
            self._members.pop(key, None)
            return
        shapes: dict[tuple, Shape] = {}
        looks: dict[tuple, tuple[int, QPen | None, QColor | None]] = {}
        parts = self._parts
        for item in members:
            made = parts.get(item)
            if made is None:
                made = parts[item] = self._parts_of(item)
            for look, order, pen, brush, part in made:
                if look not in shapes:
                    shapes[look] = [] if isinstance(part, QRectF) else _winding()
                    looks[look] = (order, pen, brush)
                shape = shapes[look]
                if isinstance(shape, list) and isinstance(part, QRectF):  # racks: rectangles
                    shape.append(part)
                elif isinstance(shape, QPainterPath) and isinstance(part, QPainterPath):
                    shape.addPath(part)
        ordered = sorted(shapes.items(), key=lambda entry: looks[entry[0]][0])
        covers = QRectF()
        for _look, shape in ordered:  # a long tray reaches past its tile
            covers = covers.united(shape.boundingRect() if isinstance(shape, QPainterPath) else _union(shape))
        # A cosmetic pen's few pixels are several metres zoomed out: painted wherever they show.
        covers = covers.adjusted(-PEN_ROOM_MM, -PEN_ROOM_MM, PEN_ROOM_MM, PEN_ROOM_MM)
        self.tiles[key] = (covers, [(shape, looks[look][1], looks[look][2]) for look, shape in ordered])

    def _parts_of(self, item: QGraphicsItem) -> list[Part]:
        """What `item` adds to its tile as it looks now: (look, drawing order, pen, brush, its
        rectangle or path in scene mm) for each shape, grouped with the others of that look."""
        if isinstance(item, RackItem):
            selected = item.isSelected()
            pen = self._pens[(colors.SELECTION.name(), 3) if selected else (colors.RACK_EDGE.name(), 1)]
            fill = QColor(colors.RACK_OVER_BUDGET if item.over_budget else colors.RACK_FILL)
            fill.setAlpha(RACK_ALPHA)
            return [
                (
                    ("rack", item.over_budget, selected),
                    3 if selected else 2,
                    pen,
                    fill,
                    item.rect.translated(item.pos()),
                ),
                (("front",), 4, None, colors.RACK_FRONT, item.front.translated(item.pos())),
            ]
        if isinstance(item, TrayItem):
            selected = item.isSelected()
            pen = self._pens[(colors.SELECTION.name(), 2) if selected else (colors.TRAY_EDGE.name(), 1)]
            return [(("tray", selected), 0, pen, item.brush().color(), item.path())]
        if isinstance(item, TrayFillItem):
            color = item.brush().color()
            return [(("fill", color.rgba()), 1, None, color, item.path())]
        return []


def _tile(item: QGraphicsItem) -> tuple[int, int]:
    centre = item.sceneBoundingRect().center()
    return (math.floor(centre.x() / TILE_MM), math.floor(centre.y() / TILE_MM))


Shape = QPainterPath | list[QRectF]
Part = tuple[tuple, int, QPen | None, QColor | None, QRectF | QPainterPath]


def _winding() -> QPainterPath:
    """A path whose overlapping pieces (two fill bands meeting) are filled once, not cancelled."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    return path


def _union(rects: list[QRectF]) -> QRectF:
    if not rects:
        return QRectF()
    return QRectF(
        QPointF(min(r.left() for r in rects), min(r.top() for r in rects)),
        QPointF(max(r.right() for r in rects), max(r.bottom() for r in rects)),
    )

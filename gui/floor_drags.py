"""Drags on the floor plan: a rack type from the library, racks moved (with live re-routing).

Snapping (into a row's slots, else to the grid) and the overlap check are
model.placement's, shared with Insert ▸ Rack and paste.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QPointF, QRectF, QTimer

from gui.commands import apply, push_applied
from gui.context import Selected
from gui.interactions import Interaction, ghost_item, paint_ghost
from model.commands import MoveRacks, place_rack
from model.document import RackPlace
from model.errors import LayoutError
from model.layout import Rack
from model.naming import named_rack
from model.placement import floor_clash, row_left_behind, snap_rack
from model.rules import rack_footprint

# Above this many cables a rack drag moves a ghost only and re-routes on release; below
# it, until one step takes longer than the budget. UI choices from bench/gui.py on two
# cores: a typical rack step costs ~60 ms at 20k cables, ~300 ms at 100k.
# Racks re-route live while dragged up to this many cables: the 100,000-accelerator sample's
# 300,000 re-route a busiest-rack step in ~30-40 ms (bench/gui.py, #13); beyond it (the two-plane
# 1,000,000-accelerator hall: 3,000,000 cables) the drag moves a ghost and re-routes on release.
LIVE_REROUTE_MAX_CABLES = 400_000
LIVE_STEP_BUDGET_S = 0.35  # a live step slower than this turns the rest of the drag into a ghost


def _footprint_rect(rack: Rack) -> QRectF:
    x0, y0, x1, y1 = rack_footprint(rack)
    return QRectF(x0, y0, x1 - x0, y1 - y0)


def _places(racks: list[Rack]) -> dict[str, RackPlace]:
    """Where `racks` stand, as Document.move_racks takes it: id -> (x_mm, y_mm, facing, row)."""
    return {r.id: (r.x_mm, r.y_mm, r.facing, r.row) for r in racks}


class PlaceRack(Interaction):
    """A rack type dragged from the library over the floor plan."""

    def __init__(self, view, context, rack_type_id: str) -> None:
        super().__init__(view, context)
        rack_type = self.document.catalog.racks[rack_type_id]
        self.rack = Rack(
            id=self.document.unique_id("R", self.document.racks),
            name="",
            x_mm=0,
            y_mm=0,
            height_u=rack_type.height_u,
            width_mm=rack_type.width_mm,
            depth_mm=rack_type.depth_mm,
        )
        self.ghosts = [ghost_item(view.scene(), _footprint_rect(self.rack))]
        self.candidate = self.rack

    def update(self, pos: QPointF) -> None:
        self.candidate = snap_rack(self.document, self.rack, pos.x(), pos.y(), set())
        if self.candidate.row:
            taken = self.document.racks
            self.candidate = self.candidate.model_copy(
                update={"id": self.document.unique_id(f"{self.candidate.row}-", taken)}
            )
        self.reason = floor_clash(self.document, [self.candidate], set())
        self.ghosts[0].setRect(_footprint_rect(self.candidate))
        paint_ghost(self.ghosts[0], not self.reason)
        self.say_refusal("Cannot place the rack here")

    def finish(self, pos: QPointF) -> bool:
        self.update(pos)
        self.clear_ghosts()
        if self.reason:
            self.context.say(f"Cannot place the rack here: {self.reason}")
            return False
        self.candidate = named_rack(self.document, self.candidate)  # the layout's naming scheme
        if not apply(self.context, place_rack(self.document, self.candidate)):
            return False
        self.context.set_selection([Selected("rack", self.candidate.id)])
        return True


class MoveRacksDrag(Interaction):
    """Racks dragged on the floor plan, their cables re-routed live; one undo step on release.

    While the racks may stand where the cursor puts them, the document moves with the
    drag, so routes, lengths, media and every panel follow it. Where they may not, they
    wait at the last good spot and a red ghost shows the refused one. Release pushes one
    MoveRacks from where they started; a refused release or Escape puts them back.
    A layout too big to re-route at mouse speed moves only a ghost until release.
    """

    def __init__(self, view, context, rack_ids: list[str], grabbed: str, start: QPointF) -> None:
        super().__init__(view, context)
        # Copies: the document's rack objects move under us during a live drag.
        self.racks = [self.document.rack(r).model_copy() for r in rack_ids]
        self.grabbed = next(r for r in self.racks if r.id == grabbed)
        self.start = start
        self.moved: list[Rack] = list(self.racks)
        self.origin = _places(self.racks)
        self.placed = dict(self.origin)  # where the document has them now
        self.live = len(self.document.cables) <= LIVE_REROUTE_MAX_CABLES
        if not self.live:
            context.say(f"{len(self.document.cables):,} cables: they re-route when you release the rack")
        self.ghosts = [ghost_item(view.scene(), _footprint_rect(r)) for r in self.racks]
        # Re-routing a rack of a thousand cables takes longer than a mouse step: moves
        # that arrive meanwhile only retarget, and the model catches up once per turn of
        # the event loop instead of replaying every step behind the cursor.
        self._wanted: dict[str, RackPlace] | None = None
        # Where the last mouse step snapped the racks to (offset from the start, mm, and the
        # facing and row taken): a mouse step into the same slot skips the overlap check
        # (~6 ms among a 100k hall's racks).
        self._offset: tuple[float, float, str, str] | None = None
        self._mover = QTimer()  # dies with the gesture, not with the view
        self._mover.setSingleShot(True)
        self._mover.setInterval(0)
        self._mover.timeout.connect(self.flush)

    def update(self, pos: QPointF) -> None:
        target_x = self.grabbed.x_mm + pos.x() - self.start.x()
        target_y = self.grabbed.y_mm + pos.y() - self.start.y()
        ids = {r.id for r in self.racks}
        snapped = snap_rack(self.document, self.grabbed, target_x, target_y, ids)
        dx, dy = snapped.x_mm - self.grabbed.x_mm, snapped.y_mm - self.grabbed.y_mm
        if (dx, dy, snapped.facing, snapped.row) == self._offset:
            return  # the same slot as the last mouse step: nothing to check or move again
        self._offset = (dx, dy, snapped.facing, snapped.row)
        self.moved = [self._moved(r, dx, dy, snapped) for r in self.racks]
        self.reason = floor_clash(self.document, self.moved, ids)
        for ghost, rack in zip(self.ghosts, self.moved):
            ghost.setRect(_footprint_rect(rack))
            paint_ghost(ghost, not self.reason)
        self.say_refusal("Cannot move there")
        if self.live and not self.reason:
            self._wanted = _places(self.moved)
            self._mover.start()  # the ghost follows every mouse step, the model the latest one

    def _moved(self, rack: Rack, dx: float, dy: float, snapped: Rack) -> Rack:
        """`rack` (one of those dragged) moved by (dx, dy) mm. Dropped into a row, a rack takes
        the row's facing and name as snap_rack gives them (a rack of a north-facing row dropped
        into a south-facing one faces south: left facing north, its hot aisle was in the row's
        cold aisle): a rack dragged alone, and the grabbed rack with the racks of its own row
        and facing that come along when the new row runs the same way. Racks dragged together
        into a row turned a quarter keep their facing, all of them: turned, they would not
        stand along the new row (the grabbed one alone turned overlapped its neighbour)."""
        update: dict[str, object] = {"x_mm": rack.x_mm + dx, "y_mm": rack.y_mm + dy}
        grabbed = self.grabbed
        same_axis = (snapped.facing in ("north", "south")) == (grabbed.facing in ("north", "south"))
        alone = len(self.racks) == 1
        if alone or (same_axis and (rack.facing, rack.row) == (grabbed.facing, grabbed.row)):
            update.update(facing=snapped.facing, row=snapped.row)
        elif row_left_behind(self.document, rack.row, {r.id for r in self.racks}):
            update["row"] = ""  # a rack of another row, out of it with the grabbed one (snap_rack)
        return rack.model_copy(update=update)

    def flush(self) -> None:
        """Moves the racks to the last accepted spot now (the deferred live move, if any)."""
        self._mover.stop()
        if self._wanted is not None:
            wanted, self._wanted = self._wanted, None
            started = time.perf_counter()
            self.context.gesture_step()
            self._place(wanted)
            took = time.perf_counter() - started
            if took > LIVE_STEP_BUDGET_S:
                self.live = False
                self.context.say(f"Re-routing takes {took:.1f} s a step here: cables re-route when you release")

    def _place(self, target: dict[str, RackPlace]) -> None:
        if target == self.placed:
            return
        try:
            self.document.move_racks(target)
        except LayoutError as exc:  # the clash check above should have caught it; stay put
            self.reason = exc.message
            return
        self.placed = dict(target)

    def finish(self, pos: QPointF) -> bool:
        self.update(pos)
        self.flush()
        self.context.gesture_end()
        self.clear_ghosts()
        target = _places(self.moved)
        if self.reason or target == self.origin:
            self._place(self.origin)
            if self.reason:
                self.context.say(f"Cannot move there: {self.reason}")
            return False
        moves = {rack_id: spot for rack_id, spot in target.items() if spot != self.origin[rack_id]}
        command = MoveRacks(self.document, moves, old={r: self.origin[r] for r in moves})
        self._place(target)  # from wherever the live part of the drag left them
        if self.placed != target:
            self._place(self.origin)
            self.context.say(f"Cannot move there: {self.reason}")
            return False
        push_applied(self.context, command)
        return True

    def click(self) -> None:
        """A click on one of several selected racks selects it alone (the press kept them all for a drag)."""
        self.cancel()
        self.context.set_selection([Selected("rack", self.grabbed.id)])

    def cancel(self) -> None:
        self._mover.stop()
        self._wanted = None
        self.context.gesture_end()
        self.clear_ghosts()
        self._place(self.origin)

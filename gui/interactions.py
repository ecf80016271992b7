"""What the mouse does, each an object with update / finish / cancel (after orange-canvas).

A view starts one on press (move a rack, move a device, draw a cable) or on a drag from
the library (place a rack, place a device), feeds it scene positions, and ends it on
release, drop or Escape. An interaction draws a ghost and pushes one command at the end,
so a drag is one undo step and Escape leaves the model as it was. A rack drag also moves
the racks in the document while it runs, so that their cables re-route live; Escape or a
refused release puts them back before anything reaches the undo stack.

Here: the base and the rack-face gestures (place and move devices, draw cables); the
floor plan's are in gui/floor_drags.py.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem

from gui import colors
from gui.commands import apply
from gui.context import Selected
from model.commands import ConnectCables, MoveDevice, PlaceDevice
from model.errors import LayoutError
from model.layout import Cable, Device
from model.naming import named_device

GHOST_Z = 1000


def ghost_item(scene, rect: QRectF) -> QGraphicsRectItem:
    item = QGraphicsRectItem(rect)
    item.setZValue(GHOST_Z)
    item.setPen(QPen(Qt.PenStyle.DashLine))
    scene.addItem(item)
    return item


def paint_ghost(ghost: QGraphicsRectItem, ok: bool) -> None:
    ghost.setBrush(QBrush(colors.GHOST_OK if ok else colors.GHOST_REFUSED))


class Interaction:
    def __init__(self, view, context) -> None:
        self.view, self.context, self.document = view, context, context.document
        self.ghosts: list = []
        self.reason = ""  # why the current spot is refused ("" when accepted)
        self._said: str | None = None  # the reason last said in the status bar (None: nothing said)

    def update(self, pos: QPointF) -> None:
        """Moves the ghost to follow the cursor (scene coordinates)."""

    def finish(self, pos: QPointF) -> bool:
        """Ends the gesture at `pos`; True when an edit was made."""
        self.clear_ghosts()
        return False

    def click(self) -> None:
        """Released where it was pressed (within the drag distance): never an edit, only a choice."""
        self.cancel()

    def cancel(self) -> None:
        """Escape or a drag that left the view: nothing of the gesture stays."""
        self.clear_ghosts()

    def clear_ghosts(self) -> None:
        for ghost in self.ghosts:
            if ghost.scene() is not None:
                ghost.scene().removeItem(ghost)
        self.ghosts = []
        if self._said is not None:
            # What was said while the ghost moved goes with it ("Fits here: release to place it"
            # stayed for ten seconds after the drop); a refusal is said after this.
            self._said = None
            self.context.say("")

    def say_refusal(self, prefix: str, accepted: str = "") -> None:
        """Says in the status bar, once per change, `self.reason` after `prefix` ("Cannot move
        there") while the ghost is red, and `accepted` (or nothing: what was said is cleared)
        while it is green: the designer sees why before letting go. A gesture that was never
        refused and has no `accepted` text says nothing, leaving what the status bar shows."""
        if self.reason == self._said or (self._said is None and not self.reason and not accepted):
            return
        self._said = self.reason
        self.context.say(f"{prefix}: {self.reason}" if self.reason else accepted)


# ---- rack elevation ------------------------------------------------------------------
class _DeviceGhost(Interaction):
    """Shared by placing a new device and moving one: snap to a U slot, check, colour."""

    ignore: str | None = None

    def _spot(self, pos: QPointF, device: Device, grab_u: int = 0) -> tuple[str, Device] | None:
        slot = self.view.scene().slot_at(pos)
        if slot is None:
            return None
        rack_id, face, u = slot
        u = max(1, min(60, u - grab_u))
        return rack_id, device.model_copy(update={"u_position": u, "face": self._face(face)})

    def _face(self, face: str) -> str:
        """The face the device's front goes on when it lands on the drawn `face`."""
        return face

    def _show(self, spot: tuple[str, Device] | None, height_u: int) -> None:
        if spot is None:
            self.reason = "drop it on a rack face"
            for ghost in self.ghosts:
                ghost.hide()
            return
        rack_id, device = spot
        try:
            self.document.check_placement(rack_id, device, ignore=self.ignore)
            self.reason = ""
        except LayoutError as exc:
            self.reason = exc.message
        rect = self.view.scene().slot_rect(rack_id, device.face, device.u_position, height_u)
        if not self.ghosts:
            self.ghosts = [ghost_item(self.view.scene(), rect)]
        self.ghosts[0].setRect(rect)
        self.ghosts[0].show()
        paint_ghost(self.ghosts[0], not self.reason)
        self.say_refusal("Does not fit here", accepted="Fits here: release to place it")


class PlaceDeviceDrop(_DeviceGhost):
    """A device type dragged from the library over the rack elevation."""

    def __init__(self, view, context, type_id: str) -> None:
        super().__init__(view, context)
        self.device_type = self.document.catalog.device(type_id)
        stem = f"{type_id}-"
        self.device = Device(id=self.document.unique_id(stem, self.document.devices), type=type_id, u_position=1)
        self.spot: tuple[str, Device] | None = None

    def update(self, pos: QPointF) -> None:
        self.spot = self._spot(pos, self.device)
        self._show(self.spot, self.device_type.u_height)

    def finish(self, pos: QPointF) -> bool:
        self.update(pos)
        self.clear_ghosts()
        if self.spot is None or self.reason:
            self.context.say(f"Cannot place {self.device_type.name} here: {self.reason}")
            return False
        rack_id, device = self.spot
        device = named_device(self.document, self.document.racks[rack_id], device)  # the layout's naming scheme
        if not apply(self.context, PlaceDevice(self.document, rack_id, device)):
            return False
        self.context.set_selection([Selected("device", device.id)])  # the inspector shows what was placed
        return True


class MoveDeviceDrag(_DeviceGhost):
    """A placed device dragged within its rack or to another; one command on release."""

    def __init__(self, view, context, device_id: str, start: QPointF) -> None:
        super().__init__(view, context)
        self.device = self.document.device(device_id)
        self.ignore = device_id
        self.height_u = self.document.catalog.devices[self.device.type].u_height
        start_slot = view.scene().slot_at(start)
        self.grab_u = start_slot[2] - self.device.u_position if start_slot else 0
        # Grabbed on its pale side (a front-mounted device seen from the rear): it is held as
        # seen, so it keeps its facing on the face it was grabbed on and turns on the other.
        self.grabbed_face = start_slot[1] if start_slot else self.device.face
        self.spot: tuple[str, Device] | None = None

    def _face(self, face: str) -> str:
        if face == self.grabbed_face:
            return self.device.face
        return "rear" if self.device.face == "front" else "front"

    def update(self, pos: QPointF) -> None:
        self.spot = self._spot(pos, self.device, self.grab_u)
        self._show(self.spot, self.height_u)

    def finish(self, pos: QPointF) -> bool:
        self.update(pos)
        self.clear_ghosts()
        if self.spot is None:
            return False
        rack_id, moved = self.spot
        here = self.document.device_rack[self.device.id].id
        if (rack_id, moved.u_position, moved.face) == (here, self.device.u_position, self.device.face):
            return False
        if self.reason:
            self.context.say(f"Cannot move {self.device.label} there: {self.reason}")
            return False
        return apply(self.context, MoveDevice(self.document, self.device.id, rack_id, moved.u_position, moved.face))


class Wire(Interaction):
    """A cable drawn from one port to another."""

    def __init__(self, view, context, port_ref: str) -> None:
        super().__init__(view, context)
        self.port_ref = port_ref
        start = view.scene().port_centre(port_ref)
        line = QGraphicsLineItem(QLineF(start, start))
        line.setPen(QPen(colors.SELECTION, 0))
        line.setZValue(GHOST_Z)
        view.scene().addItem(line)
        self.ghosts = [line]

    def update(self, pos: QPointF) -> None:
        line = self.ghosts[0].line()
        self.ghosts[0].setLine(QLineF(line.p1(), pos))

    def finish(self, pos: QPointF) -> bool:
        self.clear_ghosts()
        other = self.view.scene().port_at(pos)
        if other is None or other == self.port_ref:
            return False
        cable = Cable(id=self.document.unique_id("C", self.document.cables), a=self.port_ref, b=other)
        try:
            self.document.check_connection(cable)
        except LayoutError as exc:
            self.context.say(f"Cannot connect: {exc.message}")
            return False
        return apply(self.context, ConnectCables(self.document, [cable]))

"""Every edit a designer makes, as a command on the document: applied once, undone and
redone through model.history.History (which the GUI's QUndoStack mirrors).

Each command calls a model.document operation and its inverse; the document checks
first and changes second, so a refused command raises LayoutError before anything
changed. None knows of Qt or of graphics items.
"""

from __future__ import annotations

from model.document import Document, RackPlace, RemovedDevice, RemovedRacks
from model.errors import LayoutError
from model.layout import Cable, Device, Rack, Tray
from model.row_tray import plan_row_tray


def type_name(document: Document, type_id: str) -> str:
    """A device type's name without its parenthesised detail, for command texts."""
    device_type = document.catalog.device(type_id)
    return device_type.name.split(" (")[0] if device_type else type_id


class Command:
    """One undoable edit of a document. `do` applies it (raises LayoutError, and then
    nothing changed); `revert` puts back exactly what `do` changed. `text` reads as an
    undo menu entry ("Move rack R1"). Redo after undo replays the same payload (ids,
    positions, list indices), so it gives exactly the same model."""

    def __init__(self, document: Document, text: str) -> None:
        self.document = document
        self.text = text

    @property
    def changes_nothing(self) -> bool:
        """True for an edit known beforehand to change nothing (it is then not recorded)."""
        return False

    def do(self) -> None:
        """Applies the edit to the document; raises LayoutError (and changes nothing) when refused."""
        raise LayoutError(f"{type(self).__name__} does nothing")

    def revert(self) -> None:
        """Puts back what do() changed; raises LayoutError when it was never done."""
        raise LayoutError(f"{type(self).__name__} cannot be undone")


class AddRack(Command):
    """Adds `rack`, with any devices it holds, at the end of the layout's racks."""

    def __init__(self, document: Document, rack: Rack) -> None:
        super().__init__(document, f"Add rack {rack.label}")
        self.rack = rack

    def do(self) -> None:
        self.document.add_rack(self.rack)

    def revert(self) -> None:
        self.document.remove_rack(self.rack.id)


class MoveRacks(Command):
    """Moves racks by one drag; `moves` maps rack id to its new (x_mm, y_mm, facing), or
    (x_mm, y_mm, facing, row) for a rack that joins another row (Document.move_racks).

    `old` gives where they stood before, when a live drag has already moved them there; by
    default where they stand now, with their rows. Raises LayoutError for an unknown rack id.
    """

    def __init__(
        self,
        document: Document,
        moves: dict[str, RackPlace],
        old: dict[str, RackPlace] | None = None,
    ) -> None:
        racks = [document.rack(rack_id) for rack_id in moves]
        what = f"rack {racks[0].label}" if len(racks) == 1 else f"{len(racks)} racks"
        super().__init__(document, f"Move {what}")
        self.old: dict[str, RackPlace] = (
            dict(old) if old is not None else {r.id: (r.x_mm, r.y_mm, r.facing, r.row) for r in racks}
        )
        self.new = dict(moves)

    def do(self) -> None:
        self.document.move_racks(self.new)

    def revert(self) -> None:
        self.document.move_racks(self.old)


class RemoveRacks(Command):
    """Deletes racks with their devices and every cable that ends in them, as one edit
    (Document.remove_racks); undo puts all of it back where it was. Raises LayoutError when
    built for an unknown rack id."""

    def __init__(self, document: Document, rack_ids: list[str]) -> None:
        labels = [document.rack(rack_id).label for rack_id in rack_ids]  # an unknown id refused now
        super().__init__(document, f"Delete rack {labels[0]}" if len(labels) == 1 else f"Delete {len(labels)} racks")
        self.rack_ids = list(rack_ids)
        self.removed: RemovedRacks | None = None

    def do(self) -> None:
        self.removed = self.document.remove_racks(self.rack_ids)

    def revert(self) -> None:
        if self.removed is None:
            raise LayoutError(f"{self.text}: undone before it was done")
        self.document.restore_racks(self.removed)


class RemoveRack(RemoveRacks):
    """Deletes one rack (RemoveRacks of one): 'Delete rack <its name>'."""

    def __init__(self, document: Document, rack_id: str) -> None:
        super().__init__(document, [rack_id])


class PlaceDevice(Command):
    """Places `device` (its U and face set) in rack `rack_id`; refused where it does not fit."""

    def __init__(self, document: Document, rack_id: str, device: Device) -> None:
        rack = document.rack(rack_id)
        name = type_name(document, device.type)
        side = " (rear)" if device.face == "rear" else ""
        super().__init__(document, f"Place {name} in {rack.label} at U{device.u_position}{side}")
        self.rack_id = rack_id
        self.device = device

    def do(self) -> None:
        self.document.place_device(self.rack_id, self.device)

    def revert(self) -> None:
        self.document.remove_device(self.device.id)


class MoveDevice(Command):
    """Moves a device to rack `rack_id` at `u_position` on `face` ('front' or 'rear'); its cables
    follow. Undo puts it back in its rack's device list where it was, too."""

    def __init__(self, document: Document, device_id: str, rack_id: str, u_position: int, face: str) -> None:
        device = document.device(device_id)
        source = document.device_rack[device_id]
        target = document.rack(rack_id)
        where = f"U{u_position}" if target is source else f"{target.label} U{u_position}"
        super().__init__(document, f"Move {device.label} to {where}")
        self.device_id = device_id
        self.old = (source.id, device.u_position, device.face)
        self.old_index = source.devices.index(device)
        self.new = (rack_id, u_position, face)

    def do(self) -> None:
        self.document.move_device(self.device_id, *self.new)

    def revert(self) -> None:
        document = self.document
        document.move_device(self.device_id, *self.old)
        # A move to another rack appends the device there; put it back where it was listed
        # (through the document, so that the analysis hears of it).
        rack = document.rack(self.old[0])
        if rack.devices.index(document.device(self.device_id)) != self.old_index:
            removed = document.remove_device(self.device_id)
            removed.index = self.old_index
            document.restore_device(removed)


class RemoveDevices(Command):
    """Deletes devices and every cable that ends on them; undo restores them in reverse order."""

    def __init__(self, document: Document, device_ids: list[str]) -> None:
        labels = [document.device(d).label for d in device_ids]
        what = labels[0] if len(labels) == 1 else f"{len(labels)} devices"
        super().__init__(document, f"Delete {what}")
        self.device_ids = list(device_ids)
        self.removed: list[RemovedDevice] = []

    def do(self) -> None:
        self.removed = [self.document.remove_device(d) for d in self.device_ids]

    def revert(self) -> None:
        for removed in reversed(self.removed):
            self.document.restore_device(removed)


class ConnectCables(Command):
    """Adds cables as one edit, all or nothing (see Document.connect_many); `text` names it."""

    def __init__(self, document: Document, cables: list[Cable], text: str = "") -> None:
        if not text:
            text = (
                f"Connect {cables[0].a} to {', '.join(cables[0].legs)}"
                if len(cables) == 1
                else f"Add {len(cables)} cables"
            )
        super().__init__(document, text)
        self.cables = list(cables)

    def do(self) -> None:
        self.document.connect_many(self.cables)

    def revert(self) -> None:
        self.document.disconnect_many([c.id for c in self.cables])


class DisconnectCables(Command):
    """Deletes cables by id; undo puts each back at its place in the layout's cable list."""

    def __init__(self, document: Document, cable_ids: list[str]) -> None:
        what = f"cable {cable_ids[0]}" if len(cable_ids) == 1 else f"{len(cable_ids)} cables"
        super().__init__(document, f"Delete {what}")
        self.cable_ids = list(cable_ids)
        self.removed: list[tuple[int, Cable]] = []

    def do(self) -> None:
        self.removed = self.document.disconnect_many(self.cable_ids)

    def revert(self) -> None:
        for index, cable in sorted(self.removed, key=lambda item: item[0]):
            self.document.connect(cable, index)


class AddTray(Command):
    """Adds `tray` at the end of the layout's trays; refused when its id is taken."""

    def __init__(self, document: Document, tray: Tray) -> None:
        super().__init__(document, f"Add tray {tray.label}")
        self.tray = tray

    def do(self) -> None:
        self.document.add_tray(self.tray)

    def revert(self) -> None:
        self.document.remove_tray(self.tray.id)


class RemoveTray(Command):
    """Deletes a tray (the cables re-route over the trays left); undo puts it back in its place."""

    def __init__(self, document: Document, tray_id: str) -> None:
        super().__init__(document, f"Delete tray {document.trays[tray_id].label}")
        self.tray_id = tray_id
        self.removed: tuple[int, Tray] | None = None

    def do(self) -> None:
        self.removed = self.document.remove_tray(self.tray_id)

    def revert(self) -> None:
        if self.removed is None:
            raise LayoutError(f"{self.text}: undone before it was done")
        index, tray = self.removed
        self.document.add_tray(tray, index)


class Composite(Command):
    """Several edits as one undo step (Delete of a mixed selection, Paste, Duplicate)."""

    def __init__(self, document: Document, text: str, parts: list[Command]) -> None:
        super().__init__(document, text)
        self.parts = parts

    def do(self) -> None:
        # One batch: the listeners (the analysis, the views) hear of all the parts once.
        with self.document.batched():
            done: list[Command] = []
            try:
                for part in self.parts:
                    part.do()
                    done.append(part)
            except LayoutError:
                for part in reversed(done):
                    part.revert()
                raise

    def revert(self) -> None:
        with self.document.batched():
            for part in reversed(self.parts):
                part.revert()


def delete_things(document: Document, cables: list[str], devices: list[str], racks: list[str], trays: list[str]):
    """One command deleting a selection; cables of deleted devices and racks go with them."""
    gone_racks = set(racks)
    devices = [d for d in devices if document.device_rack[d].id not in gone_racks]
    gone_devices = set(devices) | {d.id for r in racks for d in document.rack(r).devices}
    attached = {c.id for d in gone_devices for c in document.cables_of_device(d)}
    cables = [c for c in cables if c not in attached]
    parts: list[Command] = []
    if cables:
        parts.append(DisconnectCables(document, cables))
    if devices:
        parts.append(RemoveDevices(document, devices))
    if racks:
        parts.append(RemoveRacks(document, racks))
    parts += [RemoveTray(document, t) for t in trays]
    if len(parts) == 1:
        return parts[0]
    count = len(cables) + len(devices) + len(racks) + len(trays)
    return Composite(document, f"Delete {count} items", parts) if parts else None


def paste_command(document: Document, racks: list[Rack], placements: list[tuple[str, Device]], cables: list[Cable]):
    """Adds copied racks (with their devices), devices into racks, and the cables among them;
    each pasted rack that joins a row lays or extends the row's tray (LayRowTray)."""
    parts: list[Command] = [part for r in racks for part in (AddRack(document, r), LayRowTray(document, r.id))]
    parts += [PlaceDevice(document, rack_id, device) for rack_id, device in placements]
    if cables:
        parts.append(ConnectCables(document, cables))
    what = [f"{len(racks)} racks" if len(racks) != 1 else "1 rack"] if racks else []
    what += [f"{len(placements)} devices" if len(placements) != 1 else "1 device"] if placements else []
    what += [f"{len(cables)} cables"] if cables else []
    return Composite(document, "Paste " + ", ".join(what), parts)


class ExtendTray(Command):
    """Gives tray `tray.id` the points and elevation of `tray` (a row's tray run on over a
    rack placed at its end); undo puts the old ones back."""

    def __init__(self, document: Document, tray: Tray) -> None:
        super().__init__(document, f"Extend tray {tray.label}")
        old = document.trays[tray.id]
        self.old = {"points": list(old.points), "elevation_mm": old.elevation_mm}
        self.new = {"points": list(tray.points), "elevation_mm": tray.elevation_mm}
        self.tray_id = tray.id

    def do(self) -> None:
        self.document.update_tray(self.tray_id, **self.new)

    def revert(self) -> None:
        self.document.update_tray(self.tray_id, **self.old)


def place_rack(document: Document, rack: Rack) -> Command:
    """The command that places `rack` on the floor: AddRack, and with it, as one undo step,
    the row's overhead tray laid or extended (model.row_tray.plan_row_tray, when the site's
    auto_row_tray is on and the rack joins a row). Raises nothing; the command raises
    LayoutError when applied where the rack cannot stand (then nothing changed)."""
    plan = plan_row_tray(document, rack)
    if plan is None:
        return AddRack(document, rack)
    tray: Command = AddTray(document, plan.tray) if plan.extends is None else ExtendTray(document, plan.tray)
    return Composite(
        document, f"Add rack {rack.label} and its row's tray {plan.tray.label}", [AddRack(document, rack), tray]
    )


class LayRowTray(Command):
    """The row tray (model.row_tray) of rack `rack_id`, placed by an earlier part of the same
    edit (a pasted rack, whose row is known only once the racks before it stand): planned
    when first done, then replayed as planned. Does nothing when the rack joins no row or
    the site's auto_row_tray is off."""

    def __init__(self, document: Document, rack_id: str) -> None:
        super().__init__(document, f"Lay the row tray of rack {rack_id}")
        self.rack_id = rack_id
        self.part: Command | None = None
        self.planned = False

    def do(self) -> None:
        if not self.planned:
            plan = plan_row_tray(self.document, self.document.rack(self.rack_id))
            if plan is not None:
                self.part = (
                    AddTray(self.document, plan.tray) if plan.extends is None else ExtendTray(self.document, plan.tray)
                )
            self.planned = True
        if self.part is not None:
            self.part.do()

    def revert(self) -> None:
        if self.part is not None:
            self.part.revert()

"""Copy, cut, paste and duplicate of racks and devices, with the cables among them.

The clipboard holds JSON in a private MIME type, so a copy survives switching layouts
(New, Open) in one session. Pasting plans fresh ids and free places first (racks next to
the row they came from, devices in free slots of the chosen rack) and then applies one
undo command.
"""

from __future__ import annotations

import json
import re

from PySide6.QtCore import QByteArray, QMimeData
from PySide6.QtWidgets import QApplication

from gui.commands import apply, paste_command
from gui.context import Selected
from gui.floor_drags import free_floor_spot
from model.errors import LayoutError
from model.layout import Cable, Device, Rack
from model.rules import check_device_fits, find_overlap

SELECTION_MIME = "application/x-rack-designer-selection"


class Clipboard:
    """The Edit menu's copy / paste / duplicate on one context's selection."""

    def __init__(self, context) -> None:
        self.context = context
        self.document = context.document

    def _selected(self, kind: str) -> list[str]:
        return self.context.selected_ids(kind)

    def copy(self) -> bool:
        racks, devices = self._selected("rack"), self._selected("device")
        if not racks and not devices:
            self.context.say("Select racks or devices to copy")
            return False
        mime = QMimeData()
        mime.setData(SELECTION_MIME, QByteArray(json.dumps(copy_payload(self.document, racks, devices)).encode()))
        QApplication.clipboard().setMimeData(mime)
        self.context.say(f"Copied {len(racks)} racks, {len(devices)} devices")
        return True

    def paste(self, payload: dict | None = None) -> bool:
        if payload is None:
            mime = QApplication.clipboard().mimeData()
            if mime is None or not mime.hasFormat(SELECTION_MIME):
                self.context.say("Nothing to paste: copy racks or devices first")
                return False
            payload = json.loads(bytes(mime.data(SELECTION_MIME).data()).decode())
        doc = self.document
        racks = self._selected("rack") or [
            doc.device_rack[d].id for d in self._selected("device") if d in doc.device_rack
        ]
        try:
            new_racks, placements, cables = plan_paste(doc, payload, racks[0] if racks else None)
        except (LayoutError, KeyError, ValueError) as exc:
            self.context.say(f"Cannot paste: {getattr(exc, 'message', exc)}")
            return False
        if not (new_racks or placements):
            return False
        done = apply(self.context, paste_command(doc, new_racks, placements, cables))
        if done:
            chosen = [Selected("rack", r.id) for r in new_racks] + [Selected("device", d.id) for _, d in placements]
            self.context.set_selection(chosen)
        return done

    def duplicate(self) -> bool:
        racks, devices = self._selected("rack"), self._selected("device")
        if not racks and not devices:
            self.context.say("Select racks or devices to duplicate")
            return False
        return self.paste(copy_payload(self.document, racks, devices))


def copy_payload(document, rack_ids: list[str], device_ids: list[str]) -> dict:
    """What Copy puts on the clipboard: racks whole, loose devices, and the cables among them."""
    devices = [d for d in device_ids if document.device_rack[d].id not in rack_ids]
    inside = set(devices) | {d.id for r in rack_ids for d in document.rack(r).devices}
    cables = [c for c in document.site.cables if c.a.partition(":")[0] in inside and c.b.partition(":")[0] in inside]
    return {
        "racks": [document.rack(r).model_dump() for r in rack_ids],
        "devices": [{"rack": document.device_rack[d].id, "device": document.device(d).model_dump()} for d in devices],
        "cables": [c.model_dump() for c in cables],
    }


def plan_paste(document, payload: dict, target_rack: str | None):
    """Fresh ids and free places for a copied payload: (racks, placements, cables); LayoutError if no room."""
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
        b, _, pb = cable.b.partition(":")
        update = {"id": fresh(cable.id, taken_cables), "a": f"{renamed[a]}:{pa}", "b": f"{renamed[b]}:{pb}"}
        cables.append(cable.model_copy(update=update))
    return racks, placements, cables


def _free_slot(document, rack: Rack, device: Device, planned: list[Device]) -> Device:
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

"""Copy, cut, paste and duplicate of racks and devices, with the cables among them.

The clipboard holds JSON in a private MIME type, so a copy survives switching layouts
(New, Open) in one session. Pasting plans fresh ids and free places first
(model.placement: racks next to the row they came from, devices in free slots of the
chosen rack) and then applies one undo command.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QMimeData
from PySide6.QtWidgets import QApplication

from gui.commands import apply
from gui.context import Selected
from model.commands import paste_command
from model.errors import LayoutError
from model.placement import copy_payload, plan_paste

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
        things = [
            f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in ((len(racks), "rack"), (len(devices), "device")) if n
        ]
        self.context.say(f"Copied {' and '.join(things) or 'nothing'}")
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

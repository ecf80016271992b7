"""Naming edits: the layout's properties, and renaming a selection by the layout's scheme.

Both are one undoable step each, all or nothing: a rename that would give two racks,
two devices or two cables one name is refused before anything changes, naming both.
"""

from __future__ import annotations

from typing import Any

from model.commands import Command
from model.document import Document
from model.errors import LayoutError
from model.layout import LayoutInfo, NamingScheme, Rack
from model.naming import check_unique, plan_cable_labels, plan_device_names, plan_rack_names


class SetLayoutProperties(Command):
    """Sets the layout's name, its info (site, hall, author, revision, date: a LayoutInfo or
    its dict) and its naming scheme (NamingScheme or dict); None keeps one. Raises
    LayoutError on do() for a value the file cannot hold (nothing changed)."""

    def __init__(
        self,
        document: Document,
        name: str | None = None,
        info: LayoutInfo | dict[str, Any] | None = None,
        naming: NamingScheme | dict[str, Any] | None = None,
    ) -> None:
        site = document.site
        self.old: dict[str, Any] = {
            "name": site.name,
            "info": site.info.model_copy(),
            "naming": site.naming.model_copy(),
        }
        self.new: dict[str, Any] = {"name": name, "info": info, "naming": naming}
        super().__init__(
            document, "Edit layout properties" if name in (None, site.name) else f"Rename layout to {name!r}"
        )

    @property
    def changes_nothing(self) -> bool:
        """True when every given value is what the layout holds already."""
        site = self.document.site
        for key, value in self.new.items():
            if value is None:
                continue
            now = getattr(site, key)
            wanted = value.model_dump() if hasattr(value, "model_dump") else value
            if (now.model_dump() if hasattr(now, "model_dump") else now) != wanted:
                return False
        return True

    def do(self) -> None:
        self.document.set_properties(**self.new)

    def revert(self) -> None:
        self.document.set_properties(**self.old)


class RenameByScheme(Command):
    """Renames racks, devices and cables (ids of each) by the layout's naming scheme
    (model.naming), numbering from `start`: racks by row and place, devices from the bottom
    of their rack, cables in the layout's order; a cable's new text is its label, the id
    people read. A device pattern with {rack} uses the rack's new name when the rack is
    renamed too. Raises LayoutError when constructed for an unknown id or a plan that gives
    one name twice (naming both things), or when nothing would change."""

    def __init__(
        self,
        document: Document,
        rack_ids: list[str] | None = None,
        device_ids: list[str] | None = None,
        cable_ids: list[str] | None = None,
        start: int = 1,
    ) -> None:
        self.document = document  # _end_place reads it while planning
        site, catalog = document.site, document.catalog
        racks = [document.rack(r) for r in dict.fromkeys(rack_ids or [])]
        devices = [(document.device_rack[d], document.device(d)) for d in dict.fromkeys(device_ids or [])]
        wanted_cables = set(cable_ids or [])
        unknown = wanted_cables - set(document.cables)
        if unknown:
            raise LayoutError(f"no cable {sorted(unknown)[0]!r}")
        if start < 0 or start > 1_000_000:
            raise LayoutError(f"numbers start at 0 to 1,000,000, not {start}")
        self.racks = plan_rack_names(site, racks, start)
        self.devices = plan_device_names(site, catalog, devices, start, self.racks)
        cables = [c for c in site.cables if c.id in wanted_cables]
        self.cables = plan_cable_labels(site, cables, self._end_place, start)
        check_unique("rack", self.racks, {r.id: r.label for r in site.racks})
        check_unique("device", self.devices, {d: device.label for d, device in document.devices.items()})
        check_unique("cable", self.cables, {c.id: c.label or c.id for c in site.cables})
        self.old_racks = {r: document.racks[r].name for r in self.racks}
        self.old_devices = {d: document.devices[d].name for d in self.devices}
        self.old_cables = {c: document.cables[c].label for c in self.cables}
        count = len(self.racks) + len(self.devices) + len(self.cables)
        if not count and (racks or devices or cables):
            raise LayoutError("the naming scheme's patterns for these are empty: set them in File → Properties")
        super().__init__(document, f"Rename {_things(len(self.racks), len(self.devices), len(self.cables))} by scheme")

    def _end_place(self, ref: str) -> tuple[str, int, str]:
        """(rack name, U, device name) of an end 'device:port', by the names this rename gives."""
        doc = self.document
        device_id = ref.partition(":")[0]
        device = doc.devices[device_id]
        rack: Rack = doc.device_rack[device_id]
        rack_name = self.racks.get(rack.id, rack.label)
        return rack_name, device.u_position, self.devices.get(device_id, device.label)

    @property
    def changes_nothing(self) -> bool:
        """True when every thing already has the name the scheme gives it."""
        doc = self.document
        return (
            all(doc.racks[r].name == n for r, n in self.racks.items())
            and all(doc.devices[d].name == n for d, n in self.devices.items())
            and all(doc.cables[c].label == n for c, n in self.cables.items())
        )

    def do(self) -> None:
        self.document.rename_many(self.racks, self.devices, self.cables)

    def revert(self) -> None:
        self.document.rename_many(self.old_racks, self.old_devices, self.old_cables)


def _things(racks: int, devices: int, cables: int) -> str:
    parts = [
        f"{n:,} {noun}{'' if n == 1 else 's'}"
        for n, noun in ((racks, "rack"), (devices, "device"), (cables, "cable"))
        if n
    ]
    return ", ".join(parts) or "nothing"

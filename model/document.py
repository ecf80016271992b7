"""The open layout and the edits a designer makes to it.

Every edit checks first and changes second, so a refused edit leaves nothing
half-applied; then it tells its listeners what changed (a `Change`), which is how
the analysis re-runs only what an edit touched and how views redraw. An edit that
changes nothing tells nobody. Undo lives in the GUI's commands, which call these
operations and their inverses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from model.catalog import Catalog, default_catalog
from model.errors import LayoutError
from model.layout import (
    Cable,
    Device,
    LayoutInfo,
    NamingScheme,
    Rack,
    Site,
    SiteSettings,
    Text,
    Tray,
    split_port_ref,
)
from model.rows import list_with, list_without
from model.rules import (
    RackFloor,
    check_cable,
    check_device_fits,
    check_site,
    device_u_range,
    find_overlap,
)


@dataclass
class Change:
    """What an edit touched, by id. `structure`: things were added or removed."""

    racks: set[str] = field(default_factory=set)
    devices: set[str] = field(default_factory=set)
    cables: set[str] = field(default_factory=set)
    trays: set[str] = field(default_factory=set)
    structure: bool = False
    settings: bool = False
    everything: bool = False
    scenarios: bool = False  # the named what-ifs changed; the base layout did not
    names: bool = False  # only names changed (of the things above, or the layout's properties): nothing to re-route

    def merges_with(self, later: Change) -> bool:
        """Whether `later`, told after this one, can be told together with it as one Change
        (Document.batched): both edits of racks, devices, cables or trays, which every listener
        reads afresh from the document (a tray added or removed re-reads everything). A rename,
        a settings change, a change of scenarios or a whole new layout is told on its own: a
        listener takes each of those by its own path (a rename only refreshes names), so
        merged with an edit one part would go unseen."""
        return self._plain() and later._plain()

    def _plain(self) -> bool:
        whole_layout = self.everything and not self.trays  # New, Open, a settings change
        return not (self.names or self.settings or self.scenarios or whole_layout)

    def absorb(self, later: Change) -> None:
        """Takes `later` (a plain edit told after this one: merges_with) into this Change, in
        place: the ids of both, `structure` if either added or removed something, `everything`
        if either changed trays so that every cable re-routes. Only for a Change of one's own
        (Document.batched keeps copies): a Delete of 3,571 racks merged a new set each time,
        ~20 s."""
        self.racks |= later.racks
        self.devices |= later.devices
        self.cables |= later.cables
        self.trays |= later.trays
        self.structure = self.structure or later.structure
        self.everything = self.everything or later.everything

    def copy(self) -> Change:
        """This Change with sets of its own."""
        return replace(
            self, racks=set(self.racks), devices=set(self.devices), cables=set(self.cables), trays=set(self.trays)
        )


@dataclass
class RemovedDevice:
    """Enough to put a removed device back exactly: its rack, place in the list, cables."""

    rack_id: str
    index: int
    device: Device
    cables: list[tuple[int, Cable]]


@dataclass
class RemovedRacks:
    """Enough to put racks removed together back exactly: each rack (with its devices) and its
    place in the rack list, ascending, and their cables with their places in the cable list."""

    racks: list[tuple[int, Rack]]
    cables: list[tuple[int, Cable]]


Listener = Callable[[Change], None]
# Where a move puts a rack: (x_mm, y_mm, facing), or (x_mm, y_mm, facing, row) when it joins a row.
RackPlace = tuple[float, float, str] | tuple[float, float, str, str]


class _SiteProperties(BaseModel):
    """The layout's own fields set_properties checks (as Site holds them)."""

    model_config = ConfigDict(extra="forbid")
    name: Text
    info: LayoutInfo
    naming: NamingScheme


class _Name(BaseModel):
    """One name or label, checked as the file holds it (cleaned, at most MAX_TEXT characters)."""

    text: Text


M = TypeVar("M", bound=BaseModel)


FEW_CABLES = 64  # cables put back one list.insert each (_put_cables); more: the list copied once around them
_INDEXES = ("racks", "device_rack", "devices", "cables", "trays", "port_use", "device_cables")


class Document:
    """The open layout (`site`) against one catalog, its lookups by id, and the edits.

    Lookups (dicts by id, kept in step with `site`): racks, devices, device_rack (device
    id -> its rack), cables, trays, port_use ('device:port' -> cable id) and device_cables.
    Every edit raises LayoutError before changing anything when refused; `revision` counts
    the edits (each told to the listeners, or a batch's told once it ends: batched). `check=False` only for a site already checked against
    `catalog`; otherwise check_site's LayoutError refuses a broken one. `index_cables=False`
    leaves cables, port_use and device_cables to be built when first read (a command-line
    report reads none: 0.3 s and ~50 MB at 200,000 cables).
    """

    def __init__(
        self, site: Site | None = None, catalog: Catalog | None = None, check: bool = True, index_cables: bool = True
    ) -> None:
        self.catalog = catalog or default_catalog()
        self.site = site or Site()
        if check:
            check_site(self.site, self.catalog)
        self._listeners: list[Listener] = []
        self.revision = 0  # counts the edits: a snapshot names the one it shows
        self._batch_depth = 0  # batched() blocks open: their edits' Changes wait in _pending
        self._pending: list[Change] = []
        self._rack_floor: tuple[int, RackFloor] | None = None  # (revision, the racks' footprints then)
        # Given what replace_site lets go of (the old layout and its lookups), to free later:
        # the app frees them a slice at a time (gui.release; ~25 ms at once at 300,000 cables).
        self.retire: Callable[[object], None] | None = None
        self._reindex(cables=index_cables)

    # ---- listening -------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """Calls `listener` with the Change of every edit that changes something, in order."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stops calling `listener`; one never subscribed is ignored."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Edits made inside are told to the listeners once the outermost batch ends, merged
        into as few Changes as they allow (Change.merges_with; the edits of a Delete or a Paste
        into one): deleting nine racks one edit each re-analysed 300,000 cables nine times
        (~42 s at 100,000 accelerators). Told also when the block ends by an error (what the
        edits did, or their undoing, is the layout now). Inside, the lookups are current after
        each edit, and `revision` counts each; nobody is told until the end, so nothing reads
        an analysis of the layout half-edited."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if not self._batch_depth:
                pending, self._pending = self._pending, []
                for change in pending:
                    self._tell(change)

    def _emit(self, change: Change) -> None:
        self.revision += 1
        if not self._batch_depth:
            self._tell(change)
        elif self._pending and self._pending[-1].merges_with(change):
            self._pending[-1].absorb(change)
        else:
            self._pending.append(change.copy())

    def _tell(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    def ready_for_edits(self) -> None:
        """Notes now where each cable stands in the layout's list, as the first removal of a
        device or cable would (~15 ms at 300,000 cables): the app does it on its worker while
        a file opens, and replace_site(indexed=...) takes it over. The racks' footprints too
        (rack_floor: ~7 ms at 3,571 racks), which the floor plan reads as soon as the layout
        is shown."""
        self._cable_places.scan(self.site.cables)
        self.rack_floor()

    # ---- lookups (every name in _INDEXES) ----------------------------------------
    def _reindex(self, cables: bool = True) -> None:
        """Every lookup built afresh from `site`; cables, port_use and device_cables only when
        first read if not `cables`."""
        self.racks: dict[str, Rack] = {r.id: r for r in self.site.racks}
        self.device_rack: dict[str, Rack] = {}
        self.devices: dict[str, Device] = {}
        for rack in self.site.racks:
            for device in rack.devices:
                self.devices[device.id] = device
                self.device_rack[device.id] = rack
        self.trays: dict[str, Tray] = {t.id: t for t in self.site.trays}
        self._cable_places = CablePlaces()
        self._cables: dict[str, Cable] | None = None
        self._port_use: dict[str, str] | None = None
        self._device_cables: dict[str, list[str]] | None = None
        if cables:
            self._cables = {c.id: c for c in self.site.cables}
            self._index_cables()

    @property
    def cables(self) -> dict[str, Cable]:
        """Cable id -> the cable, for every cable of the layout."""
        if self._cables is None:  # left until read when not indexing cables (a command-line report reads none)
            self._cables = {c.id: c for c in self.site.cables}
        return self._cables

    @cables.setter
    def cables(self, value: dict[str, Cable]) -> None:
        """Replaces the index (id -> cable): replace_site takes over one built on a worker thread."""
        self._cables = value

    @property
    def port_use(self) -> dict[str, str]:
        """'device:port' -> the id of the cable on it, for every cable end."""
        if self._port_use is None:
            self._index_cables()
        return self._port_use  # type: ignore[return-value]  # set by _index_cables

    @port_use.setter
    def port_use(self, value: dict[str, str]) -> None:
        """Replaces the index ('device:port' -> cable id): replace_site takes over one built on a worker thread."""
        self._port_use = value

    @property
    def device_cables(self) -> dict[str, list[str]]:
        """Device id -> the ids of the cables with an end on it, each once, in no set order
        (devices without cables left out; one left without may keep an empty list). Lists, not
        sets: a set of a switch's 64-128 ids took ~2 KB, 33 MB of a 300,000-cable layout."""
        if self._device_cables is None:
            self._index_cables()
        return self._device_cables  # type: ignore[return-value]  # set by _index_cables

    @device_cables.setter
    def device_cables(self, value: dict[str, list[str]]) -> None:
        """Replaces the index (device id -> its cables' ids): replace_site takes over one built on a worker thread."""
        self._device_cables = value

    def _index_cables(self) -> None:
        port_use: dict[str, str] = {}
        device_cables: dict[str, list[str]] = {}
        self._port_use, self._device_cables = port_use, device_cables
        # _index_cable for every cable, inlined: a file of 200,000 cables reindexes in 0.2 s, not 0.8 s.
        for cable in self.site.cables:
            cable_id = cable.id
            for ref in cable.refs:
                port_use[ref] = cable_id
                device_id = ref.partition(":")[0]  # split_port_ref's device
                found = device_cables.get(device_id)
                if found is None:
                    device_cables[device_id] = [cable_id]
                elif found[-1] != cable_id:  # a cable's ends on one device: its id was the last put in
                    found.append(cable_id)

    def take_cable_lookups(self, other: Document) -> bool:
        """Copies `other`'s cable lookups (cables, port_use, device_cables) instead of building
        them, when this layout's cables are `other`'s in the same order with the same ends (a
        scenario laid on it changes pins, never an end): ~0.1 s where indexing every cable took
        ~0.7 s at 300,000 cables. Returns whether it did (else nothing changed: the lookups are
        built when first read). `other` must not be edited meanwhile (a worker behind the busy
        dialog; its lists are copied, so later edits of `other` leave these alone). Raises
        nothing."""
        mine, theirs = self.site.cables, other.site.cables
        if len(mine) != len(theirs):
            return False
        for cable, known in zip(mine, theirs, strict=True):
            if cable is not known and (cable.id != known.id or cable.a != known.a or cable.b != known.b):
                return False
        self._cables = {cable.id: cable for cable in mine}
        self._port_use = dict(other.port_use)
        self._device_cables = {device: list(ids) for device, ids in other.device_cables.items()}
        return True

    def _index_cable(self, cable: Cable) -> None:
        for ref in cable.refs:
            self.port_use[ref] = cable.id
            found = self.device_cables.setdefault(split_port_ref(ref)[0], [])
            if not found or found[-1] != cable.id:  # each once (see _index_cables)
                found.append(cable.id)

    def _unindex_cable(self, cable: Cable) -> None:
        for ref in cable.refs:
            self.port_use.pop(ref, None)
            found = self.device_cables.get(split_port_ref(ref)[0])
            if found is not None and cable.id in found:  # its second end on the device: gone already
                found.remove(cable.id)

    def rack(self, rack_id: str) -> Rack:
        """The rack of that id; raises LayoutError when there is none."""
        try:
            return self.racks[rack_id]
        except KeyError:
            raise LayoutError(f"no rack {rack_id!r}") from None

    def device(self, device_id: str) -> Device:
        """The device of that id; raises LayoutError when there is none."""
        try:
            return self.devices[device_id]
        except KeyError:
            raise LayoutError(f"no device {device_id!r}") from None

    def cables_of_device(self, device_id: str) -> list[Cable]:
        """The cables with an end on the device, by id; none for an unknown device."""
        return [self.cables[c] for c in sorted(self.device_cables.get(device_id, ()))]

    def cables_of_rack(self, rack_id: str) -> list[Cable]:
        """The cables with an end in the rack, device by device (a cable between two of its
        devices comes twice); raises LayoutError for an unknown rack."""
        return [c for d in self.rack(rack_id).devices for c in self.cables_of_device(d.id)]

    def unique_id(self, stem: str, taken: set[str] | dict[str, Any]) -> str:
        """`stem` with the lowest number from 1 that makes an id not in `taken` ('R' -> 'R3')."""
        n = 1
        while f"{stem}{n}" in taken:
            n += 1
        return f"{stem}{n}"

    # ---- whole layout ----------------------------------------------------------
    def replace_site(self, site: Site, check: bool = True, indexed: Document | None = None) -> None:
        """Swap in another layout (open, new); checked whole before anything changes.

        `check=False` only for a site that was just checked against this catalog (a loaded file).
        `indexed`: a Document already holding `site` (built on a worker thread), whose
        lookups are taken over instead of indexing 200k cables again here.
        """
        if check:
            check_site(site, self.catalog)
        # What the swap lets go of (the lookups as held: reading one left lazy would build it).
        old: tuple[object, ...] = (self.site, self._cable_places, self.racks, self.device_rack, self.devices)
        old += (self.trays, self._cables, self._port_use, self._device_cables)
        self.site = site
        if indexed is not None and indexed.site is site:
            for name in _INDEXES:
                setattr(self, name, getattr(indexed, name))
            self._cable_places = indexed._cable_places
            if indexed._rack_floor is not None and indexed._rack_floor[0] == indexed.revision:
                # Built for this very site: current from the revision the swap below makes.
                self._rack_floor = (self.revision + 1, indexed._rack_floor[1])
        else:
            self._reindex()
        if self.retire is not None:
            self.retire(old)
        del old
        self._emit(Change(everything=True, structure=True))

    def set_catalog(self, catalog: Catalog) -> None:
        """Swap the catalog (e.g. after importing device types); the layout must still hold."""
        if catalog is self.catalog:
            return
        check_site(self.site, catalog)
        self.catalog = catalog
        self._emit(Change(everything=True, structure=True))

    def rename_site(self, name: str) -> None:
        """Sets the layout's name (str). Raises LayoutError for a name the file cannot hold."""
        if not isinstance(name, str):
            raise LayoutError(f"a layout name is text, not {type(name).__name__}", "name")
        self.set_properties(name=name)

    def set_properties(self, name: str | None = None, info: Any = None, naming: Any = None) -> None:
        """Sets the layout's name (str), info (model.layout.LayoutInfo or its dict: site, hall,
        author, revision, date) and naming scheme (NamingScheme or its dict); None keeps one.
        Raises LayoutError naming the field for a value the file cannot hold (nothing changed)."""
        current = self.site.model_dump(include={"name", "info", "naming"})
        given = {"name": name, "info": info, "naming": naming}
        wanted = {k: (v.model_dump() if isinstance(v, BaseModel) else v) for k, v in given.items() if v is not None}
        updated = _validated(_SiteProperties, {**current, **wanted}, "")
        if updated.model_dump() == current:
            return
        self.site.name, self.site.info, self.site.naming = updated.name, updated.info, updated.naming
        self._emit(Change(names=True))

    def rename_many(
        self,
        racks: dict[str, str] | None = None,
        devices: dict[str, str] | None = None,
        cables: dict[str, str] | None = None,
    ) -> None:
        """Sets the names of racks and devices and the labels of cables (id → text) in one edit.
        Raises LayoutError for an unknown id or a text the file cannot hold (nothing changed)."""
        racks, devices, cables = racks or {}, devices or {}, cables or {}
        checked: list[tuple[Any, str, str]] = []
        for what, wanted, lookup, field_name in (
            ("rack", racks, self.racks, "name"),
            ("device", devices, self.devices, "name"),
            ("cable", cables, self.cables, "label"),
        ):
            for thing_id, text in wanted.items():
                thing = lookup.get(thing_id)
                if thing is None:
                    raise LayoutError(f"no {what} {thing_id!r}")
                value = _validated(_Name, {"text": text}, f"{what} {thing_id}").text
                checked.append((thing, field_name, value))
        changed = [(thing, f, v) for thing, f, v in checked if getattr(thing, f) != v]
        if not changed:
            return
        for thing, field_name, value in changed:
            setattr(thing, field_name, value)
        self._emit(Change(racks=set(racks), devices=set(devices), cables=set(cables), names=True))

    def set_scenarios(self, scenarios: list) -> None:
        """Replaces the layout's scenarios (model.layout.Scenario, names unique). Raises
        LayoutError (nothing changed) for a list the file could not hold."""
        try:
            updated = Site.model_validate({**self.site.model_dump(include={"scenarios"}), "scenarios": scenarios})
        except ValidationError as exc:
            raise LayoutError(f"scenarios: {exc.errors()[0]['msg']}", "scenarios") from None
        if updated.scenarios != self.site.scenarios:
            self.site.scenarios = updated.scenarios
            self._emit(Change(scenarios=True))

    def update_settings(self, **values: Any) -> None:
        """Sets site settings (SiteSettings fields); raises LayoutError naming 'site.<field>' for
        a value it refuses. Every cable is re-analysed."""
        updated = _validated(SiteSettings, {**self.site.settings.model_dump(), **values}, "site")
        if updated != self.site.settings:
            self.site.settings = updated
            self._emit(Change(settings=True, everything=True))

    # ---- racks -----------------------------------------------------------------
    def add_rack(self, rack: Rack, index: int | None = None) -> None:
        """Adds `rack` with its devices at `index` of the rack list (default: the end).

        Raises LayoutError when its id or a device id is taken, a device does not fit it, or
        it would overlap another rack on the floor.
        """
        self._put_rack(rack, index)
        self._emit(Change(racks={rack.id}, devices={d.id for d in rack.devices}, structure=True))

    def _put_rack(self, rack: Rack, index: int | None) -> None:
        """add_rack without telling the listeners."""
        if rack.id in self.racks:
            raise LayoutError(f"rack id {rack.id!r} is taken")
        for i, device in enumerate(rack.devices):
            if device.id in self.devices:
                raise LayoutError(f"device id {device.id!r} is taken", f"devices[{i}]")
            check_device_fits(rack, device, self.catalog, f"devices[{i}]")
        self._check_floor(rack, ignore=None)
        position = len(self.site.racks) if index is None else index
        self.site.racks.insert(position, rack)
        # Its own lookups only: every one built afresh took ~0.6 s at 300,000 cables, on the GUI thread.
        self.racks[rack.id] = rack
        for device in rack.devices:
            self.devices[device.id] = device
            self.device_rack[device.id] = rack

    def _check_floor(self, rack: Rack, ignore: str | None) -> None:
        pairs = self.rack_floor().clashes([rack], {ignore} if ignore else set())
        if pairs:
            clash = self.site.racks[pairs[0][0]]
            raise LayoutError(f"rack {rack.label!r} would overlap rack {clash.label!r} on the floor")

    def rack_floor(self) -> RackFloor:
        """The footprints of the layout's racks as columns (model.rules.RackFloor, aligned with
        site.racks), kept until the next change: a drag step checks its racks against them
        twice (the drag and move_racks), ~2 ms each at 3,571 racks when built each time.
        Read it, never change it; raises nothing."""
        floor = self._rack_floor
        racks = self.site.racks
        if (
            floor is None
            or floor[0] != self.revision
            or floor[1].racks is not racks
            or len(floor[1].low_x) != len(racks)
        ):
            floor = self._rack_floor = (self.revision, RackFloor(racks))
        return floor[1]

    def move_rack(self, rack_id: str, x_mm: float, y_mm: float, facing: str | None = None) -> None:
        """Moves one rack's centre to (x_mm, y_mm), facing `facing` (default: as it faces); see move_racks."""
        self.move_racks({rack_id: (x_mm, y_mm, facing or self.rack(rack_id).facing)})

    def move_racks(self, moves: dict[str, RackPlace]) -> None:
        """Moves racks together: id -> (x_mm, y_mm, facing), or (x_mm, y_mm, facing, row) for a
        rack that joins another row (a drag into it takes the row's facing and name). Checked
        as a whole, one change. Raises LayoutError for an unknown rack, a value a rack refuses
        (naming 'rack <id>.<field>') or an overlap on the floor; then no rack moves.

        Racks of a row moved along it may pass over each other's old places; only where
        they all end up counts.
        """
        moved = {}
        for rack_id, spot in moves.items():
            rack = self.rack(rack_id)
            place = dict(zip(("x_mm", "y_mm", "facing", "row"), spot))
            if any(getattr(rack, name) != value for name, value in place.items()):
                # Every value is checked before any rack moves: a bad one refuses the whole move.
                moved[rack_id] = _validated(Rack, {**rack.model_dump(exclude={"devices"}), **place}, f"rack {rack_id}")
        if not moved:
            return
        floor = self.rack_floor()
        # The racks staying put first, in the layout's order, then the moved ones among themselves.
        clash = floor.first_clash(list(moved.values()), set(moved))
        if clash is not None:
            raise LayoutError(f"rack {clash[0].label!r} would overlap rack {clash[1].label!r} on the floor")
        cables: set[str] = set()
        for rack_id, copy in moved.items():
            rack = self.racks[rack_id]
            rack.x_mm, rack.y_mm, rack.facing, rack.row = copy.x_mm, copy.y_mm, copy.facing, copy.row
            cables.update(self._cable_ids_of_rack(rack))
        floor.moved(moved)
        self._emit(Change(racks=set(moved), cables=cables))
        if self._rack_floor is not None and self._rack_floor[1] is floor:
            self._rack_floor = (self.revision, floor)  # still the racks as they stand

    def update_rack(self, rack_id: str, **values: Any) -> None:
        """Sets fields of a rack (not its devices or id). Raises LayoutError, naming
        'rack <id>.<field>', for a value it refuses, a device that would no longer fit, or an
        overlap on the floor."""
        rack = self.rack(rack_id)
        values.pop("devices", None)
        _keep_id(values, rack_id, "rack")
        updated = _validated(Rack, {**rack.model_dump(exclude={"devices"}), **values}, f"rack {rack_id}")
        if updated.model_dump(exclude={"devices"}) == rack.model_dump(exclude={"devices"}):
            return
        for i, device in enumerate(rack.devices):
            check_device_fits(updated, device, self.catalog, f"devices[{i}]")
        self._check_floor(updated, ignore=rack_id)
        for key in values:
            setattr(rack, key, getattr(updated, key))
        self._emit(Change(racks={rack_id}, cables=self._cable_ids_of_rack(rack)))

    def _cable_ids_of_rack(self, rack: Rack) -> set[str]:
        # The ids alone, from device_cables: cables_of_rack sorts and looks up every cable's
        # model, ~0.7 ms of every drag step of a rack of 544 cables.
        device_cables = self.device_cables
        return {c for d in rack.devices for c in device_cables.get(d.id, ())}

    def remove_rack(self, rack_id: str) -> RemovedRacks:
        """Removes a rack, its devices and every cable ending in it (remove_racks of one);
        returns what restore_racks needs. Raises LayoutError for an unknown rack."""
        return self.remove_racks([rack_id])

    def remove_racks(self, rack_ids: list[str]) -> RemovedRacks:
        """Removes racks `rack_ids` (each once), their devices and every cable ending in them,
        as one edit; returns what restore_racks needs. Raises LayoutError for an unknown rack,
        before changing anything. Cables are found by identity and unindexed one by one
        (remove_device's way: every lookup built afresh took ~0.6 s at 300,000 cables), in one
        pass for all the racks (a pass a rack copied the cable list each time: deleting all
        3,571 racks of a 300,000-cable layout took ~75 s)."""
        racks = [self.rack(rack_id) for rack_id in dict.fromkeys(rack_ids)]
        gone = {rack.id for rack in racks}
        places = [(i, rack) for i, rack in enumerate(self.site.racks) if rack.id in gone]
        device_cables = self.device_cables
        cable_ids = {c for rack in racks for d in rack.devices for c in device_cables.get(d.id, ())}
        removed_cables = self._cable_places.find(self.site.cables, [self.cables[c] for c in cable_ids])
        for _, cable in removed_cables:
            self._unindex_cable(cable)
            del self.cables[cable.id]
        positions = [position for position, _ in removed_cables]
        self.site.cables = list_without(self.site.cables, positions)
        self._cable_places.removed(positions)
        for index, _ in reversed(places):  # in place, as restore_racks puts them back
            self.site.racks.pop(index)
        devices = set()
        for rack in racks:
            del self.racks[rack.id]
            for device in rack.devices:
                devices.add(device.id)
                del self.devices[device.id]
                del self.device_rack[device.id]
                device_cables.pop(device.id, None)
        self._emit(Change(racks=gone, devices=devices, cables=cable_ids, structure=True))
        return RemovedRacks(places, removed_cables)

    def restore_racks(self, removed: RemovedRacks) -> None:
        """Puts back what remove_racks (or remove_rack) removed, each in its place, as one edit:
        racks and their cables told as one change, re-analysed once. Raises LayoutError, changing nothing, when a rack's or a device's id is
        taken or a rack would overlap one on the floor now."""
        racks = [rack for _, rack in removed.racks]
        for rack in racks:
            if rack.id in self.racks:
                raise LayoutError(f"rack id {rack.id!r} is taken")
            for device in rack.devices:
                if device.id in self.devices:
                    raise LayoutError(f"device id {device.id!r} is taken")
        # One check of them all against the floor: the racks stood together before (a check a
        # rack rebuilt the floor's columns each time, as the list grew).
        pairs = self.rack_floor().clashes(racks, set())
        if pairs:
            i, k = pairs[0]
            raise LayoutError(f"rack {racks[k].label!r} would overlap rack {self.site.racks[i].label!r} on the floor")
        for index, rack in removed.racks:  # ascending: each goes back where it stood
            self.site.racks.insert(index, rack)
            self.racks[rack.id] = rack
            for device in rack.devices:
                self.devices[device.id] = device
                self.device_rack[device.id] = rack
        cable_ids = self._put_cables(removed.cables)
        devices = {d.id for rack in racks for d in rack.devices}
        self._emit(Change(racks={rack.id for rack in racks}, devices=devices, cables=cable_ids, structure=True))

    # ---- devices ---------------------------------------------------------------
    def check_placement(self, rack_id: str, device: Device, ignore: str | None = None) -> None:
        """Raises LayoutError saying why `device` cannot go where it says; used for the drag ghost too."""
        rack = self.rack(rack_id)
        device_type = check_device_fits(rack, device, self.catalog, "device")
        clash = find_overlap(rack, device, self.catalog, ignore=ignore)
        if clash is not None:
            other, (low, high) = clash
            first, last = device_u_range(device, device_type)
            raise LayoutError(f"U{first}-{last} overlaps {other.label!r} (U{low}-{high}) in rack {rack.label!r}")

    def place_device(self, rack_id: str, device: Device, index: int | None = None) -> None:
        """Puts `device` (its U and face set) in the rack, at `index` of its device list
        (default: the end). Raises LayoutError when its id is taken or it does not fit there."""
        self._put_device(rack_id, device, index)
        self._emit(Change(racks={rack_id}, devices={device.id}, structure=True))

    def _put_device(self, rack_id: str, device: Device, index: int | None) -> None:
        if device.id in self.devices:
            raise LayoutError(f"device id {device.id!r} is taken")
        self.check_placement(rack_id, device)
        rack = self.racks[rack_id]
        rack.devices.insert(len(rack.devices) if index is None else index, device)
        self.devices[device.id] = device
        self.device_rack[device.id] = rack

    def move_device(self, device_id: str, rack_id: str, u_position: int, face: str | None = None) -> None:
        """Moves a device to U `u_position` of rack `rack_id`, facing `face` ('front' or 'rear';
        default: as it is); its cables follow. Raises LayoutError where it does not fit."""
        device = self.device(device_id)
        source = self.device_rack[device_id]
        face = face or device.face
        if (source.id, device.u_position, device.face) == (rack_id, u_position, face):
            return
        moved = device.model_copy(update={"u_position": u_position, "face": face})
        self.check_placement(rack_id, moved, ignore=device_id)
        target = self.racks[rack_id]
        if target is not source:
            source.devices.remove(device)
            target.devices.append(device)
            self.device_rack[device_id] = target
        device.u_position, device.face = u_position, face  # type: ignore[assignment]
        cables = {c.id for c in self.cables_of_device(device_id)}
        self._emit(Change(racks={source.id, rack_id}, devices={device_id}, cables=cables))

    def rename_device(self, device_id: str, name: str) -> None:
        """Sets a device's name (its id stays); raises LayoutError for a name the file cannot hold."""
        device = self.device(device_id)
        name = _validated(Device, {**device.model_dump(), "name": name}, f"device {device_id}").name
        if device.name != name:
            device.name = name
            self._emit(Change(devices={device_id}, cables={c.id for c in self.cables_of_device(device_id)}))

    def remove_device(self, device_id: str) -> RemovedDevice:
        """Removes a device and every cable ending on it; returns what restore_device needs to
        put them back. Raises LayoutError for an unknown device."""
        device = self.device(device_id)
        rack = self.device_rack[device_id]
        cable_ids = {c.id for c in self.cables_of_device(device_id)}
        removed_cables = self._cable_places.find(self.site.cables, [self.cables[c] for c in cable_ids])
        index = rack.devices.index(device)
        for _, cable in removed_cables:
            self._unindex_cable(cable)
            del self.cables[cable.id]
        for position, _ in reversed(removed_cables):
            del self.site.cables[position]
        self._cable_places.removed([position for position, _ in removed_cables])
        rack.devices.pop(index)
        del self.devices[device_id]
        del self.device_rack[device_id]
        self._emit(Change(racks={rack.id}, devices={device_id}, cables=cable_ids, structure=True))
        return RemovedDevice(rack.id, index, device, removed_cables)

    def restore_device(self, removed: RemovedDevice) -> None:
        """Puts back what remove_device removed, each in its place (the undo of remove_device),
        as one edit: the analysis re-analyses the device and its cables in one pass."""
        self._put_device(removed.rack_id, removed.device, removed.index)
        cable_ids = self._put_cables(removed.cables)
        change = Change(racks={removed.rack_id}, devices={removed.device.id}, cables=cable_ids, structure=True)
        self._emit(change)

    # ---- cables ----------------------------------------------------------------
    def check_connection(self, cable: Cable) -> float:
        """Raises LayoutError when `cable` cannot be added; returns the rate it would run at."""
        if cable.id in self.cables:
            raise LayoutError(f"cable id {cable.id!r} is taken")
        return check_cable(cable, self.devices, self.catalog, self.port_use, "cable")

    def connect(self, cable: Cable, index: int | None = None) -> None:
        """Adds `cable` at `index` of the cable list (default: the end); raises LayoutError as
        check_connection does."""
        self.check_connection(cable)
        count = len(self.site.cables)
        # The place list.insert would put it, so CablePlaces is told the right one.
        index = count if index is None else min(max(index + count if index < 0 else index, 0), count)
        self.site.cables.insert(index, cable)
        self._cable_places.inserted([(index, cable)])
        self.cables[cable.id] = cable
        self._index_cable(cable)
        self._emit(Change(cables={cable.id}, structure=True))

    def connect_many(self, cables: list[Cable]) -> None:
        """Adds many cables as one edit (auto-wiring); all or nothing."""
        used = dict(self.port_use)
        for i, cable in enumerate(cables):
            if cable.id in self.cables:
                raise LayoutError(f"cable id {cable.id!r} is taken", f"cables[{i}]")
            check_cable(cable, self.devices, self.catalog, used, f"cables[{i}]")
            used.update(dict.fromkeys(cable.refs, cable.id))
        self.site.cables.extend(cables)
        for cable in cables:
            self.cables[cable.id] = cable
            self._index_cable(cable)
        self._emit(Change(cables={c.id for c in cables}, structure=True))

    def disconnect(self, cable_id: str) -> tuple[int, Cable]:
        """Removes a cable; returns its place in the cable list and the cable. Raises
        LayoutError for an unknown cable."""
        cable = self.cables.get(cable_id)
        if cable is None:
            raise LayoutError(f"no cable {cable_id!r}")
        # Found by identity (CablePlaces), not list.index: that compares the cables before it
        # field by field through pydantic's __eq__, ~0.5 s for the last of 300,000.
        [(index, _)] = self._cable_places.find(self.site.cables, [cable])
        self.site.cables.pop(index)
        self._cable_places.removed([index])
        del self.cables[cable_id]
        self._unindex_cable(cable)
        self._emit(Change(cables={cable_id}, structure=True))
        return index, cable

    def disconnect_many(self, cable_ids: list[str]) -> list[tuple[int, Cable]]:
        """Removes the cables of those ids as one edit (unknown ids are skipped); returns
        (place in the cable list, cable) of each removed, in list order."""
        wanted = set(cable_ids)
        removed = [(i, c) for i, c in enumerate(self.site.cables) if c.id in wanted]
        self.site.cables = [c for c in self.site.cables if c.id not in wanted]
        for _, cable in removed:
            del self.cables[cable.id]
            self._unindex_cable(cable)
        if removed:
            self._emit(Change(cables=wanted, structure=True))
        return removed

    def update_cable(self, cable_id: str, **values: Any) -> None:
        """Sets fields of a cable (not its id): label, ends, rate, pins, flexed. Raises
        LayoutError for an unknown cable, a value it refuses ('cable <id>.<field>') or ends
        that cannot be joined or are in use."""
        cable = self.cables.get(cable_id)
        if cable is None:
            raise LayoutError(f"no cable {cable_id!r}")
        _keep_id(values, cable_id, "cable")
        updated = _validated(Cable, {**cable.model_dump(), **values}, f"cable {cable_id}")
        if updated == cable:
            return
        others = {k: v for k, v in self.port_use.items() if v != cable_id}
        check_cable(updated, self.devices, self.catalog, others, "cable")
        self._unindex_cable(cable)
        for key in values:
            setattr(cable, key, getattr(updated, key))
        self._index_cable(cable)
        self._emit(Change(cables={cable_id}, structure=("a" in values or "b" in values)))

    def _restore_cables(self, cables: list[tuple[int, Cable]]) -> None:
        if self._put_cables(cables):
            self._emit(Change(cables={c.id for _, c in cables}, structure=True))

    def _put_cables(self, cables: list[tuple[int, Cable]]) -> set[str]:
        """Puts `cables` back at their places in the cable list; returns their ids."""
        ordered = sorted(cables, key=lambda item: item[0])
        if len(ordered) <= FEW_CABLES:
            # One by one: list.insert moves pointers, where a copy of the list touches every
            # cable's reference count (~15 ms at 300,000: an undo of a server's delete).
            places = []
            for index, cable in ordered:
                places.append((min(index, len(self.site.cables)), cable))
                self.site.cables.insert(places[-1][0], cable)
        else:  # the list copied once around them (a rack's 1,392: each insert moved 300,000 pointers)
            self.site.cables, places = list_with(self.site.cables, ordered)
        for _, cable in ordered:
            self.cables[cable.id] = cable
            self._index_cable(cable)
        self._cable_places.inserted(places)
        return {c.id for _, c in cables}

    # ---- trays -----------------------------------------------------------------
    def add_tray(self, tray: Tray, index: int | None = None) -> None:
        """Adds `tray` at `index` of the tray list (default: the end); every cable re-routes.
        Raises LayoutError when its id is taken."""
        if tray.id in self.trays:
            raise LayoutError(f"tray id {tray.id!r} is taken")
        self.site.trays.insert(len(self.site.trays) if index is None else index, tray)
        self.trays[tray.id] = tray
        self._emit(Change(trays={tray.id}, structure=True, everything=True))

    def remove_tray(self, tray_id: str) -> tuple[int, Tray]:
        """Removes a tray; returns its place in the tray list and the tray. Every cable
        re-routes. Raises LayoutError for an unknown tray."""
        tray = self.trays.pop(tray_id, None)
        if tray is None:
            raise LayoutError(f"no tray {tray_id!r}")
        index = self.site.trays.index(tray)
        self.site.trays.pop(index)
        self._emit(Change(trays={tray_id}, structure=True, everything=True))
        return index, tray

    def update_tray(self, tray_id: str, **values: Any) -> None:
        """Sets fields of a tray (not its id); every cable re-routes. Raises LayoutError for an
        unknown tray or a value it refuses ('tray <id>.<field>')."""
        tray = self.trays.get(tray_id)
        if tray is None:
            raise LayoutError(f"no tray {tray_id!r}")
        _keep_id(values, tray_id, "tray")
        updated = _validated(Tray, {**tray.model_dump(), **values}, f"tray {tray_id}")
        if updated == tray:
            return
        for key in values:
            setattr(tray, key, getattr(updated, key))
        self._emit(Change(trays={tray_id}, everything=True))


class CablePlaces:
    """Where cable objects stand in the layout's cable list, found by identity.

    Keeps the ids of the list's objects as of its last scan (one C-level pass: ~10 ms at
    300,000 cables), brought up to date by the edits that remove and put back cables
    (Document.remove_device, its undo). Every answer is checked against the list itself (the
    object at each place found must be one of those wanted, and all must be found), so a copy
    gone stale through another edit only costs a new scan."""

    def __init__(self) -> None:
        self._ids: np.ndarray | None = None

    def scan(self, items: list) -> np.ndarray:
        """Notes where every object of `items` (the layout's cable list) stands, now; returns
        their ids (uint64, in list order)."""
        self._ids = np.fromiter(map(id, items), dtype=np.uint64, count=len(items))
        return self._ids

    def find(self, items: list, wanted: list) -> list[tuple[int, Any]]:
        """(index, item) of each object of `wanted` in `items`, in list order."""
        if not wanted:
            return []
        want = np.array([id(w) for w in wanted], dtype=np.uint64)
        if self._ids is not None and len(self._ids) == len(items):
            found = np.nonzero(np.isin(self._ids, want))[0].tolist()
            if len(found) == len(wanted) and {id(items[i]) for i in found} == set(want.tolist()):
                return [(i, items[i]) for i in found]
        found = np.nonzero(np.isin(self.scan(items), want))[0].tolist()
        return [(i, items[i]) for i in found]

    def removed(self, places: list[int]) -> None:
        """The objects at `places` (as they were) were taken out of the list."""
        if self._ids is not None and places:
            fits = max(places) < len(self._ids)  # else stale: found again by the next scan
            self._ids = np.delete(self._ids, places) if fits else None

    def inserted(self, places: list[tuple[int, Any]]) -> None:
        """Objects were put in at these (final index, object), in ascending order of index."""
        if self._ids is not None and places:
            at = [index - k for k, (index, _) in enumerate(places)]
            if max(at) > len(self._ids):  # stale: found again by the next scan
                self._ids = None
                return
            self._ids = np.insert(self._ids, at, np.array([id(item) for _, item in places], dtype=np.uint64))


def _keep_id(values: dict[str, Any], current: str, what: str) -> None:
    """Raises LayoutError when `values` would give a thing a new id (lookups are keyed by it)."""
    if "id" in values and values["id"] != current:
        raise LayoutError(f"a {what}'s id cannot change ({current!r} to {values['id']!r})", "id")


def _validated(model: type[M], data: dict[str, Any], what: str) -> M:
    """`model` checked from `data`; a refusal becomes one LayoutError whose `where` is the
    thing and its field, e.g. 'rack R1.height_u'."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field_name = ".".join(str(part) for part in first["loc"]) or "value"
        raise LayoutError(first["msg"], f"{what}.{field_name}" if what else field_name) from None

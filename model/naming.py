"""Naming schemes: the names people read, made from patterns the layout stores.

A pattern is text with {fields} in Python's format syntax, e.g. '{hall}-{row}{rack:02}'.
Counters ({rack}, {device}, {cable}, {u}) take a zero-padded width ('{rack:02}' → '07');
text fields take none. Only the fields below exist (no attribute or index access), so a
pattern from a file can do nothing but fill in text.

- rack patterns: {site}, {hall} (the layout's info), {row} (the rack's row), {rack} (a
  number: the rack's place among those named, by row then along it);
- device patterns: {site}, {hall}, {row}, {rack} (the rack's name), {u} (lowest U),
  {kind} (server, switch, … from the catalog), {device} (a number: its place in its rack
  from the bottom);
- cable patterns (a cable's id as people read it, kept in its label): {site}, {hall},
  {cable} (a number, in the layout's order), {a_rack}, {a_u}, {a_device}, {a_port} and the
  same for end b.

Names are unique among their kind: a plan that would give two things one name raises
LayoutError naming both.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from model.errors import LayoutError

if TYPE_CHECKING:
    from model.catalog import Catalog
    from model.document import Document
    from model.layout import Cable, Device, Rack, Site

_COMMON = ("site", "hall")
FIELDS: dict[str, dict[str, type]] = {
    "rack": {"site": str, "hall": str, "row": str, "rack": int},
    "device": {"site": str, "hall": str, "row": str, "rack": str, "u": int, "kind": str, "device": int},
    "cable": {
        "site": str,
        "hall": str,
        "cable": int,
        **{f"{end}_{what}": kind for end in "ab" for what, kind in (("rack", str), ("u", int), ("device", str))},
        "a_port": str,
        "b_port": str,
    },
}
_WIDTH = re.compile(r"0?\d{0,2}")
_TRIM = "-_. "
MAX_NAME = 200  # model.layout.MAX_TEXT: a name longer than a file may hold is cut there


def check_pattern(kind: str, pattern: str) -> None:
    """Checks a `kind` ('rack', 'device' or 'cable') pattern; raises ValueError naming the
    first field or format it cannot fill. An empty pattern is allowed (names are kept)."""
    allowed = FIELDS[kind]
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ValueError(f"{pattern!r}: {exc} (write {{{{ and }}}} for braces)") from None
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in allowed:
            names = ", ".join(f"{{{name}}}" for name in allowed)
            raise ValueError(f"{{{field}}} is not a {kind} pattern field; it may use {names}")
        if conversion:
            raise ValueError(f"{{{field}!{conversion}}}: a pattern field takes no conversion")
        if spec and (allowed[field] is not int or not _WIDTH.fullmatch(spec)):
            what = "a width such as :02" if allowed[field] is int else "no format"
            raise ValueError(f"{{{field}:{spec}}}: {{{field}}} takes {what}")


def fill(pattern: str, values: dict[str, Any]) -> str:
    """The name `pattern` (checked by check_pattern) makes of `values`, without separators
    ('-', '_', '.', spaces) at either end that an empty field left there, cut to MAX_NAME
    characters (long site, hall and row texts could make more than a file may hold)."""
    return pattern.format_map(values).strip(_TRIM)[:MAX_NAME].rstrip(_TRIM)


def _natural(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def rack_order(racks: Iterable[Rack]) -> list[Rack]:
    """Racks in numbering order: by row (natural order, 'B2' before 'B10'), then x, then y (mm)."""
    return sorted(racks, key=lambda r: (_natural(r.row), r.x_mm, r.y_mm))


def _common(site: Site) -> dict[str, Any]:
    return {"site": site.info.site, "hall": site.info.hall}


def plan_rack_names(site: Site, racks: list[Rack], start: int = 1) -> dict[str, str]:
    """New name per rack id for `racks` of `site` by its rack pattern, numbered from `start`
    in rack_order. Empty when the pattern is empty."""
    pattern = site.naming.rack
    if not pattern:
        return {}
    common = _common(site)
    return {
        rack.id: fill(pattern, {**common, "row": rack.row, "rack": start + k})
        for k, rack in enumerate(rack_order(racks))
    }


def _device_values(site: Site, catalog: Catalog, rack: Rack, rack_name: str, device: Device) -> dict[str, Any]:
    device_type = catalog.devices.get(device.type)
    kind = device_type.kind if device_type is not None else "device"
    return {**_common(site), "row": rack.row, "rack": rack_name, "u": device.u_position, "kind": kind}


def plan_device_names(
    site: Site,
    catalog: Catalog,
    devices: list[tuple[Rack, Device]],
    start: int = 1,
    rack_names: dict[str, str] | None = None,
) -> dict[str, str]:
    """New name per device id for `devices` ((its rack, device) pairs) by the device pattern:
    {device} counts from `start` within each rack, from the bottom (U ascending). A rack's
    name is its label, or its new name in `rack_names` (rack id → name)."""
    pattern = site.naming.device
    if not pattern:
        return {}
    rack_names = rack_names or {}
    by_rack: dict[str, list[tuple[Rack, Device]]] = {}
    for rack, device in devices:
        by_rack.setdefault(rack.id, []).append((rack, device))
    names: dict[str, str] = {}
    for pairs in by_rack.values():
        pairs.sort(key=lambda pair: (pair[1].u_position, pair[1].face, pair[1].id))
        for k, (rack, device) in enumerate(pairs):
            values = _device_values(site, catalog, rack, rack_names.get(rack.id, rack.label), device)
            names[device.id] = fill(pattern, {**values, "device": start + k})
    return names


def plan_cable_labels(
    site: Site,
    cables: list[Cable],
    end_place: Callable[[str], tuple[str, int, str]],
    start: int = 1,
) -> dict[str, str]:
    """New label (the cable's id as people read it) per cable id for `cables`, in the given
    order, numbered from `start`. `end_place('device:port')` gives that end's (rack name, U,
    device name)."""
    pattern = site.naming.cable
    if not pattern:
        return {}
    common = _common(site)
    labels: dict[str, str] = {}
    for k, cable in enumerate(cables):
        values: dict[str, Any] = {**common, "cable": start + k}
        for end, ref in (("a", cable.a), ("b", _first_port(cable.b))):
            rack, u, device = end_place(ref)
            port = ref.partition(":")[2]
            values.update({f"{end}_rack": rack, f"{end}_u": u, f"{end}_device": device, f"{end}_port": port})
        labels[cable.id] = fill(pattern, values)
    return labels


def _first_port(end: str | list[str]) -> str:
    """An end's port, or the first leg's of a breakout's end b (a list of ports)."""
    return end if isinstance(end, str) else end[0]


def check_unique(what: str, new: dict[str, str], current: dict[str, str]) -> None:
    """Raises LayoutError when a name of `new` (id → new name) is empty, or is given twice, or
    is the name another `what` keeps; `current` maps every id of that kind to the name it
    has now. The message names both things as the designer sees them: by the name each has
    now, with its id (a fresh user read 'rack r17' for the rack labelled R05 on the floor)."""

    def who(thing_id: str) -> str:
        name = current.get(thing_id, "")
        return f"{what} {name!r} (id {thing_id})" if name and name != thing_id else f"{what} {thing_id}"

    owner: dict[str, str] = {}
    for thing_id, name in current.items():
        if thing_id not in new and name:
            owner.setdefault(name, thing_id)
    for thing_id, name in new.items():
        if not name:
            raise LayoutError(f"the {what} pattern gives {what} {thing_id} an empty name", f"naming.{what}")
        other = owner.get(name)
        if other is not None and other != thing_id:
            # Another thing keeps that name (not renamed now): rename it, or number from
            # elsewhere; the pattern gives two things one name: it needs a counter. (It always
            # advised a counter, also to a pattern that had one: a fresh user's find.)
            fix = (
                f"put a counter such as {{{what}}} in the pattern"
                if other in new
                else f"rename {who(other)} first, or number from another start"
            )
            raise LayoutError(
                f"{what} name {name!r} would be both {who(other)} and {who(thing_id)}: {fix}",
                f"naming.{what}",
            )
        owner[name] = thing_id


def next_free_name(pattern_fill: Callable[[int], str], taken: set[str], start: int = 1) -> tuple[str, int]:
    """The first name `pattern_fill(n)` for n = start, start + 1, … not in `taken`, and its n.
    A pattern without a counter (every n gives one name) gets '-2', '-3', … when taken."""
    name = pattern_fill(start)
    if name == pattern_fill(start + 1):  # no counter in the pattern
        suffix, free = 2, name
        while free in taken:
            free, suffix = f"{name}-{suffix}", suffix + 1
        return free, start
    n = start
    while name in taken:
        n += 1
        name = pattern_fill(n)
    return name, n


def new_rack_name(site: Site, rack: Rack, taken: set[str]) -> str:
    """A name for a rack added to `site` (pasted, inserted) by its rack pattern: the next
    {rack} number (one past the racks of its row when the pattern has {row}, else past every
    rack) whose name is not in `taken` (names in use); '' when the pattern is empty."""
    pattern = site.naming.rack
    if not pattern:
        return ""
    common = {**_common(site), "row": rack.row}
    if "{row" in pattern:
        start = 1 + sum(1 for r in site.racks if r.row == rack.row and r.id != rack.id)
    else:
        start = 1 + sum(1 for r in site.racks if r.id != rack.id)
    return next_free_name(lambda n: fill(pattern, {**common, "rack": n}), taken, start)[0]


def new_device_name(site: Site, catalog: Catalog, rack: Rack, rack_name: str, device: Device, taken: set[str]) -> str:
    """A name for a device added to `rack` (whose name is `rack_name`) by the device pattern:
    the next {device} number (one past the devices the rack holds in `site`) whose name is
    not in `taken`; '' when the pattern is empty."""
    pattern = site.naming.device
    if not pattern:
        return ""
    values = _device_values(site, catalog, rack, rack_name, device)
    held = next((r.devices for r in site.racks if r.id == rack.id), [])
    start = 1 + sum(1 for d in held if d.id != device.id)
    return next_free_name(lambda n: fill(pattern, {**values, "device": n}), taken, start)[0]


def named_rack(document: Document, rack: Rack, taken: set[str] | None = None) -> Rack:
    """`rack` (about to be added: dropped, inserted, pasted) named by the layout's rack
    pattern with the lowest free number; `taken`: the names in use (default: the racks'
    names), to which the new name is added. `rack` itself when the pattern is empty."""
    site = document.site
    if not site.naming.rack:
        return rack
    taken = {r.label for r in site.racks} if taken is None else taken
    name = new_rack_name(site, rack, taken)
    taken.add(name)
    return rack.model_copy(update={"name": name})


def named_device(document: Document, rack: Rack, device: Device, taken: set[str] | None = None) -> Device:
    """`device` (about to be placed in `rack`) named by the device pattern with the lowest
    free {device} number; `taken`: the names in use (default: every device's name), to
    which the new name is added. Unchanged when the pattern is empty."""
    site = document.site
    if not site.naming.device:
        return device
    taken = {d.label for d in document.devices.values()} if taken is None else taken
    name = new_device_name(site, document.catalog, rack, rack.label, device, taken)
    taken.add(name)
    return device.model_copy(update={"name": name})


def named_paste(
    document: Document, racks: list[Rack], placements: list[tuple[str, Device]], cables: list[Cable]
) -> tuple[list[Rack], list[tuple[str, Device]], list[Cable]]:
    """A paste plan (model.placement.plan_paste) with names by the layout's scheme: each
    pasted rack, each device (by its new rack's name) and each cable's label get the
    lowest free number, so nothing pasted repeats a name in use. Patterns left empty keep
    the copied names."""
    rack_names = {r.label for r in document.site.racks}
    device_names = {d.label for d in document.devices.values()}
    named_racks: list[Rack] = []
    for rack in racks:
        rack = named_rack(document, rack, rack_names)
        devices = [named_device(document, rack, device, device_names) for device in rack.devices]
        named_racks.append(rack.model_copy(update={"devices": devices}))
    named_placements = [
        (rack_id, named_device(document, document.racks[rack_id], device, device_names))
        for rack_id, device in placements
    ]
    pattern = document.site.naming.cable
    if not pattern or not cables:
        return named_racks, named_placements, cables
    place: dict[str, tuple[str, int, str]] = {}
    for rack in named_racks:
        for device in rack.devices:
            place[device.id] = (rack.label, device.u_position, device.label)
    for rack_id, device in named_placements:
        place[device.id] = (document.racks[rack_id].label, device.u_position, device.label)
    taken = {c.label or c.id for c in document.site.cables}
    named_cables, n = [], len(document.site.cables) + 1
    for cable in cables:
        values: dict[str, Any] = _common(document.site)
        for end, ref in (("a", cable.a), ("b", _first_port(cable.b))):
            device_id, _, port = ref.partition(":")
            rack_name, u, device_name = place[device_id]
            values.update({f"{end}_rack": rack_name, f"{end}_u": u, f"{end}_device": device_name, f"{end}_port": port})

        def numbered(k: int, values: dict[str, Any] = values) -> str:
            return fill(pattern, {**values, "cable": k})

        label, n = next_free_name(numbered, taken, n)
        taken.add(label)
        named_cables.append(cable.model_copy(update={"label": label}))
    return named_racks, named_placements, named_cables

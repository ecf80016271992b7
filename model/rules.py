"""The rules a layout must keep, checked against the catalog.

Each check names the place in the file (`racks[3].devices[2].u_position`) so that the
CLI, the GUI's dialog and a hand-editing designer all see where the problem is.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any, cast

import numpy as np
import shapely

from model import bulk
from model.breakout import breakout_for, check_breakout, shared_port_hint
from model.catalog import Catalog, DeviceType, PortSpec, protocol_clash
from model.connectors import connector_table
from model.errors import LayoutError
from model.layout import FACING_VECTORS, Cable, Device, Rack, Site, Tray, cable_column, split_port_ref

# The tray network cuts trays where they cross, one Python step per crossing (model.geometry.trays):
# past these a hostile file would take minutes to analyse, so it is refused at once instead.
MAX_TOTAL_TRAY_POINTS = 100_000
MAX_TRAY_CROSSINGS = 20_000
# Two real trays meet a few times at most; a tray doubling back over itself (or another)
# hundreds of times is no pathway, and each meeting is a junction the network must solve.
MAX_CROSSINGS_PER_TRAY_PAIR = 50


def device_u_range(device: Device, device_type: DeviceType) -> tuple[int, int]:
    """First and last U the device occupies."""
    return device.u_position, device.u_position + device_type.u_height - 1


def check_device_fits(rack: Rack, device: Device, catalog: Catalog, where: str) -> DeviceType:
    """The device's type, once it is known to fit the rack: a rack-mounted type whose U range
    ends within the rack's height and whose depth (mm) is no more than the rack's.

    Raises LayoutError at `where` (e.g. "devices[3]") and the field at fault.
    Overlap with other devices is find_overlap's.
    """
    device_type = catalog.device(device.type)
    if device_type is None:
        raise LayoutError(f"unknown device type {device.type!r}", f"{where}.type")
    if not device_type.rack_mountable:
        raise LayoutError(f"{device_type.name} is not rack-mounted (0U): it goes inside a server", f"{where}.type")
    top = device.u_position + device_type.u_height - 1
    if top > rack.height_u:
        raise LayoutError(
            f"{device.u_position} + {device_type.u_height}U exceeds a {rack.height_u}U rack", f"{where}.u_position"
        )
    if device_type.depth_mm > rack.depth_mm:
        raise LayoutError(
            f"{device_type.name} is {device_type.depth_mm:g} mm deep; rack {rack.label!r} is {rack.depth_mm:g} mm",
            f"{where}.type",
        )
    return device_type


def find_overlap(
    rack: Rack, candidate: Device, catalog: Catalog, ignore: str | None = None
) -> tuple[Device, tuple[int, int]] | None:
    """The device in `rack` that `candidate` would overlap, if any (`ignore`: a device id to skip)."""
    candidate_type = catalog.device(candidate.type)
    if candidate_type is None:
        return None
    low, high = device_u_range(candidate, candidate_type)
    for other in rack.devices:
        if other.id in (ignore, candidate.id):
            continue
        other_type = catalog.device(other.type)
        if other_type is None:
            continue
        other_low, other_high = device_u_range(other, other_type)
        if low <= other_high and other_low <= high:
            return other, (other_low, other_high)
    return None


def rack_footprint(rack: Rack) -> tuple[float, float, float, float]:
    """Axis-aligned floor box (xmin, ymin, xmax, ymax): facings are the four compass points."""
    fx, fy = FACING_VECTORS[rack.facing]
    half_w, half_d = rack.width_mm / 2, rack.depth_mm / 2
    # Along the facing direction the rack extends by its depth, across it by its width.
    ex = abs(fx) * half_d + abs(fy) * half_w
    ey = abs(fy) * half_d + abs(fx) * half_w
    return rack.x_mm - ex, rack.y_mm - ey, rack.x_mm + ex, rack.y_mm + ey


def overlapping_racks(racks: list[Rack], candidates: Iterable[int] | None = None) -> list[tuple[int, int]]:
    """Pairs of rack indices whose floor footprints overlap (touching is allowed)."""
    if len(racks) < 2:
        return []
    if candidates is not None:
        candidates = list(candidates)
        if len(candidates) <= FEW_CANDIDATES:
            return _overlapping_few(racks, candidates)
    boxes = np.array([rack_footprint(r) for r in racks])
    geoms = shapely.box(boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3])
    tree = shapely.STRtree(geoms)
    query = geoms if candidates is None else geoms[list(candidates)]
    index_map = np.arange(len(racks)) if candidates is None else np.array(list(candidates))
    pairs = tree.query(query, predicate="intersects")
    result = []
    for qi, ti in zip(index_map[pairs[0]], pairs[1]):
        if qi == ti:
            continue
        inter = shapely.intersection(geoms[qi], geoms[ti])
        if shapely.area(inter) > 1.0:  # mm²: touching racks share an edge of zero area
            result.append((int(min(qi, ti)), int(max(qi, ti))))
    return sorted(set(result))


FEW_CANDIDATES = 16  # racks checked against all the others with numpy, not through a tree of all


def _overlapping_few(racks: list[Rack], candidates: list[int]) -> list[tuple[int, int]]:
    """overlapping_racks for a few candidates (a drag step's racks): every footprint from
    columns, boxes that meet a candidate's found by comparing bounds, and only those measured
    as shapely measures them. Building a footprint and a tree for each of 3,571 racks was
    ~10 ms a drag step at 100,000 accelerators."""
    floor = RackFloor(racks)
    result = []
    for qi in candidates:
        for ti in floor.meeting(racks[qi]):
            if ti != qi and _overlap(racks[qi], racks[ti]):
                result.append((min(qi, ti), max(qi, ti)))
    return sorted(set(result))


def _overlap(first: Rack, second: Rack) -> bool:
    """Whether two racks' footprints overlap, as shapely measures it: touching racks share an
    edge of zero area, so more than 1 mm² counts."""
    return bool(
        shapely.area(shapely.intersection(shapely.box(*rack_footprint(first)), shapely.box(*rack_footprint(second))))
        > 1.0
    )


class RackFloor:
    """The footprints of a list of racks as columns, to check a few racks against all of
    them: a drag step's racks against the 3,571 of a 100,000-accelerator hall.

    Takes `racks` (Rack models, in order: the list is kept, not copied). Holds `low_x`,
    `low_y`, `high_x`, `high_y`: (len(racks),) float64 arrays in mm, rack_footprint's bounds
    of each rack, `row`: rack id -> index, and `derived`: what a caller worked out from all
    racks but some (model.placement's rows). A rack moved in place is told with `moved`.
    Why kept: building the columns walks every rack in Python (~2 ms at 3,571 racks), once a
    check; a document keeps one until its racks change (Document.rack_floor)."""

    def __init__(self, racks: list[Rack]) -> None:
        self.racks = racks
        count = len(racks)
        x = np.fromiter((r.x_mm for r in racks), dtype=float, count=count)
        y = np.fromiter((r.y_mm for r in racks), dtype=float, count=count)
        half_w = np.fromiter((r.width_mm for r in racks), dtype=float, count=count) / 2
        half_d = np.fromiter((r.depth_mm for r in racks), dtype=float, count=count) / 2
        facing = np.array([FACING_VECTORS[r.facing] for r in racks], dtype=float).reshape(-1, 2)
        fx, fy = np.abs(facing[:, 0]), np.abs(facing[:, 1])
        ex, ey = fx * half_d + fy * half_w, fy * half_d + fx * half_w  # as rack_footprint
        self.low_x, self.low_y, self.high_x, self.high_y = x - ex, y - ey, x + ex, y + ey
        self.row = {r.id: i for i, r in enumerate(racks)}
        # What callers work out from every rack but those of the key (ids), kept while only those move.
        self.derived: dict[frozenset[str], Any] = {}

    def moved(self, rack_ids: Iterable[str]) -> None:
        """Takes the bounds of the racks `rack_ids` again from their models (moved in place),
        and forgets what `derived` holds of racks that include them."""
        moved = set(rack_ids)
        for rack_id in moved:
            i = self.row[rack_id]
            self.low_x[i], self.low_y[i], self.high_x[i], self.high_y[i] = rack_footprint(self.racks[i])
        self.derived = {ignored: value for ignored, value in self.derived.items() if moved <= ignored}

    def meeting(self, rack: Rack) -> list[int]:
        """Indices of the racks whose bounds meet `rack`'s footprint (touching included), ascending."""
        lx, ly, hx, hy = rack_footprint(rack)
        meets = (self.low_x <= hx) & (lx <= self.high_x) & (self.low_y <= hy) & (ly <= self.high_y)
        return np.flatnonzero(meets).tolist()

    def clashes(self, racks: list[Rack], ignore: set[str]) -> list[tuple[int, int]]:
        """Pairs (i, k), sorted: rack i of this floor, not one of `ignore` (ids), overlaps
        racks[k] (more than 1 mm², as overlapping_racks measures). `racks` among themselves
        are not compared."""
        pairs = []
        for k, rack in enumerate(racks):
            for i in self.meeting(rack):
                if self.racks[i].id not in ignore and _overlap(self.racks[i], rack):
                    pairs.append((i, k))
        return sorted(pairs)

    def first_clash(self, racks: list[Rack], ignore: set[str]) -> tuple[Rack, Rack] | None:
        """The first overlap of `racks` (moved copies) where they would stand, as (one of
        `racks`, the rack it overlaps): with a rack of this floor not in `ignore` (ids), in the
        floor's order, else among `racks` themselves; None when they all fit. The one check of
        a drag's ghost (model.placement.floor_clash) and of the move it makes (Document.move_racks)."""
        for i, k in self.clashes(racks, ignore):
            return racks[k], self.racks[i]
        for first, second in overlapping_racks(racks):
            return racks[second], racks[first]
        return None


def compatible_rate(a: PortSpec, b: PortSpec, requested: float | None) -> float:
    """The rate (Gb/s) a cable between two ports runs at: the lower port's, or for two cage
    families the rate the plug that fits both runs at (model.connectors: a 100G QSFP28 host to a
    400G QSFP-DD port runs at 100G); at most `requested` (Gb/s, None: as fast as they go).
    Raises ValueError with the reason when none: cartridge vs plug, no plug that fits both
    cages (the connector table's words), lane rates that differ, or a request over the ports'."""
    if a.role != "interface" or b.role != "interface":
        return panel_rate(a, b, requested)
    if a.pathway != b.pathway:
        # A blind-mate cartridge connector takes no pluggable cable, and the reverse.
        raise ValueError(f"a {a.pathway} port cannot join a {b.pathway} port")
    check_protocols(a, b)
    # Two cage families join where one plug fits both (resources/catalog/connectors.yaml: a
    # QSFP28 cable in a QSFP-DD cage runs at 100G); the table's reason where none does.
    _, top, _ = connector_table().link(a.link_end, b.link_end)
    if a.connector == b.connector and a.lanes != b.lanes and a.lane_rate_gbps != b.lane_rate_gbps:
        raise ValueError(f"lane rates differ: {a.lane_rate_gbps:g}G and {b.lane_rate_gbps:g}G per lane")
    if requested is None:
        return top
    if requested > top:
        raise ValueError(f"requested {requested:g}G exceeds the ports' {top:g}G")
    return requested


def check_protocols(a: PortSpec, b: PortSpec) -> None:
    """Raises ValueError naming both ports' protocols when a link between ports `a` and `b`
    cannot train (model.catalog.protocol_clash: InfiniBand against Ethernet, NVLink or
    NeuronLink against any other kind; a VPI NIC port of no protocol joins either fabric)."""
    clash = protocol_clash(a, b)
    if clash:
        raise ValueError(clash)


def panel_rate(a: PortSpec, b: PortSpec, requested: float | None) -> float:
    """The rate of a cable with a patch-panel port at one end or both (model.structured): a
    device port takes a transceiver whose fibre fits the panel (model.structured checks which),
    so its rate is the device port's; two panel ports need one connector (a trunk or a cord
    of that connector). Raises ValueError with the reason when they cannot be joined."""
    other = b if a.role != "interface" else a
    if other.role != "interface":
        if a.connector != b.connector:
            raise ValueError(f"panel connectors differ: {a.connector} and {b.connector}")
        top = min(a.rate_gbps, b.rate_gbps)
    elif other.pathway != "plug":
        raise ValueError(f"a {other.pathway} port takes no transceiver into a patch panel")
    else:
        top = other.rate_gbps
    if requested is not None and requested > top:
        raise ValueError(f"requested {requested:g}G exceeds the ports' {top:g}G")
    return top if requested is None else requested


def cable_port_specs(
    cable: Cable, devices: dict[str, Device], catalog: Catalog, where: str
) -> tuple[PortSpec, PortSpec]:
    """The port specs of the cable's a and b ends (a breakout's: its first leg's); `devices`
    maps device id -> device.

    Raises LayoutError at `where`.a / .b when the device, its type or the port is unknown.
    """
    specs = []
    for end, ref in (("a", cable.a), ("b", cable.legs[0])):
        device_id, port_name = split_port_ref(ref)
        device = devices.get(device_id)
        if device is None:
            raise LayoutError(f"no device {device_id!r}", f"{where}.{end}")
        device_type = catalog.device(device.type)
        if device_type is None:
            raise LayoutError(f"device {device_id!r} has unknown type {device.type!r}", f"{where}.{end}")
        spec = device_type.port(port_name)
        if spec is None:
            raise LayoutError(f"device {device_id!r} ({device_type.name}) has no port {port_name!r}", f"{where}.{end}")
        specs.append(spec)
    return specs[0], specs[1]


def check_cable(
    cable: Cable, devices: dict[str, Device], catalog: Catalog, used_ports: dict[str, str], where: str
) -> float:
    """Checks one cable; returns its rate (a breakout's: each leg's, see model.breakout).
    `used_ports` maps 'device:port' to the cable using it."""
    if isinstance(cable.b, list):
        return check_breakout(cable, devices, catalog, used_ports, where)
    if cable.a == cable.b:
        raise LayoutError(f"both ends are {cable.a}", where)
    spec_a, spec_b = cable_port_specs(cable, devices, catalog, where)
    for end, ref in (("a", cable.a), ("b", cable.b)):
        holder = used_ports.get(ref)
        if holder is not None and holder != cable.id:
            hint = shared_port_hint(ref, holder, cable.b if end == "a" else cable.a)
            raise LayoutError(f"port {ref} is already used by cable {holder!r}{hint}", f"{where}.{end}")
    try:
        rate = compatible_rate(spec_a, spec_b, cable.rate_gbps)
    except ValueError as exc:
        split = breakout_for(catalog, spec_a, spec_b)
        hint = (
            f'; a breakout ({split}) joins them: write "b" as the list of the ports its legs go to, '
            "every leg (a leg left unplugged is not modelled)"
            if split
            else ""
        )
        raise LayoutError(
            f"{cable.a} and {cable.b} cannot be joined: {exc}{hint} ({_ports_named(cable, devices, catalog)})", where
        ) from None
    if cable.pinned_product is not None:
        product = catalog.cables.get(cable.pinned_product)
        if product is None:
            raise LayoutError(f"unknown cable product {cable.pinned_product!r}", f"{where}.pinned_product")
    return rate


def _ports_named(cable: Cable, devices: dict[str, Device], catalog: Catalog) -> str:
    """'h1:eth0: HOST-QSFP28 QSFP28 port; tor1:p1: ... port': each end's device type and connector."""
    named = []
    for ref in (cable.a, cable.b):
        device_id, port = split_port_ref(str(ref))
        device_type = catalog.devices[devices[device_id].type]
        spec = device_type.port(port)
        named.append(f"{ref}: {device_type.name} {spec.connector if spec else '?'} port")
    return "; ".join(named)


def _unique(ids: Iterable[str], what: str, where: str) -> None:
    ids = list(ids)
    if bulk.all_distinct(ids):  # the common case, at C speed (in pieces); else the loop names the first repeat
        return
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise LayoutError(f"{what} id {item!r} repeats", f"{where}[{i}].id")
        seen.add(item)


def check_site(site: Site, catalog: Catalog) -> None:
    """Raises LayoutError naming the first place that breaks a rule."""
    _unique((r.id for r in site.racks), "rack", "racks")
    _unique((t.id for t in site.trays), "tray", "trays")
    _unique(cable_column(site.cables, "id"), "cable", "cables")
    devices: dict[str, Device] = {}
    for ri, rack in enumerate(site.racks):
        if _rack_fine(rack, catalog, devices):
            devices.update((device.id, device) for device in rack.devices)
            continue
        for di, device in enumerate(rack.devices):
            where = f"racks[{ri}].devices[{di}]"
            if device.id in devices:
                raise LayoutError(f"device id {device.id!r} repeats", f"{where}.id")
            devices[device.id] = device
            check_device_fits(rack, device, catalog, where)
            clash = find_overlap(rack, device, catalog)
            if clash is not None:
                other, (low, high) = clash
                device_type = catalog.devices[device.type]
                first, last = device_u_range(device, device_type)
                raise LayoutError(
                    f"U{first}-{last} overlaps device {_named(other)} (U{low}-{high}) in rack {rack.label!r}",
                    f"{where}.u_position",
                )
    for first, second in overlapping_racks(site.racks):
        raise LayoutError(f"overlaps rack {_named(site.racks[first])} on the floor", f"racks[{second}]")
    check_tray_network_size(site.trays)
    check_cables(site.cables, devices, catalog)


def _rack_fine(rack: Rack, catalog: Catalog, devices: dict[str, Device]) -> bool:
    """Whether every device of `rack` has an id new to `devices` and to the rack, fits the
    rack (check_device_fits) and overlaps no other: their U ranges sorted, each ends below
    the next. One sort a rack where find_overlap compares every pair; False says nothing of
    which device is at fault (check_site's loop names it)."""
    ranges = []
    ids: set[str] = set()
    for device in rack.devices:
        if device.id in devices or device.id in ids:
            return False
        ids.add(device.id)
        try:
            device_type = check_device_fits(rack, device, catalog, "")
        except LayoutError:
            return False
        ranges.append(device_u_range(device, device_type))
    ranges.sort()
    return all(high < next_low for (_, high), (next_low, _) in zip(ranges, ranges[1:]))


def check_cables(cables: list[Cable], devices: dict[str, Device], catalog: Catalog) -> None:
    """`check_cable` for every cable in order (`devices`: id -> device), each port used once;
    raises the first cable's LayoutError at cables[i].

    The common cable (both ports known and free, compatible, a known pin) is recognised
    from lookups cached per device type, port and port pair: 0.4 s for 200,000 cables
    instead of 1.6 s. Any other goes through check_cable, which raises what it always did.
    """
    used: dict[str, str] = {}
    specs: dict[str, dict[str, PortSpec]] = {}  # device type -> port name -> spec
    for device_type in {device.type for device in devices.values()}:
        found = catalog.devices.get(device_type)
        if found is not None:
            specs[device_type] = {port.name: port for port in found.ports}
    ports = {device_id: specs.get(device.type, {}) for device_id, device in devices.items()}
    if _all_fine(cables, ports, catalog):
        return
    joins: dict[tuple[int, int, float | None], bool] = {}
    for ci, cable in enumerate(cables):
        a, b = cable.a, cable.b
        if isinstance(b, list):  # a breakout: checked in full (model.breakout)
            check_cable(cable, devices, catalog, used, f"cables[{ci}]")
            used.update(dict.fromkeys(cable.refs, cable.id))
            continue
        device_a, _, port_a = a.partition(":")
        device_b, _, port_b = b.partition(":")
        spec_a = ports.get(device_a, {}).get(port_a) if a != b and a not in used and b not in used else None
        spec_b = ports.get(device_b, {}).get(port_b) if spec_a is not None else None
        fine = False
        if spec_a is not None and spec_b is not None:
            key = (id(spec_a), id(spec_b), cable.rate_gbps)
            known = joins.get(key)
            if known is None:
                try:
                    compatible_rate(spec_a, spec_b, cable.rate_gbps)
                    known = joins[key] = True
                except ValueError:
                    known = joins[key] = False
            fine = known
        if fine and cable.pinned_product is not None:
            fine = cable.pinned_product in catalog.cables
        if not fine:
            check_cable(cable, devices, catalog, used, f"cables[{ci}]")
        used[a] = used[b] = cable.id


def _all_fine(cables: list[Cable], ports: dict[str, dict[str, PortSpec]], catalog: Catalog) -> bool:
    """Whether every cable is a common one (check_cables): no breakout, every port known and
    used once, each distinct pair of port specs and rate compatible, every pin a known
    product. Column by column, each distinct pair checked once: 0.15 s for 200,000 cables
    where the loop takes 0.5 s. False says nothing of which cable is at fault: the loop
    finds it and names it."""
    a_refs, b_refs = cable_column(cables, "a"), cable_column(cables, "b")
    if list in bulk.distinct(map(type, b_refs)):
        return False  # a breakout: the loop checks it in full (model.breakout)
    refs = cast(list[str], a_refs + b_refs)  # no breakout: every end b is one port
    # In pieces (model.bulk): one set() of 600,000 references held the interpreter lock, and
    # the window of an app reading the file on a worker, 90-360 ms.
    if not bulk.all_distinct(refs):  # a port used twice, or both ends on one port
        return False
    # The distinct port specs numbered (by identity) in each device type's table, so that each
    # end is looked up as its spec's number: no walk over 400,000 specs to number them after.
    distinct: list[PortSpec] = []
    number: dict[int, int] = {}
    coded: dict[int, dict[str, int]] = {}
    for table in ports.values():
        if id(table) not in coded:
            for spec in table.values():
                number.setdefault(id(spec), len(number))
                if len(distinct) < len(number):
                    distinct.append(spec)
            coded[id(table)] = {name: number[id(spec)] for name, spec in table.items()}
    numbers = {device: coded[id(table)] for device, table in ports.items()}
    none: dict[str, int] = {}
    found = [numbers.get(device, none).get(port) for device, _, port in map(str.partition, refs, itertools.repeat(":"))]
    try:
        code = np.array(found, dtype=np.int64).reshape(2, -1)
    except TypeError:  # a None: an unknown device or port
        return False
    # The distinct (spec a, spec b, rate) triples checked once each.
    rates = cable_column(cables, "rate_gbps")
    for spec_a, spec_b, rate in bulk.distinct(zip(code[0].tolist(), code[1].tolist(), rates)):
        try:
            compatible_rate(distinct[spec_a], distinct[spec_b], rate)
        except ValueError:
            return False
    pins = set(cable_column(cables, "pinned_product"))
    pins.discard(None)
    return all(pin in catalog.cables for pin in pins)


def check_tray_network_size(trays: list[Tray]) -> None:
    """Raises LayoutError (naming the worst tray) when the trays hold more points than MAX_TOTAL_TRAY_POINTS
    or cross each other in more places than MAX_TRAY_CROSSINGS, or when one tray meets itself or another
    more than MAX_CROSSINGS_PER_TRAY_PAIR times: a network that would take minutes to build."""
    counts = [len(tray.points) for tray in trays]
    if sum(counts) > MAX_TOTAL_TRAY_POINTS:
        worst = int(np.argmax(counts))
        raise LayoutError(
            f"the trays hold {sum(counts):,} points, more than the {MAX_TOTAL_TRAY_POINTS:,} a layout may "
            f"(this tray has {counts[worst]:,})",
            f"trays[{worst}].points",
        )
    if sum(counts) - len(trays) < 2:
        return
    segments = np.array([(p, q) for tray in trays for p, q in zip(tray.points, tray.points[1:])], dtype=float)
    owner = np.repeat(np.arange(len(trays)), np.array(counts) - 1)
    lines = np.asarray(shapely.linestrings(segments))  # (segments,): an array, never a lone LineString
    left, right = shapely.STRtree(lines).query(lines, predicate="intersects")
    # Neighbouring segments of one tray touch at their shared point; any other meeting is a
    # junction of the network, also where a tray crosses itself.
    crossing = (owner[left] != owner[right]) | (np.abs(left - right) > 1)
    crossings = int(crossing.sum()) // 2
    if crossings > MAX_TRAY_CROSSINGS:
        worst = int(np.argmax(np.bincount(owner[left[crossing]], minlength=len(trays))))
        raise LayoutError(
            f"the trays cross each other in {crossings:,} places, more than the {MAX_TRAY_CROSSINGS:,} "
            "the tray network can be built from in reasonable time (this tray crosses most)",
            f"trays[{worst}].points",
        )
    pair_left, pair_right = owner[left[crossing]], owner[right[crossing]]
    ordered = pair_left <= pair_right  # each meeting once, as (lower tray, higher tray)
    pairs, pair_counts = np.unique(pair_left[ordered] * len(trays) + pair_right[ordered], return_counts=True)
    if len(pairs) and pair_counts.max() > MAX_CROSSINGS_PER_TRAY_PAIR:
        first, second = divmod(int(pairs[np.argmax(pair_counts)]), len(trays))
        count = int(pair_counts.max()) if first != second else int(pair_counts.max()) // 2
        whom = "itself" if first == second else f"tray {trays[second].id!r}"
        raise LayoutError(
            f"tray {trays[first].id!r} crosses {whom} {count:,} times, more than the "
            f"{MAX_CROSSINGS_PER_TRAY_PAIR} a pathway may",
            f"trays[{first}].points",
        )


def _named(thing: Any) -> str:
    # What a person reads (a rack's or host's name), the id the file uses beside it when they differ.
    return repr(thing.label) + (f" (id {thing.id!r})" if thing.label != thing.id else "")

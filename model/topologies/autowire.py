"""Auto-wiring: the cables of a scale-up torus or switch spine, NIC rails and a leaf-spine fabric.

Each function reads a document (or a `WiringSnapshot` of one, for a planner on a worker
thread), plans cables on FREE ports only and returns them without adding them (the
caller adds them as one edit, e.g. `Document.connect_many`). When
the wiring is impossible it raises LayoutError saying which device and why, and plans nothing.
A 100,000-accelerator pod plans 200,000 cables, so the loops look ports up once per device.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from model.catalog import Catalog, DeviceType, PortSpec
from model.errors import LayoutError
from model.layout import Cable, Device, cable_refs
from model.rules import compatible_rate
from model.text import check_reference_text

if TYPE_CHECKING:
    from model.document import Document


class WiringSource(Protocol):
    """What a planner reads: a Document, or a `WiringSnapshot` of one."""

    @property
    def devices(self) -> Mapping[str, Device]:
        """Every device of the layout, by id."""
        ...

    @property
    def catalog(self) -> Catalog:
        """The catalog the devices' types come from."""
        ...

    @property
    def port_use(self) -> Mapping[str, str]:
        """'device:port' -> the id of the cable in it, for every port in use."""
        ...

    @property
    def cables(self) -> Collection[str]:
        """The ids of the layout's cables (a planner's new ids avoid them)."""
        ...


@dataclass(frozen=True)
class WiringSnapshot:
    """A document's devices, port use and cable ids copied at one moment, so a planner
    on a worker thread reads a layout that no edit can change under it."""

    devices: Mapping[str, Device]
    catalog: Catalog
    port_use: Mapping[str, str]
    cables: frozenset[str]
    rack_devices: Mapping[str, tuple[str, ...]]  # rack id -> its devices' ids
    revision: int  # Document.revision when copied
    rack_centres: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # rack id -> (x, y) mm
    peer_kinds: Mapping[str, frozenset[str]] = field(default_factory=dict)  # switch id -> kinds cabled to it
    rack_labels: Mapping[str, str] = field(default_factory=dict)  # rack id -> its name, when it has one

    def label(self, device_id: str) -> str:
        """What a person calls device `device_id`: its name, or its id."""
        device = self.devices.get(device_id)
        return device.label if device is not None else device_id

    def rack_label(self, rack_id: str) -> str:
        """What a person calls rack `rack_id`: its name, or its id."""
        return self.rack_labels.get(rack_id) or rack_id

    def rack_of(self, device_id: str) -> str:
        """The id of the rack holding `device_id` ('' when none does)."""
        index = self.__dict__.get("_rack_of")
        if index is None:
            index = {d: r for r, ids in self.rack_devices.items() for d in ids}
            object.__setattr__(self, "_rack_of", index)
        return index.get(device_id, "")


def wiring_snapshot(doc: Document) -> WiringSnapshot:
    """A `WiringSnapshot` of `doc` now (copies: ~0.1 s at 100,000 accelerators), with each
    rack's centre (mm) and, per switch, the kinds of device its cables reach (which tier a
    switch already serves: a leaf is cabled to servers, a spine to switches only)."""
    kinds = {d_id: doc.catalog.devices[d.type].kind for d_id, d in doc.devices.items() if d.type in doc.catalog.devices}
    peers: dict[str, set[str]] = {}
    for cable in doc.site.cables:
        ends = [ref.partition(":")[0] for ref in cable_refs(cable)]
        for end in ends:
            if kinds.get(end) == "switch":
                peers.setdefault(end, set()).update(kinds.get(other, "") for other in ends if other != end)
    return WiringSnapshot(
        devices={d_id: d.model_copy() for d_id, d in doc.devices.items()},
        catalog=doc.catalog,
        port_use=dict(doc.port_use),
        cables=frozenset(doc.cables),
        rack_devices={r.id: tuple(d.id for d in r.devices) for r in doc.site.racks},
        revision=doc.revision,
        rack_centres={r.id: (r.x_mm, r.y_mm) for r in doc.site.racks},
        rack_labels={r.id: r.name for r in doc.site.racks if r.name},
        peer_kinds={d: frozenset(k) for d, k in peers.items()},
    )


# The planners the Tools menu offers, by name (each a function of this module).
WIRINGS = ("trn2_torus", "nvl72_spine", "nic_rails", "leaf_spine")


def wiring_arguments(
    source: WiringSnapshot, name: str, device_ids: Sequence[str], rack_ids: Sequence[str]
) -> tuple[list[str], ...]:
    """The device-id lists planner `name` takes, from the selected devices and racks
    (every device when none are selected), chosen by device kind. For 'leaf_spine' the
    spine is the switch type with the most ports and every other switch is a leaf.
    Raises LayoutError for an unknown planner name."""
    if name not in WIRINGS:
        raise LayoutError(f"no auto-wiring {name!r} (known: {', '.join(WIRINGS)})")
    chosen = set(device_ids) | {d for r in rack_ids for d in source.rack_devices.get(r, ())}
    devices = [source.devices[d] for d in chosen if d in source.devices] if chosen else list(source.devices.values())
    catalog = source.catalog
    kinds = {d.id: catalog.devices[d.type].kind for d in devices if d.type in catalog.devices}

    def by_kind(*wanted: str) -> list[str]:
        return sorted(d for d, k in kinds.items() if k in wanted)

    if name == "trn2_torus":
        return (by_kind("compute_tray"),)
    if name == "nvl72_spine":
        return by_kind("compute_tray"), by_kind("switch")
    if name == "nic_rails":
        return by_kind("server", "compute_tray"), by_kind("switch")
    switches = by_kind("switch")
    ports = {d: len(catalog.devices[source.devices[d].type].ports) for d in switches}
    most = max(ports.values(), default=0)
    return [d for d in switches if ports[d] < most], [d for d in switches if ports[d] == most]


# Trn2 server: a 4 x 4 torus of chips over 8 trays. Folding the y ring (tray pairs in the
# order y = 0, 1, 3, 2) keeps its wrap link as short as the others.
TORUS_SIDE = 4
TRAYS_PER_SERVER = 8
RING_SERVERS = 4
FOLDED_Y = {0: 0, 1: 1, 3: 2, 2: 3}
INTRA_PORTS = 3  # four torus neighbours in the server, one of them over the tray's PCB
RING_PORTS = 2  # the same chip in the previous and next server


_CHECKED = Cable(id="c0", a="device:port", b="device:port")
_CHECKED_FIELDS = dict(_CHECKED.__dict__)
# Every field counts as given, in one set for all planned cables (model.layout.share_fields_sets):
# a set per cable was ~220 bytes of each, 650 MB of a 3,000,000-cable pod.
_ALL_FIELDS = set(Cable.model_fields)


class _Planner:
    """Hands out cable ids and free ports, so that one plan never uses a port or an id twice."""

    def __init__(self, doc: WiringSource) -> None:
        self.doc = doc
        # Ids c1..cN (as planners hand them out) are probed from N on, not one by one from c1.
        taken = len(doc.cables)
        self.number = taken if f"c{taken}" in doc.cables else 0
        self.cables: list[Cable] = []
        self.pools: dict[tuple[str, str], list[str]] = {}
        self.joinable: set[tuple] = set()
        self.checked_types: set[str] = set()

    def device_types(self, ids: Sequence[str], kinds: Iterable[str], role: str) -> list[DeviceType]:
        kinds = tuple(kinds)
        seen: set[str] = set()
        found = []
        for device_id in ids:
            if device_id in seen:
                raise LayoutError(f"{role} {device_id!r} is given twice")
            seen.add(device_id)
            device = self.doc.devices.get(device_id)
            if device is None:
                raise LayoutError(f"no device {device_id!r} (given as a {role})")
            device_type = self.doc.catalog.device(device.type)
            if device_type is None:
                raise LayoutError(f"device {device_id!r} has unknown type {device.type!r}")
            if device_type.kind not in kinds:
                wanted = " or ".join(k.replace("_", " ") for k in kinds)
                raise LayoutError(
                    f"{role} {device_id!r} is a {device_type.name} ({device_type.kind.replace('_', ' ')}); "
                    f"a {role} must be a {wanted}"
                )
            if device_type.id not in self.checked_types:
                for port in device_type.ports:  # each port name makes a valid cable end
                    check_reference_text(port.name)
                    Cable(id="c0", a=f"{device_id}:{port.name}", b=f"{device_id}:{port.name}")
                self.checked_types.add(device_type.id)
            found.append(device_type)
        return found

    def free(self, device_id: str, pool: str, ports: Sequence[PortSpec]) -> list[str]:
        """The free ports among `ports`, last first so that pop() hands out the next in order.

        The list is kept: later calls for the same device and pool see what this plan took."""
        key = (device_id, pool)
        if key not in self.pools:
            used = self.doc.port_use
            self.pools[key] = [p.name for p in ports if f"{device_id}:{p.name}" not in used][::-1]
        return self.pools[key]

    def check_joinable(self, a: PortSpec, b: PortSpec, a_ref: str, b_ref: str) -> None:
        key = (a.connector, a.rate_gbps, a.lanes, a.protocol, b.connector, b.rate_gbps, b.lanes, b.protocol)
        if key in self.joinable:
            return
        try:
            compatible_rate(a, b, None)
        except ValueError as exc:
            raise LayoutError(f"{a_ref} and {b_ref} cannot be joined: {exc}") from None
        self.joinable.add(key)

    def add(self, a: str, b: str) -> None:
        taken = self.doc.cables
        self.number += 1
        while f"c{self.number}" in taken:
            self.number += 1
        # Ends are a device's valid id and a port name `device_types` checked: a copy of a
        # checked cable needs no second check. Made as model.layout.CableColumns makes its
        # cables, without model_copy's per-object copying (a third of a 300,000-cable build).
        cable = Cable.__new__(Cable)
        object.__setattr__(cable, "__dict__", {**_CHECKED_FIELDS, "id": f"c{self.number}", "a": a, "b": b})
        object.__setattr__(cable, "__pydantic_fields_set__", _ALL_FIELDS)
        object.__setattr__(cable, "__pydantic_extra__", None)
        object.__setattr__(cable, "__pydantic_private__", None)
        self.cables.append(cable)


def _spec(device_type: DeviceType, name: str) -> PortSpec:
    # Names handed out here come from the type's own ports, so the lookup cannot miss.
    return device_type.ports[device_type.port_index[name]]


def _ports_of(device_type: DeviceType, accelerator: int) -> list[PortSpec]:
    return [p for p in device_type.ports if p.accelerator == accelerator]


def trn2_torus(doc: WiringSource, tray_ids: Sequence[str]) -> list[Cable]:
    """The 4x4 torus of each Trn2 server and, for 32 trays, the ring of 4 servers (4x4x4).

    `tray_ids` go server by server, 8 trays each, in their order in the server. Tray t of a
    server holds chips (2k, y) and (2k + 1, y) with t = 2 * FOLDED_Y[y] + k; the tray's PCB
    joins those two, every other neighbour gets a cable: 3 per chip in the server (its
    ports n1..n3) and, with 4 servers, one to the same chip in each neighbouring server (n4, n5).
    """
    if len(tray_ids) not in (TRAYS_PER_SERVER, TRAYS_PER_SERVER * RING_SERVERS):
        raise LayoutError(
            f"a Trn2 torus needs {TRAYS_PER_SERVER} compute trays (one server) or "
            f"{TRAYS_PER_SERVER * RING_SERVERS} (an Ultra64 ring of {RING_SERVERS} servers); {len(tray_ids)} given"
        )
    plan = _Planner(doc)
    types = plan.device_types(tray_ids, ("compute_tray",), "Trn2 compute tray")
    types_by_id = dict(zip(tray_ids, types))
    servers = len(tray_ids) // TRAYS_PER_SERVER
    needed = INTRA_PORTS + (RING_PORTS if servers > 1 else 0)
    chip_ports: dict[tuple[str, int], list[PortSpec]] = {}
    for tray_id, device_type in zip(tray_ids, types):
        pcb = any({link.a_accelerator, link.b_accelerator} == {0, 1} for link in device_type.internal_links)
        if device_type.accelerators != 2 or not pcb:
            raise LayoutError(
                f"Trn2 compute tray {tray_id!r} is a {device_type.name}: the torus needs trays of two chips "
                "joined inside the tray"
            )
        for chip in (0, 1):
            ports = _ports_of(device_type, chip)
            if len(ports) < needed:
                raise LayoutError(
                    f"Trn2 compute tray {tray_id!r} chip {chip} has {len(ports)} ports; the torus needs {needed}"
                )
            chip_ports[tray_id, chip] = ports

    def chip_at(server: int, x: int, y: int) -> tuple[str, int]:
        tray = server * TRAYS_PER_SERVER + 2 * FOLDED_Y[y] + x // 2
        return tray_ids[tray], x % 2

    def link(first: tuple[str, int], second: tuple[str, int], pool: str) -> None:
        ends, specs = [], []
        for (tray_id, chip), other in ((first, second), (second, first)):
            ports = chip_ports[tray_id, chip]
            group = ports[:INTRA_PORTS] if pool == "intra" else ports[INTRA_PORTS:needed]
            free = plan.free(tray_id, f"{pool}{chip}", group)
            if not free:
                names = ", ".join(p.name for p in group)
                what = "in its server" if pool == "intra" else "to the neighbouring servers"
                raise LayoutError(
                    f"Trn2 compute tray {tray_id!r} chip {chip} has no free port left among {names} for its "
                    f"torus link {what} (to {other[0]!r} chip {other[1]})"
                )
            port = free.pop()
            ends.append(f"{tray_id}:{port}")
            specs.append(_spec(types_by_id[tray_id], port))
        plan.check_joinable(specs[0], specs[1], ends[0], ends[1])
        plan.add(ends[0], ends[1])

    for server in range(servers):
        for y in range(TORUS_SIDE):
            for x in range(TORUS_SIDE):
                here = chip_at(server, x, y)
                if x % 2 == 1:  # x and x + 1 sit on different trays; x - 1 is the PCB partner
                    link(here, chip_at(server, (x + 1) % TORUS_SIDE, y), "intra")
                link(here, chip_at(server, x, (y + 1) % TORUS_SIDE), "intra")
    if servers > 1:
        for server in range(servers):
            for y in range(TORUS_SIDE):
                for x in range(TORUS_SIDE):
                    link(chip_at(server, x, y), chip_at((server + 1) % servers, x, y), "ring")
    return plan.cables


def nvl72_spine(doc: WiringSource, compute_tray_ids: Sequence[str], switch_tray_ids: Sequence[str]) -> list[Cable]:
    """Every GPU of every compute tray to every switch tray: GPU g of tray c, its s-th free
    scale-up port, goes to switch tray s on that tray's next free port (port 4c + g + 1 when
    all are free). Scale-up ports are the GPU's ports with the switch trays' connector."""
    plan = _Planner(doc)
    trays = plan.device_types(compute_tray_ids, ("compute_tray",), "compute tray")
    switches = plan.device_types(switch_tray_ids, ("switch",), "switch tray")
    if not trays or not switches:
        raise LayoutError("a switched scale-up spine needs at least one compute tray and one switch tray")
    for tray_id, tray_type in zip(compute_tray_ids, trays):
        if tray_type.accelerators == 0:
            raise LayoutError(f"compute tray {tray_id!r} ({tray_type.name}) holds no GPU")
    gpus = sum(t.accelerators for t in trays)
    # The spine's ports: those like the first switch's first port (an NVL36x2 tray also has
    # plug ports across to the other rack, which the spine leaves alone).
    first = switches[0].ports[0]

    def spine_ports(device_type: DeviceType) -> list[PortSpec]:
        return [p for p in device_type.ports if (p.connector, p.pathway) == (first.connector, first.pathway)]

    for switch_id, switch_type in zip(switch_tray_ids, switches):
        available = len(plan.free(switch_id, "spine", spine_ports(switch_type)))
        if available < gpus:
            raise LayoutError(
                f"switch tray {switch_id!r} has {available} free ports; {len(trays)} compute trays with {gpus} GPUs "
                f"need {gpus} (one per GPU)"
            )
    connector = first.connector
    switch_free = [plan.free(switch_id, "spine", spine_ports(t)) for switch_id, t in zip(switch_tray_ids, switches)]
    for tray_id, tray_type in zip(compute_tray_ids, trays):
        for gpu in range(tray_type.accelerators):
            scale_up = [p for p in _ports_of(tray_type, gpu) if p.connector == connector]
            free = plan.free(tray_id, f"gpu{gpu}", scale_up)
            if len(free) < len(switches):
                raise LayoutError(
                    f"compute tray {tray_id!r} GPU {gpu} has {len(free)} free {connector} ports; "
                    f"{len(switches)} switch trays need one each"
                )
            for switch_id, switch_type, switch_ports in zip(switch_tray_ids, switches, switch_free):
                gpu_port, switch_port = free.pop(), switch_ports.pop()  # both counted above
                plan.check_joinable(
                    _spec(tray_type, gpu_port), _spec(switch_type, switch_port), f"{tray_id}:{gpu_port}", switch_id
                )
                plan.add(f"{tray_id}:{gpu_port}", f"{switch_id}:{switch_port}")
    return plan.cables


def switch_bridge(doc: WiringSource, a_switch_ids: Sequence[str], b_switch_ids: Sequence[str]) -> list[Cable]:
    """Twin switch trays of two racks joined port for port (NVL36x2): the i-th free plug
    port of switch a_k to the i-th free plug port of switch b_k, for every pair k.
    Raises LayoutError when the lists differ in length or a pair's free plug ports differ
    in number (nothing is planned then)."""
    if len(a_switch_ids) != len(b_switch_ids) or not a_switch_ids:
        raise LayoutError(f"a bridge pairs switches one to one ({len(a_switch_ids)} and {len(b_switch_ids)} given)")
    plan = _Planner(doc)
    a_types = plan.device_types(a_switch_ids, ("switch",), "switch")
    b_types = plan.device_types(b_switch_ids, ("switch",), "switch")
    for a_id, a_type, b_id, b_type in zip(a_switch_ids, a_types, b_switch_ids, b_types):
        a_free = plan.free(a_id, "bridge", [p for p in a_type.ports if p.pathway == "plug"])
        b_free = plan.free(b_id, "bridge", [p for p in b_type.ports if p.pathway == "plug"])
        if len(a_free) != len(b_free) or not a_free:
            raise LayoutError(f"switches {a_id!r} and {b_id!r} have {len(a_free)} and {len(b_free)} free plug ports")
        while a_free:
            a_port, b_port = a_free.pop(), b_free.pop()
            plan.check_joinable(_spec(a_type, a_port), _spec(b_type, b_port), f"{a_id}:{a_port}", f"{b_id}:{b_port}")
            plan.add(f"{a_id}:{a_port}", f"{b_id}:{b_port}")
    return plan.cables


def rail_ports(device_type: DeviceType) -> list[PortSpec]:
    """A server's rails: its NIC ports (nic1, nic2, … in the catalog), rail r on the r-th;
    a server type without NIC cards (a 1U server's own p1, p2) has every plug port as one."""
    nics = [p for p in device_type.ports if p.name.startswith("nic")]
    if nics or device_type.kind != "server":
        return nics
    return [p for p in device_type.ports if p.pathway == "plug" and p.role == "interface"]


def _leaf_halves(device_type: DeviceType) -> tuple[tuple[PortSpec, ...], tuple[PortSpec, ...]]:
    # A non-blocking leaf gives half its ports to servers (down) and half to spines (up).
    half = len(device_type.ports) // 2
    return device_type.ports[:half], device_type.ports[half:]


def nic_rails(doc: WiringSource, server_ids: Sequence[str], leaf_ids: Sequence[str]) -> list[Cable]:
    """Rail-optimised wiring: rail r of every server to leaf r, on the leaf's next free downlink port."""
    return rail_groups(doc, [(server_ids, leaf_ids)])


def top_of_rack(doc: WiringSource, server_ids: Sequence[str], switch_id: str) -> list[Cable]:
    """Every NIC port of every server (rail_ports, in order) to the switch's next free
    downlink (its lower half of ports): servers to the top-of-rack switch in their rack.
    Raises LayoutError, planning nothing, when the downlinks are too few or a NIC is cabled."""
    plan = _Planner(doc)
    servers = plan.device_types(server_ids, ("server", "compute_tray"), "server")
    (switch,) = plan.device_types([switch_id], ("switch",), "top-of-rack switch")
    nics = [
        (server_id, rail) for server_id, server_type in zip(server_ids, servers) for rail in rail_ports(server_type)
    ]
    free = plan.free(switch_id, "down", _leaf_halves(switch)[0])
    if len(free) < len(nics):
        raise LayoutError(
            f"switch {switch_id!r} has {len(free)} free downlink ports; {len(nics)} NIC ports need one each"
        )
    for server_id, rail in nics:
        nic = f"{server_id}:{rail.name}"
        holder = plan.doc.port_use.get(nic)
        if holder is not None:
            raise LayoutError(f"server {server_id!r} port {rail.name} is already cabled (cable {holder!r})")
        port = free.pop()  # counted above
        plan.check_joinable(rail, _spec(switch, port), nic, switch_id)
        plan.add(nic, f"{switch_id}:{port}")
    return plan.cables


def rail_groups(doc: WiringSource, groups: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[Cable]:
    """`nic_rails` for many (servers, leaves) groups at once, as one plan."""
    plan = _Planner(doc)
    for server_ids, leaf_ids in groups:
        _plan_rails(plan, server_ids, leaf_ids)
    return plan.cables


def _plan_rails(plan: _Planner, server_ids: Sequence[str], leaf_ids: Sequence[str]) -> None:
    servers = plan.device_types(server_ids, ("server", "compute_tray"), "server")
    leaves = plan.device_types(leaf_ids, ("switch",), "leaf")
    if not servers:
        raise LayoutError("rail wiring needs at least one server")
    for leaf_id, leaf_type in zip(leaf_ids, leaves):
        available = len(plan.free(leaf_id, "down", _leaf_halves(leaf_type)[0]))
        if available < len(servers):
            down = len(_leaf_halves(leaf_type)[0])
            raise LayoutError(
                f"leaf {leaf_id!r} has {available} free downlink ports (of its first {down}); {len(servers)} servers "
                "need one each"
            )
    downlinks = [plan.free(leaf_id, "down", _leaf_halves(leaf_type)[0]) for leaf_id, leaf_type in zip(leaf_ids, leaves)]
    for server_id, server_type in zip(server_ids, servers):
        rails = rail_ports(server_type)
        if len(rails) != len(leaves):
            raise LayoutError(
                f"server {server_id!r} ({server_type.name}) has {len(rails)} NIC rails; give one leaf per rail "
                f"({len(leaves)} given)"
            )
        for rail, leaf_id, leaf_type, free in zip(rails, leaf_ids, leaves, downlinks):
            nic = f"{server_id}:{rail.name}"
            holder = plan.doc.port_use.get(nic)
            if holder is not None:
                raise LayoutError(f"server {server_id!r} rail {rail.name} is already cabled (cable {holder!r})")
            leaf_port = free.pop()  # counted above: every leaf has a free downlink per server
            plan.check_joinable(rail, _spec(leaf_type, leaf_port), nic, leaf_id)
            plan.add(nic, f"{leaf_id}:{leaf_port}")


def leaf_spine(
    doc: WiringSource, leaf_ids: Sequence[str], spine_ids: Sequence[str], uplinks_per_leaf: int | None = None
) -> list[Cable]:
    """Leaf uplinks (the leaf's upper half of ports) spread over the spines: uplink j of every
    leaf goes to spine j mod S, on that spine's next free port, or the next spine with one.
    Every leaf uses the spines in the same order, so a leaf with fewer uplinks (a partial
    SU) shares all of its paths with every other leaf: with S dividing the uplinks any two
    leaves share as many spine paths as the smaller has uplinks. `uplinks_per_leaf` None:
    non-blocking, as many uplinks as the leaf has cabled downlinks."""
    if uplinks_per_leaf is not None and (
        isinstance(uplinks_per_leaf, bool) or not isinstance(uplinks_per_leaf, int) or uplinks_per_leaf < 1
    ):
        raise LayoutError(f"uplinks per leaf must be a whole number of at least 1, not {uplinks_per_leaf!r}")
    plan = _Planner(doc)
    leaves = plan.device_types(leaf_ids, ("switch",), "leaf")
    spines = plan.device_types(spine_ids, ("switch",), "spine")
    if not leaves or not spines:
        raise LayoutError("a leaf-spine fabric needs at least one leaf and one spine")
    wanted = []
    for leaf_id, leaf_type in zip(leaf_ids, leaves):
        down, up = _leaf_halves(leaf_type)
        if uplinks_per_leaf is None:
            count = sum(f"{leaf_id}:{p.name}" in doc.port_use for p in down)
        else:
            count = uplinks_per_leaf
        available = len(plan.free(leaf_id, "up", up))
        if available < count:
            raise LayoutError(
                f"leaf {leaf_id!r} has {available} free uplink ports (of its last {len(up)}); {count} uplinks asked"
            )
        wanted.append(count)
    spine_free = [plan.free(spine_id, "all", t.ports) for spine_id, t in zip(spine_ids, spines)]
    capacity = sum(len(free) for free in spine_free)
    if capacity < sum(wanted):
        raise LayoutError(f"{len(spines)} spines have {capacity} free ports; the leaves need {sum(wanted)} uplinks")
    for leaf_id, leaf_type, count in zip(leaf_ids, leaves, wanted):
        uplinks = plan.free(leaf_id, "up", _leaf_halves(leaf_type)[1])
        for j in range(count):
            leaf_port = uplinks.pop()  # counted above
            spine = j % len(spines)
            while not spine_free[spine]:
                spine = (spine + 1) % len(spines)  # capacity was counted above, so one has room
            spine_id, spine_type = spine_ids[spine], spines[spine]
            spine_port = spine_free[spine].pop()
            plan.check_joinable(
                _spec(leaf_type, leaf_port), _spec(spine_type, spine_port), f"{leaf_id}:{leaf_port}", spine_id
            )
            plan.add(f"{leaf_id}:{leaf_port}", f"{spine_id}:{spine_port}")
    return plan.cables


def spine_core(
    doc: WiringSource, spine_ids: Sequence[str], core_ids: Sequence[str], uplinks_per_spine: int | None = None
) -> list[Cable]:
    """The third tier: each spine's uplinks on its free ports, spread round-robin over the
    cores (uplink j of the i-th spine, counting on from the previous spine's last, goes to
    core k mod C), so every spine reaches min(uplinks, C) cores and the cores' loads differ
    by at most one. `uplinks_per_spine` None: non-blocking, as many uplinks as the spine
    has cabled ports (its downlinks). Cores take any free port.

    For a three-tier fat tree call it once per core group: spine j of every spine-leaf
    group with core group j (model.topologies.fabric). Raises LayoutError, planning
    nothing, when a spine has too few free ports or the cores too few between them.
    """
    if uplinks_per_spine is not None and (
        isinstance(uplinks_per_spine, bool) or not isinstance(uplinks_per_spine, int) or uplinks_per_spine < 1
    ):
        raise LayoutError(f"uplinks per spine must be a whole number of at least 1, not {uplinks_per_spine!r}")
    plan = _Planner(doc)
    spines = plan.device_types(spine_ids, ("switch",), "spine")
    cores = plan.device_types(core_ids, ("switch",), "core")
    if not spines or not cores:
        raise LayoutError("a spine-core tier needs at least one spine and one core")
    wanted = []
    for spine_id, spine_type in zip(spine_ids, spines):
        free = plan.free(spine_id, "up", spine_type.ports)
        count = uplinks_per_spine
        if count is None:
            count = len(spine_type.ports) - len(free)
        if len(free) < count:
            raise LayoutError(f"spine {spine_id!r} has {len(free)} free ports; {count} uplinks asked")
        wanted.append(count)
    core_free = [plan.free(core_id, "all", t.ports) for core_id, t in zip(core_ids, cores)]
    capacity = sum(len(free) for free in core_free)
    if capacity < sum(wanted):
        raise LayoutError(f"{len(cores)} cores have {capacity} free ports; the spines need {sum(wanted)} uplinks")
    k = 0
    for spine_id, spine_type, count in zip(spine_ids, spines, wanted):
        uplinks = plan.free(spine_id, "up", spine_type.ports)
        for _ in range(count):
            spine_port = uplinks.pop()  # counted above
            core = k % len(cores)
            while not core_free[core]:
                core = (core + 1) % len(cores)  # capacity was counted above, so one has room
            core_id, core_type = core_ids[core], cores[core]
            core_port = core_free[core].pop()
            plan.check_joinable(
                _spec(spine_type, spine_port), _spec(core_type, core_port), f"{spine_id}:{spine_port}", core_id
            )
            plan.add(f"{spine_id}:{spine_port}", f"{core_id}:{core_port}")
            k += 1
    return plan.cables

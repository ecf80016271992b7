"""What Tools → Auto-wire lays, said before it is laid: the wirings by name, which selected
devices each takes, and a plan with its cables counted by kind.

`plan_wiring` picks the devices for a wiring from the selection (every device when nothing
is selected), runs its planner (model.topologies.autowire, autowire_racks) and returns a
`WiringPlan` whose `summary` a dialog shows ("Top-of-rack will lay 32 cables: 32
server→ToR switch 400G ..."); a wiring that cannot be laid raises LayoutError naming what
is missing. Pure functions of a `WiringSnapshot`, so they run on a worker thread.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from model.errors import LayoutError
from model.layout import Cable
from model.topologies import autowire as aw
from model.topologies import autowire_racks as racks
from model.topologies.autowire import WiringSnapshot


@dataclass(frozen=True)
class Wiring:
    """One auto-wiring: its name in sentences, and what the devices of its two lists are."""

    title: str  # "Top-of-rack"
    roles: tuple[str, str]  # ("server", "ToR switch"): a cable runs from the first to the second


WIRINGS: dict[str, Wiring] = {
    "top_of_rack": Wiring("Top-of-rack", ("server", "ToR switch")),
    "dual_homed": Wiring("Dual-homed leaf pair", ("server", "leaf")),
    "nic_rails": Wiring("Rail-optimised NIC-to-leaf", ("server", "leaf")),
    "leaf_spine": Wiring("Leaf-to-spine", ("leaf", "spine")),
    "spine_core": Wiring("Spine-to-core", ("spine", "core")),
    "trn2_torus": Wiring("Trn2 torus", ("tray", "tray")),
    "nvl72_spine": Wiring("NVL72 NVLink spine", ("GPU tray", "NVLink switch")),
    "switch_bridge": Wiring("NVL36x2 switch bridge", ("switch", "switch")),
}


SHOWN_TARGETS = 6  # far ends the dialog names one per line; the rest are counted together


@dataclass(frozen=True)
class WiringPlan:
    """A planned wiring: its name, the cables it would add (none added yet) and the summary
    a designer reads before saying OK: counts by kind and rate, and by far end."""

    name: str
    cables: list[Cable]
    counts: dict[str, int]  # "server→ToR switch 400G" -> cables
    by_target: dict[str, int]  # "tor1 in R1" -> cables ending there
    scope: str = ""  # what of the layout it wires when a selection narrowed it

    @property
    def title(self) -> str:
        """The wiring's name in a sentence ('Top-of-rack')."""
        return WIRINGS[self.name].title

    @property
    def summary(self) -> str:
        """Lines for the dialog: what will be laid, by kind, then by far end (the first SHOWN_TARGETS)."""
        n = len(self.cables)
        lines = [f"{self.title} will lay {n} cable{'' if n == 1 else 's'}:"]
        lines += [f"  {count} {kind}" for kind, count in self.counts.items()]
        targets = list(self.by_target.items())
        if len(targets) > 1 or self.name in ("top_of_rack", "dual_homed"):
            lines.append("To:")
            lines += [f"  {target}: {count}" for target, count in targets[:SHOWN_TARGETS]]
            if len(targets) > SHOWN_TARGETS:
                rest = sum(count for _, count in targets[SHOWN_TARGETS:])
                lines.append(f"  … {len(targets) - SHOWN_TARGETS} more: {rest}")
        if self.scope:
            lines.append(self.scope)
        lines.append("One Undo takes them all back.")
        return "\n".join(lines)


def _kinds(source: WiringSnapshot, ids: Sequence[str] | None) -> dict[str, str]:
    catalog = source.catalog
    devices = source.devices.values() if ids is None else [source.devices[d] for d in ids if d in source.devices]
    return {d.id: catalog.devices[d.type].kind for d in devices if d.type in catalog.devices}


def wiring_devices(
    source: WiringSnapshot, name: str, device_ids: Sequence[str], rack_ids: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The two device-id lists wiring `name` takes from the selected devices and racks
    (every device when none are selected; for top-of-rack and the leaf pair, servers
    selected without a switch take the layout's switches). Switches cabled to servers are leaves,
    cabled only to switches spines, with no cable cores; leaf-to-spine with no such leaf
    takes the switch type with the most ports as the spine. Raises LayoutError for an
    unknown name or, naming the role, when either list would be empty."""
    if name not in WIRINGS:
        raise LayoutError(f"no auto-wiring {name!r} (known: {', '.join(WIRINGS)})")
    chosen = list(dict.fromkeys([*device_ids, *(d for r in rack_ids for d in source.rack_devices.get(r, ()))]))
    kinds = _kinds(source, chosen or None)
    switches = sorted(d for d, k in kinds.items() if k == "switch")
    peers = {s: source.peer_kinds.get(s, frozenset()) for s in switches}
    leaves = [s for s in switches if peers[s] & {"server", "compute_tray"}]
    if name in ("top_of_rack", "dual_homed"):
        servers = sorted(d for d, k in kinds.items() if k in ("server", "compute_tray"))
        servers = [d for d in servers if aw.rail_ports(source.catalog.devices[source.devices[d].type])]
        if servers and not switches:  # servers selected (the one just placed): the nearest switch anywhere
            switches = sorted(d for d, k in _kinds(source, None).items() if k == "switch")
        lists = servers, switches
    elif name == "leaf_spine":
        if leaves:
            lists = leaves, [s for s in switches if s not in leaves]
        else:
            lists = tuple(aw.wiring_arguments(source, name, chosen, []))  # type: ignore[assignment]
    elif name == "spine_core":
        spines = [s for s in switches if peers[s] and not peers[s] & {"server", "compute_tray"}]
        lists = spines, [s for s in switches if not peers[s]]
    elif name == "switch_bridge":
        in_racks: dict[str, list[str]] = {}
        for s in switches:
            if any(p.pathway == "cartridge" for p in source.catalog.devices[source.devices[s].type].ports):
                in_racks.setdefault(source.rack_of(s), []).append(s)
        pairs = [in_racks[r] for r in source.rack_devices if r in in_racks]
        lists = (pairs[0], pairs[1]) if len(pairs) == 2 else ([], [])
        if len(pairs) not in (0, 2):
            raise LayoutError(
                f"{WIRINGS[name].title}: select the two racks to bridge ({len(pairs)} racks with NVLink switch trays)"
            )
    else:
        found = aw.wiring_arguments(source, name, chosen, [])
        lists = (found[0], found[-1])
    for role, ids in zip(WIRINGS[name].roles, lists):
        if not ids:
            where = "among the selected racks and devices" if chosen else "in the layout"
            raise LayoutError(f"{WIRINGS[name].title}: no {role} {where} (select the racks to wire)")
    return list(lists[0]), list(lists[1])


def _planner(name: str) -> Callable[[WiringSnapshot, list[str], list[str]], list[Cable]]:
    if name == "top_of_rack":
        return racks.top_of_rack_racks
    if name == "dual_homed":
        return racks.dual_homed
    if name == "trn2_torus":
        return lambda source, trays, _: aw.trn2_torus(source, trays)
    return getattr(aw, name)


def plan_wiring(source: WiringSnapshot, name: str, device_ids: Sequence[str], rack_ids: Sequence[str]) -> WiringPlan:
    """The plan of wiring `name` for the selection (see wiring_devices): its cables, not
    added, and their counts. Raises LayoutError naming what is missing when it cannot be
    laid (nothing is planned then), or when every port it would use is already taken."""
    first, second = wiring_devices(source, name, device_ids, rack_ids)
    if name == "trn2_torus":
        second = []
    try:
        cables = _planner(name)(source, first, second)
    except LayoutError as exc:
        title = WIRINGS[name].title
        raise LayoutError(exc.message if exc.message.startswith(title) else f"{title}: {exc.message}") from None
    if not cables:
        raise LayoutError(f"{WIRINGS[name].title}: nothing to wire (every port it would use is already cabled)")
    scope = ""
    if device_ids or rack_ids:
        role = WIRINGS[name].roles[0]
        scope = f"Only the selection's {len(first)} {role}{'' if len(first) == 1 else 's'}: select nothing to wire the whole layout."
    return WiringPlan(name, cables, *_count(source, name, cables), scope=scope)


def _count(source: WiringSnapshot, name: str, cables: list[Cable]) -> tuple[dict[str, int], dict[str, int]]:
    catalog, devices = source.catalog, source.devices
    a_role, b_role = WIRINGS[name].roles
    kinds: Counter[str] = Counter()
    targets: Counter[str] = Counter()
    for cable in cables:
        rates = []
        for ref in (cable.a, cable.legs[0]):
            device, _, port = ref.partition(":")
            device_type = catalog.devices[devices[device].type]
            rates.append(device_type.ports[device_type.port_index[port]].rate_gbps)
        kinds[f"{a_role}→{b_role} {min(rates):g}G"] += 1
        target = cable.legs[0].partition(":")[0]
        targets[f"{source.label(target)} in {source.rack_label(source.rack_of(target))}"] += 1
    return dict(kinds), dict(targets)

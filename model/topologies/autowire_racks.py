"""Auto-wiring by rack: top-of-rack (every server's NIC ports to the switch in its rack, or
the nearest with room) and the dual-homed leaf pair (each server's NIC ports split over
two leaves, alternately).

Like model.topologies.autowire, each planner reads a `WiringSnapshot`, plans on free ports
only and returns the cables without adding them; when the wiring is impossible it raises
LayoutError naming the rack, what it needs and what the nearest switch has, and plans
nothing. A switch's downlinks are its lower half of ports (the upper half go up to spines).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from model.catalog import DeviceType, PortSpec
from model.errors import LayoutError
from model.layout import Cable
from model.topologies.autowire import WiringSnapshot, _leaf_halves, _Planner, _spec, rail_ports


def _servers_by_rack(
    source: WiringSnapshot, plan: _Planner, server_ids: Sequence[str], what: str
) -> dict[str, list[tuple[str, DeviceType, list[PortSpec]]]]:
    """Rack id -> its servers (id, type, free NIC ports), racks in the layout's order."""
    types = plan.device_types(server_ids, ("server", "compute_tray"), "server")
    by_rack: dict[str, list[tuple[str, DeviceType, list[PortSpec]]]] = {}
    for server_id, server_type in zip(server_ids, types):
        nics = [p for p in rail_ports(server_type) if f"{server_id}:{p.name}" not in source.port_use]
        if nics:
            by_rack.setdefault(source.rack_of(server_id), []).append((server_id, server_type, nics))
    if not by_rack:
        raise LayoutError(f"{what}: the selected servers have no free NIC port")
    order = {rack: i for i, rack in enumerate(source.rack_devices)}
    return dict(sorted(by_rack.items(), key=lambda item: order.get(item[0], len(order))))


def _by_distance(source: WiringSnapshot, rack_id: str, switch_ids: Sequence[str]) -> list[str]:
    """`switch_ids` nearest first from `rack_id` (centre to centre; in the rack: 0), then by id."""
    here = source.rack_centres.get(rack_id, (0.0, 0.0))

    def distance(switch_id: str) -> tuple[float, str]:
        rack = source.rack_of(switch_id)
        if rack == rack_id:
            return 0.0, switch_id
        x, y = source.rack_centres.get(rack, (math.inf, math.inf))
        return math.hypot(x - here[0], y - here[1]), switch_id

    return sorted(switch_ids, key=distance)


def _downlinks(plan: _Planner, switch_id: str, switch_type: DeviceType) -> list[str]:
    return plan.free(switch_id, "down", _leaf_halves(switch_type)[0])


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _nearest_text(source: WiringSnapshot, plan: _Planner, ranked: list[str], types: dict[str, DeviceType]) -> str:
    if not ranked:
        return "no switch is selected"
    first = ranked[0]
    free = len(_downlinks(plan, first, types[first]))
    where = source.rack_label(source.rack_of(first))
    return f"nearest switch {source.label(first)} in {where} has {_count(free, 'free downlink port')}"


def top_of_rack_racks(source: WiringSnapshot, server_ids: Sequence[str], switch_ids: Sequence[str]) -> list[Cable]:
    """Top-of-rack wiring, rack by rack: every free NIC port of every server in a rack to
    the switch in that rack, or else the nearest switch (centre to centre) with enough
    free downlinks for the whole rack. Raises LayoutError, planning nothing, for a rack
    no switch has room for ('top-of-rack: rack R2 has 8 servers (16 NIC ports) and no
    switch with 16 free downlink ports; nearest switch tor1 in R1 has 4 ...')."""
    plan = _Planner(source)
    racks = _servers_by_rack(source, plan, server_ids, "Top-of-rack")
    types = dict(zip(switch_ids, plan.device_types(switch_ids, ("switch",), "top-of-rack switch")))
    for rack_id, servers in racks.items():
        nics = [(server_id, server_type, port) for server_id, server_type, ports in servers for port in ports]
        ranked = _by_distance(source, rack_id, switch_ids)
        chosen = next((s for s in ranked if len(_downlinks(plan, s, types[s])) >= len(nics)), None)
        if chosen is None:
            raise LayoutError(
                f"Top-of-rack: rack {source.rack_label(rack_id)} has {_count(len(servers), 'server')} "
                f"({_count(len(nics), 'NIC port')}) "
                f"and no switch with {len(nics)} free downlink ports; {_nearest_text(source, plan, ranked, types)}"
            )
        free = _downlinks(plan, chosen, types[chosen])
        for server_id, _server_type, port in nics:
            switch_port = free.pop()  # counted above
            ref = f"{server_id}:{port.name}"
            plan.check_joinable(port, _spec(types[chosen], switch_port), ref, chosen)
            plan.add(ref, f"{chosen}:{switch_port}")
    return plan.cables


def dual_homed(source: WiringSnapshot, server_ids: Sequence[str], switch_ids: Sequence[str]) -> list[Cable]:
    """A dual-homed leaf pair per rack: each server's free NIC ports alternate over two
    leaves (port 1 to leaf A, port 2 to leaf B, port 3 to A, …), so each server survives
    the loss of either leaf. The pair is the two nearest switches (those in the rack first)
    with enough free downlinks for the rack's share. Raises LayoutError, planning nothing,
    for a server with fewer than 2 free NIC ports or a rack without such a pair."""
    plan = _Planner(source)
    racks = _servers_by_rack(source, plan, server_ids, "Dual-homed leaf pair")
    types = dict(zip(switch_ids, plan.device_types(switch_ids, ("switch",), "leaf")))
    for rack_id, servers in racks.items():
        for server_id, _server_type, ports in servers:
            if len(ports) < 2:
                raise LayoutError(
                    f"Dual-homed leaf pair: server {source.label(server_id)} in {source.rack_label(rack_id)} has "
                    f"{_count(len(ports), 'free NIC port')}; "
                    "a leaf pair needs 2 or more (one to each leaf)"
                )
        needs = [
            sum((len(ports) + 1) // 2 for _, _, ports in servers),
            sum(len(ports) // 2 for _, _, ports in servers),
        ]
        ranked = _by_distance(source, rack_id, switch_ids)
        roomy = [s for s in ranked if len(_downlinks(plan, s, types[s])) >= needs[0]]
        if len(roomy) < 2:
            have = ", ".join(source.label(s) for s in roomy) or "none"
            raise LayoutError(
                f"Dual-homed leaf pair: rack {source.rack_label(rack_id)} has {_count(len(servers), 'server')} "
                "needing two leaves with "
                f"{needs[0]} free downlink ports each; switches with that room: {have}; "
                f"{_nearest_text(source, plan, ranked, types)}; "
                f"add {'a second switch' if len(roomy) == 1 else 'two switches'} to the rack (or free their ports)"
            )
        pair = roomy[:2]
        frees = [_downlinks(plan, leaf, types[leaf]) for leaf in pair]
        for server_id, _server_type, ports in servers:
            for k, port in enumerate(ports):
                leaf, free = pair[k % 2], frees[k % 2]
                switch_port = free.pop()  # counted above
                ref = f"{server_id}:{port.name}"
                plan.check_joinable(port, _spec(types[leaf], switch_port), ref, leaf)
                plan.add(ref, f"{leaf}:{switch_port}")
    return plan.cables

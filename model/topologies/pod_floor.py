"""Where a scale-out fabric's racks stand: SU blocks in rows, pods, halls and the core rows.

Every scalable unit (SU) is one block of a row: its server racks either side of its leaf
rack, and a network place at one end (the east end in a pod's even rows, the west end in
its odd rows, so that spine racks in neighbouring rows stand in different columns). Blocks
are separated by cross walkways as wide as a cold aisle. A pod is one spine-leaf group (or
the whole two-tier fabric): its SUs in a few rows, its spine racks in the network places,
so its leaf-spine runs stay inside it. Pods stand in a grid of pod columns and pod rows,
the same in every pod, and for three tiers the core rows run through the middle of the
hall: the cores a spine rack's spines go to stand straight across from it (split over the
pod columns), so its uplinks run along one cross tray. Rows per pod, blocks per row and
pod columns are chosen for a roughly square hall (see pod_shape).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from model.catalog import Catalog, DeviceType
from model.defaults import default
from model.topologies.fabric import FabricPlan
from model.topologies.hall import Placed
from model.topologies.network_racks import (
    NETWORK_RACK,
    SERVER_RACK,
    SERVER_UNITS,
    server_rack,
    switch_rack,
    switches_per_rack,
)

MAX_ASPECT = 2.0  # a hall's longer side at most twice its shorter: "roughly square"


@dataclass
class PodFloor:
    """The racks row by row (x from the hall's west end, mm), the cross tray columns (mm),
    and the device ids the wiring needs: per SU its servers and its leaves (rail by rail),
    per spine-leaf group its spines (spine j at j), per core group its cores."""

    rows: list[list[Placed]] = field(default_factory=list)
    columns: list[float] = field(default_factory=list)
    su_servers: list[list[str]] = field(default_factory=list)
    su_leaves: list[list[str]] = field(default_factory=list)
    slg_spines: list[list[str]] = field(default_factory=list)
    core_groups: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class PodShape:
    """How pods are laid out: rows per pod, SU blocks per row, pod columns; sizes in mm."""

    rows_per_pod: int
    blocks: int
    pod_columns: int
    servers: int  # server racks per block
    block_mm: float
    walkway_mm: float

    def block_x(self, b: int) -> float:
        """West end of block b of a pod, from the pod's west end (mm)."""
        return b * (self.block_mm + self.walkway_mm)

    @property
    def pod_mm(self) -> float:
        """A pod's width (mm)."""
        return self.blocks * self.block_mm + (self.blocks - 1) * self.walkway_mm

    def pod_x(self, c: int) -> float:
        """West end of pod column c, from the hall's west end (mm)."""
        return c * (self.pod_mm + self.walkway_mm)

    @property
    def width_mm(self) -> float:
        """The width of all pod columns (mm)."""
        return self.pod_x(self.pod_columns) - self.walkway_mm


def pod_shape(plan: FabricPlan, catalog: Catalog, sus_per_pod: int, pods: int, racks_needed: int) -> PodShape:
    """Rows per pod, blocks per row and pod columns for a roughly square hall: the fewest pod
    columns that keep neither side more than MAX_ASPECT times the other, then the closest
    to square, then the fewest rows per pod (or the closest to square of all, when no shape
    is within MAX_ASPECT). One pod column keeps every spine's uplinks on its own cross tray;
    more make the cores' runs turn, and the trays they may take grow. Every pod has at least
    `racks_needed` network places; raises ValueError when no shape has."""
    servers = math.ceil(plan.su_nodes / len(SERVER_UNITS))
    block = servers * catalog.racks[SERVER_RACK].width_mm + 2 * catalog.racks[NETWORK_RACK].width_mm
    walkway = default("room", "cold_aisle_mm")  # a cross aisle as wide as a cold aisle: two tiles
    aisles = (default("room", "cold_aisle_mm") + default("room", "hot_aisle_mm")) / 2
    pitch = catalog.racks[SERVER_RACK].depth_mm + aisles
    core_rows = 2 if plan.tiers == 3 else 0
    best: tuple[tuple[bool, int, float, int], PodShape] | None = None
    for blocks in range(1, sus_per_pod + 1):
        rows = math.ceil(sus_per_pod / blocks)
        if rows * blocks < racks_needed or math.ceil(sus_per_pod / rows) != blocks:
            continue  # too few network places, or an empty block in every row
        for columns in range(1, pods + 1):
            shape = PodShape(rows, blocks, columns, servers, block, walkway)
            depth = (math.ceil(pods / columns) * rows + core_rows) * pitch
            skew = abs(math.log(shape.width_mm / depth))
            score = (skew > math.log(MAX_ASPECT), columns if skew <= math.log(MAX_ASPECT) else 0, round(skew, 2), rows)
            if best is None or score < best[0]:
                best = (score, shape)
    if best is None:
        raise ValueError(f"{racks_needed} spine racks do not fit a pod of {sus_per_pod} SUs")
    return best[1]


def plan_pod_floor(plan: FabricPlan, catalog: Catalog, server: DeviceType, switch: DeviceType) -> PodFloor:
    """The racks of `plan`'s fabric (servers of type `server`, every tier on `switch`) and
    where they stand; see the module docstring."""
    floor = PodFloor()
    per_rack = switches_per_rack(switch, catalog)
    sus_per_pod = plan.pod_sus
    pods = math.ceil(plan.sus / sus_per_pod)
    pod_spines = plan.planes * plan.spines_per_slg  # a spine-leaf group of every plane
    shape = pod_shape(plan, catalog, sus_per_pod, pods, math.ceil(pod_spines / per_rack))
    spine_racks = min(shape.rows_per_pod * shape.blocks, pod_spines)
    # Spine racks take the network places block by block, alternating rows: distinct columns.
    order = [(b, r) for b in range(shape.blocks) for r in range(shape.rows_per_pod)][:spine_racks]
    chunks = [range(k * pod_spines // spine_racks, (k + 1) * pod_spines // spine_racks) for k in range(spine_racks)]
    w_srv, w_net = catalog.racks[SERVER_RACK].width_mm, catalog.racks[NETWORK_RACK].width_mm

    def slot_x(b: int, r: int) -> float:
        return shape.block_x(b) + (shape.servers * w_srv + w_net if r % 2 == 0 else 0.0)

    spine_xs = [[shape.pod_x(c) + slot_x(b, r) + w_net / 2 for b, r in order] for c in range(shape.pod_columns)]
    floor.columns = sorted({x for xs in spine_xs for x in xs})
    floor.su_servers = [[] for _ in range(plan.sus)]
    floor.su_leaves = [[f"su{s + 1:03d}-leaf{r + 1}" for r in range(plan.rails)] for s in range(plan.sus)]
    spine_name = "spine{j:03d}" if plan.tiers == 2 else "slg{g:02d}-spine{j:02d}"
    if plan.planes > 1:
        spine_name = "plane{q}-slg{p:02d}-spine{j:02d}"
    floor.slg_spines = [
        [
            spine_name.format(g=g + 1, j=j + 1, p=g // plan.planes + 1, q=g % plan.planes + 1)
            for j in range(plan.spines_per_slg)
        ]
        for g in range(plan.slgs)
    ]
    # A pod's spines, spine J = plane J // spines_per_slg's spine J mod spines_per_slg.
    pod_ids = [
        [x for g in range(p * plan.planes, (p + 1) * plan.planes) for x in floor.slg_spines[g]] for p in range(pods)
    ]
    west = shape.servers // 2
    # Server places nearest the leaf first: a partial SU keeps its runs short.
    near = sorted(range(shape.servers), key=lambda k: (abs(k - west + 0.5), k))
    rows: list[list[Placed]] = []
    for pod_row in range(math.ceil(pods / shape.pod_columns)):
        for r in range(shape.rows_per_pod):
            row: list[Placed] = []
            for c in range(shape.pod_columns):
                p = pod_row * shape.pod_columns + c
                if p >= pods:
                    continue
                for b in range(shape.blocks):
                    x0 = shape.pod_x(c) + shape.block_x(b) + (w_net if r % 2 else 0.0)
                    su = p * sus_per_pod + r * shape.blocks + b
                    if su < plan.sus and r * shape.blocks + b < sus_per_pod:
                        row += _su_block(floor, plan, catalog, su, x0, west, near, server.id, switch)
                    if (b, r) in order:
                        k = order.index((b, r))
                        ids = [pod_ids[p][j] for j in chunks[k]]
                        name = f"Spines {k + 1}" if plan.tiers == 2 else f"Pod {p + 1} spines {k + 1}"
                        rack = switch_rack(name, f"pod{p + 1:02d}-spines{k + 1:02d}", ids, switch, catalog)
                        row.append(Placed(shape.pod_x(c) + slot_x(b, r), rack))
            rows.append(row)
    if plan.tiers == 3:
        core_rows = _core_rows(floor, plan, shape, catalog, switch, spine_xs, chunks, per_rack)
        middle = math.ceil(pods / shape.pod_columns) // 2 * shape.rows_per_pod
        rows = rows[:middle] + core_rows + rows[middle:]
    floor.rows = rows
    return floor


def _su_block(
    floor: PodFloor,
    plan: FabricPlan,
    catalog: Catalog,
    su: int,
    x0: float,
    west: int,
    near: list[int],
    server_type: str,
    switch: DeviceType,
) -> list[Placed]:
    """One SU's server racks, either side of its leaf rack, from `x0` (mm); records the server ids."""
    w_srv, w_net = catalog.racks[SERVER_RACK].width_mm, catalog.racks[NETWORK_RACK].width_mm
    nodes = plan.nodes_of_su(su)
    per_rack = len(SERVER_UNITS)
    places = sorted(near[: math.ceil(len(nodes) / per_rack)])
    placed: list[Placed] = []
    for k, place in enumerate(places):
        ids = [f"su{su + 1:03d}-srv{n - nodes.start + 1:02d}" for n in nodes[k * per_rack : (k + 1) * per_rack]]
        floor.su_servers[su] += ids
        x = x0 + place * w_srv + (w_net if place >= west else 0.0)
        key = f"su{su + 1:03d}-servers{k + 1:02d}"
        placed.append(Placed(x, server_rack(f"SU {su + 1} servers {k + 1}", key, ids, server_type)))
    leaves = switch_rack(f"SU {su + 1} leaves", f"su{su + 1:03d}-leaves", floor.su_leaves[su], switch, catalog)
    placed.append(Placed(x0 + west * w_srv, leaves))
    return placed


def _core_rows(
    floor: PodFloor,
    plan: FabricPlan,
    shape: PodShape,
    catalog: Catalog,
    switch: DeviceType,
    spine_xs: list[list[float]],
    chunks: list[range],
    per_rack: int,
) -> list[list[Placed]]:
    """Core group j's cores stand in the core rows across from the spine racks holding
    spine j, core c under pod column c mod the pod columns."""
    w_net = catalog.racks[NETWORK_RACK].width_mm
    core_name = "core{j:02d}-{c:02d}" if plan.planes == 1 else "plane{q}-core{j:02d}-{c:02d}"
    floor.core_groups = [
        [core_name.format(q=q + 1, j=j + 1, c=c + 1) for c in range(plan.cores_per_group)]
        for q in range(plan.planes)
        for j in range(plan.spines_per_slg)
    ]
    racks_of: dict[float, list[list[str]]] = {}  # column centre -> core ids, rack by rack
    for column, xs in enumerate(spine_xs):
        for x, chunk in zip(xs, chunks):
            cores = [
                core for j in chunk for c, core in enumerate(floor.core_groups[j]) if c % shape.pod_columns == column
            ]
            racks_of.setdefault(x, []).extend(cores[k : k + per_rack] for k in range(0, len(cores), per_rack))
    count = 2  # a pair of rows facing across a cold aisle; two more while they overrun the hall
    while True:
        rows = [_pack({x: racks[i::count] for x, racks in racks_of.items()}, w_net) for i in range(count)]
        if all(end <= shape.width_mm + w_net for _, end in rows):
            break
        count += 2
    out: list[list[Placed]] = []
    n = 0
    for places, _ in rows:
        row = []
        for x, ids in places:
            n += 1
            row.append(Placed(x, switch_rack(f"Cores {n}", f"cores{n:03d}", ids, switch, catalog)))
        out.append(row)
    return out


def _pack(columns: dict[float, list[list[str]]], width: float) -> tuple[list[tuple[float, list[str]]], float]:
    """Each column's racks side by side, centred on the column where the racks west of it
    leave room: (west edge x, core ids) per rack, and where the last one ends (mm)."""
    places: list[tuple[float, list[str]]] = []
    end = -math.inf
    for x in sorted(columns):
        racks = columns[x]
        start = max(x - len(racks) * width / 2, end, 0.0)
        places += [(start + i * width, ids) for i, ids in enumerate(racks)]
        end = start + len(racks) * width if racks else end
    return places, end

"""The layout turned into numpy columns: one row per rack, per cable end, per cable.

Routing 200k cables one Python object at a time is too slow, so the few lookups that
must be done per cable (which device, which port) happen once here and everything
after works on arrays. A `CompiledLayout` is rebuilt when the layout's structure
changes; a moved device or rack only refreshes the rows it touches.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableSequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from model.catalog import Catalog, DeviceType
from model.connectors import connector_table
from model.geometry.columns import clone_columns
from model.layout import FACING_VECTORS, Cable, Device, Rack, Site, cable_column
from model.rack_face import FACE_CODE, port_faces, port_offsets
from model.rows import RowIndex


@dataclass
class PortTable:
    """Per device type: its ports as arrays (index = position in DeviceType.ports)."""

    x_mm: np.ndarray
    y_mm: np.ndarray
    face: np.ndarray  # 0 front, 1 rear (of the device)
    rate_gbps: np.ndarray
    lanes: np.ndarray
    fastest_lane: np.ndarray  # Gb/s: PortSpec.link_end's (a ConnectX-8 runs 4 x 200G or 8 x 100G)
    accelerator: np.ndarray  # -1 when the port serves no accelerator
    cartridge: np.ndarray  # bool: a blind-mate connector into the rack's rear cable cartridge
    connector: list[str]
    pathway: list[str]
    cage: np.ndarray  # the port's cage: its index in DeviceType.cages
    twin: np.ndarray  # bool: the port shares its cage with another (twin-port OSFP)


def port_table(device_type: DeviceType) -> PortTable:
    """The device type's ports as columns of shape (ports,), in DeviceType.ports order (x, y in mm)."""
    ports = device_type.ports
    cage_row = {(cage.face, cage.name): i for i, cage in enumerate(device_type.cages)}
    return PortTable(
        x_mm=np.array([p.x_mm for p in ports], dtype=float),
        y_mm=np.array([p.y_mm for p in ports], dtype=float),
        face=np.array([FACE_CODE[p.face] for p in ports], dtype=np.int8),
        rate_gbps=np.array([p.rate_gbps for p in ports], dtype=float),
        lanes=np.array([p.lanes for p in ports], dtype=np.int16),
        fastest_lane=np.array([p.link_end[3] for p in ports], dtype=float),
        accelerator=np.array([-1 if p.accelerator is None else p.accelerator for p in ports], dtype=np.int16),
        cartridge=np.array([p.pathway == "cartridge" for p in ports], dtype=bool),
        connector=[p.connector for p in ports],
        pathway=[p.pathway for p in ports],
        cage=np.array([cage_row[(p.face, p.cage_name)] for p in ports], dtype=np.int32),
        twin=np.array([device_type.cages[cage_row[(p.face, p.cage_name)]].twin for p in ports], dtype=bool),
    )


class RackColumns:
    """Per rack: position, orientation and the settings that shape its pathways."""

    def __init__(self, site: Site) -> None:
        racks = site.racks
        self.ids = [r.id for r in racks]
        self.index = {rid: i for i, rid in enumerate(self.ids)}
        self.refresh(site)

    def refresh(self, site: Site) -> None:
        """Re-reads every rack's columns from `site` (its racks in the same order as `ids`)."""
        racks = site.racks
        settings = site.settings

        def col(name: str) -> np.ndarray:
            return np.array([getattr(r, name) for r in racks], dtype=float)

        self.names = [r.label for r in racks]  # what reports call each rack: its name, else its id
        self.x = col("x_mm")
        self.y = col("y_mm")
        facing = np.array([FACING_VECTORS[r.facing] for r in racks], dtype=float).reshape(-1, 2)
        self.front = facing  # unit vector the front faces
        # Across the rack, left to right as seen by someone facing its front.
        self.across = np.stack([facing[:, 1], -facing[:, 0]], axis=1) if len(racks) else facing
        self.width = col("width_mm")
        self.depth = col("depth_mm")
        self.height_u = col("height_u")
        self.manager = col("manager_width_mm")
        self.clearance = np.stack([col("front_clearance_mm"), col("rear_clearance_mm")], axis=1).reshape(-1, 2)
        self.budget = col("power_budget_w")
        self.top_z = np.array([r.frame_top_mm(settings.rack_unit_mm) for r in racks], dtype=float)
        self.openings = np.array([r.side_openings for r in racks], dtype=bool)
        self.rail_left = (self.width - settings.rail_width_mm) / 2

    def to_floor(self, rack: np.ndarray, lx: np.ndarray, ly: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rack-local (lx from the left as seen from the front, ly from the front face) to floor x, y."""
        ox = lx - self.width[rack] / 2
        oy = ly - self.depth[rack] / 2
        # Going deeper into the rack means going against the front vector.
        fx = self.x[rack] + ox * self.across[rack, 0] - oy * self.front[rack, 0]
        fy = self.y[rack] + ox * self.across[rack, 1] - oy * self.front[rack, 1]
        return fx, fy


@dataclass
class EndColumns:
    """Per cable end (2 rows per cable: even = end a, odd = end b), in rack-local terms."""

    rack: np.ndarray
    lx: np.ndarray  # across the rack from its left (seen from the front), mm
    z: np.ndarray  # height above the floor, mm
    face: np.ndarray  # 0: port on the rack's front, 1: on its rear
    accelerator: np.ndarray  # bool: the port serves an accelerator
    device_row: np.ndarray  # index into CompiledLayout.device_ids
    cartridge: np.ndarray  # bool: a blind-mate port into the rear cable cartridge

    @classmethod
    def unset(cls, device_row: np.ndarray) -> EndColumns:
        """Columns for ends on `device_row` ((2 × cables,) device rows), positions not yet computed."""
        n = len(device_row)
        return cls(
            rack=np.zeros(n, np.int32),
            lx=np.zeros(n),
            z=np.zeros(n),
            face=np.zeros(n, np.int8),
            accelerator=np.zeros(n, bool),
            device_row=device_row,
            cartridge=np.zeros(n, bool),
        )


def leg_rows(cables: list[Cable]) -> tuple[list[Cable], list[str], np.ndarray, np.ndarray]:
    """One row per leg: per row its cable, its end b port, its leg number in the cable and how
    many legs the cable has ((rows,) int8 each). A straight cable is one row, leg 0 of 1."""
    ends = cable_column(cables, "b")
    n = len(cables)
    if list not in set(map(type, ends)):  # no breakout: 15 ms at 300,000 cables, where a loop took 100
        return cables, cast(list[str], ends), np.zeros(n, np.int8), np.ones(n, np.int8)
    row_cables: list[Cable] = []
    b_refs: list[str] = []
    leg: list[int] = []
    count: list[int] = []
    for cable, end in zip(cables, ends):
        if isinstance(end, list):
            row_cables += [cable] * len(end)
            b_refs += end
            leg += range(len(end))
            count += [len(end)] * len(end)
        else:
            row_cables.append(cable)
            b_refs.append(end)
            leg.append(0)
            count.append(1)
    return row_cables, b_refs, np.array(leg, dtype=np.int8), np.array(count, dtype=np.int8)


END_CHUNK = 20_000  # cables whose end references are split at a time (see _compile_cables)


class CompiledLayout:
    """Arrays for every cable of a site; built in one pass over the cables."""

    def __init__(self, site: Site, catalog: Catalog) -> None:
        self.site = site
        self.catalog = catalog
        self.racks = RackColumns(site)
        self.tables = {type_id: port_table(dt) for type_id, dt in catalog.devices.items()}
        self._type_codes: dict[str, int] = {}
        self._type_names: list[str] = []
        self._index_devices()
        self._compile_cables()

    def _index_devices(self) -> None:
        site, unit = self.site, self.site.settings.rack_unit_mm
        # Lists, or model.rows.Pieces after an incremental edit (model.structure_edits).
        self.device_ids: MutableSequence[str] = []
        self.device_names: MutableSequence[str] = []  # what reports call each device: its name, else its id
        table: dict[str, int] = {}
        rack_of, base_z, face, types = [], [], [], []
        for ri, rack in enumerate(site.racks):
            for device in rack.devices:
                table[device.id] = len(self.device_ids)
                self.device_ids.append(device.id)
                self.device_names.append(device.label)
                rack_of.append(ri)
                base_z.append((device.u_position - 1) * unit)
                face.append(FACE_CODE[device.face])
                types.append(device.type)
        self.device_rack = np.array(rack_of, dtype=np.int32)
        self.device_base_z = np.array(base_z, dtype=float)
        self.device_face = np.array(face, dtype=np.int8)
        self.device_type: MutableSequence[str] = types
        # Each device's type as a code (`_type_names`): per-type figures gathered in one step.
        self.device_type_code = np.array([self._type_code(t) for t in types], dtype=np.int32)
        self._device_names_unique: bool | None = None  # not yet known (see device_names_unique)
        self.device_name_hash: np.ndarray | None = None  # made when first asked (name_hashes)
        # Device id -> row; an incremental edit derives the next index from it (model.rows).
        self.device_row: RowIndex = RowIndex.of_dict(self.device_ids, table)

    def _compile_cables(self) -> None:
        # A breakout takes one row per leg, all under its cable's id: end a repeated, end b the
        # leg's port (model.breakout). `leg` numbers a row within its cable (0: the first, or a
        # straight cable's only row) and `leg_count` says how many rows its cable has.
        cables, b_refs, self.leg, self.leg_count = leg_rows(self.site.cables)
        n = len(cables)
        self.has_breakouts = bool(n and self.leg_count.max() > 1)
        # Read a field at a time (model.layout.cable_column): a command-line layout keeps its
        # cables as columns (CableColumns), whose lists these are, shared rather than copied.
        self.cable_ids: MutableSequence[str] = cable_column(cables, "id")
        # Cable id -> its first row, built on the first lookup (a report looks none up); an
        # incremental edit derives the next index from it (model.rows.RowIndex.edited).
        self.cable_index: RowIndex = RowIndex(
            self.cable_ids, np.nonzero(self.leg == 0)[0] if self.has_breakouts else None
        )
        # Every end's device is looked up: the plain dict when there is one (a whole layout),
        # else the index (the few cables an edit adds, model.structure_edits).
        rows: Mapping[str, int] = self.device_row.plain() or self.device_row
        types = self.device_type
        port_index = {type_id: dt.port_index for type_id, dt in self.catalog.devices.items()}
        # Ends interleaved a, b, a, b, ...: end 2i is row i's a, end 2i+1 its b. Split
        # END_CHUNK rows at a time: all 600,000 ends' (device, ':', port) at once were a
        # ~100 MB peak of short-lived strings at 300,000 cables (bench/memory.py).
        device_row = np.empty(2 * n, dtype=np.int32)
        port_idx = np.empty(2 * n, dtype=np.int32)
        a_refs = cable_column(cables, "a")
        for start in range(0, n, END_CHUNK):
            stop = min(n, start + END_CHUNK)
            refs = [ref.partition(":") for a, b in zip(a_refs[start:stop], b_refs[start:stop]) for ref in (a, b)]
            end_rows = [rows[device] for device, _, _ in refs]
            device_row[2 * start : 2 * stop] = end_rows
            port_idx[2 * start : 2 * stop] = [port_index[types[row]][port] for row, (_, _, port) in zip(end_rows, refs)]
        rate = np.array([given or 0.0 for given in cable_column(cables, "rate_gbps")], dtype=float)
        self.end_device_row = device_row
        self.end_port = port_idx
        self._group_by_type()
        requested = rate
        port_rate = self._gather("rate_gbps").reshape(-1, 2) if n else rate
        if n:
            # A leg runs at its share of end a's rate, or its own port's when that is less.
            port_rate = np.minimum(port_rate[:, 0] / self.leg_count, port_rate[:, 1])
        self.rate = np.where(requested > 0, requested, port_rate)
        self.lanes = self._gather("lanes")[0::2] if n else np.zeros(0, dtype=np.int16)
        self.connector = self._gather_connector()
        self._link_connectors()
        if self.has_breakouts:
            self._breakout_connectors()
        self.flexed = np.array(cable_column(cables, "flexed"), dtype=bool)
        self.pinned_medium: MutableSequence[str | None] = [
            pin.value if pin else None for pin in cable_column(cables, "pinned_medium")
        ]
        self.pinned_product: MutableSequence[str | None] = cable_column(cables, "pinned_product")
        # What a cable report names, kept here so a published analysis needs no live document.
        self.cable_a: MutableSequence[str] = a_refs
        self.cable_b: MutableSequence[str] = b_refs
        self.cable_label: MutableSequence[str | None] = cable_column(cables, "label")
        self.ends = EndColumns.unset(self.end_device_row)
        self.refresh_ends(np.arange(2 * n))

    def _group_by_type(self) -> None:
        """End rows grouped by device type, so port figures are gathered one type at a time."""
        if len(self.end_device_row) < len(self.device_type):
            # Fewer ends than devices (the few cables an edit adds, model.structure_edits): only
            # their devices' types are looked up, not all 23,000 devices' (~5 ms an undo at 100k).
            types = self.device_type
            codes = [self._type_code(types[row]) for row in self.end_device_row.tolist()]
            self.end_type = np.array(codes, dtype=np.int32)
            return
        type_of_row = self.device_type_code
        self.end_type = type_of_row[self.end_device_row] if len(self.end_device_row) else np.zeros(0, np.int32)

    def _link_connectors(self) -> None:
        """Cables whose two cages differ in family (a QSFP28 plug in a QSFP-DD cage) take the code
        of the plug that fits both (model.connectors) and the fewer lanes; the two cables between
        the same two twin-port cages take '<connector> twin-port', so that twin-port products
        are among their candidates (model.selection). Pairs the table does not join (patch-panel ports, breakout
        legs) keep end a's code."""
        n = len(self.cable_ids)
        if n == 0:
            return
        ids: dict[str, int] = {}
        end_connector = np.zeros(2 * n, dtype=np.int32)
        for code in np.unique(self.end_type).tolist():
            mask = self.end_type == code
            table = self.tables[self._type_names[code]]
            per_port = np.array([ids.setdefault(name, len(ids)) for name in table.connector], dtype=np.int32)
            end_connector[mask] = per_port[self.end_port[mask]]
        twin = self._paired_twins()
        rows = np.nonzero((end_connector[0::2] != end_connector[1::2]) | twin)[0]
        if len(rows) == 0:
            return
        names = list(ids)
        ends = np.stack([2 * rows, 2 * rows + 1], axis=1).ravel()
        lanes = self._gather("lanes", ends).reshape(-1, 2)
        rates = self._gather("rate_gbps", ends).reshape(-1, 2)
        fastest = self._gather("fastest_lane", ends).reshape(-1, 2)
        # Each distinct pair of ends is joined once (66,664 NIC-to-switch cables of a pod are a
        # handful of pairs), the pairs taken in the order of their first cable, as cable by
        # cable, so that new connector codes are numbered alike.
        pairs = np.column_stack(
            [
                end_connector[0::2][rows],
                end_connector[1::2][rows],
                rates,
                lanes,
                fastest,
                twin[rows],
                self.connector[rows],
            ]
        ).astype(np.float64)
        distinct, first, inverse = np.unique(pairs, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        codes = {key: i for i, key in enumerate(self.connector_keys)}
        for k in np.argsort(first, kind="stable").tolist():
            end_a, end_b, rate_a, rate_b, lanes_a, lanes_b, fastest_a, fastest_b, paired, code = distinct[k].tolist()
            _, pathway = self.connector_keys[int(code)]
            a = (names[int(end_a)], rate_a, int(lanes_a), fastest_a)
            b = (names[int(end_b)], rate_b, int(lanes_b), fastest_b)
            try:
                plug, rate, link_lanes = connector_table().link(a, b)
            except ValueError:
                continue
            key = (f"{plug} twin-port" if paired else plug, pathway)
            if key not in codes:
                codes[key] = len(self.connector_keys)
                self.connector_keys.append(key)
                self.connector_names.append(key[0] if pathway == "plug" else f"{key[0]} {pathway}")
            at = rows[inverse == k]
            self.connector[at] = codes[key]
            self.lanes[at] = link_lanes
            self.rate[at] = np.where(rate < self.rate[at], rate, self.rate[at])  # min(current, rate), as Python's

    def _paired_twins(self) -> np.ndarray:
        """(cables,) bool: the cable joins two twin-port cages whose other ports are joined by
        another cable too, so one twin-port cable can serve both links."""
        twin = np.asarray(self._gather("twin").reshape(-1, 2).all(axis=1), dtype=bool)
        rows = np.nonzero(twin)[0]
        if len(rows) == 0:
            return twin
        # One int64 per (device row, cage) end, one row per unordered pair of ends; pairs seen twice are twins.
        cages = self.end_cages(np.stack([2 * rows, 2 * rows + 1], axis=1).ravel()).reshape(-1, 2, 2)
        # < 2^32 while a layout has under a million devices of under 4,096 cages each
        ends = (cages[:, :, 0] * 4096 + cages[:, :, 1]).astype(np.uint64)
        keys = ends.min(axis=1) << np.uint64(32) | ends.max(axis=1)
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        twin[rows] = counts[inverse.reshape(-1)] > 1
        return twin

    def end_cages(self, ends: np.ndarray) -> np.ndarray:
        """Per end row of `ends` ((n,) int), its device row and the index of its port's cage in
        the device type's DeviceType.cages: an (n, 2) int64 array."""
        return np.stack(
            [self.end_device_row[ends].astype(np.int64), self._gather("cage", ends).astype(np.int64)], axis=1
        )

    def _type_code(self, type_id: str) -> int:
        if type_id not in self._type_codes:
            self._type_codes[type_id] = len(self._type_names)
            self._type_names.append(type_id)
        return self._type_codes[type_id]

    def _gather(self, field: str, ends: np.ndarray | None = None) -> np.ndarray:
        """The port table's `field` at each end of `ends` (every end when None). The device
        types' columns are laid end to end, so one fancy index reads them all (per type, a
        mask of every end took twice as long)."""
        sample = getattr(next(iter(self.tables.values())), field)
        empty = sample[:0]
        columns = [getattr(self.tables[name], field) if name in self.tables else empty for name in self._type_names]
        types, ports = (self.end_type, self.end_port) if ends is None else (self.end_type[ends], self.end_port[ends])
        if len(ports) == 0:
            return np.zeros(0, dtype=sample.dtype)
        start = np.cumsum([0] + [len(column) for column in columns[:-1]])
        return np.concatenate(columns)[start[types] + ports]

    def _gather_connector(self) -> np.ndarray:
        """Per cable, a code for its (connector, pathway) at end a; `connector_keys[code]`
        is that pair and `connector_names[code]` how reasons name it."""
        names: dict[tuple[str, str], int] = {}
        codes = np.zeros(len(self.cable_ids), dtype=np.int16)
        a_ends = np.arange(0, len(self.end_port), 2)
        type_codes = self.end_type[a_ends]
        for code in np.unique(type_codes):
            mask = type_codes == code
            table = self.tables[self._type_names[code]]
            keys = zip(table.connector, table.pathway)
            per_port = np.array([names.setdefault(key, len(names)) for key in keys], dtype=np.int16)
            codes[mask] = per_port[self.end_port[a_ends[mask]]]
        self.connector_keys = list(names)
        self.connector_names = [c if way == "plug" else f"{c} {way}" for c, way in names]
        return codes

    def _breakout_connectors(self) -> None:
        """A breakout's rows take the connector code of 'OSFP → 2 × QSFP112' (end a's connector,
        the legs and end b's) and end a's lanes, so that they are grouped with the breakout
        products that fit (CableProduct.connector_key)."""
        codes = {key: i for i, key in enumerate(self.connector_keys)}
        for row in np.nonzero(self.leg_count > 1)[0].tolist():
            table_a = self.tables[self._type_names[self.end_type[2 * row]]]
            port_a = self.end_port[2 * row]
            connector, pathway = table_a.connector[port_a], table_a.pathway[port_a]
            self.lanes[row] = table_a.lanes[port_a]
            end = 2 * row + 1
            leg_connector = self.tables[self._type_names[self.end_type[end]]].connector[self.end_port[end]]
            key = (f"{connector} → {self.leg_count[row]} × {leg_connector}", pathway)
            if key not in codes:
                codes[key] = len(self.connector_keys)
                self.connector_keys.append(key)
                self.connector_names.append(key[0] if pathway == "plug" else f"{key[0]} {pathway}")
            self.connector[row] = codes[key]

    def clone(self, ends: bool = True) -> CompiledLayout:
        """A copy whose per-device, per-end and per-cable columns can change without touching
        this one; with `ends` False it shares the rack-local end columns (`ends`), which a
        move of racks never changes."""
        twin = clone_columns(self)
        twin.racks = copy.copy(self.racks)  # RackColumns.refresh replaces its arrays wholesale
        twin.ends = clone_columns(self.ends) if ends else self.ends
        return twin

    def refresh_cables(self, rows: np.ndarray) -> None:
        """Cables at `rows` changed pins, flex or label (not their ends): refresh those columns."""
        cables = self.site.cables
        # With breakouts a cable has a row per leg: row -> its place in the layout's list.
        layout_index = np.cumsum(self.leg == 0) - 1 if self.has_breakouts else None
        for row in rows.tolist():
            cable = cables[row if layout_index is None else int(layout_index[row])]
            self.pinned_medium[row] = cable.pinned_medium.value if cable.pinned_medium else None
            self.pinned_product[row] = cable.pinned_product
            self.flexed[row] = cable.flexed
            self.cable_label[row] = cable.label

    def end_port_names(self, ends: slice = slice(None)) -> list[str]:
        """Per end row (of `ends`: all by default), its port's name (what follows the ':' of
        the cable's reference), gathered from the device types' port lists one type at a time."""
        end_type, end_port = self.end_type[ends], self.end_port[ends]
        out = np.empty(len(end_port), dtype=object)
        for code in np.unique(end_type).tolist():
            at = np.nonzero(end_type == code)[0]
            ports = self.catalog.devices[self._type_names[code]].ports
            out[at] = np.array([port.name for port in ports], dtype=object)[end_port[at]]
        return out.tolist()

    def u_position(self, device_row: np.ndarray) -> np.ndarray:
        """The lowest U of each device row (int array), from its base height."""
        unit = self.site.settings.rack_unit_mm
        return np.rint(self.device_base_z[device_row] / unit).astype(np.int64) + 1

    def device_names_unique(self) -> bool:
        """Whether no two devices share a name (`device_names`), worked out once (~1 ms at
        23,000 devices: a set of them) and kept until a name changes (`set_device_name`) or
        an edit says otherwise (model.structure_edits carries it over a removal or checks
        only the names it puts in)."""
        if self._device_names_unique is None:
            self._device_names_unique = len(set(self.device_names)) == len(self.device_names)
        return self._device_names_unique

    def name_hashes(self) -> np.ndarray:
        """hash() of each device's name (`device_names`), (devices,) int64, made once (~1-2 ms
        at 23,000 devices) and carried over edits by model.structure_edits: whether a name put
        in is taken is then one compare over a contiguous column, where looking it up among the
        names touched each of 23,000 string objects (~1.6 ms an undo, out of cache). In this
        process only (str hashes are salted per process): never saved."""
        if self.device_name_hash is None:
            self.device_name_hash = np.fromiter(map(hash, self.device_names), np.int64, len(self.device_names))
        return self.device_name_hash

    def name_taken(self, name: str) -> bool:
        """Whether a device here is called `name` (`device_names`)."""
        same = np.flatnonzero(self.name_hashes() == hash(name)).tolist()
        return any(self.device_names[row] == name for row in same)  # equal hashes, not always equal names

    def set_device_name(self, row: int, name: str) -> None:
        """Device row `row` is now called `name`: every write of a device's name goes through here,
        so `device_names_unique` and the name hashes are worked out again."""
        self.device_names[row] = name
        self._device_names_unique = None
        self.device_name_hash = None  # shared with earlier snapshots: made anew, never written in place

    def refresh_devices(self, devices: dict[str, Device], device_rack: dict[str, Rack]) -> None:
        """Devices moved (U, face or rack) or renamed: refresh their rows. Arguments map id -> device / its rack."""
        unit = self.site.settings.rack_unit_mm
        for device_id, device in devices.items():
            row = self.device_row.get(device_id)
            if row is None:
                continue
            self.set_device_name(row, device.label)
            self.device_rack[row] = self.racks.index[device_rack[device_id].id]
            self.device_base_z[row] = (device.u_position - 1) * unit
            self.device_face[row] = FACE_CODE[device.face]

    def refresh_ends(self, ends: np.ndarray) -> None:
        """Recompute rack-local positions of the given end rows from device rows and port tables."""
        if len(ends) == 0:
            return
        rows = self.end_device_row[ends]
        racks = self.device_rack[rows]
        face = port_faces(self.device_face[rows], self._gather("face", ends))
        _, lx = port_offsets(face, self.racks.rail_left[racks], self.racks.width[racks], self._gather("x_mm", ends))
        self.ends.rack[ends] = racks
        self.ends.lx[ends] = lx
        self.ends.z[ends] = self.device_base_z[rows] + self._gather("y_mm", ends)
        self.ends.face[ends] = face
        self.ends.accelerator[ends] = self._gather("accelerator", ends) >= 0
        self.ends.cartridge[ends] = self._gather("cartridge", ends)

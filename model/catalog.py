"""Device types and cable products, loaded and validated from resources/catalog/.

The catalog is data a designer may edit (prices above all); every figure carries a
source. Port groups in the files expand here into one `PortSpec` per port.
"""

from __future__ import annotations

import math
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from model.connectors import connector_table, mixed_key
from model.defaults import default, default_source
from model.errors import CatalogError
from model.resources import load_yaml, resource_path


class Medium(StrEnum):
    """The kinds of cable, cheapest and shortest-reaching first (MEDIA_ORDER)."""

    DAC = "DAC"
    AEC = "AEC"
    AOC = "AOC"
    OPTICS = "OPTICS"  # two transceivers and structured fiber, for runs beyond AOC reach


MEDIA_ORDER = [Medium.DAC, Medium.AEC, Medium.AOC, Medium.OPTICS]

DeviceKind = Literal["compute_tray", "server", "switch", "nic", "patch_panel", "power_shelf", "pdu"]
Face = Literal["front", "rear"]


class _Strict(BaseModel):
    # allow_inf_nan=False: YAML reads .inf and .nan as numbers; no figure of a catalog may be one.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class CostModel(_Strict):
    """A product's price: fixed_usd per cable plus per_m_usd per ordered metre (USD)."""

    fixed_usd: float = Field(ge=0)
    per_m_usd: float = Field(ge=0)


# How a port is cabled: "plug" takes a pluggable cable end and routes out through the door
# clearance and side managers; "cartridge" is a blind-mate connector into the rack's rear
# cable cartridge (the NVL72 NVLink spine): no door clearance, no manager, no service loop.
Pathway = Literal["plug", "cartridge"]

# What a port carries: the link layer its lanes are trained for.
Protocol = Literal["ethernet", "infiniband", "nvlink", "neuronlink"]

# What a port does with a link (NetBox's interface / front port / rear port).
PortRole = Literal["interface", "front", "rear"]


class BreakoutLegs(_Strict):
    """A breakout's far end: `count` legs, each `rate_gbps` over `lanes` lanes into a `connector` cage."""

    count: int = Field(ge=2, le=8)
    rate_gbps: float = Field(gt=0)
    lanes: int = Field(gt=0)
    connector: str


class CableProduct(_Strict):
    """One orderable cable product and its figures, each with its source in `sources`.

    od_mm: outer diameter; min_bend_radius_mm: static bend radius; reach_m: longest run it
    serves; power_w: both ends of one cable; latency in ns per m plus a fixed part; lengths
    either the listed lengths_m (ascending) or any multiple of length_step_m.
    Validation raises ValueError (pydantic's ValidationError) for a copper product without a
    gauge, both or neither length rules, or a figure without a source.
    """

    id: str
    name: str
    vendor: str = ""
    medium: Medium
    rate_gbps: float = Field(gt=0)
    lanes: int = Field(gt=0)
    connector: str
    # The plug at end b when it is not end a's (connectors.yaml mixed_ends): a finned OSFP end
    # for a switch and a flat-top OSFP-RHS end for a NIC. None: both ends are `connector`.
    connector_b: str | None = None
    pathway: Pathway = "plug"  # a cartridge product fits only between cartridge ports
    # Twin-port (docs/catalog.md): 2 = one cable serves both ports of a twin-port cage at each
    # end, to one far cage (rate_gbps and lanes per port); cost and power are the whole cable's.
    ports_per_end: Literal[1, 2] = 1
    # Some figure has no datasheet behind it: its source says "estimated: ..." (docs/catalog.md).
    estimated: bool = False
    gauge_awg: int | None = None
    od_mm: float = Field(gt=0, lt=50)
    min_bend_radius_mm: float = Field(gt=0, lt=1000)
    reach_m: float = Field(gt=0)
    power_w: float = Field(ge=0)
    cost: CostModel
    lengths_m: list[float] | None = None
    length_step_m: float | None = Field(default=None, gt=0)
    latency_ns_per_m: float = Field(ge=0)
    latency_fixed_ns: float = Field(default=0, ge=0)
    # Annual failure rate, % per year; none: the medium's estimate (resources/defaults.yaml
    # economics.afr_percent, see CableProduct.failure_rate).
    afr_percent: float | None = Field(default=None, ge=0, le=100)
    # A breakout (model.breakout): end a is this product's connector, rate and lanes; end b
    # splits into these legs. None: a straight cable, the same at both ends.
    legs: BreakoutLegs | None = None
    # Structured cabling (model/structured.py): a fibre patch "cord" or an MPO "trunk", chosen
    # only for links through patch panels; fiber: OM4 (multimode) or OS2 (single-mode).
    structured: Literal["cord", "trunk"] | None = None
    fiber: Literal["OM4", "OS2"] | None = None
    sources: dict[str, str]

    @property
    def connector_key(self) -> str:
        """What ports it fits, as the selection groups cables: the connector; for ends of two
        families 'OSFP ↔ OSFP-RHS' (model.connectors.mixed_key); for a breakout
        'OSFP → 2 × QSFP112' (as model.geometry.compiled codes a breakout's rows)."""
        if self.legs is not None:
            return f"{self.connector} → {self.legs.count} × {self.legs.connector}"
        if self.connector_b is not None and self.connector_b != self.connector:
            return mixed_key(self.connector, self.connector_b)
        return self.connector

    @property
    def link_rate_gbps(self) -> float:
        """Gb/s of each link it carries: rate_gbps, or a breakout's leg rate."""
        return self.rate_gbps if self.legs is None else self.legs.rate_gbps

    @property
    def lane_rate_gbps(self) -> float:
        """Gb/s per lane."""
        return self.rate_gbps / self.lanes

    @property
    def cross_section_mm2(self) -> float:
        """The area the cable takes in a tray, mm²: a circle of its outer diameter."""
        return math.pi * (self.od_mm / 2) ** 2

    @model_validator(mode="after")
    def _check(self) -> CableProduct:
        if (self.lengths_m is None) == (self.length_step_m is None):
            raise ValueError("give either lengths_m (orderable lengths) or length_step_m, not both or neither")
        if self.lengths_m is not None:
            if not self.lengths_m or sorted(self.lengths_m) != self.lengths_m or self.lengths_m[0] <= 0:
                raise ValueError("lengths_m must be positive and ascending")
        if self.medium in (Medium.DAC, Medium.AEC) and self.gauge_awg is None:
            raise ValueError("a copper product needs gauge_awg")
        if self.connector_b is not None and self.legs is not None:
            raise ValueError("a breakout names its far plug in legs.connector, not connector_b")
        if self.legs is not None:
            if self.legs.count * self.legs.rate_gbps > self.rate_gbps + 1e-9:
                raise ValueError(f"{self.legs.count} legs at {self.legs.rate_gbps:g}G exceed {self.rate_gbps:g}G")
            if self.lanes != self.legs.count * self.legs.lanes:
                raise ValueError(f"{self.lanes} lanes do not split into {self.legs.count} x {self.legs.lanes}")
        figures = ["od_mm", "min_bend_radius_mm", "reach_m", "power_w", "cost", "latency_ns_per_m"]
        figures.append("lengths_m" if self.lengths_m is not None else "length_step_m")
        if self.afr_percent is not None:
            figures.append("afr_percent")
        missing = [name for name in figures if name not in self.sources]
        if missing:
            raise ValueError(f"no source for {', '.join(missing)}")
        return self

    def failure_rate(self) -> tuple[float, str]:
        """Annual failure rate as a fraction per year (0.015 = 1.5 %/year) and its source:
        `afr_percent` when the catalog gives one, else the medium's estimate in
        resources/defaults.yaml (economics.afr_percent; no vendor publishes them)."""
        if self.afr_percent is not None:
            return self.afr_percent / 100, self.sources.get("afr_percent", "catalog")
        medium = self.medium.value
        return default("economics", "afr_percent", medium) / 100, default_source("economics", "afr_percent", medium)

    def ordered_length_m(self, length_m: float) -> float | None:
        """The shortest orderable length that covers `length_m`; None when none does."""
        if length_m > self.reach_m + 1e-9:
            return None
        if self.lengths_m is not None:
            for candidate in self.lengths_m:
                if candidate + 1e-9 >= length_m:
                    return candidate
            return None
        step = self.length_step_m or 1.0
        return round(max(step, math.ceil(length_m / step - 1e-9) * step), 6)

    def cost_usd(self, ordered_length_m: float) -> float:
        """The price in USD of one cable of this orderable length (m)."""
        return self.cost.fixed_usd + self.cost.per_m_usd * ordered_length_m

    @property
    def estimated_figures(self) -> list[str]:
        """The figures (source keys, e.g. ["reach_m", "cost"]) whose source is an estimate
        ("estimated: ..."); ["all"] for an item marked `estimated: true` whose sources name
        none. Empty: every figure has a datasheet or a stated derivation behind it."""
        return _estimated_figures(self.estimated, self.sources)


def _estimated_figures(marked: bool, sources: dict[str, str]) -> list[str]:
    """Source keys whose text starts "estimated"; ["all"] when `marked` and none does."""
    guessed = [name for name, text in sources.items() if text.lower().startswith("estimated")]
    return guessed or (["all"] if marked else [])


class PortSpec(_Strict):
    """One port of a device type: connector, rate (Gb/s) over lanes, the side of the device it
    is on, and its place there: x_mm from the left rail and y_mm up from the device's bottom,
    as seen facing that side (model.rack_face turns it into a place on the rack's face);
    `accelerator` is the index of the accelerator it serves, if any. `role` is "interface"
    (a link ends here), "front" (a panel port passing the link to `rear_port` at
    `rear_position`, 1-based) or "rear" (a panel port carrying `positions` front ports)."""

    name: str
    connector: str
    rate_gbps: float = Field(gt=0)
    lanes: int = Field(gt=0)
    face: Face
    pathway: Pathway = "plug"
    x_mm: float
    y_mm: float
    accelerator: int | None = None
    # Structured cabling (NetBox's terms): an "interface" ends a link; a panel's "front" port
    # passes it through to `rear_port` at `rear_position` (1-based); a "rear" port carries
    # `positions` front ports (12 for an MPO-12 cassette's LC fronts, 1 for an MPO pass-through).
    role: PortRole = "interface"
    rear_port: str | None = None
    rear_position: int = Field(default=1, ge=1, le=1024)
    positions: int = Field(default=1, ge=1, le=1024)
    # Cages (docs/catalog.md): the cage this port sits in; None: a cage of its own, named as the
    # port. Two ports naming one cage are a twin-port cage (a QM9700's 2 x 400G NDR in one OSFP).
    cage: str | None = None
    protocol: Protocol | None = None
    # A port whose SerDes runs faster lanes over fewer of them (a ConnectX-8: 8 x 100G or
    # 4 x 200G, never over rate_gbps): the fastest lane, Gb/s. None: rate_gbps / lanes.
    max_lane_rate_gbps: float | None = Field(default=None, gt=0)

    @property
    def lane_rate_gbps(self) -> float:
        """Gb/s per lane: rate_gbps / lanes."""
        return self.rate_gbps / self.lanes

    @property
    def link_end(self) -> tuple[str, float, int, float]:
        """The port as model.connectors.ConnectorTable.link takes it: (connector, rate_gbps,
        lanes, fastest lane in Gb/s)."""
        return self.connector, self.rate_gbps, self.lanes, self.max_lane_rate_gbps or self.lane_rate_gbps

    @property
    def cage_name(self) -> str:
        """The name of the cage the port sits in: `cage`, or the port's own name."""
        return self.cage if self.cage is not None else self.name


# NVLink and NeuronLink are a vendor's own scale-up links: they train only with their own kind.
SCALE_UP_PROTOCOLS = ("nvlink", "neuronlink")


def protocol_clash(a: PortSpec, b: PortSpec) -> str | None:
    """Why a link between ports `a` and `b` cannot train ('protocols differ: p1 infiniband, p1
    ethernet'), or None when it can: InfiniBand against Ethernet, or an NVLink / NeuronLink port
    against any port not of its own kind. A port with no protocol (a VPI NIC such as
    ConnectX-7/8, which runs InfiniBand or Ethernet as its switch does; NVIDIA ConnectX VPI
    pages) joins either InfiniBand or Ethernet."""
    if a.protocol == b.protocol:
        return None
    scale_up = [p for p in (a.protocol, b.protocol) if p in SCALE_UP_PROTOCOLS]
    if scale_up or (a.protocol is not None and b.protocol is not None):
        named = [f"{port.name} {port.protocol or 'of no protocol'}" for port in (a, b)]
        return f"protocols differ: {named[0]}, {named[1]}"
    return None


class PortGroup(_Strict):
    """A run of like ports as the catalog files write them: `count` ports named prefix+start..,
    laid out in `rows` at the given pitches (mm); expand() turns it into PortSpecs."""

    prefix: str
    count: int = Field(gt=0, le=1024)
    start: int = 1
    connector: str
    rate_gbps: float = Field(gt=0)
    lanes: int = Field(gt=0)
    face: Face
    pathway: Pathway = "plug"
    accelerator: int | None = None
    accelerator_stride: int | None = Field(default=None, gt=0)
    x_start_mm: float = 0
    x_pitch_mm: float = 0
    rows: int = Field(default=1, gt=0)
    y_start_mm: float = 0
    y_pitch_mm: float = 0
    role: PortRole = "interface"
    positions: int = Field(default=1, ge=1, le=1024)
    # Front ports: front port i passes through to rear port rear_prefix + (rear_start + i // per_rear)
    # at position i % per_rear + 1 (per_rear 1: one front per rear; 12: LC fronts on an MPO-12 rear).
    rear_prefix: str | None = None
    rear_start: int = 1
    per_rear: int = Field(default=1, ge=1, le=1024)
    # Twin-port cages: with ports_per_cage 2, ports 2k and 2k+1 of the group (0-based) share
    # cage cage_prefix + (cage_start + k), e.g. a QM9700's p1, p2 in osfp1.
    ports_per_cage: Literal[1, 2] = 1
    cage_prefix: str | None = None
    cage_start: int = 1
    protocol: Protocol | None = None
    max_lane_rate_gbps: float | None = Field(default=None, gt=0)  # as PortSpec's

    @model_validator(mode="after")
    def _check_cages(self) -> PortGroup:
        if self.ports_per_cage == 2 and (self.cage_prefix is None or self.count % 2):
            raise ValueError(f"ports {self.prefix}..: twin-port cages need a cage_prefix and an even count")
        return self

    def expand(self) -> list[PortSpec]:
        """One PortSpec per port, filled row by row (ceil(count / rows) per row); with an
        accelerator_stride, port i serves accelerator i // stride; front ports of a panel map
        onto rear ports by rear_prefix / rear_start / per_rear; with cage_prefix, port i sits in
        cage cage_prefix + (cage_start + i // ports_per_cage)."""
        per_row = math.ceil(self.count / self.rows)
        ports = []
        for i in range(self.count):
            row, column = divmod(i, per_row)
            if self.accelerator_stride is not None:
                accelerator: int | None = i // self.accelerator_stride
            else:
                accelerator = self.accelerator
            ports.append(
                PortSpec(
                    name=f"{self.prefix}{self.start + i}",
                    connector=self.connector,
                    rate_gbps=self.rate_gbps,
                    lanes=self.lanes,
                    face=self.face,
                    pathway=self.pathway,
                    x_mm=self.x_start_mm + column * self.x_pitch_mm,
                    y_mm=self.y_start_mm + row * self.y_pitch_mm,
                    accelerator=accelerator,
                    role=self.role,
                    positions=self.positions,
                    rear_port=None
                    if self.rear_prefix is None
                    else f"{self.rear_prefix}{self.rear_start + i // self.per_rear}",
                    rear_position=i % self.per_rear + 1,
                    cage=None
                    if self.cage_prefix is None
                    else f"{self.cage_prefix}{self.cage_start + i // self.ports_per_cage}",
                    protocol=self.protocol,
                    max_lane_rate_gbps=self.max_lane_rate_gbps,
                )
            )
        return ports


class NicSlots(_Strict):
    """NIC cards inside a server: their ports become the server's ports nic1.., nic2.., …"""

    type: str
    count: int = Field(gt=0, le=64)
    face: Face
    accelerator_stride: int | None = Field(default=None, gt=0)
    x_start_mm: float = 0
    x_pitch_mm: float = 0
    y_start_mm: float = 0


class PowerPortSpec(_Strict):
    """A power inlet ("inlet": a NetBox power port) or outlet ("outlet": a PDU's power outlet) of a
    device type: its name, NetBox's connector type (e.g. iec-60320-c20) and, for an inlet, the
    supply's maximum draw and the device's allocated draw through it (W; None: not given). The
    engine draws no cables for them; the device's power is `DeviceType.power_w`."""

    name: str
    connector: str
    kind: Literal["inlet", "outlet"] = "inlet"
    maximum_draw_w: float | None = Field(default=None, ge=0)
    allocated_draw_w: float | None = Field(default=None, ge=0)


class InternalLink(_Strict):
    """A link inside a device with no cable, e.g. the PCB link between a Trn2 tray's chips."""

    a_accelerator: int = Field(ge=0)
    b_accelerator: int = Field(ge=0)
    rate_gbps: float = Field(gt=0)
    medium: str = "PCB"


class DeviceType(_Strict):
    """A kind of device the designer can place, with its figures' sources in `sources`.

    u_height: rack units (0: a card, e.g. a NIC, that lives inside a server); depth_mm;
    power_w: what it draws, its NIC cards included; supply_w: what a power shelf supplies;
    power_ports: its supplies (each inlet's allocated draw, W, sums to power_w) and
    power_redundancy how many of them carry the load (`supplies_needed`).
    Validation raises ValueError (pydantic's ValidationError) for repeated port names or an
    internal link to an accelerator it does not have.
    """

    id: str
    name: str
    manufacturer: str = ""
    kind: DeviceKind
    u_height: int = Field(ge=0, le=60)
    depth_mm: float = Field(gt=0, le=1500)
    power_w: float = Field(ge=0)
    accelerators: int = Field(default=0, ge=0)
    supply_w: float = Field(default=0, ge=0)
    port_groups: list[PortGroup] = []
    ports_explicit: list[PortSpec] = Field(default=[], alias="ports")
    nics: NicSlots | None = None
    internal_links: list[InternalLink] = []
    power_ports: list[PowerPortSpec] = []  # supplies and outlets, as NetBox lists them
    # How its supplies share the load: "N+N" (half of them carry it: A and B feeds), "N+1"
    # (all but one), "N" (every one needed, or a single busbar feed); None: not given.
    power_redundancy: Literal["N", "N+1", "N+N"] | None = None
    # Some figure has no datasheet behind it: its source says "estimated: ..." (docs/catalog.md).
    estimated: bool = False
    sources: dict[str, str]
    # Filled by the catalog once NIC types are known.
    nic_ports: tuple[PortSpec, ...] = ()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @cached_property
    def ports(self) -> tuple[PortSpec, ...]:
        """Every port: the listed ones, then the port groups expanded, then the NIC cards' ports."""
        expanded: list[PortSpec] = list(self.ports_explicit)
        for group in self.port_groups:
            expanded.extend(group.expand())
        expanded.extend(self.nic_ports)
        return tuple(expanded)

    @cached_property
    def port_index(self) -> dict[str, int]:
        """Port name -> its position in `ports`."""
        return {port.name: i for i, port in enumerate(self.ports)}

    def port(self, name: str) -> PortSpec | None:
        """The port of that name, or None when the device type has none."""
        index = self.port_index.get(name)
        return None if index is None else self.ports[index]

    @model_validator(mode="after")
    def _check(self) -> DeviceType:
        names = [p.name for p in self.ports_explicit] + [
            n for g in self.port_groups for n in (p.name for p in g.expand())
        ]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"port names repeat: {', '.join(duplicates[:5])}")
        self._check_pass_through()
        self._check_cages()
        for link in self.internal_links:
            if max(link.a_accelerator, link.b_accelerator) >= self.accelerators:
                raise ValueError("an internal link names an accelerator the device does not have")
        return self

    def _check_pass_through(self) -> None:
        # A front port must name a rear port of this device with that position free; a rear
        # port of nothing is allowed (a panel's unused rear), a front port without a rear is not.
        specs = list(self.ports_explicit) + [p for g in self.port_groups for p in g.expand()]
        rears = {p.name: p for p in specs if p.role == "rear"}
        taken: set[tuple[str, int]] = set()
        for port in specs:
            if port.role != "front":
                if port.rear_port is not None:
                    raise ValueError(f"port {port.name}: only a front port passes through to a rear port")
                continue
            rear = rears.get(port.rear_port or "")
            if rear is None:
                raise ValueError(f"front port {port.name}: rear port {port.rear_port!r} is not a rear port here")
            if port.rear_position > rear.positions:
                raise ValueError(
                    f"front port {port.name}: position {port.rear_position} > {rear.positions} of rear port {rear.name}"
                )
            if (rear.name, port.rear_position) in taken:
                raise ValueError(f"front port {port.name}: position {port.rear_position} of {rear.name} is taken")
            taken.add((rear.name, port.rear_position))

    @cached_property
    def cages(self) -> tuple[Cage, ...]:
        """The faceplate's cages in port order: each with its connector, face, place (the mean
        of its ports' x and y, mm), width (mm, from resources/catalog/connectors.yaml; None
        for a blind-mate connector or panel adapter) and the names of the 1 or 2 ports in it."""
        return _cages(self.ports)

    def cage_of(self, port: str) -> Cage | None:
        """The cage holding the port of that name, or None when the device type has no such port."""
        spec = self.port(port)
        if spec is None:
            return None
        return next(c for c in self.cages if c.name == spec.cage_name and c.face == spec.face)

    def _check_cages(self) -> None:
        # Every connector is in the table; a cage holds 1 or 2 ports of one connector and face;
        # cages on one faceplate row stand at least a module's width apart (no overlap).
        specs = list(self.ports_explicit) + [p for g in self.port_groups for p in g.expand()]
        table = connector_table()
        for port in specs:
            if table.connector(port.connector) is None:
                raise ValueError(
                    f"device type {self.id}: port {port.name}: connector {port.connector!r} is not in "
                    "the connector table (resources/catalog/connectors.yaml)"
                )
        cages = _cages(tuple(specs))
        if self.kind == "patch_panel":
            return  # a panel's adapters are not transceiver cages; their pitch is the panel maker's
        rows: dict[tuple[str, float], list[Cage]] = {}
        for cage in cages:
            if cage.width_mm is not None:
                rows.setdefault((cage.face, round(cage.y_mm, 1)), []).append(cage)
        for row in rows.values():
            row.sort(key=lambda c: c.x_mm)
            for left, right in zip(row, row[1:]):
                width = max(left.width_mm or 0, right.width_mm or 0)
                if right.x_mm - left.x_mm < width - 0.01:
                    raise ValueError(
                        f"device type {self.id}: cages {left.name} and {right.name} ({left.connector}) are "
                        f"{right.x_mm - left.x_mm:g} mm apart on the {left.face} faceplate, less than the "
                        f"module's {width:g} mm width: they overlap"
                    )

    @property
    def estimated_figures(self) -> list[str]:
        """The figures (source keys) whose source is an estimate; see CableProduct.estimated_figures."""
        return _estimated_figures(self.estimated, self.sources)

    def front_ports_of(self, rear: str) -> list[PortSpec]:
        """The front ports that pass through to rear port `rear` (by name), by position."""
        fronts = [p for p in self.ports if p.role == "front" and p.rear_port == rear]
        return sorted(fronts, key=lambda p: p.rear_position)

    @property
    def supplies_needed(self) -> int:
        """How many of its power inlets must work to carry it: all for "N" (or no redundancy
        given), all but one for "N+1", half for "N+N"; 0 with no inlets."""
        inlets = sum(1 for port in self.power_ports if port.kind == "inlet")
        if self.power_redundancy == "N+N":
            return (inlets + 1) // 2
        if self.power_redundancy == "N+1":
            return max(inlets - 1, 1) if inlets else 0
        return inlets

    @property
    def rack_mountable(self) -> bool:
        """Whether it takes rack units (a NIC card does not)."""
        return self.u_height > 0


class Cage(_Strict):
    """One cage of a faceplate (docs/catalog.md): its name, connector, face, place (x_mm,
    y_mm as PortSpec), width across the faceplate (mm, None where it is no pluggable cage)
    and the ports in it (one, or two in a twin-port cage)."""

    name: str
    connector: str
    face: Face
    x_mm: float
    y_mm: float
    width_mm: float | None
    ports: tuple[str, ...]

    @property
    def twin(self) -> bool:
        """Whether two logical ports share the cage (twin-port OSFP)."""
        return len(self.ports) == 2


def _cages(ports: tuple[PortSpec, ...]) -> tuple[Cage, ...]:
    """Ports grouped into cages by (face, cage name), in port order; raises ValueError for a
    cage of more than two ports or of ports with different connectors."""
    table = connector_table()
    members: dict[tuple[str, str], list[PortSpec]] = {}
    for port in ports:
        members.setdefault((port.face, port.cage_name), []).append(port)
    cages = []
    for (face, name), inside in members.items():
        if len(inside) > 2:
            raise ValueError(f"cage {name} holds {len(inside)} ports; a cage holds one or two")
        if len({p.connector for p in inside}) > 1:
            raise ValueError(f"cage {name} holds ports of different connectors")
        known = table.connector(inside[0].connector)
        cages.append(
            Cage(
                name=name,
                connector=inside[0].connector,
                face=face,  # type: ignore[arg-type]
                x_mm=sum(p.x_mm for p in inside) / len(inside),
                y_mm=sum(p.y_mm for p in inside) / len(inside),
                width_mm=None if known is None else known.width_mm,
                ports=tuple(p.name for p in inside),
            )
        )
    return tuple(cages)


class RackType(_Strict):
    """A rack frame: height in U and footprint in mm, with its figures' sources."""

    id: str
    name: str
    height_u: int = Field(gt=0, le=60)
    width_mm: float = Field(gt=0, le=1500)
    depth_mm: float = Field(gt=0, le=2000)
    sources: dict[str, str]


class Catalog(BaseModel):
    """Every device type, rack type and cable product, by id; at least one cable product."""

    model_config = ConfigDict(extra="forbid")

    devices: dict[str, DeviceType]
    racks: dict[str, RackType]
    cables: dict[str, CableProduct]

    @field_validator("cables")
    @classmethod
    def _at_least_one(cls, value: dict[str, CableProduct]) -> dict[str, CableProduct]:
        if not value:
            raise ValueError("the cable catalog is empty")
        return value

    def device(self, type_id: str) -> DeviceType | None:
        """The device type of that id, or None when the catalog has none."""
        return self.devices.get(type_id)

    def products_for(
        self, connector: str, rate_gbps: float, lanes: int, pathway: Pathway = "plug"
    ) -> list[CableProduct]:
        """The straight cable products (no breakouts) that fit ports of this connector, rate (Gb/s), lanes and pathway."""
        return [
            p
            for p in self.cables.values()
            if p.connector_key == connector and p.rate_gbps == rate_gbps and p.lanes == lanes and p.pathway == pathway
        ]


def _format_validation(error: ValidationError, origin: str) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{origin}: {where}: {first['msg']}"


def _read(path: Path) -> dict:
    try:
        data = load_yaml(path)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except Exception as exc:  # yaml.YAMLError and friends: say where, never a traceback
        raise CatalogError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping at the top level")
    return data


def _entries(data: dict, key: str, path: Path) -> list[dict]:
    entries = data.get(key, [])
    if not isinstance(entries, list):
        raise CatalogError(f"{path}: {key}: expected a list")
    return entries


def load_catalog(devices_path: Path | None = None, cables_path: Path | None = None) -> Catalog:
    """Reads and checks a catalog: by default resources/catalog/devices.yaml and cables.yaml.

    Raises CatalogError, naming the file and the entry, when a file cannot be read, is not
    YAML, repeats an id, fails validation, or gives a server a NIC type that is not a NIC.
    """
    devices_path = devices_path or resource_path("catalog", "devices.yaml")
    cables_path = cables_path or resource_path("catalog", "cables.yaml")
    device_data, cable_data = _read(devices_path), _read(cables_path)
    devices: dict[str, DeviceType] = {}
    racks: dict[str, RackType] = {}
    cables: dict[str, CableProduct] = {}
    try:
        for i, entry in enumerate(_entries(device_data, "devices", devices_path)):
            device = DeviceType.model_validate(entry)
            if device.id in devices:
                raise CatalogError(f"{devices_path}: devices[{i}]: id {device.id!r} repeats")
            devices[device.id] = device
        for i, entry in enumerate(_entries(device_data, "racks", devices_path)):
            rack = RackType.model_validate(entry)
            if rack.id in racks:
                raise CatalogError(f"{devices_path}: racks[{i}]: id {rack.id!r} repeats")
            racks[rack.id] = rack
        for i, entry in enumerate(_entries(cable_data, "products", cables_path)):
            product = CableProduct.model_validate(entry)
            if product.id in cables:
                raise CatalogError(f"{cables_path}: products[{i}]: id {product.id!r} repeats")
            cables[product.id] = product
    except ValidationError as exc:
        origin = devices_path if exc.title in ("DeviceType", "RackType") else cables_path
        raise CatalogError(_format_validation(exc, str(origin))) from None
    devices = {key: _with_nic_ports(device, devices, devices_path) for key, device in devices.items()}
    try:
        return Catalog(devices=devices, racks=racks, cables=cables)
    except ValidationError as exc:
        raise CatalogError(_format_validation(exc, str(cables_path))) from None


def _with_nic_ports(device: DeviceType, devices: dict[str, DeviceType], path: Path) -> DeviceType:
    if device.nics is None:
        return device
    nic = devices.get(device.nics.type)
    if nic is None or nic.kind != "nic":
        raise CatalogError(f"{path}: device {device.id!r}: nics.type {device.nics.type!r} is not a NIC in the catalog")
    slots = device.nics
    ports = []
    for i in range(slots.count):
        for spec in nic.ports:
            accelerator = i // slots.accelerator_stride if slots.accelerator_stride else None
            name = f"nic{i + 1}" if len(nic.ports) == 1 else f"nic{i + 1}.{spec.name}"
            ports.append(
                spec.model_copy(
                    update={
                        "name": name,
                        "face": slots.face,
                        "x_mm": slots.x_start_mm + i * slots.x_pitch_mm + spec.x_mm,
                        "y_mm": slots.y_start_mm + spec.y_mm,
                        "accelerator": accelerator,
                    }
                )
            )
    return device.model_copy(update={"nic_ports": tuple(ports), "power_w": device.power_w + slots.count * nic.power_w})


_default_catalog: Catalog | None = None


def default_catalog() -> Catalog:
    """The catalog shipped in resources/, loaded once per process."""
    global _default_catalog
    if _default_catalog is None:
        _default_catalog = load_catalog()
    return _default_catalog


def link_products(catalog: Catalog, a: PortSpec, b: PortSpec, rate_gbps: float) -> list[CableProduct]:
    """The straight cable products that fit a link between ports `a` and `b` at `rate_gbps`:
    the products of the plug that fits both cages (model.connectors: a QSFP28 cable between a
    QSFP28 and a QSFP-DD port), or with one end of each family (a switch's OSFP to a NIC's
    OSFP-RHS), over the link's lanes, and, between two twin-port cages, the
    twin-port products (ports_per_end 2) besides. Empty when no plug fits both (no ValueError)."""
    try:
        plug, _, lanes = connector_table().link(a.link_end, b.link_end)
    except ValueError:
        return []
    twin = a.cage is not None and b.cage is not None  # a named cage: shared with a sibling port
    return [
        p
        for p in catalog.cables.values()
        if p.connector_key == plug  # 'OSFP ↔ OSFP-RHS' for a product with one end of each
        and p.legs is None  # a breakout (model.breakout) is no straight cable
        and p.rate_gbps == rate_gbps
        and p.lanes == lanes
        and p.pathway == a.pathway
        and (p.ports_per_end == 1 or twin)
    ]

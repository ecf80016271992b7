"""What an analysis tells: per-cable reports, totals, bill of materials, problems.

Per-cable figures live in numpy columns inside `AnalysisResult` (see model.analysis);
`CableReport` is the readable view of one row, built on demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely


@dataclass(frozen=True)
class Problem:
    """One violation a designer must see. `target_kind` is 'cable', 'rack', 'device', 'tray' or 'site'."""

    kind: str  # reach, bend, fill, pathway, power, no_product, pinned, overlap, dangling, breakout, name, ...
    message: str
    target_kind: str
    target_id: str
    severity: str = "error"  # or "warning"

    def as_dict(self) -> dict[str, str]:
        """The problem as the JSON report writes it: kind, severity, "kind:id" target, message."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "target": f"{self.target_kind}:{self.target_id}",
            "message": self.message,
        }


@dataclass(frozen=True)
class CableEnd:
    """Where one end of a cable plugs in, as a technician finds it: rack id, the device's
    lowest U (1-based), device id and port name."""

    rack: str
    u: int
    device: str
    port: str
    rack_name: str = ""  # the rack's name, else its id
    device_name: str = ""  # the device's name (hostname), else its id

    @property
    def text(self) -> str:
        """'GPU-A01 U5 gpu-a01-u05:p1': rack, U, device and port by the names people read."""
        return f"{self.rack_name or self.rack} U{self.u} {self.device_name or self.device}:{self.port}"


@dataclass
class CableReport:
    """One cable as the report and the cables table show it (AnalysisResult.cable builds it).

    Lengths in m, power in W (both ends together), cost in USD, latency in ns (the
    product's per-metre figure × length + its fixed part; 0 without a product or a route).
    `medium`, `product_*` and `gauge_awg` are None when no product serves the run;
    `reason` says why the product won, `problems` which rules the run breaks.
    """

    id: str
    label: str
    a: str
    b: str
    a_end: CableEnd
    b_end: CableEnd
    rate_gbps: float
    medium: str | None
    product_id: str | None
    product_name: str | None
    gauge_awg: int | None
    length_m: float | None  # None: no pathway joins the ends
    ordered_length_m: float | None
    power_w: float
    cost_usd: float
    latency_ns: float
    reason: str
    problems: list[str]
    route_mm: list[tuple[float, float, float]] = field(default_factory=list)  # x, y on the floor; z height
    cable_id: str = ""  # the id people read on its labels: the designer's label, else `id`

    @property
    def route_floor(self) -> shapely.LineString:
        """The route seen from above (floor plan), for drawing and hit-testing."""
        return shapely.LineString([(x, y) for x, y, _ in self.route_mm])

    def as_dict(self) -> dict:
        """The JSON report's cable entry: lengths rounded to the mm, power to the mW, cost to the cent.

        Leaves out the ends, the product name, the latency and the route, which the JSON report does not carry.
        """
        return {
            "id": self.id,
            "cable_id": self.cable_id or self.id,
            "label": self.label,
            "a": self.a,
            "b": self.b,
            "medium": self.medium,
            "product": self.product_id,
            "gauge_awg": self.gauge_awg,
            "rate_gbps": self.rate_gbps,
            "length_m": None if self.length_m is None else round(self.length_m, 3),
            "ordered_length_m": self.ordered_length_m,
            "power_w": round(self.power_w, 3),
            "cost_usd": round(self.cost_usd, 2),
            "reason": self.reason,
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class MediumTotals:
    """The cables of one medium (DAC, AEC, AOC, optics): how many, their power in W, their cost in USD."""

    count: int
    power_w: float
    cost_usd: float


@dataclass(frozen=True)
class RackMetrics:
    """One rack's load: device power and half the power of every cable ending in it (W), its
    power budget (W, the rack's power_budget_w), accelerators, and cables by medium (a cable
    between two ports of the rack counts once)."""

    rack_id: str
    device_power_w: float
    cable_power_w: float
    budget_w: float
    accelerators: int
    cables_by_medium: dict[str, int]

    @property
    def over_budget(self) -> bool:
        """Whether devices and cables together draw more than the budget."""
        return self.device_power_w + self.cable_power_w > self.budget_w


@dataclass(frozen=True)
class BomLine:
    """One line of the bill of materials: `quantity` cables of one product at one orderable
    length (m), each costing `unit_cost_usd` (the product's fixed cost + per-metre cost × length)."""

    product_id: str
    product_name: str
    medium: str
    ordered_length_m: float
    quantity: int
    unit_cost_usd: float
    # The product's figures whose source is an estimate (CableProduct.estimated_figures).
    estimated: tuple[str, ...] = ()
    # Links one cable carries: 2 for a twin-port product (both ports of a cage, docs/catalog.md).
    links_per_cable: int = 1

    @property
    def total_usd(self) -> float:
        """The line's cost in USD: quantity × unit cost."""
        return self.quantity * self.unit_cost_usd


def not_orderable_note(count: int) -> str:
    """What a bill of materials says of the `count` cables it leaves out because no length of
    their pinned product can be ordered (totals' 'unorderable'; model.selection.choose)."""
    cables = "cable" if count == 1 else "cables"
    return (
        f"Not listed: {count:,} pinned {cables} with no orderable length, past every allowed "
        "product's reach (see Problems); not in the cable cost either."
    )


@dataclass(frozen=True)
class TraySegmentFill:
    """One piece of a tray between two junctions or rack drops, and what lies in it."""

    id: str
    tray_id: str
    start_mm: tuple[float, float]
    end_mm: tuple[float, float]
    cable_count: int
    used_mm2: float
    usable_mm2: float

    @property
    def fill(self) -> float:
        """Used cross-section as a fraction of the tray's full cross-section's usable part."""
        return self.used_mm2 / self.usable_mm2 if self.usable_mm2 else 0.0

    @property
    def over(self) -> bool:
        """Whether the cables' cross-sections (mm²) exceed the usable part (a 1e-9 mm² tolerance for rounding)."""
        return self.used_mm2 > self.usable_mm2 + 1e-9

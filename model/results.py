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

    kind: str  # reach, bend, fill, power, no_product, pinned, overlap, dangling
    message: str
    target_kind: str
    target_id: str
    severity: str = "error"  # or "warning"

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "target": f"{self.target_kind}:{self.target_id}",
            "message": self.message,
        }


@dataclass(frozen=True)
class CableEnd:
    rack: str
    u: int
    device: str
    port: str


@dataclass
class CableReport:
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

    @property
    def route_floor(self) -> shapely.LineString:
        """The route seen from above (floor plan), for drawing and hit-testing."""
        return shapely.LineString([(x, y) for x, y, _ in self.route_mm])

    def as_dict(self) -> dict:
        return {
            "id": self.id,
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
    count: int
    power_w: float
    cost_usd: float


@dataclass(frozen=True)
class RackMetrics:
    rack_id: str
    device_power_w: float
    cable_power_w: float
    budget_w: float
    accelerators: int
    cables_by_medium: dict[str, int]

    @property
    def over_budget(self) -> bool:
        return self.device_power_w + self.cable_power_w > self.budget_w


@dataclass(frozen=True)
class BomLine:
    product_id: str
    product_name: str
    medium: str
    ordered_length_m: float
    quantity: int
    unit_cost_usd: float

    @property
    def total_usd(self) -> float:
        return self.quantity * self.unit_cost_usd


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
        return self.used_mm2 > self.usable_mm2 + 1e-9

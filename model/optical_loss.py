"""Optical insertion loss of a link through patch panels, against its transceiver's budget.

Figures are data in resources/catalog/optical.yaml, each with its source: the loss of one
mated connector pair (low-loss MPO and LC), fibre attenuation (OM4 at 850 nm, OS2 at
1310 nm) and the transceivers with their channel insertion-loss budgets (IEEE 802.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from model.resources import load_resource_model

Fiber = Literal["OM4", "OS2"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Figure(_Strict):
    """One loss figure (dB, or dB/km for fibre) with its source; `estimated` when no standard
    or datasheet gives it exactly."""

    value: float = Field(ge=0, le=100)
    source: str
    estimated: bool = False
    wavelength_nm: float | None = None


class Transceiver(_Strict):
    """A pluggable optic: the cage it fits (host connector, rate in Gb/s, electrical lanes), the
    fibre and connector it takes, its reach (m), channel insertion-loss budget (dB), power (W,
    one module) and price (USD, one module), each with its source in `sources`."""

    id: str
    name: str
    host_connector: str
    # Other cages the same optic is sold for with the same internals: its flat-top OSFP-RHS
    # version for a ConnectX NIC (NVIDIA LinkX XDR part-number list: IHS and RHS parts link).
    also_in: list[str] = []
    rate_gbps: float = Field(gt=0)
    lanes: int = Field(gt=0)
    fiber: Fiber
    optical_connector: str
    fibers: int = Field(gt=0)
    reach_m: float = Field(gt=0)
    budget_db: float = Field(gt=0, le=50)
    power_w: float = Field(ge=0)
    cost_usd: float = Field(ge=0)
    estimated: bool = False
    sources: dict[str, str]

    @property
    def estimated_figures(self) -> list[str]:
        """The figures (source keys, e.g. ["budget_db", "cost_usd"]) whose source is an estimate
        ("estimated: ..."); ["all"] when marked `estimated` and none is named, as the catalog's."""
        guessed = [name for name, text in self.sources.items() if text.lower().startswith("estimated")]
        return guessed or (["all"] if self.estimated else [])


class OpticalTable(_Strict):
    """resources/catalog/optical.yaml: connector pair losses by connector, fibre attenuation by
    fibre type, and the transceivers."""

    connector_loss_db: dict[str, Figure]
    fiber_attenuation_db_per_km: dict[str, Figure]
    transceivers: list[Transceiver]

    def for_port(self, connector: str, rate_gbps: float, lanes: int) -> list[Transceiver]:
        """The transceivers that fit a device port of this connector (host_connector or one of
        also_in), rate (Gb/s) and lanes."""
        return [
            t
            for t in self.transceivers
            if (t.rate_gbps, t.lanes) == (rate_gbps, lanes) and connector in (t.host_connector, *t.also_in)
        ]


@cache
def optical_table() -> OpticalTable:
    """The optical figures shipped in resources/catalog/optical.yaml, read once per process.
    Raises CatalogError naming the file and the field when it cannot be read or is invalid."""
    return load_resource_model(OpticalTable, "catalog", "optical.yaml")


@dataclass(frozen=True)
class LinkLoss:
    """A link's insertion loss: its mated pairs by connector, its fibre (type, m), their dB,
    the total (dB) and the transceiver's budget (dB)."""

    pairs: tuple[tuple[str, int], ...]  # (connector, mated pairs)
    pairs_db: float
    fiber: Fiber
    fiber_m: float
    fiber_db: float
    budget_db: float

    @property
    def total_db(self) -> float:
        """Connector pairs plus fibre, dB."""
        return self.pairs_db + self.fiber_db

    @property
    def over(self) -> bool:
        """Whether the loss exceeds the budget (to 0.005 dB, the precision it is shown at)."""
        return self.total_db > self.budget_db + 0.005

    def text(self) -> str:
        """E.g. 'loss 0.75 dB ≤ 1.8 dB budget (2 MPO-16 pairs 0.70 dB + 15.2 m OM4 0.05 dB)'."""
        pairs = " + ".join(f"{n} {connector} pair{'s' if n > 1 else ''}" for connector, n in self.pairs) or "no pairs"
        sign = ">" if self.over else "≤"
        return (
            f"loss {self.total_db:.2f} dB {sign} {self.budget_db:g} dB budget ({pairs} {self.pairs_db:.2f} dB + "
            f"{self.fiber_m:.1f} m {self.fiber} {self.fiber_db:.2f} dB)"
        )


def link_loss(pairs: dict[str, int], fiber: Fiber, fiber_m: float, transceiver: Transceiver) -> LinkLoss:
    """The insertion loss of a link: `pairs` mated connector pairs by connector name, `fiber_m`
    metres of `fiber`, against `transceiver`'s budget. Figures from optical.yaml (low-loss
    connector pairs, TIA-568.3-D / IEEE 802.3 attenuation). Raises KeyError for a connector or
    fibre the table has no figure for."""
    table = optical_table()
    pairs_db = sum(table.connector_loss_db[connector].value * n for connector, n in pairs.items())
    fiber_db = table.fiber_attenuation_db_per_km[fiber].value * fiber_m / 1000
    return LinkLoss(tuple(sorted(pairs.items())), pairs_db, fiber, fiber_m, fiber_db, transceiver.budget_db)

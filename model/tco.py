"""The cables' cost of ownership, year by year: purchase, energy and replacements.

For each year y = 1 .. ceil(settings.tco_years) (the last year cut at the horizon), the
cumulative cost in USD of the cables chosen by an analysis, per medium and in total:

    purchase + t × (energy per year + replacements per year),   t = min(y, tco_years)

- purchase: the chosen products' prices at their ordered lengths (the analysis's cost);
- energy per year: cable power (both ends, W) × 8,760 h × PUE × energy price ($/kWh),
  all from the layout's settings (DOMAIN.md C: $0.10/kWh, PUE 1.3, 8 years);
- replacements per year: annual failure rate × purchase price, each failed cable replaced
  by a new one (the expected cost; the report's "replacing failed optics"). The failure
  rate is the product's `afr_percent` when its catalog entry gives one, else the medium's
  estimate in resources/defaults.yaml (economics.afr_percent; no vendor publishes them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.catalog import CableProduct
from model.selection import HOURS_PER_YEAR, MEDIUM_NAMES

if TYPE_CHECKING:
    from model.metrics import AnalysisResult


def failure_rate(product: CableProduct) -> tuple[float, str]:
    """A product's annual failure rate (fraction per year) and its source; see
    CableProduct.failure_rate, which the selection's cost-of-ownership objective uses too."""
    return product.failure_rate()


@dataclass(frozen=True)
class MediumCost:
    """One medium's cost drivers: cables, purchase (USD), energy and replacements (USD per year)."""

    count: int
    purchase_usd: float
    energy_usd_per_year: float
    replacement_usd_per_year: float

    def at(self, years: float) -> float:
        """Cumulative cost (USD) after `years` years."""
        return self.purchase_usd + years * (self.energy_usd_per_year + self.replacement_usd_per_year)


@dataclass(frozen=True)
class TcoByYear:
    """Cumulative cost of ownership per year: `years` (1, 2, …), per medium with cables and in
    total (USD, one value per year), and each medium's drivers (`parts`)."""

    years: list[int]
    horizon: float
    by_medium: dict[str, list[float]]
    total: list[float]
    parts: dict[str, MediumCost]

    def as_dict(self) -> dict:
        """{"years": [1, …], "by_medium": {"AEC": [cumulative USD, …], …}, "total": [...]},
        rounded to the cent: the `tco_by_year` of `report --format json` and `compare`."""
        return {
            "years": list(self.years),
            "by_medium": {m: [round(v, 2) for v in values] for m, values in self.by_medium.items()},
            "total": [round(v, 2) for v in self.total],
        }


def tco_by_year(result: AnalysisResult) -> TcoByYear:
    """The cost of ownership of `result`'s chosen cables, year by year up to its settings'
    horizon (tco_years), using its settings' energy price and PUE and its catalog's products.
    Cables with no product cost nothing. Media with no cable are left out of `by_medium`."""
    settings = result.settings
    products = result.state.products.products
    afr = np.array([failure_rate(p)[0] for p in products]) if products else np.zeros(0)
    row = np.asarray(result.product_row)
    chosen = row >= 0
    rate = np.where(chosen, afr[np.maximum(row, 0)] if len(afr) else 0.0, 0.0)
    cost = np.asarray(result.cost_usd, dtype=float)
    energy = np.asarray(result.power_w, dtype=float) / 1000 * HOURS_PER_YEAR * settings.pue
    energy = energy * settings.energy_usd_per_kwh
    replacements = rate * cost
    horizon = float(settings.tco_years)
    years = list(range(1, math.ceil(horizon - 1e-9) + 1))
    parts: dict[str, MediumCost] = {}
    for code, name in enumerate(MEDIUM_NAMES):
        mask = np.asarray(result.medium_code) == code
        if mask.any():
            parts[name] = MediumCost(
                int(mask.sum()),
                float(cost[mask].sum()),
                float(energy[mask].sum()),
                float(replacements[mask].sum()),
            )
    by_medium = {name: [part.at(min(y, horizon)) for y in years] for name, part in parts.items()}
    total = [sum(values[i] for values in by_medium.values()) for i in range(len(years))]
    return TcoByYear(years, horizon, by_medium, total, parts)

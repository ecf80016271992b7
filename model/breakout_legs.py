"""Where a breakout's legs fan out and how thick they are (resources/catalog/breakout_legs.yaml).

A breakout cable (model.breakout) is a trunk from end a to a split point, then one leg per
port. Copper splitters fan out a short, fixed length before their far plugs, so the trunk is
the run less that length and the trays carry the trunk; a twin-port transceiver's legs are
separate fibres from end a, so the trays carry each leg. Figures per catalog product, each
with its source; a breakout the file does not name (a user's product) has whole legs as
thick as its trunk, which counts the most cross-section in the trays.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from model.catalog import CableProduct
from model.resources import load_resource_model


class LegFigures(BaseModel):
    """One breakout product's legs: `length_m` from the split to each plug (m; None: whole
    legs from end a), `od_mm` each leg's outer diameter (mm), each figure's source in `sources`."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    length_m: float | None = Field(default=None, gt=0, le=10)
    od_mm: float = Field(gt=0, lt=50)
    estimated: bool = False
    sources: dict[str, str]

    @model_validator(mode="after")
    def _sourced(self) -> LegFigures:
        figures = ["od_mm"] + (["length_m"] if self.length_m is not None else [])
        missing = [name for name in figures if name not in self.sources]
        if missing:
            raise ValueError(f"no source for {', '.join(missing)}")
        return self


class LegTable(BaseModel):
    """Every breakout product's legs, by product id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    legs: dict[str, LegFigures]


@cache
def leg_table() -> LegTable:
    """The legs shipped in resources/catalog/breakout_legs.yaml, read once per process.
    Raises CatalogError naming the file and the field when it cannot be read or is invalid."""
    return load_resource_model(LegTable, "catalog", "breakout_legs.yaml")


def leg_columns(products: list[CableProduct]) -> tuple[np.ndarray, np.ndarray]:
    """Per product of `products`: its legs' length from the split (m; NaN for whole legs and
    for a straight cable) and one leg's cross-section in a tray (mm²: a circle of the leg's
    od_mm; a straight cable's, or an unlisted breakout's, its own od_mm). Two (products,) arrays."""
    table = leg_table().legs
    length = np.full(len(products), np.nan)
    od = np.array([p.od_mm for p in products], dtype=float)
    for i, product in enumerate(products):
        figures = table.get(product.id) if product.legs is not None else None
        if figures is not None:
            length[i] = np.nan if figures.length_m is None else figures.length_m
            od[i] = figures.od_mm
    return length, np.pi * (od / 2) ** 2


def tray_area_mm2(product: CableProduct) -> float:
    """The cross-section (mm²) one cable of `product` takes in a tray over most of its run: its
    own; a breakout's trunk where its legs fan out near the far end, else (whole legs from end
    a) its legs' together (model.breakout.tray_rows lays it so)."""
    legs = product.legs
    figures = leg_table().legs.get(product.id) if legs is not None else None
    if legs is None or figures is None or figures.length_m is not None:
        return product.cross_section_mm2
    return legs.count * math.pi * (figures.od_mm / 2) ** 2

"""Connector families: cage widths and which plug fits which cage (resources/catalog/connectors.yaml).

A link between two ports needs one plug type that fits both cages: the same family always
does; a QSFP28 plug fits a QSFP-DD cage and runs at its own 100G; a QSFP plug fits an OSFP
cage only with an adapter, and an OSFP finned-top module not a flat-top (riding heat sink)
cage. Two families no plug fits both of may still be joined by cables with one end of each
(`mixed_ends`: a switch's finned OSFP to a NIC's flat-top OSFP-RHS), and then only by those.
Anything else is refused with the table's reason, so the designer reads why.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from model.errors import CatalogError
from model.resources import load_yaml, resource_path


class Connector(BaseModel):
    """One cage / plug type: its width across the faceplate (mm; None for a blind-mate
    connector or a panel adapter, which are not pluggable cages), its electrical lanes and,
    for OSFP, its top ("finned" or "flat"); each figure's source in `sources`."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: str
    width_mm: float | None = Field(gt=0, lt=100)
    lanes: int = Field(gt=0, le=64)
    top: Literal["finned", "flat"] | None = None
    sources: dict[str, str]

    @model_validator(mode="after")
    def _sourced(self) -> Connector:
        missing = [name for name in ("width_mm", "lanes") if name not in self.sources]
        if missing:
            raise ValueError(f"connector {self.id}: no source for {', '.join(missing)}")
        return self


class Fit(BaseModel):
    """How a plug of one family goes into a cage of another: "direct" (at the plug's rate),
    "adapter" (only with `adapter`, not modelled: refused) or "no" (`reason` says why)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plug: str
    cage: str
    fit: Literal["direct", "adapter", "no"]
    adapter: str | None = None
    reason: str | None = None
    source: str = Field(min_length=1)


class MixedEnds(BaseModel):
    """Two cage families no one plug fits, joined by cables with one end of each (a finned OSFP
    end for a switch, a flat-top OSFP-RHS end for a NIC): the link takes only such products."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ends: tuple[str, str]
    source: str = Field(min_length=1)


def mixed_key(a: str, b: str) -> str:
    """How the catalog and the engine name a cable with an `a` plug at one end and a `b` plug at
    the other, whichever way round: 'OSFP ↔ OSFP-RHS' (CableProduct.connector_key)."""
    first, second = sorted((a, b))
    return f"{first} ↔ {second}"


class ConnectorTable(BaseModel):
    """Every connector by id, every cross-family fit by (plug, cage) and the pairs of families
    joined by cables with one end of each (by mixed_key)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    connectors: dict[str, Connector]
    fits: dict[tuple[str, str], Fit]
    mixed: dict[str, MixedEnds] = {}

    def connector(self, name: str) -> Connector | None:
        """The connector of that id, or None when the table has none."""
        return self.connectors.get(name)

    def fit(self, plug: str, cage: str) -> Fit | None:
        """How `plug` goes into `cage`: a direct Fit for the same family, the table's entry
        for two families, None when the table says nothing of the pair."""
        if plug == cage:
            return Fit(plug=plug, cage=cage, fit="direct", source="the same connector")
        return self.fits.get((plug, cage))

    def why_not(self, plug: str, cage: str) -> str:
        """One phrase saying why `plug` does not go into `cage` (for a refusal)."""
        for name in (plug, cage):
            if name not in self.connectors:
                return f"{name} is not in the connector table"
        found = self.fits.get((plug, cage))
        if found is None:
            return f"a {plug} plug does not fit a {cage} cage (the connector table lists no such fit)"
        if found.fit == "adapter":
            return f"a {plug} plug fits a {cage} cage only with an {found.adapter}, which the catalog does not model"
        return found.reason or f"a {plug} plug does not fit a {cage} cage"

    def link_plug(self, a: str, b: str) -> str:
        """The plug type a cable between a cage of type `a` and one of type `b` has at both
        ends: `a` when a == b, else whichever of the two fits both cages directly (a QSFP28
        cable between a QSFP28 and a QSFP-DD cage), else, for two families the table joins by
        cables with one end of each, their mixed_key ('OSFP ↔ OSFP-RHS'). Raises ValueError
        with the reason when none does or a connector is unknown."""
        for name in (a, b):
            if name not in self.connectors:
                raise ValueError(f"{name} is not in the connector table")
        if a == b:
            return a
        for plug in (a, b):
            fits = [self.fit(plug, cage) for cage in (a, b)]
            if all(f is not None and f.fit == "direct" for f in fits):
                return plug
        if mixed_key(a, b) in self.mixed:
            return mixed_key(a, b)
        raise ValueError(f"no cable joins {a} and {b}: {self.why_not(a, b)}; {self.why_not(b, a)}")

    def link(self, a: tuple[str, float, int, float], b: tuple[str, float, int, float]) -> tuple[str, float, int]:
        """The plug, rate (Gb/s) and lanes of a link between two ports given as (connector,
        rate_gbps, lanes, fastest lane in Gb/s: PortSpec.link_end). Same family: the connector,
        the lower rate, end a's lanes. Two families: the plug that fits both (link_plug), or a
        cable with one end of each ('OSFP ↔ OSFP-RHS'), over the fewer lanes, each at the slower
        of the two fastest lanes, at most either port's rate: a QSFP-DD host runs a QSFP28 plug
        at 4 x 25G = 100G; a ConnectX-8 (OSFP-RHS, 8 x 100G or 4 x 200G) runs 4 x 200G into a
        Q3400's XDR port and 8 x 100G into an SN5600's 800G port. Raises ValueError as link_plug."""
        plug = self.link_plug(a[0], b[0])
        if a[0] == b[0]:
            return plug, min(a[1], b[1]), a[2]
        plugs = (a[0], b[0]) if plug in self.mixed else (plug,)
        lanes = min(a[2], b[2], *(self.connectors[name].lanes for name in plugs))
        lane_rate = min(a[3], b[3])
        return plug, min(a[1], b[1], lanes * lane_rate), lanes


def load_connectors(path: Path | None = None) -> ConnectorTable:
    """Reads resources/catalog/connectors.yaml (or `path`) into a ConnectorTable.

    Raises CatalogError naming the file and the entry when it cannot be read, repeats an id
    or a pair, names an unknown connector in a fit or a mixed_ends pair, or an entry fails validation."""
    path = path or resource_path("catalog", "connectors.yaml")
    try:
        data = load_yaml(path)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except Exception as exc:  # yaml.YAMLError: say where, never a traceback
        raise CatalogError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping at the top level")
    connectors: dict[str, Connector] = {}
    fits: dict[tuple[str, str], Fit] = {}
    mixed: dict[str, MixedEnds] = {}
    for key, kind in (("connectors", Connector), ("fits", Fit), ("mixed_ends", MixedEnds)):
        entries = data.get(key, [])
        if not isinstance(entries, list):
            raise CatalogError(f"{path}: {key}: expected a list")
        for i, entry in enumerate(entries):
            try:
                item = kind.model_validate(entry)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                raise CatalogError(f"{path}: {key}[{i}]{'.' + where if where else ''}: {first['msg']}") from None
            if isinstance(item, Connector):
                if item.id in connectors:
                    raise CatalogError(f"{path}: connectors[{i}]: id {item.id!r} repeats")
                connectors[item.id] = item
            elif isinstance(item, MixedEnds):
                unknown = [name for name in item.ends if name not in connectors]
                if unknown:
                    raise CatalogError(f"{path}: mixed_ends[{i}]: {unknown[0]} is not among the connectors")
                if item.ends[0] == item.ends[1] or mixed_key(*item.ends) in mixed:
                    raise CatalogError(f"{path}: mixed_ends[{i}]: {item.ends[0]} and {item.ends[1]} repeat")
                mixed[mixed_key(*item.ends)] = item
            else:
                assert isinstance(item, Fit)
                pair = (item.plug, item.cage)
                unknown = [name for name in pair if name not in connectors]
                if unknown:
                    raise CatalogError(f"{path}: fits[{i}]: {unknown[0]} is not among the connectors")
                if pair in fits:
                    raise CatalogError(f"{path}: fits[{i}]: {item.plug} into {item.cage} repeats")
                fits[pair] = item
    return ConnectorTable(connectors=connectors, fits=fits, mixed=mixed)


@cache
def connector_table() -> ConnectorTable:
    """The table shipped in resources/catalog/connectors.yaml, read once per process."""
    return load_connectors()

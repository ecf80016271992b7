"""Designs side by side: the base and its scenarios analysed, their figures as rows.

`compare_layout` analyses the base, the layout's scenarios and extra what-ifs (from the
command line's `--what-if` expressions, `parse_what_if`); `compare_rows` lays their figures
out as the rows both the CLI's text and the app's Compare view show; `scenario_dict` is
one scenario of `compare --format json`; `medium_changes` says which runs change medium
against the base, and why (the engine's reason for the scenario's choice).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from model.catalog import Catalog
from model.errors import LayoutError, RackDesignerError
from model.layout import ProductOverride, Scenario, Site
from model.metrics import AnalysisResult
from model.scenarios import BASE, analyse_applied, apply_scenario
from model.selection import MEDIUM_NAMES
from model.tco import TcoByYear


class WhatIfError(RackDesignerError):
    """A --what-if expression that cannot be read; the message names it."""


@dataclass(frozen=True)
class ScenarioResult:
    """One analysed design: its name, scenario (None: the base), notes, analysis and TCO."""

    name: str
    scenario: Scenario | None
    notes: list[str]
    result: AnalysisResult
    tco: TcoByYear


@dataclass(frozen=True)
class MediumChange:
    """Runs that change from one medium to another against the base ('none': no product)."""

    before: str
    after: str
    count: int
    example: str  # a cable id
    reason: str  # the engine's reason for the example's choice in the scenario


_POLICIES = {("copper", "aec"): "copper-aec", ("optical", "all"): "all-optical", ("medium", "as-chosen"): "as-chosen"}
_PRODUCT_EDIT = re.compile(r"(price|power|afr):([A-Za-z0-9_.\-]+)=(.+)")


def parse_what_if(expression: str) -> Scenario:
    """The scenario of one --what-if expression, named after it: copper=AEC, optical=all,
    lane-rate=GBPS, objective=cost|power|tco, slack=M, tray-height=MM, price:PRODUCT=USD (a
    flat price per cable), power:PRODUCT=W, afr:PRODUCT=PERCENT. Raises WhatIfError naming
    the expression and what is wrong."""
    text = expression.strip()
    try:
        edit = _PRODUCT_EDIT.fullmatch(text)
        if edit:
            kind, product, value = edit.groups()
            number = _number(value)
            fields = {"price": {"fixed_usd": number, "per_m_usd": 0.0}, "power": {"power_w": number}}
            override = ProductOverride(product=product, **fields.get(kind, {"afr_percent": number}))
            return Scenario(name=text, products=[override])
        key, sep, value = text.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or not value:
            raise ValueError("expected KEY=VALUE")
        if (key, value.lower()) in _POLICIES:
            return Scenario(name=text, medium_policy=_POLICIES[(key, value.lower())])  # type: ignore[arg-type]
        if key == "lane-rate":
            return Scenario(name=text, lane_rate_gbps=_number(value.lower().removesuffix("g")))
        if key == "objective":
            return Scenario(name=text, objective=value.lower())  # type: ignore[arg-type]
        if key == "slack":
            return Scenario(name=text, service_slack_m=_number(value))
        if key == "tray-height":
            return Scenario(name=text, tray_elevation_mm=_number(value))
        raise ValueError(
            "unknown what-if; use copper=AEC, optical=all, lane-rate=200, objective=tco, slack=M, "
            "tray-height=MM, price:PRODUCT=USD, power:PRODUCT=W or afr:PRODUCT=PERCENT"
        )
    except ValueError as exc:  # pydantic's ValidationError is one
        detail = str(exc).splitlines()
        message = next((line.strip() for line in detail if line.strip().startswith("Input should")), detail[0])
        if len(detail) > 1 and "validation error" in detail[0]:
            message = f"{detail[1].strip()}: {detail[2].strip().split(' [')[0]}" if len(detail) > 2 else message
        raise WhatIfError(f"--what-if {expression!r}: {message}") from None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


def analyse_scenario(
    site: Site, catalog: Catalog, scenario: Scenario | None, known: Mapping[str, AnalysisResult] | None = None
) -> ScenarioResult:
    """One design analysed: `scenario` laid on `site` (None: the base). `known`: analyses
    already at hand by design name ('base' or a scenario's; the app's live base and the
    scenario it shows), used as they are instead of analysing that design again. Raises
    LayoutError when a product edit names an unknown product."""
    applied = apply_scenario(site, catalog, scenario)
    result = (known or {}).get(applied.name) or analyse_applied(applied)
    return ScenarioResult(applied.name, scenario, applied.notes, result, result.tco)


def compare_layout(
    site: Site, catalog: Catalog, what_ifs: Sequence[Scenario] = (), known: Mapping[str, AnalysisResult] | None = None
) -> list[ScenarioResult]:
    """The base, then each of the site's scenarios, then each of `what_ifs`, analysed;
    `known`: designs already analysed, by name (see analyse_scenario)."""
    return [analyse_scenario(site, catalog, s, known) for s in [None, *site.scenarios, *what_ifs]]


def compare_what_applies(
    site: Site, catalog: Catalog, known: Mapping[str, AnalysisResult] | None = None
) -> tuple[list[ScenarioResult], dict[str, LayoutError]]:
    """As compare_layout (the base, then each of the site's scenarios), leaving out each
    scenario that cannot be applied (a product edit naming a product the catalog lacks).
    Returns (the designs analysed, in that order; scenario name -> its refusal, in the
    scenarios' order). Raises LayoutError only for the base: the Compare panel shows the rest
    beside the refusals, where one bad scenario emptied the whole panel."""
    items, refusals = [analyse_scenario(site, catalog, None, known)], {}
    for scenario in site.scenarios:
        try:
            items.append(analyse_scenario(site, catalog, scenario, known))
        except LayoutError as exc:
            refusals[scenario.name] = exc
    return items, refusals


def medium_changes(base: AnalysisResult, other: AnalysisResult, examples: int = 1) -> list[MediumChange]:
    """Runs whose medium differs between `base` and `other` (the same cables), grouped by
    (before, after), most first; each with an example cable and the engine's reason there."""
    if base.cable_ids != other.cable_ids:
        return []
    before, after = np.asarray(base.medium_code), np.asarray(other.medium_code)
    rows = np.nonzero(before != after)[0]
    names = [*MEDIUM_NAMES, "none"]
    pairs = Counter((names[int(before[r])], names[int(after[r])]) for r in rows.tolist())
    first: dict[tuple[str, str], int] = {}
    for r in rows.tolist():
        first.setdefault((names[int(before[r])], names[int(after[r])]), r)
    out = []
    for (b, a), count in pairs.most_common():
        row = first[(b, a)]
        out.append(MediumChange(b, a, count, other.cable_ids[row], other.cable(row).reason))
    return out


def overrides_dict(scenario: Scenario | None) -> dict:
    """What a scenario overrides, as the file writes it (its name and defaults left out)."""
    if scenario is None:
        return {}
    return scenario.model_dump(mode="json", exclude_defaults=True, exclude={"name"})


def scenario_dict(item: ScenarioResult, base: ScenarioResult | None = None) -> dict:
    """One scenario of `compare --format json`: name, overrides, totals (as `report`),
    attach_ratios, equivalent_per_accelerator, tco_by_year, problems, notes and, against
    `base`, medium_changes."""
    r = item.result
    out = {
        "name": item.name,
        "overrides": overrides_dict(item.scenario),
        "totals": r.totals,
        "attach_ratios": {k: round(v, 4) for k, v in r.attach_ratios.items()},
        "equivalent_per_accelerator": {k: round(v, 4) for k, v in r.equivalent_per_accelerator.items()},
        "tco_by_year": item.tco.as_dict(),
        "problems": [p.as_dict() for p in r.problems],
        "notes": list(item.notes),
    }
    if base is not None and item is not base:
        out["medium_changes"] = [
            {"from": c.before, "to": c.after, "count": c.count, "example": c.example, "reason": c.reason}
            for c in medium_changes(base.result, r)
        ]
    return out


@dataclass(frozen=True)
class CompareRow:
    """One row of the comparison: a label, one value per design, how to show it (a format
    spec), and whether the difference to the base is worth showing."""

    label: str
    values: list[float]
    spec: str
    delta: bool = True


def compare_rows(items: list[ScenarioResult]) -> list[CompareRow]:
    """The rows of the comparison, designs in `items`' order (the first is the base): cable
    counts, power (W) and cost (USD) by medium, attach ratios, equivalent 800G / 1.6T per
    accelerator, problems and the cost of ownership at the horizon (USD), with its parts."""

    def total(item: ScenarioResult, key: str) -> float:
        return float(item.result.totals[key])  # type: ignore[arg-type]  # totals mix ints, floats and a dict

    rows = [CompareRow("Cables", [total(i, "cables") for i in items], ",.0f")]
    for m in MEDIUM_NAMES:
        if any(i.result.by_medium[m].count for i in items):
            rows.append(CompareRow(f"{m} cables", [float(i.result.by_medium[m].count) for i in items], ",.0f"))
    rows.append(CompareRow("Unresolved", [total(i, "unresolved") for i in items], ",.0f"))
    if any(i.result.totals["unorderable"] for i in items):  # pins past every reach (model.selection)
        rows.append(CompareRow("Not orderable", [total(i, "unorderable") for i in items], ",.0f"))
    rows.append(CompareRow("Cable power (W)", [total(i, "cable_power_w") for i in items], ",.1f"))
    for m in MEDIUM_NAMES:
        if any(i.result.by_medium[m].count for i in items):
            rows.append(CompareRow(f"{m} power (W)", [i.result.by_medium[m].power_w for i in items], ",.1f"))
    rows.append(CompareRow("Cable cost ($)", [total(i, "cost_usd") for i in items], ",.0f"))
    for m in MEDIUM_NAMES:
        if any(i.result.by_medium[m].count for i in items):
            rows.append(CompareRow(f"{m} cost ($)", [i.result.by_medium[m].cost_usd for i in items], ",.0f"))
    for m in MEDIUM_NAMES:
        if any(i.result.attach_ratios[m] for i in items):
            rows.append(CompareRow(f"{m} per accelerator", [i.result.attach_ratios[m] for i in items], ".2f"))
    for rate in ("800", "1600"):
        label = "800G" if rate == "800" else "1.6T"
        values = [i.result.equivalent_per_accelerator[rate] for i in items]
        rows.append(CompareRow(f"Equivalent {label} per accelerator", values, ".2f"))
    rows.append(CompareRow("Problems", [float(len(i.result.problems)) for i in items], ",.0f"))
    years = items[0].tco.horizon if items else 0
    rows.append(CompareRow(f"Cost of ownership, {years:g} years ($)", [_tco_total(i) for i in items], ",.0f"))
    for part, label in (
        ("purchase_usd", "purchase"),
        ("energy_usd_per_year", "energy"),
        ("replacement_usd_per_year", "replacements"),
    ):
        values = [_tco_part(i, part) for i in items]
        rows.append(CompareRow(f"  of which {label} ($)", values, ",.0f"))
    return rows


def _tco_total(item: ScenarioResult) -> float:
    return item.tco.total[-1] if item.tco.total else 0.0


def _tco_part(item: ScenarioResult, part: str) -> float:
    scale = 1.0 if part == "purchase_usd" else item.tco.horizon
    return sum(getattr(p, part) for p in item.tco.parts.values()) * scale


def format_value(value: float, spec: str) -> str:
    """`value` as the comparison shows it (`spec`: a format spec such as ',.0f')."""
    return format(value, spec)


def format_delta(value: float, base: float, spec: str) -> str:
    """The difference of `value` to `base`, signed ('' when equal), as the comparison shows it."""
    difference = value - base
    if abs(difference) < 1e-9 or format(abs(difference), spec) == format(0.0, spec):
        return ""
    return ("+" if difference > 0 else "−") + format(abs(difference), spec)


def text_comparison(items: list[ScenarioResult]) -> list[str]:
    """The comparison as text lines: one block per design (figures, then the difference to the
    base in brackets), its notes and, for scenarios, which runs change medium and why."""
    lines: list[str] = []
    rows = compare_rows(items)
    base = items[0]
    for index, item in enumerate(items):
        title = BASE if item.scenario is None else item.name
        lines.append(f"== {title}" + (f"  ({_overrides_text(item.scenario)})" if item.scenario else ""))
        for row in rows:
            value = row.values[index]
            delta = format_delta(value, row.values[0], row.spec) if index else ""
            lines.append(f"  {row.label:<36} {format_value(value, row.spec):>14}" + (f"  ({delta})" if delta else ""))
        for note in item.notes:
            lines.append(f"  note: {note}")
        if index:
            for change in medium_changes(base.result, item.result):
                lines.append(
                    f"  {change.count} run(s) {change.before} -> {change.after}, e.g. {change.example}: {change.reason}"
                )
        lines.append("")
    return lines


def _overrides_text(scenario: Scenario | None) -> str:
    """What `scenario` overrides, as a person reads it: 'copper=AEC', and a product's figures
    as 'aec-800g-osfp-32awg-5m: fixed_usd=500, per_m_usd=0' (the list of them read as Python's
    "[{'product': …}]", a fresh user's find). Raises nothing."""
    parts = []
    for key, value in overrides_dict(scenario).items():
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            parts += [_product_text(item) for item in value]
        else:
            parts.append(f"{key}={_figure(value)}")
    return ", ".join(parts)


def _product_text(figures: dict) -> str:
    """One product override: 'its-id: name=value, …'."""
    rest = ", ".join(f"{k}={_figure(v)}" for k, v in figures.items() if k != "product")
    return f"{figures.get('product', '?')}: {rest}" if rest else str(figures.get("product", "?"))


def _figure(value: object) -> str:
    """A figure as written by hand: 500 for 500.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)

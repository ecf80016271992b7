"""Scenarios: named what-ifs on the same racks and cables, analysed by the same engine.

A scenario (model.layout.Scenario) is a set of overrides, never a copy of the layout:
`apply_scenario` lays them on a shallow copy of the site and of the catalog, and
`analyse_scenario` runs the ordinary analysis on the result. Every override and its
honest limits:

- lane rate: every port moves to `lane_rate_gbps` per lane (rate = lanes × that) where the
  catalog, after the medium policy, has products of that rate for the port's connector,
  lanes and pathway; other ports keep their rate and a note says which and why.
- medium policy "copper-aec": DAC products leave the catalog, so every run the engine would
  cable with passive copper is cabled with AEC where an AEC reaches and bends (and with optics
  where none does, which the result shows). "all-optical": DAC and AEC both leave. Pins to a
  removed medium move to AEC (copper-aec) or to automatic; pins to a removed product go.
- blind-mate cartridges: a cartridge (the NVL72 NVLink spine) holds factory-formed passive
  copper and there is no AEC or optical cartridge. A policy that leaves a cartridge port no
  cartridge product therefore rewires it: the port is cabled as a plug port, through the rear
  door clearance and side managers, with the catalog's plugged products of its connector
  (for NVLink, the hypothetical NVLink AEC of the report's "NVL72 rewired with AEC"). Reach,
  bends and fill of those plugged runs are the engine's ordinary checks; a note says so.
- objective and service slack: the site settings; tray height: every tray's elevation.
- product edits: price, power and annual failure rate of one catalog product.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.catalog import CableProduct, Catalog, CostModel, DeviceType, Medium, PortGroup, PortSpec
from model.document import Document
from model.errors import LayoutError
from model.layout import Scenario, Site
from model.metrics import AnalysisResult

BASE = "base"
POLICY_REMOVES = {
    "as-chosen": frozenset[Medium](),
    "copper-aec": frozenset({Medium.DAC}),
    "all-optical": frozenset({Medium.DAC, Medium.AEC}),
}


@dataclass(frozen=True)
class AppliedScenario:
    """A scenario laid on a layout: the site and catalog to analyse, and notes (plain
    sentences) on what the overrides could not do or did beyond the obvious."""

    name: str
    scenario: Scenario | None
    site: Site
    catalog: Catalog
    notes: list[str] = field(default_factory=list)


def apply_scenario(site: Site, catalog: Catalog, scenario: Scenario | None) -> AppliedScenario:
    """`site` and `catalog` with `scenario`'s overrides (None: the base, unchanged).

    Neither argument is changed: the copies share every untouched rack, device, tray and
    cable. Raises LayoutError naming the scenario when a product edit names a product the
    catalog does not have."""
    if scenario is None:
        return AppliedScenario(BASE, None, site, catalog)
    notes: list[str] = []
    cables = _edited_products(catalog, scenario)
    removed = POLICY_REMOVES[scenario.medium_policy]
    if removed:
        kept = {pid: p for pid, p in cables.items() if p.medium not in removed}
        if not kept:
            raise LayoutError(f"scenario {scenario.name!r}: the catalog has no product of another medium", "scenarios")
        cables = kept
    used = {device.type for rack in site.racks for device in rack.devices}
    devices, port_notes = _devices_with_ports(catalog, cables, scenario, bool(removed), used)
    notes.extend(port_notes)
    new_catalog = catalog.model_copy(update={"devices": devices, "cables": cables})
    settings = site.settings
    updates = {k: v for k, v in (("objective", scenario.objective), ("service_slack_m", scenario.service_slack_m))}
    updates = {k: v for k, v in updates.items() if v is not None}
    if updates:
        settings = settings.model_copy(update=updates)
    trays = list(site.trays)
    if scenario.tray_elevation_mm is not None:
        trays = [t.model_copy(update={"elevation_mm": scenario.tray_elevation_mm}) for t in trays]
    new_cables, pin_notes = _cables_under_policy(site, removed, cables, scenario)
    notes.extend(pin_notes)
    new_site = site.model_copy(
        update={"settings": settings, "trays": trays, "cables": new_cables, "racks": list(site.racks)}
    )
    return AppliedScenario(scenario.name, scenario, new_site, new_catalog, notes)


def analyse_applied(applied: AppliedScenario, base: Document | None = None) -> AnalysisResult:
    """The ordinary analysis (model.analysis) of an applied scenario's site and catalog.
    `base`: the document the scenario was laid on, whose cable lookups are copied rather than
    built again (Document.take_cable_lookups: ~0.7 s of a ~2 s scenario at 300,000 cables);
    only while nothing edits it. Raises what the analysis raises."""
    from model.analysis import analyse

    document = Document(applied.site, applied.catalog, check=False, index_cables=base is None)
    if base is not None:
        document.take_cable_lookups(base)
    return analyse(document)


def scenario_named(site: Site, name: str) -> Scenario | None:
    """The site's scenario called `name`; None for 'base'. Raises LayoutError when there is none."""
    if name == BASE:
        return None
    for scenario in site.scenarios:
        if scenario.name == name:
            return scenario
    raise LayoutError(f"no scenario named {name!r}", "scenarios")


def _edited_products(catalog: Catalog, scenario: Scenario) -> dict[str, CableProduct]:
    cables = dict(catalog.cables)
    for edit in scenario.products:
        product = cables.get(edit.product)
        if product is None:
            raise LayoutError(
                f"scenario {scenario.name!r}: no cable product {edit.product!r} in the catalog", "scenarios"
            )
        where = f"scenario {scenario.name!r}"
        update: dict = {"sources": dict(product.sources)}
        if edit.fixed_usd is not None or edit.per_m_usd is not None:
            update["cost"] = CostModel(
                fixed_usd=product.cost.fixed_usd if edit.fixed_usd is None else edit.fixed_usd,
                per_m_usd=product.cost.per_m_usd if edit.per_m_usd is None else edit.per_m_usd,
            )
            update["sources"]["cost"] = where
        if edit.power_w is not None:
            update["power_w"] = edit.power_w
            update["sources"]["power_w"] = where
        if edit.afr_percent is not None:
            update["afr_percent"] = edit.afr_percent
            update["sources"]["afr_percent"] = where
        cables[edit.product] = product.model_copy(update=update)
    return cables


def _has_products(cables: dict[str, CableProduct], connector: str, rate: float, lanes: int, pathway: str) -> bool:
    return any(
        p.connector == connector and p.rate_gbps == rate and p.lanes == lanes and p.pathway == pathway
        for p in cables.values()
    )


def _port_change(
    port: PortSpec | PortGroup, cables: dict[str, CableProduct], scenario: Scenario, policy: bool, notes: dict
) -> dict:
    """The fields of one port (or group of like ports) the scenario changes; records why not in `notes`."""
    update: dict = {}
    pathway, rate = port.pathway, port.rate_gbps
    if policy and pathway == "cartridge" and not _has_products(cables, port.connector, rate, port.lanes, pathway):
        if _has_products(cables, port.connector, rate, port.lanes, "plug"):
            update["pathway"] = pathway = "plug"
            notes.setdefault(("rewired", port.connector), None)
    target = scenario.lane_rate_gbps
    if target is not None and abs(rate / port.lanes - target) > 1e-9:
        new_rate = port.lanes * target
        if _has_products(cables, port.connector, new_rate, port.lanes, pathway):
            update["rate_gbps"] = new_rate
        else:
            notes.setdefault(("kept", port.connector, rate, port.lanes, new_rate), None)
    return update


def _devices_with_ports(
    catalog: Catalog, cables: dict[str, CableProduct], scenario: Scenario, policy: bool, used: set[str]
) -> tuple[dict[str, DeviceType], list[str]]:
    """The catalog's device types with the ports of those in `used` (and the NIC types inside
    them) changed by the scenario, and notes on what could not change."""
    if scenario.lane_rate_gbps is None and not policy:
        return catalog.devices, []
    notes: dict = {}
    devices = dict(catalog.devices)
    for type_id, device in catalog.devices.items():
        if type_id not in used:
            continue
        groups = [g.model_copy(update=_port_change(g, cables, scenario, policy, notes)) for g in device.port_groups]
        explicit = [
            p.model_copy(update=_port_change(p, cables, scenario, policy, notes)) for p in device.ports_explicit
        ]
        nic = tuple(p.model_copy(update=_port_change(p, cables, scenario, policy, notes)) for p in device.nic_ports)
        copy = device.model_copy(update={"port_groups": groups, "ports_explicit": explicit, "nic_ports": nic})
        # model_copy copies the instance dict, cached properties with it: the ports are new.
        copy.__dict__.pop("ports", None)
        copy.__dict__.pop("port_index", None)
        devices[type_id] = copy
    return devices, [_note_text(key) for key in notes]


def _note_text(key: tuple) -> str:
    if key[0] == "rewired":
        return (
            f"{key[1]} cartridge ports: no cartridge product of an allowed medium exists (a blind-mate "
            f"cartridge holds passive copper), so these runs are rewired as plugged cables through the "
            f"rear door clearance and managers"
        )
    _, connector, rate, lanes, new_rate = key
    return (
        f"{connector} ports at {rate:g}G over {lanes} lanes kept their rate: "
        f"the catalog has no {connector} product of {new_rate:g}G over {lanes} lanes"
    )


def _cables_under_policy(
    site: Site, removed: frozenset[Medium], cables: dict[str, CableProduct], scenario: Scenario
) -> tuple[list, list[str]]:
    if not removed:
        return list(site.cables), []
    moved = dropped = 0
    out = []
    for cable in site.cables:
        update: dict = {}
        if cable.pinned_product is not None and cable.pinned_product not in cables:
            update["pinned_product"] = None
            dropped += 1
        if cable.pinned_medium is not None and cable.pinned_medium in removed:
            update["pinned_medium"] = Medium.AEC if scenario.medium_policy == "copper-aec" else None
            moved += 1
        out.append(cable.model_copy(update=update) if update else cable)
    notes = []
    if moved:
        again = "pinned to AEC" if scenario.medium_policy == "copper-aec" else "automatic"
        notes.append(f"{moved} cable(s) pinned to a medium the policy removes are {again}")
    if dropped:
        notes.append(f"{dropped} cable(s) pinned to a product the policy removes are automatic")
    return out, notes

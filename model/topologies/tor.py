"""A top-of-rack pod: each rack's servers cabled to the switch at the top of their own rack.

The seed report's "AEC at the ToR, 1 per accelerator" (DOMAIN.md A3): a NIC to its ToR
switch is under 10 m, where copper still reaches, and at 800G a DAC reaches 2 m at most
(26 AWG), so the active copper cable takes it. Here each 48U rack holds two power
shelves, four 8-GPU servers (8 x 800G ConnectX-8 at the rear, HGX B300 class) and a
Spectrum-4 SN5600 (64 x 800G) at the top, its lower 32 ports down to the 32 NICs. A NIC
leaves the rear, climbs the side manager and crosses to the switch's front ports: about
2.3-3.7 m of route plus 0.3 m of slack per end, past any DAC and well inside an 800G AEC, so the
engine picks AEC for every one by length. Nothing is pinned.

The ToRs' upper 32 ports (their uplinks) are left free: the spine layer they go to sits
elsewhere in the hall, over optics (scaleout-pod shows such a fabric).
"""

from __future__ import annotations

from model.catalog import default_catalog
from model.document import Document
from model.layout import Device, Site
from model.topologies.autowire import top_of_rack
from model.topologies.floorplan import RackSpec, build_floor, rack_id

SERVER = "server-8gpu-800g"
TOR = "switch-51t2-64x800g"
POWER_SHELF = "power-shelf-33kw"
POWER_SHELF_UNITS = (1, 2)
SERVER_UNITS = (3, 11, 19, 27)
TOR_UNIT = 47  # the top two units of a 48U rack
RACK_TYPE = "rack-48u-600x1200"
RACK_POWER_BUDGET_W = 60_000  # 4 servers of ~14 kW and a 2.4 kW switch, with their AEC ends
RACKS_PER_ROW = 8
MAX_ACCELERATORS = 32 * 1000


def build_tor_pod(accelerators: int = 256) -> Site:
    """Racks of four 8-GPU servers and a top-of-rack switch each, every NIC cabled to its
    own rack's switch; rows of up to RACKS_PER_ROW racks facing across cold aisles.

    Device figures are the default catalog's (resources/catalog, with sources). Raises
    ValueError unless `accelerators` is a positive multiple of 32 (a rack) up to
    MAX_ACCELERATORS.
    """
    per_rack = len(SERVER_UNITS) * default_catalog().devices[SERVER].accelerators
    if (
        isinstance(accelerators, bool)
        or not isinstance(accelerators, int)
        or accelerators <= 0
        or accelerators % per_rack
        or accelerators > MAX_ACCELERATORS
    ):
        raise ValueError(
            f"accelerators must be a positive multiple of {per_rack} up to {MAX_ACCELERATORS:,}, not {accelerators!r}"
        )
    catalog = default_catalog()
    racks = accelerators // per_rack
    rows: list[list[RackSpec]] = []
    wiring: list[tuple[list[str], str]] = []
    for k in range(racks):
        row, slot = divmod(k, RACKS_PER_ROW)
        if slot == 0:
            rows.append([])
        rack = rack_id(row, slot)
        devices = [
            Device(id=f"{rack}-PS{i + 1}", type=POWER_SHELF, u_position=u) for i, u in enumerate(POWER_SHELF_UNITS)
        ]
        servers = [f"{rack}-srv{i + 1}" for i in range(len(SERVER_UNITS))]
        devices += [Device(id=s, type=SERVER, u_position=u) for s, u in zip(servers, SERVER_UNITS)]
        devices.append(Device(id=f"{rack}-tor", name=f"ToR {rack}", type=TOR, u_position=TOR_UNIT))
        rows[-1].append(RackSpec(devices, f"ToR rack {k + 1}", RACK_TYPE, RACK_POWER_BUDGET_W))
        wiring.append((servers, f"{rack}-tor"))
    built, trays = build_floor(rows, catalog)
    name = f"ToR pod ({accelerators} accelerators, {racks} racks)"
    doc = Document(Site(name=name, racks=built, trays=trays), catalog)
    for servers, tor in wiring:
        doc.connect_many(top_of_rack(doc, servers, tor))
    return doc.site

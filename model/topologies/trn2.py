"""AWS Trn2-Ultra64: four Trn2 servers (16 Trainium2 each) in two racks, a 4x4x4 torus.

Each server is a head node and 8 compute trays of 2 chips; inside a server the chips form
a 4x4 torus (PCB link inside a tray, cables between trays), and the same chip of the four
servers forms a ring. Rack A holds servers 0 and 2, rack B servers 1 and 3, so every ring
link crosses between the racks (as AWS stacks them 2 x 2), through the side openings of
the two touching racks (1.2-1.9 m), never up to the overhead tray.

The ring links are built as AEC, as AWS builds them (seed report: each chip has an AEC
to the same chip of the two neighbouring servers, AEC : chip = 1 : 1): they are pinned
to AEC, and each one's reason says which product the engine would pick unpinned (a DAC
reaches at these lengths). The in-server links are chosen by the engine (DAC by length).
"""

from __future__ import annotations

from model.catalog import Medium, default_catalog
from model.document import Document
from model.layout import Device, Site
from model.topologies.autowire import RING_SERVERS, TRAYS_PER_SERVER, trn2_torus
from model.topologies.floorplan import RackSpec, build_floor, rack_id

NAME = "Trn2-Ultra64"
HEAD = "trn2-server-head"
TRAY = "trn2-compute-tray"
POWER_SHELF = "power-shelf-33kw"
POWER_SHELF_UNITS = (1, 2)
FIRST_SERVER_U = 3
# Servers by rack: ring neighbours (s, s + 1) never share a rack.
RACK_SERVERS = ((0, 2), (1, 3))
# The medium AWS builds the inter-server NeuronLink ring with (seed report, DOMAIN.md A3).
# A medium pin, not a product one, so that a what-if at another lane rate keeps it; the AEC
# medium also holds the 3-5 m linear active copper, which the cost objective then buys.
RING_MEDIUM = Medium.AEC


def server_device_ids(server: int) -> tuple[str, list[str]]:
    """Head node id and tray ids (in tray order) of server 0..3."""
    return f"S{server + 1}-head", [f"S{server + 1}-T{t + 1}" for t in range(TRAYS_PER_SERVER)]


def build_trn2_ultra64() -> Site:
    """The Trn2-Ultra64 sample: two racks, each with two power shelves and two servers (a head
    node and 8 compute trays), on their floor with its trays, cabled as the 4x4x4 torus.

    Device figures are the default catalog's (resources/catalog, each with its source).
    """
    catalog = default_catalog()
    head_u = catalog.devices[HEAD].u_height
    tray_u = catalog.devices[TRAY].u_height
    server_u = head_u + TRAYS_PER_SERVER * tray_u
    specs = []
    for slot, servers in enumerate(RACK_SERVERS):
        rack = rack_id(0, slot)
        devices = [
            Device(id=f"{rack}-PS{i + 1}", type=POWER_SHELF, u_position=u) for i, u in enumerate(POWER_SHELF_UNITS)
        ]
        for k, server in enumerate(servers):
            head, server_trays = server_device_ids(server)
            base = FIRST_SERVER_U + k * server_u
            devices.append(Device(id=head, name=f"Server {server + 1} head", type=HEAD, u_position=base))
            for t, tray in enumerate(server_trays):
                u = base + head_u + t * tray_u
                devices.append(Device(id=tray, name=f"Server {server + 1} tray {t + 1}", type=TRAY, u_position=u))
        specs.append(RackSpec(devices=devices, name=f"Ultra64 rack {'AB'[slot]}"))
    racks, trays = build_floor([specs], catalog)
    doc = Document(Site(name=NAME, racks=racks, trays=trays), catalog)
    tray_ids = [tray for server in range(RING_SERVERS) for tray in server_device_ids(server)[1]]
    cables = trn2_torus(doc, tray_ids)
    rack_of = {d.id: rack.id for rack in doc.site.racks for d in rack.devices}
    as_built = [
        c.model_copy(update={"pinned_medium": RING_MEDIUM})
        if rack_of[c.a.partition(":")[0]] != rack_of[c.legs[0].partition(":")[0]]
        else c
        for c in cables
    ]
    doc.connect_many(as_built)
    return doc.site

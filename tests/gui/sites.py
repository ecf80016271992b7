"""Small layouts the GUI tests share, built in code so each test reads what it works on."""

from __future__ import annotations

from model.layout import Cable, Device, Rack, Site, Tray

TRAY = "trn2-compute-tray"


def small_site() -> Site:
    """Two racks in a row facing south under one tray, their side panels on (so C2 runs in
    the tray rather than through side openings); three compute trays, two cables."""
    racks = [
        Rack(id="R1", row="A", x_mm=900, y_mm=1800, side_openings=False, devices=[
            Device(id="T1", type=TRAY, u_position=5),
            Device(id="T2", type=TRAY, u_position=9),
        ]),
        Rack(id="R2", row="A", x_mm=1500, y_mm=1800, side_openings=False, devices=[
            Device(id="T3", type=TRAY, u_position=5),
        ]),
    ]  # fmt: skip
    tray = Tray(id="TR1", points=[(0, 1800), (2400, 1800)], elevation_mm=2500)
    cables = [Cable(id="C1", a="T1:c0.n1", b="T2:c0.n1"), Cable(id="C2", a="T1:c0.n2", b="T3:c0.n1")]
    return Site(name="Small", racks=racks, trays=[tray], cables=cables)


def server_and_leaves_site() -> Site:
    """Two racks apart (no side openings between them): a server and a leaf in R1, a leaf in R2
    over its 1 kW budget; x1 has no tray to run in."""
    racks = [
        Rack(
            id="R1",
            name="Rack one",
            row="A",
            x_mm=300,
            y_mm=600,
            devices=[
                Device(id="SW1", name="Leaf one", type="switch-51t2-64x800g", u_position=30),
                Device(id="SV1", type="server-8gpu-800g", u_position=2),
            ],
        ),
        Rack(
            id="R2",
            row="A",
            x_mm=1600,
            y_mm=600,
            power_budget_w=1000,
            devices=[Device(id="SW2", type="switch-51t2-64x800g", u_position=30)],
        ),
    ]
    cables = [
        Cable(id="c1", a="SV1:nic1", b="SW1:p1"),
        Cable(id="c2", a="SV1:nic2", b="SW1:p2"),
        Cable(id="c10", a="SV1:nic3", b="SW1:p3", pinned_medium="OPTICS"),
        Cable(id="x1", a="SW1:p64", b="SW2:p64"),
    ]
    return Site(name="Small", racks=racks, cables=cables)

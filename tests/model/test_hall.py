"""Halls: rows that face across cold and hot aisles, trays over and across them, and trays
sized so that no generated floor has a tray piece over its fill, up to 100,000 accelerators."""

import math

import numpy as np
import pytest

from model.analysis import analyse
from model.catalog import default_catalog
from model.document import Document
from model.errors import LayoutError
from model.geometry.trays import TrayNetwork
from model.layout import Cable, Device, Site
from model.topologies import hall as hall_module
from model.topologies.floorplan import RackSpec
from model.topologies.hall import TRAY_SIZES, Placed, TrayOverflowError, build_hall, hall_figures, size_trays
from model.topologies.scaleout import build_scaleout_pod

SPINE = "spine-q3400-144x800g"


def _hall(rows=4, racks=6, columns=(1800.0,)):
    specs = [
        [Placed(600.0 * k, RackSpec([], f"r{r}-{k}", "rack-48u-600x1200")) for k in range(racks)] for r in range(rows)
    ]
    return build_hall(specs, columns, default_catalog())


def test_rows_alternate_so_fronts_face_across_cold_aisles_and_rears_across_hot_ones():
    hall = _hall()
    rows: dict[str, list] = {}
    for rack in hall.racks:
        rows.setdefault(rack.row, []).append(rack)
    first = [racks[0] for racks in rows.values()]
    assert [r.facing for r in first] == ["south", "north", "south", "north"]
    for r, (a, b) in enumerate(zip(first, first[1:])):
        aisle = (b.y_mm - b.depth_mm / 2) - (a.y_mm + a.depth_mm / 2)
        assert aisle == pytest.approx(1200.0)
        # Row r faces south (y grows south): an even row's front and the next row's front meet.
        facing_each_other = a.facing == "south" and b.facing == "north"
        assert facing_each_other == (r % 2 == 0)
    assert [r.id for r in rows["R01"]] == [f"R01-{k + 1:02d}" for k in range(6)]


def test_trays_run_over_every_row_and_across_all_rows_at_the_columns_and_ends():
    hall = _hall()
    xs = sorted({t.points[0][0] for t in hall.trays if t.id.startswith("T-X")})
    assert xs == pytest.approx([0.0, 600.0 + 1800.0, hall.width_mm])
    assert sum(t.id.startswith("T-R01-") for t in hall.trays) == 2  # cut at the one column
    network = TrayNetwork(hall.trays)
    assert np.isfinite(network.dist).all()  # one connected network
    assert all(t.width_mm == 600 and t.depth_mm == 150 for t in hall.trays)


def _bundle_site(catalog):
    # Five racks of ten 144-port switches cabled port for port to five racks 18 m away:
    # 7,200 fibres of 7.07 mm² (50,900 mm²) along the row, more than one 600 mm tray holds.
    def switches(name, x):
        devices = [Device(id=f"{name}{k}", type=SPINE, u_position=1 + 4 * k) for k in range(10)]
        return Placed(x, RackSpec(devices, name, "rack-48u-800x1200"))

    row = [switches(f"a{k}-", 800.0 * k) for k in range(5)] + [switches(f"b{k}-", 22000 + 800.0 * k) for k in range(5)]
    empty = [Placed(800.0 * k, RackSpec([], f"e{k}", "rack-48u-800x1200")) for k in range(5)]
    hall = build_hall([row, empty], [11000.0], catalog)
    site = Site(racks=hall.racks, trays=hall.trays)
    site.cables.extend(
        Cable(id=f"c{r}-{k}-{p}", a=f"a{r}-{k}:p{p}", b=f"b{r}-{k}:p{p}")
        for r in range(5)
        for k in range(10)
        for p in range(1, 145)
    )
    return site


def test_a_bundle_over_the_largest_tray_is_refused_naming_the_tray(monkeypatch):
    # The scale-out sample catches this refusal and builds in one more plane (test_topologies).
    catalog = default_catalog()
    site = _bundle_site(catalog)
    monkeypatch.setattr(hall_module, "TRAY_SIZES", TRAY_SIZES[:1])  # one 600 mm tray at most
    with pytest.raises(TrayOverflowError, match=r"tray T-R01-\d\d would carry 50,894 mm² of cable, more than 600 mm"):
        size_trays(site, catalog)
    assert issubclass(TrayOverflowError, LayoutError)


def test_size_trays_widens_what_a_bundle_needs_and_nothing_else():
    catalog = default_catalog()
    site = _bundle_site(catalog)
    before = analyse(Document(site, catalog))
    assert [f for f in before.tray_fill if f.over]
    sized = size_trays(site, catalog)
    assert max(sized.values()) == pytest.approx(7200 * math.pi * 1.5**2)
    widths = {t.id: t.width_mm for t in site.trays}
    assert {widths[t.id] for t in site.trays if t.id.startswith("T-R01")} == {900.0}  # the row the bundle runs
    assert "900 mm ladder tray" in next(t.name for t in site.trays if t.id == "T-R01-02")
    others = [t for t in site.trays if not t.id.startswith("T-R01")]
    assert others and {widths[t.id] for t in others} == {600.0}  # the other row, the cross trays
    result = analyse(Document(site, catalog))
    assert not [f for f in result.tray_fill if f.over]


def test_sizes_go_up_in_width_then_in_levels():
    capacity = [width * 150 * levels * 0.5 for width, levels, _ in TRAY_SIZES]
    assert capacity == sorted(capacity) and TRAY_SIZES[0][:2] == (600.0, 1)
    assert max(width for width, _, _ in TRAY_SIZES) <= 1200  # two 600 mm trays side by side


# ---- the generated floors -------------------------------------------------------------
def _over_fill(site):
    result = analyse(Document(site, check=False))
    fills = result.tray_fill
    return [f for f in fills if f.over], max(f.fill for f in fills), result


@pytest.mark.parametrize(
    ("accelerators", "fabric", "server"),
    [
        (8, "infiniband", "b300"),
        (10368, "infiniband", "b300"),  # the largest two-tier Q3400 fabric
        (11000, "infiniband", "b300"),  # three tiers, partial last SU and group
        (20000, "infiniband", "b200"),
        (20000, "ethernet", "b300"),
        (30000, "ethernet", "b200"),
    ],
)
def test_no_generated_floor_has_a_tray_piece_over_fill(accelerators, fabric, server):
    over, worst, _ = _over_fill(build_scaleout_pod(accelerators, fabric, server))
    assert over == [] and worst <= 1.0


@pytest.fixture(scope="module")
def pod_100k():
    return build_scaleout_pod(100_000)


def test_100k_accelerators_on_a_roughly_square_floor_with_no_tray_over_fill(pod_100k):
    site = pod_100k
    over, worst, result = _over_fill(site)
    assert over == [] and worst <= 1.0
    assert result.problems == []
    figures = hall_figures(site, default_catalog(), result)
    assert 1 / 2 <= figures.width_m / figures.depth_m <= 2  # roughly square, not a 480 m strip
    assert figures.longest_run_m < 100  # leaf to spine across a pod at most
    # Two halls of pods either side of the core rows; every row faces its neighbour.
    rows = sorted({r.row for r in site.racks})
    facing = {r.row: r.facing for r in site.racks}
    assert [facing[row] for row in rows] == ["south", "north"] * (len(rows) // 2)
    cores = sorted({r.row for r in site.racks if r.name.startswith("Cores")})
    assert rows.index(cores[0]) > len(rows) / 3 and rows.index(cores[-1]) < 2 * len(rows) / 3


def test_trays_are_sized_for_the_products_both_ends_take():
    # A breakout's flow is sized for the breakout products of its split, a straight cable's
    # for the plug that fits both cages (model.connectors), not for end a's cage alone.
    from model.breakout import breakout_products
    from model.topologies.hall import _flows

    catalog = default_catalog()
    near = RackSpec(
        [
            Device(id="leaf", type="switch-51t2-64x800g", u_position=40),
            Device(id="tor", type="switch-25t6-64x400g-qsfpdd", u_position=30),
        ],
        "near",
        "rack-48u-800x1200",
    )
    far = RackSpec([Device(id="srv", type="server-8gpu-400g", u_position=10)], "far", "rack-48u-600x1200")
    hall = build_hall([[Placed(0.0, near), Placed(1800.0, far)]], [1000.0], catalog)
    site = Site(racks=hall.racks, trays=hall.trays)
    site.cables.extend(
        [
            Cable(id="bo", a="leaf:p1", b=["srv:nic1", "srv:nic2"]),
            Cable(id="odd", a="tor:p1", b="srv:nic3"),  # QSFP-DD into OSFP: no plug fits both
        ]
    )
    kinds = {kind for _, _, kind in _flows(site, catalog)}
    leaf, srv = catalog.devices["switch-51t2-64x800g"], catalog.devices["server-8gpu-400g"]
    split = tuple(p.id for p in breakout_products(catalog, leaf.port("p1"), srv.port("nic1"), 2))
    assert split and all(catalog.cables[p].legs.count == 2 for p in split)
    assert kinds == {split, ()}
    sized = size_trays(site, catalog)
    thickest = max(catalog.cables[p].cross_section_mm2 for p in split)
    assert max(sized.values()) == pytest.approx(thickest)


def test_a_tray_is_sized_for_an_optical_breakouts_legs_together():
    # 6 m apart: past copper's reach, so twin-port optics, whose two legs are whole fibres.
    catalog = default_catalog()
    near = RackSpec([Device(id="leaf", type="switch-51t2-64x800g", u_position=40)], "near", "rack-48u-800x1200")
    far = RackSpec([Device(id="srv", type="server-8gpu-400g", u_position=10)], "far", "rack-48u-600x1200")
    hall = build_hall([[Placed(0.0, near), Placed(6000.0, far)]], [3000.0], catalog)
    site = Site(racks=hall.racks, trays=hall.trays)
    site.cables.append(Cable(id="bo", a="leaf:p1", b=["srv:nic1", "srv:nic2"]))
    sized = size_trays(site, catalog)
    assert max(sized.values()) == pytest.approx(2 * math.pi * 1.5**2)
    result = analyse(Document(site, catalog))
    assert result.cable(0).product_id == "optics-800g-2x400g-dr4"
    assert max(piece.used_mm2 for piece in result.tray_fill) == pytest.approx(max(sized.values()))

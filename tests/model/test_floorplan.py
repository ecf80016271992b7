import re

import pytest
import shapely

from model.defaults import default
from model.errors import LayoutError
from model.layout import FACING_VECTORS, Device, SiteSettings
from model.rules import overlapping_racks
from model.topologies import floorplan
from model.topologies.floorplan import TRAY_OVERHANG_MM, RackSpec, build_floor, rack_id


def _rows(lengths, rack_type=None):
    rows = []
    for r, length in enumerate(lengths):
        rows.append([RackSpec(name=f"rack {r}.{s}", rack_type=rack_type) for s in range(length)])
    return rows


def _connected(trays) -> bool:
    union = shapely.union_all([shapely.LineString(t.points).buffer(1.0) for t in trays])
    return union.geom_type == "Polygon"


def test_racks_in_a_row_touch_and_rows_alternate_facing():
    racks, _ = build_floor(_rows([3, 3, 3]))
    width, depth = default("rack", "width_mm"), default("rack", "depth_mm")
    assert [r.id for r in racks[:4]] == ["R01-01", "R01-02", "R01-03", "R02-01"]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", r.id) for r in racks)
    row0 = [r for r in racks if r.row == "R01"]
    assert [b.x_mm - a.x_mm for a, b in zip(row0, row0[1:])] == [width, width]
    assert [r.facing for r in racks[::3]] == ["south", "north", "south"]
    assert overlapping_racks(racks) == []
    pitch = depth + default("room", "cold_aisle_mm")
    assert racks[3].y_mm - racks[0].y_mm == pytest.approx(pitch)


def test_fronts_of_rows_0_and_1_share_the_cold_aisle_and_rears_of_1_and_2_the_hot_one(monkeypatch):
    figures = {("room", "cold_aisle_mm"): 1500.0, ("room", "hot_aisle_mm"): 900.0}
    monkeypatch.setattr(floorplan, "default", lambda *keys: figures.get(keys) or default(*keys))
    racks, _ = build_floor(_rows([1, 1, 1]))
    depth = default("rack", "depth_mm")

    def face_y(rack, side):  # y of the rack's front (side=+1) or rear (side=-1)
        return rack.y_mm + side * FACING_VECTORS[rack.facing][1] * depth / 2

    assert abs(face_y(racks[1], 1) - face_y(racks[0], 1)) == pytest.approx(1500.0)
    assert abs(face_y(racks[2], -1) - face_y(racks[1], -1)) == pytest.approx(900.0)
    assert racks[0].y_mm - depth / 2 == pytest.approx(900.0)  # hot aisle behind row 0


def test_trays_run_over_rows_and_cross_trays_join_their_ends():
    racks, trays = build_floor(_rows([4, 2, 3]))
    settings = SiteSettings()
    row_trays = [t for t in trays if t.id.startswith("T-R")]
    cross = [t for t in trays if t.id in ("T-west", "T-east")]
    assert len(row_trays) == 3 and len(cross) == 2
    rows_y = sorted({r.y_mm for r in racks})
    assert [t.points[0][1] for t in row_trays] == rows_y
    width = default("rack", "width_mm")
    assert row_trays[0].points == [(0.0, rows_y[0]), (4 * width + 2 * TRAY_OVERHANG_MM, rows_y[0])]
    ends = {p for t in row_trays for p in t.points}
    assert {p for t in cross for p in t.points} == ends
    # Trays hang above the frame (U space plus the frame allowance), not above the U space.
    frame = default("rack", "height_u") * settings.rack_unit_mm + default("rack", "frame_allowance_mm")
    expected = frame + settings.tray_clearance_above_rack_mm
    assert all(t.elevation_mm == pytest.approx(expected) and t.kind == "overhead" for t in trays)
    assert _connected(trays)
    # A shorter row is centred on the longest, and its tray still reaches both cross trays.
    row1 = [r for r in racks if r.row == "R02"]
    assert (row1[0].x_mm + row1[1].x_mm) / 2 == pytest.approx((racks[0].x_mm + racks[3].x_mm) / 2)


def test_without_cross_trays_the_rows_would_not_connect():
    _, trays = build_floor(_rows([2, 2]))
    assert _connected(trays)
    assert not _connected([t for t in trays if t.id.startswith("T-R")])


def test_one_row_has_one_tray_and_no_cross_trays():
    racks, trays = build_floor(_rows([2]))
    assert [t.id for t in trays] == ["T-R01"]
    assert trays[0].points[0][0] < racks[0].x_mm - racks[0].width_mm / 2
    assert trays[0].points[-1][0] > racks[-1].x_mm + racks[-1].width_mm / 2


def test_catalog_rack_type_sets_size_and_managers(catalog):
    wide = catalog.racks["rack-48u-800x1200"]
    spec = RackSpec(devices=[Device(id="ps", type="power-shelf-33kw", u_position=1)], rack_type=wide.id)
    spec.power_budget_w = 60000
    racks, _ = build_floor([[RackSpec(), spec, RackSpec()]])
    assert racks[1].width_mm == wide.width_mm
    assert racks[1].manager_width_mm == pytest.approx((wide.width_mm - SiteSettings().rail_width_mm) / 2)
    assert racks[1].power_budget_w == 60000 and racks[0].power_budget_w == default("rack", "power_budget_w")
    assert racks[1].devices[0].id == "ps"
    assert racks[2].x_mm - racks[1].x_mm == pytest.approx(wide.width_mm / 2 + default("rack", "width_mm") / 2)
    assert overlapping_racks(racks) == []


def test_bad_floors_say_why():
    with pytest.raises(LayoutError, match="unknown rack type 'nope'") as info:
        build_floor([[RackSpec(rack_type="nope")]])
    assert info.value.where == "rows[0][0]"
    with pytest.raises(LayoutError, match="at least one rack"):
        build_floor([[], []])


def test_rack_id_names_row_and_slot():
    assert rack_id(0, 2) == "R01-03"
    assert rack_id(11, 0) == "R12-01"

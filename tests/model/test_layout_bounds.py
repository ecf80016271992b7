"""Every field of a layout is bounded: finite numbers in range, limited counts, clean text.

Each refusal names the field's path; what the model holds always saves and loads back.
"""

from __future__ import annotations

import json

import pytest

from model.errors import LayoutError
from model.io.files import dumps_layout, loads_layout
from model.io.schema import layout_json_schema
from model.layout import (
    MAX_CABLES,
    MAX_DEVICES_PER_RACK,
    MAX_RACKS,
    MAX_TRAY_POINTS,
    MAX_TRAYS,
    SITE_EXTENT_MM,
    Site,
)
from model.rules import MAX_TOTAL_TRAY_POINTS, MAX_TRAY_CROSSINGS
from tests.model.test_io_files import small_site

INF = float("inf")


def data() -> dict:
    return json.loads(dumps_layout(small_site()))


def refused(mutate) -> LayoutError:
    site = data()
    mutate(site)
    text = json.dumps(site, allow_nan=True).replace("Infinity", "1e400").replace("NaN", "1e400")
    with pytest.raises(LayoutError) as info:
        loads_layout(text, "lay.json")
    assert info.value.where and str(info.value).startswith("lay.json: ")
    return info.value


def put_at(site: dict, where: str, value) -> None:
    """Sets the field at the path `where` ('racks[0].x_mm') of the layout dict `site` to `value`."""
    node, key = site, None
    for part in where.replace("]", "").replace("[", ".").split("."):
        if key is not None:
            node = node[key]
        key = int(part) if part.isdigit() else part
    node[key] = value


@pytest.mark.parametrize(
    "where, value",
    [
        ("racks[0].x_mm", SITE_EXTENT_MM * 1.01),
        ("racks[0].y_mm", INF),
        ("racks[0].power_budget_w", 1e300),
        ("racks[0].width_mm", -INF),
        ("trays[0].points[0][0]", INF),
        ("trays[0].points[1][1]", -SITE_EXTENT_MM * 2),
        ("trays[0].elevation_mm", 1e12),
        ("trays[0].width_mm", 1e-300),
        ("trays[0].fill_ratio", 0.0),
        ("cables[0].rate_gbps", 1e9),
        ("settings.bend_multiplier_static", INF),
        ("settings.bend_multiplier_flexed", 1e300),
        ("settings.straight_behind_plug_od", 1e300),
        ("settings.rack_unit_mm", 1e-300),
        ("settings.rail_width_mm", 0.001),
        ("settings.tco_years", 1e-300),
        ("settings.pue", 10**300),
        ("racks[0].devices[0].u_position", 10**30),
    ],
)
def test_numbers_out_of_range_are_refused_by_path(where, value):
    assert refused(lambda site: put_at(site, where, value)).where == where


@pytest.mark.parametrize(
    "where, value, said",
    [
        ("cables[0].rate_gbps", "800", "a number, not text"),
        ("racks[0].x_mm", "5", "a number, not text"),
        ("racks[0].devices[0].u_position", "12", "a number, not text"),
        ("cables[0].flexed", 1, "valid boolean"),
        ("cables[0].flexed", "yes", "valid boolean"),
        ("racks[0].side_openings", 0, "valid boolean"),
        ("settings.auto_row_tray", "false", "valid boolean"),
    ],
)
def test_text_where_a_number_goes_and_numbers_or_text_where_yes_or_no_goes_are_refused(where, value, said):
    """pydantic parsed "800" as 800 and read 1 or "yes" as true ("flexed": "yes" made a cable
    flexed, a fresh user's find): a layout's numbers are JSON numbers, its yes/no true or false."""
    error = refused(lambda site: put_at(site, where, value))
    assert error.where == where and said in error.message


def test_a_whole_number_written_with_a_point_still_reads():
    """Other tools write 48.0 for 48: that stays a whole number."""
    site = data()
    put_at(site, "racks[0].height_u", 42.0)
    assert loads_layout(json.dumps(site), "lay.json").racks[0].height_u == 42


def test_a_whole_number_far_too_large_is_worded_as_a_number():
    """height_u 1e308 read 'Unable to parse input string as an integer' (it is no string)."""
    error = refused(lambda site: put_at(site, "racks[0].height_u", 1e308))
    assert error.message == "far too large for a whole number (got 1e+308)"


@pytest.mark.parametrize(
    "where",
    [
        "racks[0].height_u",
        "racks[0].x_mm",
        "racks[0].devices[0].u_position",
        "trays[0].points[0][0]",
        "trays[0].elevation_mm",
        "cables[0].rate_gbps",
        "settings.service_slack_m",
    ],
)
@pytest.mark.parametrize("value", [True, False])
def test_true_or_false_where_a_number_goes_is_refused_by_path(where, value):
    """pydantic reads true and false as 1 and 0: a rack of height_u true opened as a 1U rack."""

    error = refused(lambda site: put_at(site, where, value))
    assert error.where == where and "a number, not true or false" in error.message


@pytest.mark.parametrize(
    "field, limit, make",
    [
        ("racks[0].devices", MAX_DEVICES_PER_RACK, lambda i: {"id": f"d{i}", "type": "x", "u_position": 1}),
        ("trays[0].points", MAX_TRAY_POINTS, lambda i: [float(i), 0.0]),
    ],
)
def test_counts_are_limited(field, limit, make):
    def mutate(site):
        node = site["racks"][0] if field.startswith("racks") else site["trays"][0]
        node[field.rsplit(".", 1)[1]] = [make(i) for i in range(limit + 1)]

    error = refused(mutate)
    assert error.where == field and f"at most {limit}" in error.message


def test_site_wide_counts_are_in_the_schema():
    properties = layout_json_schema()["properties"]
    assert properties["racks"]["maxItems"] == MAX_RACKS
    assert properties["trays"]["maxItems"] == MAX_TRAYS
    assert properties["cables"]["maxItems"] == MAX_CABLES


def test_too_many_tray_points_in_all_are_refused():
    def mutate(site):
        tray = site["trays"][0]
        site["trays"] = [
            {**tray, "id": f"T{k}", "points": [[float(i), 100.0 * k] for i in range(MAX_TRAY_POINTS)]}
            for k in range(MAX_TOTAL_TRAY_POINTS // MAX_TRAY_POINTS + 1)
        ]

    error = refused(mutate)
    assert error.where.startswith("trays[") and "points" in error.message


def test_trays_crossing_too_often_are_refused():
    side = int(MAX_TRAY_CROSSINGS**0.5) + 2  # a grid of side x side crossings

    def mutate(site):
        tray = site["trays"][0]
        rows = [{**tray, "id": f"H{k}", "points": [[-1.0, 10.0 * k], [10.0 * side, 10.0 * k]]} for k in range(side)]
        cols = [{**tray, "id": f"V{k}", "points": [[10.0 * k, -1.0], [10.0 * k, 10.0 * side]]} for k in range(side)]
        site["trays"] = rows + cols

    error = refused(mutate)
    assert "cross each other" in error.message and error.where.endswith(".points")


@pytest.mark.parametrize(
    "where", ["racks[0].id", "cables[0].a", "racks[0].devices[0].type", "cables[0].pinned_product"]
)
def test_ids_and_references_with_controls_are_refused(where):
    def mutate(site):
        if where.startswith("racks[0].devices"):
            site["racks"][0]["devices"][0]["type"] = "server\x1b"
        elif where == "racks[0].id":
            site["racks"][0]["id"] = "A1\n"
        else:
            site["cables"][0][where.split(".")[1]] = "srv1:nic1\x00"

    assert refused(mutate).where == where


def test_free_text_is_cleaned_and_round_trips():
    site = data()
    site["name"] = "Hall \ud800 1\x1b[31m"
    site["racks"][0]["row"] = "=row\x00"
    site["cables"][0]["label"] = "two\r\nlines"
    site["racks"][0]["name"] = "R\u202e10-A"  # shown as 'RA-01' where it is read
    loaded = loads_layout(json.dumps(site), "lay.json")
    assert (loaded.name, loaded.racks[0].row, loaded.cables[0].label) == ("Hall \ufffd 1[31m", "=row", "two\r\nlines")
    assert loaded.racks[0].name == "R10-A"
    assert loads_layout(dumps_layout(loaded), "again.json") == loaded


def test_names_longer_than_the_limit_are_refused():
    assert refused(lambda site: site.update(name="x" * 201)).where == "name"


def test_assignment_is_checked_too():
    site = Site()
    with pytest.raises(ValueError):
        site.settings.pue = INF
    site.name = "a\x07b"
    assert site.name == "ab"


def test_a_tray_segment_shorter_than_a_millimetre_is_refused():
    # A subnormal-length segment (2e-323 mm) once reached GEOS and raised there.
    error = refused(lambda site: site["trays"][0].update(points=[[0.0, 0.0], [2e-323, 0.0]]))
    assert error.where == "trays[0]" and "closer than 1 mm" in error.message


def test_a_tray_crossing_itself_counts_its_crossings_too():
    # Strokes back and forth between two walls, each crossing nearly every other: ~n²/2 crossings.
    n = 40

    def mutate(site):
        points = [[0.0 if i % 2 == 0 else 1000.0, 10.0 * i if i % 2 == 0 else 8000.0 - 10.0 * i] for i in range(n)]
        site["trays"][0]["points"] = points

    error = refused(mutate)
    assert "crosses itself" in error.message and error.where == "trays[0].points"


def test_two_trays_meeting_too_often_are_refused_by_name():
    def mutate(site):
        tray = site["trays"][0]
        zigzag = [[10.0 * i, 0.0 if i % 2 == 0 else 100.0] for i in range(60)]
        site["trays"] = [
            {**tray, "id": "Z1", "points": zigzag},
            {**tray, "id": "S1", "points": [[-5.0, 50.0], [700.0, 50.0]]},
        ]

    error = refused(mutate)
    assert error.message.startswith("tray 'Z1' crosses tray 'S1' 59 times") and error.where == "trays[0].points"

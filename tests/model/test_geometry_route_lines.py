"""Route corners of many cables in one array (what the floor plan draws) equal the corners
route_points builds cable by cable: every pathway (trays, one rack, side openings, the
rear cartridge, no tray in reach) and any order of rows."""

import numpy as np
import pytest

from model.analysis import Analysis
from model.document import Document
from model.geometry.route_lines import route_polylines
from model.geometry.route_points import route_points
from model.topologies import build_sample
from tests.model.builders import cable, place, two_rows

SWITCH = "switch-51t2-64x800g"


def assert_same_corners(routes, rows) -> None:
    points, starts = route_polylines(routes, rows)
    assert len(starts) == len(rows) + 1 and starts[-1] == len(points)
    one_by_one = route_points(routes, np.asarray(rows))
    for i, expected in enumerate(one_by_one):
        got = points[starts[i] : starts[i + 1]]
        assert got.shape == (len(expected), 3)
        np.testing.assert_allclose(got, np.asarray(expected).reshape(-1, 3), atol=1e-9)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("trn2-ultra64", {}),  # side openings between touching racks, DAC inside the servers
        ("gb200-nvl72", {}),  # the rear cartridge
        ("gb200-nvl36x2", {}),
        ("scaleout-pod", {"accelerators": 256}),  # tray runs across the hall
    ],
)
def test_every_route_of_a_sample_equals_route_points(name, options):
    routes = Analysis(Document(build_sample(name, **options))).routes
    rows = np.arange(len(routes.length_mm))
    assert_same_corners(routes, rows)
    assert_same_corners(routes, rows[::-3])  # any order, any subset


def test_one_rack_trays_and_no_tray_in_reach_in_one_batch():
    doc = two_rows(racks_per_row=12)
    place(doc, "R1-1", "s1", SWITCH, 10)
    place(doc, "R1-1", "s2", SWITCH, 20, face="rear")
    place(doc, "R2-4", "s3", SWITCH, 10)
    cable(doc, "inside", "s1:p1", "s2:p1")  # one rack, front to rear
    cable(doc, "across", "s1:p2", "s3:p1")  # up to the tray, along two trays, down
    cable(doc, "along", "s1:p3", "s2:p3")
    routes = Analysis(doc).routes
    assert_same_corners(routes, [2, 0, 1, 1])


def test_a_layout_without_trays_has_corners_as_route_points_gives_them():
    # Two racks apart and no tray at all: the cable between them has no pathway, and the tray
    # network not a single edge to look up (an IndexError before).
    from tests.gui.sites import server_and_leaves_site

    doc = Document(server_and_leaves_site())
    routes = Analysis(doc).routes
    assert len(routes.network.edge_start) == 0 and not routes.routable.all()
    assert_same_corners(routes, np.arange(len(doc.site.cables)))


def test_no_cables_no_corners():
    routes = Analysis(two_rows()).routes
    points, starts = route_polylines(routes, [])
    assert points.shape == (0, 3) and starts.tolist() == [0]

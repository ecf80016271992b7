"""Drawn routes: the corner points agree with the measured length, one cable or many at once.

The floor is tests/model/builders.py's: rack R1-1 at (0, 0) facing south, 600 × 1200 mm,
100 mm door clearance, 58.7 mm side managers; port p1 of a switch at U10 sits 422.05 mm up.
"""

import numpy as np
import pytest

from model.analysis import Analysis
from model.document import Document
from model.geometry.route_points import route_points
from model.topologies import build_sample
from tests.model.builders import cable, place, two_rows

SWITCH = "switch-51t2-64x800g"


def polyline_mm(points) -> float:
    return float(np.linalg.norm(np.diff(np.asarray(points), axis=0), axis=1).sum())


def test_same_rack_route_leaves_the_port_runs_the_lane_and_comes_back_in():
    doc = two_rows()
    place(doc, "R1-1", "s1", SWITCH, 10)
    place(doc, "R1-1", "s2", SWITCH, 20)
    cable(doc, "c1", "s1:p1", "s2:p1")
    routes = Analysis(doc).routes
    points = routes.points(0)
    assert len(points) == 6  # port, lane, manager, manager at the other height, lane, port
    assert points[0][2] == pytest.approx(422.05) and points[-1][2] == pytest.approx(422.05 + 10 * 44.45)
    assert points[0][:2] == pytest.approx(points[-1][:2])  # the same port column on the faceplate
    assert polyline_mm(points) == pytest.approx(routes.length_mm[0])


def test_between_racks_route_rises_to_the_tray_and_measures_what_the_engine_measured():
    doc = two_rows()
    place(doc, "R1-1", "s1", SWITCH, 10)
    place(doc, "R2-4", "s2", SWITCH, 10)
    cable(doc, "c1", "s1:p1", "s2:p1")
    routes = Analysis(doc).routes
    points = routes.points(0)
    assert max(p[2] for p in points) == pytest.approx(48 * 44.45 + 300)  # up in the tray
    assert points[0][2] == points[-1][2] == pytest.approx(422.05)
    assert polyline_mm(points) == pytest.approx(routes.length_mm[0])


def test_many_at_once_equal_one_at_a_time_on_the_trn2_sample():
    analysis = Analysis(Document(build_sample("trn2-ultra64"), check=False))
    routes = analysis.routes
    cables = np.arange(len(analysis.compiled.cable_ids))
    together = routes.points_of(cables[::-1])[::-1]
    assert routes.same_rack.any() and not routes.same_rack.all()  # both kinds of route are covered
    for row in cables:
        assert together[row] == routes.points(int(row))
        assert polyline_mm(together[row]) == pytest.approx(routes.length_mm[row])
    assert route_points(routes, np.array([], dtype=np.int64)) == []


def test_cartridge_routes_in_a_batch_with_tray_routes_equal_one_at_a_time():
    from model.geometry.pathways import CARTRIDGE

    analysis = Analysis(Document(build_sample("gb200-superpod-su"), check=False))
    routes = analysis.routes
    inside = np.flatnonzero(routes.pathway == CARTRIDGE)
    outside = np.flatnonzero(routes.pathway != CARTRIDGE)
    assert len(inside) and len(outside)  # the NVL72 racks' cartridges and the NIC-to-leaf trays
    rows = np.concatenate([inside[:50], outside[:50]])[::-1]
    together = routes.points_of(rows)
    for row, points in zip(rows.tolist(), together):
        assert points == routes.points(row) and len(points) >= 2
        assert polyline_mm(points) == pytest.approx(routes.length_mm[row])

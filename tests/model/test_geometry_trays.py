"""The tray network: trays cut at their junctions, shortest paths and turns between them."""

import numpy as np
import pytest

from model.geometry import trays as trays_module
from model.geometry.trays import TrayNetwork
from model.layout import Tray


def _ladder(elevation=2400.0, kind="overhead"):
    """Two 10 m rows 3 m apart joined by cross trays at both ends: a rectangle."""
    return [
        Tray(id="row1", points=[(0, 0), (10000, 0)], elevation_mm=elevation, kind=kind),
        Tray(id="row2", points=[(0, 3000), (10000, 3000)], elevation_mm=elevation, kind=kind),
        Tray(id="west", points=[(0, 0), (0, 3000)], elevation_mm=elevation, kind=kind),
        Tray(id="east", points=[(10000, 0), (10000, 3000)], elevation_mm=elevation, kind=kind),
    ]


def test_trays_meeting_at_their_ends_form_a_ring():
    net = TrayNetwork(_ladder())
    assert net.node_count == 4 and len(net.edge_length) == 4
    assert sorted(net.edge_length) == [3000, 3000, 10000, 10000]


def test_a_tray_crossing_another_mid_way_cuts_both():
    trays = [*_ladder(), Tray(id="mid", points=[(5000, -1000), (5000, 4000)], elevation_mm=2400)]
    net = TrayNetwork(trays)
    # row1 and row2 are cut at x = 5 m; "mid" is cut at both rows: 4 + 2 new nodes, 9 edges.
    assert net.node_count == 8
    assert len(net.edge_length) == 9
    a = int(np.argmin(np.hypot(*(net.node_xy - [5000, 0]).T)))
    b = int(np.argmin(np.hypot(*(net.node_xy - [5000, 3000]).T)))
    assert net.distance(np.array([a]), np.array([b]))[0] == pytest.approx(3000)


def test_overhead_and_underfloor_trays_do_not_join_where_they_cross():
    trays = [*_ladder(), Tray(id="under", kind="underfloor", points=[(5000, -1000), (5000, 4000)], elevation_mm=-300)]
    net = TrayNetwork(trays)
    assert net.node_count == 6  # the ring's 4 corners and the underfloor tray's 2 ends


def test_path_turns_count_every_change_of_direction():
    net = TrayNetwork(_ladder())
    corner = {tuple(map(round, xy)): i for i, xy in enumerate(net.node_xy)}
    path = net.path(corner[(0, 0)], corner[(10000, 3000)])
    assert len(path.edges) == 2 and path.turns == 1


def test_walk_gives_the_junctions_of_the_path_at_their_edges_heights_once():
    trays = _ladder()
    trays[1] = Tray(id="row2", points=[(0, 3000), (10000, 3000)], elevation_mm=2700)
    net = TrayNetwork(trays)
    corner = {tuple(map(round, xy)): i for i, xy in enumerate(net.node_xy)}
    start, goal = corner[(10000, 0)], corner[(0, 3000)]
    xy, z = net.walk(start, goal)
    assert len(net.path(start, goal).edges) == 2 and len(xy) == len(z) == 3
    assert xy[0].tolist() == [10000, 0] and xy[-1].tolist() == [0, 3000]
    # The middle junction is reached along one of the two ways round; each height is its edge's.
    assert np.isnan(z[0]) and sorted(z[1:].tolist()) == ([2400.0, 2400.0] if xy[1][1] == 0 else [2400.0, 2700.0])
    assert net.walk(start, goal)[0] is xy  # cached: a dragged rack walks the same paths each step
    alone_xy, alone_z = net.walk(start, start)
    assert alone_xy.tolist() == [[10000, 0]] and np.isnan(alone_z).all()


def test_locate_finds_the_nearest_tray_and_the_offset_along_it():
    net = TrayNetwork(_ladder())
    edge, offset, reach = net.locate(np.array([2500.0]), np.array([400.0]))
    assert net.trays[int(net.edge_tray[edge[0]])].id == "row1"
    assert offset[0] == pytest.approx(2500) and reach[0] == pytest.approx(400)


def test_large_networks_use_dijkstra_with_the_same_answers(monkeypatch):
    trays = [Tray(id=f"r{i}", points=[(0, i * 3000.0), (20000, i * 3000.0)], elevation_mm=2400) for i in range(6)]
    trays += [Tray(id=s, points=[(x, 0), (x, 15000)], elevation_mm=2400) for s, x in (("w", 0.0), ("e", 20000.0))]
    dense = TrayNetwork(trays)
    monkeypatch.setattr(trays_module, "DENSE_NODE_LIMIT", 0)
    sparse = TrayNetwork(trays)
    assert dense._dense and not sparse._dense
    u = np.repeat(np.arange(dense.node_count), dense.node_count)
    v = np.tile(np.arange(dense.node_count), dense.node_count)
    assert np.allclose(dense.distance(u, v), sparse.distance(u, v))
    # Pairs in any order: the sparse network groups them by source and puts each answer back.
    shuffled = np.random.default_rng(7).permutation(len(u))
    assert np.array_equal(sparse.distance(u[shuffled], v[shuffled]), sparse.distance(u, v)[shuffled])
    for a, b in [(0, 5), (3, 9), (2, 11)]:
        assert sum(dense.edge_length[dense.path(a, b).edges]) == pytest.approx(
            sum(sparse.edge_length[sparse.path(a, b).edges])
        )


@pytest.mark.parametrize("limit", [1500, 0])
def test_two_trays_along_the_same_line_are_one_way_not_their_sum(monkeypatch, limit):
    # A sparse matrix adds up entries given twice: the graph keeps each pair's shortest edge.
    monkeypatch.setattr(trays_module, "DENSE_NODE_LIMIT", limit)
    trays = [
        Tray(id="upper", points=[(0, 0), (10000, 0)], elevation_mm=2800),
        Tray(id="lower", points=[(0, 0), (10000, 0)], elevation_mm=2400),
        Tray(id="spur", points=[(10000, 0), (10000, 3000)], elevation_mm=2400),
    ]
    net = TrayNetwork(trays)
    corner = {tuple(map(round, xy)): i for i, xy in enumerate(net.node_xy)}
    start, end = corner[(0, 0)], corner[(10000, 3000)]
    assert net.distance(np.array([start]), np.array([end]))[0] == pytest.approx(13000)
    path = net.path(start, end)
    assert len(path.edges) == 2 and path.turns == 1
    assert net.trays[int(net.edge_tray[path.edges[0]])].id == "upper"  # of equal ways, the first tray's


def test_junctions_no_tray_joins_are_infinitely_far(monkeypatch):
    monkeypatch.setattr(trays_module, "DENSE_NODE_LIMIT", 0)
    net = TrayNetwork(
        [
            Tray(id="a", points=[(0, 0), (1000, 0)], elevation_mm=2400),
            Tray(id="b", points=[(0, 5000), (1000, 5000)], elevation_mm=2400),
        ]
    )
    assert np.isinf(net.distance(np.array([0]), np.array([3]))[0])
    assert net.path(0, 3).edges == []

"""Merging route pieces: overlapping collinear pieces become one, nothing drawn is lost."""

import numpy as np

from gui.scene.segments import merged_segments, route_segments


def rows(array) -> set[tuple[float, ...]]:
    return {tuple(float(v) for v in row) for row in np.asarray(array)}


def test_two_routes_along_one_tray_share_one_line():
    a = np.array([[0, 0], [0, 100], [500, 100]], float)  # up a manager, along the tray
    b = np.array([[600, 0], [600, 100], [200, 100]], float)  # the other way, overlapping it
    merged = merged_segments([a, b])
    assert rows(merged) == {(0, 100, 600, 100), (0, 0, 0, 100), (600, 0, 600, 100)}
    assert len(route_segments([a, b])) == 4


def test_pieces_that_only_line_up_stay_apart_and_diagonals_stay():
    a = np.array([[0, 0], [100, 0]], float)
    b = np.array([[200, 0], [300, 0]], float)  # same line, a gap between
    c = np.array([[0, 50], [100, 150]], float)  # diagonal
    d = np.array([[50, 0.2], [150, 0.2]], float)  # within half a millimetre of a's line: the same line
    merged = merged_segments([a, b, c, d])
    assert rows(merged) == {(0, 0, 150, 0), (200, 0, 300, 0), (0, 50, 100, 150)}


def test_many_lines_at_large_coordinates_merge_per_line():
    rng = np.random.default_rng(1)
    routes = []
    for line in range(300):
        y = 90_000.0 + line * 700
        for _ in range(5):
            lo = rng.uniform(-50_000, 50_000)
            routes.append(np.array([[lo, y], [lo + 20_000, y]]))
    merged = merged_segments(routes)
    for line in range(300):
        y = 90_000.0 + line * 700
        mine = merged[merged[:, 1] == y]
        pieces = [r for r in routes if r[0, 1] == y]
        # Every piece lies inside one merged line, and merged lines never overlap each other.
        for piece in pieces:
            assert ((mine[:, 0] <= piece[0, 0] + 1e-6) & (mine[:, 2] >= piece[1, 0] - 1e-6)).any()
        spans = np.sort(mine[:, [0, 2]], axis=0)
        assert (spans[1:, 0] > spans[:-1, 1]).all()
        assert mine[:, 0].min() == min(p[0, 0] for p in pieces)


def test_nothing_to_draw():
    assert merged_segments([]).shape == (0, 4)
    assert merged_segments([np.array([[1.0, 2.0]])]).shape == (0, 4)


def test_route_segments_are_each_routes_pieces_in_order():
    """One pass over the stacked corners gives what cutting each route apart gives, with routes
    of no corner or one corner (no piece) anywhere among them, the last included."""
    from gui.scene.segments import pieces

    rng = np.random.default_rng(7)
    for _ in range(50):
        routes = [rng.uniform(-1e6, 1e6, size=(int(rng.integers(0, 6)), 2)) for _ in range(int(rng.integers(1, 9)))]
        each = [pieces(r) for r in routes]
        assert np.array_equal(route_segments(routes), np.concatenate(each))
    assert route_segments([np.zeros((1, 2)), np.ones((1, 2))]).shape == (0, 4)  # no piece joins two routes

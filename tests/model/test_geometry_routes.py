"""Route lengths on cases worked out by hand (see tests/model/builders.py for the floor).

Rack R1-1 stands at (0, 0) facing south, 600 mm wide, 1200 mm deep, 100 mm door
clearance, 58.7 mm side managers. A 64-port switch's port p1 sits 18 mm from the
faceplate's left, so 76.7 mm from the rack's left, 47.35 mm from the left manager's
centre line; at U10 it is 422.05 mm above the floor.
"""

import math

import pytest

from model.analysis import Analysis
from model.selection import FILLET_SAVING
from tests.model.builders import cable, place, two_rows

SWITCH = "switch-51t2-64x800g"
P2_X_MM = 18 + 23.5  # its port p2: the second OSFP cage of the bottom row
SLACK_M = 0.3


def expected_m(sharp_mm: float, bends: int, radius_mm: float) -> float:
    return (sharp_mm - bends * FILLET_SAVING * radius_mm) / 1000 + 2 * SLACK_M


def test_same_rack_run_goes_out_along_up_and_back_in():
    doc = two_rows()
    place(doc, "R1-1", "s1", SWITCH, 10)
    place(doc, "R1-1", "s2", SWITCH, 20)
    cable(doc, "c1", "s1:p1", "s2:p1")
    analysis = Analysis(doc)
    report = analysis.result.cable("c1")
    sharp = 50 + 47.35 + (19 - 9) * 44.45 + 47.35 + 50
    assert analysis.routes.length_mm[0] == pytest.approx(sharp)
    assert analysis.routes.bends[0] == 5
    assert report.product_id == "dac-800g-osfp-30awg"
    assert report.length_m == pytest.approx(expected_m(sharp, 5, 42.5), abs=1e-6)
    assert report.ordered_length_m == 1.5


def test_touching_racks_pass_through_their_side_openings():
    doc = two_rows()
    place(doc, "R1-1", "s1", SWITCH, 10)
    place(doc, "R1-2", "s2", SWITCH, 10)
    cable(doc, "c1", "s1:p2", "s2:p2")
    analysis = Analysis(doc)
    # p2 is 90.7 mm from a rack's left. R1-2 stands to R1-1's right: out to R1-1's right
    # manager (570.65 mm), across both managers' halves, into R1-2's left one (29.35 mm).
    near = 50 + (570.65 - 90.7) + 50 + (90.7 - 29.35)
    sharp = near + 58.7
    assert analysis.routes.length_mm[0] == pytest.approx(sharp)
    assert analysis.routes.bends[0] == 7  # out of each port, along each faceplate, in and out of the opening
    assert analysis.routes.tray_mm[0] == 0 and analysis.routes.edge[0, 0] == -1  # no tray fill
    report = analysis.result.cable("c1")
    assert report.product_id == "dac-800g-osfp-30awg"
    assert report.length_m == pytest.approx(expected_m(sharp, 7, 42.5), abs=1e-6)
    assert report.ordered_length_m == 1.5


def test_racks_two_apart_rise_to_the_tray_and_back_down():
    doc = two_rows()
    place(doc, "R1-1", "s1", SWITCH, 20)
    place(doc, "R1-3", "s2", SWITCH, 20)
    cable(doc, "c1", "s1:p2", "s2:p2")
    analysis = Analysis(doc)
    rise = 2 * (48 * 44.45 + 300 - (19 * 44.45 + 22))
    across_rack_top = 2 * (600 - 50)
    near = 2 * (50 + (58.7 + P2_X_MM - 29.35))
    sharp = rise + across_rack_top + 1200 + near
    assert analysis.routes.length_mm[0] == pytest.approx(sharp)
    assert analysis.routes.bends[0] == 8
    report = analysis.result.cable("c1")
    assert report.medium == "AEC" and report.product_id == "aec-800g-osfp-32awg-7m"
    assert report.length_m == pytest.approx(expected_m(sharp, 8, 32.5), abs=1e-6)
    assert report.ordered_length_m == 7.0
    assert "AEC 32 AWG out" in report.reason and "> 5 m reach" in report.reason


def test_across_rows_takes_the_nearer_cross_tray_and_counts_its_turns():
    doc = two_rows()
    place(doc, "R1-1", "s1", SWITCH, 10)
    place(doc, "R2-1", "s2", SWITCH, 10)
    cable(doc, "c1", "s1:p2", "s2:p2")
    analysis = Analysis(doc)
    tray = (900 - 270.65) + 2400 + (900 + 270.65)
    assert analysis.routes.tray_mm[0] == pytest.approx(tray)
    assert analysis.routes.bends[0] == 10
    report = analysis.result.cable("c1")
    assert report.medium == "AOC"
    sharp = 2 * (48 * 44.45 + 300 - 422.05) + 1100 + tray + 2 * (50 + 58.7 + P2_X_MM - 29.35)
    assert report.length_m == pytest.approx(expected_m(sharp, 10, 30.0), abs=1e-6)
    # The drawn route runs along the west cross tray.
    xs = [x for x, _, _ in report.route_mm]
    assert min(xs) == pytest.approx(-900)
    assert report.route_floor.length > tray


def test_fillets_shorten_the_run_by_the_bend_radius():
    sharp = 1000.0
    saved = sharp / 1000 + 2 * SLACK_M - expected_m(sharp, 4, 50)
    assert saved == pytest.approx(4 * (2 - math.pi / 2) * 50 / 1000)


def test_a_rear_mounted_device_routes_from_the_rear_lane():
    doc = two_rows()
    place(doc, "R1-1", "s1", SWITCH, 10)
    place(doc, "R1-1", "s2", SWITCH, 20, face="rear")
    cable(doc, "c1", "s1:p1", "s2:p1")
    analysis = Analysis(doc)
    # From the rear, the faceplate's left is the rack's right: p1 is 76.7 mm from the right.
    assert analysis.compiled.ends.lx[1] == pytest.approx(600 - 76.7)
    # Both ends keep end A's (left) manager, so end B crosses the rack's width and depth.
    sharp = 50 + 47.35 + 444.5 + (1150 - 50) + (600 - 76.7 - 29.35) + 50
    assert analysis.routes.length_mm[0] == pytest.approx(sharp)


def test_without_trays_racks_cannot_be_joined():
    from model.document import Document
    from model.layout import Rack

    doc = Document()
    doc.add_rack(Rack(id="A", x_mm=0, y_mm=0))
    doc.add_rack(Rack(id="B", x_mm=1800, y_mm=0))  # apart: no side openings to pass through
    place(doc, "A", "s1", SWITCH, 10)
    place(doc, "B", "s2", SWITCH, 10)
    cable(doc, "c1", "s1:p1", "s2:p1")
    result = Analysis(doc).result
    assert result.medium_of(0) is None
    assert result.cable("c1").length_m is None  # no pathway, no made-up length
    assert [p.kind for p in result.problems] == ["pathway"]
    assert result.problems[0].message == (
        "cable c1: no pathway between racks A and B: racks A and B have no tray within 1.5 m to drop cables "
        "into — fix: add a tray over racks A, B (select both racks, then Insert → Add Tray over the Selected Racks)"
    )


def test_a_cable_with_no_pathway_names_its_racks_as_people_read_them():
    from model.document import Document
    from model.layout import Rack

    doc = Document()
    doc.add_rack(Rack(id="R09-25", name="SU 18 leaves", x_mm=1800, y_mm=0))
    doc.add_rack(Rack(id="R10-01", name='Bob\'s \\ "rack"\u00a0B', x_mm=6000, y_mm=0))
    doc.add_rack(Rack(id="R09-23", name="SU 18 servers 3", x_mm=0, y_mm=0))
    place(doc, "R09-23", "s1", SWITCH, 10)
    place(doc, "R09-25", "s2", SWITCH, 10)
    cable(doc, "c1", "s2:p1", "s1:p1")
    [problem] = [p for p in Analysis(doc).result.problems if "c1" in p.message]
    assert problem.message == (
        "cable c1: no pathway between racks 'SU 18 servers 3' (R09-23) and 'SU 18 leaves' (R09-25): racks "
        "'SU 18 servers 3' (R09-23) and 'SU 18 leaves' (R09-25) have no tray within 1.5 m to drop cables into — "
        "fix: add a tray over racks 'SU 18 servers 3' (R09-23), 'SU 18 leaves' (R09-25) (select both racks, "
        "then Insert → Add Tray over the Selected Racks)"
    )
    # As typed: no repr escapes of the backslash or the no-break space, no switched quotes.
    place(doc, "R10-01", "s3", SWITCH, 10)
    cable(doc, "c2", "s3:p1", "s1:p2")
    texts = [p.message for p in Analysis(doc).result.problems]
    assert any("and 'Bob's \\ \"rack\"\u00a0B' (R10-01):" in text for text in texts), texts


def test_touching_racks_need_no_tray():
    from model.document import Document
    from model.layout import Rack

    doc = Document()
    doc.add_rack(Rack(id="A", x_mm=0, y_mm=0))
    doc.add_rack(Rack(id="B", x_mm=600, y_mm=0))
    place(doc, "A", "s1", SWITCH, 10)
    place(doc, "B", "s2", SWITCH, 10)
    cable(doc, "c1", "s1:p1", "s2:p1")
    result = Analysis(doc).result
    assert result.medium_of(0) == "DAC" and result.problems == []


def test_a_blind_mate_spine_runs_in_the_rear_cartridge_without_slack():
    from model.document import Document
    from model.topologies import build_sample

    analysis = Analysis(Document(build_sample("gb200-nvl72")))
    report = analysis.result.cable(0)
    # From a compute tray's rear blind-mate port to a switch tray's: twice the cartridge
    # offset (40 mm), the height between them and the distance across.
    sharp = analysis.routes.length_mm[0]
    a = analysis.compiled.ends
    rise = abs(a.z[0] - a.z[1])
    across = abs(a.lx[0] - a.lx[1])
    assert sharp == pytest.approx(2 * 40 + rise + across)
    assert analysis.routes.slack_ends[0] == 0
    assert report.medium == "DAC" and "rear cable cartridge" in report.reason
    assert report.route_mm[0][2] == pytest.approx(a.z[0]) and report.route_mm[-1][2] == pytest.approx(a.z[1])


def test_moved_racks_joins_are_located_again_the_rest_copied():
    import numpy as np

    from model.geometry.routes import rack_joins

    doc = two_rows()
    analysis = Analysis(doc)
    before = analysis.routes.joins
    doc.move_racks({"R1-2": (3600.0, 0.0, "south"), "R2-6": (-1200.0, 2400.0, "north")})
    compiled, network = analysis.compiled, analysis.network
    moved = [compiled.racks.index["R1-2"], compiled.racks.index["R2-6"]]
    offset = doc.site.settings.max_drop_offset_mm
    partial = rack_joins(compiled, network, offset, moved, before)
    full = rack_joins(compiled, network, offset)
    for name in ("edge", "offset", "reach", "elevation"):
        assert np.array_equal(getattr(partial, name), getattr(full, name))
    assert not np.array_equal(partial.offset, before.offset)  # the moved racks drop in elsewhere ...
    assert before.offset[moved[0], 0] != full.offset[moved[0], 0]  # ... and `before` is left as it was


def test_every_rack_moved_in_any_order_gets_its_own_joins():
    # Both racks of a layout moved, listed last first (a set's order): each row its own rack's
    # joins (they came back in the order asked, and were taken as rack order).
    import numpy as np

    from model.document import Document
    from model.geometry.routes import rack_joins
    from model.layout import Rack, Site

    site = Site(racks=[Rack(id="A", x_mm=0, y_mm=0), Rack(id="B", x_mm=0, y_mm=6000)])
    site.trays = two_rows().site.trays[:1]
    doc = Document(site)
    analysis = Analysis(doc)
    before = analysis.routes.joins
    compiled, network, offset = analysis.compiled, analysis.network, doc.site.settings.max_drop_offset_mm
    partial = rack_joins(compiled, network, offset, [1, 0], before)
    full = rack_joins(compiled, network, offset)
    for name in ("edge", "offset", "reach", "elevation"):
        assert np.array_equal(getattr(partial, name), getattr(full, name))
    assert not np.array_equal(full.reach[0], full.reach[1])  # the two racks differ: a swap would show

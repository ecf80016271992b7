"""Tray fill: cross-sections add up per piece of tray; a full tray pushes cables thinner."""

import math

import numpy as np
import pytest

from model.analysis import Analysis
from tests.model.builders import cable, place, two_rows

SWITCH = "switch-51t2-64x800g"
AEC_AREA = math.pi * (6.5 / 2) ** 2


def _bundle(tray_width_mm: float, pinned: str | None = None, count: int = 64, product: str | None = None):
    doc = two_rows()
    for tray_id in ("T-row1", "T-row2", "T-west", "T-east"):
        doc.update_tray(tray_id, width_mm=tray_width_mm)
    place(doc, "R1-1", "a", SWITCH, 40)
    place(doc, "R1-3", "b", SWITCH, 40)
    for i in range(1, count + 1):
        pins = {"pinned_medium": pinned} if pinned else {"pinned_product": product} if product else {}
        cable(doc, f"c{i}", f"a:p{i}", f"b:p{i}", **pins)
    return Analysis(doc)


def test_fill_counts_only_the_pieces_a_bundle_crosses():
    analysis = _bundle(600)
    result = analysis.result
    assert set(result.medium_code) == {1}  # all active copper at 4 m (the linear LACC, the cheapest)
    chosen = analysis.products.products[int(result.product_row[0])]
    crossed = [s for s in result.tray_fill if s.cable_count]
    # Ports on the faceplate's left half drop by the left manager, the rest by the right
    # (10 of each row of 16 cages at 23.5 mm lie left of the middle): 40 cables from
    # -270.65 to 929.35 mm, 24 from 270.65 to 1470.65 mm.
    assert {s.cable_count for s in crossed} == {24, 40, 64}
    span = sum(math.dist(s.start_mm, s.end_mm) for s in crossed)
    assert span == pytest.approx(1470.65 + 270.65)
    both = [s for s in crossed if s.cable_count == 64]
    assert sum(math.dist(s.start_mm, s.end_mm) for s in both) == pytest.approx(929.35 - 270.65)
    assert both[0].used_mm2 == pytest.approx(64 * chosen.cross_section_mm2)
    assert crossed[0].usable_mm2 == pytest.approx(600 * 150 * 0.5)


def test_an_over_full_pinned_bundle_is_a_problem_naming_the_tray():
    analysis = _bundle(80, product="aec-800g-osfp-32awg-5m")  # usable 80 x 150 x 50% = 6000 mm²... per piece
    analysis.document.update_tray("T-row1", depth_mm=50)  # 2000 mm² < 64 AEC (2124 mm²)
    result = analysis.result
    fills = [p for p in result.problems if p.kind == "fill"]
    assert fills and all(p.target_kind == "tray" and p.target_id == "T-row1" for p in fills)
    assert "106% of its usable fill (64 cables)" in fills[0].message
    assert len(fills) == sum(s.over for s in result.tray_fill)  # every over-full piece, each once


def test_a_full_tray_moves_the_cheapest_cables_to_thinner_products():
    analysis = _bundle(80)
    analysis.document.update_tray("T-row1", depth_mm=50)
    result = analysis.result
    assert [p for p in result.problems if p.kind == "fill"] == []
    media = [result.medium_of(i) for i in range(64)]
    moved = media.count("AOC")
    # 124 mm² too much; each AEC → AOC swap frees AEC - AOC cross-section.
    needed = math.ceil((64 * AEC_AREA - 2000) / (AEC_AREA - math.pi * 1.5**2))
    assert moved == needed
    moved_row = media.index("AOC")
    assert "moved off a full tray" in result.cable(moved_row).reason
    used = max(s.used_mm2 for s in result.tray_fill if s.tray_id == "T-row1")
    assert used <= 2000


def test_fill_after_an_edit_matches_a_fresh_analysis():
    analysis = _bundle(600, count=8)
    analysis.document.move_device("b", "R1-5", 30)
    fresh = Analysis(analysis.document)
    assert np.allclose(analysis.fill.used_mm2(), fresh.fill.used_mm2())
    assert analysis.incremental_runs == 1


def test_a_moved_rack_recuts_the_trays_and_keeps_the_other_sums():
    """A rack moved along and out of its row (its drops elsewhere) leaves the fill as a fresh
    analysis cuts and fills it: the same pieces, counts and cross-sections, and the cables of
    the racks that stayed are not laid again (TrayFill.recut carries their sums over)."""
    from model.document import Document
    from model.geometry import fill as fill_module
    from model.placement import floor_clash
    from model.topologies.scaleout import build_scaleout_pod

    document = Document(build_scaleout_pod(accelerators=256))
    analysis = Analysis(document)
    laid: list[int] = []
    add = fill_module.TrayFill.add

    def counting(self, cables, area, sign=1):
        laid.append(len(cables))
        return add(self, cables, area, sign)

    fill_module.TrayFill.add = counting
    moves = 0
    try:
        for rack, dx, dy in [(0, -600, 0), (0, -300, 0), (-1, 600, 0), (-1, 300, 0), (3, 0, -40_000), (0, 600, 0)]:
            placed = document.site.racks[rack]
            moved = placed.model_copy(update={"x_mm": placed.x_mm + dx, "y_mm": placed.y_mm + dy})
            if floor_clash(document, [moved], {placed.id}):
                continue
            moves += 1
            laid.clear()
            document.move_rack(placed.id, placed.x_mm + dx, placed.y_mm + dy)
            own = len(document.cables_of_rack(placed.id))
            assert max(laid) <= own < len(document.cables)  # only its cables, out and in
            fresh = Analysis(document).fill
            mine = analysis.fill
            assert mine.piece_count == fresh.piece_count
            assert np.array_equal(mine.piece_edge, fresh.piece_edge)
            assert np.allclose(mine.piece_start, fresh.piece_start) and np.allclose(mine.piece_end, fresh.piece_end)
            assert np.array_equal(mine.cable_counts(), fresh.cable_counts())
            assert np.allclose(mine.used_mm2(), fresh.used_mm2())
    finally:
        fill_module.TrayFill.add = add
    assert analysis.full_runs == 1 and moves >= 3


def test_stations_and_pieces_are_each_edge_s_ends_and_drops_sorted_once():
    from model.document import Document
    from model.topologies import build_sample

    analysis = Analysis(Document(build_sample("scaleout-pod", accelerators=256)))
    fill, network, joins = analysis.fill, analysis.network, analysis.routes.joins
    stations = [
        np.unique(np.concatenate([[0.0, network.edge_length[e]], joins.offset[joins.edge == e]]))
        for e in range(len(network.edge_length))
    ]  # the definition, edge by edge
    np.testing.assert_array_equal(fill.stations, np.concatenate(stations))
    np.testing.assert_array_equal(fill.station_edge, np.repeat(np.arange(len(stations)), [len(s) for s in stations]))
    np.testing.assert_array_equal(fill.piece_start, np.concatenate([s[:-1] for s in stations]))
    np.testing.assert_array_equal(fill.piece_end, np.concatenate([s[1:] for s in stations]))
    assert fill.piece_count == sum(len(s) - 1 for s in stations) > len(stations)

"""The analysis as a whole: reference layouts come out as the report says, and an
edit's incremental re-analysis equals a fresh one."""

import numpy as np
import pytest

from model.analysis import Analysis, analyse
from model.document import Document
from model.errors import StaleResult
from model.rows import Pieces
from model.topologies import build_sample
from tests.model.builders import cable, place, two_rows


def switch_pair(far_rack: str) -> Document:
    """Two rows; switch a at U10 in R1-1, switch b at U10 in `far_rack`, cable c between their p1."""
    doc = two_rows()
    place(doc, "R1-1", "a", "switch-51t2-64x800g", 10)
    place(doc, far_rack, "b", "switch-51t2-64x800g", 10)
    cable(doc, "c", "a:p1", "b:p1")
    return doc


@pytest.fixture(scope="module")
def trn2():
    return analyse(Document(build_sample("trn2-ultra64")))


def test_trn2_ultra64_comes_out_as_the_report_says(trn2):
    assert trn2.accelerators == 64
    assert trn2.totals["by_medium"] == {"DAC": 96, "AEC": 64, "AOC": 0, "OPTICS": 0}
    assert trn2.attach_ratios["AEC"] == pytest.approx(1.0)
    # 32 PCB + 96 DAC + 64 AEC links of 800G over 64 chips: 3 x 800G per chip.
    assert trn2.equivalent_per_accelerator["800"] == pytest.approx(3.0)
    assert trn2.problems == []


def test_trn2_ring_links_are_aec_as_built_and_pass_between_the_racks(trn2):
    for i in range(len(trn2.cable_ids)):
        report = trn2.cable(i)
        if report.a_end.rack == report.b_end.rack:
            # In a server: chosen by the engine, by length.
            assert report.medium == "DAC" and report.length_m <= 2.0 and "pinned" not in report.reason
        else:
            # Between servers: AEC as AWS builds it, through the side openings (no tray),
            # well inside reach; the reason shows the engine's own choice too.
            assert report.medium == "AEC" and "(pinned)" in report.reason
            # ... and which DAC the engine itself would have laid there.
            assert "DAC 26 AWG fits, not pinned" in report.reason or "DAC 30 AWG fits, not pinned" in report.reason
            assert report.length_m <= 2.5 and report.ordered_length_m <= 5
            assert all(z < 2000 for _, _, z in report.route_mm)  # never up to the tray


def test_trn2_does_not_depend_on_the_tray_height():
    site = build_sample("trn2-ultra64")
    for tray in site.trays:
        tray.elevation_mm = 2750  # DOMAIN.md B5: tray ~2.75 m above the floor
    result = analyse(Document(site))
    assert result.totals["by_medium"] == {"DAC": 96, "AEC": 64, "AOC": 0, "OPTICS": 0}
    assert max(result.length_m) < 2.5


def test_gb200_nvl72_spine_is_passive_copper_in_the_rear_cartridge():
    result = analyse(Document(build_sample("gb200-nvl72")))
    assert result.totals["by_medium"] == {"DAC": 648, "AEC": 0, "AOC": 0, "OPTICS": 0}
    assert result.totals["cable_power_w"] == 0 and result.problems == []
    # NVIDIA: ~3.2 km of copper, 648 cables of 8 twinax pairs.
    copper_km = float(np.sum(result.length_m)) * 8 / 1000
    assert 0.5 * 3.2 <= copper_km <= 1.5 * 3.2
    assert all("rear cable cartridge" in result.cable(i).reason for i in range(0, 648, 50))


def test_gb200_nvl72_gives_four_and_a_half_1p6t_cables_per_gpu():
    result = analyse(Document(build_sample("gb200-nvl72")))
    assert result.accelerators == 72
    assert result.totals["cables"] == 648
    assert result.equivalent_per_accelerator["1600"] == pytest.approx(4.5)
    assert result.totals["unresolved"] == 0


def test_scaleout_pod_has_one_nic_cable_per_accelerator():
    result = analyse(Document(build_sample("scaleout-pod", accelerators=256)))
    assert result.accelerators == 256
    nic_cables = sum(1 for i in range(len(result.cable_ids)) if ":nic" in result.cable(i).a + result.cable(i).b)
    assert nic_cables == 256
    assert result.equivalent_per_accelerator["800"] == pytest.approx(1.0)


def _columns(analysis):
    return (
        analysis.choice.product.copy(),
        analysis.choice.length_m.copy(),
        analysis.fill.used_mm2().copy(),
        dict(analysis.result.totals),
    )


def test_moving_a_device_matches_a_fresh_analysis():
    doc = Document(build_sample("trn2-ultra64"))
    analysis = Analysis(doc)
    tray = next(d for d in doc.site.racks[0].devices if d.type == "trn2-compute-tray")
    doc.move_device(tray.id, doc.site.racks[0].id, 41)
    assert analysis.incremental_runs == 1 and analysis.full_runs == 1
    _assert_same_as_fresh(analysis, doc)


def test_moving_a_device_to_another_rack_changes_its_cable_lengths():
    doc = switch_pair("R1-2")
    analysis = Analysis(doc)
    before = analysis.result.cable("c").length_m
    doc.move_device("b", "R1-1", 20)
    after = analysis.result.cable("c")
    assert after.length_m < before and after.medium == "DAC"
    assert analysis.incremental_runs == 1


def test_pinning_a_cable_re_analyses_only_that_cable():
    doc = switch_pair("R1-2")
    analysis = Analysis(doc)
    doc.update_cable("c", pinned_medium="AOC")
    assert analysis.result.cable("c").medium == "AOC"
    assert analysis.full_runs == 1 and analysis.incremental_runs == 1


def test_listeners_hear_every_re_analysis():
    doc = two_rows()
    analysis = Analysis(doc)
    heard = []
    analysis.subscribe(heard.append)
    place(doc, "R1-1", "a", "switch-51t2-64x800g", 10)
    assert len(heard) == 1 and heard[0] is analysis.result
    assert heard[0].totals["device_power_w"] == 2400


def _assert_same_as_fresh(analysis, doc) -> None:
    fresh = Analysis(doc)
    for mine, theirs in zip(_columns(analysis), _columns(fresh)):
        if isinstance(mine, dict):
            assert mine == theirs
        else:
            assert np.allclose(mine, theirs, equal_nan=True)
    assert np.allclose(analysis.routes.length_mm, fresh.routes.length_mm, equal_nan=True)


def test_moving_a_rack_re_routes_only_its_cables_and_matches_a_fresh_analysis():
    doc = Document(build_sample("trn2-ultra64"))
    analysis = Analysis(doc)
    rack = doc.site.racks[-1]
    lengths = analysis.routes.length_mm.copy()
    doc.move_rack(rack.id, rack.x_mm + 3000, rack.y_mm)
    assert analysis.full_runs == 1 and analysis.incremental_runs == 1
    own = [analysis.compiled.cable_index[c.id] for c in doc.cables_of_rack(rack.id)]
    changed = np.flatnonzero(~np.isclose(analysis.routes.length_mm, lengths))
    assert len(changed) and set(changed) <= set(own)
    _assert_same_as_fresh(analysis, doc)


def test_a_move_is_not_looked_at_port_by_port_for_new_links(monkeypatch):
    """A move keeps every cable's ends, so it cannot form a link through panels: its cables'
    ports are not looked up (each step of a dragged rack did, ~4 ms at 10k accelerators)."""
    import model.analysis

    doc = Document(build_sample("trn2-ultra64"))
    analysis = Analysis(doc)

    def looked(*_args):
        raise AssertionError("a move's cables looked at port by port")

    monkeypatch.setattr(model.analysis, "adds_panel_cable", looked)
    rack = doc.site.racks[-1]
    doc.move_rack(rack.id, rack.x_mm + 3000, rack.y_mm)
    assert analysis.full_runs == 1 and analysis.incremental_runs == 1
    _assert_same_as_fresh(analysis, doc)


def test_turning_a_rack_matches_a_fresh_analysis():
    doc = switch_pair("R1-6")
    analysis = Analysis(doc)
    doc.move_rack("R1-6", 3000.0, -2000.0, "east")
    assert analysis.incremental_runs == 1
    _assert_same_as_fresh(analysis, doc)


def test_a_rack_that_changes_shape_rebuilds():
    doc = switch_pair("R1-2")
    analysis = Analysis(doc)
    doc.update_rack("R1-2", front_clearance_mm=150.0)
    assert analysis.full_runs == 2 and analysis.incremental_runs == 0
    _assert_same_as_fresh(analysis, doc)


def _prepared_and_taken_over() -> tuple[Document, Analysis, Analysis]:
    """A trn2 document and its analysis, then an NVL72 site prepared on the side (as the app's
    worker does) and opened: the document, its analysis and the prepared one it took over."""
    doc = Document(build_sample("trn2-ultra64"))
    analysis = Analysis(doc)
    other = build_sample("gb200-nvl72")
    prepared = Analysis.prepare(other, doc.catalog)
    analysis.expect(prepared)
    doc.replace_site(other, check=False)
    return doc, analysis, prepared


def test_a_prepared_analysis_runs_without_cyclic_collections(monkeypatch):
    """Analysis.prepare runs on the app's worker, where each pass of the cyclic collector held
    the interpreter lock, and so the window, 60-95 ms at 300,000 cables: paused meanwhile,
    and on again afterwards."""
    import gc

    from model import structure_edits

    collecting = []
    in_pieces = structure_edits.in_pieces
    monkeypatch.setattr(structure_edits, "in_pieces", lambda c: collecting.append(gc.isenabled()) or in_pieces(c))
    assert gc.isenabled()
    prepared = Analysis.prepare(build_sample("gb200-nvl72"), Document().catalog)
    assert collecting == [False] and gc.isenabled()
    assert prepared.result.accelerators == 72


def test_a_prepared_analysis_taken_over_is_freed_by_reference_counting_alone():
    """The app freezes what is alive once a file is shown (gui.background.keep_long_lived), so
    the cyclic collector never frees it: the prepared analysis, which listened to a document
    of its own that referred back to it, kept the opened columns (~70 MB at 300,000 cables)
    for good once an edit replaced them. Taken over, it is no longer in such a cycle."""
    import gc
    import weakref

    doc, analysis, prepared = _prepared_and_taken_over()
    gone = weakref.ref(prepared)
    opened_choice = weakref.ref(analysis.choice)
    del prepared
    gc.disable()  # reference counting alone, as for frozen objects
    try:
        assert gone() is None
        doc.disconnect(next(iter(doc.cables)))  # an edit: new columns in place of the opened ones
        assert opened_choice() is None
    finally:
        gc.enable()


def test_a_prepared_analysis_is_taken_over_for_its_own_site_only():
    doc, analysis, prepared = _prepared_and_taken_over()
    other = doc.site
    assert analysis.compiled is prepared.compiled and analysis.full_runs == 2
    # Made ready for edits: the list columns in pieces (model.rows), holding what they held.
    fresh = Analysis(Document(other.model_copy(deep=True), doc.catalog)).compiled
    assert isinstance(analysis.compiled.cable_ids, Pieces) and isinstance(analysis.compiled.device_names, Pieces)
    assert analysis.compiled.cable_ids == fresh.cable_ids and analysis.compiled.cable_b == fresh.cable_b
    _assert_same_as_fresh(analysis, doc)
    cable = next(iter(doc.cables))
    doc.disconnect(cable)  # and edited incrementally from there
    assert analysis.full_runs == 2 and cable not in analysis.result.index
    _assert_same_as_fresh(analysis, doc)
    # Prepared for a different site (a stale hand-over): ignored, the analysis runs itself.
    analysis.expect(Analysis.prepare(build_sample("gb200-nvl72"), doc.catalog))
    doc.replace_site(build_sample("trn2-ultra64"), check=False)
    assert analysis.compiled.site is doc.site
    _assert_same_as_fresh(analysis, doc)


def test_taking_over_a_prepared_analysis_takes_all_it_computed():
    analysis = Analysis(Document(build_sample("trn2-ultra64")))
    bookkeeping = {
        "document",
        "_listeners",
        "_prepared",
        "_published",
        "full_run",
        "full_runs",
        "incremental_runs",
        "result",
        "_removed_rows",  # a hint for putting removed cables back, checked before it is used
    }
    assert set(vars(analysis)) - bookkeeping == set(Analysis.STATE)


def test_moving_a_rack_beyond_every_tray_matches_a_fresh_analysis():
    # Alone beyond the trays, the rack's cables have no pathway: no made-up length, the
    # same in the live analysis (only they re-routed) as in a fresh one (all routed).
    doc = switch_pair("R1-2")
    analysis = Analysis(doc)
    rack = doc.rack("R1-2")
    doc.move_rack(rack.id, rack.x_mm + 30_000, rack.y_mm + 30_000)
    assert analysis.incremental_runs == 1
    report = analysis.result.cable("c")
    assert report.length_m is None and report.medium is None and report.route_mm == []
    assert "no tray within" in report.reason
    assert analysis.result.totals == Analysis(doc).result.totals
    _assert_same_as_fresh(analysis, doc)


def test_a_result_is_a_snapshot_that_later_edits_do_not_change():
    doc = Document(build_sample("trn2-ultra64"))
    analysis = Analysis(doc)
    old = analysis.result
    totals, cost = dict(old.totals), old.cost_usd.copy()
    tray = next(d for d in doc.site.racks[0].devices if d.type == "trn2-compute-tray")
    doc.move_device(tray.id, doc.site.racks[0].id, 41, face="rear")
    assert analysis.result is not old and analysis.result.totals != totals
    # The old snapshot still agrees with itself and with what it said before.
    assert old.totals == totals
    np.testing.assert_array_equal(old.cost_usd, cost)
    assert round(float(old.cost_usd.sum()), 2) == old.totals["cost_usd"]
    with pytest.raises(ValueError):
        old.cost_usd[0] = 0.0  # read-only
    with pytest.raises(StaleResult):
        _ = old.document  # the layout moved on: the old result will not mix it in
    assert analysis.result.document is doc


def test_gb300_nvl72_is_the_nvl72_with_b300_trays_and_800g_nics():
    site = build_sample("gb300-nvl72")
    result = analyse(Document(site))
    assert result.accelerators == 72
    assert result.totals["by_medium"] == {"DAC": 648, "AEC": 0, "AOC": 0, "OPTICS": 0}
    catalog = Document(site).catalog
    tray = next(d for d in site.racks[0].devices if d.type == "gb300-compute-tray")
    nics = [p for p in catalog.devices[tray.type].ports if p.name.startswith("nic")]
    assert len(nics) == 4 and {p.rate_gbps for p in nics} == {800}


def test_gb200_nvl36x2_joins_two_racks_with_their_switch_trays():
    result = analyse(Document(build_sample("gb200-nvl36x2")))
    assert result.accelerators == 72 and len(result.racks) == 2
    # Each rack's spine in its cartridge, and 9 switch-tray pairs x 18 front cables between.
    assert result.totals["by_medium"] == {"DAC": 648, "AEC": 162, "AOC": 0, "OPTICS": 0}
    assert result.equivalent_per_accelerator["1600"] == pytest.approx(4.5)
    across = [
        result.cable(i)
        for i in range(len(result.cable_ids))
        if result.cable(i).a_end.rack != result.cable(i).b_end.rack
    ]
    assert len(across) == 162
    assert all(c.rate_gbps == 1600 and c.length_m < 1.5 and "DAC 26 AWG out" in c.reason for c in across)
    assert all(max(z for _, _, z in c.route_mm) < 2000 for c in across[:5])  # through the side openings
    assert result.problems == []


def test_adding_a_scenario_does_not_re_analyse_the_base():
    from model.layout import Scenario

    doc = Document(build_sample("trn2-ultra64"))
    analysis = Analysis(doc)
    before = analysis.result
    doc.set_scenarios([Scenario(name="all AEC", medium_policy="copper-aec")])
    assert analysis.full_runs == 1 and analysis.incremental_runs == 0
    assert analysis.result.totals == before.totals
    assert analysis.result.document is doc  # the new snapshot names the new revision


def test_an_overhead_tray_below_a_rack_it_serves_is_a_problem():
    site = build_sample("trn2-ultra64")
    assert analyse(Document(site)).problems == []
    for tray in site.trays:
        tray.elevation_mm = 100  # a what-if's tray height that would run through the racks
    problems = analyse(Document(site)).problems
    assert {p.kind for p in problems} == {"pathway"} and len(problems) == len(site.racks)
    assert "hangs at 0.10 m, below the top of rack" in problems[0].message


def test_a_move_shares_the_unchanged_cable_columns_and_later_edits_leave_its_snapshot_alone():
    from tests.model.session_machine import assert_same_analysis, small_fabric

    doc = small_fabric()
    analysis = Analysis(doc)
    before, full = analysis.result, analysis.full_runs
    rack = doc.racks["R1-3"]
    doc.move_rack("R1-3", rack.x_mm, rack.y_mm + 200)  # its cables re-route; no cable's ends, pins or label change
    moved = analysis.result
    assert analysis.full_runs == full and not np.array_equal(moved.length_m, before.length_m)
    assert moved.state.compiled.cable_a is before.state.compiled.cable_a  # shared, not copied
    assert moved.state.compiled.ends is before.state.compiled.ends  # rack-local: a rack move keeps them
    labels, lengths = list(moved.state.compiled.cable_label), moved.length_m.copy()
    ends_z = moved.state.compiled.ends.z.copy()
    cable_id = doc.cables_of_rack("R1-3")[0].id
    doc.update_cable(cable_id, label="relabelled")  # writes the label column in place: on a copy
    assert moved.state.compiled.cable_label == labels and before.state.compiled.cable_label == labels
    np.testing.assert_array_equal(moved.length_m, lengths)
    assert analysis.result.state.compiled.cable_label[analysis.result.index[cable_id]] == "relabelled"
    device = next(d for d in doc.racks["R1-3"].devices if doc.cables_of_device(d.id))
    free = next(u for u in range(1, 40) if _fits(doc, "R1-3", device, u) and u != device.u_position)
    doc.move_device(device.id, "R1-3", free)  # its ends move in the rack: written on a copy
    assert analysis.result.state.compiled.ends is not moved.state.compiled.ends
    assert not np.array_equal(analysis.result.state.compiled.ends.z, ends_z)
    np.testing.assert_array_equal(moved.state.compiled.ends.z, ends_z)
    assert_same_analysis(analysis.result, Analysis(Document(doc.site.model_copy(deep=True), doc.catalog)).result)


def _fits(doc: Document, rack_id: str, device, u: int) -> bool:
    """Whether `device` could stand at U `u` of rack `rack_id` (nothing else there, inside the rack)."""
    rack = doc.racks[rack_id]
    height = doc.catalog.device(device.type).u_height
    if u + height - 1 > rack.height_u:
        return False
    taken = {
        k
        for other in rack.devices
        if other.id != device.id
        for k in range(other.u_position, other.u_position + doc.catalog.device(other.type).u_height)
    }
    return not taken & set(range(u, u + height))


def test_a_one_off_analysis_is_freed_by_reference_counting_alone():
    """`analyse` (the CLI's, and every scenario the Compare panel analyses) stops listening to
    the document: the result refers to it, and its listener referred back to the analysis
    holding the result, a cycle only the cyclic collector freed. The panel dropped one such
    scenario at every edit, and the pass that freed it held the window ~100 ms at 300,000
    cables."""
    import gc
    import weakref

    doc = Document(build_sample("gb200-nvl72"))
    result = analyse(doc)
    assert result.accelerators == 72
    gone = weakref.ref(result)
    gc.disable()  # reference counting alone
    try:
        del result
        assert gone() is None
    finally:
        gc.enable()

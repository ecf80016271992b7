"""Layout-wide problems of model.metrics: racks or devices sharing a name."""

from __future__ import annotations

import pytest

from model.analysis import Analysis, analyse
from model.document import Document
from model.layout import Device, Rack, Site
from model.topologies import SAMPLES, build_sample


def two_servers(name_a: str, name_b: str) -> Document:
    rack = Rack(id="R1", x_mm=0, y_mm=0, name="GPU-01")
    rack.devices = [
        Device(id="s1", type="generic-server-1u", u_position=1, name=name_a),
        Device(id="s2", type="generic-server-1u", u_position=2, name=name_b),
    ]
    return Document(Site(name="dup", racks=[rack, Rack(id="R2", x_mm=600, y_mm=0, name="GPU-01")]))


def test_racks_or_devices_sharing_a_name_are_a_warning_naming_them():
    result = analyse(two_servers("host-1", "host-1"))
    named = [p for p in result.problems if p.kind == "name"]
    assert [(p.target_kind, p.target_id, p.severity) for p in named] == [
        ("rack", "R1", "warning"),
        ("device", "s1", "warning"),
    ]
    assert "2 devices are named 'host-1' (s1, s2)" in named[1].message
    assert "2 racks are named 'GPU-01' (R1, R2)" in named[0].message


def test_the_warning_follows_a_rename_live():
    document = two_servers("host-1", "host-1")
    analysis = Analysis(document)
    assert sum(p.kind == "name" for p in analysis.result.problems) == 2
    document.rename_device("s2", "host-2")
    document.update_rack("R2", name="GPU-02")
    assert not [p for p in analysis.result.problems if p.kind == "name"]


def test_the_warning_follows_devices_put_in_and_taken_out_live():
    """Whether device names are unique is carried from edit to edit (a removal keeps them so, a
    device put in is checked against the names there): a second 'host-1' placed, renamed,
    deleted and put back by undo gives the warning exactly when a fresh analysis does."""
    from model.commands import RemoveDevices

    document = two_servers("host-1", "host-2")
    analysis = Analysis(document)

    def warned() -> list[str]:
        live = [p.message for p in analysis.result.problems if p.kind == "name" and p.target_kind == "device"]
        fresh = [
            p.message for p in Analysis(document).result.problems if p.kind == "name" and p.target_kind == "device"
        ]
        assert live == fresh
        return live

    assert warned() == []
    document.rename_device("s2", "host-1")
    assert len(warned()) == 1
    document.rename_device("s2", "host-2")
    assert warned() == []
    document.place_device("R2", Device(id="s3", type="generic-server-1u", u_position=5, name="host-1"))
    assert analysis.full_runs == 1  # placed incrementally (model.structure_edits)
    assert len(warned()) == 1
    document.rename_device("s3", "host-3")
    assert warned() == []
    document.rename_device("s3", "host-2")
    assert len(warned()) == 1
    delete = RemoveDevices(document, ["s2"])
    delete.do()
    assert warned() == []  # the other 'host-2' went
    delete.revert()
    assert len(warned()) == 1
    RemoveDevices(document, ["s3"]).do()
    assert warned() == []
    assert analysis.full_runs == 1


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_no_sample_has_two_things_of_one_name(sample):
    kwargs = {"accelerators": 64} if sample in ("scaleout-pod", "tor-pod") else {}
    result = analyse(Document(build_sample(sample, **kwargs)))
    assert not [p.message for p in result.problems if p.kind == "name"]


def test_rack_figures_and_the_racks_over_budget_agree_with_each_rack_s_metrics():
    from model.analysis import analyse
    from model.topologies import build_sample

    site = build_sample("scaleout-pod", accelerators=256)
    site.racks[3].power_budget_w = 1_000.0  # two racks over their budget, one without any
    site.racks[5].power_budget_w = 1_000.0
    result = analyse(Document(site))
    figures, racks = result.rack_figures, result.racks
    assert list(racks) == result.rack_ids == [r.id for r in site.racks] and len(racks) == len(site.racks)
    for i, rack_id in enumerate(result.rack_ids):
        m = racks[rack_id]
        assert (m.device_power_w, m.cable_power_w, m.budget_w) == (
            figures["device_w"][i],
            figures["cable_w"][i],
            figures["budget_w"][i],
        )
        assert m.accelerators == figures["accelerators"][i]
        assert list(m.cables_by_medium.values()) == figures["cables"][i].tolist()
    over = [i for i, rack_id in enumerate(result.rack_ids) if racks[rack_id].over_budget]
    assert result.racks_over_budget.tolist() == over == [3, 5]
    assert [p.target_id for p in result.problems if p.kind == "power"] == [site.racks[3].id, site.racks[5].id]
    assert sum(m.cables_by_medium["OPTICS"] for m in racks.values()) >= result.by_medium["OPTICS"].count


def _assert_rack_figures_as_fresh(analysis: Analysis) -> None:
    """The live result's rack figures equal a fresh analysis' bit for bit, and were worked out
    from the last result's (a RackBasis), not for every rack."""
    import numpy as np

    live = analysis.result
    assert live.state.rack_basis is not None
    fresh = Analysis(analysis.document).result
    for name, column in fresh.rack_figures.items():
        np.testing.assert_array_equal(live.rack_figures[name], column, err_msg=name)
        assert live.rack_figures[name].dtype == column.dtype


@pytest.mark.parametrize("few_racks", [0, 10**6])
def test_after_an_edit_only_the_racks_it_touched_are_worked_out_again(monkeypatch, few_racks):
    """A server deleted and put back, a rack moved, a device moved to another rack and a pin:
    each result starts from the last one's rack figures, works out only the racks the edit
    touched, and equals a fresh analysis exactly (over-budget racks included). The touched
    racks' ends are found either way (a compare per rack, or one gather of every end)."""
    import model.metrics
    from model.commands import RemoveDevices

    monkeypatch.setattr(model.metrics, "FEW_RACKS", few_racks)
    from model.topologies.scaleout import build_scaleout_pod

    document = Document(build_scaleout_pod(accelerators=256))
    for rack in document.site.racks[:3]:
        document.update_rack(rack.id, power_budget_w=3_000)  # over budget: red on the floor
    analysis = Analysis(document)
    assert len(analysis.result.racks_over_budget) == 3
    server = next(d for d in document.devices.values() if d.type.startswith("server"))
    rack_of = document.device_rack[server.id].id
    delete = RemoveDevices(document, [server.id])
    delete.do()
    touched = analysis.result.state.rack_basis.racks
    assert analysis.compiled.racks.index[rack_of] in touched.tolist()
    assert 1 < len(touched) < len(document.site.racks) // 2  # the server's rack and its leaves'
    _assert_rack_figures_as_fresh(analysis)
    delete.revert()
    _assert_rack_figures_as_fresh(analysis)
    rack = document.site.racks[-1]
    document.move_rack(rack.id, rack.x_mm, rack.y_mm + 3_000)
    _assert_rack_figures_as_fresh(analysis)
    other = next(r for r in document.site.racks if r.id != rack_of and r.devices)
    free = max(d.u_position + document.catalog.device(d.type).u_height for d in other.devices)
    cables = document.cables_of_device(server.id)
    document.move_device(server.id, other.id, free)  # its cables now end in another rack
    _assert_rack_figures_as_fresh(analysis)
    document.update_cable(cables[0].id, pinned_medium="AOC")
    _assert_rack_figures_as_fresh(analysis)


def test_racks_whose_cables_fill_relief_rechose_are_worked_out_again():
    """A cable added to a full tray makes fill relief move other cables, of other racks, to
    thinner products: their racks' figures change too, and are worked out again."""
    from tests.model.builders import cable, place, two_rows

    document = two_rows()
    document.update_tray("T-row1", width_mm=80, depth_mm=50)
    place(document, "R1-1", "a", "switch-51t2-64x800g", 40)
    place(document, "R1-3", "b", "switch-51t2-64x800g", 40)
    place(document, "R1-2", "c", "switch-51t2-64x800g", 40)
    place(document, "R1-4", "d", "switch-51t2-64x800g", 40)
    for i in range(1, 61):
        cable(document, f"ab{i}", f"a:p{i}", f"b:p{i}")
    analysis = Analysis(document)
    assert analysis.result.rack_figures  # read, as the floor does after every edit
    before = analysis.result.medium_code.copy()
    for i in range(1, 5):
        cable(document, f"cd{i}", f"c:p{i}", f"d:p{i}")
        _assert_rack_figures_as_fresh(analysis)
    result = analysis.result
    assert analysis.full_runs == 1  # each added cable an incremental edit
    relieved = [i for i in range(60) if result.medium_code[i] != before[i]]
    assert relieved, "the added cables should have pushed a-b cables to thinner products"
    _assert_rack_figures_as_fresh(analysis)


def test_racks_an_edit_leaves_with_cables_only_at_their_far_end():
    """The only cable starting in the racks an edit touched disconnected, one ending there kept:
    nothing left to sum on the near side (the session soak found the sum's type wrong there:
    numpy's bincount of nothing gives ints, and adding the far side's floats to it failed)."""
    from tests.model.builders import cable, place, two_rows

    document = two_rows()
    place(document, "R1-1", "a", "switch-51t2-64x800g", 40)
    place(document, "R1-3", "b", "switch-51t2-64x800g", 40)
    place(document, "R1-5", "c", "switch-51t2-64x800g", 40)
    cable(document, "ab", "a:p1", "b:p1")
    cable(document, "cb", "c:p1", "b:p2")
    analysis = Analysis(document)
    assert analysis.result.rack_figures["cable_w"].sum() > 0
    document.disconnect("ab")
    _assert_rack_figures_as_fresh(analysis)
    figures = analysis.result.rack_figures
    assert figures["cable_w"][0] == 0 and figures["cable_w"][2] > 0  # R1-1 none left, R1-3 half of cb


def test_a_name_warning_reads_alike_after_a_device_moved_into_another_rack():
    """A device moved into another rack keeps its row in the live analysis, where a fresh one
    puts it among that rack's: the warning (its ids, its target) must not follow rows
    (a fresh user's find: live named the moved device first, fresh the other)."""
    document = Document(build_sample("trn2-ultra64"))
    analysis = Analysis(document)
    first, last = document.site.racks[0].devices[0], document.site.racks[0].devices[-1]
    other = document.site.racks[1]
    for u in range(1, 47):
        try:
            document.move_device(first.id, other.id, u, "rear")
            break
        except Exception:
            continue
    assert document.device_rack[first.id].id == other.id
    document.rename_device(last.id, first.label)
    live = [p.as_dict() for p in analysis.result.problems if p.kind == "name"]
    fresh = Analysis(Document(document.site.model_copy(deep=True), document.catalog)).result.problems
    assert live == [p.as_dict() for p in fresh if p.kind == "name"]
    assert live[0]["target"] == f"device:{min(first.id, last.id)}"


def test_a_rack_just_over_its_budget_says_by_how_much():
    """Draw and budget in kW to one decimal read alike when a rack is a few watts over
    ('56.5 kW against a 56.5 kW budget', a fresh user's find): as many decimals as tell them apart."""
    from model.metrics import _kw_apart

    assert _kw_apart(45_000, 40_000) == ("45.0 kW", "40.0 kW")
    assert _kw_apart(56_530, 56_500) == ("56.53 kW", "56.50 kW")
    assert _kw_apart(56_501, 56_500) == ("56.501 kW", "56.500 kW")
    assert _kw_apart(56_500.2, 56_500) == ("56,500.2 W", "56,500.0 W")
    document = two_servers("host-1", "host-2")
    draw = analyse(document).rack_figures
    row = 0
    load = float(draw["device_w"][row] + draw["cable_w"][row])
    document.update_rack("R1", power_budget_w=load - 1)
    power = [p.message for p in analyse(document).problems if p.kind == "power"]
    assert power == [f"rack R1 draws {load / 1000:.3f} kW against a {(load - 1) / 1000:.3f} kW budget"]


def test_tray_piece_ids_are_the_ids_of_the_pieces_fill():
    """The floor names the fill items of a re-analysis' changed pieces by these ids before it
    builds their figures (a slice a turn): they must be the ids tray_fill_of gives."""
    result = analyse(Document(build_sample("scaleout-pod", accelerators=256)))
    pieces = list(range(result.state.fill.piece_count))
    assert len(pieces) > 10
    chosen = [pieces[-1], 0, pieces[len(pieces) // 2]]
    assert result.tray_piece_ids(chosen) == [s.id for s in result.tray_fill_of(chosen)]
    assert result.tray_piece_ids(pieces) == [s.id for s in result.tray_fill]
    assert result.tray_piece_ids([]) == []


def test_tray_fill_figures_after_edits_are_a_fresh_analysis_figures():
    """The pieces' ends are worked out once per cutting of the trays and carried by the edits
    that keep it (a delete, its undo): after those, and after a rack moved (the trays cut
    anew), every piece's row equals a fresh analysis' (its counts and ends exactly)."""
    import numpy as np

    from model.commands import RemoveDevices
    from model.topologies.scaleout import build_scaleout_pod

    document = Document(build_scaleout_pod(accelerators=256))
    analysis = Analysis(document)
    before = analysis.result.tray_fill_figures  # the ends worked out: carried from here
    server = next(d for d in document.devices.values() if d.type.startswith("server"))
    delete = RemoveDevices(document, [server.id])

    def assert_fresh() -> None:
        live, fresh = analysis.result.tray_fill_figures, Analysis(document).result.tray_fill_figures
        np.testing.assert_array_equal(live[:, [0, 2, 3, 4, 5]], fresh[:, [0, 2, 3, 4, 5]])
        np.testing.assert_allclose(live[:, 1], fresh[:, 1], rtol=1e-12, atol=1e-9)

    delete.do()
    assert_fresh()
    assert analysis.result.state.fill._piece_points is not None  # carried, not gathered again
    delete.revert()
    assert_fresh()
    rack = document.site.racks[-1]
    document.move_rack(rack.id, rack.x_mm, rack.y_mm + 3_000)
    assert_fresh()
    assert not np.array_equal(analysis.result.tray_fill_figures[:, 2:], before[:, 2:]) or len(before) != len(
        analysis.result.tray_fill_figures
    )


def test_an_analysis_published_before_trays_are_deleted_still_reads_its_tray_fill():
    """The floor plan draws an analysis' tray fill a slice at a time, and the layout may lose a
    tray meanwhile: the tray network held the layout's own tray list, so the older snapshot's
    pieces named trays past its end (IndexError, seen deleting racks and trays at 100,000
    accelerators)."""
    from model.analysis import Analysis
    from model.document import Document
    from model.topologies import build_sample

    doc = Document(build_sample("scaleout-pod", accelerators=256))
    old = Analysis(doc).result
    pieces = range(old.state.fill.piece_count)
    before = [(f.id, f.tray_id, f.usable_mm2) for f in old.tray_fill_of(pieces)]
    for tray in list(doc.site.trays)[-3:]:
        doc.remove_tray(tray.id)
    assert [(f.id, f.tray_id, f.usable_mm2) for f in old.tray_fill_of(pieces)] == before

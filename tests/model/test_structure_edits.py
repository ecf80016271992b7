"""Devices and cables added or removed are re-analysed incrementally (model/structure_edits.py):
no full run, the same result as a fresh analysis, and the snapshot before the edit unchanged."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.analysis import Analysis
from model.commands import RemoveDevices
from model.document import Document
from model.geometry.compiled import CompiledLayout
from model.layout import Cable, Device
from model.session import Session
from model.structure_edits import unknown_columns
from model.topologies import build_sample
from tests.model.session_machine import assert_same_analysis, small_fabric


def _fresh(doc: Document):
    return Analysis(Document(doc.site.model_copy(deep=True), doc.catalog)).result


def _incremental(doc: Document, analysis: Analysis, edit) -> None:
    old = analysis.result
    old_totals, old_lengths = dict(old.totals), old.length_m.copy()
    old_hashes = old.state.compiled.name_hashes().copy()  # made now: the edit carries them over
    full, incremental = analysis.full_runs, analysis.incremental_runs
    edit()
    assert (analysis.full_runs, analysis.incremental_runs) == (full, incremental + 1)
    assert_same_analysis(analysis.result, _fresh(doc))
    # The device names' hashes carried over are the new names' (the check of a name put in).
    compiled = analysis.result.state.compiled
    assert compiled.device_name_hash is not None
    assert compiled.device_name_hash.tolist() == [hash(name) for name in compiled.device_names]
    assert compiled.device_names_unique() == _fresh(doc).state.compiled.device_names_unique()
    np.testing.assert_array_equal(old.state.compiled.device_name_hash, old_hashes)
    index = analysis.result.index  # after an edit, derived from the old one (model.rows.RowIndex)
    ids = analysis.result.cable_ids
    first = {cable_id: row for row, cable_id in reversed(list(enumerate(ids)))}  # a breakout: its first leg's row
    assert [index[c] for c in ids] == [first[c] for c in ids]
    assert len(index) == len(first)
    assert "no such cable" not in index and index.get("no such cable") is None
    assert old.totals == old_totals
    np.testing.assert_array_equal(old.length_m, old_lengths)


def test_every_column_of_a_compiled_layout_is_known():
    doc = small_fabric()
    assert unknown_columns(CompiledLayout(doc.site, doc.catalog)) == set()


@pytest.mark.parametrize("start", ["fabric", "pod"])
def test_removing_a_device_and_putting_it_back_is_incremental(start):
    doc = small_fabric() if start == "fabric" else Document(build_sample("scaleout-pod", accelerators=256))
    analysis = Analysis(doc)
    busy = max(doc.devices, key=lambda d: len(doc.cables_of_device(d)))
    assert doc.cables_of_device(busy)
    removed = None

    def remove():
        nonlocal removed
        removed = doc.remove_device(busy)

    _incremental(doc, analysis, remove)
    assert busy not in analysis.result.state.compiled.device_row
    # Putting it back is two edits: the device, then its cables at their old places.
    _incremental(doc, analysis, lambda: doc.place_device(removed.rack_id, removed.device, removed.index))
    _incremental(doc, analysis, lambda: doc._restore_cables(removed.cables))
    assert analysis.result.cable_ids == [c.id for c in doc.site.cables]


@pytest.mark.parametrize("start", ["fabric", "pod"])
def test_undoing_a_device_removal_is_one_incremental_pass(start):
    doc = small_fabric() if start == "fabric" else Document(build_sample("scaleout-pod", accelerators=256))
    analysis = Analysis(doc)
    busy = max(doc.devices, key=lambda d: len(doc.cables_of_device(d)))
    removed = doc.remove_device(busy)
    _incremental(doc, analysis, lambda: doc.restore_device(removed))  # the device and its cables at once
    assert busy in analysis.result.state.compiled.device_row
    assert analysis.result.cable_ids == [c.id for c in doc.site.cables]


def test_removing_devices_of_several_racks_and_undoing_it_is_incremental():
    # Devices of three racks, a later rack first (one edit each, and one each to put back): each
    # goes back to its rack's place among the device rows, the racks before it counted from the
    # kept rows.
    doc = Document(build_sample("scaleout-pod", accelerators=256))
    session = Session(doc)
    analysis = session.analysis
    racks = [r for r in doc.site.racks if len(r.devices) >= 2][:3]
    picked = [racks[2].devices[1].id, racks[0].devices[0].id, racks[1].devices[-1].id, racks[0].devices[1].id]
    full, incremental = analysis.full_runs, analysis.incremental_runs
    session.apply(RemoveDevices(doc, picked))
    assert not any(d in analysis.result.state.compiled.device_row for d in picked)
    assert_same_analysis(analysis.result, _fresh(doc))
    session.undo()
    assert (analysis.full_runs, analysis.incremental_runs) == (full, incremental + 2 * len(picked))
    assert_same_analysis(analysis.result, _fresh(doc))
    compiled = analysis.result.state.compiled
    assert list(compiled.device_ids) == [d.id for r in doc.site.racks for d in r.devices]
    assert all(compiled.device_row[d] == list(compiled.device_ids).index(d) for d in picked)


def test_a_device_put_back_into_a_fresh_analysis_finds_its_cables_ends():
    # Analysed without s0, then s0 put back: its id gets the row index's next key (the last),
    # though its row is among the first; as many keys as rows, but the index is no plain
    # id -> row dict any more. Its cables must find its row, not its key (found by the soak).
    doc = small_fabric()
    removed = doc.remove_device("s0")
    analysis = Analysis(doc)
    _incremental(doc, analysis, lambda: doc.restore_device(removed))
    compiled = analysis.result.state.compiled
    row = list(compiled.device_ids).index("s0")
    assert row < len(compiled.device_ids) - 1
    for cable in doc.cables_of_device("s0"):
        end = 2 * compiled.cable_index[cable.id] + (0 if cable.a.startswith("s0:") else 1)
        assert compiled.end_device_row[end] == row


def test_placing_connecting_and_disconnecting_are_incremental():
    doc = small_fabric()
    analysis = Analysis(doc)
    _incremental(
        doc, analysis, lambda: doc.place_device("R2-3", Device(id="new", type="server-8gpu-800g", u_position=20))
    )
    _incremental(doc, analysis, lambda: doc.connect(Cable(id="n1", a="new:nic1", b="leaf2:p30")))
    _incremental(doc, analysis, lambda: doc.connect(Cable(id="n2", a="new:nic2", b="leaf1:p30"), index=0))
    _incremental(doc, analysis, lambda: doc.disconnect("c1-2"))
    assert analysis.result.cable_ids[0] == "n2"


def _with_breakouts() -> Document:
    """small_fabric with two servers of 400G NICs and two breakouts to one from 800G leaf ports."""
    doc = small_fabric()
    doc.place_device("R1-4", Device(id="s400", type="server-8gpu-400g", u_position=20))
    doc.place_device("R2-4", Device(id="s401", type="server-8gpu-400g", u_position=20))
    doc.connect(Cable(id="bo1", a="leaf1:p40", b=["s400:nic1", "s400:nic2"]))
    doc.connect(Cable(id="bo2", a="leaf2:p40", b=["s400:nic3", "s400:nic4"]))
    return doc


def test_adding_and_deleting_next_to_breakouts_is_incremental():
    doc = _with_breakouts()
    analysis = Analysis(doc)
    assert analysis.compiled.has_breakouts
    _incremental(doc, analysis, lambda: doc.connect(Cable(id="n1", a="s400:nic5", b="leaf2:p41")))
    _incremental(doc, analysis, lambda: doc.connect(Cable(id="bo3", a="leaf1:p41", b=["s400:nic6", "s400:nic7"])))
    _incremental(doc, analysis, lambda: doc.connect(Cable(id="bo0", a="leaf1:p42", b=["s400:nic8", "s401:nic1"]), 0))
    assert analysis.result.cable_ids[:2] == ["bo0", "bo0"]
    _incremental(doc, analysis, lambda: doc.disconnect("bo1"))  # a breakout's both rows out
    _incremental(doc, analysis, lambda: doc.disconnect("c1-2"))  # a straight cable behind breakouts
    removed = None

    def remove():
        nonlocal removed
        removed = doc.remove_device("s400")  # with its breakouts' legs

    _incremental(doc, analysis, remove)
    assert not analysis.compiled.has_breakouts or "bo0" in analysis.result.index
    _incremental(doc, analysis, lambda: doc.place_device(removed.rack_id, removed.device, removed.index))
    _incremental(doc, analysis, lambda: doc._restore_cables(removed.cables))
    assert analysis.result.cable_ids == [c.id for c in doc.site.cables for _ in c.legs]
    assert analysis.result.index["bo3"] == analysis.result.cable_ids.index("bo3")


def test_adding_and_deleting_away_from_patch_panel_links_is_incremental():
    from model.io.files import loads_layout
    from tests.model.test_structured import F05

    doc = Document(loads_layout(F05.read_text(encoding="utf-8"), "panels.json"))
    analysis = Analysis(doc)
    assert analysis.links.links
    _incremental(doc, analysis, lambda: doc.connect(Cable(id="n1", a="gpu01:nic2", b="leaf01:p2")))
    _incremental(doc, analysis, lambda: doc.place_device("R09", Device(id="s2", type="server-8gpu-800g", u_position=2)))
    _incremental(doc, analysis, lambda: doc.connect(Cable(id="n2", a="s2:nic1", b="leaf01:p3"), index=0))
    _incremental(doc, analysis, lambda: doc.disconnect("n1"))
    _incremental(doc, analysis, lambda: doc.remove_device("s2"))
    assert analysis.result.cable("c2").product_id == _fresh(doc).cable("c2").product_id
    # A cable into a panel port joins a link, chosen whole: that edit is a full run.
    full = analysis.full_runs
    doc.connect(Cable(id="x", a="gpu01:nic3", b="pp01:f2"))
    assert analysis.full_runs == full + 1
    assert_same_analysis(analysis.result, _fresh(doc))


def test_row_splicing_equals_numpy_delete_and_insert():
    from model.rows import edited_list
    from model.structure_edits import MANY_PLACES, _cut, _put, _runs

    column = np.arange(40.0).reshape(20, 2)
    for drop in ([], [0], [3, 4, 5], [0, 1, 7, 19], list(range(20))):
        runs = _runs(np.array(drop, dtype=np.int64))
        np.testing.assert_array_equal(_cut(column, runs), np.delete(column, drop, axis=0))
        assert edited_list(list(range(20)), runs, [], []) == [i for i in range(20) if i not in drop]
    new = np.full((MANY_PLACES + 1, 2), -1.0)
    for at in ([], [0], [5, 5, 5], [0, 3, 3, 20], [20, 20], [1] * (MANY_PLACES + 1)):
        places = np.array(at, dtype=np.int64)
        expected = np.insert(column, places, new[: len(at)], axis=0)
        np.testing.assert_array_equal(_put(column, places, new[: len(at)]), expected)
        np.testing.assert_array_equal(_put(column, places), np.insert(column, places, 0, axis=0))
        items = [f"n{k}" for k in range(len(at))]
        assert edited_list(list(range(20)), [], places, items) == list(
            np.insert(np.arange(20).astype(object), places, items)
        )
    assert _cut(column, []) is not column and _put(column, np.zeros(0, dtype=np.int64)) is not column


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_rows_cut_and_put_in_one_splice_equal_numpy_delete_then_insert(data):
    # One edit may take rows out and put others in (the routes' and choices' columns): each
    # stretch of kept rows is copied once, straight to where it ends up.
    from model.structure_edits import MANY_PLACES, _rows, _runs, _Splices

    count = data.draw(st.integers(0, 40))
    drop = sorted(data.draw(st.sets(st.integers(0, max(count - 1, 0)), max_size=count)) if count else [])
    kept = count - len(drop)
    at = sorted(data.draw(st.lists(st.integers(0, kept), max_size=MANY_PLACES + 3)))
    column = np.arange(2.0 * count).reshape(count, 2)
    runs, places = _runs(np.array(drop, dtype=np.int64)), np.array(at, dtype=np.int64)
    expected = np.insert(np.delete(column, drop, axis=0), places, 0, axis=0)
    np.testing.assert_array_equal(_rows(column, runs, places), expected)
    splices = _Splices()  # two columns in one batch, with the rows put in given
    new = np.full((len(at), 2), -1.0)
    first, second = splices.rows(column, runs, places, new), splices.rows(column[:, 0].copy(), runs, places)
    splices.run()
    np.testing.assert_array_equal(first, np.insert(np.delete(column, drop, axis=0), places, new, axis=0))
    np.testing.assert_array_equal(second, expected[:, 0])

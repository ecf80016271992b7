"""Devices and cables added or removed are re-analysed incrementally (model/structure_edits.py):
no full run, the same result as a fresh analysis, and the snapshot before the edit unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from model.analysis import Analysis
from model.document import Document
from model.geometry.compiled import CompiledLayout
from model.layout import Cable, Device
from model.structure_edits import unknown_columns
from model.topologies import build_sample
from tests.model.session_machine import assert_same_analysis, small_fabric


def _fresh(doc: Document):
    return Analysis(Document(doc.site.model_copy(deep=True), doc.catalog)).result


def _incremental(doc: Document, analysis: Analysis, edit) -> None:
    old = analysis.result
    old_totals, old_lengths = dict(old.totals), old.length_m.copy()
    full, incremental = analysis.full_runs, analysis.incremental_runs
    edit()
    assert (analysis.full_runs, analysis.incremental_runs) == (full, incremental + 1)
    assert_same_analysis(analysis.result, _fresh(doc))
    index = analysis.result.index  # after an edit, the old index shifted (CableIndex)
    assert [index[c] for c in analysis.result.cable_ids] == list(range(len(analysis.result.cable_ids)))
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

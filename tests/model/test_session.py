"""A session: open a file, edit through commands, undo, save — what scripts and the app share."""

from __future__ import annotations

import pytest

from model.commands import MoveRacks
from model.errors import LayoutError
from model.io.files import load_layout, save_layout
from model.session import Session
from model.topologies import build_sample


@pytest.fixture
def session(tmp_path) -> Session:
    path = tmp_path / "layout.json"
    save_layout(build_sample("trn2-ultra64"), path)
    return Session.open(path)


def test_the_documented_script_moves_undoes_and_saves(session):
    rack = session.document.site.racks[-1]
    before = session.result.totals
    assert session.apply(MoveRacks(session.document, {rack.id: (rack.x_mm + 600, rack.y_mm, rack.facing)}))
    moved = session.result
    assert moved.totals != before and not session.history.is_clean()
    session.undo()
    assert session.result.totals == before and session.history.is_clean()
    session.redo()
    assert session.save() == session.path and session.history.is_clean()
    assert load_layout(session.path).racks[-1].x_mm == rack.x_mm  # the redone move is on disk
    assert moved.totals != before  # the snapshot taken after the move never changed


def test_a_refused_edit_changes_nothing_and_records_nothing(session):
    first, second = session.document.site.racks
    with pytest.raises(LayoutError, match="would overlap"):
        session.apply(MoveRacks(session.document, {first.id: (second.x_mm, second.y_mm, second.facing)}))
    assert session.history.count == 0 and session.history.is_clean()


def test_another_layout_starts_a_new_history(session, tmp_path):
    rack = session.document.site.racks[-1]
    session.apply(MoveRacks(session.document, {rack.id: (rack.x_mm + 600, rack.y_mm, rack.facing)}))
    session.replace_site(build_sample("gb200-nvl72"))
    assert session.history.count == 0 and session.path is None
    assert session.result.totals["cables"] == 648
    with pytest.raises(ValueError, match="needs a path"):
        session.save()
    assert session.save(tmp_path / "nvl72.json").name == "nvl72.json"

"""Layout properties and renaming by scheme: one undoable step each, all or nothing, and the
names reach every report (schedule rows, CSV, cable ends)."""

from __future__ import annotations

import csv
import io

import pytest

from model.analysis import analyse
from model.commands_naming import RenameByScheme, SetLayoutProperties
from model.document import Document
from model.errors import LayoutError
from model.io.exports import write_cable_schedule
from model.io.files import load_layout, save_layout
from model.layout import NamingScheme
from model.report_rows import cable_rows
from model.session import Session
from tests.gui.sites import small_site
from tests.model.test_commands import dump, round_trip


@pytest.fixture
def session() -> Session:
    return Session(Document(small_site()))


def test_layout_properties_are_one_undoable_step_and_reach_the_snapshot(session, tmp_path):
    info = {"site": "Ashburn", "hall": "DH2", "author": "A. Designer", "revision": "B", "date": "2026-11-30"}
    round_trip(session, SetLayoutProperties(session.document, name="Pod 7", info=info))
    assert session.result.layout_name == "Pod 7"
    save_layout(session.document.site, tmp_path / "pod.json")
    again = load_layout(tmp_path / "pod.json")
    assert again.name == "Pod 7" and again.info.model_dump() == info
    session.undo()
    assert session.result.layout_name == "Small"


def test_a_bad_property_is_refused_whole(session):
    before = dump(session)
    with pytest.raises(LayoutError, match="YYYY-MM-DD"):
        session.apply(SetLayoutProperties(session.document, name="New", info={"date": "tomorrow"}))
    with pytest.raises(LayoutError, match="not a rack pattern field"):
        session.apply(SetLayoutProperties(session.document, naming={"rack": "{u}"}))
    assert dump(session) == before and session.history.count == 0


def test_rename_by_scheme_is_undoable_and_reaches_schedule_and_csv(session):
    doc = session.document
    doc.site.naming = NamingScheme(
        rack="GPU-{row}{rack:02}", device="{rack}-U{u:02}", cable="{a_rack}/{b_rack}-{cable}"
    )
    command = RenameByScheme(doc, ["R1", "R2"], list(doc.devices), list(doc.cables))
    round_trip(session, command)
    assert doc.racks["R1"].name == "GPU-A01" and doc.devices["T3"].name == "GPU-A02-U05"
    assert doc.cables["C2"].label == "GPU-A01/GPU-A02-2"
    rows = cable_rows(session.result)
    assert rows.end_text[2:4] == ["GPU-A01 U5 GPU-A01-U05:c0.n2", "GPU-A02 U5 GPU-A02-U05:c0.n1"]
    assert rows.cable_id == ["GPU-A01/GPU-A01-1", "GPU-A01/GPU-A02-2"]
    handle = io.StringIO()
    write_cable_schedule(session.result, handle)
    table = list(csv.DictReader(io.StringIO(handle.getvalue(), newline="")))
    assert (table[1]["cable_id"], table[1]["a_rack"], table[1]["a_device"]) == (
        "GPU-A01/GPU-A02-2",
        "GPU-A01",
        "GPU-A01-U05",
    )
    fresh = analyse(Document(doc.site.model_copy(deep=True)))  # live equals fresh after a rename
    assert cable_rows(fresh).end_text == rows.end_text
    session.undo()
    assert cable_rows(session.result).end_text[2] == "R1 U5 T1:c0.n2"


def test_renumbering_starts_where_asked(session):
    doc = session.document
    session.apply(RenameByScheme(doc, ["R2"], [], [], start=7))
    assert doc.racks["R2"].name == "R07" and doc.racks["R1"].name == ""


def test_a_clash_is_refused_naming_both_and_changes_nothing(session):
    doc = session.document
    doc.update_rack("R1", name="R02")
    doc.site.naming = NamingScheme(device="host")  # no counter: every device would be 'host'
    before = dump(session)
    with pytest.raises(
        LayoutError,
        match=r"'R02' would be both rack 'R02' \(id R1\) and rack R2: rename rack 'R02' \(id R1\) first, or number from another start",
    ):
        RenameByScheme(doc, ["R2"], [], [], start=2)
    with pytest.raises(
        LayoutError, match="device name 'host' would be both device T1 and device T2: put a counter such as {device}"
    ):
        RenameByScheme(doc, [], ["T1", "T2"], [])
    assert dump(session) == before


def test_an_empty_pattern_says_where_to_set_it(session):
    session.document.site.naming = NamingScheme(rack="")
    with pytest.raises(LayoutError, match="File → Properties"):
        RenameByScheme(session.document, ["R1"], [], [])

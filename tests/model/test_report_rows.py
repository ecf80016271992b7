"""Report rows built in bulk (model/report_rows.py, model/report_json.py, the CSV schedule)
say exactly what the per-cable report (`AnalysisResult.cable`) says, cable by cable."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from model.analysis import analyse
from model.document import Document
from model.io.exports import write_cable_schedule
from model.layout import Cable
from model.reasons import cable_problems, cable_reason, problems, reasons
from model.report_json import finite, write_report_json
from model.report_rows import cable_rows, printed_rows, rack_ends
from model.topologies import build_sample
from tests.model.session_machine import small_fabric


def _awkward() -> Document:
    """The small fabric with a rack beyond every tray, a pinned cable that breaks its reach,
    a flexed one, labels a CSV must quote or neutralise, and a power objective."""
    doc = small_fabric()
    doc.update_cable("c0-0", pinned_medium="DAC")
    doc.update_cable("c0-1", flexed=True, label='say "hi", =SUM(1)')
    doc.update_cable("c1-0", label="two\nlines")
    doc.move_rack("R2-2", 50_000.0, 50_000.0)
    doc.connect(Cable(id="x", a="s0:nic5", b="s0:nic6"))
    doc.update_settings(objective="power")
    return doc


@pytest.fixture(scope="module", params=["awkward", "trn2-ultra64", "gb200-nvl72", "scaleout-pod"])
def result(request):
    if request.param == "awkward":
        return analyse(_awkward())
    kwargs = {"accelerators": 64} if request.param == "scaleout-pod" else {}
    return analyse(Document(build_sample(request.param, **kwargs)))


def test_the_awkward_layout_has_what_it_is_built_for():
    result = analyse(_awkward())
    assert np.isnan(result.length_m).any()  # a cable with no pathway
    assert {p.kind for p in result.problems} >= {"pathway", "pinned"}


def test_bulk_reasons_and_problems_are_the_per_cable_ones(result):
    state, n = result.state, len(result.cable_ids)
    assert reasons(state, np.arange(n)) == [cable_reason(state, i) for i in range(n)]
    assert problems(state, np.arange(n)) == [cable_problems(state, i) for i in range(n)]
    assert problems(state, np.arange(n))[::-1] == problems(state, np.arange(n)[::-1])


def test_reasons_worded_a_few_distinct_cables_at_a_time_are_the_same(result, monkeypatch):
    state, n = result.state, len(result.cable_ids)
    whole = reasons(state, np.arange(n))
    monkeypatch.setattr("model.reasons.REASON_BLOCK", 2)
    assert reasons(state, np.arange(n)) == whole == [cable_reason(state, i) for i in range(n)]


def test_the_json_report_is_what_json_dump_writes_of_every_cable_report(result):
    handle = io.StringIO()
    write_report_json(result, handle)
    report = result.to_report_dict(with_cables=False)
    report["cables"] = [result.cable(i).as_dict() for i in range(len(result.cable_ids))]
    expected = json.dumps(finite(report), indent=1, ensure_ascii=False) + "\n"
    assert handle.getvalue() == expected
    assert result.to_report_dict()["cables"] == finite(report["cables"])


def test_the_schedule_csv_reads_back_as_every_cable_report(result):
    handle = io.StringIO()
    write_cable_schedule(result, handle)
    table = list(csv.reader(io.StringIO(handle.getvalue(), newline="")))
    assert len(table) == len(result.cable_ids) + 1
    for i, row in enumerate(table[1:]):
        c = result.cable(i, detail=False)
        label = "'" + c.label if c.label.startswith(("=", "+", "-", "@")) else c.label
        given = result.state.compiled.cable_label[i]
        cable_id = label if given else c.id  # the cable id people read: its label, else its id
        assert row[:6] == [cable_id, label, c.a_end.rack_name, str(c.a_end.u), c.a_end.device_name, c.a_end.port]
        assert row[10] == (c.medium or "")
        assert row[13] == ("" if c.length_m is None else f"{c.length_m:.3f}".rstrip("0").rstrip("."))


def test_printed_rows_and_rack_ends_follow_each_cable(result):
    rows = cable_rows(result)
    printed = printed_rows(rows)
    keys: dict[str, list[tuple]] = {}
    for i in range(len(result.cable_ids)):
        c = result.cable(i, detail=False)
        assert printed[i][:4] == (
            result.state.compiled.cable_label[i] or c.id,  # the cable id people read: its label, else its id
            f"{c.a_end.rack_name} U{c.a_end.u} {c.a_end.device_name}:{c.a_end.port}",
            f"{c.b_end.rack_name} U{c.b_end.u} {c.b_end.device_name}:{c.b_end.port}",
            c.medium or "—",
        )
        assert printed[i][10] == c.id
        assert printed[i][6] == ("—" if c.length_m is None else f"{c.length_m:.2f}")
        keys.setdefault(c.a_end.rack, []).append((-c.a_end.u, c.a_end.device, _natural(c.a_end.port), 2 * i))
        if c.b_end.rack != c.a_end.rack:
            keys.setdefault(c.b_end.rack, []).append((-c.b_end.u, c.b_end.device, _natural(c.b_end.port), 2 * i + 1))
    assert rack_ends(rows) == {rack: [k[3] for k in sorted(found)] for rack, found in keys.items()}


def _natural(text: str) -> list:
    return [(1, int(part), "") if part.isdigit() else (0, 0, part) for part in _split_digits(text)]


def _split_digits(text: str) -> list[str]:
    parts: list[str] = []
    for ch in text:
        if parts and ch.isdigit() and parts[-1].isdigit():
            parts[-1] += ch
        else:
            parts.append(ch)
    return parts


def test_no_nan_is_ever_written_to_json():
    assert finite({"a": [float("nan"), 1.5, float("inf")], "b": {"c": -float("inf")}}) == {
        "a": [None, 1.5, None],
        "b": {"c": None},
    }


def test_reports_written_a_few_cables_at_a_time_are_the_same_text(result, monkeypatch):
    from model import report_json
    from model.io import exports

    whole_json, whole_csv = io.StringIO(), io.StringIO()
    write_report_json(result, whole_json)
    write_cable_schedule(result, whole_csv)
    monkeypatch.setattr(report_json, "CHUNK", 3)
    monkeypatch.setattr(exports, "CSV_CHUNK", 3)
    pieces_json, pieces_csv = io.StringIO(), io.StringIO()
    write_report_json(result, pieces_json)
    write_cable_schedule(result, pieces_csv)
    assert pieces_json.getvalue() == whole_json.getvalue()
    assert pieces_csv.getvalue() == whole_csv.getvalue()


def test_the_rows_of_a_slice_are_that_slice_of_every_row(result):
    every, n = cable_rows(result), len(result.cable_ids)
    part = cable_rows(result, slice(2, n - 1))
    assert len(part) == n - 3 and part.ids == result.cable_ids[2 : n - 1]
    for name in ("label", "a", "b", "cable_id", "medium", "product_id", "gauge_awg"):
        assert getattr(part, name) == getattr(every, name)[2 : n - 1], name
    for name in ("end_text", "end_port", "end_rack", "end_device_name"):
        assert getattr(part, name) == getattr(every, name)[4 : 2 * n - 2], name
    for name in ("length_m", "cost_usd", "trunk_m", "rate_gbps"):
        assert np.array_equal(getattr(part, name), getattr(every, name)[2 : n - 1], equal_nan=True), name
    assert np.array_equal(part.end_u, every.end_u[4 : 2 * n - 2])


@pytest.mark.parametrize("odd", ["", ' say "hi"', " a\\b", " two\nlines", " tab\there"])
def test_reasons_that_need_escaping_are_escaped_in_the_json_report(odd, monkeypatch):
    result = analyse(_awkward())
    worded = reasons(result.state, np.arange(len(result.cable_ids)))
    changed = [text + odd if i % 3 == 0 else text for i, text in enumerate(worded)]
    monkeypatch.setattr("model.report_json.reasons", lambda state, rows: changed)
    handle = io.StringIO()
    write_report_json(result, handle)
    cables = json.loads(handle.getvalue())["cables"]
    assert [cable["reason"] for cable in cables] == changed
    expected = [dict(result.cable(i).as_dict(), reason=changed[i]) for i in range(len(changed))]
    text = json.dumps(finite({"cables": expected}), indent=1, ensure_ascii=False)
    assert handle.getvalue().endswith(text[len('{\n "cables": [') :] + "\n")


@pytest.mark.parametrize("chunk", [2, 10_000])
def test_the_json_report_written_as_utf8_bytes_is_the_texts_encoding(chunk, monkeypatch):
    doc = _awkward()
    doc.update_cable("c1-1", label="Süd ↔ Nord ≤ 5 m, 💡")  # a label of one, two, three and four UTF-8 bytes
    result = analyse(doc)
    monkeypatch.setattr("model.report_json.CHUNK", chunk)
    text = io.StringIO()
    write_report_json(result, text)
    raw = io.BytesIO()
    handle = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    write_report_json(result, handle, raw)
    handle.flush()
    assert raw.getvalue() == text.getvalue().encode("utf-8")
    assert "Süd ↔ Nord ≤ 5 m, 💡" in text.getvalue() and "→" in text.getvalue()

"""Layouts read lean (load_layout(lean=True), the command line's read): cables as columns."""

from __future__ import annotations

import io
import json

import pytest

from model.analysis import analyse
from model.document import Document
from model.errors import FileFormatError, LayoutError
from model.io import files
from model.io.files import dumps_layout, load_layout
from model.layout import Cable, CableColumns, cable_column
from model.report_json import write_report_json
from model.topologies import build_sample
from tests.model.test_io_files import small_site


@pytest.fixture(params=["small", "trn2-ultra64", "scaleout-pod"])
def layout_file(request, tmp_path):
    site = (
        small_site()
        if request.param == "small"
        else build_sample(request.param, **({"accelerators": 512} if request.param == "scaleout-pod" else {}))
    )
    path = tmp_path / "layout.json"
    path.write_text(dumps_layout(site), encoding="utf-8")
    return path


def test_a_lean_read_holds_the_same_layout_and_reports_the_same(layout_file, monkeypatch):
    monkeypatch.setattr(files, "CABLE_CHUNK", 7)  # several chunks even in a small file
    monkeypatch.setattr(files, "CABLE_TEXT", 500)  # and several pieces of text
    whole, lean = load_layout(layout_file), load_layout(layout_file, lean=True)
    assert isinstance(lean.cables, CableColumns) and not isinstance(whole.cables, CableColumns)
    assert list(lean.cables) == whole.cables and len(lean.cables) == len(whole.cables) > 0
    assert lean.model_dump(exclude={"cables"}) == whole.model_dump(exclude={"cables"})
    assert cable_column(lean.cables, "a") == [c.a for c in whole.cables]
    assert dumps_layout(lean) == dumps_layout(whole) == layout_file.read_text(encoding="utf-8")
    texts = []
    for site in (whole, lean):
        handle = io.StringIO()
        write_report_json(analyse(Document(site, check=False, index_cables=False)), handle)
        texts.append(handle.getvalue())
    assert texts[0] == texts[1]


def test_lean_cables_read_like_a_list_and_cannot_be_changed_in_place(layout_file):
    lean, whole = load_layout(layout_file, lean=True).cables, load_layout(layout_file).cables
    assert lean[-1] == whole[-1] and lean[0:2] == whole[0:2] and lean[::-1] == whole[::-1]
    with pytest.raises(IndexError):
        lean[len(whole)]
    first = lean[0]
    first.label = "changed"
    assert lean[0].label == whole[0].label != "changed"
    assert isinstance(first, Cable) and first.model_dump() == {**whole[0].model_dump(), "label": "changed"}


def _layout_text(cables: str, head: str = "") -> str:
    site = json.loads(dumps_layout(small_site()))
    site.pop("cables")
    text = json.dumps(site, indent=1)[: -len("\n}")]
    return head + text + ',\n "cables": ' + cables + "\n}\n"


_CABLE = '{"id": "c%d", "a": "srv1:nic%d", "b": "leaf1:p%d"}'
_GOOD = ", ".join(_CABLE % (i, i, i) for i in range(1, 6))


@pytest.mark.parametrize(
    "text",
    [
        _layout_text("[" + _GOOD + ', {"id": "c9", "a": "srv1:nic9", "b": "nowhere"}]'),  # a later chunk
        _layout_text("[" + _GOOD + ', {"id": "c9", "id": "c9", "a": "srv1:nic7", "b": "leaf1:p9"}]'),
        _layout_text("[" + _GOOD + ', {"id": "c9", "a": "srv1:nic7", "b": "leaf1:p9", "rate_gbps": NaN}]'),
        _layout_text("[" + _GOOD + ', {"id": "c1", "a": "srv1:nic7", "b": "leaf1:p9"}]'),  # an id twice
        _layout_text("[" + _GOOD + ", "),  # cut off
        _layout_text("[" + _GOOD + "]") + "x",  # more after the layout
        _layout_text("[" + _GOOD + '], "name": "twice"'),  # a key twice at the top
        _layout_text("[" + _GOOD + '], "colour": "red"'),  # an unknown field
        _layout_text("[" + _GOOD + "] ").replace('"schema_version": 1', '"schema_version": 0'),
        '{"cables": [' + _GOOD + '], "kind": "rack-designer-layout", "schema_version": 1}',  # cables first
    ],
)
def test_a_lean_read_refuses_what_a_whole_read_refuses_and_names_the_same_place(text, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "CABLE_CHUNK", 2)
    monkeypatch.setattr(files, "CABLE_TEXT", 60)
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    said = []
    for lean in (False, True):
        try:
            site = load_layout(path, lean=lean)
            said.append(("read", list(site.cables)))
        except (FileFormatError, LayoutError) as exc:
            said.append(("refused", str(exc)))
    assert said[0] == said[1]


@pytest.mark.parametrize("indent", [None, 1])
def test_cables_before_scenarios_or_on_one_line_are_read_lean(indent, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "CABLE_TEXT", 100)
    site = build_sample("scaleout-pod", accelerators=64)
    data = json.loads(dumps_layout(site))
    data["scenarios"] = [{"name": "copper", "medium_policy": "copper-aec"}, {"name": "optics", "objective": "power"}]
    path = tmp_path / "layout.json"
    path.write_text(json.dumps(data, indent=indent), encoding="utf-8")
    lean = load_layout(path, lean=True)
    assert isinstance(lean.cables, CableColumns) and list(lean.cables) == site.cables
    assert [s.name for s in lean.scenarios] == ["copper", "optics"]


@pytest.mark.parametrize(
    ("cable", "changed"),
    [
        ('"id": "c20",', '"id": "c20",\n   "label": "twice",'),  # a key twice: refused, as a whole read does
        ('"flexed": false\n  }', '"flexed": false,\n   "flexed": true\n  }'),
        ('"id": "c20",', '"id": "c20",\n   "pinned_product": null,'),
        ('"label": "",', '"label": "say \\"hi\\"",'),  # an escaped quote: read by the strict parser
        ('"label": "",', '"label": "{",'),
    ],
)
def test_pieces_read_without_the_key_check_are_the_strict_reads(cable, changed, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "CABLE_TEXT", 1_000)  # many pieces, each read by the plain parser first
    text = dumps_layout(build_sample("scaleout-pod", accelerators=64))
    at = text.index('"id": "c20"')
    path = tmp_path / "layout.json"
    path.write_text(text[:at] + text[at:].replace(cable, changed, 1), encoding="utf-8")
    said = []
    for lean in (False, True):
        try:
            said.append(("read", list(load_layout(path, lean=lean).cables)))
        except (FileFormatError, LayoutError) as exc:
            said.append(("refused", str(exc)))
    assert said[0] == said[1]
    assert said[0][0] == ("read" if "label" in cable else "refused")

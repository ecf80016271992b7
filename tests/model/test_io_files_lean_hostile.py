"""Damaged and hostile layout files read lean (the command line's read, model/io/files.py):
each is read or refused exactly as the whole-file read does, with the same message."""

from __future__ import annotations

import json

import pytest

from model.errors import FileFormatError, LayoutError
from model.io import files
from model.io.files import dumps_layout, load_layout
from model.topologies import build_sample

_BASE = dumps_layout(build_sample("scaleout-pod", accelerators=64))  # 128 cables, written as the tool writes
_AT = _BASE.index('"id": "c20"')  # a cable in the middle of the list
_CABLES = _BASE.index('"cables"')


def _in_cable(old: str, new: str) -> str:
    return _BASE[:_AT] + _BASE[_AT:].replace(old, new, 1)


_DAMAGED = {
    **{f"cut at {n}": _BASE[:n] for n in range(_CABLES - 5, len(_BASE), 997)},
    **{f"cut {n} from the end": _BASE[:-n] for n in (1, 2, 3, 7, 12, 40)},
    "crlf": _BASE.replace("\n", "\r\n"),
    "cr only": _BASE.replace("\n", "\r"),
    "one line": json.dumps(json.loads(_BASE)),
    "tabs": _BASE.replace("\n ", "\n\t"),
    "a form feed": _BASE.replace(",\n", ",\f\n", 400),
    "bom": "\ufeff" + _BASE,
    "two boms": "\ufeff\ufeff" + _BASE,
    "a key twice": _in_cable('"flexed": false', '"flexed": false, "label": "x"'),
    "a key twice, escaped": _in_cable('"flexed": false', '"flexed": false, "\\u006cabel": "x"'),
    "NaN": _in_cable('"rate_gbps": null', '"rate_gbps": NaN'),
    "-Infinity": _in_cable('"rate_gbps": null', '"rate_gbps": -Infinity'),
    "1e400": _in_cable('"rate_gbps": null', '"rate_gbps": 1e400'),
    "-0.0": _in_cable('"rate_gbps": null', '"rate_gbps": -0.0'),
    "a number as a string": _in_cable('"rate_gbps": null', '"rate_gbps": "400"'),
    "a bool as a string": _in_cable('"flexed": false', '"flexed": "false"'),
    "an escaped id": _in_cable('"id": "c20"', '"id": "\\u0063\\u0032\\u0030"'),
    "an escaped quote": _in_cable('"label": ""', '"label": "\\u0022 \\" "'),
    "a lone surrogate in a label": _in_cable('"label": ""', '"label": "\\ud800"'),
    "a lone surrogate in an id": _in_cable('"id": "c20"', '"id": "c\\udc00"'),
    "a lone surrogate in a key": _in_cable('"label": ""', '"lab\\ud800": ""'),
    "a control character": _in_cable('"label": ""', '"label": "a\\u0007b"'),
    "a non-ASCII reference": _in_cable('"a": "su', '"a": "\u017fu'),
    "deep nesting": _in_cable('"label": ""', '"label": ' + "[" * 5000 + "]" * 5000),
    "objects in a cable": _in_cable('"label": ""', '"label": [{"a": 1},\n{"b": 2}]'),
    "a break in a string": _in_cable('"label": ""', '"label": "},\\n{"'),
    "an unknown field": _in_cable('"flexed": false', '"flexed": false, "colour": "red"'),
    "a label too long": _in_cable('"label": ""', '"label": "' + "x" * 5000 + '"'),
    "a number too long": _in_cable('"rate_gbps": null', '"rate_gbps": 4' + "0" * 500),
    "cables not last": _BASE.replace('"scenarios": []', '"scenarios": [{"name": "x"},\n{"name": "y"}]'),
    "cables twice": _BASE.replace('"scenarios": []', '"scenarios": [], "cables": []'),
    "a missing comma": _in_cable("},\n  {", "}\n  {"),
    "a trailing comma": _BASE.replace('"flexed": false\n  }\n ]', '"flexed": false\n  },\n ]'),
    "a comment": _in_cable("},\n  {", "}, // x\n  {"),
    "more after the layout": _BASE + "x",
    "two layouts": _BASE + _BASE,
    "newer schema": _BASE.replace('"schema_version": 1', '"schema_version": 2', 1),
    "schema as a string": _BASE.replace('"schema_version": 1', '"schema_version": "1"', 1),
}


def _said(path, lean: bool) -> tuple[str, str]:
    try:
        return ("read", dumps_layout(load_layout(path, lean=lean)))
    except (FileFormatError, LayoutError) as exc:
        return ("refused", str(exc))


@pytest.mark.parametrize("damage", list(_DAMAGED))
def test_a_damaged_file_is_read_or_refused_as_the_whole_read_does(damage, tmp_path, monkeypatch):
    path = tmp_path / "layout.json"
    path.write_bytes(_DAMAGED[damage].encode("utf-8", "surrogatepass"))
    whole = _said(path, lean=False)
    for piece in (2_000_000, 1_000, 60):  # one piece, many, and a break in nearly every cable
        monkeypatch.setattr(files, "CABLE_TEXT", piece)
        assert _said(path, lean=True) == whole, piece


def test_a_cable_pydantic_refuses_is_not_read_again_cable_by_cable(tmp_path, monkeypatch):
    # The lean read gives up at the first piece holding it (the whole read words the refusal)
    # rather than reading all the rest of the list one cable at a time first.
    monkeypatch.setattr(files, "CABLE_TEXT", 1_000)
    path = tmp_path / "layout.json"
    path.write_text(_in_cable('"rate_gbps": null', '"rate_gbps": -1'), encoding="utf-8")
    validated = []
    adapter = files._CABLE_LIST

    class Counting:
        def validate_python(self, items):
            validated.append(len(items))
            return adapter.validate_python(items)

    monkeypatch.setattr(files, "_CABLE_LIST", Counting())
    with pytest.raises(LayoutError, match=r"cables\[19\]\.rate_gbps"):
        load_layout(path, lean=True)
    lean = sum(validated)
    validated.clear()
    with pytest.raises(LayoutError):
        load_layout(path)
    assert lean - sum(validated) < 20  # one piece's few cables, not the 108 after it

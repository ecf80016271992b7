"""Cables checked a column at a time (model.io.lean_cables) hold what pydantic's Cable holds, or are left to it."""

from __future__ import annotations

import json

import pytest
from pydantic import TypeAdapter, ValidationError

from model.io.files import dumps_layout
from model.io.lean_cables import checked_columns, string_count
from model.layout import Cable
from model.topologies import build_sample

_CABLES = TypeAdapter(list[Cable])
_GOOD = {
    "id": "c1",
    "label": "",
    "a": "srv1:nic1",
    "b": "leaf1:p1",
    "rate_gbps": None,
    "pinned_medium": None,
    "pinned_product": None,
    "flexed": False,
}


def _pydantic_columns(items):
    """The columns of pydantic's models of `items`, or None when it refuses them."""
    try:
        models = _CABLES.validate_python(items)
    except ValidationError:
        return None
    return {name: [model.__dict__[name] for model in models] for name in Cable.model_fields}


@pytest.mark.parametrize("sample", ["scaleout-pod", "trn2-ultra64", "gb200-nvl36x2"])
def test_a_samples_cables_are_checked_in_bulk_as_pydantic_reads_them(sample):
    site = build_sample(sample, **({"accelerators": 512} if sample == "scaleout-pod" else {}))
    items = json.loads(dumps_layout(site))["cables"]
    columns = checked_columns(items)
    assert columns is not None and len(columns["id"]) == len(items) > 0
    assert columns == _pydantic_columns(items)


@pytest.mark.parametrize(
    "change",
    [
        {"label": "rack 3\nshelf"},  # a line break is kept
        {"label": "bell\x07"},  # a control is cleaned away: pydantic's to do
        {"label": "x" * 201},
        {"id": "c 1"},
        {"id": "c" * 121},
        {"id": 7},
        {"a": "srv1"},
        {"a": ":nic1"},
        {"a": "srv1:"},
        {"a": "srv1::"},
        {"a": "s:r:v"},
        {"a": "srv1:nic\x1b"},
        {"a": "srv1:nïc1"},
        {"a": "srv1:" + "n" * 246},
        {"a": "srv1:" + "n" * 245},
        {"b": ["leaf1:p1", "leaf1:p2"]},
        {"b": ["leaf1:p1", "leaf1:p1"]},
        {"b": ["leaf1:p1"]},
        {"b": [f"leaf1:p{i}" for i in range(9)]},
        {"b": ["leaf1:p1", "leaf1"]},
        {"b": ["leaf1:p1", 3]},
        {"b": None},
        {"rate_gbps": 400.0},
        {"rate_gbps": 400},
        {"rate_gbps": 0.0},
        {"rate_gbps": 100_000.5},
        {"rate_gbps": "400"},
        {"pinned_medium": "AOC"},
        {"pinned_medium": "aoc"},
        {"pinned_medium": 1},
        {"pinned_product": "mfs1s00-h003v"},
        {"pinned_product": ""},
        {"pinned_product": "a\tb"},
        {"flexed": True},
        {"flexed": 1},
        {"flexed": "true"},
        {"extra": 1},
    ],
)
def test_a_changed_cable_is_read_as_pydantic_reads_it_or_left_to_it(change):
    items = [dict(_GOOD), {**_GOOD, "id": "c2", **change}]
    columns = checked_columns(items)
    assert columns is None or columns == _pydantic_columns(items)


@pytest.mark.parametrize(
    "change",
    [
        {"label": "rack 3\nshelf"},
        {"a": "s:r:v"},
        {"a": "srv1:" + "n" * 245},
        {"b": ["leaf1:p1", "leaf1:p2"]},
        {"rate_gbps": 400.0},
        {"pinned_medium": "AOC"},
        {"pinned_product": "mfs1s00-h003v"},
        {"flexed": True},
    ],
)
def test_a_plainly_valid_cable_is_read_in_bulk(change):
    items = [dict(_GOOD), {**_GOOD, "id": "c2", **change}]
    columns = checked_columns(items)
    assert columns is not None and columns == _pydantic_columns(items)


def test_a_cable_missing_a_field_is_left_to_pydantic():
    lacking = {name: value for name, value in _GOOD.items() if name != "label"}
    assert checked_columns([lacking]) is None and _pydantic_columns([lacking]) is not None
    assert checked_columns([]) is None and checked_columns([[1]]) is None


def test_string_count_is_half_the_quotes_of_the_cables_text():
    items = [
        dict(_GOOD),
        {**_GOOD, "id": "c2", "b": ["leaf1:p1", "leaf1:p2", "leaf1:p3"], "pinned_medium": "AOC"},
        {**_GOOD, "id": "c3", "pinned_product": "mfs1s00-h003v", "rate_gbps": 400.0, "flexed": True},
    ]
    columns = checked_columns(items)
    assert columns is not None
    # 8 keys, id, label and a a cable; ends b: 1, 3 legs, 1; a medium and a product pinned
    assert 2 * string_count(columns) == json.dumps(items, indent=1).count('"') == 2 * (3 * 11 + 1 + 3 + 1 + 2)

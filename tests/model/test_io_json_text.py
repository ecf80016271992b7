"""Strict JSON: every refusal names the line and column, and good files pay nothing for it."""

from __future__ import annotations

import json
import random

import pytest

from model.errors import FileFormatError
from model.io.json_text import MAX_DEPTH, check_depth, parse_json


def refused(text: str) -> FileFormatError:
    with pytest.raises(FileFormatError) as info:
        parse_json(text, "f.json")
    error = info.value
    assert error.located and str(error).startswith("f.json")
    assert "\n" not in str(error) and str(error).isprintable()
    return error


@pytest.mark.parametrize(
    "text, line, column, words",
    [
        ('{\n "a": 1,\n "b": {"c": 1, "c": 2}\n}', 3, 16, "the key 'c' appears twice in one object"),
        ('{"a": [1, NaN]}', 1, 11, "NaN is not a number a layout may hold"),
        ('{"a":\n  -Infinity}', 2, 3, "-Infinity is not a number"),
        ('{"a": Infinity}', 1, 7, "Infinity is not a number"),
        ('{"a": ' + "9" * 5000 + "}", 1, 7, "a number of 5,000 characters"),
        ('{"a": 1.' + "5" * 500 + "}", 1, 7, "a number of 502 characters"),
        ("[" * 100_000 + "]" * 100_000, 1, MAX_DEPTH + 1, f"nested deeper than {MAX_DEPTH} levels"),
        ('{"a": 1,\n "a\\u0000": 2, "a\\u0000": 3}', 2, 16, "the key 'a\\x00' appears twice"),
    ],
)
def test_refusals_name_line_and_column(text, line, column, words):
    error = refused(text)
    assert (error.line, error.column) == (line, column), str(error)
    assert f"line {line} column {column}: not valid JSON: " in str(error)
    assert words in str(error)


def test_syntax_errors_keep_their_place_and_truncation_is_called_so():
    error = refused('{"a": 1,\n "b": }')
    assert (error.line, error.column) == (2, 7) and "Expecting value" in str(error)
    assert "truncated" in str(refused('{"a": [1, 2'))
    assert "truncated" in str(refused('{"a": "abc'))


def test_an_empty_file_is_the_whole_file():
    error = refused("  \n ")
    assert error.whole_file and str(error) == "f.json is empty"


def test_a_huge_key_is_shown_short():
    key = "k" * 10_000
    error = refused(f'{{"{key}": 1, "{key}": 2}}')
    assert len(str(error)) < 200


def test_good_json_reads_as_the_standard_library_reads_it():
    text = json.dumps({"a": [1, 2.5, -3e-5, None, True, "\u00e9\ud83d\ude00"], "b": {"c": ""}})
    assert parse_json(text, "f.json") == json.loads(text)


def test_check_depth_names_the_field():
    data = {"racks": [{"devices": [[[[1]]]]}]}
    check_depth(data, "f.json", limit=6)
    with pytest.raises(FileFormatError, match=r"f\.json: racks\[0\]\.devices\[0\]\[0\]: nested deeper"):
        check_depth(data, "f.json", limit=4)


def test_a_small_file_of_many_lists_is_refused_before_it_becomes_gigabytes():
    error = refused("[" + "[]," * 4_000_001 + "[]]")
    assert error.whole_file and "4,000,003 '[' are more than a layout holds" in str(error)


def test_a_key_with_a_lone_surrogate_is_refused_by_line():
    error = refused('{\n "ok": 1,\n "name\\udfff\\ud800": 2}')
    assert (error.line, error.column) == (3, 2) and "holds a lone surrogate" in str(error)


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 2_000_000])
def test_characters_counted_in_pieces_are_counted_as_in_one(piece):
    # model.io.json_text counts brackets and commas a piece at a time, so that the app's window
    # runs meanwhile: the same counts, whatever the piece.
    from model.io.json_text import count_in_pieces

    rng = random.Random(piece)
    for _ in range(20):
        text = "".join(rng.choice('{[,]}" a\n') for _ in range(rng.randrange(0, 40)))
        for character in "{[,":
            assert count_in_pieces(text, character, piece) == text.count(character)


def test_too_many_commas_are_refused_naming_the_count(monkeypatch):
    from model.io import json_text

    monkeypatch.setitem(json_text.MAX_CHARACTER_COUNTS, ",", 3)
    with pytest.raises(FileFormatError, match="5 ',' are more than a layout holds"):
        json_text.parse_json("[1,2,3,4,5,6]", "f.json")


def test_brackets_and_commas_inside_strings_do_not_count_against_the_limits(monkeypatch):
    """A label may hold any character: a layout whose labels hold braces and commas was refused
    as one with too many objects. Outside the strings the limits hold as before."""
    from model.io import json_text

    monkeypatch.setitem(json_text.MAX_CHARACTER_COUNTS, "{", 3)
    monkeypatch.setitem(json_text.MAX_CHARACTER_COUNTS, ",", 3)
    labelled = json.dumps({"cables": [{"label": '{{{,,,"}}}\\'}, {"label": "{x}, {y}"}]})
    assert json_text.parse_json(labelled, "f.json")["cables"][1]["label"] == "{x}, {y}"
    with pytest.raises(FileFormatError, match="4 '{' are more than a layout holds"):
        json_text.parse_json('[{}, {}, {"a": "{{{{"}, {}]', "f.json")

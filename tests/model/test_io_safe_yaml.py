"""YAML from outside: a billion laughs, deep nesting and huge files are refused quickly, by place."""

from __future__ import annotations

import time

import pytest

from model.errors import CatalogError
from model.io.netbox import import_device_type
from model.io.safe_yaml import MAX_DEPTH, load_yaml_text, read_yaml_file

LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]" for prev, name in zip("abcdefgh", "bcdefghi")),
    ]
)


def test_a_billion_laughs_is_refused_in_under_a_second_without_its_value(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text("manufacturer: x\nmodel: y\nu_height: 1\n" + LAUGHS + "\n")
    assert len(path.read_bytes()) < 700
    start = time.perf_counter()
    with pytest.raises(CatalogError) as info:
        import_device_type(path)
    assert time.perf_counter() - start < 1.0
    message = str(info.value)
    assert message.startswith(f"{path}: line ") and "aliases expand to more than" in message
    assert "lol" not in message and len(message) < 300


def test_an_alias_inside_its_own_anchor_is_refused():
    with pytest.raises(CatalogError, match="line 1 column 11: refused: the alias \\*a refers to what holds it"):
        load_yaml_text("a: &a [1, *a]", "f.yaml")


def test_deep_nesting_is_refused_before_the_parser_recurses():
    with pytest.raises(CatalogError, match=f"nested deeper than {MAX_DEPTH} levels"):
        load_yaml_text("[" * 100_000 + "]" * 100_000, "f.yaml")


def test_a_large_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2_000_000)
    with pytest.raises(CatalogError, match="larger than 1 MB"):
        read_yaml_file(path, 1_000_000)


def test_syntax_errors_name_line_and_column():
    with pytest.raises(CatalogError, match="f.yaml: line 2 column 4: not valid YAML"):
        load_yaml_text("a: [1\n  b: c: d", "f.yaml")


def test_plain_yaml_with_a_few_aliases_reads():
    assert load_yaml_text("base: &b {x: 1}\nthis: *b\n", "f.yaml") == {"base": {"x": 1}, "this": {"x": 1}}


@pytest.mark.parametrize(
    "raw, says",
    [
        ("manufacturer: Acme\nmodel: X1\n".encode("utf-16"), "UTF-16 text, not UTF-8: save the file as UTF-8"),
        # Without a byte-order mark UTF-16 decodes as UTF-8 with NULs, and was a YAML error.
        ("manufacturer: Acme\nmodel: X1\n".encode("utf-16-le"), "UTF-16 text, not UTF-8: save the file as UTF-8"),
        ("model: Caf\u00e9\n".encode("latin-1"), "not UTF-8 text (byte 10 is 0xE9): save the file as UTF-8"),
        (b"\x89PNG\r\n\x1a\n\xff", "not a text file (byte 0 is not UTF-8)"),
    ],
)
def test_a_file_in_another_encoding_says_which_and_what_to_do(tmp_path, raw, says):
    path = tmp_path / "device.yaml"
    path.write_bytes(raw)
    with pytest.raises(CatalogError) as refused:
        read_yaml_file(path, 1_000_000)
    assert str(refused.value) == f"{path}: {says}"

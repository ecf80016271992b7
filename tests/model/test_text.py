"""Text in and out: names cleaned of what no file can hold, messages escaped for the terminal."""

from __future__ import annotations

import pytest

from model.text import brief, check_reference_text, clean_text, field_path, terminal_safe


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Rack A1 — ü 🙂", "Rack A1 — ü 🙂"),
        ("a\x00b\x07c\x1b[31md\x7fe\x85f\x9fg", "abc[31mdefg"),
        ("line one\r\nline two\ttab", "line one\r\nline two\ttab"),
        ("half \ud800 pair \udfff", "half \ufffd pair \ufffd"),
        ("x\ufffey\uffffz", "xyz"),
        # A name that reads 'Rack-A' on screen while it holds 'Rack-\u202eA-kcaR': overrides and
        # isolates go; right-to-left text and its marks stay.
        ("Rack-\u202eA\u202c \u2067x\u2069 \u202aa\u202bb\u202dc", "Rack-A x abc"),
        ("שרת \u200fא\u200e-1", "שרת \u200fא\u200e-1"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean
    clean_text(raw).encode("utf-8")


def test_references_with_controls_are_refused_by_code_point():
    assert check_reference_text("srv1:nic1") == "srv1:nic1"
    with pytest.raises(ValueError, match="U\\+001B"):
        check_reference_text("srv\x1b[2J")
    with pytest.raises(ValueError, match="U\\+D800"):
        check_reference_text("srv\ud800")


def test_terminal_safe_escapes_what_a_terminal_acts_on():
    assert terminal_safe("plain — ü 🙂 text") == "plain — ü 🙂 text"
    assert terminal_safe("a\x1b[2Jb\nc\rd\te\u202ef\ud800g\x85") == "a\\x1b[2Jb\\nc\\rd\\te\\u202ef\\ud800g\\x85"
    assert terminal_safe("\U000e0001").startswith("\\U")


def test_brief_is_short_and_safe():
    assert brief("x" * 500) == "'" + "x" * 58 + "…"
    assert brief(10**5000) == "a number of about 5,001 digits"
    assert brief("\x1b") == "'\\x1b'"


def test_field_path():
    assert field_path(("racks", 3, "devices", 2, "u_position")) == "racks[3].devices[2].u_position"
    assert field_path(("racks", 0, "\x1b[31m")) == "racks[0]['\\x1b[31m']"

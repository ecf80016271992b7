"""Strict JSON for layout files: every refusal says the line and column.

`parse_json` reads with the standard library's fast parser, refusing what a layout may
never hold: a key twice in one object, NaN or Infinity, a number of more than
MAX_NUMBER_DIGITS digits, nesting past what the C parser allows. Those hooks cannot say
where they fired, so on any refusal the text is read again by `_Located`, a small
recursive reader that keeps its position and gives the line and column (and refuses
nesting deeper than MAX_DEPTH). Good files pay nothing for it.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # in CPython's json.decoder, not in typeshed
from typing import Any

from model.errors import FileFormatError
from model.text import brief, field_path

MAX_DEPTH = 32  # a layout nests 6 deep (site > trays > [i] > points > [j] > [x, y])
MAX_NUMBER_DIGITS = 400  # a double holds at most 309 digits before the point; more is never a figure
# Counted on the text before parsing (at C speed), so a small file of '[],[],[],...' cannot
# become gigabytes of Python objects. A layout of 3,000,000 cables (model.layout.MAX_CABLES)
# holds about 3.3 million objects and 26 million commas (a breakout cable adds a list).
MAX_CHARACTER_COUNTS = {"{": 4_000_000, "[": 4_000_000, ",": 40_000_000}
COUNT_PIECE = 2_000_000  # characters counted a call (about a millisecond each): see count_in_pieces
_SURROGATE = re.compile("[\ud800-\udfff]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')  # a JSON string, its escapes included
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS = {"true": True, "false": False, "null": None}
_REFUSED_CONSTANTS = ("NaN", "Infinity", "-Infinity")


class _Refused(ValueError):
    """A hook of the fast parser refused something; `_Located` finds where."""


def parse_json(text: str, origin: str) -> Any:
    """The value of the JSON `text`; FileFormatError naming `origin`, the line and the column otherwise."""
    decoder = strict_decoder(text, origin)
    try:
        if text.startswith("\ufeff"):  # as json.loads refuses it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise _syntax_error(text, origin, exc) from None
    except (ValueError, RecursionError) as exc:
        _Located(text, origin).read()  # raises with the place
        raise FileFormatError(f"{origin}: not valid JSON: {exc}", whole_file=True) from None


def strict_decoder(text: str, origin: str) -> json.JSONDecoder:
    """The decoder parse_json reads `text` with (its `scan_once(text, index)` reads one value,
    as model.io.files does item by item): it refuses a key twice in one object, NaN and
    Infinity and over-long numbers by raising ValueError, which parse_json turns into a
    place. FileFormatError naming `origin` when `text` is empty or holds more brackets or
    commas than a layout can (MAX_CHARACTER_COUNTS), before anything is read."""
    if not text or text.isspace():  # as `not text.strip()`, without a copy of the text (42 MB at 200,000 cables)
        raise FileFormatError(f"{origin} is empty", whole_file=True)
    without_strings: str | None = None
    for character, limit in MAX_CHARACTER_COUNTS.items():
        count = count_in_pieces(text, character)
        if count > limit:
            # Past the limit, count again outside strings: a label may hold any character, and a
            # layout with braces in its labels was refused as one with too many objects. Only
            # here (a copy of the text without its strings, once): a good file never gets here.
            if without_strings is None:
                without_strings = _STRING.sub('""', text)
            count = count_in_pieces(without_strings, character)
        if count > limit:
            raise FileFormatError(
                f"{origin}: {count:,} '{character}' are more than a layout holds (at most {limit:,}): "
                "not read, it would take too much memory",
                whole_file=True,
            )
    # A key can hold a lone surrogate only through a backslash-u escape or a surrogate in the text
    # itself: for the other files (all of them, in practice) the hook skips a check per key.
    # ("\\" first: a one-character search is ~10 x faster over 40 MB, and most files hold no backslash.)
    may_hold_surrogates = ("\\" in text and "\\u" in text) or (
        not text.isascii() and _SURROGATE.search(text) is not None
    )
    return json.JSONDecoder(
        parse_constant=_refuse_constant,
        object_pairs_hook=_no_repeated_keys_nor_surrogates if may_hold_surrogates else _no_repeated_keys,
        parse_int=_int,
        parse_float=_float,
    )


def count_in_pieces(text: str, character: str, piece: int = COUNT_PIECE) -> int:
    """text.count(character), counted `piece` characters a call: one count over a 60 MB file
    held the interpreter lock 15-50 ms, and with it the window of the app reading on a worker."""
    return sum(text.count(character, start, start + piece) for start in range(0, len(text), piece))


def check_depth(data: Any, origin: str, limit: int = MAX_DEPTH) -> None:
    """Raises FileFormatError (naming the field) when `data` nests lists and objects deeper than `limit`."""
    stack: list[tuple[Any, int, tuple[Any, ...]]] = [(data, 0, ())]
    while stack:
        value, depth, path = stack.pop()
        if depth > limit:
            where = field_path(path) or "(top)"
            raise FileFormatError(
                f"{origin}: {where}: nested deeper than {limit} levels (a layout needs 6)", where=where
            )
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        stack.extend((item, depth + 1, (*path, key)) for key, item in items if isinstance(item, dict | list))


def _refuse_constant(name: str) -> float:
    raise _Refused(name)


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Refused("repeated key")
    return result


def _no_repeated_keys_nor_surrogates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = _no_repeated_keys(pairs)
    # A key with a lone surrogate cannot even be named in a field path: refused here, by line.
    if not all(key.isascii() or not _SURROGATE.search(key) for key in result):
        raise _Refused("surrogate in a key")
    return result


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _Refused("long number")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _Refused("long number")
    return float(text)


def _position(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - text.rfind("\n", 0, pos)


def _at(text: str, origin: str, pos: int, reason: str) -> FileFormatError:
    line, column = _position(text, pos)
    return FileFormatError(f"{origin}: line {line} column {column}: not valid JSON: {reason}", line=line, column=column)


def _syntax_error(text: str, origin: str, exc: json.JSONDecodeError) -> FileFormatError:
    rest = text[exc.pos :]
    # Cut off inside a string: the error points at the string's opening quote.
    cut_in_string = exc.msg.startswith("Unterminated string") and '"' not in rest[1:]
    if not rest.strip() or cut_in_string:
        reason = "the file ends too early (truncated?)"
    else:
        reason = exc.msg.removesuffix(" starting at")
    return _at(text, origin, exc.pos, reason)


class _Located:
    """Reads JSON keeping the position, to say where a refusal is. Slow; used only after one."""

    def __init__(self, text: str, origin: str) -> None:
        self.text = text
        self.origin = origin

    def read(self) -> Any:
        value, end = self._value(self._skip(0), 0)
        end = self._skip(end)
        if end != len(self.text):
            raise self._fail(end, "Extra data")
        return value

    def _fail(self, pos: int, reason: str) -> FileFormatError:
        return _at(self.text, self.origin, pos, reason)

    def _skip(self, pos: int) -> int:
        return _WHITESPACE.match(self.text, pos).end()  # type: ignore[union-attr]  # always matches

    def _value(self, pos: int, depth: int) -> tuple[Any, int]:
        text = self.text
        if pos >= len(text):
            raise self._fail(pos, "the file ends too early (truncated?)")
        char = text[pos]
        if char in "{[":
            if depth >= MAX_DEPTH:
                raise self._fail(pos, f"nested deeper than {MAX_DEPTH} levels (a layout needs 6)")
            return (self._object if char == "{" else self._array)(pos + 1, depth + 1)
        if char == '"':
            return self._string(pos)
        for word, constant in _CONSTANTS.items():
            if text.startswith(word, pos):
                return constant, pos + len(word)
        for word in _REFUSED_CONSTANTS:
            if text.startswith(word, pos):
                raise self._fail(pos, f"{word} is not a number a layout may hold")
        number = _NUMBER.match(text, pos)
        if number is None:
            raise self._fail(pos, "Expecting value")
        digits = number.end() - pos
        if digits > MAX_NUMBER_DIGITS:
            raise self._fail(
                pos, f"a number of {digits:,} characters (a layout's figures have at most {MAX_NUMBER_DIGITS})"
            )
        integer, fraction, exponent = number.groups()
        value = float(number.group()) if fraction or exponent else int(integer)
        return value, number.end()

    def _string(self, pos: int) -> tuple[str, int]:
        try:
            return scanstring(self.text, pos + 1, True)
        except json.JSONDecodeError as exc:
            raise _syntax_error(self.text, self.origin, exc) from None

    def _array(self, pos: int, depth: int) -> tuple[list[Any], int]:
        items: list[Any] = []
        pos = self._skip(pos)
        if self.text.startswith("]", pos):
            return items, pos + 1
        while True:
            value, pos = self._value(pos, depth)
            items.append(value)
            pos = self._skip(pos)
            if self.text.startswith("]", pos):
                return items, pos + 1
            if not self.text.startswith(",", pos):
                raise self._fail(pos, "Expecting ',' delimiter")
            pos = self._skip(pos + 1)

    def _object(self, pos: int, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        pos = self._skip(pos)
        if self.text.startswith("}", pos):
            return result, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise self._fail(pos, "Expecting property name enclosed in double quotes")
            key, end = self._string(pos)
            if key in result:
                raise self._fail(pos, f"the key {brief(key)} appears twice in one object")
            if _SURROGATE.search(key):
                raise self._fail(pos, f"the key {brief(key)} holds a lone surrogate (half of a UTF-16 pair)")
            end = self._skip(end)
            if not self.text.startswith(":", end):
                raise self._fail(end, "Expecting ':' delimiter")
            result[key], pos = self._value(self._skip(end + 1), depth)
            pos = self._skip(pos)
            if self.text.startswith("}", pos):
                return result, pos + 1
            if not self.text.startswith(",", pos):
                raise self._fail(pos, "Expecting ',' delimiter")
            pos = self._skip(pos + 1)

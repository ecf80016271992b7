"""Cables of a layout file checked a column at a time, for the command line's lean read.

`checked_columns` takes parsed cables (dicts, as the JSON parser gives them) and returns
their fields as columns when every cable is plainly what Cable's own validation would
accept unchanged: all fields given, ASCII references, figures within bounds. Anything
else (a field left to its default, an int for a float, a non-ASCII reference, any
problem at all) returns None, and the caller validates those cables with pydantic,
which converts what it may and words the refusal. The result is then the same: a test
compares it with pydantic's on good and bad cables alike.

Why: pydantic calls seven Python validators per cable (~5.5 µs a cable, 1.1 s of CPU at
200,000 cables); a few regular-expression searches over a column's joined text check the
same for a whole chunk (issue #13).
"""

from __future__ import annotations

import math
import re
from operator import itemgetter
from typing import Any

from model.catalog import Medium
from model.layout import MAX_LEGS, MAX_TEXT, Cable
from model.text import clean_text

_FIELDS = tuple(Cable.model_fields)
# layout._ID (at most 120 characters, layout.Identifier), one per line of the joined column.
_IDS = re.compile(r"(?:[A-Za-z0-9_.\-]{1,120}\n)*")
# A 'device:port' reference as layout._check_port_ref checks it (a device up to the first
# ':', a port after it, neither empty), of printable ASCII (check_reference_text's quick case), one a line.
_PORT_REFS = re.compile(r"(?:[ -9;-~]+:[ -~]+\n)*")
_REFERENCES = re.compile(r"(?:[ -~]+\n)*")  # a catalog reference: printable ASCII
_MAX_REFERENCE = 250  # layout.Reference's max_length
_MEDIA = {medium.value: medium for medium in Medium}


def checked_columns(items: list[Any]) -> dict[str, list[Any]] | None:
    """The fields of the parsed cables `items` as {field name: column} in Cable's field order,
    each value as Cable.model_validate would hold it; None when any cable is not plainly
    valid (then pydantic must read them). Raises nothing."""
    if not items or set(map(type, items)) != {dict}:  # types of a column compared in C, not item by item
        return None
    if set(map(len, items)) != {len(_FIELDS)}:
        return None  # a field left to its default, or one Cable does not have
    try:  # as many keys as Cable has fields, and each field among them: the same keys
        columns = {name: list(map(itemgetter(name), items)) for name in _FIELDS}
    except KeyError:
        return None
    if not (
        _ids(columns["id"])
        and _labels(columns["label"])
        and _port_refs(columns["a"], _ends_b(columns["b"]))
        and _rates(columns["rate_gbps"])
        and _products(columns["pinned_product"])
        and set(map(type, columns["flexed"])) == {bool}
    ):
        return None
    media = columns["pinned_medium"]
    if any(medium is not None for medium in media):
        if not all(medium is None or (type(medium) is str and medium in _MEDIA) for medium in media):
            return None
        columns["pinned_medium"] = [None if medium is None else _MEDIA[medium] for medium in media]
    return columns


def _all_str(column: list[Any]) -> bool:
    return not column or set(map(type, column)) == {str}


def _ids(ids: list[Any]) -> bool:
    return _all_str(ids) and _IDS.fullmatch("\n".join(ids) + "\n") is not None


def _labels(labels: list[Any]) -> bool:
    # Free text is cleaned, not refused: a label that cleaning would change goes to pydantic.
    return _all_str(labels) and all(len(label) <= MAX_TEXT and clean_text(label) is label for label in set(labels))


def _ends_b(ends: list[Any]) -> list[str] | None:
    """Every port of the cables' ends b (a breakout's legs in turn); None when an end is
    neither a reference nor a list of MAX_LEGS at most, without a port twice."""
    if _all_str(ends):
        return ends
    refs: list[str] = []
    for end in ends:
        if type(end) is str:
            refs.append(end)
        elif type(end) is list and 2 <= len(end) <= MAX_LEGS and _all_str(end) and len(set(end)) == len(end):
            refs.extend(end)
        else:
            return None
    return refs


def _port_refs(a: list[Any], b: list[str] | None) -> bool:
    if b is None or not _all_str(a):
        return False
    joined = "\n".join(a) + "\n" + "\n".join(b) + "\n"
    return (
        joined.isascii()
        and max(map(len, a)) <= _MAX_REFERENCE
        and max(map(len, b)) <= _MAX_REFERENCE
        and _PORT_REFS.fullmatch(joined) is not None
    )


def _rates(rates: list[Any]) -> bool:
    # Cable.rate_gbps: None, or a finite float in (0, 100,000] (an int is pydantic's to convert).
    return all(rate is None or (type(rate) is float and 0 < rate <= 100_000 and math.isfinite(rate)) for rate in rates)


def _products(products: list[Any]) -> bool:
    given = [product for product in products if product is not None]
    if not given:
        return True
    joined = "\n".join(given) + "\n" if _all_str(given) else ""
    return (
        bool(joined)
        and joined.isascii()
        and max(map(len, given)) <= _MAX_REFERENCE
        and _REFERENCES.fullmatch(joined) is not None
    )


def string_count(columns: dict[str, list[Any]]) -> int:
    """How many JSON strings the cables of `columns` (checked_columns') are written with,
    keys included: every field's name, id, label, end a, end b or each of its legs, and a
    pin's medium and product where given. A text of these cables holding exactly twice as
    many '"' (an escaped quote inside a string adds one) repeats no key in any of them: a
    key twice would be two more quotes than the parsed cables account for."""
    n = len(columns["id"])
    breakouts = [end for end in columns["b"] if type(end) is list]
    ends_b = n - len(breakouts) + sum(map(len, breakouts))
    pins = 2 * n - columns["pinned_medium"].count(None) - columns["pinned_product"].count(None)
    return n * (len(_FIELDS) + 3) + ends_b + pins

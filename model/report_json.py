"""The JSON report (`report --format json`): totals, racks, BOM, problems and every cable.

The text is what `json.dump(report, handle, indent=1, ensure_ascii=False)` writes for
`AnalysisResult.to_report_dict()`, byte for byte, except that a non-finite number is
written as null (JSON has no NaN). The standard library's encoder walks a structure
with indentation in pure Python, 25 s for 200,000 cables, so the cables are written
here from bulk columns instead: their figures formatted once per distinct value, their
strings by the standard library's own C escaping, a block of cables at a time so the
text of the whole report is never held in memory.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

import numpy as np

from model.reasons import reasons
from model.report_rows import CableRows, cable_rows

if TYPE_CHECKING:
    from model.metrics import AnalysisResult

CHUNK = 10_000  # cables written per block: bounds the memory the text takes
# The strings (ids, labels, ends, reason) stand between the template's own quotes: escaped
# only in a block where some text needs it, the rest as they are.
_CABLE = (
    '  {\n   "id": "%s",\n   "cable_id": "%s",\n   "label": "%s",\n   "a": "%s",\n   "b": "%s",\n   "medium": %s,\n'
    '   "product": %s,\n   "gauge_awg": %s,\n   "rate_gbps": %s,\n   "length_m": %s,\n'
    '   "ordered_length_m": %s,\n   "power_w": %s,\n   "cost_usd": %s,\n   "reason": "%s",\n'
    '   "problems": %s\n  }'
)
# The template's text between its fields; a block's cables are these pieces and their
# fields interleaved in one list, joined once (a tuple and a % per cable took 3 times as long).
_PIECES = _CABLE.split("%s")
_FIELDS = len(_PIECES) - 1
# What json.dump(ensure_ascii=False) escapes in a string: quote, backslash, control characters.
_ESCAPED = re.compile(r'[\x00-\x1f"\\]')


def write_report_json(result: AnalysisResult, handle: TextIO, raw: BinaryIO | None = None) -> None:
    """Writes the whole report of `result` as JSON text (indent 1, UTF-8 text unescaped) on
    `handle`, ending with a newline. Keys and order as `AnalysisResult.to_report_dict`;
    lengths in m, power in W, cost in USD; non-finite numbers as null.

    `raw`: the binary stream under `handle`, when `handle` writes UTF-8 and leaves line
    breaks as they are (the command line's standard output on POSIX). The cables are then
    written there as bytes: each block's text is built of characters that are its UTF-8
    bytes (U+0000-U+00FF, one byte each, _utf8_units), so joining it copies one byte a
    character and its encoding is a copy, where text with a '↔' or '≤' in it takes two or
    four bytes a character and is then encoded (~0.3 s at 199,992 cables)."""
    head = json.dumps(finite(result.to_report_dict(with_cables=False)), indent=1, ensure_ascii=False)
    handle.write(head[: -len("\n}")])
    handle.write(',\n "cables": ')
    n = len(result.cable_ids)
    if n == 0:
        handle.write("[]\n}\n")
        return
    handle.write("[\n")
    if raw is not None:
        handle.flush()  # what the text layer holds goes first
    # All at once: cables with the same figures share one worded reason (model.reasons),
    # escaped a block at a time (an escaped copy of every distinct reason was ~18 MB).
    why = reasons(result.state, np.arange(n))
    # Reasons hold no quote, backslash or control (model.reasons words them): checked once over
    # the distinct ones (~50,000 of 199,992), so that no block needs to escape its own.
    escape_why = any(map(_needs_escape, set(why)))
    problem_lists = ["[]"] * n  # most cables break no rule: only those in cable_problems are written
    for row, kinds in result.cable_problems().items():
        problem_lists[row] = "[\n    " + ",\n    ".join(encode_basestring(m) for _, m in kinds) + "\n   ]"
    if raw is not None:  # each distinct reason, and each list of problems, made UTF-8 units once
        distinct = list(set(why))
        units = dict(zip(distinct, _utf8_units(distinct)))
        why = [units[text] for text in why]
        del distinct, units
        for row in result.cable_problems():
            problem_lists[row] = _utf8_units([problem_lists[row]])[0]
    known: list[dict[float, str]] = [{} for _ in range(5)]  # figures' texts, kept from block to block
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        # The rows of a block at a time: all 300,000 cables' labels and ends were ~150 MB.
        rows = cable_rows(result, slice(start, stop))
        text = (",\n" if start else "") + _cable_blocks(
            rows, why, problem_lists, start, stop, escape_why, known, raw is not None
        )
        if raw is None:
            handle.write(text)
        else:
            raw.write(text.encode("latin-1"))
    if raw is None:
        handle.write("\n ]\n}\n")
    else:
        raw.write(b"\n ]\n}\n")
        raw.flush()


def cable_dicts(result: AnalysisResult) -> list[dict[str, Any]]:
    """Every cable of `result` as the report's dict (`CableReport.as_dict`), built in bulk."""
    rows = cable_rows(result)
    n = len(rows)
    found = result.cable_problems()
    length = _rounded(rows.length_m, 3)
    ordered = [None if v != v else v for v in rows.ordered_length_m.tolist()]
    power, cost = _rounded(rows.power_w, 3), _rounded(rows.cost_usd, 2)
    why = reasons(result.state, np.arange(n))
    return [
        {
            "id": rows.ids[i],
            "cable_id": rows.cable_id[i],
            "label": rows.label[i],
            "a": rows.a[i],
            "b": rows.b[i],
            "medium": rows.medium[i],
            "product": rows.product_id[i],
            "gauge_awg": rows.gauge_awg[i],
            "rate_gbps": float(rows.rate_gbps[i]),
            "length_m": length[i],
            "ordered_length_m": ordered[i],
            "power_w": power[i],
            "cost_usd": cost[i],
            "reason": why[i],
            "problems": [message for _, message in found.get(i, [])],
        }
        for i in range(n)
    ]


def finite(value: Any) -> Any:
    """`value` (JSON-ready dicts, lists, scalars) with every NaN or infinity replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def _rounded(values: np.ndarray, places: int) -> list[float | None]:
    """round(value, places) per value (Python's rounding), None where NaN; each distinct value once."""
    unique, inverse = np.unique(np.asarray(values, dtype=float), return_inverse=True)
    table = np.array([None if v != v else round(v, places) for v in unique.tolist()], dtype=object)
    return table[inverse.reshape(-1)].tolist()


def _float_texts(values: np.ndarray, places: int | None = None, known: dict[float, str] | None = None) -> list[str]:
    """JSON text of each value of a float column as json.dump writes it (after round(v,
    places) when `places` is given); null for NaN and infinities. Each distinct value is
    written once; `known` (value -> text, for these `places`) keeps them from one block of
    cables to the next (the 199,992 cables' blocks hold 102,000 distinct figures, 37,000 in all)."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return []
    unique, inverse = np.unique(values, return_inverse=True)
    known = {} if known is None else known
    texts = []
    for v in unique.tolist():
        text = known.get(v)
        if text is None:
            text = "null" if not math.isfinite(v) else float.__repr__(v if places is None else round(v, places))
            if (
                v and v == v
            ):  # 0.0 and -0.0 are one key, and NaN none: written afresh each block, as np.unique finds them
                known[v] = text
        texts.append(text)
    return np.array(texts, dtype=object)[inverse.reshape(-1)].tolist()


def _int_texts(values: list) -> list[str]:
    """JSON text of each int or None of a column of few distinct values (gauges)."""
    cache = {v: ("null" if v is None else int.__repr__(v)) for v in set(values)}
    return [cache[v] for v in values]


def _inner(values: Sequence[str]) -> list[str]:
    """Each str as json.dump writes it with ensure_ascii=False, less the quotes around it:
    `values` itself when none needs escaping (a few searches of their joined text)."""
    joined = "".join(values)
    # '"' and '\\' found by a byte search, control characters ruled out by isprintable (which
    # also says False for some other characters: then the exact search decides).
    if '"' not in joined and "\\" not in joined and (joined.isprintable() or _ESCAPED.search(joined) is None):
        return values if isinstance(values, list) else list(values)
    return [encode_basestring(v)[1:-1] for v in values]


def _utf8_units(values: list[str]) -> list[str]:
    """Each str of `values` as the latin-1 characters of its UTF-8 bytes ('↔' -> '\\xe2\\x86\\x94'):
    text whose .encode('latin-1') is its UTF-8 encoding. `values` itself when all are ASCII."""
    if all(map(str.isascii, values)):  # isascii reads a flag of the str: no scan
        return values
    joined = "\0".join(values)
    if joined.count("\0") != len(values) - 1:  # a NUL of their own: one by one
        return [value.encode("utf-8").decode("latin-1") for value in values]
    return joined.encode("utf-8").decode("latin-1").split("\0")


def _needs_escape(value: str) -> bool:
    """Whether json.dump(ensure_ascii=False) writes `value` other than as it is, between quotes."""
    return '"' in value or "\\" in value or (not value.isprintable() and _ESCAPED.search(value) is not None)


def _few_strings(values: list, quoted: bool = True) -> list[str]:
    """JSON text of each str or None (null) of a column of few distinct values (media,
    products, reasons), each escaped once; without its quotes when not `quoted`."""
    cut = slice(None) if quoted else slice(1, -1)
    cache = {v: ("null" if v is None else encode_basestring(v)[cut]) for v in set(values)}
    return [cache[v] for v in values]


def _cable_blocks(
    rows: CableRows,
    why: list[str],
    problem_lists: list[str],
    start: int,
    stop: int,
    escape_why: bool = True,
    known: list[dict[float, str]] | None = None,
    as_utf8_units: bool = False,
) -> str:
    """The JSON text of cables start..stop - 1, ',\\n' between them; `rows`: those cables'
    rows (cable_rows of that slice); `why`: every cable's reason, escaped for JSON unless
    `escape_why` is False (none needs it); `problem_lists`: each cable's problems as JSON
    text; `known`: the texts of figures written so far, one dict per float column (_float_texts);
    `as_utf8_units`: the text's characters are its UTF-8 bytes (_utf8_units), `why` and
    `problem_lists` already made so."""
    span = slice(start, stop)
    known = known or [{} for _ in range(5)]
    columns: tuple[list[str], ...] = (
        _inner(rows.ids),
        _inner(rows.cable_id),
        _inner(rows.label),
        _inner(rows.a),
        _inner(rows.b),
        _few_strings(rows.medium),
        _few_strings(rows.product_id),
        _int_texts(rows.gauge_awg),
        _float_texts(rows.rate_gbps, known=known[0]),
        _float_texts(rows.length_m, 3, known[1]),
        _float_texts(rows.ordered_length_m, known=known[2]),
        _float_texts(rows.power_w, 3, known[3]),
        _float_texts(rows.cost_usd, 2, known[4]),
        _few_strings(why[span], quoted=False) if escape_why else why[span],
        problem_lists[span],
    )
    if as_utf8_units:  # the figures' columns and the template are ASCII; reasons and problems made so already
        columns = (*map(_utf8_units, columns[:7]), *columns[7:])
    n, stride = stop - start, 2 * _FIELDS + 1
    text: list[str] = [""] * (n * stride)
    text[0::stride] = [",\n" + _PIECES[0]] * n
    text[0] = _PIECES[0]
    for k, column in enumerate(columns):
        text[2 * k + 1 :: stride] = column
        text[2 * k + 2 :: stride] = [_PIECES[k + 1]] * n
    return "".join(text)

"""Mutated layouts and what must become of them: shared by the property test and scripts/fuzz.py.

`mutate(text, rng)` turns a valid layout into a hostile one: truncated, bytes flipped,
wrong types, huge or non-finite numbers, deep nesting, odd characters, repeated keys,
lists past their limits. `check(path, workdir)` then runs the file through everything a
designer can do with it and says how it went:

- "refused": a clean refusal (FileFormatError or LayoutError) naming the file and a place
  (line and column, field path, or the file as a whole), one printable line on the CLI;
- "ok": it loaded, analysed, reported (text, JSON, CSV), exported (schedule, BOM, NetBox
  CSVs; with `drawings`, PDF, SVG and PNG), saved and reloaded equal.

Anything else is a failure: "refused_without_place", "unhandled" (any other exception),
"saved_unreadable", "reload_differs", "bad_export" (CSV not read back the same, an
unneutralised formula, SVG not well-formed, a report that is not strict JSON).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import traceback
from pathlib import Path
from typing import Any

FAILURES = ("refused_without_place", "unhandled", "saved_unreadable", "reload_differs", "bad_export")
KINDS = (
    "truncate",
    "flip_bytes",
    "wrong_type",
    "huge_number",
    "number_literal",
    "deep_nesting",
    "odd_characters",
    "duplicate_key",
    "delete_key",
    "repeat_item",
    "grow_list",
    "boundary_number",
)
_SENTINEL = "\u2063SENTINEL\u2063"
ODD_TEXT = [
    "\\u0000",
    "\\ud800",
    "\\udfff\\ud800",
    "\\u001b[2J\\u001b[31m",
    "\\u202e",
    "\\ufeff",
    "\\ufffe\\uffff",
    "\\r\\n",
    "\\t",
    "\\u0085",
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+1",
    "@SUM(1)",
    "<b>&amp;</b>]]>",
    "🙂",
    "e\\u0301",
    "x" * 5000,
]
NUMBER_LITERALS = [
    "1e400",
    "-1e400",
    "1e-400",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 5000,
    "9" * 400,
    "-" + "9" * 300,
    "1." + "5" * 600,
    "1e308",
    "-0.0",
    "2e-323",
    str(2**64 + 1),
    "0.1e1",
]
WRONG_VALUES: list[Any] = ["text", "", 1, -1, 0, 1.5, True, False, None, [], {}, [1, 2], {"a": 1}, [[0, 0]], "A1"]


# ---- mutations --------------------------------------------------------------------------
def mutate(text: str, rng: random.Random, kind: str | None = None) -> tuple[str, bytes]:
    """A hostile variant of the layout JSON `text`: (the kind of mutation, the file's bytes)."""
    kind = kind or rng.choice(KINDS)
    raw = text.encode("utf-8")
    if kind == "truncate":
        return kind, raw[: rng.randrange(len(raw))]
    if kind == "flip_bytes":
        data = bytearray(raw)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return kind, bytes(data)
    data = json.loads(text)
    path = _pick(data, rng, kind)
    parent, key = _parent(data, path)
    literal: str | None = None
    if kind == "wrong_type":
        _set(parent, key, rng.choice(WRONG_VALUES))
    elif kind in ("huge_number", "number_literal"):
        literal = rng.choice(NUMBER_LITERALS)
        _set(parent, key, _SENTINEL)
    elif kind == "boundary_number":
        value = _get(parent, key)
        scale = rng.choice([-1, 0, 1e-300, 1e6, 1e9, 1e15, 1e300])
        _set(parent, key, value * scale if isinstance(value, int | float) and not isinstance(value, bool) else scale)
    elif kind == "deep_nesting":
        depth = rng.choice([3, 20, 40, 900, 3000, 100_000])
        literal = "[" * depth + json.dumps(_get(parent, key)) + "]" * depth
        _set(parent, key, _SENTINEL)
    elif kind == "odd_characters":
        odd = rng.choice(ODD_TEXT)
        value = _get(parent, key)
        if isinstance(value, str) and rng.random() < 0.7:
            cut = rng.randint(0, len(value))
            literal = json.dumps(value[:cut])[:-1] + odd + json.dumps(value[cut:])[1:]
        elif isinstance(parent, dict) and rng.random() < 0.5:  # in a key
            parent[_SENTINEL] = parent.pop(key)
            return kind, json.dumps(data, indent=1, ensure_ascii=False).replace(
                json.dumps(_SENTINEL, ensure_ascii=False), f'"{key}{odd}"'
            ).encode("utf-8", "surrogatepass")
        else:
            literal = '"' + odd + '"'
        _set(parent, key, _SENTINEL)
    elif kind == "duplicate_key":
        obj = parent if isinstance(parent, dict) else _pick_dict(data, rng)
        if obj:
            other = rng.choice(list(obj))
            obj[_SENTINEL] = 0
            literal = json.dumps(other) + ": " + json.dumps(rng.choice(WRONG_VALUES + [obj[other]]))
            body = json.dumps(data, indent=1, ensure_ascii=False)
            return kind, body.replace(json.dumps(_SENTINEL, ensure_ascii=False) + ": 0", literal).encode()
    elif kind == "delete_key":
        if isinstance(parent, dict):
            del parent[key]
        elif parent:
            del parent[key]
    elif kind == "repeat_item":
        lists = [p for p in _paths(data) if isinstance(_at(data, p), list) and _at(data, p)]
        items = _at(data, rng.choice(lists)) if lists else []
        if items:
            items.insert(rng.randrange(len(items) + 1), json.loads(json.dumps(rng.choice(items))))
    elif kind == "grow_list":
        lists = [p for p in _paths(data) if isinstance(_at(data, p), list) and _at(data, p)]
        if lists:
            items = _at(data, rng.choice(lists))
            count = rng.choice([2, 10, 130, 1001, 5000])
            items.extend(json.loads(json.dumps(items[-1])) for _ in range(count))
            if items and isinstance(items[0], list) and len(items[0]) == 2:  # tray points: keep them distinct
                for i, point in enumerate(items):
                    if isinstance(point, list) and len(point) == 2 and all(isinstance(v, int | float) for v in point):
                        items[i] = [point[0] + i * rng.choice([0.5, 1000.0]), point[1] + (i % 2) * 7.0]
    body = json.dumps(data, indent=1, ensure_ascii=False)
    if literal is not None:
        body = body.replace(json.dumps(_SENTINEL, ensure_ascii=False), literal)
    return kind, body.encode("utf-8", "surrogatepass")


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into `data`; of a long list only the first three and last two items."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        n = len(data)
        for i in sorted(set(range(min(3, n))) | set(range(max(0, n - 2), n))):
            found += _paths(data[i], (*prefix, i))
    return found


def _pick(data: Any, rng: random.Random, kind: str) -> tuple:
    paths = [p for p in _paths(data) if p]
    if kind in ("huge_number", "boundary_number"):
        numbers = [p for p in paths if isinstance(_at(data, p), int | float) and not isinstance(_at(data, p), bool)]
        paths = numbers or paths
    elif kind == "odd_characters":
        strings = [p for p in paths if isinstance(_at(data, p), str)]
        paths = strings or paths
    return rng.choice(paths)


def _pick_dict(data: Any, rng: random.Random) -> dict | None:
    dicts = [_at(data, p) for p in _paths(data) if isinstance(_at(data, p), dict)]
    return rng.choice(dicts) if dicts else None


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _parent(data: Any, path: tuple) -> tuple[Any, Any]:
    return _at(data, path[:-1]), path[-1]


def _get(parent: Any, key: Any) -> Any:
    return parent[key]


def _set(parent: Any, key: Any, value: Any) -> None:
    parent[key] = value


# ---- outcomes -----------------------------------------------------------------------------
def check(path: Path, workdir: Path, drawings: bool = False) -> tuple[str, str]:
    """Runs the layout file `path` through everything; returns (outcome, detail). Never raises."""
    try:
        return _check(path, workdir, drawings)
    except Exception as exc:  # noqa: BLE001 - classifying every failure is the point
        return "unhandled", _trace(exc)


def _check(path: Path, workdir: Path, drawings: bool) -> tuple[str, str]:
    from model.analysis import analyse
    from model.cli import run_cli, text_report
    from model.document import Document
    from model.errors import FileFormatError, LayoutError
    from model.io import exports, netbox
    from model.io.files import dumps_layout, load_layout, save_layout
    from model.text import terminal_safe

    try:
        site = load_layout(path)
    except (FileFormatError, LayoutError) as exc:
        message = str(exc)
        located = exc.located if isinstance(exc, FileFormatError) else bool(exc.where)
        if not located or not message.startswith(str(path)) or "\n" in message:
            return "refused_without_place", message[:300]
        code, err = _cli(run_cli, ["validate", str(path)])
        if code != 2 or err.count("\n") != 1 or not err[:-1].isprintable():
            return "refused_without_place", f"CLI exit {code}: {err[:300]!r}"
        return "refused", message[:200]
    document = Document(site)
    result = analyse(document)
    for line in text_report(result).splitlines():
        if terminal_safe(line) != line:
            return "bad_export", f"text report line not escaped: {line[:100]!r}"
    try:
        json.dumps(result.to_report_dict(), allow_nan=False)
    except ValueError as exc:
        return "bad_export", f"JSON report: {exc}"
    writers = {
        "schedule": (lambda h: exports.write_cable_schedule(result, h), len(site.cables) + 1),
        "bom": (lambda h: exports.write_bom(result, h), None),
        "netbox-devices": (lambda h: netbox.write_devices_csv(document, h), None),
        "netbox-cables": (lambda h: netbox.write_cables_csv(result, h), len(site.cables) + 1),
    }
    for name, (write, rows) in writers.items():
        handle = io.StringIO(newline="")
        write(handle)
        problem = _csv_problem(handle.getvalue(), rows)
        if problem:
            return "bad_export", f"{name}: {problem}"
    code, err = _cli(run_cli, ["validate", str(path)])
    if code not in (0, 1) or not all(line.isprintable() for line in err.splitlines()):
        return "bad_export", f"validate exit {code}: {err[:200]!r}"
    if drawings:
        problem = _drawings(document, result, workdir)
        if problem:
            return "bad_export", problem
    saved = workdir / "saved.json"
    save_layout(site, saved)
    try:
        again = load_layout(saved)
    except (FileFormatError, LayoutError) as exc:
        return "saved_unreadable", str(exc)[:300]
    if again != site or dumps_layout(again) != saved.read_text(encoding="utf-8"):
        return "reload_differs", ""
    return "ok", ""


def _cli(run_cli, args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_cli(args)
    return code, err.getvalue()


def _csv_problem(text: str, rows: int | None) -> str:
    from model.io.csv_safe import FORMULA_START

    read = list(csv.reader(io.StringIO(text, newline="")))
    if rows is not None and len(read) != rows:
        return f"{len(read)} rows read back, {rows} written"
    for row in read:
        for cell in row:
            if cell.startswith(FORMULA_START):
                try:
                    float(cell)
                except ValueError:
                    return f"formula cell {cell[:40]!r}"
    return ""


def _drawings(document, result, workdir: Path) -> str:
    import xml.etree.ElementTree as ET

    from gui.elevation_export import export_elevations_png, export_elevations_svg
    from gui.printing import ReportOptions, write_report_pdf

    if not document.site.racks:
        return ""
    racks = [rack.id for rack in document.site.racks[:4]]
    write_report_pdf(result, workdir / "report.pdf", ReportOptions(max_rack_pages=1, labels=False))
    export_elevations_svg(document, result, racks, workdir / "racks.svg")
    export_elevations_png(document, result, racks, workdir / "racks.png", dpi=20)
    try:
        ET.parse(workdir / "racks.svg")
    except ET.ParseError as exc:
        return f"SVG not well-formed: {exc}"
    if not (workdir / "report.pdf").read_bytes().startswith(b"%PDF"):
        return "PDF does not start with %PDF"
    return ""


def _trace(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(exc).__name__}: {str(exc)[:200]} at {where}"

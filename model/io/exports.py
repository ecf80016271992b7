"""CSV exports of an analysis: the cable schedule (one row per cable) and the bill of materials.

Both write to any text handle (a file opened by `atomic_text_write`, or stdout for the
CLI), so a failed export never leaves half a file behind. Figures are rounded to what a
schedule needs (mm for lengths, mW for power, cents for cost); empty cells mean "no
product could be chosen" and the analysis' problems say why.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

import numpy as np

from model.io.csv_safe import FORMULA_START, ROW_END, safe_cell, safe_writer
from model.report_rows import CableRows, cable_rows, formatted, int_texts

CSV_CHUNK = 20_000  # rows joined before each write
_NEEDS_QUOTES = re.compile('["\x00-\x1f\x7f]')
_FORMULA_CELL = re.compile("\n[=+\\-@\t\r]")  # a cell after a line feed that starts as csv_safe.FORMULA_START

SCHEDULE_COLUMNS = [
    "cable_id",
    "label",
    "a_rack",
    "a_u",
    "a_device",
    "a_port",
    "b_rack",
    "b_u",
    "b_device",
    "b_port",
    "medium",
    "product",
    "gauge_awg",
    "length_m",
    "ordered_length_m",
    "power_w",
    "cost_usd",
    "trunk_m",  # a breakout's: end a to the split, on each leg's row (model.breakout)
    "leg_m",  # a breakout leg's own length from the split to its port
]
BOM_COLUMNS = ["product", "product_name", "medium", "ordered_length_m", "quantity", "unit_cost_usd", "total_usd"]


def write_cable_schedule(result: Any, handle: TextIO) -> None:
    """One row per cable of `result` (a model.analysis.AnalysisResult), in the result's row order.

    Built in bulk from the result's columns (model.report_rows). Racks and devices are named
    as people read them (their names, else their ids); cable_id is the cable's label, else
    its id in the file. A cable with no pathway has an empty length, as one with no
    orderable length has an empty ordered length. A breakout has a row per leg under its
    cable_id, each with the trunk's length (trunk_m) and its leg's own (leg_m); a straight
    cable leaves both empty.
    """
    writer = safe_writer(handle)
    writer.writerow(SCHEDULE_COLUMNS)
    n = len(result.cable_ids)
    # The rows of a block at a time: all 300,000 cables' labels and ends were ~150 MB.
    for start in range(0, n, CSV_CHUNK):
        _write_schedule_block(writer, handle, cable_rows(result, slice(start, min(start + CSV_CHUNK, n))))


def _write_schedule_block(writer: Any, handle: TextIO, rows: CableRows) -> None:
    u = int_texts(rows.end_u)
    columns = [
        rows.cable_id,
        rows.label,
        rows.end_rack_name[0::2],
        u[0::2],
        rows.end_device_name[0::2],
        rows.end_port[0::2],
        rows.end_rack_name[1::2],
        u[1::2],
        rows.end_device_name[1::2],
        rows.end_port[1::2],
        [m or "" for m in rows.medium],
        [p or "" for p in rows.product_id],
        ["" if g is None else str(g) for g in rows.gauge_awg],
        formatted(rows.length_m, lambda v: _number(v, 3)),
        formatted(rows.ordered_length_m, lambda v: _number(v, 3)),
        formatted(rows.power_w, lambda v: _number(v, 3)),
        formatted(rows.cost_usd, lambda v: _number(v, 2)),
        *_leg_columns(rows),
    ]
    write_columns(writer, handle, [neutralised(column) for column in columns])


def _leg_columns(rows: Any) -> list[list[str]]:
    """The schedule's trunk_m and leg_m columns (m, 3 places): empty but on a breakout's rows."""
    if np.isnan(rows.trunk_m).all():
        return [[""] * len(rows)] * 2  # no breakout: nothing to format
    return [formatted(rows.trunk_m, lambda v: _number(v, 3)), formatted(rows.leg_m, lambda v: _number(v, 3))]


def neutralised(column: list[str]) -> list[str]:
    """`safe_cell` of every cell of a column of text; only a cell that starts with a formula
    character can change. A column where none does (one search of its text joined by line
    feeds: each cell but the first starts after one) is returned as it is."""
    if not (column and column[0].startswith(FORMULA_START)) and not _FORMULA_CELL.search("\n".join(column)):
        return column
    return [safe_cell(cell) if cell.startswith(FORMULA_START) else cell for cell in column]


def write_columns(writer: Any, handle: TextIO, columns: list[list[str]]) -> None:
    """Writes rows given as columns of neutralised text (`neutralised`) on `handle`, after
    what `writer` (a model.io.csv_safe.SafeWriter on it) wrote. A row none of whose cells holds a
    comma, a quote or a control character is what the csv module would write, its cells
    joined by commas, so it is joined here (the csv module takes 4 µs a row); any other
    row goes through `writer`, which quotes it. A block of rows whose every column is
    plain is joined at once, cells and separators interleaved in one list."""
    commas = len(columns) - 1
    n = len(columns[0]) if columns else 0
    stride = 2 * len(columns)
    for start in range(0, n, CSV_CHUNK):
        block = [column[start : start + CSV_CHUNK] for column in columns]
        if all(map(_plain, block)):
            rows = len(block[0])
            text = [","] * (rows * stride)
            for k, cells in enumerate(block):
                text[2 * k :: stride] = cells
            text[stride - 1 :: stride] = [ROW_END] * rows
            handle.write("".join(text))
            continue
        plain: list[str] = []
        for row in zip(*block):
            line = ",".join(row)
            if line.count(",") == commas and not _NEEDS_QUOTES.search(line):
                plain.append(line)
                continue
            if plain:
                handle.write(ROW_END.join(plain) + ROW_END)
                plain = []
            writer.writerow(row)
        if plain:
            handle.write(ROW_END.join(plain) + ROW_END)


def _plain(cells: list[str]) -> bool:
    """Whether no cell holds a comma, a quote or a control character (the csv module would
    quote it): byte searches of their joined text, and isprintable before the exact search."""
    joined = "".join(cells)
    return "," not in joined and '"' not in joined and (joined.isprintable() or not _NEEDS_QUOTES.search(joined))


def write_bom(result: Any, handle: TextIO) -> None:
    """One row per product and ordered length, as the analysis' bill of materials lists them."""
    writer = safe_writer(handle)
    writer.writerow(BOM_COLUMNS)
    for line in result.bom:
        writer.writerow(
            [
                line.product_id,
                line.product_name,
                line.medium,
                _number(line.ordered_length_m, 3),
                line.quantity,
                _number(line.unit_cost_usd, 2),
                _number(line.total_usd, 2),
            ]
        )


def _number(value: float, places: int) -> str:
    # Fixed places, then trailing zeros dropped: '1.5', '0.2', '450' read well and parse back exactly.
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text

"""CSV cells: formula characters neutralised as OWASP recommends, line breaks read back intact."""

from __future__ import annotations

import csv
import io

import pytest

from model.io.csv_safe import safe_cell, safe_writer


@pytest.mark.parametrize(
    "value, written",
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-1.5", "-1.5"),
        ("-2e-3", "-2e-3"),
        ("Rack =A1", "Rack =A1"),
        ("", ""),
        (12, 12),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written


def test_rows_read_back_the_same_with_line_breaks_quoted():
    rows = [["label", "n"], ["a\rb", "1"], ["c\nd", "2"], ["e\r\nf", "3"], ['say "hi", ok', "4"]]
    handle = io.StringIO(newline="")
    writer = safe_writer(handle)
    for row in rows:
        writer.writerow(row)
    assert list(csv.reader(io.StringIO(handle.getvalue(), newline=""))) == rows
    assert handle.getvalue().endswith("\r\n")

"""CSV that a spreadsheet opens safely and the csv module reads back into the same rows.

Two hazards of writing designer-typed text into CSV:

- **Formula injection.** A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
  return is run as a formula by Excel, LibreOffice and Google Sheets. As OWASP recommends
  (https://owasp.org/www-community/attacks/CSV_Injection), such a cell is written with a
  single quote in front (`'=SUM(1+1)`), which spreadsheets show as text. Plain numbers
  (`-1.5`) are left alone: they are figures, never formulas.
- **Line breaks inside a cell.** Rows end with CRLF, as RFC 4180 says, so the csv module
  quotes every cell holding a carriage return or a line feed and a label with a line
  break reads back as one cell of one row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROW_END = "\r\n"  # RFC 4180
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def safe_cell(value: Any) -> Any:
    """`value` as it may go into a CSV cell: text beginning with a formula character gets a leading "'".

    Numbers and None pass unchanged, as does text that is a plain number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """A csv.writer over `handle` that neutralises formula cells and ends rows with CRLF."""

    def __init__(self, handle: TextIO) -> None:
        self._writer = csv.writer(handle, lineterminator=ROW_END)

    def writerow(self, row: Iterable[Any]) -> None:
        """Writes one row, each cell passed through `safe_cell`."""
        self._writer.writerow([safe_cell(cell) for cell in row])


def safe_writer(handle: TextIO) -> SafeWriter:
    """A `SafeWriter` on `handle` (a file opened with newline='' or a text stream such as stdout)."""
    return SafeWriter(handle)

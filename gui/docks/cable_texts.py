"""The cables table's text columns (ends, labels, search text) and their natural orders, kept
from edit to edit.

Writing every run's texts takes ~1.2 s at 300,000 cables and ordering a text column
naturally ~1.1 s; both were thrown away by every add or delete, so a table sorted by an end,
a label or the id, or filtered by text, held each edit of a 100,000-accelerator layout for
1.2-2.3 s (against ~45 ms unsorted). An edit that adds or removes a few cables and keeps the
others in their order (model.structure_edits does) now carries them over: model.rows.RowShift says
which rows went and came, the text lists drop and insert those rows, and each natural order
drops them and inserts the new ones by binary search among its keys.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

import numpy as np

from model.rows import RowShift

# An edit of more rows than this is worked out afresh: inserting one by one would cost more.
MAX_SHIFTED = 2_000
_DIGITS = re.compile(r"\d+")


def _counted(match: re.Match) -> str:
    # A run of digits led by its length sorts as a number among text: 'U5' < 'U12'.
    digits = match.group()
    return chr(0x30 + min(len(digits), 70)) + digits


def natural_keys(texts: Iterable[str]) -> list[str]:
    """Each of `texts` as a key whose plain order is the natural one (digits as numbers): one
    regex pass over them all. Takes any strings; returns a list as long."""
    texts = list(texts)
    if not texts:
        return []
    return _DIGITS.sub(_counted, "\n".join(t.replace("\n", " ") for t in texts)).split("\n")


def natural_order(texts: list[str]) -> np.ndarray:
    """Indices (int64) that sort `texts` with digits as numbers, ties in index order; ~1.3 s
    for 300,000 end texts, most of it their keys."""
    return _key_order(natural_keys(texts))


def _key_order(keys: list[str]) -> np.ndarray:
    # Python's sort (stable) on the keys themselves: numpy's argsort of them as a fixed-width
    # string array was 2-3x slower at 300,000 end texts and held a ~100 MB copy meanwhile.
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)


def row_shift(
    old_ids: list[str], old_index, new_ids: list[str], new_index, legs_old, legs_new, cables
) -> RowShift | None:
    """The RowShift from a result's rows (`old_ids`, `old_index`: id -> first row, `legs_old`:
    rows a cable from its first) to the next's, for an edit that added or removed `cables`
    (ids) and kept the rest in order; None when the rows do not line up that way (then every
    text is written afresh), or the edit moved more than MAX_SHIFTED rows."""
    gone: list[int] = []
    added: list[int] = []
    for cable_id in cables:
        at = old_index.get(cable_id)
        if at is not None:
            gone.extend(range(at, at + int(legs_old[at])))
        at = new_index.get(cable_id)
        if at is not None:
            added.extend(range(at, at + int(legs_new[at])))
    if len(gone) + len(added) > MAX_SHIFTED:
        return None
    gone_rows, added_rows = np.unique(np.array(gone, dtype=np.int64)), np.unique(np.array(added, dtype=np.int64))
    if len(gone_rows) != len(gone) or len(added_rows) != len(added):
        return None
    return RowShift.checked(old_ids, new_ids, gone_rows, added_rows)


class SortedText:
    """One text column in natural order: `order` (rows, int64) and the keys in that order, so
    that an edit's rows are dropped and put in by binary search, not the column sorted again."""

    def __init__(self, texts: list[str], keys: list[str] | None = None) -> None:
        """`keys`: natural_keys(texts) when the caller has them made more cheaply."""
        keys = natural_keys(texts) if keys is None else keys
        self.order = _key_order(keys)
        self.keys = [keys[i] for i in self.order.tolist()]

    def shift(self, shift: RowShift, added: list[str]) -> None:
        """Brings this order to the rows after `shift`, `added` being the texts of its added
        rows: the gone rows' keys deleted and the added put in, in place (as RowShift.texts)."""
        mapped = shift.kept()[self.order]
        gone = np.flatnonzero(mapped < 0)
        for at in reversed(gone.tolist()):
            del self.keys[at]
        self.order = np.delete(mapped, gone)
        for row, key in zip(shift.added.tolist(), natural_keys(added)):
            self._put(row, key)

    def retext(self, row: int, text: str) -> None:
        """Row `row` now reads `text`: moved to its place."""
        at = int(np.flatnonzero(self.order == row)[0])
        del self.keys[at]
        self.order = np.delete(self.order, at)
        self._put(row, natural_keys([text])[0])

    def _put(self, row: int, key: str) -> None:
        # Equal keys stay in row order (the stable sort's order): among them, before the first later row.
        low = bisect_left(self.keys, key)
        high = bisect_right(self.keys, key, low)
        at = low + int(np.searchsorted(self.order[low:high], row))
        self.keys.insert(at, key)
        self.order = np.insert(self.order, at, row)

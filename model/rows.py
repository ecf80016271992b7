"""Columns that an edit changes by a few rows, without copying the rest.

An analysis snapshot never changes once published (model.analysis), so an edit that
removes a device's 8 cables from 300,000 makes new columns. For numpy columns that is a
memcpy (~0.15 ms each); for a list of Python objects (cable ids, ends, labels) a copy was
1-2 ms each, and rebuilding the id → row dict of 300,000 cables 30-46 ms. Here:

- `Pieces`: a list kept as pieces of at most PIECE items. An edit makes a new Pieces that
  shares every piece it does not touch; writing an item (copy on write) copies only its
  piece. Reads are a list's: len, index, slices (a list), iteration, equality.
- `RowIndex`: id → row, for ids that edits remove and put in. Each id gets a key once, for
  good, in a dict shared by every index derived from the first; each index holds the row
  of every key as one numpy column, so an edit shifts rows with a few vectorised compares
  (~1 ms at 300,000) instead of rebuilding the dict.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, MutableSequence, Sequence
from typing import Any, TypeVar, overload

import numpy as np

from model.bulk import rows_of

T = TypeVar("T")

PIECE = 2048  # items a piece holds when made; edits let it grow to 2 × PIECE, then split it
FEW = 8  # up to this many stretches or places: a compare each; more: one searchsorted


class Pieces(MutableSequence[T]):
    """A list of `items` kept in pieces: the same reads as a list, cheap edited copies.

    `without(runs)` and `inserted(at, new)` return new Pieces sharing the untouched pieces;
    `copy()` shares them all. Writing an item (`p[i] = x`, `del`, `insert`) copies its piece
    first unless this Pieces made it, so no other Pieces ever sees the change. Slices give
    plain lists. Raises IndexError as a list does.
    """

    __slots__ = ("_pieces", "_starts", "_owned")

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._fill(items if isinstance(items, list) else list(items))

    def _fill(self, values: list[T]) -> None:
        """Holds `values` as new pieces of PIECE items, all its own."""
        self._pieces = [values[i : i + PIECE] for i in range(0, len(values), PIECE)]
        self._starts = [0, *itertools.accumulate(len(p) for p in self._pieces)]
        self._owned = set(range(len(self._pieces)))

    @classmethod
    def _of(cls, pieces: list[list[T]], fresh: set[int]) -> Pieces[T]:
        """A Pieces of `pieces` (none empty) that owns the pieces at `fresh` (made for it)."""
        out = cls.__new__(cls)
        out._pieces = pieces
        out._starts = [0, *itertools.accumulate(len(p) for p in pieces)]
        out._owned = fresh
        return out

    # ---- reads ----------------------------------------------------------------------
    def __len__(self) -> int:
        return self._starts[-1]

    def _locate(self, index: int) -> tuple[int, int]:
        """(piece, offset in it) of item `index` (negative counts from the end). Raises IndexError."""
        n = self._starts[-1]
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("Pieces index out of range")
        k = bisect_right(self._starts, index) - 1
        return k, index - self._starts[k]

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return list(self)[index]
            if start >= stop:
                return []
            k = bisect_right(self._starts, start) - 1
            out: list[T] = []
            while k < len(self._pieces) and self._starts[k] < stop:
                base = self._starts[k]
                out.extend(self._pieces[k][max(start - base, 0) : stop - base])
                k += 1
            return out
        k, at = self._locate(index)
        return self._pieces[k][at]

    def __iter__(self) -> Iterator[T]:
        return itertools.chain.from_iterable(self._pieces)

    def take(self, rows: Sequence[int]) -> list[T]:
        """The items at `rows` (ints, any order, each within range), as a list: each piece found
        by one vectorised search, not by a bisect per item (~2 ms for a dragged rack's 1,392
        cables read item by item, twice a step). Raises IndexError for a row out of range."""
        at = np.asarray(rows, dtype=np.int64)
        if len(at) and (at.min() < 0 or at.max() >= len(self)):
            raise IndexError("Pieces index out of range")
        starts = np.asarray(self._starts, dtype=np.int64)
        piece = np.searchsorted(starts, at, side="right") - 1
        pieces = self._pieces
        return [pieces[k][i] for k, i in zip(piece.tolist(), (at - starts[piece]).tolist())]

    def __contains__(self, value: object) -> bool:
        # Each piece searched by the list's own (C) loop: Sequence's walks items one by one in Python.
        return any(value in piece for piece in self._pieces)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Pieces):
            if len(self) != len(other):
                return False
            if self._starts == other._starts:  # the same cuts: shared pieces compare by identity first
                return all(a is b or a == b for a, b in zip(self._pieces, other._pieces))
            return list(self) == list(other)
        if isinstance(other, list):
            return len(self) == len(other) and list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"Pieces({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Pieces, (list(self),))

    # ---- edited copies ----------------------------------------------------------------
    def copy(self) -> Pieces[T]:
        """A Pieces of the same items sharing every piece (neither owns them from now on)."""
        self._owned = set()
        return Pieces._of(list(self._pieces), set())

    def without(self, runs: Sequence[tuple[int, int]]) -> Pieces[T]:
        """A new Pieces without the items of `runs`: ascending, non-overlapping (start, stop)."""
        self._owned = set()  # the new one shares the untouched pieces: a write here copies first
        pieces = list(self._pieces)
        fresh: set[int] = set()
        starts = self._starts
        for a, b in reversed(runs):  # from the end: earlier pieces keep their places
            first, last = bisect_right(starts, a) - 1, bisect_right(starts, b - 1) - 1
            merged = [x for k in range(first, last + 1) for x in pieces[k]] if last > first else list(pieces[first])
            base = starts[first]
            del merged[a - base : b - base]
            pieces[first : last + 1] = [merged] if merged else []
            fresh = {
                k if k < first else k - (last - first + (0 if merged else 1)) for k in fresh if k < first or k > last
            }
            if merged:
                fresh.add(first)
        pieces, fresh = _split_long(pieces, fresh)
        return Pieces._of(pieces, fresh)

    def inserted(self, at: Sequence[int] | np.ndarray, new: Sequence[T]) -> Pieces[T]:
        """A new Pieces with new[k] put before item at[k] (`at` ascending, places may repeat;
        len(self) puts it at the end)."""
        self._owned = set()  # the new one shares the untouched pieces: a write here copies first
        if not len(new):
            return Pieces._of(list(self._pieces), set())
        pieces = list(self._pieces)
        places = [int(p) for p in at]
        fresh: set[int] = set()
        if not pieces:
            return Pieces(list(new))
        k = len(places)
        while k:  # later places first, each place's items as one slice
            j = k - 1
            while j and places[j - 1] == places[k - 1]:
                j -= 1
            place = places[j]
            n = self._starts[-1]
            piece = len(pieces) - 1 if place >= n else bisect_right(self._starts, place) - 1
            base = self._starts[piece]
            if piece not in fresh:
                pieces[piece] = list(pieces[piece])
                fresh.add(piece)
            pieces[piece][place - base : place - base] = list(new[j:k])
            k = j
        pieces, fresh = _split_long(pieces, fresh)
        return Pieces._of(pieces, fresh)

    # ---- writes (copy on write) -------------------------------------------------------
    def _own(self, k: int) -> list[T]:
        if k not in self._owned:
            self._pieces[k] = list(self._pieces[k])
            self._owned.add(k)
        return self._pieces[k]

    @overload
    def __setitem__(self, index: int, value: T) -> None: ...

    @overload
    def __setitem__(self, index: slice, value: Iterable[T]) -> None: ...

    def __setitem__(self, index: int | slice, value: Any) -> None:
        if isinstance(index, slice):
            items = list(self)
            items[index] = value
            self._fill(items)
            return
        k, at = self._locate(index)
        self._own(k)[at] = value

    @overload
    def __delitem__(self, index: int) -> None: ...

    @overload
    def __delitem__(self, index: slice) -> None: ...

    def __delitem__(self, index: int | slice) -> None:
        if isinstance(index, slice):
            items = list(self)
            del items[index]
            self._fill(items)
            return
        k, at = self._locate(index)
        row = self._starts[k] + at
        edited = self.without([(row, row + 1)])
        self._pieces, self._starts, self._owned = edited._pieces, edited._starts, edited._owned

    def insert(self, index: int, value: T) -> None:
        n = len(self)
        index = max(0, min(n, index + n if index < 0 else index))
        edited = self.inserted([index], [value])
        self._pieces, self._starts, self._owned = edited._pieces, edited._starts, edited._owned


def _split_long(pieces: list[list[T]], fresh: set[int]) -> tuple[list[list[T]], set[int]]:
    """`pieces` with any piece over 2 × PIECE items cut into PIECE-sized ones (each fresh)."""
    if all(len(p) <= 2 * PIECE for p in pieces):
        return pieces, fresh
    out: list[list[T]] = []
    owned: set[int] = set()
    for k, piece in enumerate(pieces):
        if len(piece) <= 2 * PIECE:
            if k in fresh:
                owned.add(len(out))
            out.append(piece)
            continue
        for i in range(0, len(piece), PIECE):
            owned.add(len(out))
            out.append(piece[i : i + PIECE])
    return out, owned


def edited_list(
    values: Sequence[T], runs: Sequence[tuple[int, int]], at: Sequence[int] | np.ndarray, new: Sequence[T]
) -> Pieces[T]:
    """`values` (a list or Pieces) without the items of `runs` (ascending stretches of its rows),
    then with new[k] put before kept item at[k]: a Pieces sharing what the edit left alone."""
    pieces = values if isinstance(values, Pieces) else Pieces(values)
    if runs:
        pieces = pieces.without(runs)
    if len(new):
        pieces = pieces.inserted(at, new)
    return pieces if pieces is not values else pieces.copy()


def take(items: Sequence[T], rows: Sequence[int]) -> list[T]:
    """The items of `items` (a list or Pieces) at `rows` (ints), as a list; Pieces.take for
    Pieces. Raises IndexError for a row out of range."""
    if isinstance(items, Pieces):
        return items.take(rows)
    return [items[i] for i in rows]


class RowIndex(Mapping[str, int]):
    """Id → row among the rows of `ids` (a column of cable or device ids): `first`, when
    given, are the rows to index (a breakout's first leg; its other legs repeat its id).

    Built on the first lookup (a command-line report looks none up: at 300,000 cables the
    dict was ~20 MB of its peak). `edited` derives the index after an edit in ~1 ms. Never
    changes once made, like the snapshot holding it. Iterates ids in row order.
    """

    __slots__ = ("_ids", "_first", "_keys", "_rows", "_count", "_key_count", "_identity")

    def __init__(self, ids: Sequence[str], first: np.ndarray | None = None) -> None:
        self._ids, self._first = ids, first
        self._keys: dict[str, int] | None = None  # id -> key, for good; shared with derived indexes
        self._rows: np.ndarray | None = None  # int64 row of each key in this index; -1: not here
        self._count = len(ids) if first is None else len(first)
        self._key_count = 0  # keys this index knows (len(_rows)): later keys are not here
        self._identity = False  # every key is its own row (a first index with no `first`)

    @classmethod
    def of_dict(cls, ids: Sequence[str], table: dict[str, int]) -> RowIndex:
        """The index of `ids` when `table` already maps each of them to its row (built while
        compiling): adopted, not copied."""
        out = cls(ids)
        out._keys, out._rows = table, np.arange(len(ids), dtype=np.int64)
        out._key_count, out._identity = len(ids), True
        return out

    def build(self) -> None:
        """Builds now what the first lookup would (the app does it on its worker thread while
        a file opens: ~30 ms at 300,000 cables, else paid by the first edit)."""
        self._ready()

    def plain(self) -> dict[str, int] | None:
        """The id -> row dict itself while this index is one (a first index of rows 0..n-1
        that no edit has derived from yet), for a loop of many lookups; else None."""
        keys, _ = self._ready()
        # Only a first index's keys are its rows; an edited index shares its keys with it, and
        # once an edit has added a key the dict holds ids this index does not.
        return keys if self._identity and len(keys) == self._key_count else None

    def _ready(self) -> tuple[dict[str, int], np.ndarray]:
        if self._keys is None or self._rows is None:
            ids = self._ids
            if self._first is None:
                self._rows = np.arange(len(ids), dtype=np.int64)
                self._identity = True
                self._keys = rows_of(ids)
            else:
                self._rows = np.asarray(self._first, dtype=np.int64)
                self._keys = rows_of(take(ids, self._first.tolist()))
            self._key_count = len(self._rows)
        return self._keys, self._rows

    def get(self, key: str, default: Any = None) -> Any:
        """The row of `key`, or `default` when it has none here."""
        keys = self._keys if self._keys is not None else self._ready()[0]
        k = keys.get(key)
        if k is None or k >= self._key_count:
            return default
        if self._identity:  # a first index of rows 0..n-1: the key is the row
            return k
        row = int(self._rows[k])  # type: ignore[index]
        return default if row < 0 else row

    def rows_of(self, ids: Iterable[str]) -> np.ndarray:
        """The rows of `ids` (int64, in their order), -1 for one not here: one gather for the
        1,400 cables of a rack a drag step moves (a lookup each was ~2 µs)."""
        keys, rows = self._ready()
        k = np.fromiter(map(keys.get, ids, itertools.repeat(len(rows))), dtype=np.int64)
        k[k > len(rows)] = len(rows)  # a key made after this index: not here
        return np.append(rows, -1)[k]

    def __getitem__(self, key: str) -> int:
        row = self.get(key)
        if row is None:
            raise KeyError(key)
        return row

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        if self._first is None:
            return iter(self._ids)
        ids = self._ids
        return (ids[r] for r in self._first.tolist())

    def __len__(self) -> int:
        return self._count

    def edited(
        self,
        ids: Sequence[str],
        removed: Sequence[str],
        runs: Sequence[tuple[int, int]],
        at: np.ndarray,
        inserted: Mapping[str, int],
        first: np.ndarray | None = None,
    ) -> RowIndex:
        """The index after an edit of the rows: rows of `runs` (ascending old-row stretches,
        the ids `removed` among them) taken out, then one row put in before each kept row
        `at` (ascending; the ids `inserted` at their new rows). `ids` and `first` are the new
        column and its indexed rows, as the constructor takes them."""
        keys, rows = self._ready()
        rows = rows.copy()
        named: list[int] = []  # the rows of the ids `removed`
        for cable_id in removed:
            k = keys.get(cable_id)
            if k is not None and k < len(rows) and rows[k] >= 0:
                named.append(int(rows[k]))
                rows[k] = -1
        # Rows not here (-1) stay -1 below: no stretch or place starts below 0. A row taken out
        # whose id was not named (a breakout's later legs) is marked by a mask of every row,
        # needed only then: an undo takes no row out, and a delete names every row it takes.
        # Each pass over 300,000 rows is ~0.2-0.4 ms (they were ~3.5 ms of an edit's index).
        present = None
        if runs:
            starts = np.array([a for a, _ in runs], dtype=np.int64)
            stops = np.array([b for _, b in runs], dtype=np.int64)
            named_rows = np.array(named, dtype=np.int64)
            inside = np.searchsorted(starts, named_rows, side="right") - 1
            all_named = len(set(named)) == int((stops - starts).sum()) and bool(
                np.all((inside >= 0) & (named_rows < stops[np.maximum(inside, 0)]))
            )
            if len(runs) <= FEW:
                if not all_named:
                    present = rows >= 0
                    for a, b in runs:
                        present &= (rows < a) | (rows >= b)
                kept = rows if len(runs) == 1 else rows.copy()  # one stretch: nothing shifted before its compare
                for a, b in runs:
                    np.subtract(rows, b - a, out=rows, where=kept >= b)
            else:
                if not all_named:
                    inside = np.searchsorted(starts, rows, side="right") - 1
                    present = (rows >= 0) & ((inside < 0) | (rows >= stops[np.maximum(inside, 0)]))
                widths = np.cumsum(stops - starts)
                before = np.searchsorted(stops, rows, side="right")
                rows -= np.where(before > 0, widths[np.maximum(before - 1, 0)], 0)
        if len(at):
            places = np.asarray(at, dtype=np.int64)
            # The rows a server's cables go back to often share one place (put back where they
            # were taken from): a compare and an add per distinct place, not per row put in.
            distinct, counts = np.unique(places, return_counts=True)
            if len(distinct) <= FEW:
                kept = rows if len(distinct) == 1 else rows.copy()  # as for the stretches above
                for place, count in zip(distinct.tolist(), counts.tolist()):
                    np.add(rows, count, out=rows, where=kept >= place)
            else:
                rows += np.searchsorted(places, rows, side="right")
        if present is not None:
            rows[~present] = -1
        new_keys = [key for key in inserted if key not in keys]
        for key in new_keys:
            keys[key] = len(keys)  # shared: older indexes see a key past their rows, so not theirs
        if len(keys) > len(rows):
            rows = np.concatenate([rows, np.full(len(keys) - len(rows), -1, dtype=np.int64)])
        for key, row in inserted.items():
            rows[keys[key]] = row
        out = RowIndex(ids, first)
        out._rows, out._key_count = rows, len(rows)
        out._keys = keys  # last: a reader on another thread finds _rows set once _keys is
        return out


# Rows compared to check that an edit kept the other rows' order: any shift shows in a few (257
# took ~1 ms an edit at 100k accelerators, a cable id through model.rows' pieces ~2 us).
ORDER_PROBES = 65


def kept_rows(k: np.ndarray, removed: np.ndarray) -> np.ndarray:
    """The rows of the `k`-th (int array) rows that are not in `removed` (sorted rows): O(k log
    removed), where np.delete over 300,000 row numbers and a gather through them took ~1.5 ms.
    Returns an int64 array as long as `k`; raises nothing."""
    return k + np.searchsorted(removed - np.arange(len(removed)), k, side="right")


FEW_ROWS = 64  # rows a RowShift moves one by one; more are copied in one pass (RowShift.texts)


def list_without(items: list[T], places: Sequence[int]) -> list[T]:
    """A new list of `items` without those at `places` (ascending, distinct, each in range),
    copied once by the stretches between them: `del` at each of a rack's 1,392 places in a
    list of 300,000 moved the rest of the list each time. Raises nothing."""
    out: list[T] = []
    for start, stop in zip([0, *(place + 1 for place in places)], [*places, len(items)]):
        out.extend(items[start:stop])
    return out


def list_with(items: list[T], placed: Iterable[tuple[int, T]]) -> tuple[list[T], list[tuple[int, T]]]:
    """A new list of `items` with each new item of `placed` ((index, item), indexes strictly
    ascending) where list.insert at that index would put it, one after another (an index past
    the end: at the end), copied once around them. Returns the list and each new item's (final
    index, item). Raises nothing."""
    out: list[T] = []
    final: list[tuple[int, T]] = []
    taken = 0  # items of the old list copied so far
    for index, item in placed:
        before = min(max(index - len(out), 0), len(items) - taken)  # old items that come before it
        out.extend(items[taken : taken + before])
        taken += before
        final.append((len(out), item))
        out.append(item)
    out.extend(items[taken:])
    return out, final


class RowShift:
    """How an edit moved a result's rows: `gone` rows of the last result and `added` rows of
    the new one (ascending int64 arrays), every other row kept in its order, as
    model.structure_edits keeps them. Views that keep something per row (the floor's routes,
    the cables table's texts) carry it over with it instead of starting again."""

    def __init__(self, gone: np.ndarray, added: np.ndarray, old_count: int, new_count: int) -> None:
        self.gone, self.added = gone, added
        self.old_count, self.new_count = old_count, new_count

    @classmethod
    def checked(
        cls, old_ids: Sequence[str], new_ids: Sequence[str], gone: np.ndarray, added: np.ndarray
    ) -> RowShift | None:
        """The shift from rows `old_ids` to `new_ids` (cable id a row) that drops the `gone`
        rows and puts in the `added` ones (ascending int64 arrays of distinct rows), or None
        when the rows do not line up that way: the counts disagree, or one of ORDER_PROBES
        kept rows spread over the whole reads another id after than before."""
        kept = len(new_ids) - len(added)
        if len(old_ids) - len(gone) != kept:
            return None
        probe = np.unique(np.linspace(0, kept - 1, min(kept, ORDER_PROBES)).astype(np.int64))
        pairs = zip(kept_rows(probe, gone).tolist(), kept_rows(probe, added).tolist())
        if any(old_ids[was] != new_ids[now] for was, now in pairs):
            return None
        return cls(gone, added, len(old_ids), len(new_ids))

    def kept(self) -> np.ndarray:
        """Old row -> its new row (int64, old_count long), -1 for a row gone."""
        out = np.full(self.old_count, -1, dtype=np.int64)
        k = np.arange(self.old_count - len(self.gone), dtype=np.int64)
        out[kept_rows(k, self.gone)] = kept_rows(k, self.added)
        return out

    def texts(self, texts: list[str], added: list[str]) -> list[str]:
        """`texts` (one a row of the last result) for the new result's rows: the gone dropped,
        `added` (one an added row, in order) put in at their rows. Returns the list: `texts`
        changed in place for a few rows (each deleted or inserted is a move of the list's
        pointers in C, where a copy through a mask of every row was ~15 ms at 300,000), a new
        list copied once around them for more than FEW_ROWS (a rack's 1,392 cables put back one
        insert at a time, into four lists of 300,000, took ~0.5 s)."""
        gone, rows = self.gone.tolist(), self.added.tolist()
        if len(gone) + len(rows) <= FEW_ROWS:
            for row in reversed(gone):
                del texts[row]
            for row, text in zip(rows, added):
                texts.insert(row, text)
            return texts
        return list_with(list_without(texts, gone), zip(rows, added))[0]

    def values(self, values: np.ndarray, added: np.ndarray) -> np.ndarray:
        """`values` (an array, one a row of the last result) for the new result's rows."""
        kept = np.delete(values, self.gone)
        return np.insert(kept, self.added - np.arange(len(self.added)), added)

"""The cables table's text columns (ends, labels, search text) and their natural orders, kept
from edit to edit.

Writing every run's texts takes ~1.2 s at 300,000 cables and ordering a text column
naturally ~1.1 s; both were thrown away by every add or delete, so a table sorted by an end,
a label or the id, or filtered by text, held each edit of a 100,000-accelerator layout for
1.2-2.3 s (against ~45 ms unsorted). An edit that adds or removes a few cables and keeps the
others in their order (model.structure_edits does) now carries them over: model.rows.RowShift says
which rows went and came, the text lists drop and insert those rows, and each natural order
drops them and inserts the new ones by binary search among its keys.

Written for the first time they take ~1 s at 300,000 cables, which held the window as long
(bench/gui.py). The table has them written on the worker thread instead
(`prepare_texts`, run by gui.background.BackgroundJob): every step here works GIL_CHUNK
texts a call into C, so the window gets the interpreter between the calls.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model.bulk import GIL_CHUNK
from model.rows import FEW_ROWS, RowShift, list_with

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
    keys: list[str] = []
    # GIL_CHUNK texts a regex pass: one pass over 300,000 held the interpreter ~0.3 s.
    for start in range(0, len(texts), GIL_CHUNK):
        piece = "\n".join(t.replace("\n", " ") for t in texts[start : start + GIL_CHUNK])
        keys.extend(_DIGITS.sub(_counted, piece).split("\n"))
    return keys


def natural_order(texts: list[str]) -> np.ndarray:
    """Indices (int64) that sort `texts` with digits as numbers, ties in index order; ~1.3 s
    for 300,000 end texts, most of it their keys."""
    return _key_order(natural_keys(texts))


def _key_order(keys: list[str]) -> np.ndarray:
    # Python's sort (stable) on the keys themselves: numpy's argsort of them as a fixed-width
    # string array was 2-3x slower at 300,000 end texts and held a ~100 MB copy meanwhile.
    # Sorted GIL_CHUNK keys at a time (one sort of 300,000 held the interpreter ~0.3 s) and
    # merged: heapq.merge takes equal keys from the earlier piece first, so the order is the
    # one stable sort's, ties in index order.
    key = keys.__getitem__
    pieces = [sorted(range(at, min(at + GIL_CHUNK, len(keys))), key=key) for at in range(0, len(keys), GIL_CHUNK)]
    order = (pieces[0] if pieces else []) if len(pieces) <= 1 else list(heapq.merge(*pieces, key=key))
    return np.array(order, dtype=np.int64)


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
        if len(gone) > FEW_ROWS:  # one pass, not a move of every key after each (a rack's 1,392: ~0.15 s)
            keep = mapped >= 0
            self.keys = [key for key, kept in zip(self.keys, keep.tolist()) if kept]
            self.order = mapped[keep]
        else:
            for at in reversed(gone.tolist()):
                del self.keys[at]
            self.order = np.delete(mapped, gone)
        rows, keys = shift.added.tolist(), natural_keys(added)
        if len(rows) <= FEW_ROWS:
            for row, key in zip(rows, keys):
                self._put(row, key)
            return
        # Each new key's place among the old (equal keys in row order), found before any goes in;
        # those of one place in their own order, and all put in with one copy of each list.
        places = sorted((self._place(row, key), key, row) for row, key in zip(rows, keys))
        self.order = np.insert(self.order, [at for at, _, _ in places], [row for _, _, row in places])
        # Before old key `at`, after the k new ones before it: where list.insert puts it at at + k.
        self.keys = list_with(self.keys, [(at + k, key) for k, (at, key, _) in enumerate(places)])[0]

    def retext(self, row: int, text: str) -> None:
        """Row `row` now reads `text`: moved to its place."""
        at = int(np.flatnonzero(self.order == row)[0])
        del self.keys[at]
        self.order = np.delete(self.order, at)
        self._put(row, natural_keys([text])[0])

    def _place(self, row: int, key: str) -> int:
        # Equal keys stay in row order (the stable sort's order): among them, before the first later row.
        low = bisect_left(self.keys, key)
        high = bisect_right(self.keys, key, low)
        return low + int(np.searchsorted(self.order[low:high], row))

    def _put(self, row: int, key: str) -> None:
        at = self._place(row, key)
        self.keys.insert(at, key)
        self.order = np.insert(self.order, at, row)


# ---- every run's texts at once -----------------------------------------------------------
# What a column of the table is written from: the ends and labels ("a", "b", "label"), the
# search text ("search"), and the natural orders of the ID, Label, End A and End B columns
# ("id", "label", "a", "b").
TEXTS = ("a", "b", "label")


@dataclass
class PreparedTexts:
    """Texts and natural orders written for one result's rows (`prepare_texts`)."""

    result: Any  # the snapshot (model.metrics.AnalysisResult) whose rows they are
    revision: int  # the document's revision they were written from
    texts: dict[str, list[str]] = field(default_factory=dict)  # "a", "b", "label", "search": a text a row
    orders: dict[str, SortedText] = field(default_factory=dict)  # "id", "label", "a", "b"
    rack_labels: dict[str, str] = field(default_factory=dict)  # rack id -> the name the ends were written with


def device_places(document, device_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Device id -> ('Rack name U5 device name:', 'rack-id U5 '): an end's text before its
    port as the table shows it, and before its 'device:port' by ids. Raises KeyError for an
    id the document no longer holds."""
    out = {}
    for d in device_ids:
        rack, device = document.device_rack[d], document.devices[d]
        u = f" U{device.u_position} "
        out[d] = (f"{rack.label}{u}{device.label}:", f"{rack.id}{u}")
    return out


def run_ends(cables, result) -> tuple[list, list[str], list[str]]:
    """Per row of `result`: its cable (from `cables`, id -> the document's model), its end a
    and its end b ('device:port', a breakout's leg for each of its rows). Raises KeyError
    for a cable `cables` no longer holds."""
    models = [cables[c] for c in result.cable_ids]
    legs = result.state.compiled.leg.tolist()
    refs_b = [m.b if m.b.__class__ is str else m.b[k] for m, k in zip(models, legs)]
    return models, [m.a for m in models], refs_b


def every_text(places: dict[str, tuple[str, str]], ends: tuple[list, list[str], list[str]]) -> dict[str, list[str]]:
    """Every run's end A, end B and label as the table shows them, a column at a time
    ({"a", "b", "label": a text a row}), from `device_places` and `run_ends`. A call a run
    took ~1.2 s at 300,000 cables; column by column ~0.6 s."""
    models, refs_a, refs_b = ends
    a = [places[device][0] + port for device, _, port in (r.partition(":") for r in refs_a)]
    b = [places[device][0] + port for device, _, port in (r.partition(":") for r in refs_b)]
    label = [m.label or f"{x} ↔ {y}" for m, x, y in zip(models, a, b)]
    return {"a": a, "b": b, "label": label}


def search_texts(
    ids: Sequence[str], texts: dict[str, list[str]], places: dict[str, tuple[str, str]], ends
) -> list[str]:
    """Every run's search text, lower case: its id, label given, ends as shown (`texts`, from
    `every_text`) and ends by ids, space-separated; GIL_CHUNK rows a join."""
    models, refs_a, refs_b = ends
    by_ids_a = [places[ref.partition(":")[0]][1] + ref for ref in refs_a]
    by_ids_b = [places[ref.partition(":")[0]][1] + ref for ref in refs_b]
    parts = (list(ids), [m.label for m in models], texts["a"], texts["b"], by_ids_a, by_ids_b)
    search: list[str] = []
    for at in range(0, len(parts[0]), GIL_CHUNK):
        rows = [column[at : at + GIL_CHUNK] for column in parts]
        piece = "\n".join(map(" ".join, zip(*rows))).lower().split("\n")
        if len(piece) != len(rows[0]):  # a line break in a label or a name
            piece = [" ".join(row).lower() for row in zip(*rows)]
        search.extend(piece)
    return search


def text_keys(places: dict[str, tuple[str, str]], ends, column: str) -> list[str]:
    """natural_keys of the "a", "b" or "label" texts (`every_text`), put together from the
    keys of each device's part ('Rack U5 device:') and each port's, worked out once each: a
    digit run never crosses the ':' between them, nor a default label's ' ↔ '. The one regex
    pass over every run's text was ~1.1 s at 300,000 cables; the few thousand devices and
    ports, and the labels given, ~0.1 s."""
    models, refs_a, refs_b = ends

    def keys_of(refs: list[str]) -> list[str]:
        parts = [ref.partition(":") for ref in refs]
        devices = list({device: None for device, _, _ in parts})
        ports = list({port: None for _, _, port in parts})
        device_key = dict(zip(devices, natural_keys(places[d][0] for d in devices)))
        port_key = dict(zip(ports, natural_keys(ports)))
        return [device_key[device] + port_key[port] for device, _, port in parts]

    if column == "a":
        return keys_of(refs_a)
    if column == "b":
        return keys_of(refs_b)
    keys_a, keys_b = keys_of(refs_a), keys_of(refs_b)
    given = [m.label for m in models]
    given_keys = iter(natural_keys(label for label in given if label))
    return [next(given_keys) if label else f"{a} ↔ {b}" for label, a, b in zip(given, keys_a, keys_b)]


def prepare_texts(
    document, result, revision: int, device_ids: list[str], rack_labels: dict[str, str], want: set[str], have=None
) -> PreparedTexts:
    """The texts and orders `want` names ("a", "b", "label", "search": texts; "order:id",
    "order:label", "order:a", "order:b": natural orders) of `result`'s rows, written from
    `document` as of `revision`, its devices `device_ids` and rack names `rack_labels` (read
    on the GUI thread: a list or dict the worker walked could change size under it). `have`:
    the "a", "b", "label" texts already written for these rows, if any. Runs on any thread;
    raises KeyError when the document lost a device or cable the rows name (an edit
    meanwhile: the caller writes them again)."""
    out = PreparedTexts(result, revision, rack_labels=rack_labels)
    texts = dict(have or {})
    orders = {name.partition(":")[2] for name in want if name.startswith("order:")}
    needs_texts = bool({"a", "b", "label", "search"} & want) or bool(orders - {"id"})
    if needs_texts:
        places = device_places(document, device_ids)
        ends = run_ends(document.cables, result)
        if not all(name in texts for name in TEXTS):
            texts.update(every_text(places, ends))
        out.texts = {name: texts[name] for name in TEXTS}
        if "search" in want:
            out.texts["search"] = search_texts(result.cable_ids, texts, places, ends)
        for column in sorted(orders - {"id"}):
            out.orders[column] = SortedText(texts[column], text_keys(places, ends, column))
    if "id" in orders:
        out.orders["id"] = SortedText(list(result.cable_ids))
    return out

"""model.rows: Pieces reads and edits as a list does; RowIndex follows edits as a fresh dict would."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import rows as rows_module
from model.rows import Pieces, RowIndex, RowShift, edited_list, kept_rows, list_with, list_without


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch):
    # Pieces of 4 items (8 at most before a split), so a few dozen items cross many pieces.
    monkeypatch.setattr(rows_module, "PIECE", 4)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if out and out[-1][1] == r:
            out[-1] = (out[-1][0], r + 1)
        else:
            out.append((r, r + 1))
    return out


@st.composite
def edits(draw):
    """A list of 0-60 items, rows to take out, and (place, item) pairs to put in among the kept."""
    n = draw(st.integers(0, 60))
    gone = draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=20)) if n else []
    kept = n - len(set(gone))
    places = sorted(draw(st.lists(st.integers(0, kept), max_size=20)))
    return n, gone, places


def _expected(values: list, runs, places, new) -> list:
    kept = [v for i, v in enumerate(values) if not any(a <= i < b for a, b in runs)]
    out = list(kept)
    for k in reversed(range(len(places))):
        out.insert(places[k], new[k])
    return out


@settings(max_examples=150, deadline=None)
@given(edits(), st.integers(1, 3))
def test_edited_pieces_read_as_the_edited_list(edit, rounds):
    n, gone, places = edit
    values = [f"c{i}" for i in range(n)]
    pieces: Pieces[str] | list[str] = values
    expected = values
    for round_ in range(rounds):
        runs = _runs([g for g in gone if g < len(expected)])
        kept = len(expected) - sum(b - a for a, b in runs)
        at = [min(p, kept) for p in places]
        new = [f"n{round_}.{k}" for k in range(len(at))]
        before = list(pieces)
        pieces = edited_list(pieces, runs, at, new)
        expected = _expected(expected, runs, at, new)
        assert list(before) == list(before)  # the source is unchanged (checked below too)
        assert list(pieces) == expected
        assert len(pieces) == len(expected)
        assert pieces == expected and pieces == Pieces(expected)
        assert [pieces[i] for i in range(len(expected))] == expected
        assert [pieces[-i] for i in range(1, len(expected) + 1)] == [expected[-i] for i in range(1, len(expected) + 1)]
        for a, b in ((0, len(expected)), (1, 5), (3, 30), (7, 2), (-5, None)):
            assert pieces[a:b] == expected[a:b]
        assert pieces[::2] == expected[::2]
        # Many items at once, in any order and repeated (the rows of a dragged rack's cables).
        rows = [i for i in (0, 7, 3, 3, len(expected) - 1, 12, 5) if 0 <= i < len(expected)]
        assert rows_module.take(pieces, rows) == [expected[i] for i in rows]
        assert all((value in pieces) == (value in expected) for value in ("c0", "c17", "n0.1", "nope"))


def test_an_edited_copy_leaves_its_source_alone():
    source = Pieces(f"c{i}" for i in range(40))
    was = list(source)
    edited = source.without([(3, 9), (20, 21)]).inserted([0, 5, 5, 30], ["x", "y", "z", "w"])
    edited[0] = "changed"
    copy = source.copy()
    copy[7] = "also changed"
    del copy[0]
    copy.insert(3, "put in")
    assert list(source) == was
    assert edited[0] == "changed" and edited[6] == "y" and edited[7] == "z"
    assert copy[:4] == ["c1", "c2", "c3", "put in"] and copy[7] == "also changed"
    source[1] = "source changed"  # and the source's own write reaches neither copy
    assert edited[1] != "source changed" and copy[0] == "c1"


def test_a_write_to_the_source_of_an_edited_copy_leaves_the_copy_alone():
    # The edited copies share the pieces the edit did not touch: the source, which made them,
    # must copy one before writing into it (found by this session's fresh-user test).
    for derive in (lambda p: p.without([(0, 1)]), lambda p: p.inserted([0], ["new"])):
        source = Pieces(f"c{i}" for i in range(40))
        derived = derive(source)
        was = list(derived)
        source[30] = "x"
        del source[35]
        source.insert(33, "y")
        assert list(derived) == was


def test_pieces_refuse_a_row_past_the_end_as_a_list_does():
    pieces = Pieces(["a", "b"])
    with pytest.raises(IndexError):
        pieces[2]
    with pytest.raises(IndexError):
        pieces[-3] = "c"
    assert Pieces([]) == [] and list(Pieces([]).inserted([0, 0], ["a", "b"])) == ["a", "b"]


def test_taking_a_row_past_either_end_is_refused():
    pieces = Pieces(f"c{i}" for i in range(10))
    assert pieces.take([]) == [] and pieces.take([9, 0]) == ["c9", "c0"]
    for rows in ([10], [-1], [3, 11]):
        with pytest.raises(IndexError):
            pieces.take(rows)


def test_pieces_split_as_they_grow():
    pieces = Pieces(["a"] * 4)
    for k in range(30):
        pieces = pieces.inserted([2], [f"n{k}"])
    assert len(pieces) == 34 and max(len(p) for p in pieces._pieces) <= 2 * rows_module.PIECE


@settings(max_examples=150, deadline=None)
@given(edits(), st.integers(1, 4), st.booleans())
def test_row_index_follows_edits_as_a_fresh_dict(edit, rounds, every_id_named):
    # A delete names every id it takes out; a breakout's later legs are rows of no id of their
    # own, so not every row taken out is named: both kinds of edit, one stretch or many.
    n, gone, places = edit
    ids = [f"c{i}" for i in range(n)]
    index = RowIndex(ids)
    older: list[tuple[RowIndex, dict[str, int]]] = []
    serial = 0
    for _ in range(rounds):
        runs = _runs([g for g in gone if g < len(ids)])
        removed = [ids[r] for a, b in runs for r in range(a, b)]
        kept = len(ids) - len(removed)
        at = [min(p, kept) for p in places]
        # Put back some removed ids (an undo) and some new ones.
        new = [removed[k] if k < len(removed) and k % 2 else f"n{(serial := serial + 1)}" for k in range(len(at))]
        new_ids = _expected(ids, runs, at, new)
        inserted = {cable_id: row for row, cable_id in enumerate(new_ids) if cable_id in set(new)}
        older.append((index, {cable_id: row for row, cable_id in enumerate(ids)}))
        named = removed if every_id_named else removed[::2]
        index = index.edited(new_ids, named, runs, np.array(at, dtype=np.int64), inserted)
        ids = new_ids
        fresh = {cable_id: row for row, cable_id in enumerate(ids)}
        assert dict(index.items()) == fresh and len(index) == len(fresh)
        asked = sorted({*removed, *new, "never", *ids[:3]})
        for cable_id in asked:
            assert index.get(cable_id) == fresh.get(cable_id)
            assert (cable_id in index) == (cable_id in fresh)
        assert index.rows_of(asked).tolist() == [fresh.get(x, -1) for x in asked]
    for old, then in older:  # an older snapshot's index still answers as it did
        assert {key: old.get(key) for key in then} == then
        later = ["never", *[k for k in index if k not in then]]
        assert all(old.get(key) is None for key in later)
        assert old.rows_of([*then, *later]).tolist() == [*then.values(), *[-1] * len(later)]


def test_an_index_is_built_in_pieces_as_one_dict_would_be(monkeypatch):
    """Built GIL_CHUNK keys a call (model.bulk.rows_of: one call of 300,000 held the interpreter
    lock ~70 ms on the worker reading a file): the same rows as one dict, a repeated id taking
    its last row."""
    from model import bulk

    pieces = []

    def counting_zip(*args):
        pieces.append(len(args[0]))
        return zip(*args)

    monkeypatch.setattr(bulk, "GIL_CHUNK", 4)
    ids = [f"c{i % 9}" for i in range(11)]  # 11 ids, c0 and c1 twice
    index = RowIndex(ids)
    monkeypatch.setattr(bulk, "zip", counting_zip, raising=False)
    assert index.get("c5") == 5
    assert pieces == [4, 4, 3]  # the first lookup built it, 4 keys a call
    monkeypatch.undo()
    assert (
        dict(index.items()) == dict(zip(ids, range(len(ids)))) == {**{f"c{i}": i for i in range(9)}, "c0": 9, "c1": 10}
    )
    first = RowIndex(["a", "b", "b", "b", "c", "d"], np.array([0, 1, 4, 5]))
    assert dict(first) == {"a": 0, "b": 1, "c": 4, "d": 5}


def test_only_a_first_index_is_its_own_plain_dict():
    index = RowIndex(["a", "b", "c"])
    assert index.plain() == {"a": 0, "b": 1, "c": 2}
    after = index.edited(["b", "c"], ["a"], [(0, 1)], np.zeros(0, dtype=np.int64), {})
    assert after.plain() is None and dict(after) == {"b": 0, "c": 1}
    again = after.edited(["a", "b", "c"], [], [], np.array([0]), {"a": 0})  # the same count of keys as rows
    assert again.plain() is None and dict(again) == {"a": 0, "b": 1, "c": 2}
    added = index.edited(["a", "b", "c", "d"], [], [], np.array([3]), {"d": 3})
    assert added.plain() is None and index.plain() is None  # the shared dict now holds 'd'


def test_row_index_of_first_rows_names_each_cable_once():
    ids = ["a", "b", "b", "b", "c"]  # a breakout b with three legs
    index = RowIndex(ids, np.array([0, 1, 4]))
    assert dict(index) == {"a": 0, "b": 1, "c": 4} and len(index) == 3
    with pytest.raises(KeyError):
        index["d"]
    after = index.edited(["a", "c"], ["b"], [(1, 4)], np.zeros(0, dtype=np.int64), {}, np.array([0, 1]))
    assert dict(after) == {"a": 0, "c": 1} and "b" not in after and index["c"] == 4


def test_kept_rows_are_the_rows_left_after_a_delete():
    """kept_rows(k, removed) is np.delete(arange(n), removed)[k], for any sorted removed rows."""
    rng = np.random.default_rng(7)
    for _ in range(500):
        n = int(rng.integers(1, 40))
        removed = np.sort(rng.choice(n, size=int(rng.integers(0, n)), replace=False)).astype(np.int64)
        kept = np.delete(np.arange(n), removed)
        assert np.array_equal(kept_rows(np.arange(len(kept)), removed), kept)


def test_a_row_shift_is_checked_against_the_ids_on_both_sides():
    """RowShift.checked takes rows gone and added when the counts agree and the kept rows read
    the same ids in the same order; a shuffle or a wrong count gives None. kept() maps every
    old row to its new one."""
    old = [f"c{i}" for i in range(10)]
    new = old[:3] + old[4:7] + ["x1", "x2"] + old[7:]  # c3 gone, x1 and x2 put in before c7
    shift = RowShift.checked(old, new, np.array([3]), np.array([6, 7]))
    assert shift is not None
    assert shift.kept().tolist() == [0, 1, 2, -1, 3, 4, 5, 8, 9, 10]
    assert shift.texts(list(old), ["x1", "x2"]) == new
    assert shift.values(np.arange(10), np.array([-1, -2])).tolist() == [0, 1, 2, 4, 5, 6, -1, -2, 7, 8, 9]
    assert RowShift.checked(old, new, np.array([3]), np.array([6])) is None  # counts disagree
    shuffled = new[:1] + new[2:3] + new[1:2] + new[3:]
    assert RowShift.checked(old, shuffled, np.array([3]), np.array([6, 7])) is None


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 200), st.data())
def test_texts_shifted_one_by_one_or_in_one_pass_are_the_new_rows_texts(count, data):
    """RowShift.texts moves a few rows one by one and more (a rack's 1,392 cables put back:
    ~0.5 s one by one at 300,000 rows) in one copied pass: either way, the new rows' texts."""
    old = [f"c{i}" for i in range(count)]
    gone = sorted(data.draw(st.sets(st.integers(0, max(count - 1, 0)), max_size=count)) if count else [])
    kept = [t for i, t in enumerate(old) if i not in set(gone)]
    extra = data.draw(st.integers(0, 120))
    places = sorted(data.draw(st.lists(st.integers(0, len(kept)), min_size=extra, max_size=extra)))
    new = list(kept)
    for k, place in enumerate(places):
        new.insert(place + k, f"x{k}")
    added = [i for i, t in enumerate(new) if t.startswith("x")]
    shift = RowShift(np.array(gone, dtype=np.int64), np.array(added, dtype=np.int64), len(old), len(new))
    assert shift.texts(list(old), [new[i] for i in added]) == new


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(), max_size=40), st.data())
def test_a_list_copied_once_without_or_with_items_is_the_list_del_and_insert_give(items, data):
    """list_without and list_with (a rack's cables dropped from or put back into a list of
    300,000 in one copy) give what del at each place, or list.insert of each item in turn,
    gives; list_with also says where each new item ended up."""
    places = sorted(data.draw(st.sets(st.integers(0, max(len(items) - 1, 0)), max_size=len(items))) if items else [])
    expected = list(items)
    for place in reversed(places):
        del expected[place]
    assert list_without(items, places) == expected
    indexes = sorted(data.draw(st.sets(st.integers(0, len(items) + 5), max_size=12)))
    placed = [(index, f"new{k}") for k, index in enumerate(indexes)]
    one_by_one = list(items)
    for index, item in placed:
        one_by_one.insert(index, item)
    out, final = list_with(items, placed)
    assert out == one_by_one
    assert [out[at] for at, _ in final] == [item for _, item in placed]

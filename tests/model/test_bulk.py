"""model.bulk: repeats found, and sets and row dicts made, a piece at a time, as in one call."""

import random

import pytest

from model import bulk


@pytest.mark.parametrize("seed", range(20))
def test_all_distinct_and_distinct_in_pieces_are_set_in_one(seed, monkeypatch):
    rng = random.Random(seed)
    monkeypatch.setattr(bulk, "GIL_CHUNK", rng.choice([1, 2, 3, 7]))
    items = [rng.randrange(40) for _ in range(rng.randrange(0, 30))]  # repeats across pieces or none
    assert bulk.all_distinct(items) == (len(set(items)) == len(items))
    assert bulk.distinct(iter(items)) == set(items)
    unique = list(dict.fromkeys(items))
    assert bulk.all_distinct(unique)
    assert bulk.rows_of(items) == dict(zip(items, range(len(items))))


def test_an_unhashable_item_is_refused_as_by_set():
    with pytest.raises(TypeError):
        bulk.all_distinct([1, [2]])
    with pytest.raises(TypeError):
        bulk.distinct([[1]])
    with pytest.raises(TypeError):
        bulk.rows_of([1, [2]])

"""Property: any mutation of a sample layout is either refused cleanly, naming the file and a
place, or loads and then analyses, reports, exports, saves and reloads equal.

A bounded run for the suite (60 examples, the same ones every time); scripts/fuzz.py runs the
same mutations over all three samples by the ten thousand, under time and memory limits.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.io.files import dumps_layout
from model.topologies import build_sample
from tests.fuzzing import KINDS, check, mutate

TRN2 = dumps_layout(build_sample("trn2-ultra64"))


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kind=st.sampled_from(KINDS), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_a_mutant_is_refused_with_a_place_or_goes_all_the_way(tmp_path, kind, seed):
    _, data = mutate(TRN2, random.Random(seed), kind)
    path = tmp_path / "mutant.json"
    path.write_bytes(data)
    outcome, detail = check(path, tmp_path)
    assert outcome in ("ok", "refused"), f"{kind} (seed {seed}): {outcome}: {detail}"

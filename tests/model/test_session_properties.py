"""Live equals fresh, always: random edit sequences of every kind through a Session,
with undo and redo, checked after every step (see tests/model/session_machine.py).

Bounded here; `python scripts/session_soak.py` runs it far longer and prints figures."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.model.session_machine import SessionEdits

TestSessionEdits = SessionEdits.TestCase
TestSessionEdits.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

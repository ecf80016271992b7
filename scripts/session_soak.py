"""Runs the live = fresh = reloaded property (tests/model/session_machine.py) far longer
than the suite does, and prints how many sequences and steps passed.

    python scripts/session_soak.py [--examples N] [--steps K] [--seed S]

Exits 1 with hypothesis's shortest failing sequence if any step disagrees.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, seed, settings  # noqa: E402
from hypothesis.stateful import run_state_machine_as_test  # noqa: E402

from tests.model.session_machine import COUNTS, SessionEdits  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=500, help="edit sequences to try")
    parser.add_argument("--steps", type=int, default=30, help="edits per sequence at most")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (random when absent)")
    args = parser.parse_args()
    machine = SessionEdits if args.seed is None else seed(args.seed)(SessionEdits)
    options = settings(
        max_examples=args.examples,
        stateful_step_count=args.steps,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    start = time.perf_counter()
    failed = None
    try:
        run_state_machine_as_test(machine, settings=options)
    except Exception as exc:  # hypothesis re-raises the failing step's error
        failed = exc
    took = time.perf_counter() - start
    print(
        f"{COUNTS['sequences']} sequences, {COUNTS['steps']} edits "
        f"({COUNTS['refused']} refused), {COUNTS['undo']} undos, {COUNTS['redo']} redos "
        f"in {took:.0f} s: {'FAILED' if failed else 'live = fresh = reloaded after every step'}"
    )
    if failed:
        print(f"{type(failed).__name__}: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

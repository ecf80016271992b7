"""Turns of the event loop shared fairly among work done in slices.

Qt fires every timer that is due in one pass of its event loop, one after another: the
floor's build, its lanes by medium, its overview and the panels' refreshes, each ~30-60 ms,
added up to 150 ms turns after a 100k hall was read. Each asks `my_turn` before its slice:
it runs in a turn that is fresh (less than FRESH_S run, the paint included) when no job that
asked before it still waits; else it waits in line for a later turn (its timer started
again with 0 ms).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractEventDispatcher

FRESH_S = 0.015  # a turn that has run less than this takes another slice of work
MAX_WAIT_S = 0.25  # the first in line waits this long for a fresh turn at most (a paint may fill every turn)
# A job in line that has not asked for this long is gone (it ended, or its work was dropped).
# In time, not turns: Qt may wake many times between two turns of one job's timer.
GONE_S = 0.25

_turn: dict[str, float] = {
    "started": 0.0,
    "count": 0,
    "watching": 0,
}  # the current turn: start, number; dispatcher (id)
_line: dict[int, list[float]] = {}  # the jobs waiting (id): [when they first asked, when they last asked]


def _woke() -> None:
    _turn["started"] = time.monotonic()
    _turn["count"] += 1


def watch_turns() -> None:
    """Starts following the turns of the calling (GUI) thread's event loop; once a
    QApplication exists. Calling it again does nothing."""
    dispatcher = QAbstractEventDispatcher.instance()
    if dispatcher is None or _turn["watching"] == id(dispatcher):
        return
    dispatcher.awake.connect(_woke)
    _turn["watching"] = id(dispatcher)
    _woke()


def turn_used() -> float:
    """Seconds since the event loop's current turn began (0.0 when turns are not watched)."""
    return time.monotonic() - _turn["started"] if _turn["watching"] else 0.0


def leave(job: object) -> None:
    """`job` wants no more turns (its work ended or was dropped): it leaves the line at once."""
    _line.pop(id(job), None)


def my_turn(job: object) -> bool:
    """True when `job` (any object standing for one piece of sliced work) may do a slice
    now; False when it must ask again in a later turn (it is in line). Jobs that stopped
    asking (they ended, or their work was dropped) leave the line after GONE_S."""
    if not _turn["watching"]:
        return True
    now = time.monotonic()
    for key in [key for key, (_first, last) in _line.items() if last < now - GONE_S]:
        del _line[key]  # stopped asking: gone
    first = next(iter(_line), None)
    waited = now - _line[first][0] if first is not None else 0.0
    if first in (None, id(job)) and (turn_used() < FRESH_S or waited >= MAX_WAIT_S):
        _line.pop(id(job), None)
        return True
    _line.setdefault(id(job), [now, now])[1] = now
    return False

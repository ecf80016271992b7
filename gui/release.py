"""What the app lets go of, freed a slice at a time on the event loop instead of at once.

Freeing a big layout is work: at 100,000 accelerators the last analysis (300,000 cables'
columns, lists, dicts and route data), the floor's items and their lookups each took
80-110 ms to free in the one turn that dropped them, so opening a file over another froze
the window 0.10-0.18 s three times (bench/freezes.py, the reopen probe). `let_go(thing)`
hands a thing over instead: it stays parked while anything else holds it, and once only
this module does, it is taken apart a piece at a time (a container's items, an object's
attributes), each piece freed as it is taken, for at most SLICE_S a turn of the event loop
(gui.turns: after other sliced work).

Only what nothing else can reach is ever taken apart: its reference count says this module
holds the only reference, and no weak reference points at it; so no view, worker job or
snapshot can see it change. A thing only weakly referenced besides is freed whole as soon as
it is alone; what others still hold after PARK_S is dropped as it is (they free it when they
let go). Objects with a finaliser (__del__), Qt's wrapped objects and anything without a
__dict__ are freed whole too: freeing each is small.
"""

from __future__ import annotations

import sys
import time
import weakref
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from shiboken6 import Shiboken

from gui.turns import leave, my_turn

SLICE_S = 0.006  # freeing done a turn of the event loop
# How long a thing others still hold waits to become this module's alone: the views let go
# of the last result within a few turns; a hidden panel or a reference cycle may never.
PARK_S = 2.0
CHUNK = 256  # items taken from a container at once (256 floor items: ~5 ms)
BIG = 64  # a container of more items than this, met inside, is taken apart in turn

_CONTAINERS = (list, dict, set, tuple)


class Release(QObject):
    """The things let go of, parked and in pieces; works on its timer. One per app (let_go)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._parked: list[tuple[Any, float]] = []  # (thing, when parked): others still hold it
        self._pieces: list[Any] = []  # this module's alone: taken apart from the end
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    @property
    def busy(self) -> bool:
        """Whether anything is still parked or being freed."""
        return bool(self._parked or self._pieces)

    def park(self, thing: Any) -> None:
        """Lets go of `thing` (any object): freed in slices once nothing else holds it."""
        if thing is None:
            return
        self._parked.append((thing, time.monotonic()))
        if not self._timer.isActive() or self._timer.interval():
            self._timer.start(0)

    def finish(self) -> None:
        """Frees at once what is parked and alone, and drops the rest (tests: what the app let
        go of, freed before they look)."""
        self._timer.stop()
        self._unpark(force=True)
        while self._pieces:
            self._take_apart(self._pieces.pop())
        leave(self)

    def _step(self) -> None:
        if not my_turn(self):
            self._timer.start(0)  # 0 each time: start() alone keeps the last interval (the wait's)
            return
        self._unpark(force=False)
        deadline = time.monotonic() + SLICE_S
        while self._pieces:  # at least one piece a turn
            self._take_apart(self._pieces.pop())
            if time.monotonic() >= deadline:
                break
        if self._pieces:
            self._timer.start(0)
        elif self._parked:
            self._timer.start(100)  # waiting for others to let go: no need to ask every turn
            leave(self)
        else:
            leave(self)

    def _unpark(self, force: bool) -> None:
        now = time.monotonic()
        waiting = []
        parked, self._parked = self._parked, []
        for k in range(len(parked)):
            thing, since = parked[k]
            parked[k] = None  # type: ignore[call-overload]  # the list's hold on it, gone
            # Held by `thing` here, _held_here's argument and getrefcount's: more is another holder.
            if _held_here(thing, 2):
                if not _watched(thing):
                    self._pieces.append(thing)
                # else freed whole as `thing` goes: a weak reference may read it meanwhile
            elif not force and now - since < PARK_S:
                waiting.append((thing, since))
            del thing
        self._parked = waiting + self._parked

    def _take_apart(self, thing: Any) -> None:
        """Frees `thing` a piece at a time: up to CHUNK items of a container, the rest put back."""
        if not _held_here(thing, 2) or _watched(thing):
            return  # shared with what lives on (theirs to free), or freed whole as it goes
        if isinstance(thing, (list, dict, set)):
            taken: list[Any]
            if isinstance(thing, list):
                taken = thing[-CHUNK:]
                del thing[-CHUNK:]
            elif isinstance(thing, dict):
                taken = [thing.popitem()[1] for _ in range(min(CHUNK, len(thing)))]
            else:
                taken = [thing.pop() for _ in range(min(CHUNK, len(thing)))]
            if thing:
                self._pieces.append(thing)
            self._keep_big(taken)
        elif isinstance(thing, tuple):
            self._keep_big(list(thing))
        elif _takeable(thing):
            attributes = vars(thing)
            values = list(attributes.values())
            attributes.clear()
            self._keep_big(values)

    def _keep_big(self, taken: list[Any]) -> None:
        """Of the items just taken out, those that are big to free are put aside to be taken
        apart in turn; the others are freed as `taken` goes."""
        item = None
        for k, item in enumerate(taken):
            if isinstance(item, _CONTAINERS) and len(item) > BIG or _takeable(item):
                self._pieces.append(item)
            taken[k] = None
        del item


def _held_here(thing: Any, references: int) -> bool:
    """Whether `thing`'s only references are the `references` the caller knows of (its own
    and this function's argument; getrefcount's own is added here)."""
    return sys.getrefcount(thing) <= references + 1


def _watched(thing: Any) -> bool:
    """Whether a weak reference points at `thing` (whoever holds it may still read it)."""
    return type(thing).__weakrefoffset__ != 0 and weakref.getweakrefcount(thing) > 0


def _takeable(thing: Any) -> bool:
    """A plain Python object (a snapshot, a model, a column set) whose attributes this module
    may take out: it has a __dict__, no finaliser, and is not one of Qt's wrapped objects."""
    if isinstance(thing, (type, Shiboken.Object)) or getattr(type(thing), "__del__", None) is not None:
        return False
    try:
        return bool(vars(thing))
    except TypeError:  # no __dict__
        return False


_release: dict[str, Release] = {}


def release() -> Release:
    """The app's Release, made on first use (parented to the QCoreApplication)."""
    found = _release.get("app")
    if found is None:
        found = _release["app"] = Release(QCoreApplication.instance())
    return found


def let_go(*things: Any) -> None:
    """Each of `things` freed in slices on the event loop once nothing else holds it (see the
    module's text); call on the GUI thread. Raises nothing."""
    for thing in things:
        release().park(thing)

"""What the app lets go of, freed a slice at a time (gui/release.py): nothing anyone can still
reach is changed, what is alone is freed over several turns, and all of it in the end."""

from __future__ import annotations

import gc
import weakref

import pytest

import gui.release as release_module
from gui.release import Release

FREED: list[int] = []


class Piece:
    """A thing freed whole (it has a finaliser), which says when it goes."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __del__(self) -> None:
        FREED.append(self.n)


class Snapshot:
    """A plain object with big attributes, as an analysis result is."""

    def __init__(self, count: int) -> None:
        self.pieces = [Piece(n) for n in range(count)]
        self.lookup = {n: Piece(count + n) for n in range(count)}
        self.name = "old layout"


@pytest.fixture
def freeing(qapp, monkeypatch) -> Release:
    FREED.clear()
    monkeypatch.setattr(release_module, "SLICE_S", 0.0)  # a piece a turn: the slices are seen
    return Release()


def steps(release: Release, count: int) -> None:
    for _ in range(count):
        release._step()


def test_what_nothing_else_holds_is_freed_over_several_turns(freeing):
    freeing.park(Snapshot(2_000))
    steps(freeing, 3)
    assert 0 < len(FREED) < 4_000  # some, not all, in three turns
    steps(freeing, 200)
    assert sorted(FREED) == list(range(4_000)) and not freeing.busy


def test_what_another_still_holds_is_left_as_it_is_until_let_go(freeing):
    snapshot = Snapshot(1_000)
    freeing.park(snapshot)
    steps(freeing, 50)
    assert FREED == [] and len(snapshot.pieces) == 1_000 and len(snapshot.lookup) == 1_000
    assert snapshot.name == "old layout" and freeing.busy  # parked, whole
    del snapshot
    steps(freeing, 200)
    assert len(FREED) == 2_000 and not freeing.busy


def test_a_piece_shared_with_what_lives_on_is_not_taken_apart(freeing):
    snapshot = Snapshot(1_000)
    kept = snapshot.pieces  # the next snapshot shares this column
    freeing.park(snapshot)
    del snapshot
    steps(freeing, 200)
    assert len(kept) == 1_000 and sorted(FREED) == list(range(1_000, 2_000))  # the lookup only


def test_a_weakly_watched_thing_is_freed_whole_as_soon_as_it_is_alone(freeing):
    # Whoever holds the weak reference may read it until it is gone: it is never taken apart.
    snapshot = Snapshot(1_000)
    watched = weakref.ref(snapshot)
    freeing.park(snapshot)
    del snapshot
    freeing._step()
    assert watched() is None and len(FREED) == 2_000  # in one turn, not a piece a turn


def test_what_others_hold_past_the_wait_is_dropped_and_freed_by_them(freeing, monkeypatch):
    monkeypatch.setattr(release_module, "PARK_S", 0.0)
    snapshot = Snapshot(10)
    freeing.park(snapshot)
    freeing._step()
    assert not freeing.busy  # no longer held here
    del snapshot
    gc.collect()
    assert len(FREED) == 20


def test_finish_frees_at_once_what_is_alone(freeing):
    freeing.park(Snapshot(1_000))
    freeing.park(None)
    freeing.finish()
    assert len(FREED) == 2_000 and not freeing.busy


def test_another_layout_is_freed_after_the_swap_s_turn_not_in_it(qtbot):
    """Opening a layout over another froze the window while the last one's analysis, floor
    items and lookups were freed in the swap's own turn (~0.1 s each at 100,000 accelerators).
    They are alive when the swap returns, and gone once the slices are done."""
    from gui.context import AppContext
    from gui.release import release
    from gui.scene.floor_plan import FloorPlanView
    from model.document import Document
    from model.topologies.scaleout import build_scaleout_pod
    from tests.gui.conftest import show_widget

    context = AppContext(Document(build_scaleout_pod(accelerators=512)))
    assert context.document.retire is not None
    scene = show_widget(qtbot, FloorPlanView(context), (900, 700)).scene()
    scene.flush_routes()
    items = [weakref.ref(item) for item in [*scene.racks.values(), *scene.fills.values()]]
    result = weakref.ref(context.result)
    context.document.replace_site(build_scaleout_pod(accelerators=512))
    assert result() is not None and all(ref() is not None for ref in items)  # none freed in this turn
    qtbot.waitUntil(lambda: not release().busy and not scene.building, timeout=10_000)
    gc.collect()
    assert result() is None and all(ref() is None for ref in items)


def test_an_edit_s_last_result_is_freed_at_once_not_parked(qapp):
    # Its memory is there for the next step's columns (gui.heap): held a turn longer, a drag
    # step of the busiest rack at 100,000 accelerators faulted in fresh pages (29 -> 45 ms).
    from gui.commands import apply
    from gui.context import AppContext
    from model.commands import RemoveDevices
    from model.document import Document
    from model.topologies.scaleout import build_scaleout_pod

    context = AppContext(Document(build_scaleout_pod(accelerators=512)))
    runs = context.analysis.full_runs
    last = weakref.ref(context.result)
    server = next(d.id for r in context.document.site.racks for d in r.devices if "srv" in d.id)
    assert apply(context, RemoveDevices(context.document, [server]))
    assert context.result is not last() and context.analysis.full_runs == runs  # incremental
    gc.collect()
    assert last() is None


def test_a_full_re_analysis_s_last_result_is_freed_in_slices(qapp):
    # A rack deleted re-analyses every cable: the result it replaces is a whole one (~80 ms to
    # free at once at 100,000 accelerators), let go of in slices after the turn that shows it.
    from gui.commands import apply
    from gui.context import AppContext
    from gui.release import release
    from model.commands import RemoveRacks
    from model.document import Document
    from model.topologies.scaleout import build_scaleout_pod

    context = AppContext(Document(build_scaleout_pod(accelerators=512)))
    runs = context.analysis.full_runs
    last = weakref.ref(context.result)
    assert apply(context, RemoveRacks(context.document, [context.document.site.racks[0].id]))
    assert context.analysis.full_runs > runs
    gc.collect()
    assert last() is not None  # parked: not freed in this turn
    release().finish()
    gc.collect()
    assert last() is None


def test_after_waiting_on_a_holder_the_pieces_are_taken_a_turn_apart_not_a_wait_apart(freeing):
    # QTimer.start() keeps the last interval: once it had waited 100 ms on a holder, every
    # later slice came 100 ms apart, and reopening a 20,000-accelerator layout grew the app
    # ~45 MB a time, its last layouts still in pieces here.
    held = Snapshot(10)
    freeing.park(held)
    freeing._step()
    assert freeing._timer.interval() == 100  # waiting for the holder
    freeing.park(Snapshot(1_000))
    assert freeing._timer.interval() == 0
    freeing._step()
    assert freeing._pieces and freeing._timer.isActive() and freeing._timer.interval() == 0

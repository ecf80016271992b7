"""Turns of the event loop shared among sliced work (gui.turns)."""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractEventDispatcher, QTimer
from PySide6.QtWidgets import QApplication

from gui import turns


class Job:
    """Sliced work on a 0 ms timer: each slice busy for `slice_s`, `slices` in all."""

    def __init__(self, name: str, slices: int, slice_s: float, log: list) -> None:
        self.name, self.left, self.slice_s, self.log = name, slices, slice_s, log
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.step)
        self.timer.start(0)

    def step(self) -> None:
        if not turns.my_turn(self):
            self.timer.start(0)
            return
        self.log.append((self.name, turns._turn["count"]))
        started = time.monotonic()
        while time.monotonic() - started < self.slice_s:
            pass
        self.left -= 1
        if self.left:
            self.timer.start(0)


def test_sliced_jobs_take_turns_one_slice_a_turn(qapp):
    turns.watch_turns()
    log: list = []
    jobs = [Job(name, 4, 0.02, log) for name in "abc"]  # each slice over FRESH_S
    deadline = time.monotonic() + 20
    while any(job.left for job in jobs):
        QApplication.processEvents()
        assert time.monotonic() < deadline
    per_turn = [count for _name, count in log]
    assert len(per_turn) == len(set(per_turn)) == 12  # never two slices in one turn
    order = [name for name, _count in log]
    assert all(order[i : i + 3].count(n) <= 1 for i in range(0, 12, 3) for n in "abc")  # in line: none runs ahead


def test_a_job_that_stops_asking_leaves_the_line(qapp):
    turns.watch_turns()
    gone, later = object(), object()
    dispatcher = QAbstractEventDispatcher.instance()
    turns._turn["started"] = time.monotonic() - 1  # this turn is spent
    assert not turns.my_turn(gone)  # in line, first
    dispatcher.awake.emit()  # a fresh turn: `later` waits behind `gone`...
    assert not turns.my_turn(later)
    time.sleep(turns.GONE_S * 1.5)  # ...until `gone` has not asked for GONE_S
    dispatcher.awake.emit()
    assert turns.my_turn(later)
    turns._line.clear()


def test_without_watching_every_job_runs(qapp, monkeypatch):
    monkeypatch.setitem(turns._turn, "watching", 0)
    monkeypatch.setitem(turns._turn, "started", 0.0)
    assert turns.my_turn(object()) and turns.turn_used() == 0.0


def test_a_job_that_leaves_the_line_holds_no_one_up(qapp):
    turns.watch_turns()
    done, later = object(), object()
    turns._turn["started"] = time.monotonic() - 1  # this turn is spent
    assert not turns.my_turn(done)  # in line, first
    QAbstractEventDispatcher.instance().awake.emit()  # a fresh turn
    assert not turns.my_turn(later)  # behind `done`
    turns.leave(done)  # its work was dropped
    assert turns.my_turn(later)

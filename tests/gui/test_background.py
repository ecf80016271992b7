"""Long work runs off the GUI thread behind a busy dialog, and its result or error comes back."""

import threading

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from gui import background
from gui.background import run_with_progress
from model.errors import LayoutError


def test_quick_work_returns_its_result_without_a_dialog(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    assert run_with_progress(parent, "Quick", lambda: 6 * 7) == 42
    assert parent.findChildren(QProgressDialog) == []


def test_the_worker_error_reaches_the_caller(qtbot):
    def fail():
        raise ValueError("line 3 column 1: not valid JSON")

    with pytest.raises(ValueError, match="not valid JSON"):
        run_with_progress(None, "Failing", fail)


def test_the_worker_hands_the_interpreter_lock_back_sooner_while_it_runs(qtbot):
    import sys

    before = sys.getswitchinterval()
    during = run_with_progress(None, "Switching", sys.getswitchinterval)
    assert during == pytest.approx(background.SWITCH_S) and during < before  # Python keeps it in whole µs
    assert sys.getswitchinterval() == before  # as it was, once the work is done

    with pytest.raises(ZeroDivisionError):
        run_with_progress(None, "Failing", lambda: 1 / 0)
    assert sys.getswitchinterval() == before  # ... or failed


def test_slow_work_shows_a_busy_dialog_while_the_gui_keeps_running(qtbot, monkeypatch):
    monkeypatch.setattr(background, "SHOW_AFTER_S", 0.0)
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release = threading.Event()
    seen = []

    def look():  # runs on the GUI thread while the worker is still busy
        seen.extend(d.labelText() for d in parent.findChildren(QProgressDialog) if d.isVisible())
        release.set()

    QTimer.singleShot(150, look)
    result = run_with_progress(parent, "Opening big.json…", lambda: release.wait(5) and "done")
    assert result == "done"
    assert seen == ["Opening big.json…"]


def test_work_known_to_be_long_shows_its_dialog_before_the_worker_starts(qtbot, monkeypatch):
    """`at_once`: the dialog is up before the worker contends for the interpreter lock (shown
    while a 100,000-accelerator file was being read, its first paint held the window 80-93 ms)."""
    monkeypatch.setattr(background, "SHOW_AFTER_S", 1e9)  # never by the clock here
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    def shown() -> list[str]:
        return [d.labelText() for d in parent.findChildren(QProgressDialog) if d.isVisible()]

    seen_by_worker = []
    assert run_with_progress(parent, "Opening big.json…", lambda: seen_by_worker.extend(shown()), at_once=True) is None
    assert seen_by_worker == ["Opening big.json…"]  # already there when the work began
    assert shown() == []  # and gone once it is done
    assert run_with_progress(parent, "Opening small.json…", shown) == []  # not known long: none yet


def test_a_read_layout_is_frozen_and_young_collections_come_less_often():
    import gc

    from gui.background import YOUNG_OBJECTS, keep_long_lived

    before = gc.get_threshold()
    try:
        made = [[k] for k in range(1000)]  # alive now, as a read layout would be
        keep_long_lived()
        assert gc.get_freeze_count() >= len(made)
        assert gc.get_threshold() == (YOUNG_OBJECTS, before[1], before[2])
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_what_the_window_has_waiting_is_done_before_the_worker_starts(qtbot):
    """A window shown and a file opened at once (the app started with a file): its first
    layout and paint run before the worker takes the interpreter lock, not alongside it."""
    widget = QWidget()
    qtbot.addWidget(widget)
    waiting: list[str] = []
    QTimer.singleShot(0, lambda: waiting.append("done"))  # stands for a pending paint
    widget.show()

    def work() -> tuple[list[str], bool]:
        return list(waiting), widget.testAttribute(Qt.WidgetAttribute.WA_Mapped)

    assert run_with_progress(None, "Working…", work) == (["done"], True)


def test_clicks_and_keys_made_while_the_work_runs_are_dropped_not_carried_out_after(qtbot):
    """A click on the window while a file is read does nothing, then or later: it was held
    and carried out once the file was open (a Help click opened the menu 5 s later)."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QKeyEvent, QMouseEvent
    from PySide6.QtWidgets import QApplication, QPushButton

    button = QPushButton("Help")
    qtbot.addWidget(button)
    button.show()
    qtbot.waitExposed(button)
    clicked, typed = [], []
    button.clicked.connect(lambda: clicked.append(1))
    button.installEventFilter(watcher := _Typed(typed))
    centre = QPointF(button.rect().center())

    def poke() -> None:  # posted as the window system posts them, while the work runs
        left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            buttons = left if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
            QApplication.postEvent(button, QMouseEvent(kind, centre, centre, left, buttons, none))
        QApplication.postEvent(button, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Space, none))

    QTimer.singleShot(50, poke)
    assert run_with_progress(button, "Reading", lambda: threading.Event().wait(0.4) or "read") == "read"
    for _ in range(5):
        QApplication.processEvents()
    assert clicked == [] and typed == []
    button.click()  # and afterwards input works again
    assert clicked == [1]
    del watcher


class _Typed(QObject):
    def __init__(self, typed: list) -> None:
        super().__init__()
        self.typed = typed

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.KeyPress:
            self.typed.append(event.key())
        return False


def test_a_background_job_reports_its_value_or_error_on_the_gui_thread_with_input_kept(qtbot):
    """A BackgroundJob (the cables table's first sort at 300,000 runs) runs on the worker while
    the window goes on: clicks are not dropped, the value or error comes back as a signal on
    the GUI thread, and the quick switch interval holds only while the work runs."""
    import sys

    from gui.background import SWITCH_S, BackgroundJob

    interval = sys.getswitchinterval()
    job = BackgroundJob()
    release = threading.Event()
    ran_on: list[str] = []

    def work():
        ran_on.append(threading.current_thread().name)
        release.wait(5)
        return 42

    heard: list[tuple[str, object]] = []
    job.finished.connect(lambda value: heard.append((threading.current_thread().name, value)))
    job.start(work)
    assert job.running and sys.getswitchinterval() == pytest.approx(SWITCH_S)
    button = QWidget()
    qtbot.addWidget(button)
    clicks: list[int] = []
    button.mousePressEvent = lambda event: clicks.append(1)  # type: ignore[method-assign]
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicks == [1]  # not a modal wait: input still reaches the window
    release.set()
    qtbot.waitUntil(lambda: bool(heard), timeout=5000)
    assert heard == [(threading.current_thread().name, 42)] and ran_on[0].startswith("rack-designer-work")
    assert not job.running
    qtbot.waitUntil(lambda: sys.getswitchinterval() == pytest.approx(interval), timeout=5000)

    failures: list[BaseException] = []
    job.failed.connect(failures.append)
    job.start(lambda: {}["gone"])
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], KeyError) and len(heard) == 1


def test_a_dropped_background_job_reports_nothing(qtbot):
    """A job replaced or dropped (the table's texts of a layout since closed) says nothing when
    its work ends; the one started after it does."""
    from gui.background import BackgroundJob

    job = BackgroundJob()
    heard: list[object] = []
    job.finished.connect(heard.append)
    release = threading.Event()
    job.start(lambda: release.wait(5) and "first")
    job.start(lambda: "second")
    release.set()
    qtbot.waitUntil(lambda: bool(heard), timeout=5000)
    qtbot.wait(100)
    assert heard == ["second"]
    job.start(lambda: "third")
    job.drop()
    qtbot.wait(200)
    assert heard == ["second"] and not job.running


def _in_a_generation(thing: object) -> bool:
    """Whether the cyclic collector's passes would walk `thing` (not frozen, not untracked)."""
    import gc

    return any(o is thing for o in gc.get_objects())


@pytest.mark.parametrize("keep", [False, True])
def test_worker_jobs_run_without_collections_and_keep_what_lives_on_out_of_them(qtbot, keep):
    """Every job on the worker runs with the cyclic collector paused (an export's young
    collection there held the window 74 ms, then 110 ms, at 100,000 accelerators); with
    `keep` what it made is frozen before the collector is back on (a scenario's analysis: the
    first young pass after it walked ~2.8 million list items, 105-155 ms). Without `keep`
    nothing is frozen; either way the collector is on again afterwards."""
    import gc

    from gui.background import BackgroundJob

    def work():
        return gc.isenabled(), [[k] for k in range(100)]

    try:
        collecting, made = run_with_progress(None, "Working…", work, keep=keep)
        assert not collecting and gc.isenabled()
        assert _in_a_generation(made) is not keep and _in_a_generation(made[7]) is not keep

        job = BackgroundJob()
        heard: list = []
        job.finished.connect(heard.append)
        job.start(work, keep=keep)
        qtbot.waitUntil(lambda: bool(heard), timeout=5000)
        collecting, made = heard[0]
        assert not collecting and gc.isenabled()
        assert _in_a_generation(made) is not keep

        with pytest.raises(ZeroDivisionError):
            run_with_progress(None, "Failing", lambda: 1 / 0, keep=keep)
        assert gc.isenabled()
    finally:
        gc.unfreeze()


class _Parsed:
    """Stands for what a refused file's reading held (its text, what was parsed of it)."""


@pytest.mark.parametrize("keep", [False, True])
def test_a_refusal_lets_go_of_what_the_work_held(qtbot, keep):
    """A refused 100,000-accelerator file kept ~40 MB alive per try: its exception's frames
    held the text, and the future and the frame that re-raised it held each other until a
    cyclic collection (a file opened next froze them for good). Now what the work held is
    freed as the refusal is handled, with no collection, and the message stays whole."""
    import gc
    import weakref

    alive: list[weakref.ref] = []

    def work():
        parsed = _Parsed()
        alive.append(weakref.ref(parsed))
        try:
            raise ValueError("the json inside")
        except ValueError:
            raise LayoutError("line 5 column 6: not valid JSON") from None

    gc.disable()  # only reference counting may free it
    try:
        with pytest.raises(LayoutError, match="line 5 column 6") as caught:
            run_with_progress(None, "Reading…", work, keep=keep)
        assert caught.value.__context__ is None  # raised 'from None': its context let go
        assert caught.value.__traceback__ is not None  # the lines are kept ...
        assert alive[0]() is None  # ... but not what their frames held
    finally:
        gc.enable()

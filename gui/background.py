"""Long work off the GUI thread, with a busy dialog, so the window keeps painting.

The engine is pure Python, so a worker thread shares the interpreter lock with the
GUI thread; Python hands the lock over every few milliseconds, which is enough for
the window to repaint and the dialog to animate while a large layout loads.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from model.bulk import paused_gc

T = TypeVar("T")
SHOW_AFTER_S = 0.3  # quick work never flashes a dialog
# The interpreter's switch interval while a worker runs: each call from Qt into Python (a
# table cell's paint, a timer) waits up to this long for the worker to let the lock go, and a
# repaint of the window makes hundreds (the busy dialog's appearing: 140-190 ms turns at 1 ms).
SWITCH_S = 0.0002
# How long a turn waits for the worker before it serves the window again: the window's timers
# fire no sooner (at 20 ms, the longest hold opening 100,000 accelerators was 60-85 ms).
WAIT_S = 0.005

POLL_MS = 15  # how often a BackgroundJob looks whether its worker is done

_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rack-designer-work")
_quick = {"jobs": 0, "interval": 0.005}  # workers running with the short switch interval, and Python's own
_quick_lock = threading.Lock()  # a job's end is told from the worker thread


def _switch_quickly() -> None:
    """The short switch interval (SWITCH_S) while any worker runs; the first caller keeps
    the interval there was, for the last `_switch_back` to put back."""
    with _quick_lock:
        if _quick["jobs"] == 0:
            _quick["interval"] = sys.getswitchinterval()
        _quick["jobs"] += 1
        sys.setswitchinterval(SWITCH_S)


def _switch_back(*_future: object) -> None:
    with _quick_lock:
        _quick["jobs"] = max(_quick["jobs"] - 1, 0)
        if _quick["jobs"] == 0:
            sys.setswitchinterval(_quick["interval"])


# The designer's input while the work runs: dropped, as a modal busy dialog's window drops it.
_INPUT = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.ContextMenu,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletRelease,
    }
)


class _DropInput(QObject):
    """An application event filter that swallows mouse, key, wheel and touch input. The turns
    that kept the window painting while a file was read left that input waiting, and it was
    carried out once the file was open: a click on Help made during a 5 s read opened the Help
    menu 5 s later (a fresh user's find)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        return event.type() in _INPUT


def _busy_dialog(parent: QWidget | None, label: str) -> QProgressDialog:
    """A shown, window-modal busy dialog saying `label`, with no Cancel (a half-read file has
    nothing worth keeping)."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.show()
    return dialog


def run_with_progress(
    parent: QWidget | None, label: str, work: Callable[[], T], at_once: bool = False, keep: bool = False
) -> T:
    """Runs `work` in a worker thread with the cyclic collector paused; returns its result or
    raises its exception. With `keep`, what it makes that lives on (a whole analysis) is kept
    out of later collections (made_long_lived).

    The busy dialog saying `label` shows once the work has taken SHOW_AFTER_S, or with
    `at_once` (work the caller knows is long: a big file) before the worker starts. Shown
    while the worker holds the interpreter lock, its first paint, which calls into Python
    many times, held the window 80-93 ms opening 100,000 accelerators; before, 11-15 ms.
    """
    # The GUI thread takes the interpreter lock many times a turn (each call back from Qt);
    # each time the worker holds it up to the switch interval (Python's 5 ms): shorter while
    # it works, so a turn of the event loop waits less for it.
    # What the window has waiting (its first show when a file is opened at start-up: ~40 ms
    # of layout and paint calling into Python hundreds of times) is done before the worker
    # contends for the lock: alongside it the same turn took 100-160 ms.
    dialog: QProgressDialog | None = None
    if at_once:
        dialog = _busy_dialog(parent, label)
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    _switch_quickly()
    future = _pool.submit(made_long_lived if keep else without_collections, work)
    started = time.monotonic()
    app = QApplication.instance()
    dropping = _DropInput()
    if app is not None:
        app.installEventFilter(dropping)
    try:
        while not wait([future], timeout=WAIT_S).done:
            if dialog is None and time.monotonic() - started > SHOW_AFTER_S:
                dialog = _busy_dialog(parent, label)
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 30)  # input dropped (_DropInput)
    finally:
        if app is not None:
            app.removeEventFilter(dropping)
        _switch_back()
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
    try:
        return future.result()
    finally:
        # A refusal's traceback holds this frame, and the future holds the refusal: without
        # this the two wait for a cyclic collection.
        del future


class BackgroundJob(QObject):
    """Work on the worker thread while the window goes on as usual: no dialog, input not
    dropped. For work the designer need not wait on (the cables table's first sort by a text
    column at 300,000 runs: ~1 s). `work` must only read what the GUI thread cannot change
    under it, or check afterwards that nothing changed (the caller's part).

    Emits `finished(value)` or `failed(exception)` on the GUI thread, looking every POLL_MS.
    One job at a time: `start` while one runs replaces it (its outcome is dropped)."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._future: Future | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def running(self) -> bool:
        """True from `start` until its outcome is emitted (or the job is dropped)."""
        return self._future is not None

    def start(self, work: Callable[[], object], keep: bool = False) -> None:
        """Runs `work` on the worker (after any work queued before it) with the cyclic
        collector paused; with `keep`, what it makes that lives on (an analysis, a table's
        texts) is kept out of later collections (made_long_lived). Raises nothing."""
        self.drop()
        # Quick switching until the work ends, dropped or not: it holds the lock meanwhile.
        _switch_quickly()
        self._future = _pool.submit(made_long_lived if keep else without_collections, work)
        self._future.add_done_callback(_switch_back)
        self._timer.start()

    def drop(self) -> None:
        """Forgets the running job: its outcome, when it comes, is not emitted."""
        self._future = None
        self._timer.stop()

    def _poll(self) -> None:
        future = self._future
        if future is None or not future.done():
            return
        self.drop()
        error = future.exception()
        if error is None:
            self.finished.emit(future.result())
        else:
            self.failed.emit(error)


YOUNG_OBJECTS = 50_000  # container objects made between two young collections (Python's default: 700)


def keep_long_lived() -> None:
    """Called when a whole layout has been read and shown: what is alive now (the layout,
    the document's indexes, the analysis' columns, the items drawing them) lives until the
    next file replaces it, so the cyclic garbage collector stops walking it (gc.freeze).
    At 100,000 accelerators each full pass over those millions of objects took 0.3-1.4 s
    and fell in the middle of an edit or a zoom. Layout objects hold no reference cycles
    (model.bulk): when a later file replaces them, reference counting frees them as before.

    It also lets more objects be made between young collections (YOUNG_OBJECTS, not Python's
    700): an edit's result holds a few dicts of one entry per cable, and each young collection
    walked them again; at 100,000 accelerators a delete made 15 of them, ~100 ms of its ~160 ms
    in the model (a delete with its figures: ~160 -> ~96 ms, measured with gc.callbacks)."""
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, older, oldest)


def without_collections(work: Callable[[], T]) -> T:
    """Runs `work` with the cyclic garbage collector paused (model.bulk.paused_gc); returns
    what it returns, raises what it raises. Every job on the worker runs so: a collection
    there holds the interpreter lock, and so the window, as long as it walks (an export's
    300,000 rows: a young pass of 74 ms, then one of 110 ms, at 100,000 accelerators). What
    the work made and dropped is freed by reference counting meanwhile (the layout's objects
    hold no cycles), so the first collection after it finds little. A refusal it raises
    lets go of what the work held (let_go)."""
    with paused_gc():
        try:
            return work()
        except BaseException as error:
            let_go(error)
            raise


def made_long_lived(work: Callable[[], T]) -> T:
    """Runs `work` (a whole analysis on a worker thread: a scenario's, or every cable's after
    a setting changed) with the cyclic garbage collector paused, then keeps what is alive out
    of later collections (keep_long_lived) before the collector is back on. Returns what
    `work` returns; raises what it raises (nothing is kept then).

    Why: objects made with the collector paused are all still in its youngest generation, and
    the first young collection after it walked every one. A scenario's analysis at 300,000
    cables holds ~2.8 million list items: that collection, on the worker, held the interpreter
    lock and so the window 105-155 ms after an undo with the Compare panel in sight. An
    analysis made here holds no reference cycles (model.analysis.analyse), so when a later
    one replaces it, reference counting frees it as if it had never been kept out."""
    with paused_gc():
        try:
            made = work()
        except BaseException as error:
            let_go(error)
            raise
        keep_long_lived()
    return made


def let_go(error: BaseException) -> None:
    """Clears the local variables of the frames `error` and the exceptions it was raised from
    went through (finished frames only), and forgets a context it was raised `from None` over.

    Why: a refused file's exception held, through its frames, the file's whole text and what
    was parsed of it (and a JSONDecodeError context holds the text as `doc`). The future and
    the frame that re-raised it hold each other, so only a cyclic collection freed them, and a
    file opened next froze them for good (keep_long_lived): each refused 100,000-accelerator
    file kept ~40-190 MB. The message, the types and the lines of the traceback stay."""
    seen: set[int] = set()
    chain: BaseException | None = error
    while chain is not None and id(chain) not in seen:
        seen.add(id(chain))
        traceback.clear_frames(chain.__traceback__)
        if chain.__suppress_context__:
            chain.__context__ = None
        chain = chain.__cause__ or chain.__context__

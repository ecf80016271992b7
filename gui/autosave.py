"""Crash insurance: while a layout has unsaved changes, write a recovery copy every minute.

The copy goes to $XDG_STATE_HOME/rack-designer/recovery/ (~/.local/state/... when unset),
one file per running app (named by process id) with a sidecar naming the layout file it
belongs to. A clean save or a normal quit removes it; a copy left behind by an app that
is no longer running is what `pending_recovery()` finds at the next start. A restored
copy is taken over (`Autosave.adopt`), not deleted: it stays until the work is saved or
discarded, so a crash right after restoring loses nothing.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from gui.background import BackgroundJob
from gui.context import AppContext
from model.errors import RackDesignerError
from model.io.atomic import remove_stale_temps_in
from model.io.files import layout_data, layout_data_steps, write_layout_data, write_text_atomic

INTERVAL_MS = 60_000
# From here the copy is written on the worker thread: at 100,000 accelerators (300,000
# cables) writing it took ~3 s, and the window froze that long every minute of editing.
BACKGROUND_CABLES = 5_000
READ_STEP_S = 0.012  # the layout read for a copy this long a turn (~0.35 s at 300,000 cables in all)
SUFFIX = ".recovery.json"


@dataclass(frozen=True)
class Recovery:
    """A recovery copy: the layout JSON, and the file it was the unsaved state of (None: untitled)."""

    path: Path
    origin: Path | None


def recovery_dir() -> Path:
    state_home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / "rack-designer" / "recovery"


def pending_recovery(folder: Path | None = None) -> Recovery | None:
    """The newest recovery copy left by an app that is no longer running, if any."""
    folder = folder or recovery_dir()
    if not folder.is_dir():
        return None
    remove_stale_temps_in(folder)  # a copy being written when the app was killed
    candidates = []
    for path in folder.glob(f"*{SUFFIX}"):
        pid = _pid_of(path)
        if pid is not None and pid != os.getpid() and _alive(pid):
            continue  # another running app's insurance, not a crash
        with contextlib.suppress(OSError):
            candidates.append((path.stat().st_mtime, path))
    if not candidates:
        return None
    path = max(candidates)[1]
    origin_text = ""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        origin_text = _origin_file(path).read_text(encoding="utf-8").strip()
    return Recovery(path, Path(origin_text) if origin_text else None)


def discard_recovery(recovery: Recovery) -> None:
    for path in (recovery.path, _origin_file(recovery.path)):
        with contextlib.suppress(OSError):
            path.unlink()


class Autosave(QObject):
    """Writes the recovery copy on a timer, only when there is something unsaved and new."""

    saved = Signal(object)  # Path of the recovery copy just written

    def __init__(
        self,
        context: AppContext,
        origin: Callable[[], Path | None],
        parent: QObject | None = None,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._origin = origin  # () -> Path | None: the layout file the copy stands in for
        self._changed_since_copy = False
        self.path = recovery_dir() / f"{os.getpid()}{SUFFIX}"
        # A copy written on the worker (write_now) is not written once discarded: discard
        # counts a generation, and the writer writes under the lock only in its own.
        self._lock = threading.Lock()
        self._generation = 0
        self._job = BackgroundJob(self)
        self._job.finished.connect(self._on_written)
        self._job.failed.connect(self._on_failed)
        self._reading: tuple | None = None  # (steps, document, revision, origin) of a copy being read
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.timeout.connect(self._read_some)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.write_now)
        context.documentChanged.connect(self._on_document_changed)
        self.timer.start()

    def _on_document_changed(self, _change: object) -> None:
        self._changed_since_copy = True

    def write_now(self) -> bool:
        """Writes the copy if there are unsaved changes it does not hold yet; True when written,
        or for a layout of BACKGROUND_CABLES cables or more, when it is being written (`saved`
        says when it is; an edit meanwhile leaves it unwritten, for the next tick)."""
        if self._context.undo_stack.isClean() or not self._changed_since_copy or self.writing:
            return False
        document, origin = self._context.document, self._origin()
        self._changed_since_copy = False  # an edit from here on sets it again
        if len(document.cables) >= BACKGROUND_CABLES:
            # Read here a piece a turn, where no edit can be half done (the layout's revision is
            # told only once an edit is whole: read on the worker, a copy could hold half of one),
            # and written on the worker from what was read.
            self._reading = (layout_data_steps(document.site), document, document.revision, origin)
            self._read_timer.start(0)
            return True
        try:
            written = self._writer(layout_data(document.site), document.site.name, origin, self._generation)()
        except Exception as exc:  # noqa: BLE001 - the same outcomes as the worker's
            self._on_failed(exc)
            return False
        self._on_written(written)
        return written is not None

    @property
    def writing(self) -> bool:
        """Whether a copy is being read (a piece a turn) or written (on the worker)."""
        return self._reading is not None or self._job.running

    def _read_some(self) -> None:
        """Reads the layout for the copy for READ_STEP_S a turn; once read, has the worker write it.
        An edit between two turns makes what was read a mix: dropped, for the next tick."""
        if self._reading is None:
            return
        steps, document, revision, origin = self._reading
        if document is not self._context.document or document.revision != revision:
            self._reading = None
            self._changed_since_copy = True
            return
        started = time.monotonic()
        try:
            next(steps)  # a piece at least, every turn
            while time.monotonic() - started < READ_STEP_S:
                next(steps)
        except StopIteration as done:
            self._reading = None
            self._job.start(self._writer(done.value, document.site.name, origin, self._generation))
            return
        self._read_timer.start(0)

    def _writer(self, data: dict, name: str, origin: Path | None, generation: int) -> Callable[[], Path | None]:
        """The work of one copy of `data` (layout_data), for any thread: written, or None when
        the copy was discarded meanwhile (a save, a quit), so none is left behind."""

        def write() -> Path | None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_layout_data(data, name, self.path)  # ~2 s at 300,000 cables: not under the lock
            with self._lock:
                if self._generation != generation:  # discarded while written: none is left behind
                    discard_recovery(Recovery(self.path, None))
                    return None
                write_text_atomic(_origin_file(self.path), f"{origin}\n" if origin else "")
            return self.path

        return write

    def _on_written(self, path: object) -> None:
        if path is not None:
            self.saved.emit(path)

    def _on_failed(self, error: BaseException) -> None:
        self._changed_since_copy = True  # still to write
        if not isinstance(error, OSError | RackDesignerError):
            raise error
        # Never a dialog from a timer: the designer is mid-edit. Say it and try again later.
        self._context.say(f"Autosave failed: {error}")

    def adopt(self, recovery: Recovery) -> bool:
        """Makes a restored copy this app's own (renamed to this process's name), so it stays
        recoverable until the work is saved or discarded; True when taken over. If it cannot be
        renamed it is left where it is, and the next start offers it again."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            origin = _origin_file(recovery.path)
            os.replace(recovery.path, self.path)
            if origin.exists():
                os.replace(origin, _origin_file(self.path))
        except OSError as exc:
            self._context.say(f"The recovery copy stays at {recovery.path}: {exc.strerror or exc}")
            return False
        self._changed_since_copy = False  # the copy holds the restored state
        return True

    def discard(self) -> None:
        """Removes this app's copy (after a clean save, or on quit); a copy being written on the
        worker is then not written."""
        self._changed_since_copy = False
        self._job.drop()
        self._reading = None
        self._read_timer.stop()
        with self._lock:
            self._generation += 1
            discard_recovery(Recovery(self.path, None))

    def stop(self) -> None:
        self.timer.stop()
        self.discard()


def _origin_file(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(SUFFIX) + ".origin")


def _pid_of(path: Path) -> int | None:
    stem = path.name.removesuffix(SUFFIX)
    return int(stem) if stem.isdigit() else None


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return False  # os.kill(pid, 0) would send Ctrl+C there; offering a live app's copy is the lesser harm
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or the platform cannot tell: leave it alone
    return True

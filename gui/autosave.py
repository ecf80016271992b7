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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from gui.context import AppContext
from model.errors import RackDesignerError
from model.io.atomic import remove_stale_temps_in
from model.io.files import save_layout, write_text_atomic

INTERVAL_MS = 60_000
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
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.write_now)
        context.documentChanged.connect(self._on_document_changed)
        self.timer.start()

    def _on_document_changed(self, _change: object) -> None:
        self._changed_since_copy = True

    def write_now(self) -> bool:
        """Writes the copy if there are unsaved changes it does not hold yet; True when written."""
        if self._context.undo_stack.isClean() or not self._changed_since_copy:
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            save_layout(self._context.document.site, self.path)
            origin = self._origin()
            write_text_atomic(_origin_file(self.path), f"{origin}\n" if origin else "")
        except (OSError, RackDesignerError) as exc:
            # Never a dialog from a timer: the designer is mid-edit. Say it and try again later.
            self._context.say(f"Autosave failed: {exc}")
            return False
        self._changed_since_copy = False
        self.saved.emit(self.path)
        return True

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
        """Removes this app's copy (after a clean save, or on quit)."""
        self._changed_since_copy = False
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

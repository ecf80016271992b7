"""Writing files without losing the old one, and without leaving anything behind.

Every file Rack Designer writes (layouts, the recovery copy, CSVs, PDF, SVG, PNG) goes
through `atomic_write`: the content goes to a temporary file beside the target, is
flushed and synced, then renamed over the target in one step, so a crash, a kill -9 or
a full disk leaves either the old file or the new one, never half of one.

The temporary file is named `.<name>.rdtmp-<pid>-<random>.tmp`. A kill -9 between its
creation and the rename leaves it behind; the next write of the same target (and the
app at start, for its recent files) removes every such file whose process is gone.
Files are created with mode 0666 less the umask, as the user's other files are; a file
that exists keeps its permissions. A target that is not a regular file (/dev/null,
/dev/full, a pipe) is written in place: renaming over a device would replace the device.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from model.errors import FileFormatError, ReadOnlyFileError

TEMP_TAG = "rdtmp"
_OURS = re.compile(rf"^\.(?P<name>.+)\.{TEMP_TAG}-(?P<pid>[0-9]+)-[0-9a-f]{{8}}\.tmp$")
# Names tempfile.mkstemp gave before the pid was in the name: removed once clearly abandoned.
_LEGACY = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")
LEGACY_STALE_AFTER_S = 3600.0
# A temp file this old is abandoned even when its pid has been reused by another process.
STALE_AFTER_S = 24 * 3600.0

_ACTIVE: set[str] = set()  # temp files this process is writing right now (autosave runs beside a save)
_ACTIVE_LOCK = threading.Lock()


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], *, binary: bool = False, replace_read_only: bool = False
) -> Iterator[IO]:
    """A handle (text UTF-8 with newlines as written, or binary) whose content replaces `path` on leaving.

    Raises FileFormatError naming the file and the cause (no such folder, permission,
    full disk, a character UTF-8 cannot encode); ReadOnlyFileError when `path` is a
    read-only file and `replace_read_only` is False. On any failure (or when the body
    raises) the temporary file is removed and `path` is as it was.
    """
    target = Path(path)
    temp: Path | None = None
    try:
        existing = _stat(target)
        if existing is not None and stat.S_ISDIR(existing.st_mode):
            raise IsADirectoryError(21, "it is a folder")
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            with _open(target, binary) as handle:
                yield handle
            return
        if existing is not None and not replace_read_only and is_read_only(target, existing):
            raise _read_only_error(target, existing)
        if target.is_symlink():  # write the file the link points to, and keep the link
            target = Path(os.path.realpath(target))
        remove_stale_temps(target)
        temp, fd = _create_temp(target)
        with _open(fd, binary) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if existing is not None:
            os.chmod(temp, stat.S_IMODE(existing.st_mode))
        os.replace(temp, target)
        _forget(temp)
        temp = None
        _sync_folder(target.parent)
    except OSError as exc:
        raise FileFormatError(f"cannot save {target}: {exc.strerror or exc}", whole_file=True) from None
    except UnicodeEncodeError as exc:
        character = f"U+{ord(exc.object[exc.start]):04X}"
        raise FileFormatError(f"cannot save {target}: it would hold {character}, which UTF-8 cannot encode") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            _forget(temp)


def write_text_atomic(path: str | os.PathLike[str], text: str, *, replace_read_only: bool = False) -> None:
    """Writes `text` (UTF-8) to `path` atomically; errors as `atomic_write`."""
    with atomic_write(path, replace_read_only=replace_read_only) as handle:
        handle.write(text)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, replace_read_only: bool = False) -> None:
    """Writes `data` to `path` atomically; errors as `atomic_write`."""
    with atomic_write(path, binary=True, replace_read_only=replace_read_only) as handle:
        handle.write(data)


def check_target(path: str | os.PathLike[str], *, replace_read_only: bool = False) -> None:
    """Raises before any work when `atomic_write(path)` would surely fail: FileFormatError for a
    missing folder or a folder in the way, ReadOnlyFileError for a read-only file. A long export
    (a 20,000-page PDF) calls this first, so a wrong place is said at once, not after minutes."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileFormatError(f"cannot save {target}: no such folder {folder}", whole_file=True)
    existing = _stat(target)
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise FileFormatError(f"cannot save {target}: it is a folder", whole_file=True)
    if existing is not None and stat.S_ISREG(existing.st_mode) and not replace_read_only and is_read_only(target):
        raise _read_only_error(target, existing)


def is_read_only(path: Path, status: os.stat_result | None = None) -> bool:
    """True when `path` is a file its owner may not write (no owner write bit, or no write access)."""
    status = status or _stat(path)
    if status is None:
        return False
    return not status.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK)


def remove_stale_temps(target: str | os.PathLike[str]) -> list[Path]:
    """Removes the temp files an interrupted write of `target` left beside it; returns what it removed.

    Only names of our own pattern for this target whose writing process is gone (or that
    are a day old) are touched. A folder that cannot be listed removes nothing.
    """
    target = Path(target)
    return _remove_stale(target.parent, lambda name: name == target.name)


def remove_stale_temps_in(folder: str | os.PathLike[str]) -> list[Path]:
    """Removes every stale temp file of ours in `folder` (for the app's own folders at start)."""
    return _remove_stale(Path(folder), lambda name: True)


def _remove_stale(folder: Path, wanted) -> list[Path]:
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder or "."))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.endswith(".tmp") or not entry.name.startswith("."):
            continue
        ours, legacy = _OURS.match(entry.name), _LEGACY.match(entry.name)
        match = ours or legacy
        if match is None or not wanted(match.group("name")):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        age = now - info.st_mtime
        if ours is not None:
            stale = age > STALE_AFTER_S or not _writer_alive(int(ours.group("pid")), entry.path)
        else:
            stale = age > LEGACY_STALE_AFTER_S
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _writer_alive(pid: int, path: str) -> bool:
    if pid == os.getpid():
        with _ACTIVE_LOCK:
            return os.path.abspath(path) in _ACTIVE
    return pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """True when a process `pid` exists (or the platform cannot tell); False when it is gone."""
    if os.name == "nt":
        return True  # os.kill(pid, 0) would stop it there; age alone ends its temp files
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists but is not ours
    return True


def _create_temp(target: Path) -> tuple[Path, int]:
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{TEMP_TAG}-{os.getpid()}-{secrets.token_hex(4)}.tmp")
        with _ACTIVE_LOCK:
            _ACTIVE.add(os.path.abspath(temp))
        try:
            # 0o666: the kernel takes the umask off, so the file gets the user's usual permissions.
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            _forget(temp)
            continue
        except OSError:
            _forget(temp)
            raise
        return temp, fd
    raise FileExistsError(17, "no free temporary name")


def _forget(temp: Path) -> None:
    with _ACTIVE_LOCK:
        _ACTIVE.discard(os.path.abspath(temp))


def _read_only_error(target: Path, status: os.stat_result) -> ReadOnlyFileError:
    return ReadOnlyFileError(
        f"{target} is read-only (permissions {stat.filemode(status.st_mode)}): not replaced", str(target)
    )


def _open(file: Path | int, binary: bool) -> IO:
    """`file` (a path, or a descriptor it then owns) opened for writing: bytes, or UTF-8 text
    with newlines written as given."""
    return open(file, "wb") if binary else open(file, "w", encoding="utf-8", newline="")


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except OSError:
        return None


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform can open a folder, which is fine.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

"""Layout files: read them without surprises, write them without losing the old one.

A layout is JSON (never code). Every refusal is one line naming the file and the
place in it, so the CLI, the app's dialog and a designer editing by hand all see
where to look. Writing goes through a temporary file in the same folder and an
atomic rename, so a crash or a full disk never leaves half a layout behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from model import layout
from model.catalog import Catalog, default_catalog
from model.errors import FileFormatError, LayoutError
from model.io.migrations import migrate
from model.layout import FILE_KIND, Site
from model.rules import check_site


def load_layout(path: str | os.PathLike[str], catalog: Catalog | None = None) -> Site:
    """Reads and checks a layout file; raises FileFormatError or LayoutError naming file and place."""
    origin = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FileFormatError(f"{origin}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"{origin}: not a text file (byte {exc.start} is not UTF-8)") from None
    return loads_layout(text, origin, catalog)


def loads_layout(text: str, origin: str, catalog: Catalog | None = None) -> Site:
    """Parses and checks layout JSON; `origin` names it in messages (a path, '<clipboard>', ...)."""
    data = _parse_json(text, origin)
    if not isinstance(data, dict) or data.get("kind") != FILE_KIND:
        raise FileFormatError(f"{origin} is not a Rack Designer layout (JSON of another kind)")
    version = data.get("schema_version")
    current = layout.SCHEMA_VERSION  # read at call time: tests raise it to exercise migrations
    if "schema_version" not in data:
        raise FileFormatError(f"{origin}: schema_version is missing (this Rack Designer writes {current})")
    if isinstance(version, bool) or not isinstance(version, int):
        raise FileFormatError(f"{origin}: schema_version must be a whole number, not {version!r}")
    if version > current:
        raise FileFormatError(
            f"{origin} needs schema version {version}; this Rack Designer reads up to {current} (a newer release wrote it)"
        )
    if version < current:
        data = migrate(data, origin, current)
    try:
        site = Site.model_validate(data)
    except ValidationError as exc:
        where, message = describe_validation_error(exc)
        raise _in_file(LayoutError(message, where), origin) from None
    try:
        check_site(site, catalog or default_catalog())
    except LayoutError as exc:
        raise _in_file(exc, origin) from None
    return site


def save_layout(site: Site, path: str | os.PathLike[str]) -> None:
    """Writes `site` atomically: the old file stays whole until the new one is complete on disk."""
    write_text_atomic(path, dumps_layout(site))


def dumps_layout(site: Site) -> str:
    # Every field is written, defaults included, so a file means the same under future defaults.
    return json.dumps(site.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n"


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Writes `text` to `path` atomically (see `atomic_text_write`)."""
    with atomic_text_write(path) as handle:
        handle.write(text)


@contextlib.contextmanager
def atomic_text_write(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text handle on a temp file beside `path`; on leaving, flush, fsync and rename it over `path`.

    If anything fails (or the body raises) the temp file is removed and the old file stays
    as it was; an OSError becomes a FileFormatError saying why the save failed.
    """
    target = Path(path)
    temp_name: str | None = None
    try:
        if target.is_dir():
            raise IsADirectoryError(21, "it is a folder")
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private; keep the permissions the user's file had (or the usual ones).
        os.chmod(temp_name, _mode_for(target))
        os.replace(temp_name, target)
        temp_name = None
        _sync_folder(target.parent)
    except OSError as exc:
        raise FileFormatError(f"cannot save {target}: {exc.strerror or exc}") from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)


def describe_validation_error(error: ValidationError) -> tuple[str, str]:
    """The first problem as (path like racks[3].devices[2].u_position, readable message)."""
    problems = error.errors()
    first = problems[0]
    where = loc_path(first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    value = first.get("input")
    if first["type"] not in ("missing", "extra_forbidden"):
        shown = _shown(value)
        if shown is not None and shown not in message:
            message = f"{message} (got {shown})"
    if first["type"] == "extra_forbidden":
        message = "unknown field (misspelt?)"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return where, message


def _shown(value: Any) -> str | None:
    """A short rendering of a bad scalar value, or None when it would not help."""
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,g}" if abs(value) < 1e15 else f"{value:g}"
    if isinstance(value, str) and len(value) <= 60:
        return repr(value)
    return None


def loc_path(loc: tuple[Any, ...]) -> str:
    """('racks', 3, 'devices', 2, 'u_position') -> 'racks[3].devices[2].u_position'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _in_file(error: LayoutError, origin: str) -> LayoutError:
    # `where` stays a path inside the layout (the app selects the thing it names); the text names the file too.
    located = LayoutError(error.message, error.where)
    located.args = (f"{origin}: {located}",)
    return located


def _parse_json(text: str, origin: str) -> Any:
    if not text.strip():
        raise FileFormatError(f"{origin} is empty")
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_repeated_keys)
    except json.JSONDecodeError as exc:
        rest = text[exc.pos :]
        # Cut off inside a string: the error points at the string's opening quote.
        cut_in_string = exc.msg.startswith("Unterminated string") and '"' not in rest[1:]
        if not rest.strip() or cut_in_string:
            reason = "the file ends too early (truncated?)"
        else:
            reason = exc.msg.removesuffix(" starting at")
        raise FileFormatError(f"{origin}: line {exc.lineno} column {exc.colno}: not valid JSON: {reason}") from None
    except (ValueError, RecursionError) as exc:
        raise FileFormatError(f"{origin}: not valid JSON: {exc}") from None


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a layout may hold")


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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

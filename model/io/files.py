"""Layout files: read them without surprises, write them without losing the old one.

A layout is JSON (never code). Every refusal is one line naming the file and the
place in it (line and column, or the field's path), so the CLI, the app's dialog and a
designer editing by hand all see where to look. A file over MAX_FILE_BYTES is refused
before it is read. Writing goes through model.io.atomic: a temporary file in the same
folder and an atomic rename, so a crash or a full disk never leaves half a layout behind.
What is saved is always readable again: non-finite numbers cannot enter the model, and
`dumps_layout` refuses to write one all the same.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import re
from collections.abc import Generator, Iterator
from typing import Any, BinaryIO, TextIO

from pydantic import TypeAdapter, ValidationError

from model import layout
from model.bulk import paused_gc
from model.catalog import Catalog, default_catalog
from model.errors import FileFormatError, LayoutError
from model.io.atomic import atomic_write, write_text_atomic
from model.io.json_text import check_depth, parse_json, strict_decoder
from model.io.lean_cables import checked_columns, string_count
from model.io.migrations import migrate
from model.layout import FILE_KIND, Cable, CableColumns, Site, share_fields_sets
from model.rules import check_site
from model.text import NotUtf8Error, brief, field_path, utf8_text

__all__ = ["atomic_text_write", "dumps_layout", "load_layout", "loads_layout", "save_layout", "write_text_atomic"]

# 3,000,000 cables (layout.MAX_CABLES: 1,000,000 accelerators in three tiers) make about
# 650 MB; past this a file is not a layout we could analyse in reasonable time, and reading
# it would take more memory than a workstation has to spare.
MAX_FILE_BYTES = 1_000_000_000
CABLE_CHUNK = 10_000  # cables made into models at a time while reading (see _cables_first)
_CABLE_LIST = TypeAdapter(list[Cable])
_RACK_LIST = TypeAdapter(list[layout.Rack])
# Written a piece at a time (layout_data): ~6 ms of the serializer a call.
DUMP_CABLES = 5_000
DUMP_RACKS = 200  # with their devices: ~6-7 each in an AI hall
WRITE_PIECES = 20_000  # pieces of the JSON encoder's text joined and written at a time


def load_layout(path: str | os.PathLike[str], catalog: Catalog | None = None, *, lean: bool = False) -> Site:
    """Reads and checks a layout file; raises FileFormatError or LayoutError naming file and place.

    `lean`: for a reader that edits nothing (the command line), the cables are kept as
    columns (model.layout.CableColumns), each read into a model a chunk at a time as the
    text is parsed: the site reads alike, but its cables cannot be edited.
    """
    origin = str(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise FileFormatError(
                    f"{origin}: {size / 1e6:,.0f} MB is too large for a layout (at most {MAX_FILE_BYTES / 1e6:,.0f} MB)",
                    whole_file=True,
                )
            raw = _read_at_most(handle, size, MAX_FILE_BYTES)
    except OSError as exc:
        raise FileFormatError(f"{origin}: cannot read: {exc.strerror or exc}", whole_file=True) from None
    if len(raw) > MAX_FILE_BYTES:  # a pipe or a file still growing: the size was not known beforehand
        raise FileFormatError(
            f"{origin}: too large for a layout (over {MAX_FILE_BYTES / 1e6:,.0f} MB)", whole_file=True
        )
    try:
        text = utf8_text(raw)
    except NotUtf8Error as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise FileFormatError(f"{origin}: line {line} column {column}: {exc}", line=line, column=column) from None
    # Neither the bytes nor the text are held while the models are made: at 300,000 cables
    # each is 63 MB of the peak (bench/memory.py).
    del raw
    with paused_gc():  # a layout's objects hold no cycles (see model.bulk)
        data = _streamed(text) if lean else None
        if data is None:
            data = parse_json(text, origin)
        del text
        return _site_from_json(data, origin, catalog)


def _read_at_most(handle: BinaryIO, size: int, limit: int) -> bytes:
    """The bytes of `handle`, or its first `limit` + 1 when it holds more (a pipe, or a file
    growing while read). Asks for the size the file says it has, then 16 MB at a time: a
    read(limit + 1) would reserve a gigabyte for every file, and fail under a memory limit."""
    pieces = [handle.read(min(size, limit) + 1)] if size else []
    total = len(pieces[0]) if pieces else 0
    while total <= limit:
        piece = handle.read(min(_READ_PIECE, limit + 1 - total))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
    return b"".join(pieces)  # one piece (every file that is not growing): that piece itself


_READ_PIECE = 16_000_000


def loads_layout(text: str, origin: str, catalog: Catalog | None = None) -> Site:
    """Parses and checks layout JSON; `origin` names it in messages (a path, '<clipboard>', ...)."""
    with paused_gc():  # a layout's objects hold no cycles (see model.bulk)
        return _site_from_json(parse_json(text, origin), origin, catalog)


def _site_from_json(data: Any, origin: str, catalog: Catalog | None) -> Site:
    if not isinstance(data, dict):
        raise FileFormatError(
            f"{origin} is not a Rack Designer layout (JSON of another kind: not an object)", whole_file=True
        )
    if data.get("kind") != FILE_KIND:
        found = f"kind is {brief(data['kind'])}" if "kind" in data else "no kind"
        raise FileFormatError(f"{origin} is not a Rack Designer layout (JSON of another kind: {found})", where="kind")
    version = data.get("schema_version")
    current = layout.SCHEMA_VERSION  # read at call time: tests raise it to exercise migrations
    if "schema_version" not in data:
        raise FileFormatError(
            f"{origin}: schema_version is missing (this Rack Designer writes {current})", where="schema_version"
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise FileFormatError(
            f"{origin}: schema_version must be a whole number, not {brief(version)}", where="schema_version"
        )
    if version > current:
        raise FileFormatError(
            f"{origin} needs schema version {brief(version)}; this Rack Designer reads up to {current} "
            "(a newer release wrote it)",
            where="schema_version",
        )
    if version < current:
        check_depth(data, origin)  # a migration walks the data recursively
        data = migrate(data, origin, current)
    columns = data.get("cables")
    if isinstance(columns, CableColumns):  # read and checked as it was parsed (_streamed)
        data["cables"] = []
    else:
        columns = None
        _cables_first(data)
    try:
        site = Site.model_validate(data)
    except ValidationError as exc:
        where, message = describe_validation_error(exc)
        raise _in_file(LayoutError(message, where), origin) from None
    if columns is not None:
        site.__dict__["cables"] = columns  # Site's field is a list: set past its check, as the columns are checked
    try:
        check_site(site, catalog or default_catalog())
    except LayoutError as exc:
        raise _in_file(exc, origin) from None
    share_fields_sets(itertools.chain(site.racks, site.trays, (d for rack in site.racks for d in rack.devices)))
    return site


def _cables_first(data: dict[str, Any]) -> None:
    """Turns data['cables'] into Cable models in place, CABLE_CHUNK at a time, each chunk's
    dicts freed as its models are made and the models sharing one set of field names: the
    parsed cables and their models are never all held at once (at 300,000 cables that
    overlap was the read's peak). Stops at the first chunk with a problem, leaving the rest
    as read: Site.model_validate then checks everything and names it as it always has (a
    Cable passes through it as it is)."""
    cables = data.get("cables")
    if not isinstance(cables, list) or len(cables) > layout.MAX_CABLES:
        return  # Site.model_validate refuses it as it stands
    for start in range(0, len(cables), CABLE_CHUNK):
        try:
            models = _CABLE_LIST.validate_python(cables[start : start + CABLE_CHUNK])
        except ValidationError:
            return
        share_fields_sets(models)
        cables[start : start + CABLE_CHUNK] = models


def _streamed(text: str) -> dict[str, Any] | None:
    """The layout object of `text` with its cables as CableColumns, each CABLE_CHUNK of
    them made into Cable models (and let go) as soon as they are parsed: the parsed
    cables are never all held at once. None when the text is not read this way: a current
    layout whose "kind" and "schema_version" come before its cables, parsed by the same
    strict decoder as parse_json, with no problem anywhere (the caller then parses it
    whole, which also says where a problem is)."""
    try:
        decoder = strict_decoder(text, "")
    except FileFormatError:
        return None
    scan = decoder.scan_once  # type: ignore[attr-defined]  # set by JSONDecoder.__init__, not in typeshed
    data: dict[str, Any] = {}
    try:
        pos = _skip(text, 0)
        if text[pos] != "{":
            return None
        pos = _skip(text, pos + 1)
        while True:
            if text[pos] != '"':
                return None
            key, pos = scan(text, pos)
            pos = _skip(text, pos)
            if key in data or key not in Site.model_fields or text[pos] != ":":
                return None  # parse_json says what is wrong (a key twice, or a surrogate in it), else the model
            pos = _skip(text, pos + 1)
            if key == "cables" and text[pos] == "[" and _current(data):
                data[key], pos = _streamed_cables(text, pos + 1, decoder)
            else:
                data[key], pos = scan(text, pos)
            pos = _skip(text, pos)
            if text[pos] == "}":
                break
            if text[pos] != ",":
                return None
            pos = _skip(text, pos + 1)
    except (ValueError, IndexError, StopIteration, RecursionError):  # ValidationError is a ValueError
        return None
    if _skip(text, pos + 1) != len(text) or not isinstance(data.get("cables"), CableColumns):
        return None
    return data


def _current(data: dict[str, Any]) -> bool:
    version = data.get("schema_version")
    return data.get("kind") == FILE_KIND and type(version) is int and version == layout.SCHEMA_VERSION


def _streamed_cables(text: str, pos: int, decoder: json.JSONDecoder) -> tuple[CableColumns, int]:
    """The cables of the list starting at `pos` (past its '['), and the position past its
    ']'; ValueError (pydantic's ValidationError among them) at anything _streamed declines.

    The list is parsed ~CABLE_TEXT chunk of text at a time (by the C parser, as parse_json
    does) up to a break between two cables (_BETWEEN), then the last few cables one by one."""
    columns = CableColumns()

    def take(items: list[Any]) -> None:
        if len(columns) + len(items) > layout.MAX_CABLES:
            raise ValueError("too many cables")
        for start in range(0, len(items), CABLE_CHUNK):
            chunk = items[start : start + CABLE_CHUNK]
            checked = checked_columns(chunk)  # a column at a time; None: pydantic reads them and words a refusal
            if checked is None:
                columns.extend(_CABLE_LIST.validate_python(chunk))
            else:
                columns.extend_columns(checked)

    pos = _skip(text, pos)
    if text[pos] == "]":
        return columns, pos + 1
    # The strict decoder's hooks but for its check of a key twice in an object (a Python call
    # per cable: ~0.1 s at 200,000): a piece it reads is taken only when its quotes prove that
    # no key repeats (string_count), else it is read again by the strict one.
    plain = json.JSONDecoder(
        parse_float=decoder.parse_float, parse_int=decoder.parse_int, parse_constant=decoder.parse_constant
    )
    while (between := _BETWEEN.search(text, pos + CABLE_TEXT)) is not None:
        piece = "[" + text[pos : between.start() + 1] + "]"
        try:
            items = plain.decode(piece)
            checked = checked_columns(items) if piece.count("{") == len(items) else None  # no object in a cable
            if checked is not None and piece.count('"') == 2 * string_count(checked):
                if len(columns) + len(items) > layout.MAX_CABLES:
                    raise ValueError("too many cables")
                columns.extend_columns(checked)
            else:
                take(decoder.decode(piece))
        except ValidationError:
            # A piece that parses is whole cables of this list, and pydantic refuses one: the file
            # is refused by the whole read, so the rest is not read cable by cable first (which
            # doubled the CPU time of such a refusal).
            raise
        except (ValueError, RecursionError):
            break  # the list ends before that break (or holds a problem): the rest one by one
        pos = between.end() - 1  # at the next cable's '{'
    scan, chunk = decoder.scan_once, []  # type: ignore[attr-defined]  # set by JSONDecoder.__init__
    while True:
        item, pos = scan(text, pos)
        chunk.append(item)
        pos = _skip(text, pos)
        if text[pos] == "]":
            break
        if text[pos] != ",":
            raise ValueError("not a list")
        pos = _skip(text, pos + 1)
    take(chunk)
    return columns, pos + 1


CABLE_TEXT = 2_000_000  # characters of cables parsed at a time: ~10,000 as this tool writes them
# Between two cables: '}', ',' and '{' with a line break after the comma. No JSON string holds
# a line break, so a match is between two objects of one list; if that list is not the
# cables' (or the cables end before it), the text up to it is no list of objects and the
# rest is read cable by cable.
_BETWEEN = re.compile(r"\}[ \t\r\n]*,[ \t\r]*\n[ \t\r\n]*\{")
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]  # '*' always matches


def save_layout(site: Site, path: str | os.PathLike[str], *, replace_read_only: bool = False) -> None:
    """Writes `site` atomically: the old file stays whole until the new one is complete on disk.

    Raises FileFormatError naming the file and the cause; ReadOnlyFileError when `path` is
    read-only and `replace_read_only` is False (the CLI refuses, the app asks first).
    """
    write_layout_data(layout_data(site), site.name, path, replace_read_only=replace_read_only)


def write_layout_data(
    data: dict[str, Any], name: str, path: str | os.PathLike[str], *, replace_read_only: bool = False
) -> None:
    """Writes `data` (layout_data of the layout named `name`) atomically as a layout file,
    the bytes of encode_layout, WRITE_PIECES pieces of the encoder's text a write: joining
    the ~10 million pieces of 300,000 cables' text in one call held the interpreter lock
    ~0.2 s (the app saves big layouts on a worker beside its window). Raises as save_layout."""
    encoder = json.JSONEncoder(indent=1, ensure_ascii=False, allow_nan=False)
    try:
        with atomic_text_write(path, replace_read_only=replace_read_only) as handle:
            pieces = encoder.iterencode(data)
            while batch := list(itertools.islice(pieces, WRITE_PIECES)):
                handle.write("".join(batch))
            handle.write("\n")
    except ValueError as exc:  # the models refuse inf and NaN; this guards a model built without checks
        raise FileFormatError(f"cannot write {brief(name)}: {exc} (the file could not be read back)") from None


def dumps_layout(site: Site) -> str:
    """The layout as the JSON text a file holds; FileFormatError if it held a non-finite number."""
    return encode_layout(layout_data(site), site.name)


def layout_data(site: Site) -> dict[str, Any]:
    """site.model_dump(mode="json") (every field, defaults included, so a file means the same
    under future defaults), its racks DUMP_RACKS and its cables DUMP_CABLES a call into
    pydantic's serializer: one call over 300,000 cables held the interpreter lock ~0.35 s,
    and the app writes big layouts on a worker thread (gui.autosave, gui.file_controller)
    beside a window that needs the lock. Raises what model_dump raises."""
    steps = layout_data_steps(site)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def layout_data_steps(site: Site) -> Generator[None, None, dict[str, Any]]:
    """layout_data a piece at a time: yields after each call into the serializer, returns the
    data. For a caller that must not let the layout change while it is read (the app's
    autosave, on the GUI thread between its turns, checking the layout's revision)."""
    data = site.model_dump(mode="json", exclude={"racks", "cables"})
    yield
    cables = site.cables if isinstance(site.cables, list) else list(site.cables)  # CableColumns: read lean
    pieces: list[tuple[str, TypeAdapter[Any], list[Any], int]] = [
        ("racks", _RACK_LIST, list(site.racks), DUMP_RACKS),
        ("cables", _CABLE_LIST, cables, DUMP_CABLES),
    ]
    for name, adapter, items, size in pieces:
        dumped: list[Any] = []
        for at in range(0, len(items), size):
            dumped.extend(adapter.dump_python(items[at : at + size], mode="json"))
            yield
        data[name] = dumped
    return {name: data[name] for name in Site.model_fields if name in data}  # the fields' order, as model_dump's


def encode_layout(data: dict[str, Any], name: str) -> str:
    """`data` (layout_data) as the JSON text a file holds. The standard library's encoder, in
    Python with an indent, so other threads run meanwhile (~2 s at 300,000 cables). Raises
    FileFormatError for a non-finite number (`name`: the layout's, for the message)."""
    try:
        return json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    except ValueError as exc:  # the models refuse inf and NaN; this guards a model built without checks
        raise FileFormatError(f"cannot write {brief(name)}: {exc} (the file could not be read back)") from None


@contextlib.contextmanager
def atomic_text_write(path: str | os.PathLike[str], *, replace_read_only: bool = False) -> Iterator[TextIO]:
    """A UTF-8 text handle whose content replaces `path` atomically on leaving (see model.io.atomic)."""
    with atomic_write(path, replace_read_only=replace_read_only) as handle:
        assert isinstance(handle, io.TextIOWrapper)  # text mode: opened with an encoding
        yield handle


def describe_validation_error(error: ValidationError) -> tuple[str, str]:
    """The first problem as (path like racks[3].devices[2].u_position, readable message)."""
    problems = error.errors()
    first = problems[0]
    # A field of several forms ("b": a port or a list of ports) adds the form's validator to the
    # path ('function-after[check_reference_text(), str]'): the designer's file has no such field.
    loc = tuple(part for part in first["loc"] if not (isinstance(part, str) and "[" in part))
    where = loc_path(loc) or "(top level)"  # a check of the whole object has no field
    message = first["msg"].removeprefix("Value error, ")
    value = first.get("input")
    if first["type"] == "int_parsing_size":
        # pydantic words it for a string ("Unable to parse input string as an integer, exceeded
        # maximum size"), though the file gave a number such as 1e308 (a fresh user's find).
        message = "far too large for a whole number"
    if first["type"] == "too_long" and isinstance(value, str):
        # pydantic words a text's length limit for lists ("at most 200 items after validation").
        message = f"is {len(value):,} characters long; at most {first['ctx']['max_length']:,} are allowed"
    elif first["type"] not in ("missing", "extra_forbidden"):
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
        return f"{value:,}" if abs(value) < 10**15 else brief(value)
    if isinstance(value, float):
        return f"{value:,g}" if abs(value) < 1e15 else f"{value:g}"
    if isinstance(value, str) and len(value) <= 60:
        return brief(value)
    return None


def loc_path(loc: tuple[Any, ...]) -> str:
    """('racks', 3, 'devices', 2, 'u_position') -> 'racks[3].devices[2].u_position' (see model.text.field_path)."""
    return field_path(loc)


def _in_file(error: LayoutError, origin: str) -> LayoutError:
    # `where` stays a path inside the layout (the app selects the thing it names); the text names the file too.
    located = LayoutError(error.message, error.where)
    located.args = (f"{origin}: {located}",)
    return located

"""YAML from outside (NetBox device types, the designer's device library), read without surprises.

`yaml.safe_load` never runs code, but it still lets a 600-byte file of nested aliases
(a "billion laughs") stand for a billion values, and its fast C composer crashes the
process on deep nesting. So before anything is built, one pass over the parser's
events (libyaml's parser keeps its own stack, whatever the depth) measures the document:

- at most `max_bytes` of text,
- nesting at most MAX_DEPTH levels,
- at most MAX_ALIASES aliases, and at most MAX_NODES values once every alias is expanded
  (an alias counts as everything its anchor holds; an alias inside its own anchor is refused).

Only then is the document built, with the safe loader. Every refusal is a CatalogError
naming the file and, where there is one, the line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from model.errors import CatalogError
from model.text import NotUtf8Error, brief, terminal_safe, utf8_text

MAX_DEPTH = 64
MAX_ALIASES = 100
MAX_NODES = 200_000
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_file(path: Path, max_bytes: int) -> Any:
    """The value of the YAML file at `path`; CatalogError naming the file (and place) if it cannot be read."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise CatalogError(f"{path}: larger than {max_bytes / 1e6:g} MB, too large for this kind of file")
    try:
        text = utf8_text(raw)
    except NotUtf8Error as exc:
        raise CatalogError(f"{path}: {exc}") from None
    return load_yaml_text(text, str(path))


def load_yaml_text(text: str, origin: str) -> Any:
    """The value of the YAML `text` after the bounds above; CatalogError naming `origin` otherwise."""
    try:
        _measure(text, origin)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, never yaml.Loader
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):
            # PyYAML 6.0.4 limits nesting in its own scanner, ahead of the events counted above.
            raise CatalogError(f"{origin}: refused: nested deeper than {MAX_DEPTH} levels") from None
        mark = exc.problem_mark or exc.context_mark
        where = f" line {mark.line + 1} column {mark.column + 1}:" if mark is not None else ""
        raise CatalogError(f"{origin}:{where} not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise CatalogError(f"{origin}: not valid YAML: {brief(str(exc), 120)}") from None
    except RecursionError:
        raise CatalogError(f"{origin}: nested too deeply to read") from None


def _measure(text: str, origin: str) -> None:
    # Per open collection: [expanded values so far, anchor or None]
    stack: list[list[Any]] = [[0, None]]
    sizes: dict[str, int] = {}
    aliases = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) > MAX_DEPTH:
                raise _refuse(origin, event, f"nested deeper than {MAX_DEPTH} levels")
            stack.append([1, event.anchor])
        elif isinstance(event, yaml.CollectionEndEvent):
            size, anchor = stack.pop()
            if anchor is not None:
                sizes[anchor] = size
            stack[-1][0] += size
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            stack[-1][0] += 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _refuse(origin, event, f"more than {MAX_ALIASES:,} aliases")
            if event.anchor not in sizes:
                if any(anchor == event.anchor for _, anchor in stack):
                    raise _refuse(
                        origin, event, f"the alias *{terminal_safe(str(event.anchor))[:40]} refers to what holds it"
                    )
                continue  # an unknown anchor: the loader says so
            stack[-1][0] += sizes[event.anchor]
        else:
            continue
        if stack[-1][0] > MAX_NODES or sum(size for size, _ in stack) > MAX_NODES:
            raise _refuse(origin, event, f"its aliases expand to more than {MAX_NODES:,} values")


def _refuse(origin: str, event: yaml.Event, reason: str) -> CatalogError:
    mark = event.start_mark  # the parser marks every event; the stubs allow None
    where = f"line {mark.line + 1} column {mark.column + 1}: " if mark is not None else ""
    return CatalogError(f"{origin}: {where}refused: {reason}")

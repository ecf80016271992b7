"""Upgrades of older layout files, one schema version at a time.

A migration is a pure function from the JSON of version N to the JSON of version
N + 1, registered under N. Loading applies them in order up to
model.layout.SCHEMA_VERSION; the file on disk is only rewritten when the designer
saves. Version 1 is the first format, so no migration exists yet: the next change
to the format adds one here (`@migration(1)`) and raises SCHEMA_VERSION to 2.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from model import layout
from model.errors import FileFormatError
from model.text import brief

Migration = Callable[[dict[str, Any]], dict[str, Any]]

# from-version -> migration to from-version + 1
MIGRATIONS: dict[int, Migration] = {}


def migration(from_version: int) -> Callable[[Migration], Migration]:
    """Registers a migration from `from_version` to the next version."""

    def register(step: Migration) -> Migration:
        if from_version in MIGRATIONS:
            raise ValueError(f"a migration from schema version {from_version} is already registered")
        MIGRATIONS[from_version] = step
        return step

    return register


def migrate(data: dict[str, Any], origin: str, target: int | None = None) -> dict[str, Any]:
    """Returns `data` upgraded to `target` (default: the current version); `data` itself is untouched."""
    target = layout.SCHEMA_VERSION if target is None else target
    version = data["schema_version"]
    current = copy.deepcopy(data)
    while version < target:
        step = MIGRATIONS.get(version)
        if step is None:
            raise FileFormatError(
                f"{origin}: schema version {brief(version)} cannot be read by this Rack Designer (no migration from it)",
                where="schema_version",
            )
        try:
            current = step(current)
        except Exception as exc:  # a migration meeting data it did not expect: say so, never a traceback
            raise FileFormatError(
                f"{origin}: cannot upgrade from schema version {version}: {type(exc).__name__}: {brief(str(exc), 200)}",
                whole_file=True,
            ) from None
        if not isinstance(current, dict):
            raise FileFormatError(
                f"{origin}: the upgrade from schema version {version} gave no layout", whole_file=True
            )
        version += 1
        # The mechanism, not each migration, stamps the version: a migration cannot forget it.
        current["schema_version"] = version
    return current

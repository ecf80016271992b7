"""Where the data files live. Figures are data (resources/), never literals in code."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from model.errors import CatalogError

Table = TypeVar("Table", bound=BaseModel)

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def resource_path(*parts: str) -> Path:
    """The path of a file under resources/, e.g. resource_path("catalog", "cables.yaml"); not checked to exist."""
    return RESOURCES_DIR.joinpath(*parts)


def load_yaml(path: Path) -> Any:
    """The parsed content of a YAML data file (plain dicts, lists and scalars).

    Raises OSError when the file cannot be read and yaml.YAMLError when it is not YAML.
    """
    # A safe loader: a data file must never be able to run code. libyaml's (CSafeLoader) when
    # PyYAML was built with it: the same data, parsed 7 times faster (0.26 -> 0.04 s for all
    # of resources/, paid by every command before it reads its layout).
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader, never yaml.Loader


def load_resource_model(model: type[Table], *parts: str) -> Table:
    """The YAML data file resource_path(*parts) validated as `model` (a pydantic model).

    Raises CatalogError naming the file and the first invalid field (a dotted path), or the
    file and why it could not be read or parsed: never a traceback.
    """
    path = resource_path(*parts)
    try:
        return model.model_validate(load_yaml(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CatalogError(f"{path}: {where}: {first['msg']}") from None
    except Exception as exc:  # unreadable or not YAML: say where, never a traceback
        raise CatalogError(f"{path}: {exc}") from None

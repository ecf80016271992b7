"""The physical defaults (resources/defaults.yaml), read once.

Every figure there is a setting that a layout stores; these are only what a new
site, rack or tray starts with.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from model.resources import load_yaml, resource_path


@cache
def _defaults() -> dict[str, Any]:
    return load_yaml(resource_path("defaults.yaml"))


def default(*keys: str) -> Any:
    """The value of a default, e.g. default("rack", "height_u"), in the unit its key names.

    Raises KeyError for a key path that defaults.yaml does not have.
    """
    node: Any = _defaults()
    for key in keys:
        node = node[key]
    return node["value"]


def default_source(*keys: str) -> str:
    """Where the figure of a default comes from (its `source` in defaults.yaml), e.g. for a tooltip.

    Raises KeyError for a key path that defaults.yaml does not have, like default().
    """
    node: Any = _defaults()
    for key in keys:
        node = node[key]
    return str(node["source"])

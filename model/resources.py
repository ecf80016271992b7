"""Where the data files live. Figures are data (resources/), never literals in code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return RESOURCES_DIR.joinpath(*parts)


def load_yaml(path: Path) -> Any:
    # safe_load: a data file must never be able to run code.
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)

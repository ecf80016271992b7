"""The program's version, one answer for `--version`, Help → About and the reports."""

from __future__ import annotations

from pathlib import Path

PROGRAM = "rack-designer"


def version() -> str:
    """The installed package's version (str, e.g. '0.9.0'), else pyproject.toml's when the
    checkout is run in place without installing. Raises nothing a user can cause; a checkout
    without pyproject.toml and no install raises FileNotFoundError."""
    from importlib import metadata

    try:
        return metadata.version(PROGRAM)
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])

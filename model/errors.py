"""Errors the engine reports to a designer: each names what is wrong and where."""

from __future__ import annotations


class RackDesignerError(Exception):
    """Base of every error the engine raises on purpose."""


class LayoutError(RackDesignerError):
    """A layout breaks a rule. `where` is a path into the file, e.g. racks[3].devices[2].u_position."""

    def __init__(self, message: str, where: str = "") -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class CatalogError(RackDesignerError):
    """A catalog file is unreadable or breaks a rule."""


class FileFormatError(RackDesignerError):
    """A layout file cannot be read: not JSON, another kind of file, a newer version."""

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
    """A file cannot be read or written: not JSON, another kind of file, a newer version, a full disk.

    Raised with the whole one-line message. A refusal while reading also says where it is,
    so a tool (or the fuzzer) can check that every refusal names a place: `line`/`column`
    (1-based) for a JSON syntax problem, `where` (a field path such as `schema_version`) for
    a value, or `whole_file` when the file as a whole is the problem (empty, too large).
    """

    def __init__(
        self, message: str, *, line: int = 0, column: int = 0, where: str = "", whole_file: bool = False
    ) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.where = where
        self.whole_file = whole_file

    @property
    def located(self) -> bool:
        """True when the refusal names a place: a line and column, a field, or the whole file."""
        return bool(self.line or self.where or self.whole_file)


class ReadOnlyFileError(FileFormatError):
    """A save would replace a file its owner made read-only; `path` is that file.

    The CLI refuses; the app asks the designer and then saves with `replace_read_only=True`.
    """

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message, whole_file=True)
        self.path = path


class StaleResult(RackDesignerError):
    """An analysis snapshot was asked for something only the live document holds, after
    the document had changed: the answer would mix two layouts."""

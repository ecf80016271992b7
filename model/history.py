"""A plain undo stack of document commands, shared by every front end.

The CLI, scripts and tests undo and redo through it directly; the GUI's QUndoStack only
mirrors it (one Qt step per entry here), so the model never needs Qt to be undoable.
"""

from __future__ import annotations

from collections.abc import Callable

from model.commands import Command
from model.errors import LayoutError


class History:
    """Done and undone commands, and which point of them matches the file on disk.

    `index` counts the commands currently applied; `clean_index` is the index at the
    last save (None when no point matches the file, e.g. after restoring lost work).
    """

    def __init__(self) -> None:
        self._commands: list[Command] = []
        self.index = 0
        self.clean_index: int | None = 0
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> None:
        """`listener()` is called after every push, undo, redo, clear or clean change."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    # ---- editing ---------------------------------------------------------------
    def push(self, command: Command, applied: bool = False) -> bool:
        """Applies `command` (unless `applied`: a live drag already made the edit) and
        records it; redoable commands past the current point are dropped. Returns whether
        it was recorded (False for a command that changes nothing).

        Raises LayoutError from `command.do()`; then nothing changed and nothing is recorded.
        """
        if command.changes_nothing:
            return False  # an undo step that undoes nothing would only confuse
        if not applied:
            command.do()
        del self._commands[self.index :]
        if self.clean_index is not None and self.clean_index > self.index:
            self.clean_index = None  # the saved state was undone and is now unreachable
        self._commands.append(command)
        self.index += 1
        self._changed()
        return True

    def undo(self) -> Command:
        """Reverts the last applied command and returns it. Raises LayoutError when there is none."""
        if self.index == 0:
            raise LayoutError("nothing to undo")
        command = self._commands[self.index - 1]
        command.revert()
        self.index -= 1
        self._changed()
        return command

    def redo(self) -> Command:
        """Applies the next undone command again and returns it. Raises LayoutError when there is none."""
        if self.index == len(self._commands):
            raise LayoutError("nothing to redo")
        command = self._commands[self.index]
        command.do()
        self.index += 1
        self._changed()
        return command

    def clear(self) -> None:
        """Forgets every command (another layout was opened); the state now counts as saved."""
        self._commands.clear()
        self.index = 0
        self.clean_index = 0
        self._changed()

    # ---- reading ---------------------------------------------------------------
    @property
    def count(self) -> int:
        """How many commands are recorded, applied or undone."""
        return len(self._commands)

    def undo_text(self) -> str:
        """What Undo would revert ('' when nothing)."""
        return self._commands[self.index - 1].text if self.index else ""

    def redo_text(self) -> str:
        """What Redo would apply again ('' when nothing)."""
        return self._commands[self.index].text if self.index < len(self._commands) else ""

    def is_clean(self) -> bool:
        """Whether the document is as it was last saved (or opened)."""
        return self.clean_index == self.index

    def set_clean(self) -> None:
        """The document was just saved: this point matches the file."""
        self.clean_index = self.index
        self._changed()

    def reset_clean(self) -> None:
        """No point of the history matches the file (restored work that is not on disk)."""
        self.clean_index = None
        self._changed()

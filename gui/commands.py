"""The GUI's side of undo: model commands applied through the session, mirrored in Qt.

Edits are model.commands objects applied by the context's `Session`, whose plain
`History` is the undo stack; the QUndoStack (for the Edit menu, the undo view and the
clean state) holds one `HistoryStep` per entry and forwards undo and redo to it. A
refused edit raises LayoutError before anything changed and becomes a status message
instead of an undo step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from model.commands import Command
from model.commands_properties import PropertyCommand
from model.errors import LayoutError
from model.history import History


class HistoryStep(QUndoCommand):
    """One entry of the session's History, in the QUndoStack: undo and redo go to it.

    `before` runs first on every undo and redo (the context's `before_step`): a live drag has
    moved the document outside any command and must put it back before the history steps,
    not after (QUndoStack.indexChanged comes too late: the drag's put-back undid the undo)."""

    def __init__(self, history: History, command: Command, before: Callable[[], object] | None = None) -> None:
        super().__init__(command.text)
        self.history = history
        self.before = before
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push calls redo; the history has applied it already
            self._pushed = True
            return
        if self.before is not None:
            self.before()
        self.history.redo()

    def undo(self) -> None:
        if self.before is not None:
            self.before()
        self.history.undo()


def push_applied(context, command: Command) -> None:
    """Records `command` whose edit the document already holds (a live drag made it)."""
    if context.session.record(command):
        context.undo_stack.push(HistoryStep(context.session.history, command, context.before_step))


def apply(context, command: Command) -> bool:
    """Applies `command` through the session and mirrors it on the undo stack; a
    refusal goes to the status bar and returns False."""
    try:
        context.push(command)
    except LayoutError as exc:
        context.say(exc.message)
        return False
    return True


def submit(context, command: PropertyCommand) -> str:
    """Applies a side panel's property edit; returns '' when done (or nothing to do), else
    why it was refused, worded for the panel ("rack height: ...")."""
    if command.changes_nothing:
        return ""
    if apply(context, command):
        return ""
    return command.refusal or "the edit was refused"

"""Property edits from the side panels: applied through the session, refusals said."""

from __future__ import annotations

from gui.commands import apply
from model.commands_properties import (  # noqa: F401 - the panels' edits, by their model names
    FIELD_NAMES,
    PropertyCommand,
    RenameDevice,
    UpdateCable,
    UpdateRack,
    UpdateSettings,
    UpdateTray,
)


def submit(context, command: PropertyCommand) -> str:
    """Applies and pushes `command`; returns '' when done (or nothing to do), else why it was refused."""
    if command.changes_nothing:
        return ""
    if apply(context, command):
        return ""
    return command.refusal or "the edit was refused"

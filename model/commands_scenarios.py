"""Scenario edits as undoable commands: add, replace or remove a named what-if.

Each command sets the layout's whole list of scenarios (a few dozen at most) and puts the
old list back on undo; the racks and cables are never touched."""

from __future__ import annotations

from model.commands import Command
from model.document import Document
from model.errors import LayoutError
from model.layout import Scenario


class SetScenarios(Command):
    """Sets the layout's scenarios to `scenarios`; undo puts the old ones back."""

    def __init__(self, document: Document, scenarios: list[Scenario], text: str) -> None:
        super().__init__(document, text)
        self.old = list(document.site.scenarios)
        self.new = list(scenarios)

    @property
    def changes_nothing(self) -> bool:
        return self.new == self.old

    def do(self) -> None:
        self.document.set_scenarios(self.new)

    def revert(self) -> None:
        self.document.set_scenarios(self.old)


def add_scenario(document: Document, scenario: Scenario) -> SetScenarios:
    """The command adding `scenario` after the others. Raises LayoutError when its name is taken."""
    if any(s.name == scenario.name for s in document.site.scenarios) or scenario.name.casefold() == "base":
        raise LayoutError(f"a scenario named {scenario.name!r} exists already", "scenarios")
    return SetScenarios(document, [*document.site.scenarios, scenario], f"Add scenario {scenario.name!r}")


def remove_scenario(document: Document, name: str) -> SetScenarios:
    """The command removing the scenario called `name`. Raises LayoutError when there is none."""
    kept = [s for s in document.site.scenarios if s.name != name]
    if len(kept) == len(document.site.scenarios):
        raise LayoutError(f"no scenario named {name!r}", "scenarios")
    return SetScenarios(document, kept, f"Remove scenario {name!r}")

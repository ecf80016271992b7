"""The toolbar's design switch: which design every view shows, the base or a scenario.

Scenarios (model.scenarios) are overrides on the same racks and cables; showing one
re-analyses it with the same engine and every view, panel and report follows. Edits
always change the base layout, so a scenario stays an override of what the user drew.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from model.errors import LayoutError
from model.scenarios import BASE


class ScenarioSwitch(QWidget):
    """'Design: [base ▾]' — lists the base and the layout's scenarios, follows the context."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        label = QLabel("Design:")
        self.combo = QComboBox()
        self.combo.setObjectName("ScenarioSwitch")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setToolTip("The design every view shows: the base layout or one of its scenarios")
        label.setBuddy(self.combo)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        self.combo.activated.connect(self._chosen)
        context.documentChanged.connect(lambda _change: self._fill())
        context.activeScenarioChanged.connect(lambda _name: self._fill())
        self._fill()

    def _fill(self) -> None:
        names = [BASE, *(s.name for s in self.context.document.site.scenarios)]
        shown = [self.combo.itemText(i) for i in range(self.combo.count())]
        if shown != names:
            self.combo.blockSignals(True)
            self.combo.clear()
            self.combo.addItems(names)
            self.combo.blockSignals(False)
        self.combo.setCurrentIndex(names.index(self.context.active_scenario))
        self.combo.setEnabled(len(names) > 1)
        active = self.context.active_scenario != BASE
        # A scenario on screen is said plainly: edits made now change the base layout.
        self.combo.setStyleSheet("QComboBox { font-weight: bold; }" if active else "")

    def _chosen(self, index: int) -> None:
        try:
            self.context.set_active_scenario(self.combo.itemText(index))
        except LayoutError as exc:
            self.context.say(exc.message)
            self._fill()
            return
        if self.context.active_scenario != BASE:
            self.context.say(
                f"Showing scenario {self.context.active_scenario!r}; edits change the base layout and every scenario"
            )

"""What every view of one open layout shares: the session (document, analysis, history),
the Qt mirror of its undo history, and the selection.

Views take an `AppContext` in their constructor, connect to its signals and read the
analysis snapshot; they never hold data of their own. Edits go through
`gui.commands.apply(context, command)` or `context.push(command)`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from gui.background import run_with_progress
from gui.commands import HistoryStep
from gui.release import let_go
from model.analysis import AnalysisResult
from model.commands import Command
from model.document import Change, Document
from model.errors import LayoutError
from model.history import History
from model.scenarios import BASE, analyse_applied, apply_scenario, scenario_named
from model.session import Session

T = TypeVar("T")

# A full analysis of more cables than this (about 0.2 s on two cores) runs on the worker
# thread behind a busy dialog; smaller ones are quicker done than a dialog is shown.
BUSY_ANALYSIS_CABLES = 20_000
# ... and of this many, longer than the dialog waits to show (gui.background.SHOW_AFTER_S; ~4 µs
# a cable): it shows before the worker starts, not while it holds the interpreter lock.
LONG_ANALYSIS_CABLES = 80_000
# A live drag edits the document at mouse speed; the panels (charts, tables: ~50 ms a
# redraw at 10k accelerators, ~0.5 s at 100k) catch up when it has rested this long or ended.
GESTURE_REST_S = 0.25


@dataclass(frozen=True)
class Selected:
    """One selected thing: kind is 'rack', 'device', 'cable', 'tray' or 'port' (id 'device:port')."""

    kind: str
    id: str


class SessionUndoStack(QUndoStack):
    """The QUndoStack of the Edit menu, mirroring a session's History step for step:
    clearing it or marking it clean does the same to the history."""

    def __init__(self, history: History, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = history

    def clear(self) -> None:
        super().clear()
        self.history.clear()

    def setClean(self) -> None:  # noqa: N802 - Qt's name
        super().setClean()
        self.history.set_clean()

    def resetClean(self) -> None:  # noqa: N802 - Qt's name
        super().resetClean()
        self.history.reset_clean()

    def __del__(self) -> None:
        # The stack deletes its commands itself, before Python's cyclic collector takes any of
        # them apart. A context is garbage in a cycle (its document calls it back; each step's
        # `before` is the context's), and the collector clears the cycle's objects in no set
        # order: one that clears a pushed step first gives the step back to Python
        # (shiboken's tp_clear), which deletes it while the stack still lists it; the
        # context's destructor then deletes the stack, whose clear() deleted it again:
        # SIGSEGV in QUndoStack::clear. Finalizers run before any object is cleared.
        if not isValid(self):
            return
        steps = [self.command(i) for i in range(self.count())]  # held until the stack has let go
        self.blockSignals(True)  # nothing is told: the stack and its listeners are going
        QUndoStack.clear(self)  # not self.clear(): the session's history goes with the context
        del steps


class AppContext(QObject):
    # Emitted after the document changed and the analysis caught up (in that order).
    documentChanged = Signal(object)  # model.document.Change
    analysisUpdated = Signal(object)  # model.analysis.AnalysisResult
    selectionChanged = Signal(object)  # tuple[Selected, ...]
    statusMessage = Signal(str)
    activeScenarioChanged = Signal(str)  # 'base' or a scenario's name
    # Another layout is about to be shown (File > New, Open): views let go of what referred to
    # the last one (the cables table's filter, whose 'core01-05' found nothing in the next file).
    layoutSwapped = Signal()

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = Session(document)
        self.document = document
        self.analysis = self.session.analysis
        self.analysis.full_run = self._full_run
        self.busy = False  # a full analysis is running on the worker: timers wait, the window paints
        self._gesture_step_at: float | None = None  # when a live drag last moved the document
        self.progress_parent: QWidget | None = None  # the busy dialog's window
        self.undo_stack = SessionUndoStack(self.session.history, self)
        self._before_step: list[Callable[[], object]] = []  # see on_before_step
        self._selection: tuple[Selected, ...] = ()
        # The design the views show: the base layout, or one of its scenarios (overrides on
        # the same racks and cables, analysed on their own). Edits always change the base.
        self.active_scenario = BASE
        self._scenario_result: AnalysisResult | None = None
        self._scenario_waits = False  # its analysis waits for a live drag to end (_refresh_scenario)
        # The analysis subscribed first in its constructor, so it is current when we forward.
        document.subscribe(self._on_document_change)
        document.retire = let_go  # another layout's lookups, freed in slices
        self._shown: AnalysisResult | None = self.result
        self._whole = True  # the next result shown replaces a whole analysis (not an edit's)
        self._full_runs = self.analysis.full_runs  # the engine's full runs when last shown
        self.analysisUpdated.connect(self._let_go_of_last)

    def _let_go_of_last(self, result: AnalysisResult) -> None:
        # A whole analysis replaced (another layout, its settings, a rack added or deleted, a
        # scenario shown) is freed a slice at a time once every view has moved on (gui.release):
        # the last layout's took ~80 ms to free in one turn. An incremental edit's is freed at
        # once: its memory is there for the next step's columns (gui.heap); held a turn longer,
        # a drag step of the busiest rack at 100,000 accelerators faulted in fresh pages instead
        # (29 -> 45 ms).
        last, self._shown = self._shown, result
        if last is not None and last is not result and self._whole:
            let_go(last)

    def _on_document_change(self, change: Change) -> None:
        self._refresh_or_show_base()
        self.documentChanged.emit(change)
        runs = self.analysis.full_runs
        self._whole = change.everything or runs != self._full_runs or self._scenario_result is not None
        self._full_runs = runs
        try:
            self.analysisUpdated.emit(self.result)
        finally:
            self._whole = True
        if change.structure:
            alive = tuple(s for s in self._selection if self._exists(s))
            if alive != self._selection:
                self.set_selection(alive)

    def _exists(self, selected: Selected) -> bool:
        doc = self.document
        if selected.kind == "rack":
            return selected.id in doc.racks
        if selected.kind == "device":
            return selected.id in doc.devices
        if selected.kind == "cable":
            return selected.id in doc.cables
        if selected.kind == "tray":
            return selected.id in doc.trays
        if selected.kind == "port":
            return selected.id.partition(":")[0] in doc.devices
        return False

    def _full_run(self, work: Callable[[], T], what: str = "") -> T:
        """A full analysis (`work`: of the layout, or of the scenario shown, `what` naming it
        in the busy dialog): on a big layout off the GUI thread, behind a busy dialog."""
        cables = len(self.document.cables)
        if cables < BUSY_ANALYSIS_CABLES or self.busy:
            return work()
        self.busy = True
        try:
            long = cables >= LONG_ANALYSIS_CABLES
            # What it makes is kept out of later cyclic collections: the first young one after
            # it walked every new object, on the worker, holding the window (gui.background).
            label = f"Analysing {what}{cables:,} cables…"
            return run_with_progress(self.progress_parent, label, work, at_once=long, keep=True)
        finally:
            self.busy = False

    def gesture_step(self) -> None:
        """A live drag is about to move the document: the panels wait until it rests or ends."""
        self._gesture_step_at = time.monotonic()

    def gesture_end(self) -> None:
        """The live drag ended (released or cancelled): the panels catch up at once, and the
        scenario shown, if its analysis waited for the drag to end, is analysed (in the next
        turn: the release's own edit, if any, analyses it first)."""
        self._gesture_step_at = None
        if self._scenario_waits:
            QTimer.singleShot(0, self._catch_up_scenario)

    def _catch_up_scenario(self) -> None:
        if self._scenario_waits and self._gesture_step_at is None:
            self._refresh_or_show_base()
            self.analysisUpdated.emit(self.result)

    def panels_wait(self) -> bool:
        """True while the panels should not redraw: a full analysis runs on the worker, or a
        live drag moved the document less than GESTURE_REST_S ago."""
        moving = self._gesture_step_at is not None and time.monotonic() - self._gesture_step_at < GESTURE_REST_S
        return self.busy or moving

    @property
    def result(self) -> AnalysisResult:
        """The snapshot the views show: the base's live analysis, or the active scenario's
        (the base's while a live drag moves a big layout: see _refresh_scenario)."""
        return self._scenario_result if self._scenario_result is not None else self.analysis.result

    @property
    def scenario_result(self) -> AnalysisResult | None:
        """The active scenario's analysis of the layout as it stands; None with the base shown,
        or while a live drag defers it."""
        return self._scenario_result

    # ---- the design shown ------------------------------------------------------
    def set_active_scenario(self, name: str) -> None:
        """Shows scenario `name` ('base' for the layout itself) in every view and panel.
        Raises LayoutError (nothing changed) when the layout has no such scenario."""
        if name != BASE:
            scenario_named(self.document.site, name)
        if name == self.active_scenario:
            return
        shown = self.active_scenario, self._scenario_result, self._scenario_waits
        self.active_scenario = name
        try:
            self._refresh_scenario()
        except LayoutError:  # one that cannot be applied (a product edit naming no product)
            self.active_scenario, self._scenario_result, self._scenario_waits = shown
            raise
        self.activeScenarioChanged.emit(self.active_scenario)
        self.analysisUpdated.emit(self.result)

    def _refresh_or_show_base(self) -> None:
        """_refresh_scenario after an edit; a scenario that cannot be applied now falls back to
        the base, said on the status bar. Raises nothing of its own: an edit's listener that
        raised left the edit made but not on the undo stack, and the views not updated."""
        try:
            self._refresh_scenario()
        except LayoutError as exc:
            self.say(f"{exc.message}: showing the base layout")
            self.active_scenario, self._scenario_result, self._scenario_waits = BASE, None, False
            self.activeScenarioChanged.emit(BASE)

    def _refresh_scenario(self) -> None:
        """Re-analyses the active scenario on the current layout (a removed one falls back to
        the base). A scenario has no incremental analysis: each edit analyses every cable again
        (~1.6 s at 100,000 accelerators), which held the window frozen that long. On a big
        layout it runs on the worker behind the busy dialog, as a rack added does (_full_run);
        during a live drag of one the views show the base's live analysis (fresh, incremental)
        and the scenario is analysed once the drag ends (gesture_end). Never an analysis of
        the layout as it was: that is not the design on the floor."""
        waited, self._scenario_waits = self._scenario_waits, False
        if self.active_scenario == BASE:
            self._scenario_result = None
            return
        scenario = next((s for s in self.document.site.scenarios if s.name == self.active_scenario), None)
        if scenario is None:
            self.say(f"Scenario {self.active_scenario!r} is gone: showing the base layout")
            self.active_scenario, self._scenario_result = BASE, None
            self.activeScenarioChanged.emit(BASE)
            return
        document, site, catalog = self.document, self.document.site, self.document.catalog
        if self._gesture_step_at is not None and len(self.document.cables) >= BUSY_ANALYSIS_CABLES:
            # Said at every step: the drag's own messages (a spot refused, then cleared) replace it.
            self.say(f"The base layout is shown while you drag: scenario {scenario.name!r} when you let go")
            self._scenario_result, self._scenario_waits = None, True
            return
        # Meanwhile (the worker's turns) whatever reads the result reads the base's, fresh:
        # never the scenario of the layout as it was.
        self._scenario_result = None
        # Nothing edits the document until it is done (input waits behind the busy dialog): its
        # cable lookups are copied, not built again (~0.7 s at 300,000 cables).
        self._scenario_result = self._full_run(
            lambda: analyse_applied(apply_scenario(site, catalog, scenario), base=document),
            f"scenario {scenario.name!r}: ",
        )
        if waited:  # after a live drag (ended, or cancelled and put back)
            self.say(f"Showing scenario {scenario.name!r} again, of the layout as it now stands")

    # ---- selection -------------------------------------------------------------
    @property
    def selection(self) -> tuple[Selected, ...]:
        return self._selection

    def set_selection(self, items: tuple[Selected, ...] | list[Selected]) -> None:
        items = tuple(dict.fromkeys(items))
        if items != self._selection:
            self._selection = items
            self.selectionChanged.emit(items)

    def selected_cables(self, limit: int) -> tuple[str, ...]:
        """Cables selected themselves or through one of their ports, at most `limit`."""
        doc, chosen = self.document, []
        for s in self._selection:
            if s.kind == "cable" and s.id in doc.cables:
                chosen.append(s.id)
            elif s.kind == "port" and s.id in doc.port_use:
                chosen.append(doc.port_use[s.id])
        return tuple(dict.fromkeys(chosen))[:limit]

    def selected_ids(self, kind: str) -> list[str]:
        return [s.id for s in self._selection if s.kind == kind]

    # ---- edits -----------------------------------------------------------------
    def push(self, command: Command) -> None:
        """Applies `command` and records it for undo. Raises LayoutError (nothing changed)."""
        if self.session.apply(command):
            self.undo_stack.push(HistoryStep(self.session.history, command, self.before_step))

    def on_before_step(self, callback: Callable[[], object]) -> None:
        """Calls `callback` before every undo and redo changes the document (a view ends its
        live drag there, putting back what the drag moved)."""
        self._before_step.append(callback)

    def before_step(self) -> None:
        """Runs what on_before_step registered, in order: an undo or redo is about to step."""
        for callback in list(self._before_step):
            callback()

    def say(self, message: str) -> None:
        self.statusMessage.emit(message)

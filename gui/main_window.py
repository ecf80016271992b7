"""The main window: the floor plan and rack elevation side by side, docks around them,
menus and shortcuts. It wires views, docks and the File controller to one AppContext;
the edits themselves are commands (gui/commands.py) built by interactions.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QToolBar

from gui.autowire_runner import WIRINGS, AutowireRunner, wiring_label
from gui.clipboard import Clipboard
from gui.commands import apply
from gui.context import Selected
from gui.docks.cables_table import CablesDock
from gui.docks.compare import CompareDock
from gui.docks.inspector import InspectorDock
from gui.docks.library import LibraryDock
from gui.docks.metrics import MetricsDock
from gui.docks.problems import ProblemsDock
from gui.icons import icon
from gui.menus_file import ReportActions, build_file_menu
from gui.naming_dialogs import install_naming_actions
from gui.row_tray_action import install_row_tray_action
from gui.scenario_switch import ScenarioSwitch
from gui.scene.elevation import ElevationView
from gui.scene.floor_plan import FloorPlanView
from gui.wheel_guard import install_wheel_guard
from gui.window_state import restore_window_state, save_window_state
from model.commands import AddTray, delete_things, place_rack
from model.placement import next_rack, tray_over
from model.resources import resource_path

APP_TITLE = "Rack Designer"


def command_tooltip(action: QAction) -> None:
    """'Undo Place AWS Trn2 compute tray in R2 at U20 (Ctrl+Z)', or 'Nothing to undo'."""
    if not shiboken6.isValid(action):  # the undo stack, torn down after the window, still disables it
        return
    text = action.text().replace("&", "")
    key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    tip = f"{text} ({key})" if action.isEnabled() else f"Nothing to {action.iconText().lower()}"
    if action.toolTip() != tip:
        action.setToolTip(tip)


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "rack-designer.svg")))


class MainWindow(QMainWindow):
    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        install_wheel_guard()  # the wheel scrolls the docks and dialogs, never edits a value in passing
        self.context = context
        context.progress_parent = self  # busy dialogs of long analyses sit over this window
        self.document = context.document
        self.setWindowIcon(app_icon())
        self.floor = FloorPlanView(context)
        self.elevation = ElevationView(context)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.floor)
        self.splitter.addWidget(self.elevation)
        self.splitter.setSizes([1, 1])  # half each: four rack faces side by side need the width
        # Neither pane can be dragged shut: no menu brings a collapsed pane back (a fresh user
        # lost the elevation that way and found it again only by its 1-px handle).
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.docks: dict[str, QDockWidget] = {}
        self._add_docks()
        self.file_controller = self._file_controller()
        self.clipboard = Clipboard(context)
        self.autowire_runner = AutowireRunner(context, self)
        self.reports = self._report_actions()
        self._make_menus()
        self.statusBar().showMessage("Ready")
        context.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        if self.file_controller is not None:
            self.setWindowTitle(self.file_controller.title)
        else:
            # The stack emits cleanChanged from its destructor too: use the value, never ask it.
            context.undo_stack.cleanChanged.connect(self._set_title)
            context.documentChanged.connect(lambda _change: self._set_title(self.context.undo_stack.isClean()))
            self._set_title(True)
        context.documentChanged.connect(self._on_document_changed)
        # Undo or redo (Ctrl+Z with the mouse still down) ends a drag: it started on another model.
        # Before the step, so that what the drag moved is put back first and the step applies to
        # the layout its command knew; and after any other change of the stack's index.
        context.on_before_step(self._cancel_drags)
        context.undo_stack.indexChanged.connect(self._cancel_drags)
        self._waiting_jump: tuple[str, str] | None = None  # a problem's jump to a rack not built yet
        self.floor.scene().sliced.connect(self._on_floor_slice)
        restore_window_state(self)

    # ---- parts written elsewhere ----------------------------------------------------
    def _add_docks(self) -> None:
        """The docks, keyed by their module in gui/docks; the problems share a tab with the cables."""
        left, right, bottom = (
            Qt.DockWidgetArea.LeftDockWidgetArea,
            Qt.DockWidgetArea.RightDockWidgetArea,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        cables, problems = CablesDock(self.context), ProblemsDock(self.context)
        for name, dock, area in (
            ("library", LibraryDock(self.context), left),
            ("inspector", InspectorDock(self.context), right),
            ("metrics", MetricsDock(self.context), right),
            ("compare", CompareDock(self.context), bottom),
            ("cables_table", cables, bottom),
            ("problems", problems, bottom),
        ):
            if not dock.objectName():
                dock.setObjectName(type(dock).__name__)  # the key of its place in the saved window state
            self.addDockWidget(area, dock)
            self.docks[name] = dock
        self.tabifyDockWidget(cables, problems)
        self.tabifyDockWidget(problems, self.docks["compare"])
        cables.raise_()
        problems.jumpRequested.connect(self.show_target)

    def _file_controller(self):
        try:
            from gui.file_controller import FileController
        except ImportError:
            return None
        controller = FileController(self.context, self)
        controller.titleChanged.connect(self.setWindowTitle)
        library = self.docks.get("library")
        if library is not None and hasattr(library, "reload"):
            controller.catalogChanged.connect(lambda _catalog: library.reload())
        return controller

    def _report_actions(self) -> ReportActions | None:
        try:
            import gui.elevation_export  # noqa: F401
            import gui.printing  # noqa: F401
        except ImportError:
            return None
        fc = self.file_controller
        folder = fc.folder if fc is not None else None  # the same start folder as the File menu's dialogs
        actions = ReportActions(self.context, self, folder)
        if fc is not None:
            actions.remember = fc.remember_folder
        return actions

    def _set_title(self, clean: bool) -> None:
        self.setWindowTitle(f"{APP_TITLE} — {self.document.site.name}{'' if clean else ' *'}")

    # ---- menus ------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, local: bool = False, icon_name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        action.triggered.connect(lambda _checked=False: slot())
        if icon_name:
            action.setIcon(icon(icon_name))
        if local:  # only while the drawings have focus: Delete in a dock's text field stays a text edit
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.splitter.addAction(action)
        else:
            self.addAction(action)
        if menu is not None:
            menu.addAction(action)
        return action

    def _toggle(self, menu, text: str, slot) -> QAction:
        action = QAction(text, self)
        action.setCheckable(True)
        action.setChecked(True)
        action.toggled.connect(slot)
        menu.addAction(action)
        return action

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        if self.file_controller is not None:
            build_file_menu(file_menu, self.file_controller, self.reports)
        else:
            self._action(file_menu, "&Quit", self.close, "Ctrl+Q")
        edit_menu = bar.addMenu("&Edit")
        self._make_edit_menu(edit_menu)
        self.properties_action, self.rename_action = install_naming_actions(self, file_menu, edit_menu)
        self._make_view_menu(bar.addMenu("&View"))
        insert = bar.addMenu("&Insert")
        self.add_rack_action = self._action(insert, "Add &Rack", self.add_rack, "Ctrl+R", icon_name="add-rack")
        self.add_tray_action = self._action(insert, "Add &Tray over the Selected Racks", self.add_tray)
        self.row_tray_action = install_row_tray_action(self, insert)
        tools = bar.addMenu("&Tools")
        self.autowire_actions = {
            name: self._action(
                tools, text, lambda name=name, text=text: self.autowire_runner.run(name, wiring_label(text))
            )
            for name, text in WIRINGS
        }
        help_menu = bar.addMenu("&Help")
        self.guide_action = self._action(help_menu, "&Guide", lambda: self.show_document("guide"), "F1")
        self.file_format_action = self._action(help_menu, "&File Format", lambda: self.show_document("file-format"))
        help_menu.addSeparator()
        self.about_action = self._action(help_menu, "&About Rack Designer", self.about)
        self._make_toolbar()

    def _make_edit_menu(self, edit) -> None:
        keys = QKeySequence.StandardKey
        stack = self.context.undo_stack
        # The menu reads "Undo Place … at U46"; the toolbar button says "Undo" and its tooltip the rest.
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action, short, icon_name in ((self.undo_action, "Undo", "undo"), (self.redo_action, "Redo", "redo")):
            action.setIconText(short)
            action.setIcon(icon(icon_name))
            # The action's own signal: it dies with the action, unlike the stack's, which fire from its destructor.
            action.changed.connect(lambda action=action: command_tooltip(action))
            command_tooltip(action)
            self.addAction(action)
            edit.addAction(action)
        edit.addSeparator()
        self.cut_action = self._action(edit, "Cu&t", self.cut, keys.Cut, local=True)
        self.copy_action = self._action(edit, "&Copy", self.clipboard.copy, keys.Copy, local=True)
        self.paste_action = self._action(edit, "&Paste", self.clipboard.paste, keys.Paste, local=True)
        self.duplicate_action = self._action(edit, "D&uplicate", self.clipboard.duplicate, "Ctrl+D", local=True)
        delete_keys = [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)]
        self.delete_action = self._action(
            edit, "&Delete", self.delete_selection, delete_keys, local=True, icon_name="delete"
        )
        edit.addSeparator()
        self.select_all_action = self._action(edit, "Select &All", self.select_all, keys.SelectAll, local=True)
        self.escape_action = self._action(edit, "Cancel Drag / Clear Selection", self.escape, "Esc", local=True)

    def _make_view_menu(self, view) -> None:
        zoom_keys = [QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")]
        self.zoom_in_action = self._action(
            view, "Zoom &In", lambda: self.active_view().zoom_in(), zoom_keys, icon_name="zoom-in"
        )
        self.zoom_out_action = self._action(
            view, "Zoom &Out", lambda: self.active_view().zoom_out(), "Ctrl+-", icon_name="zoom-out"
        )
        self.fit_action = self._action(view, "&Fit", lambda: self.active_view().fit(), "Ctrl+0", icon_name="fit")
        view.addSeparator()
        # The floor plan's drawing aids: on by default, off to give a small screen their room.
        self.rulers_action = self._toggle(
            view, "Floor Plan &Rulers", lambda on: self.floor.set_overlays_visible(rulers=on)
        )
        self.legend_action = self._toggle(
            view, "Floor Plan &Legend", lambda on: self.floor.set_overlays_visible(legend=on)
        )
        view.addSeparator()
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())

    def _make_toolbar(self) -> None:
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("MainToolBar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action])
        toolbar.addSeparator()
        toolbar.addActions([self.add_rack_action, self.delete_action])
        toolbar.addSeparator()
        self.scenario_switch = ScenarioSwitch(self.context)
        toolbar.addWidget(self.scenario_switch)
        self.toolbar: QToolBar = toolbar

    # ---- views ------------------------------------------------------------------------
    def _on_document_changed(self, change) -> None:
        if change.everything and change.structure and not change.trays:  # another layout: New, Open
            QTimer.singleShot(0, self.fit_views)

    def active_view(self):
        return self.elevation if self.elevation.hasFocus() else self.floor

    def fit_views(self) -> None:
        self.floor.fit()
        self.elevation.fit()

    def show_target(self, kind: str, target_id: str) -> None:
        doc = self.document
        if kind == "cable" and target_id in doc.cables:
            target_id, kind = doc.cables[target_id].a.partition(":")[0], "device"
        if kind == "device" and target_id in doc.device_rack:
            self.elevation.scene().show_racks([doc.device_rack[target_id].id])
            target_id, kind = doc.device_rack[target_id].id, "rack"
        plan = self.floor.scene()
        self._waiting_jump = None
        if kind == "rack" and target_id in plan.racks:
            self.floor.centerOn(plan.rack_rect(target_id).center())
        elif kind == "tray" and target_id in plan.trays:
            self.floor.centerOn(plan.trays[target_id].sceneBoundingRect().center())
        elif plan.building and target_id in (doc.racks if kind == "rack" else doc.trays if kind == "tray" else ()):
            # A big hall just read is still being made a slice a turn: the jump is taken when
            # the item is there (making the rest at once would hold the window ~1 s).
            self._waiting_jump = (kind, target_id)

    def _on_floor_slice(self) -> None:
        """A slice of the floor is built: a jump waiting for its rack or tray is taken once it is there."""
        waiting = self._waiting_jump
        if waiting is None:
            return
        kind, target_id = waiting
        plan = self.floor.scene()
        if target_id in (plan.racks if kind == "rack" else plan.trays) or not plan.building:
            self.show_target(kind, target_id)

    # ---- edit ---------------------------------------------------------------------------
    def _selected(self, kind: str) -> list[str]:
        return self.context.selected_ids(kind)

    def cut(self) -> None:
        if self.clipboard.copy():
            self.delete_selection()

    def delete_selection(self) -> bool:
        doc = self.document
        ids = {kind: self._selected(kind) for kind in ("cable", "device", "rack", "tray")}
        ids["cable"] += [doc.port_use[p] for p in self._selected("port") if p in doc.port_use]
        command = delete_things(doc, list(dict.fromkeys(ids["cable"])), ids["device"], ids["rack"], ids["tray"])
        if command is None:
            self.context.say("Nothing selected to delete")
            return False
        return apply(self.context, command)

    def select_all(self) -> None:
        if self.elevation.hasFocus():
            shown = self.elevation.scene().shown
            chosen = [Selected("device", d.id) for r in shown for d in self.document.racks[r].devices]
        else:
            chosen = [Selected("rack", r.id) for r in self.document.site.racks]
        self.context.set_selection(chosen)

    def _cancel_drags(self, _index: int = 0) -> bool:
        if not (shiboken6.isValid(self.floor) and shiboken6.isValid(self.elevation)):
            return False  # the stack clears itself while the window is torn down
        return self.floor.cancel_interaction() | self.elevation.cancel_interaction()

    def escape(self) -> None:
        if not self._cancel_drags():
            self.context.set_selection([])

    # ---- insert -------------------------------------------------------------------------
    def add_rack(self) -> bool:
        rack = next_rack(self.document)
        if apply(self.context, place_rack(self.document, rack)):
            self.context.set_selection([Selected("rack", rack.id)])
            item = self.floor.scene().racks.get(rack.id)
            if item is not None:
                self.floor.reveal(item.sceneBoundingRect())  # a new rack is seen, not placed off screen
            return True
        return False

    def add_tray(self) -> bool:
        doc = self.document
        tray = tray_over(doc, [doc.racks[r] for r in self._selected("rack")] or doc.site.racks)
        if tray is None:
            self.context.say("Add racks first: a tray runs over a row of racks")
            return False
        return apply(self.context, AddTray(doc, tray))

    # ---- help and settings ---------------------------------------------------------------
    def about(self) -> None:
        from gui.help import show_about

        show_about(self)

    def show_document(self, name: str) -> None:
        """Help → Guide ('guide') or File Format ('file-format'): the document in a dialog."""
        from gui.help import file_format_dialog, guide_dialog

        dialog = guide_dialog(self) if name == "guide" else file_format_dialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.help_dialog = dialog  # kept for tests and so that it is not collected while open
        dialog.show()

    def closeEvent(self, event) -> None:
        if self.file_controller is not None and not self.file_controller.close_requested():
            event.ignore()
            return
        save_window_state(self)
        self.autowire_runner.shutdown()
        event.accept()

"""The main window: the floor plan and rack elevation side by side, docks around them,
menus and shortcuts. It wires views, docks and the File controller to one AppContext;
the edits themselves are commands (gui/commands.py) built by interactions.
"""

from __future__ import annotations

import importlib
import json
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QByteArray, QMimeData, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QMessageBox, QProgressDialog, QSplitter

from gui.commands import AddRack, AddTray, ConnectCables, apply, delete_things, paste_command
from gui.context import Selected
from gui.interactions import copy_payload, free_floor_spot, plan_paste
from gui.scene.elevation import ElevationView
from gui.scene.floor_plan import FloorPlanView
from model.errors import LayoutError
from model.layout import Rack, Tray
from model.resources import resource_path
from model.rules import rack_footprint

SELECTION_MIME = "application/x-rack-designer-selection"
SETTINGS = ("rack-designer", "rack-designer")
APP_TITLE = "Rack Designer"
# (module in gui/docks, class, area): the docks are written apart and joined here when present.
DOCKS = [
    ("library", "LibraryDock", Qt.DockWidgetArea.LeftDockWidgetArea),
    ("inspector", "InspectorDock", Qt.DockWidgetArea.RightDockWidgetArea),
    ("metrics", "MetricsDock", Qt.DockWidgetArea.RightDockWidgetArea),
    ("cables_table", "CablesDock", Qt.DockWidgetArea.BottomDockWidgetArea),
    ("problems", "ProblemsDock", Qt.DockWidgetArea.BottomDockWidgetArea),
]


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "rack-designer.svg")))


class MainWindow(QMainWindow):
    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.document = context.document
        self.setWindowIcon(app_icon())
        self.floor = FloorPlanView(context)
        self.elevation = ElevationView(context)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.floor)
        self.splitter.addWidget(self.elevation)
        self.splitter.setSizes([600, 400])
        self.setCentralWidget(self.splitter)
        self.docks: dict[str, QDockWidget] = {}
        self._add_docks()
        self.file_controller = self._file_controller()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autowire")
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
        self._restore_settings()
        QTimer.singleShot(0, self.fit_views)

    # ---- parts written elsewhere ----------------------------------------------------
    def _add_docks(self) -> None:
        for module_name, class_name, area in DOCKS:
            try:
                module = importlib.import_module(f"gui.docks.{module_name}")
            except ImportError:
                continue
            dock = getattr(module, class_name)(self.context)
            if not dock.objectName():
                dock.setObjectName(class_name)
            self.addDockWidget(area, dock)
            self.docks[module_name] = dock
        if "problems" in self.docks and "cables_table" in self.docks:
            self.tabifyDockWidget(self.docks["cables_table"], self.docks["problems"])
            self.docks["cables_table"].raise_()
        if "problems" in self.docks:
            self.docks["problems"].jumpRequested.connect(self.show_target)

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

    def _set_title(self, clean: bool) -> None:
        self.setWindowTitle(f"{APP_TITLE} — {self.document.site.name}{'' if clean else ' *'}")

    # ---- menus ------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, local: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        action.triggered.connect(lambda _checked=False: slot())
        if local:  # only while the drawings have focus: Delete in a dock's text field stays a text edit
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.splitter.addAction(action)
        else:
            self.addAction(action)
        if menu is not None:
            menu.addAction(action)
        return action

    def _make_menus(self) -> None:
        bar, keys = self.menuBar(), QKeySequence.StandardKey
        file_menu = bar.addMenu("&File")
        fc = self.file_controller
        if fc is not None:
            file_menu.addActions([fc.new_action, fc.open_action])
            file_menu.addMenu(fc.recent_menu)
            file_menu.addSeparator()
            file_menu.addActions([fc.save_action, fc.save_as_action])
            file_menu.addSeparator()
            file_menu.addMenu("&Export").addActions(fc.export_actions)
            file_menu.addAction(fc.import_netbox_action)
            file_menu.addSeparator()
            file_menu.addAction(fc.quit_action)
        else:
            self._action(file_menu, "&Quit", self.close, "Ctrl+Q")

        edit = bar.addMenu("&Edit")
        stack = self.context.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
            edit.addAction(action)
        edit.addSeparator()
        self.cut_action = self._action(edit, "Cu&t", self.cut, keys.Cut, local=True)
        self.copy_action = self._action(edit, "&Copy", self.copy, keys.Copy, local=True)
        self.paste_action = self._action(edit, "&Paste", self.paste, keys.Paste, local=True)
        self.duplicate_action = self._action(edit, "D&uplicate", self.duplicate, "Ctrl+D", local=True)
        self.delete_action = self._action(
            edit,
            "&Delete",
            self.delete_selection,
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)],
            local=True,
        )
        edit.addSeparator()
        self.select_all_action = self._action(edit, "Select &All", self.select_all, keys.SelectAll, local=True)
        self.escape_action = self._action(edit, "Cancel Drag / Clear Selection", self.escape, "Esc", local=True)

        view = bar.addMenu("&View")
        self.zoom_in_action = self._action(
            view, "Zoom &In", lambda: self.active_view().zoom_in(), [QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")]
        )
        self.zoom_out_action = self._action(view, "Zoom &Out", lambda: self.active_view().zoom_out(), "Ctrl+-")
        self.fit_action = self._action(view, "&Fit", lambda: self.active_view().fit(), "Ctrl+0")
        view.addSeparator()
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())

        insert = bar.addMenu("&Insert")
        self.add_rack_action = self._action(insert, "Add &Rack", self.add_rack, "Ctrl+R")
        self.add_tray_action = self._action(insert, "Add &Tray over the Selected Racks", self.add_tray)

        tools = bar.addMenu("&Tools")
        self.autowire_actions = {
            name: self._action(tools, text, lambda name=name: self.autowire(name))
            for name, text in [
                ("trn2_torus", "Auto-wire Trn2 &Torus"),
                ("nvl72_spine", "Auto-wire NVL72 &Spine"),
                ("nic_rails", "Auto-wire &NIC-to-Leaf Rails"),
                ("leaf_spine", "Auto-wire &Leaf-to-Spine"),
            ]
        }
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About Rack Designer", self.about)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("MainToolBar")
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action])
        toolbar.addSeparator()
        toolbar.addActions([self.add_rack_action, self.delete_action])

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
        if kind == "rack" and target_id in self.floor.scene().racks:
            self.floor.centerOn(self.floor.scene().rack_rect(target_id).center())
        elif kind == "tray" and target_id in self.floor.scene().trays:
            self.floor.centerOn(self.floor.scene().trays[target_id].sceneBoundingRect().center())

    # ---- edit ---------------------------------------------------------------------------
    def _selected(self, kind: str) -> list[str]:
        return self.context.selected_ids(kind)

    def copy(self) -> bool:
        racks, devices = self._selected("rack"), self._selected("device")
        if not racks and not devices:
            self.context.say("Select racks or devices to copy")
            return False
        mime = QMimeData()
        mime.setData(SELECTION_MIME, QByteArray(json.dumps(copy_payload(self.document, racks, devices)).encode()))
        QApplication.clipboard().setMimeData(mime)
        self.context.say(f"Copied {len(racks)} racks, {len(devices)} devices")
        return True

    def cut(self) -> None:
        if self.copy():
            self.delete_selection()

    def paste(self, payload: dict | None = None) -> bool:
        if payload is None:
            mime = QApplication.clipboard().mimeData()
            if mime is None or not mime.hasFormat(SELECTION_MIME):
                self.context.say("Nothing to paste: copy racks or devices first")
                return False
            payload = json.loads(bytes(mime.data(SELECTION_MIME).data()).decode())
        racks = self._selected("rack") or [
            self.document.device_rack[d].id for d in self._selected("device") if d in self.document.device_rack
        ]
        try:
            new_racks, placements, cables = plan_paste(self.document, payload, racks[0] if racks else None)
        except (LayoutError, KeyError, ValueError) as exc:
            self.context.say(f"Cannot paste: {getattr(exc, 'message', exc)}")
            return False
        if not (new_racks or placements):
            return False
        done = apply(self.context, paste_command(self.document, new_racks, placements, cables))
        if done:
            chosen = [Selected("rack", r.id) for r in new_racks] + [Selected("device", d.id) for _, d in placements]
            self.context.set_selection(chosen)
        return done

    def duplicate(self) -> bool:
        racks, devices = self._selected("rack"), self._selected("device")
        if not racks and not devices:
            self.context.say("Select racks or devices to duplicate")
            return False
        return self.paste(copy_payload(self.document, racks, devices))

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

    def escape(self) -> None:
        cancelled = self.floor.cancel_interaction() | self.elevation.cancel_interaction()
        if not cancelled:
            self.context.set_selection([])

    # ---- insert -------------------------------------------------------------------------
    def add_rack(self) -> bool:
        doc = self.document
        rack_type = next(iter(doc.catalog.racks.values()))
        size = {"height_u": rack_type.height_u, "width_mm": rack_type.width_mm, "depth_mm": rack_type.depth_mm}
        if doc.site.racks:
            last = doc.site.racks[-1]
            base = last.model_copy(update={"name": "", "devices": [], **size})
            stem = f"{last.row}-" if last.row else "R"
            rack = free_floor_spot(doc, base.model_copy(update={"id": doc.unique_id(stem, doc.racks)}), [])
        else:
            rack = Rack(id=doc.unique_id("R", doc.racks), x_mm=0, y_mm=0, **size)
        if apply(self.context, AddRack(doc, rack)):
            self.context.set_selection([Selected("rack", rack.id)])
            return True
        return False

    def add_tray(self) -> bool:
        doc = self.document
        racks = [doc.racks[r] for r in self._selected("rack")] or doc.site.racks
        if not racks:
            self.context.say("Add racks first: a tray runs over a row of racks")
            return False
        boxes = [rack_footprint(r) for r in racks]
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        settings = doc.site.settings
        top = max(r.height_u for r in racks) * settings.rack_unit_mm + settings.tray_clearance_above_rack_mm
        if x1 - x0 >= y1 - y0:
            points = [(x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2)]
        else:
            points = [((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1)]
        tray = Tray(id=doc.unique_id("T", doc.trays), points=points, elevation_mm=top)
        return apply(self.context, AddTray(doc, tray))

    # ---- tools --------------------------------------------------------------------------
    def _autowire_plan(self, name: str):
        doc = self.document
        chosen = set(self._selected("device")) | {d.id for r in self._selected("rack") for d in doc.racks[r].devices}
        devices = [doc.devices[d] for d in chosen] if chosen else list(doc.devices.values())
        kinds = {d.id: doc.catalog.devices[d.type].kind for d in devices if d.type in doc.catalog.devices}
        by_kind = lambda *wanted: sorted(d for d, k in kinds.items() if k in wanted)  # noqa: E731
        if name == "trn2_torus":
            return (by_kind("compute_tray"),)
        if name == "nvl72_spine":
            return by_kind("compute_tray"), by_kind("switch")
        if name == "nic_rails":
            return by_kind("server", "compute_tray"), by_kind("switch")
        switches = by_kind("switch")
        # The spine is the switch type with the most ports; every other switch is a leaf.
        ports = {d: len(doc.catalog.devices[doc.devices[d].type].ports) for d in switches}
        most = max(ports.values(), default=0)
        return [d for d in switches if ports[d] < most], [d for d in switches if ports[d] == most]

    def autowire(self, name: str) -> None:
        try:
            from model.topologies import autowire as wiring
        except ImportError:
            self.context.say("Auto-wiring is not available in this build")
            return
        arguments = self._autowire_plan(name)
        if not all(arguments):
            self.context.say("Select the racks or devices to wire (none of the right kind are selected)")
            return
        label = self.autowire_actions[name].text().replace("&", "").replace("Auto-wire ", "")
        dialog = QProgressDialog(f"Planning {label}…", "Cancel", 0, 0, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        future = self._pool.submit(getattr(wiring, name), self.document, *arguments)
        self._autowire_job = (future, dialog, label)
        poll = QTimer(self)
        poll.timeout.connect(lambda: self._autowire_poll(poll))
        poll.start(30)

    def _autowire_poll(self, poll: QTimer) -> None:
        future, dialog, label = self._autowire_job
        if not future.done():
            return
        poll.stop()
        poll.deleteLater()
        cancelled = dialog.wasCanceled()
        dialog.close()
        dialog.deleteLater()
        if cancelled:
            self.context.say(f"{label}: cancelled")
            return
        try:
            cables = future.result()
        except LayoutError as exc:
            self.context.say(f"{label}: {exc.message}")
            return
        if not cables:
            self.context.say(f"{label}: nothing to wire (every port is already used)")
            return
        apply(self.context, ConnectCables(self.document, cables, f"Auto-wire {label} ({len(cables)} cables)"))

    def about(self) -> None:
        QMessageBox.about(
            self, "About Rack Designer", "Rack Designer: AI datacenter racks and their DAC, AEC and AOC cabling."
        )

    # ---- settings ----------------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = QSettings(*SETTINGS)
        geometry, state = settings.value("window/geometry"), settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event) -> None:
        if self.file_controller is not None and not self.file_controller.close_requested():
            event.ignore()
            return
        settings = QSettings(*SETTINGS)
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        self._pool.shutdown(wait=False, cancel_futures=True)
        event.accept()

"""Fixtures for the app's views: contexts on the small layouts of tests/gui/sites.py and on the
Trn2 sample, a shown dock, and helpers that drive the views the way a designer does
(synthetic drops, mouse drags)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.context import AppContext
from model.document import Document
from tests.gui.sites import TRAY, server_and_leaves_site, small_site  # noqa: F401 - TRAY: tests import it here


@pytest.fixture
def small_context(qapp):
    return AppContext(Document(small_site()))


@pytest.fixture
def context(qapp):
    """The docks' layout: a server and two leaves in two racks (tests/gui/sites.py)."""
    return AppContext(Document(server_and_leaves_site()))


@pytest.fixture
def sample_context(qapp):
    topologies = pytest.importorskip("model.topologies")
    return AppContext(Document(topologies.build_sample("trn2-ultra64")))


def make_window(qtbot, context):
    """A main window whose unsaved-changes question answers Discard (no modal dialog in tests)."""
    from gui.main_window import MainWindow

    win = MainWindow(context)
    if win.file_controller is not None:
        win.file_controller.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    return win


@pytest.fixture
def window(qtbot, small_context):
    win = make_window(qtbot, small_context)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.floor.scene().flush_routes()
    win.fit_views()
    return win


def threads_calling(monkeypatch, owner, name: str) -> list[str]:
    """Wraps `owner.name` (a module's or class's function) to note the name of the thread each
    call runs on; returns that list, filled as calls come (a worker's: 'rack-designer-work…')."""
    import threading

    real = getattr(owner, name)
    threads: list[str] = []

    def noted(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, noted)
    return threads


def show_widget(qtbot, widget, size: tuple[int, int] = (900, 400)):
    """A widget (a dock, a floor plan or elevation view) alone on screen at `size`, shown and
    exposed, closed after the test; returns it."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def dump(context) -> dict:
    return context.document.site.model_dump()


def view_point(view, scene_pos) -> QPoint:
    return view.mapFromScene(QPointF(scene_pos))


def drag_drop(view, mime_type: str, payload: str, scene_points, drop: bool = True) -> None:
    """Drag-enter at the first point, move through the rest, drop at the last (synthetic events)."""
    mime = QMimeData()
    mime.setData(mime_type, QByteArray(payload.encode()))
    viewport = view.viewport()
    points = [view_point(view, p) for p in scene_points]
    copy, left, none = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(viewport, QDragEnterEvent(points[0], copy, mime, left, none))
    for point in points:
        QApplication.sendEvent(viewport, QDragMoveEvent(point, copy, mime, left, none))
    if drop:
        QApplication.sendEvent(viewport, QDropEvent(QPointF(points[-1]), copy, mime, left, none))


def release_at(view, scene_pos) -> None:
    """Lets go of the left button at `scene_pos`: the end of a drag left running."""
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       view_point(view, scene_pos))  # fmt: skip


def mouse_drag(view, start, end, steps: int = 4, release: bool = True) -> None:
    """Left-button press at `start`, moves to `end`, release there (scene coordinates)."""
    viewport = view.viewport()
    a, b = view_point(view, start), view_point(view, end)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for i in range(1, steps + 1):
        QTest.mouseMove(viewport, a + (b - a) * i / steps)
    if release:
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def free_spots(doc):
    """A rack, one of its devices, and two U positions it can move to there."""
    from model.errors import LayoutError

    for rack in doc.site.racks:
        for device in rack.devices:
            free = []
            for u in range(1, rack.height_u + 1):
                try:
                    doc.check_placement(rack.id, device.model_copy(update={"u_position": u}), ignore=device.id)
                except LayoutError:
                    continue
                if u != device.u_position:
                    free.append(u)
            if len(free) >= 2:
                return rack, device, free
    raise AssertionError("no device with two free spots")

"""Tools → Auto-wire through the real window (issue #14 point 3): the plan is shown with
counts by kind before anything is laid; OK lays it as one undo step, Cancel lays nothing;
a wiring that cannot be laid is a warning dialog naming what is missing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gui.context import AppContext, Selected
from model.commands import PlaceDevice, place_rack
from model.document import Document
from model.layout import Device, Rack
from tests.gui.conftest import make_window

SERVER = "server-8gpu-400g"
LEAF = "switch-qm9700-64x400g"


@pytest.fixture
def two_racks(qapp):
    """File → New, two racks placed in a row (the row tray comes with the second), a ToR
    switch and two servers in each rack: as the issue's designer built it."""
    context = AppContext(Document())
    for k in range(2):
        context.push(place_rack(context.document, Rack(id=f"R{k + 1}", x_mm=600.0 * k, y_mm=0)))
    for rack, tor in (("R1", "tor1"), ("R2", "tor2")):
        context.push(PlaceDevice(context.document, rack, Device(id=tor, type=LEAF, u_position=44)))
        for k, u in enumerate((2, 10)):
            device = Device(id=f"{rack}-s{k + 1}", type=SERVER, u_position=u)
            context.push(PlaceDevice(context.document, rack, device))
    context.undo_stack.clear()
    return context


@pytest.fixture
def window(qtbot, two_racks):
    win = make_window(qtbot, two_racks)
    win.show()
    qtbot.waitExposed(win)
    return win


def open_preview(qtbot, window, name: str) -> QMessageBox:
    window.autowire_actions[name].trigger()
    qtbot.waitUntil(lambda: window.autowire_runner.preview is not None, timeout=20_000)
    preview = window.autowire_runner.preview
    assert preview.isVisible()
    return preview


def test_the_preview_says_what_it_will_lay_and_ok_lays_it_as_one_step(qtbot, window, two_racks):
    preview = open_preview(qtbot, window, "top_of_rack")
    assert preview.windowTitle() == "Auto-wire Top-of-rack"
    assert preview.text().splitlines()[:5] == [
        "Top-of-rack will lay 32 cables:",
        "  32 server→ToR switch 400G",
        "To:",
        "  tor1 in R1: 16",
        "  tor2 in R2: 16",
    ]
    assert two_racks.document.site.cables == []  # nothing laid while the question is open
    qtbot.mouseClick(preview.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: two_racks.undo_stack.count() == 1)
    cables = two_racks.document.site.cables
    assert len(cables) == 32
    assert all(c.b.startswith("tor1:") == c.a.startswith("R1-") for c in cables)  # each rack to its own switch
    assert two_racks.undo_stack.undoText() == "Auto-wire Top-of-rack (32 cables)"
    assert two_racks.result.problems == []  # every run has a pathway and a product
    assert window.autowire_runner.preview is None
    two_racks.undo_stack.undo()
    assert two_racks.document.site.cables == []


def test_cancel_lays_nothing(qtbot, window, two_racks):
    preview = open_preview(qtbot, window, "dual_homed")
    assert preview.text().startswith("Dual-homed leaf pair will lay 32 cables:\n  32 server→leaf 400G")
    qtbot.mouseClick(preview.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.autowire_runner.preview is None)
    assert two_racks.document.site.cables == [] and two_racks.undo_stack.count() == 0


def test_a_refusal_is_a_dialog_naming_what_is_missing(qtbot, window, two_racks):
    two_racks.set_selection([Selected("rack", "R2")])  # R2's servers, but only tor2 to take them
    two_racks.push(PlaceDevice(two_racks.document, "R2", Device(id="R2-s3", type=SERVER, u_position=18)))
    two_racks.push(PlaceDevice(two_racks.document, "R2", Device(id="R2-s4", type=SERVER, u_position=26)))
    two_racks.push(PlaceDevice(two_racks.document, "R2", Device(id="R2-s5", type=SERVER, u_position=34)))
    window.autowire_actions["top_of_rack"].trigger()
    qtbot.waitUntil(lambda: window.autowire_runner.refusal is not None, timeout=20_000)
    refusal = window.autowire_runner.refusal
    assert refusal.isVisible() and refusal.icon() == QMessageBox.Icon.Warning
    assert refusal.text() == (
        "Top-of-rack: rack R2 has 5 servers (40 NIC ports) and no switch with 40 free downlink ports; "
        "nearest switch tor2 in R2 has 32 free downlink ports"
    )
    assert window.autowire_runner.preview is None
    assert all(c.a.partition(":")[0] != "R2-s1" for c in two_racks.document.site.cables)
    refusal.accept()
    qtbot.waitUntil(lambda: window.autowire_runner.refusal is None)

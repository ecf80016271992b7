"""The inspector shows the selected thing from the model and the analysis, and edits it by undo commands."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui.context import AppContext, Selected
from gui.docks.inspector import InspectorDock
from model.catalog import Medium
from model.document import Document
from model.layout import Cable, Device, Rack, Site


def small_site() -> Site:
    """Two racks: a server and a leaf in R1, a leaf in R2 over its 1 kW budget; x1 has no tray to run in."""
    racks = [
        Rack(
            id="R1",
            name="Rack one",
            row="A",
            x_mm=300,
            y_mm=600,
            devices=[
                Device(id="SW1", name="Leaf one", type="switch-51t2-64x800g", u_position=30),
                Device(id="SV1", type="server-8gpu-800g", u_position=2),
            ],
        ),
        Rack(
            id="R2",
            row="A",
            x_mm=900,
            y_mm=600,
            power_budget_w=1000,
            devices=[Device(id="SW2", type="switch-51t2-64x800g", u_position=30)],
        ),
    ]
    cables = [
        Cable(id="c1", a="SV1:nic1", b="SW1:p1"),
        Cable(id="c2", a="SV1:nic2", b="SW1:p2"),
        Cable(id="c10", a="SV1:nic3", b="SW1:p3", pinned_medium="AOC"),
        Cable(id="x1", a="SW1:p64", b="SW2:p64"),
    ]
    return Site(name="Small", racks=racks, cables=cables)


@pytest.fixture
def context(qapp):
    return AppContext(Document(small_site()))


@pytest.fixture
def dock(context, qtbot):
    dock = InspectorDock(context)
    qtbot.addWidget(dock)
    dock.show()
    return dock


def select(context, kind: str, item_id: str) -> None:
    context.set_selection([Selected(kind, item_id)])


def test_nothing_selected(dock):
    assert dock.objectName() == "InspectorDock"
    assert dock.header.text() == "Nothing selected"
    assert dock.pages.currentWidget() is dock.empty


def test_cable_shows_product_length_and_reason(dock, context):
    select(context, "cable", "c1")
    report = context.result.cable("c1")
    assert dock.header.text() == "Cable c1"
    assert dock.fact("medium") == "AEC"
    assert dock.fact("product") == f"{report.product_name} ({report.product_id})"
    assert dock.fact("length") == f"{report.length_m:.2f} m"
    assert dock.fact("ordered") == f"{report.ordered_length_m:.2f} m"
    assert dock.fact("reason") == report.reason
    assert dock.fact("a").endswith("SV1:nic1") and dock.fact("b").endswith("SW1:p1")
    assert dock.fact("problems") == "none"
    assert dock.fact("pinned_medium") == "Automatic"


def test_unplaceable_cable_shows_its_problem(dock, context):
    select(context, "cable", "x1")
    assert dock.fact("medium") == "no product fits"
    assert "tray" in dock.fact("problems")
    assert dock.fact("product") == "—"


def test_pinned_medium_combo_pins_and_undo_restores(dock, context, qtbot):
    select(context, "cable", "c1")
    combo = dock.cable.medium_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Automatic", "DAC", "AEC", "AOC", "OPTICS"]
    combo.setCurrentIndex(combo.findText("AOC"))
    assert context.document.cables["c1"].pinned_medium == Medium.AOC
    assert context.result.cable("c1").medium == "AOC"
    assert dock.fact("medium") == "AOC"
    assert context.undo_stack.undoText() == "Pin cable c1 to AOC"
    context.undo_stack.undo()
    assert context.document.cables["c1"].pinned_medium is None
    assert dock.fact("pinned_medium") == "Automatic"
    assert dock.fact("medium") == "AEC"


def test_pinning_a_product_of_another_medium_drops_the_medium_pin(dock, context):
    select(context, "cable", "c10")
    assert dock.fact("pinned_medium") == "AOC"
    combo = dock.cable.product_combo
    combo.setCurrentIndex(combo.findData("aec-800g-osfp-32awg-7m"))
    cable = context.document.cables["c10"]
    assert (cable.pinned_product, cable.pinned_medium) == ("aec-800g-osfp-32awg-7m", None)
    assert dock.fact("product").endswith("(aec-800g-osfp-32awg-7m)")
    context.undo_stack.undo()  # one step puts both pins back
    assert (cable.pinned_product, cable.pinned_medium) == (None, Medium.AOC)


def test_flexed_checkbox(dock, context, qtbot):
    select(context, "cable", "c2")
    qtbot.mouseClick(dock.cable.flexed_box, Qt.MouseButton.LeftButton)
    assert context.document.cables["c2"].flexed is True
    context.undo_stack.undo()
    assert context.document.cables["c2"].flexed is False
    assert dock.fact("flexed") == "no"


def test_rack_shows_power_against_budget(dock, context):
    select(context, "rack", "R2")
    assert dock.fact("budget") == "1.0 kW"
    assert "of budget" in dock.fact("power")
    assert "b42318" in dock.rack.widgets["power"].styleSheet()  # over budget: red
    select(context, "rack", "R1")
    assert dock.fact("name") == "Rack one"
    assert dock.fact("height") == "48 U"
    assert dock.rack.widgets["power"].styleSheet() == ""


def test_rename_rack_by_typing(dock, context, qtbot):
    select(context, "rack", "R1")
    edit = dock.rack_name
    edit.selectAll()
    qtbot.keyClicks(edit, "Compute A")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert context.document.rack("R1").name == "Compute A"
    context.undo_stack.undo()
    assert context.document.rack("R1").name == "Rack one"
    assert dock.fact("name") == "Rack one"


def test_refused_height_shows_why_and_changes_nothing(dock, context):
    select(context, "rack", "R1")
    dock.rack_height.setValue(20)
    assert context.document.rack("R1").height_u == 48
    assert dock.refusal.isVisible()
    assert "exceeds a 20U rack" in dock.refusal.text()
    assert dock.rack_height.value() == 48
    assert context.undo_stack.count() == 0
    dock.rack_height.setValue(46)
    assert context.document.rack("R1").height_u == 46
    assert not dock.refusal.isVisible()


def test_device_ports_and_rename(dock, context, qtbot):
    select(context, "device", "SW2")
    assert dock.fact("ports") == "1 used, 63 free of 64"
    assert dock.fact("units") == "U30–U31"
    edit = dock.device_name
    qtbot.keyClicks(edit, "Leaf two")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert context.document.device("SW2").name == "Leaf two"
    assert context.undo_stack.undoText() == "Rename device SW2 to 'Leaf two'"


def test_port_page(dock, context):
    select(context, "port", "SW1:p64")
    assert dock.fact("cable") == "x1"
    assert dock.fact("rate") == "800G"
    select(context, "port", "SW1:p5")
    assert dock.fact("cable") == "free"


def test_deleted_selection_empties_the_page(dock, context):
    select(context, "cable", "c2")
    context.document.disconnect("c2")
    assert dock.header.text() == "Nothing selected"


def test_several_selected_shows_the_first(dock, context):
    context.set_selection([Selected("device", "SV1"), Selected("cable", "c1")])
    assert dock.header.text() == "Device SV1 (1 of 2 selected)"

"""The inspector shows the selected thing from the model and the analysis, and edits it by undo commands."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from gui.context import Selected
from gui.docks.inspector import InspectorDock
from model.catalog import Medium
from tests.gui.conftest import show_widget


@pytest.fixture
def dock(context, qtbot):
    return show_widget(qtbot, InspectorDock(context))


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
    product = context.document.catalog.cables[report.product_id]
    # The 3-5 m linear active copper from the switch's finned cage to the NIC's flat top, priced by estimate.
    assert product.id == "acc-800g-osfp-rhs"
    estimated = ", ".join(product.estimated_figures)
    assert dock.fact("product") == f"{report.product_name} ({report.product_id})\nestimated: {estimated}"
    assert "cost" in estimated
    assert dock.fact("length") == f"{report.length_m:.2f} m"
    assert dock.fact("ordered") == f"{report.ordered_length_m:.2f} m"
    assert dock.fact("reason") == report.reason
    # ends by the names people read: rack 'Rack one', the leaf 'Leaf one' (SV1 has no name: its id)
    assert dock.fact("a") == "Rack one U2 SV1:nic1" and dock.fact("b") == "Rack one U30 Leaf one:p1"
    assert dock.fact("problems") == "none"
    assert dock.fact("pinned_medium") == "Automatic"


def test_a_product_with_datasheet_figures_only_shows_no_estimate(dock, context):
    select(context, "cable", "c1")
    combo = dock.cable.product_combo
    combo.setCurrentIndex(combo.findData("dac-800g-osfp-rhs-26awg"))
    assert context.document.cables["c1"].pinned_product == "dac-800g-osfp-rhs-26awg"
    assert context.document.catalog.cables["dac-800g-osfp-rhs-26awg"].estimated_figures == []
    assert "estimated" not in dock.fact("product")
    assert dock.fact("product").endswith("(dac-800g-osfp-rhs-26awg)")


def test_unplaceable_cable_shows_its_problem(dock, context):
    select(context, "cable", "x1")
    assert dock.fact("medium") == "no product fits"
    assert "tray" in dock.fact("problems")
    assert dock.fact("product") == "—"


def test_pinned_medium_combo_pins_and_undo_restores(dock, context, qtbot):
    select(context, "cable", "c1")
    combo = dock.cable.medium_combo
    # A NIC's flat-top cage to a switch: no 800G AOC has one such end (NVIDIA sells none), optics do.
    assert [combo.itemText(i) for i in range(combo.count())] == ["Automatic", "DAC", "AEC", "OPTICS"]
    combo.setCurrentIndex(combo.findText("OPTICS"))
    assert context.document.cables["c1"].pinned_medium == Medium.OPTICS
    assert context.result.cable("c1").medium == "OPTICS"
    assert dock.fact("medium") == "OPTICS"
    assert context.undo_stack.undoText() == "Pin cable c1 to OPTICS"
    context.undo_stack.undo()
    assert context.document.cables["c1"].pinned_medium is None
    assert dock.fact("pinned_medium") == "Automatic"
    assert dock.fact("medium") == "AEC"


def test_pinning_a_product_of_another_medium_drops_the_medium_pin(dock, context):
    select(context, "cable", "c10")
    assert dock.fact("pinned_medium") == "OPTICS"
    combo = dock.cable.product_combo
    combo.setCurrentIndex(combo.findData("acc-800g-osfp-rhs"))
    cable = context.document.cables["c10"]
    assert (cable.pinned_product, cable.pinned_medium) == ("acc-800g-osfp-rhs", None)
    assert dock.fact("product").endswith("(acc-800g-osfp-rhs)\nestimated: od_mm, cost")
    context.undo_stack.undo()  # one step puts both pins back
    assert (cable.pinned_product, cable.pinned_medium) == (None, Medium.OPTICS)


def test_flexed_checkbox(dock, context, qtbot):
    select(context, "cable", "c2")
    box = dock.cable.flexed_box  # as wide as the dock: clicked on its box, at the left
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
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


def test_port_page_shows_lanes_protocol_and_twin_port_cage(dock, context):
    select(context, "port", "SW1:p5")
    assert dock.fact("kind") == "OSFP, 8 lanes × 100G, ethernet"  # an SN5600 cage: one 800G port


def test_twin_port_cage_and_estimated_device_type_show(dock, context):
    from model.layout import Device

    context.document.place_device("R1", Device(id="Q", type="switch-qm9700-64x400g", u_position=40))
    select(context, "port", "Q:p2")
    assert dock.fact("kind") == "OSFP, 4 lanes × 100G, infiniband\ntwin-port cage osfp1, with p1"
    select(context, "device", "Q")
    assert dock.fact("type").endswith("\nestimated: power_w")  # QM9700's power is an estimate


def test_deleted_selection_empties_the_page(dock, context):
    select(context, "cable", "c2")
    context.document.disconnect("c2")
    assert dock.header.text() == "Nothing selected"


def test_several_selected_shows_the_first(dock, context):
    context.set_selection([Selected("device", "SV1"), Selected("cable", "c1")])
    assert dock.header.text() == "Device SV1 (1 of 2 selected)"


def test_every_page_fits_a_narrow_dock(dock, context, qtbot):
    dock.resize(300, 600)
    scroll = dock.widget()
    for kind, item_id in (("cable", "c1"), ("rack", "R1"), ("device", "SV1"), ("port", "SV1:nic1"), ("cable", "x1")):
        select(context, kind, item_id)
        qtbot.wait(1)
        page = dock.pages.currentWidget()
        assert page.minimumSizeHint().width() <= scroll.viewport().width(), f"the {kind} page is cut off"
    assert not scroll.horizontalScrollBar().isVisible()
    select(context, "cable", "c1")
    assert "10 × OD" in dock.cable.flexed_box.toolTip()  # the long explanation lives in the tooltip
    context.set_selection([])
    assert dock.pages.minimumSizeHint().width() <= scroll.viewport().width()  # the empty page asks for no width


def test_the_heading_reads_the_name_people_use_with_the_id_after_it(dock, context):
    rack_id = context.document.site.racks[0].id
    device_id = context.document.site.racks[0].devices[0].id
    context.document.update_rack(rack_id, name="DH2-GPU01")
    select(context, "rack", rack_id)
    assert dock.header.text() == f"Rack DH2-GPU01 ({rack_id})"
    device = context.document.devices[device_id]
    select(context, "device", device_id)
    assert dock.header.text() == f"Device {device.name} ({device_id})"
    context.document.rename_device(device_id, "")
    select(context, "device", device_id)
    assert dock.header.text() == f"Device {device_id}"  # no name: the id alone, once


def test_a_rack_row_is_edited_in_the_inspector_as_one_undo_step(dock, context, qtbot):
    # Naming schemes ({row}) and NetBox's row locations read a rack's row: the designer sets it here.
    from PySide6.QtTest import QTest

    rack = context.document.site.racks[0]
    before = rack.row
    select(context, "rack", rack.id)
    edit = dock.rack_row
    assert edit.text() == before
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, "B7")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert context.document.racks[rack.id].row == "B7"
    assert context.undo_stack.count() == 1
    context.undo_stack.undo()
    assert context.document.racks[rack.id].row == before
    assert edit.text() == before


def test_a_longer_reason_after_a_pin_is_shown_whole_not_cut_off(qtbot, sample_context):
    """A pin changes the cable's reason and problems; the page grows to hold the longer text.
    It kept the height of the shorter text and cut the reason off after '… DAC 26 AWG
    (pinned):' until the cable was selected again (a fresh user's find, in the window)."""
    from model.layout import Tray

    context, document = sample_context, sample_context.document
    window = _shown_window(qtbot, context)
    a, b = document.site.racks[:2]
    document.move_racks({b.id: (b.x_mm + 7000, b.y_mm, b.facing)})  # the ring links past every AEC
    document.add_tray(Tray(id="T", points=[(a.x_mm, a.y_mm), (b.x_mm + 7000, b.y_mm)], elevation_mm=2400))
    _settle()
    dock = next(d for d in window.docks.values() if isinstance(d, InspectorDock))
    select(context, "cable", "c97")
    _settle()
    label = dock.cable.widgets["reason"]
    short = label.text()
    dock.cable.medium_combo.setCurrentIndex(dock.cable.medium_combo.findText("DAC"))
    _settle()
    assert label.text() != short and "(pinned)" in label.text()
    assert label.height() >= label.heightForWidth(label.width())  # every wrapped line has room
    assert dock.fact("cost") == "—"  # no length of it can be ordered: no price, as the cables table shows


def test_the_page_keeps_the_docks_width_when_its_texts_change(qtbot, sample_context):
    """The page stack was sized to its own size hint whenever the shown thing's texts changed
    (adjustSize), and the body's layout did not set its width back: after a rack was dragged
    its page stayed cut to ~60% of the dock in the window (fields narrowed, 'front faces south'
    cut to 'front'), or ran past the dock's right edge. It always takes the width the body's
    layout gives it."""
    from model.commands import MoveDevice
    from tests.gui.conftest import free_spots

    context, document = sample_context, sample_context.document
    window = _shown_window(qtbot, context)
    dock = next(d for d in window.docks.values() if isinstance(d, InspectorDock))
    rack, device, free = free_spots(document)
    select(context, "rack", rack.id)
    _settle()
    body = dock.pages.parentWidget()
    given = body.layout().contentsRect().width()
    assert dock.pages.width() == given
    for u in free[:2]:
        context.push(MoveDevice(document, device.id, rack.id, u, device.face))
        _settle()
        assert dock.pages.width() == body.layout().contentsRect().width() == given
        assert dock.rack_name.width() > given // 2


def _settle() -> None:
    for _ in range(20):
        QApplication.processEvents()


def _shown_window(qtbot, context):
    """The main window on `context` at 1440 x 900, shown and settled."""
    from tests.gui.conftest import make_window

    window = make_window(qtbot, context)
    window.resize(1440, 900)
    window.show()
    _settle()
    return window

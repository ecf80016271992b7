"""Property edits: each changes the model, undoes to the old values, and refuses bad input cleanly."""

from __future__ import annotations

import pytest

from gui.commands import submit
from gui.context import AppContext
from model.catalog import Medium
from model.commands_properties import RenameDevice, UpdateCable, UpdateRack, UpdateSettings, UpdateTray
from model.document import Document
from model.errors import LayoutError
from model.layout import Cable, Device, Rack, Site, Tray


def small_site() -> Site:
    racks = [
        Rack(
            id="R1",
            name="Rack one",
            x_mm=300,
            y_mm=600,
            devices=[
                Device(id="SW1", name="Leaf one", type="switch-51t2-64x800g", u_position=30),
                Device(id="SV1", type="server-8gpu-800g", u_position=2),
            ],
        ),
    ]
    cables = [Cable(id="c1", a="SV1:nic1", b="SW1:p1")]
    trays = [Tray(id="T1", points=[(0, 0), (1200, 0)], elevation_mm=2500)]
    return Site(name="Small", racks=racks, cables=cables, trays=trays)


@pytest.fixture
def context(qapp):
    return AppContext(Document(small_site()))


def test_rename_rack_undo_redo(context):
    doc = context.document
    assert submit(context, UpdateRack(doc, "R1", name="Top row A")) == ""
    assert doc.rack("R1").name == "Top row A"
    assert context.undo_stack.count() == 1
    assert context.undo_stack.undoText() == "Rename rack Rack one to 'Top row A'"
    context.undo_stack.undo()
    assert doc.rack("R1").name == "Rack one"
    context.undo_stack.redo()
    assert doc.rack("R1").name == "Top row A"


def test_rack_height_that_cuts_off_a_device_is_refused(context, qtbot):
    doc = context.document
    with qtbot.waitSignal(context.statusMessage) as said:
        message = submit(context, UpdateRack(doc, "R1", height_u=20))
    assert message.endswith("exceeds a 20U rack")
    assert said.args == [message]
    assert doc.rack("R1").height_u == 48
    assert context.undo_stack.count() == 0


def test_invalid_value_is_a_message_naming_the_field(context):
    message = submit(context, UpdateRack(context.document, "R1", height_u=0))
    assert message.startswith("rack height:")
    assert context.document.rack("R1").height_u == 48
    assert context.undo_stack.count() == 0


def test_edit_that_changes_nothing_pushes_nothing(context):
    command = UpdateRack(context.document, "R1", name="Rack one")
    assert command.changes_nothing
    assert submit(context, command) == ""
    assert context.undo_stack.count() == 0


def test_unknown_field_or_thing_names_it(context):
    with pytest.raises(LayoutError, match="colour"):
        UpdateRack(context.document, "R1", colour="red")
    with pytest.raises(LayoutError, match="R9"):
        UpdateRack(context.document, "R9", name="x")
    with pytest.raises(LayoutError, match="c9"):
        UpdateCable(context.document, "c9", flexed=True)


def test_rack_budget_text_reads_in_kilowatts(context):
    command = UpdateRack(context.document, "R1", power_budget_w=60000)
    assert command.text == "Set rack Rack one power budget to 60 kW"


def test_rename_device(context):
    doc = context.document
    submit(context, RenameDevice(doc, "SW1", "Leaf A"))
    assert doc.device("SW1").name == "Leaf A"
    assert context.undo_stack.undoText() == "Rename device Leaf one to 'Leaf A'"
    context.undo_stack.undo()
    assert doc.device("SW1").name == "Leaf one"


def test_pin_and_unpin_a_cable(context):
    doc = context.document
    submit(context, UpdateCable(doc, "c1", pinned_medium="OPTICS"))
    assert doc.cables["c1"].pinned_medium == Medium.OPTICS
    assert context.undo_stack.undoText() == "Pin cable c1 to OPTICS"
    assert context.result.cable("c1").medium == "OPTICS"
    submit(context, UpdateCable(doc, "c1", pinned_medium=None))
    assert context.undo_stack.undoText() == "Let the engine choose cable c1"
    context.undo_stack.undo()
    assert doc.cables["c1"].pinned_medium == Medium.OPTICS
    context.undo_stack.undo()
    assert doc.cables["c1"].pinned_medium is None
    assert context.result.cable("c1").medium != "OPTICS"


def test_pinning_an_unknown_product_is_refused(context):
    message = submit(context, UpdateCable(context.document, "c1", pinned_product="no-such-cable"))
    assert "no-such-cable" in message
    assert context.document.cables["c1"].pinned_product is None


def test_update_settings(context):
    doc = context.document
    submit(context, UpdateSettings(doc, objective="power"))
    assert doc.site.settings.objective == "power"
    assert context.undo_stack.undoText() == "Set objective to power"
    context.undo_stack.undo()
    assert doc.site.settings.objective == "cost"
    assert submit(context, UpdateSettings(doc, objective="cheapest")).startswith("site objective:")
    assert doc.site.settings.objective == "cost"


def test_update_tray(context):
    doc = context.document
    submit(context, UpdateTray(doc, "T1", name="Row A tray", fill_ratio=0.4))
    assert (doc.trays["T1"].name, doc.trays["T1"].fill_ratio) == ("Row A tray", 0.4)
    assert context.undo_stack.undoText() == "Edit tray T1 (name, fill_ratio)"
    context.undo_stack.undo()
    assert (doc.trays["T1"].name, doc.trays["T1"].fill_ratio) == ("", 0.5)

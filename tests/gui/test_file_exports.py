"""File > Import NetBox device type: what was imported and left out is said in a dialog, the
library palette lists the new type, and a module-type file is refused with a dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from gui.context import AppContext
from gui.docks.library import LibraryDock
from gui.file_controller import FileController
from model.document import Document
from model.io.library import default_library_path, load_user_devices
from model.topologies import build_sample
from tests.gui.conftest import show_widget

HARDWARE = Path(__file__).resolve().parents[1] / "data" / "hardware"


@pytest.fixture
def imports(qtbot, tmp_path):
    window = QWidget()
    qtbot.addWidget(window)
    context = AppContext(Document(build_sample("trn2-ultra64")))
    controller = FileController(context, window, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    dock = show_widget(qtbot, LibraryDock(context))
    controller.catalogChanged.connect(lambda _catalog: dock.reload())
    shown: dict[str, list[tuple[str, str]]] = {"info": [], "error": []}
    paths: list[Path] = []
    controller.ask_open_path = lambda caption, file_filter: paths.pop(0)
    controller.show_info = lambda title, text: shown["info"].append((title, text))
    controller.show_error = lambda title, text: shown["error"].append((title, text))
    return controller, context, dock, paths, shown


def test_warnings_are_shown_and_the_type_is_listed(imports):
    controller, context, dock, paths, shown = imports
    paths.append(HARDWARE / "f07" / "chassis.yaml")
    controller.import_netbox_action.trigger()
    title, text = shown["info"][-1]
    assert title == "Device type imported"
    assert "example-chassis-4slot: switch, 7U, 0 ports" in text
    assert "• left out 4 module bay(s): Linecard 1, Linecard 2, Linecard 3, Linecard 4" in text
    assert "example-chassis-4slot" in context.document.catalog.devices
    assert "example-chassis-4slot" in dock.visible_entries()
    paths.append(HARDWARE / "f01" / "ib-switch.yaml")
    controller.import_netbox_action.trigger()
    assert "example-ib-xdr-4p: switch, 1U, 4 ports" in shown["info"][-1][1]
    switch = dock.index_of("example-ib-xdr-4p")
    assert switch.parent().data() == "Switches"  # the kind came from the file's content
    assert [d.id for d in load_user_devices()] == ["example-chassis-4slot", "example-ib-xdr-4p"]


def test_a_module_type_is_refused_with_a_dialog(imports):
    controller, context, dock, paths, shown = imports
    before = set(context.document.catalog.devices)
    listed = dock.visible_entries()
    paths.append(HARDWARE / "f07" / "linecard-module-type.yaml")
    assert controller.import_netbox_device_type() is False
    title, text = shown["error"][-1]
    assert title == "Cannot import device type"
    assert "LC-36x400G is a NetBox module type" in text and "not a device type" in text
    assert shown["info"] == []
    assert set(context.document.catalog.devices) == before
    assert dock.visible_entries() == listed
    assert not default_library_path().exists()


LIBRARY = Path(__file__).resolve().parents[1] / "data" / "devicetype_library" / "device-types"


def test_a_real_qm9700_file_is_imported_as_32_infiniband_cages(imports):
    controller, context, dock, paths, shown = imports
    paths.append(LIBRARY / "Nvidia" / "QM9700.yaml")
    controller.import_netbox_action.trigger()
    title, text = shown["info"][-1]
    assert title == "Device type imported"
    assert "nvidia-qm9700: switch, 1U, 62 ports in 32 cages (62 x 400G OSFP infiniband), 0 W" in text
    assert "P22 (P22.0), P23 (P23.1)" in text  # the cages whose twin port the file omits
    switch = context.document.catalog.devices["nvidia-qm9700"]
    assert {p.protocol for p in switch.ports} == {"infiniband"} and len(switch.cages) == 32
    assert dock.index_of("nvidia-qm9700").parent().data() == "Switches"


def test_a_real_file_with_a_misspelt_key_is_refused_with_a_dialog_naming_port_and_key(imports):
    controller, context, dock, paths, shown = imports
    listed = dock.visible_entries()
    paths.append(LIBRARY / "Corning" / "CCH-UM12-04-89G.yaml")
    assert controller.import_netbox_device_type() is False
    title, text = shown["error"][-1]
    assert title == "Cannot import device type"
    assert "front port 3-4: position 1 of mpo1-12 is taken" in text
    assert "'rear_port_postion' (did you mean 'rear_port_position'?)" in text
    assert shown["info"] == [] and dock.visible_entries() == listed
    assert "CCH-UM12-04-89G" not in context.document.catalog.devices
    assert not default_library_path().exists()

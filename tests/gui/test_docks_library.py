"""The library palette: every catalog entry by kind, a working search box, drag payloads by id."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from gui.context import AppContext
from gui.docks.library import CATALOG_ID_ROLE, LibraryDock
from gui.mime import DEVICE_TYPE_MIME, RACK_TYPE_MIME
from model.document import Document
from tests.gui.conftest import show_widget

# The offscreen platform warns when any top-level window is shown; nothing to do with the dock.


@pytest.fixture
def dock(qtbot):
    return show_widget(qtbot, LibraryDock(AppContext(Document())))


def group_names(dock) -> list[str]:
    return [dock.proxy.index(g, 0).data() for g in range(dock.proxy.rowCount())]


def test_every_catalog_entry_is_listed_under_its_kind(dock):
    catalog = dock.context.document.catalog
    assert set(dock.visible_entries()) == set(catalog.devices) | set(catalog.racks)
    assert group_names(dock)[0] == "Racks"
    assert {"Switches", "Compute trays", "Servers", "Power shelves"} <= set(group_names(dock))
    assert dock.objectName() == "LibraryDock"


def test_entry_shows_key_figures_and_ports(dock):
    index = dock.index_of("switch-51t2-64x800g")
    figures = index.siblingAtColumn(1).data()
    assert figures.startswith("2U · ")
    assert "64 ports" in figures
    assert "64 × OSFP 800G" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
    trn2 = dock.index_of("trn2-compute-tray").siblingAtColumn(1).data()
    assert "2 accel." in trn2


def test_typing_in_the_filter_hides_the_rest(dock, qtbot):
    everything = len(dock.visible_entries())
    qtbot.keyClicks(dock.filter_edit, "spine")
    assert dock.visible_entries() == ["spine-q3400-144x800g"]
    assert group_names(dock) == ["Switches"]
    dock.filter_edit.clear()
    assert len(dock.visible_entries()) == everything


def test_filter_matches_kind_and_ports_case_insensitively(dock, qtbot):
    qtbot.keyClicks(dock.filter_edit, "POWER SHELF")
    assert dock.visible_entries() == ["power-shelf-33kw"]
    dock.filter_edit.clear()
    qtbot.keyClicks(dock.filter_edit, "qsfp-dd")
    shown = dock.visible_entries()
    assert "generic-server-1u" in shown
    assert "switch-51t2-64x800g" not in shown and "rack-42u-600x1200" not in shown


def test_device_entry_drags_its_type_id(dock):
    index = dock.index_of("switch-51t2-64x800g")
    mime = dock.view.model().mimeData([index])
    assert mime.hasFormat(DEVICE_TYPE_MIME)
    assert not mime.hasFormat(RACK_TYPE_MIME)
    assert bytes(mime.data(DEVICE_TYPE_MIME)).decode("utf-8") == "switch-51t2-64x800g"
    assert index.flags() & Qt.ItemFlag.ItemIsDragEnabled


def test_rack_entry_drags_its_rack_type_id(dock):
    mime = dock.view.model().mimeData([dock.index_of("rack-42u-600x1200")])
    assert bytes(mime.data(RACK_TYPE_MIME)).decode("utf-8") == "rack-42u-600x1200"
    assert not mime.hasFormat(DEVICE_TYPE_MIME)


def test_groups_and_card_only_devices_do_not_drag(dock):
    group = dock.proxy.index(0, 0)
    assert dock.view.model().mimeData([group]) is None
    nic = dock.index_of("nic-800g-osfp")
    assert not nic.flags() & Qt.ItemFlag.ItemIsDragEnabled
    assert dock.view.model().mimeData([nic]) is None


def test_the_view_offers_copy_drags(dock):
    assert dock.view.dragEnabled()
    assert dock.model.mimeTypes() == [DEVICE_TYPE_MIME, RACK_TYPE_MIME]
    assert dock.index_of("power-shelf-33kw").data(CATALOG_ID_ROLE) == "power-shelf-33kw"


def test_entries_show_the_name_over_its_figures_without_sideways_scrolling(dock):
    view = dock.view
    assert view.isColumnHidden(1) and view.isHeaderHidden()
    index = dock.index_of("switch-51t2-64x800g")
    option = QStyleOptionViewItem()
    option.initFrom(view)
    line = view.fontMetrics().height()
    assert view.itemDelegate().sizeHint(option, index).height() >= 2 * line  # name, then figures
    group = dock.proxy.index(0, 0)
    assert view.itemDelegate().sizeHint(option, group).height() < 2 * line  # a group is one line
    assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    nic = dock.index_of("nic-800g-osfp").siblingAtColumn(1).data()
    assert "1 port" in nic and "1 ports" not in nic


def test_a_drag_carries_a_small_label_beside_the_cursor_not_over_the_ghost(dock, monkeypatch):
    from PySide6.QtGui import QDrag

    started = {}

    def fake_exec(drag, *args):
        started.update(pixmap=drag.pixmap(), hot_spot=drag.hotSpot(), mime=drag.mimeData())
        return Qt.DropAction.CopyAction

    monkeypatch.setattr(QDrag, "exec", fake_exec)
    dock.view.setCurrentIndex(dock.index_of("switch-51t2-64x800g"))
    dock.view.startDrag(Qt.DropAction.CopyAction)
    assert bytes(started["mime"].data(DEVICE_TYPE_MIME)).decode() == "switch-51t2-64x800g"
    pixmap, hot_spot = started["pixmap"], started["hot_spot"]
    assert 0 < pixmap.height() <= 40 and pixmap.width() <= 260  # a label, not the whole two-line row
    # The hot spot lies outside the label, above and left of it: the cursor's point, and the
    # ghost drawn under it, stay uncovered.
    assert hot_spot.x() < 0 and hot_spot.y() < 0

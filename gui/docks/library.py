"""The library palette: the catalog's racks and device types, grouped by kind, searchable.

Dragging an entry carries its catalog id in a custom MIME type (gui.mime); whoever
receives the drop looks the id up in the catalog. The model builds the MIME data
itself (`mimeData`), so a test can ask for it without running QDrag.exec.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, QRectF, QSize, QSortFilterProxyModel, Qt
from PySide6.QtGui import (
    QColor,
    QDrag,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QLineEdit, QTreeView, QVBoxLayout, QWidget

from gui.docks import millimetres, rate, watts
from gui.docks.entry_delegate import FIGURES_COLUMN, TwoLineEntryDelegate
from gui.mime import DEVICE_TYPE_MIME, RACK_TYPE_MIME
from model.catalog import Catalog, DeviceType, RackType

CATALOG_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "device" or "rack"
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

# Groups in the order a designer fills a rack: the rack, then what goes in it.
GROUPS = (
    ("rack", "Racks"),
    ("compute_tray", "Compute trays"),
    ("server", "Servers"),
    ("switch", "Switches"),
    ("patch_panel", "Patch panels"),
    ("power_shelf", "Power shelves"),
    ("pdu", "PDUs"),
    ("nic", "NICs (fitted inside servers)"),
)
# Icon colours tell the kinds apart at a glance; they appear nowhere else.
KIND_COLORS = {
    "rack": QColor("#4b5563"),
    "compute_tray": QColor("#7c3aed"),
    "server": QColor("#2563eb"),
    "switch": QColor("#0f766e"),
    "patch_panel": QColor("#a16207"),
    "power_shelf": QColor("#b91c1c"),
    "nic": QColor("#4d7c0f"),
}
ICON_W, ICON_H = 28, 20


def kind_icon(kind: str) -> QIcon:
    """A small drawing of the kind: a rack frame, chips, ports, a bolt, a card."""
    pixmap = QPixmap(ICON_W, ICON_H)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = KIND_COLORS.get(kind, QColor("#6b7280"))
    painter.setPen(QPen(color.darker(140), 1))
    white = QColor("#ffffff")
    if kind == "rack":
        painter.setBrush(color.lighter(170))
        painter.drawRect(QRectF(8.5, 0.5, 11, 19))
        for y in range(3, 19, 3):
            painter.drawLine(QPointF(10, y), QPointF(18, y))
    else:
        painter.setBrush(color)
        painter.drawRoundedRect(QRectF(1.5, 5.5, 25, 10), 2, 2)
        painter.setBrush(white)
        painter.setPen(Qt.PenStyle.NoPen)
        if kind == "compute_tray":
            painter.drawRect(QRectF(5, 7.5, 6, 6))
            painter.drawRect(QRectF(17, 7.5, 6, 6))
        elif kind == "switch":
            for x in range(4, 25, 4):
                painter.drawRect(QRectF(x, 8, 2.5, 2))
                painter.drawRect(QRectF(x, 11.5, 2.5, 2))
        elif kind == "server":
            for top in (8.0, 10.5, 13.0):
                painter.drawRect(QRectF(4, top, 20, 1))
        elif kind == "patch_panel":
            for x in range(4, 25, 3):
                painter.drawEllipse(QPointF(x, 10.5), 1, 1)
        elif kind == "power_shelf":
            bolt = QPainterPath(QPointF(15, 6.5))
            for corner in ((11, 11), (14, 11), (12, 15), (17, 10), (14, 10), (15, 6.5)):
                bolt.lineTo(QPointF(*corner))
            painter.drawPath(bolt)
        elif kind == "nic":
            painter.setBrush(QColor("#facc15"))
            for x in range(5, 22, 3):
                painter.drawRect(QRectF(x, 13, 2, 2))
    painter.end()
    return QIcon(pixmap)


def port_summary(device_type: DeviceType) -> str:
    """'64 × OSFP 800G, 2 × QSFP-DD 400G': ports grouped by connector and rate."""
    groups = Counter((p.connector, p.rate_gbps) for p in device_type.ports)
    return ", ".join(f"{n} × {connector} {rate(gbps)}" for (connector, gbps), n in groups.items()) or "no ports"


def device_figures(device_type: DeviceType) -> str:
    size = f"{device_type.u_height}U" if device_type.u_height else "card"
    count = len(device_type.ports)
    parts = [size, watts(device_type.power_w), f"{count} port{'' if count == 1 else 's'}"]
    if device_type.accelerators:
        parts.append(f"{device_type.accelerators} accel.")
    return " · ".join(parts)


def rack_figures(rack_type: RackType) -> str:
    return f"{rack_type.height_u}U · {rack_type.width_mm:g} × {rack_type.depth_mm:g} mm"


class CatalogModel(QStandardItemModel):
    """Groups and entries; entries carry their catalog id and build drag payloads."""

    def __init__(self, catalog: Catalog, parent=None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Name", "Figures"])
        self.load(catalog)

    def load(self, catalog: Catalog) -> None:
        self.removeRows(0, self.rowCount())
        by_kind: dict[str, list[tuple[str, str, str, str, bool]]] = {kind: [] for kind, _ in GROUPS}
        for rack_type in catalog.racks.values():
            tip = f"{rack_type.name}\n{rack_figures(rack_type)}\nDrag onto the floor plan to add a rack."
            by_kind["rack"].append((rack_type.id, rack_type.name, rack_figures(rack_type), tip, True))
        for device_type in catalog.devices.values():
            by_kind.setdefault(device_type.kind, []).append(
                (
                    device_type.id,
                    device_type.name,
                    device_figures(device_type),
                    self._tip(device_type),
                    device_type.rack_mountable,
                )
            )
        labels = dict(GROUPS)
        for kind, entries in by_kind.items():
            if not entries:
                continue
            group = QStandardItem(labels.get(kind, kind))
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            spacer = QStandardItem()
            spacer.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for item in (group, spacer):
                # Every role that is read back holds a value: PySide6 6.12 drops a reference
                # to None each time it turns an empty QVariant into None.
                item.setData("", CATALOG_ID_ROLE)
                item.setData("", ENTRY_KIND_ROLE)
            icon = kind_icon(kind)
            for catalog_id, name, figures, tip, draggable in sorted(entries, key=lambda e: e[1].lower()):
                group.appendRow(self._entry(kind, catalog_id, name, figures, tip, draggable, icon))
            self.appendRow([group, spacer])

    @staticmethod
    def _tip(device_type: DeviceType) -> str:
        lines = [device_type.name]
        if device_type.manufacturer:
            lines.append(device_type.manufacturer)
        lines.append(device_figures(device_type) + f" · {millimetres(device_type.depth_mm)} deep")
        lines.append("Ports: " + port_summary(device_type))
        if not device_type.rack_mountable:
            lines.append("Fitted inside servers; not placed in a rack on its own.")
        return "\n".join(lines)

    @staticmethod
    def _entry(kind, catalog_id, name, figures, tip, draggable, icon) -> list[QStandardItem]:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if draggable:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        entry_kind = "rack" if kind == "rack" else "device"
        items = [QStandardItem(icon, name), QStandardItem(figures)]
        for item in items:
            item.setFlags(flags)
            item.setToolTip(tip)
            item.setData(catalog_id, CATALOG_ID_ROLE)
            item.setData(entry_kind, ENTRY_KIND_ROLE)
        items[0].setData(f"{name} {catalog_id} {kind.replace('_', ' ')} {figures} {tip}", SEARCH_ROLE)
        return items

    def mimeTypes(self) -> list[str]:
        return [DEVICE_TYPE_MIME, RACK_TYPE_MIME]

    # Qt's contract is "nullptr: nothing to drag", which the PySide6 stubs leave out of the return type.
    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData | None:  # type: ignore[override]
        for index in indexes:
            catalog_id = index.data(CATALOG_ID_ROLE)
            if catalog_id and index.flags() & Qt.ItemFlag.ItemIsDragEnabled:
                mime = QMimeData()
                kind = DEVICE_TYPE_MIME if index.data(ENTRY_KIND_ROLE) == "device" else RACK_TYPE_MIME
                mime.setData(kind, str(catalog_id).encode("utf-8"))
                mime.setText(str(catalog_id))
                return mime
        return None

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


class LibraryTree(QTreeView):
    """The library's tree; a drag carries a small label of the entry beside the cursor, so
    that the drawing's ghost under the cursor (green: fits; red: refused) stays in sight.
    Qt's default drag image is the whole row centred on the cursor, which hides the ghost."""

    DRAG_OFFSET = QPoint(-14, -14)  # the label's top-left, below and right of the cursor

    def startDrag(self, supportedActions) -> None:  # noqa: N802 - Qt's name
        index = self.currentIndex()
        mime = self.model().mimeData([index]) if index.isValid() else None
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.setPixmap(drag_label(str(index.data(Qt.ItemDataRole.DisplayRole) or ""), self))
        drag.setHotSpot(self.DRAG_OFFSET)
        drag.exec(Qt.DropAction.CopyAction)


def drag_label(text: str, widget: QWidget) -> QPixmap:
    """A small, half-transparent label of `text` (at most 28 characters) for a drag."""
    text = text if len(text) <= 28 else text[:27] + "…"
    metrics = widget.fontMetrics()
    size = QSize(metrics.horizontalAdvance(text) + 12, metrics.height() + 6)
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setOpacity(0.85)
    painter.fillRect(pixmap.rect(), QColor("#30343a"))
    painter.setPen(QColor("white"))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


class LibraryDock(QDockWidget):
    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__("Library", parent)
        self.setObjectName("LibraryDock")
        self.context = context
        self.model = CatalogModel(context.document.catalog, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Search: name, kind, port, rate…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter)

        self.view = LibraryTree()
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)  # one column: the name over its figures
        self.view.setItemDelegate(TwoLineEntryDelegate(self.view))
        self.view.setColumnHidden(FIGURES_COLUMN, True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.expandAll()

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view)
        self.setWidget(body)

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.view.expandAll()

    def reload(self) -> None:
        """Re-reads the catalog (after the designer edited it)."""
        self.model.load(self.context.document.catalog)
        self.view.expandAll()

    def visible_entries(self) -> list[str]:
        """Catalog ids the filter lets through, in the order shown."""
        found = []
        for g in range(self.proxy.rowCount()):
            group = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(group)):
                found.append(self.proxy.index(r, 0, group).data(CATALOG_ID_ROLE))
        return found

    def index_of(self, catalog_id: str) -> QModelIndex:
        """The view's (proxy) index of an entry, invalid when filtered out."""
        for g in range(self.proxy.rowCount()):
            group = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(group)):
                index = self.proxy.index(r, 0, group)
                if index.data(CATALOG_ID_ROLE) == catalog_id:
                    return index
        return QModelIndex()

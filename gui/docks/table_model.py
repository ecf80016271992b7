"""A read-only table model with fixed, named columns: the part every dock table shares."""

from __future__ import annotations

from collections.abc import Sized

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt


class FixedColumnsModel(QAbstractTableModel):
    """Subclasses set `columns` and return their visible rows from `visible_rows()`."""

    columns: tuple[str, ...] = ()

    def visible_rows(self) -> Sized:
        return ()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.visible_rows())

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

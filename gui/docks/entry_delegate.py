"""Library entries on two lines: the name, and under it the key figures in grey.

A dock a quarter of the window wide cannot show a name and its figures side by side;
two columns made the designer scroll sideways to read either. Names too long for the
dock are elided; the tooltip holds all of it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

FIGURES_COLUMN = 1
PADDING_PX = 3


class TwoLineEntryDelegate(QStyledItemDelegate):
    """Draws rows that have figures in the next column as name over figures."""

    @staticmethod
    def figures(index: QModelIndex | QPersistentModelIndex) -> str:
        return index.sibling(index.row(), FIGURES_COLUMN).data() or ""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if not self.figures(index):
            return size
        return QSize(size.width(), 2 * option.fontMetrics.height() + 2 * PADDING_PX)

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        figures = self.figures(index)
        if not figures:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        name, item.text = item.text, ""
        style = item.widget.style() if item.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)  # background, icon
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, item.widget)
        metrics = item.fontMetrics
        line = metrics.height()
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Normal if item.state & QStyle.StateFlag.State_Enabled else QPalette.ColorGroup.Disabled
        )
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ink = item.palette.color(group, role)
        muted = QColor(ink)
        muted.setAlphaF(0.75 if selected else 0.6)
        top = text.top() + (text.height() - 2 * line) // 2
        painter.save()
        painter.setFont(item.font)
        for row, (words, color) in enumerate(((name, ink), (figures, muted))):
            painter.setPen(color)
            box = QRect(text.left(), top + row * line, text.width(), line)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(words, Qt.TextElideMode.ElideRight, box.width()))  # fmt: skip
        painter.restore()

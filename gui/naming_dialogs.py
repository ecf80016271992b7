"""File → Properties and Edit → Rename by Scheme: the layout's name, info and naming scheme,
and renaming a selection by that scheme.

Both dialogs edit through one model command each (model.commands_naming), so an edit is
one undo step and a refused one changes nothing: the dialog then stays open and says why
in a message box naming the field or the two things that would share a name.
"""

from __future__ import annotations

import datetime

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.commands import apply
from model.commands_naming import RenameByScheme, SetLayoutProperties
from model.errors import LayoutError
from model.naming import FIELDS

INFO_FIELDS = (("site", "Site"), ("hall", "Hall"), ("author", "Author"), ("revision", "Revision"), ("date", "Date"))
PATTERN_FIELDS = (("rack", "Rack names"), ("device", "Device names (hosts)"), ("cable", "Cable ids"))


def _fields_hint(kind: str) -> str:
    return "Fields: " + ", ".join(f"{{{name}}}" for name in FIELDS[kind])


class LayoutPropertiesDialog(QDialog):
    """The layout's name, site, hall, author, revision and date, and its naming patterns."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Layout Properties")
        site = context.document.site
        layout = QVBoxLayout(self)
        about = QGroupBox("Layout")
        form = QFormLayout(about)
        self.name_edit = QLineEdit(site.name)
        form.addRow("Name", self.name_edit)
        self.info_edits: dict[str, QLineEdit] = {}
        for key, title in INFO_FIELDS:
            edit = QLineEdit(getattr(site.info, key))
            self.info_edits[key] = edit
            form.addRow(title, edit)
        self.info_edits["date"].setPlaceholderText("YYYY-MM-DD")
        self.today_button = QPushButton("Today")
        self.today_button.clicked.connect(lambda: self.info_edits["date"].setText(f"{datetime.date.today():%Y-%m-%d}"))
        form.addRow("", self.today_button)
        layout.addWidget(about)
        naming = QGroupBox("Naming scheme (new, pasted and renamed things)")
        form = QFormLayout(naming)
        self.pattern_edits: dict[str, QLineEdit] = {}
        for key, title in PATTERN_FIELDS:
            edit = QLineEdit(getattr(site.naming, key))
            edit.setToolTip(_fields_hint(key) + "; a counter takes a width, e.g. {rack:02}")
            self.pattern_edits[key] = edit
            form.addRow(title, edit)
            hint = QLabel(_fields_hint(key))
            hint.setWordWrap(True)
            hint.setStyleSheet("color: palette(mid)")
            form.addRow("", hint)
        layout.addWidget(naming)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def command(self) -> SetLayoutProperties:
        """The edit the dialog's fields describe."""
        return SetLayoutProperties(
            self.context.document,
            name=self.name_edit.text(),
            info={key: edit.text().strip() for key, edit in self.info_edits.items()},
            naming={key: edit.text() for key, edit in self.pattern_edits.items()},
        )

    def accept(self) -> None:
        command = self.command()
        if command.changes_nothing:
            super().accept()
            return
        try:
            self.context.push(command)
        except LayoutError as exc:
            QMessageBox.warning(self, "Layout Properties", f"Not changed: {_field_text(exc)}")
            return
        self.context.say("Layout properties changed")
        super().accept()


def _field_text(exc: LayoutError) -> str:
    """'naming.rack: {u} is not a rack pattern field…' from a refusal naming its field."""
    where = exc.where.replace("info.", "").replace("naming.", "pattern for ")
    return f"{where}: {exc.message}" if where else exc.message


class RenameDialog(QDialog):
    """Renames the selected racks (and, if asked, their devices and the cables among them)
    by the layout's naming scheme, numbering from a start; shows the first new names."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Rename by Scheme")
        doc = context.document
        self.rack_ids = [r for r in context.selected_ids("rack") if r in doc.racks]
        picked = [d for d in context.selected_ids("device") if d in doc.devices]
        # Nothing selected means the whole layout, as auto-wire does: a new design is
        # renamed in one step, with no hidden "select all first".
        self.whole_layout = not (self.rack_ids or picked)
        if self.whole_layout:
            self.rack_ids = list(doc.racks)
        inside = [d.id for r in self.rack_ids for d in doc.racks[r].devices]
        self.device_ids = list(dict.fromkeys(picked + inside))
        self.picked_devices = picked
        naming = doc.site.naming
        layout = QVBoxLayout(self)
        scheme = QLabel(
            f"Racks: <b>{naming.rack or '(kept)'}</b> · devices: <b>{naming.device or '(kept)'}</b>"
            f" · cables: <b>{naming.cable or '(kept)'}</b> — change them in File → Properties."
        )
        scheme.setWordWrap(True)
        layout.addWidget(scheme)
        racks_text = "All racks — nothing is selected" if self.whole_layout else "Racks selected"
        self.racks_box = QCheckBox(f"{racks_text} ({len(self.rack_ids)})")
        self.racks_box.setChecked(bool(self.rack_ids))
        self.racks_box.setEnabled(bool(self.rack_ids))
        devices_text = "Their devices" if self.whole_layout else "Their devices and the devices selected"
        self.devices_box = QCheckBox(f"{devices_text} ({len(self.device_ids)})")
        self.devices_box.setChecked(bool(self.device_ids))
        self.devices_box.setEnabled(bool(self.device_ids))
        self.cables_box = QCheckBox(f"Cables of these devices ({len(self._cable_ids())})")
        self.cables_box.setEnabled(bool(self._cable_ids()))
        for box in (self.racks_box, self.devices_box, self.cables_box):
            box.toggled.connect(self._preview)
            layout.addWidget(box)
        form = QFormLayout()
        self.start_spin = QSpinBox()
        self.start_spin.setRange(0, 1_000_000)
        self.start_spin.setValue(1)
        self.start_spin.valueChanged.connect(self._preview)
        form.addRow("Number from", self.start_spin)
        layout.addLayout(form)
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        layout.addWidget(self.preview_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Rename")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._preview()

    def _cable_ids(self) -> list[str]:
        doc = self.context.document
        devices = set(self.device_ids)
        return [c.id for c in doc.site.cables if c.a.partition(":")[0] in devices]

    def command(self) -> RenameByScheme:
        """The rename the dialog's choices describe; raises LayoutError when it is refused."""
        return RenameByScheme(
            self.context.document,
            self.rack_ids if self.racks_box.isChecked() else [],
            self.device_ids if self.devices_box.isChecked() else [],
            self._cable_ids() if self.cables_box.isChecked() else [],
            start=self.start_spin.value(),
        )

    def _preview(self) -> None:
        try:
            command = self.command()
        except LayoutError as exc:
            self.preview_label.setText(f"<span style='color:#b42318'>{exc.message}</span>")
            self._fit_preview()
            return
        doc = self.context.document
        shown = [f"{doc.racks[r].label} → {n}" for r, n in list(command.racks.items())[:3]]
        shown += [f"{doc.devices[d].label} → {n}" for d, n in list(command.devices.items())[:3]]
        shown += [f"{doc.cables[c].label or c} → {n}" for c, n in list(command.cables.items())[:2]]
        self.preview_label.setText(command.text + (":<br>" + "<br>".join(shown) if shown else ""))
        self._fit_preview()

    def _fit_preview(self) -> None:
        # A wrapped label's height depends on its width, which a dialog sized once at opening
        # does not follow: grow the dialog so no preview line is cut off.
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.adjustSize()

    def accept(self) -> None:
        try:
            command = self.command()
        except LayoutError as exc:
            QMessageBox.warning(self, "Rename by Scheme", f"Nothing renamed: {exc.message}")
            return
        if not command.changes_nothing and not apply(self.context, command):
            QMessageBox.warning(self, "Rename by Scheme", "Nothing renamed: the edit was refused")
            return
        things = command.text.removeprefix("Rename ").removesuffix(" by scheme")
        self.context.say(f"Renamed {things} by the naming scheme (Undo puts the old names back)")
        super().accept()


def edit_layout_properties(context, parent: QWidget | None = None) -> LayoutPropertiesDialog:
    """Opens File → Properties (window-modal); returns the dialog."""
    dialog = LayoutPropertiesDialog(context, parent)
    dialog.open()
    return dialog


def rename_selection(context, parent: QWidget | None = None) -> RenameDialog | None:
    """Opens Edit → Rename by Scheme on the selection, or on the whole layout when nothing is
    selected; says so in the status bar and returns None when the layout has no rack."""
    if not context.document.racks:
        context.say("Nothing to rename: the layout has no racks yet")
        return None
    dialog = RenameDialog(context, parent)
    dialog.open()
    return dialog


def install_naming_actions(window, file_menu, edit_menu) -> tuple:
    """Adds File → Properties… (before Quit; Alt+Return) and Edit → Rename by Scheme… (F2, on
    the selection) to `window`'s menus; returns both actions."""
    from PySide6.QtGui import QAction, QKeySequence

    properties = QAction("P&roperties…", window)
    properties.setShortcut(QKeySequence("Alt+Return"))
    properties.setStatusTip("The layout's name, site, hall, author, revision, date and naming scheme")
    properties.triggered.connect(lambda _checked=False: edit_layout_properties(window.context, window))
    actions = file_menu.actions()
    quit_action = actions[-1] if actions else None
    file_menu.insertAction(quit_action, properties)
    file_menu.insertSeparator(quit_action)
    rename = QAction("Re&name by Scheme…", window)
    rename.setShortcut(QKeySequence("F2"))
    rename.setStatusTip(
        "Rename and renumber the selected racks (all when none is selected), their devices and cables by the naming scheme"
    )
    rename.triggered.connect(lambda _checked=False: rename_selection(window.context, window))
    edit_menu.addSeparator()
    edit_menu.addAction(rename)
    window.addAction(properties)
    window.addAction(rename)
    return properties, rename

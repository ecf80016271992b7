"""The File menu's CSV exports and NetBox device type import, as a part of FileController.

`FileExports` holds no state of its own: it uses the controller's context, path and
dialog methods (`ask_save_path`, `ask_open_path`, `ask_replace_read_only`, `show_error`,
`show_info`), so tests script those the same way for every file action.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from model.catalog import Catalog
from model.errors import RackDesignerError, ReadOnlyFileError
from model.io import exports, netbox
from model.io.files import atomic_text_write
from model.io.library import catalog_with, load_user_devices, save_user_devices
from model.scenarios import BASE

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from gui.context import AppContext

CSV_FILTER = "CSV files (*.csv);;All files (*)"
NETBOX_FILTER = "NetBox device types (*.yaml *.yml);;All files (*)"


class FileExports:
    """Export cable schedule, BOM and NetBox CSVs; import a NetBox device type (mixed into FileController)."""

    if TYPE_CHECKING:  # what the controller supplies
        context: AppContext
        path: Path | None
        catalogChanged: SignalInstance

        def ask_save_path(self, caption: str, file_filter: str, suggested: str) -> Path | None: ...
        def ask_open_path(self, caption: str, file_filter: str) -> Path | None: ...
        def ask_replace_read_only(self, path: Path) -> bool: ...
        def show_error(self, title: str, message: str) -> None: ...
        def show_info(self, title: str, message: str) -> None: ...
        def write_file(self, label: str, write: Callable[[], object]) -> None: ...

    # ---- exports -------------------------------------------------------------------------
    def _export(self, caption: str, suffix: str, write: Callable[[TextIO], None], shown: bool = True) -> bool:
        # Asks where, writes atomically; a read-only target is replaced only when the designer says so.
        # `shown`: it writes the design shown (context.result), which a scenario's name then marks,
        # in the suggested file name and the status bar's word (a file did not say which it held).
        stem = self.path.stem if self.path else self.context.document.site.name or "layout"
        scenario = self.context.active_scenario if shown and self.context.active_scenario != BASE else None
        if scenario is not None:
            stem = f"{stem}-{re.sub(r'[^A-Za-z0-9_.]+', '-', scenario).strip('-') or 'scenario'}"
        path = self.ask_save_path(caption, CSV_FILTER, f"{stem}-{suffix}.csv")
        if path is None:
            return False

        def write_to(replace_read_only: bool = False) -> None:
            with atomic_text_write(path, replace_read_only=replace_read_only) as handle:
                write(handle)

        try:
            try:
                self.write_file(f"Writing {path.name}…", write_to)
            except ReadOnlyFileError:
                if not self.ask_replace_read_only(path):
                    return False
                self.write_file(f"Writing {path.name}…", lambda: write_to(replace_read_only=True))
        except RackDesignerError as exc:
            self.show_error("Export failed", str(exc))
            return False
        self.context.say(f"Exported {path}" + (f" (scenario {scenario!r})" if scenario is not None else ""))
        return True

    def export_schedule(self) -> bool:
        """Asks for a file and writes the cable schedule to it; True when written."""
        result = self.context.result  # the snapshot shown now, whichever thread writes it
        return self._export("Export cable schedule", "cables", lambda h: exports.write_cable_schedule(result, h))

    def export_bom(self) -> bool:
        """Asks for a file and writes the bill of materials to it; True when written."""
        result = self.context.result
        return self._export("Export bill of materials", "bom", lambda h: exports.write_bom(result, h))

    def export_netbox_devices(self) -> bool:
        """Asks for a file and writes NetBox's device import CSV to it; True when written."""
        return self._export(
            "Export NetBox devices",
            "netbox-devices",
            lambda h: netbox.write_devices_csv(self.context.document, h),
            shown=False,  # the layout's devices: a scenario changes none
        )

    def export_netbox_cables(self) -> bool:
        """Asks for a file and writes NetBox's cable import CSV to it; True when written."""
        result = self.context.result
        return self._export("Export NetBox cables", "netbox-cables", lambda h: netbox.write_cables_csv(result, h))

    def export_netbox_set(self) -> bool:
        """Asks for a folder name and writes the whole NetBox import set into it (sites, locations,
        makers, roles, device types, racks, devices, cables, in import order, and a README);
        then says, in a dialog, which file goes to which NetBox page in which order. True when written."""
        from model.io.netbox_import_set import import_set_table, write_import_set

        stem = self.path.stem if self.path else self.context.document.site.name or "layout"
        folder = self.ask_save_path("Export NetBox import set (a folder)", "Folders (*)", f"{stem}-netbox")
        if folder is None:
            return False
        document, result = self.context.document, self.context.result
        written: list = []
        try:
            self.write_file(
                f"Writing {folder.name}…", lambda: written.extend(write_import_set(document, result, folder))
            )
        except (RackDesignerError, OSError) as exc:
            self.show_error("Export failed", str(exc))
            return False
        order = "\n".join(f"{e['name']} → {e['page']}" for e in import_set_table()["files"])
        self.show_info(
            "NetBox import set",
            f"Wrote {len(written)} files to {folder}.\n\nImport them into NetBox in this order "
            f"(README.txt in the folder says the same):\n{order}",
        )
        self.context.say(f"Exported the NetBox import set to {folder}")
        return True

    # ---- NetBox device type import ---------------------------------------------------------
    def import_netbox_device_type(self) -> bool:
        """Reads a devicetype-library file into the user's library and the open document's catalog."""
        path = self.ask_open_path("Import NetBox device type", NETBOX_FILTER)
        if path is None:
            return False
        try:
            imported = netbox.import_device_type(path)
            library = load_user_devices()
            catalog = catalog_with(self.context.document.catalog, [imported.device_type])
            save_user_devices([*library, imported.device_type])
        except RackDesignerError as exc:
            self.show_error("Cannot import device type", str(exc))
            return False
        self._install_catalog(catalog)
        # What was imported, then each part left out or assumed on a line of its own.
        lines = [f"Added {imported.device_type.name}: {imported.summary()}.", ""]
        lines += [f"• {warning}" for warning in imported.warnings]
        self.show_info("Device type imported", "\n".join(lines))
        return True

    def _install_catalog(self, catalog: Catalog) -> None:
        # Adding device types changes nothing already placed; the document re-announces itself
        # so the analysis and every view pick up the new catalog, without touching undo history.
        self.context.document.set_catalog(catalog)
        self.catalogChanged.emit(catalog)

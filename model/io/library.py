"""The designer's own device library: extra device types kept between sessions.

A YAML file in the same format as resources/catalog/devices.yaml (a `devices:` list),
by default $XDG_DATA_HOME/rack-designer/devices.yaml (~/.local/share/... when unset).
Device types imported from NetBox land here. The shipped catalog stays untouched;
`catalog_with` makes a new Catalog that holds both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from model.catalog import Catalog, DeviceType, _with_nic_ports
from model.errors import CatalogError
from model.io.files import describe_validation_error, write_text_atomic
from model.io.safe_yaml import read_yaml_file

if TYPE_CHECKING:
    from model.io.netbox import ImportedDeviceType

# A device type with its ports is a few kB; thousands of them fit.
MAX_FILE_BYTES = 20_000_000
HEADER = (
    "# Rack Designer: your own device types, in the format of resources/catalog/devices.yaml.\n"
    "# Rack Designer rewrites this file when you import or remove a device type.\n"
)


def default_library_path() -> Path:
    """Where the designer's own device types live: rack-designer/devices.yaml in $XDG_DATA_HOME
    (~/.local/share when unset)."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "rack-designer" / "devices.yaml"


def load_user_devices(path: Path | None = None) -> list[DeviceType]:
    """The device types in the library; none when the file does not exist yet."""
    path = path or default_library_path()
    if not path.exists():
        return []
    data = read_yaml_file(path, MAX_FILE_BYTES)  # a safe loader with bounded size, nesting and aliases
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("devices", []), list):
        raise CatalogError(f"{path}: expected 'devices:' followed by a list of device types")
    devices: list[DeviceType] = []
    seen: set[str] = set()
    for i, entry in enumerate(data.get("devices") or []):
        try:
            device = DeviceType.model_validate(entry)
        except ValidationError as exc:
            where, message = describe_validation_error(exc)
            raise CatalogError(f"{path}: devices[{i}].{where}: {message}".replace(".: ", ": ")) from None
        if device.id in seen:
            raise CatalogError(f"{path}: devices[{i}].id: {device.id!r} repeats")
        seen.add(device.id)
        devices.append(device)
    return devices


def save_user_devices(devices: list[DeviceType], path: Path | None = None) -> None:
    """Writes the library atomically. Give the device types as loaded, not as resolved by `catalog_with`."""
    path = path or default_library_path()
    entries = []
    for device in devices:
        if device.nic_ports:
            # Resolved NIC ports (and the NICs' power folded into power_w) would count twice on reload.
            raise CatalogError(f"device type {device.id!r} holds resolved NIC ports; save the library's own entry")
        entry = device.model_dump(mode="json", by_alias=True, exclude={"nic_ports"}, exclude_defaults=True)
        entry = {"id": device.id, "name": device.name, "kind": device.kind, **entry}
        entries.append(entry)
    text = HEADER + yaml.safe_dump({"devices": entries}, sort_keys=False, allow_unicode=True, width=120)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CatalogError(f"cannot create {path.parent}: {exc.strerror or exc}") from None
    write_text_atomic(path, text)


def catalog_with(catalog: Catalog, devices: list[DeviceType]) -> Catalog:
    """A new Catalog: `catalog` plus `devices`; an id already in the catalog is refused by name."""
    merged = dict(catalog.devices)
    for device in devices:
        if device.id in merged:
            raise CatalogError(
                f"device type id {device.id!r} is already in the catalog ({merged[device.id].name}); "
                "rename it in your library"
            )
        merged[device.id] = device
    origin = Path("<your device library>")
    for device in devices:
        merged[device.id] = _with_nic_ports(device, merged, origin)
    return Catalog(devices=merged, racks=dict(catalog.racks), cables=dict(catalog.cables))


def user_catalog(catalog: Catalog, path: Path | None = None) -> tuple[Catalog, str | None]:
    """`catalog` with the designer's library, and None; or, when the library cannot be read or
    clashes with the catalog, `catalog` alone and one line saying why (naming the file), so that
    a broken library never stops work on a layout that does not use it."""
    path = path or default_library_path()
    try:
        devices = load_user_devices(path)
        # No library (most runs): `catalog` itself, not a copy checked again (~40 ms of every command).
        return (catalog_with(catalog, devices) if devices else catalog), None
    except CatalogError as exc:
        return catalog, f"your device library is left out: {exc}"


@dataclass
class FileImport:
    """One file of a batch import: what it gave (`imported`) or why it was refused (`error`)."""

    path: Path
    imported: ImportedDeviceType | None = None
    error: str | None = None

    def line(self) -> str:
        """One line for the designer: what was imported and what was left out, or why not."""
        if self.imported is None:
            reason = (self.error or "").removeprefix(f"{self.path}: ")
            # A reader's own refusal may already say 'refused: …': said once.
            return f"{self.path}: refused: {reason.removeprefix('refused: ')}"
        left_out = [w.removeprefix("left out ") for w in self.imported.warnings if w.startswith("left out ")]
        notes = [w for w in self.imported.warnings if not w.startswith("left out ")]
        text = f"{self.path}: imported {self.imported.summary()}; left out: {'; '.join(left_out) or 'nothing'}"
        return text + (f"; {'; '.join(notes)}" if notes else "")


def import_files(
    paths: list[Path], catalog: Catalog, path: Path | None = None, replace: bool = False
) -> list[FileImport]:
    """Imports NetBox device-type files into the library at `path` (default_library_path()),
    each file all or nothing: a file that cannot be read, or whose id is already in `catalog`,
    the library or an earlier file, is refused and adds nothing; with `replace`, a type already
    in the user's library (never a built-in one) is replaced by the file's. The library is
    written once, atomically, with every file that was read; CatalogError (nothing written)
    when the library itself cannot be read or written."""
    # Imported here: every command reads the library (user_catalog), only this one NetBox files.
    from model.io.netbox import import_device_type

    library = load_user_devices(path)
    if replace:
        renewed = set()
        for file in paths:
            try:
                renewed.add(import_device_type(file).device_type.id)
            except CatalogError:
                continue  # refused below, with its reason
        library = [d for d in library if d.id not in renewed]
    taken = {**catalog.devices, **{d.id: d for d in library}}
    results: list[FileImport] = []
    added: list[DeviceType] = []
    for file in paths:
        try:
            imported = import_device_type(file)
        except CatalogError as exc:
            results.append(FileImport(file, error=str(exc)))
            continue
        device = imported.device_type
        if device.id in taken:
            mine = any(d.id == device.id for d in library) or device.id not in catalog.devices
            hint = " (library import --replace takes the file's instead)" if mine else " (a built-in type stays)"
            where = "your library" if mine else "the catalog"
            results.append(FileImport(file, error=f"device type id {device.id!r} is already in {where}{hint}"))
            continue
        taken[device.id] = device
        added.append(device)
        results.append(FileImport(file, imported))
    if added:
        catalog_with(catalog, [*library, *added])  # every NIC a device names is known, before writing
        save_user_devices([*library, *added], path)
    return results

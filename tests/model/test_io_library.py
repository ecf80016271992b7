"""The designer's device library: load, atomic save, merged catalog with clear clashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.catalog import default_catalog
from model.errors import CatalogError
from model.io.library import catalog_with, default_library_path, load_user_devices, save_user_devices
from model.io.netbox import import_device_type

DATA = Path(__file__).parent / "data" / "netbox"


def imported():
    return import_device_type(DATA / "nvidia-sn5600.yaml").device_type


def test_default_path_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_library_path() == tmp_path / "rack-designer" / "devices.yaml"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_library_path() == tmp_path / "home" / ".local" / "share" / "rack-designer" / "devices.yaml"


def test_no_library_yet_means_no_devices():
    assert not default_library_path().exists()
    assert load_user_devices() == []


def test_save_and_load_round_trip():
    device = imported()
    save_user_devices([device])
    text = default_library_path().read_text(encoding="utf-8")
    assert text.startswith("# Rack Designer: your own device types")
    assert "devices:\n- id: nvidia-sn5600\n" in text
    loaded = load_user_devices()
    assert loaded == [device]
    assert loaded[0].ports == device.ports


def test_catalog_with_adds_device_types():
    catalog = default_catalog()
    merged = catalog_with(catalog, [imported()])
    assert "nvidia-sn5600" in merged.devices
    assert "nvidia-sn5600" not in catalog.devices
    assert len(merged.devices) == len(catalog.devices) + 1
    assert merged.cables == catalog.cables


def test_id_clash_is_refused_by_name():
    clash = imported().model_copy(update={"id": "generic-server-1u"})
    with pytest.raises(CatalogError, match="'generic-server-1u' is already in the catalog"):
        catalog_with(default_catalog(), [clash])


def test_user_device_may_hold_catalog_nics():
    server = default_catalog().devices["server-8gpu-800g"]
    raw = server.model_copy(update={"id": "my-gpu-server", "nic_ports": (), "power_w": 5000.0})
    merged = catalog_with(default_catalog(), [raw])
    mine = merged.devices["my-gpu-server"]
    assert [p.name for p in mine.ports] == [p.name for p in server.ports]
    nic_power = default_catalog().devices[server.nics.type].power_w * server.nics.count
    assert mine.power_w == 5000.0 + nic_power
    with pytest.raises(CatalogError, match="resolved NIC ports"):
        save_user_devices([mine])


def test_bad_library_names_file_and_entry(tmp_path):
    path = tmp_path / "devices.yaml"
    path.write_text("devices:\n  - id: x\n    name: X\n    kind: server\n    u_height: 100\n")
    with pytest.raises(CatalogError) as info:
        load_user_devices(path)
    assert str(info.value).startswith(f"{path}: devices[0].u_height: Input should be less than or equal to 60")
    path.write_text("devices: [unclosed\n")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_user_devices(path)
    path.write_text("!!python/object/apply:os.system ['true']\n")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_user_devices(path)
    path.write_text("- just a list\n")
    with pytest.raises(CatalogError, match="expected 'devices:'"):
        load_user_devices(path)


def test_repeated_id_in_library(tmp_path):
    path = tmp_path / "devices.yaml"
    device = imported()
    save_user_devices([device], path)
    text = path.read_text()
    body = text.split("devices:\n", 1)[1]
    path.write_text(text + body)
    with pytest.raises(CatalogError, match=r"devices\[1\]\.id: 'nvidia-sn5600' repeats"):
        load_user_devices(path)

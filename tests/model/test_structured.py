"""Patch panels and structured cabling: front ports pass a link through to rear ports."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from model.catalog import DeviceType


def _panel(**front: object) -> dict:
    return {
        "id": "pp",
        "name": "panel",
        "kind": "patch_panel",
        "u_height": 1,
        "depth_mm": 150,
        "power_w": 0,
        "sources": {},
        "port_groups": [
            {"prefix": "f", "count": 24, "connector": "LC", "rate_gbps": 100, "lanes": 1, "face": "front",
             "role": "front", "rear_prefix": "r", "per_rear": 12, **front},
            {"prefix": "r", "count": 2, "connector": "MPO-12", "rate_gbps": 1200, "lanes": 12, "face": "rear",
             "role": "rear", "positions": 12},
        ],
    }  # fmt: skip


def test_front_ports_map_onto_rear_ports_and_positions():
    panel = DeviceType.model_validate(_panel())
    f13 = panel.port("f13")
    assert (f13.role, f13.rear_port, f13.rear_position) == ("front", "r2", 1)
    assert panel.port("f12").rear_position == 12
    assert panel.port("r1").role == "rear" and panel.port("r1").positions == 12
    assert [p.name for p in panel.front_ports_of("r2")][:2] == ["f13", "f14"]


def test_a_front_port_past_its_rear_ports_positions_is_refused():
    with pytest.raises(ValidationError, match="rear port 'r3' is not a rear port"):
        DeviceType.model_validate(_panel(count=36))
    with pytest.raises(ValidationError, match="position 13 > 12 of rear port r1"):
        DeviceType.model_validate(_panel(per_rear=13, count=13))


def test_the_builtin_panel_passes_each_front_port_to_its_rear_port(catalog):
    panel = catalog.devices["patch-panel-1u-24"]
    assert panel.port("f7").rear_port == "r7" and panel.port("r7").role == "rear"
    assert all(p.role == "interface" for p in catalog.devices["switch-51t2-64x800g"].ports)

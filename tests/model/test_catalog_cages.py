"""Cages on a faceplate: twin-port OSFP, widths from the connector table, no overlap."""

import pytest
from pydantic import ValidationError

from model.catalog import DeviceType, default_catalog


def _switch(**group):
    entry = {
        "id": "sw",
        "name": "switch",
        "kind": "switch",
        "u_height": 1,
        "depth_mm": 600,
        "power_w": 500,
        "port_groups": [
            {"prefix": "p", "count": 4, "connector": "OSFP", "rate_gbps": 400, "lanes": 4, "face": "front"} | group
        ],
        "sources": {},
    }
    return DeviceType.model_validate(entry)


def test_twin_port_cages_hold_two_ports():
    switch = _switch(x_start_mm=20, x_pitch_mm=12, ports_per_cage=2, cage_prefix="osfp", protocol="infiniband")
    assert [c.ports for c in switch.cages] == [("p1", "p2"), ("p3", "p4")]
    assert [c.name for c in switch.cages] == ["osfp1", "osfp2"]
    assert switch.cages[0].twin and switch.cages[0].x_mm == pytest.approx(26)
    assert switch.cages[0].width_mm == pytest.approx(22.58)
    assert switch.cage_of("p4").name == "osfp2"
    assert switch.port("p3").protocol == "infiniband" and switch.port("p3").lane_rate_gbps == 100


def test_overlapping_cages_are_refused_naming_them():
    with pytest.raises(ValidationError, match="cages p1 and p2 .* 20 mm apart .* 22.58 mm width"):
        _switch(x_start_mm=20, x_pitch_mm=20)


def test_cages_in_different_rows_do_not_overlap():
    switch = _switch(x_start_mm=20, x_pitch_mm=0, rows=4, y_pitch_mm=11)
    assert len(switch.cages) == 4


def test_an_unknown_connector_names_the_device_type_and_port():
    with pytest.raises(ValidationError, match="device type sw: port p1: connector 'CXP' is not in the connector table"):
        _switch(connector="CXP", x_pitch_mm=30)


def test_twin_cages_need_a_prefix_and_pairs():
    with pytest.raises(ValidationError, match="twin-port cages need a cage_prefix"):
        _switch(ports_per_cage=2, x_pitch_mm=30)


@pytest.mark.parametrize(
    ("type_id", "cages", "ports", "rate", "lanes"),
    [
        ("spine-q3400-144x800g", 72, 144, 800, 4),  # XDR: 4 x 200G a port, two ports a cage
        ("switch-qm9700-64x400g", 32, 64, 400, 4),
        ("switch-sn5600-128x400g", 64, 128, 400, 4),
        ("switch-51t2-64x800g", 64, 64, 800, 8),
    ],
)
def test_switches_have_their_real_cages(type_id, cages, ports, rate, lanes):
    switch = default_catalog().devices[type_id]
    assert (len(switch.cages), len(switch.ports)) == (cages, ports)
    assert {(p.rate_gbps, p.lanes, p.connector) for p in switch.ports} == {(rate, lanes, "OSFP")}
    assert all(c.connector == "OSFP" and c.width_mm == pytest.approx(22.58) for c in switch.cages)

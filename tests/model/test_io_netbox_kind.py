"""model.io.netbox_kind: product lines, the kind from content and bays, bays sorted by what goes in."""

from __future__ import annotations

from model.io.netbox_kind import guess_kind, model_family, sort_bays
from model.io.netbox_ports import PortPlan


def test_product_lines_need_the_maker_and_the_model():
    family = model_family("Nvidia", "QM9700")
    assert family is not None and (family.kind, family.protocol) == ("switch", "infiniband")
    assert model_family("Mellanox", "SB7890").protocol == "infiniband"
    assert model_family("NVIDIA", "Q3400-RA").key == "nvidia_infiniband_switch"
    assert model_family("Mellanox", "X", part_number="QM8790").kind == "switch"  # the part number counts too
    assert model_family("Acme", "QM9700") is None  # another maker's QM9700 is not NVIDIA's
    assert model_family("Nvidia", "SN5600") is None  # Spectrum is Ethernet: its types say so
    gpu = model_family("Nvidia", "NVIDIA DGX A100 640GB")
    assert gpu is not None and (gpu.kind, gpu.protocol) == ("server", None)
    assert model_family("Nvidia", "NVLink 5 Switch").kind == "switch"


def test_bays_are_sorted_by_what_goes_in_them():
    bays = [
        {"name": "GPU 01", "description": "AMD Instinct MI300X GPU"},
        {"name": "OAM 2"},
        {"name": "PSU1"},
        {"name": "FAN 3"},
        {"name": "Memory 01"},
        {"name": "Drive 07"},
        {"name": "Slot 1", "description": "Line Card"},
        {"name": "Linecard 2"},
    ]
    assert sort_bays(bays) == {
        "accelerator": ["GPU 01", "OAM 2"],
        "part": ["PSU1", "FAN 3", "Memory 01", "Drive 07"],
        "card": ["Slot 1", "Linecard 2"],
    }


def test_kind_from_bays_when_no_port_tells():
    chassis = {"module-bays": [{"name": "Slot 1", "description": "Line Card"}, {"name": "SUP 1"}]}
    assert guess_kind(chassis, None, [], [], [])[0] == "switch"
    housing = {"airflow": "passive", "module-bays": [{"name": "01A"}]}
    assert guess_kind(housing, None, [], [], []) == (
        "patch_panel",
        "a passive housing (airflow passive, no power ports) of 1 module bay(s)",
    )
    powered = {**housing, "power-ports": [{"name": "PSU1"}]}  # powered: not a passive housing
    assert guess_kind(powered, None, [], [], [])[0] == "server"


def test_a_product_line_decides_before_the_port_count():
    ports = [PortPlan(f"Ethernet1/{i}", "QSFP28", 100, 4, "ethernet") for i in range(1, 37)]
    assert guess_kind({}, None, ports, [], [])[0] == "switch"  # 36 fast ports: a switch by count
    kind, why = guess_kind({}, model_family("Nvidia", "NVIDIA DGX A100 640GB"), ports, [], [])
    assert kind == "server" and "NVIDIA DGX/HGX GPU system" in why

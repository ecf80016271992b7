"""Layout-wide problems of model.metrics: racks or devices sharing a name."""

from __future__ import annotations

import pytest

from model.analysis import Analysis, analyse
from model.document import Document
from model.layout import Device, Rack, Site
from model.topologies import SAMPLES, build_sample


def two_servers(name_a: str, name_b: str) -> Document:
    rack = Rack(id="R1", x_mm=0, y_mm=0, name="GPU-01")
    rack.devices = [
        Device(id="s1", type="generic-server-1u", u_position=1, name=name_a),
        Device(id="s2", type="generic-server-1u", u_position=2, name=name_b),
    ]
    return Document(Site(name="dup", racks=[rack, Rack(id="R2", x_mm=600, y_mm=0, name="GPU-01")]))


def test_racks_or_devices_sharing_a_name_are_a_warning_naming_them():
    result = analyse(two_servers("host-1", "host-1"))
    named = [p for p in result.problems if p.kind == "name"]
    assert [(p.target_kind, p.target_id, p.severity) for p in named] == [
        ("rack", "R1", "warning"),
        ("device", "s1", "warning"),
    ]
    assert "2 devices are named 'host-1' (s1, s2)" in named[1].message
    assert "2 racks are named 'GPU-01' (R1, R2)" in named[0].message


def test_the_warning_follows_a_rename_live():
    document = two_servers("host-1", "host-1")
    analysis = Analysis(document)
    assert sum(p.kind == "name" for p in analysis.result.problems) == 2
    document.rename_device("s2", "host-2")
    document.update_rack("R2", name="GPU-02")
    assert not [p for p in analysis.result.problems if p.kind == "name"]


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_no_sample_has_two_things_of_one_name(sample):
    kwargs = {"accelerators": 64} if sample in ("scaleout-pod", "tor-pod") else {}
    result = analyse(Document(build_sample(sample, **kwargs)))
    assert not [p.message for p in result.problems if p.kind == "name"]


def test_rack_figures_and_the_racks_over_budget_agree_with_each_rack_s_metrics():
    from model.analysis import analyse
    from model.topologies import build_sample

    site = build_sample("scaleout-pod", accelerators=256)
    site.racks[3].power_budget_w = 1_000.0  # two racks over their budget, one without any
    site.racks[5].power_budget_w = 1_000.0
    result = analyse(Document(site))
    figures, racks = result.rack_figures, result.racks
    assert list(racks) == result.rack_ids == [r.id for r in site.racks] and len(racks) == len(site.racks)
    for i, rack_id in enumerate(result.rack_ids):
        m = racks[rack_id]
        assert (m.device_power_w, m.cable_power_w, m.budget_w) == (
            figures["device_w"][i],
            figures["cable_w"][i],
            figures["budget_w"][i],
        )
        assert m.accelerators == figures["accelerators"][i]
        assert list(m.cables_by_medium.values()) == figures["cables"][i].tolist()
    over = [i for i, rack_id in enumerate(result.rack_ids) if racks[rack_id].over_budget]
    assert result.racks_over_budget.tolist() == over == [3, 5]
    assert [p.target_id for p in result.problems if p.kind == "power"] == [site.racks[3].id, site.racks[5].id]
    assert sum(m.cables_by_medium["OPTICS"] for m in racks.values()) >= result.by_medium["OPTICS"].count

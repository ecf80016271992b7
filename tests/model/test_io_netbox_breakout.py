"""NetBox export of a breakout (issue #8 point 7): one cable, its legs as several terminations
on side B with NetBox's breakout profile (CableImportForm takes comma-separated names from
NetBox v4.7.0, commit d7f79bd50162b2b8a8d07b52348d332bd9404f3c)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from model.analysis import analyse
from model.catalog import default_catalog
from model.document import Document
from model.io.netbox_export import write_cables_csv
from model.layout import Device, Rack, Site

CHOICES = json.loads((Path(__file__).parent / "data" / "netbox" / "netbox_choices.json").read_text())


def test_a_breakout_is_one_cable_with_its_legs_on_side_b():
    site = Site(
        racks=[
            Rack(
                id="R01",
                x_mm=0,
                y_mm=0,
                devices=[
                    Device(id="leaf01", type="switch-51t2-64x800g", u_position=44),
                    Device(id="srv01", type="server-8gpu-400g", u_position=2),
                    Device(id="srv02", type="server-8gpu-400g", u_position=12),
                ],
            )
        ],
        trays=[{"id": "T", "points": [[-1500, 0], [1500, 0]], "elevation_mm": 2450}],
        cables=[
            {"id": "b1", "a": "leaf01:p1", "b": ["srv01:nic1", "srv01:nic2"], "rate_gbps": 400},
            {"id": "b2", "a": "leaf01:p2", "b": ["srv01:nic3", "srv02:nic1"], "rate_gbps": 400},
        ],
    )
    handle = io.StringIO()
    write_cables_csv(analyse(Document(site, default_catalog())), handle)
    text = handle.getvalue()
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 2  # one row per cable, not per leg
    one, two = table
    assert (one["side_a_device"], one["side_a_name"]) == ("leaf01", "p1")
    assert (one["side_b_device"], one["side_b_type"], one["side_b_name"]) == ("srv01", "dcim.interface", "nic1,nic2")
    assert one["profile"] == "breakout-1c2p-2c1p" and one["profile"] in CHOICES["CableProfileChoices"]
    assert (two["side_b_device"], two["side_b_name"]) == ("srv01,srv02", "nic3,nic1")  # one device per leg
    assert '"nic1,nic2"' in text  # quoted as NetBox's help text asks

"""A port's place on a rack face: one rule for the engine's columns and the views."""

from __future__ import annotations

import pytest

from model.document import Document
from model.geometry.compiled import CompiledLayout
from model.layout import Cable, Device, Rack
from model.rack_face import port_on_face
from tests.model.builders import two_rows


@pytest.mark.parametrize("device_face", ["front", "rear"])
def test_the_engine_puts_every_cabled_port_where_port_on_face_says(device_face):
    doc = two_rows(racks_per_row=2)
    doc.place_device("R1-1", Device(id="s", type="server-8gpu-800g", u_position=10, face=device_face))
    doc.place_device("R1-2", Device(id="w", type="switch-51t2-64x800g", u_position=30, face=device_face))
    ports = doc.catalog.devices["server-8gpu-800g"].ports
    doc.connect_many([Cable(id=f"c{i}", a=f"s:{p.name}", b=f"w:p{i + 1}") for i, p in enumerate(ports)])
    compiled = CompiledLayout(doc.site, doc.catalog)
    settings = doc.site.settings
    for row, cable in enumerate(doc.site.cables):
        for which, ref in enumerate((cable.a, cable.b)):
            device_id, _, port_name = ref.partition(":")
            device, rack = doc.devices[device_id], doc.device_rack[device_id]
            port = doc.catalog.devices[device.type].port(port_name)
            where = port_on_face(rack, device, port, settings)
            end = 2 * row + which
            assert ("front", "rear")[int(compiled.ends.face[end])] == where.face
            assert compiled.ends.z[end] == pytest.approx(where.z_mm)
            # The engine's lx is seen from the front: mirrored on the rear face.
            lx = where.x_mm if where.face == "front" else rack.width_mm - where.x_mm
            assert compiled.ends.lx[end] == pytest.approx(lx)
            assert where.face == (
                port.face if device_face == "front" else {"front": "rear", "rear": "front"}[port.face]
            )


def test_a_front_port_of_a_rear_mounted_device_shows_on_the_rear():
    doc = Document()
    rack_width, rail = 600.0, doc.site.settings.rail_width_mm
    rack = Rack(id="R", x_mm=0, y_mm=0, width_mm=rack_width)
    device = Device(id="d", type="switch-51t2-64x800g", u_position=1, face="rear")
    port = doc.catalog.devices["switch-51t2-64x800g"].ports[0]
    where = port_on_face(rack, device, port, doc.site.settings)
    assert where.face == "rear" and where.x_mm == pytest.approx((rack_width - rail) / 2 + port.x_mm)

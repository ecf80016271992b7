"""Where a port sits on a rack's face: the one rule the engine, both views and the
printed elevations share.

A device's ports are given on its own faceplate (model.catalog.PortSpec: x_mm from the
left rail as seen from the side they are on, y_mm up from the device's bottom). A
device mounted facing the rear shows its front ports on the rack's rear. Seen from the
rear, the faceplate's left is the rack's right, so the engine's rack-local `lx`
(across the rack from its left as seen from the front) mirrors there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.catalog import PortSpec
from model.layout import Device, Rack, SiteSettings

FACE_CODE = {"front": 0, "rear": 1}
FACE_NAMES = ("front", "rear")


def port_faces(device_face: np.ndarray, port_face: np.ndarray) -> np.ndarray:
    """Rack face code (0 front, 1 rear) each port shows on, from its device's facing and
    its side of the device (both int8 arrays of codes, same shape)."""
    return np.where(device_face == 1, 1 - port_face, port_face).astype(np.int8)


def port_offsets(
    face: np.ndarray, rail_left_mm: np.ndarray, rack_width_mm: np.ndarray, port_x_mm: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(seen_x, lx) in mm for ports on rack face codes `face` (arrays of one shape):
    `seen_x` from the face's left edge as someone facing that face sees it, `lx` across
    the rack from its left as seen from the front (the engine's frame)."""
    seen_x = rail_left_mm + port_x_mm
    return seen_x, np.where(face == 0, seen_x, rack_width_mm - seen_x)


@dataclass(frozen=True)
class FacePoint:
    """A port on a rack face: `face` 'front' or 'rear'; `x_mm` from that face's left edge
    as seen facing it; `z_mm` above the floor."""

    face: str
    x_mm: float
    z_mm: float


def port_on_face(rack: Rack, device: Device, port: PortSpec, settings: SiteSettings) -> FacePoint:
    """Where `port` of `device` (mounted in `rack`) shows: its face and position (mm)."""
    face = port_faces(np.array([FACE_CODE[device.face]]), np.array([FACE_CODE[port.face]]))
    rail_left = (rack.width_mm - settings.rail_width_mm) / 2
    seen_x, _ = port_offsets(face, np.array([rail_left]), np.array([rack.width_mm]), np.array([port.x_mm]))
    z = (device.u_position - 1) * settings.rack_unit_mm + port.y_mm
    return FacePoint(FACE_NAMES[int(face[0])], float(seen_x[0]), float(z))

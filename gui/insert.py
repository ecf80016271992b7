"""What the Insert menu adds: the next rack of the last row, a tray over a row of racks."""

from __future__ import annotations

from gui.floor_drags import free_floor_spot
from model.layout import Rack, Tray
from model.rules import rack_footprint


def next_rack(document) -> Rack:
    """A rack of the catalog's first type, in the last rack's row at the first free spot (or at 0, 0)."""
    rack_type = next(iter(document.catalog.racks.values()))
    size = {"height_u": rack_type.height_u, "width_mm": rack_type.width_mm, "depth_mm": rack_type.depth_mm}
    if not document.site.racks:
        return Rack(id=document.unique_id("R", document.racks), x_mm=0, y_mm=0, **size)
    last = document.site.racks[-1]
    base = last.model_copy(update={"name": "", "devices": [], **size})
    stem = f"{last.row}-" if last.row else "R"
    return free_floor_spot(document, base.model_copy(update={"id": document.unique_id(stem, document.racks)}), [])


def tray_over(document, racks: list[Rack]) -> Tray | None:
    """A straight tray along the racks' longer extent, at the default clearance above the tallest."""
    if not racks:
        return None
    boxes = [rack_footprint(r) for r in racks]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    settings = document.site.settings
    top = max(r.height_u for r in racks) * settings.rack_unit_mm + settings.tray_clearance_above_rack_mm
    if x1 - x0 >= y1 - y0:
        points = [(x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2)]
    else:
        points = [((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1)]
    return Tray(id=document.unique_id("T", document.trays), points=points, elevation_mm=top)

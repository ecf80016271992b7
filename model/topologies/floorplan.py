"""Floor plans for generated layouts: rows of touching racks, alternating aisles, overhead trays.

Rows run east (along x). Row 0 faces south and row 1 north, so their fronts share a cold
aisle; rows 1 and 2 turn their rears to a shared hot aisle, and so on. One overhead tray
runs along each row over the rack centres; two cross trays, west and east of the rows,
meet every row tray exactly at its end points, so the tray network is one connected piece
and a route can reach any rack from any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.catalog import Catalog, default_catalog
from model.defaults import default
from model.errors import LayoutError
from model.layout import Device, Rack, SiteSettings, Tray

# How far a row tray runs past each end of its row, so the cross trays clear the end racks.
# Figure given by the reference-architecture brief; see the report for moving it to defaults.yaml.
TRAY_OVERHANG_MM = default("tray", "row_overhang_mm")


@dataclass
class RackSpec:
    """One rack to place: its devices (ids already unique in the layout) and how it is built.

    `rack_type` names a catalog rack (its height, width, depth); None takes the defaults.
    """

    devices: list[Device] = field(default_factory=list)
    name: str = ""
    rack_type: str | None = None
    power_budget_w: float | None = None


def row_id(row: int) -> str:
    """'R01' for row 0: ids count rows from 1, in the order build_floor lays them out."""
    return f"R{row + 1:02d}"


def rack_id(row: int, slot: int) -> str:
    """'R01-03': row 1, slot 3 (both counted from 1, slot 1 at the west end)."""
    return f"{row_id(row)}-{slot + 1:02d}"


def rack_dimensions(spec: RackSpec, catalog: Catalog, settings: SiteSettings, where: str) -> dict[str, float]:
    """The Rack fields a spec's rack type sets (height_u, width_mm, depth_mm, manager_width_mm):
    the catalog rack's, or the defaults when `spec.rack_type` is None. Raises LayoutError
    at `where` for an unknown rack type."""
    if spec.rack_type is None:
        keys = ("height_u", "width_mm", "depth_mm", "manager_width_mm")
        return {key: default("rack", key) for key in keys}
    rack_type = catalog.racks.get(spec.rack_type)
    if rack_type is None:
        known = ", ".join(sorted(catalog.racks))
        raise LayoutError(f"unknown rack type {spec.rack_type!r} (known: {known})", where)
    return {
        "height_u": rack_type.height_u,
        "width_mm": rack_type.width_mm,
        "depth_mm": rack_type.depth_mm,
        # What the frame leaves beside the 19 in rails is the cable manager on each side.
        "manager_width_mm": max(0.0, (rack_type.width_mm - settings.rail_width_mm) / 2),
    }


def build_floor(
    rows: list[list[RackSpec]],
    catalog: Catalog | None = None,
    settings: SiteSettings | None = None,
    overhang_mm: float = TRAY_OVERHANG_MM,
) -> tuple[list[Rack], list[Tray]]:
    """Racks placed row by row (rack ids 'R01-01', …) and the overhead trays joining them.

    Shorter rows are centred on the longest, and every row tray spans the whole floor, so
    the cross trays meet each row tray at its ends even when rows differ in length.
    """
    catalog = catalog or default_catalog()
    settings = settings or SiteSettings()
    rows = [row for row in rows if row]
    if not rows:
        raise LayoutError("a floor needs at least one rack")
    dims = [
        [rack_dimensions(spec, catalog, settings, f"rows[{r}][{s}]") for s, spec in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    lengths = [sum(d["width_mm"] for d in row) for row in dims]
    floor_length = max(lengths)
    cold, hot = default("room", "cold_aisle_mm"), default("room", "hot_aisle_mm")

    racks: list[Rack] = []
    centres_y: list[float] = []
    # Row 0 turns its rear north, so a hot aisle lies behind it along the wall.
    edge_y = hot
    for r, (row, row_dims) in enumerate(zip(rows, dims)):
        depth = max(d["depth_mm"] for d in row_dims)
        centre_y = edge_y + depth / 2
        centres_y.append(centre_y)
        edge_x = overhang_mm + (floor_length - lengths[r]) / 2
        for s, (spec, d) in enumerate(zip(row, row_dims)):
            values = {
                "id": rack_id(r, s),
                "name": spec.name,
                "row": row_id(r),
                "x_mm": edge_x + d["width_mm"] / 2,
                "y_mm": centre_y,
                "facing": "south" if r % 2 == 0 else "north",
                "devices": spec.devices,
                **d,
            }
            if spec.power_budget_w is not None:
                values["power_budget_w"] = spec.power_budget_w
            racks.append(Rack(**values))
            edge_x += d["width_mm"]
        # Fronts of rows 0 and 1 share a cold aisle, rears of rows 1 and 2 a hot one.
        edge_y += depth + (cold if r % 2 == 0 else hot)

    # Trays hang above the frames, not above the U space (a 48U frame is ~0.14 m taller).
    top = max(rack.frame_top_mm(settings.rack_unit_mm) for rack in racks)
    elevation = top + settings.tray_clearance_above_rack_mm
    west, east = 0.0, floor_length + 2 * overhang_mm
    trays = [
        Tray(
            id=f"T-{row_id(r)}",
            name=f"Row {row_id(r)} tray",
            kind="overhead",
            points=[(west, y), (east, y)],
            elevation_mm=elevation,
        )
        for r, y in enumerate(centres_y)
    ]
    if len(centres_y) > 1:
        for side, x in (("west", west), ("east", east)):
            trays.append(
                Tray(
                    id=f"T-{side}",
                    name=f"{side.capitalize()} cross tray",
                    kind="overhead",
                    points=[(x, y) for y in centres_y],
                    elevation_mm=elevation,
                )
            )
    return racks, trays

"""Small hand-built layouts whose routes can be worked out on paper."""

from __future__ import annotations

from model.document import Document
from model.layout import Cable, Device, Rack, Site, Tray

RACK_TOP_MM = 48 * 44.45
TRAY_Z = RACK_TOP_MM + 300


def two_rows(racks_per_row: int = 6, **rack_settings) -> Document:
    """Two rows facing a shared cold aisle, a tray over each row and cross trays at both ends."""
    site = Site(name="test rows")
    doc = Document(site)
    row_y = [0.0, 1200 + 1200.0]
    for r, y in enumerate(row_y):
        for i in range(racks_per_row):
            doc.add_rack(
                Rack(
                    id=f"R{r + 1}-{i + 1}",
                    x_mm=i * 600.0,
                    y_mm=y,
                    facing="south" if r == 0 else "north",
                    **rack_settings,
                )
            )
    x0, x1 = -900.0, (racks_per_row - 1) * 600 + 900.0
    for r, y in enumerate(row_y):
        doc.add_tray(Tray(id=f"T-row{r + 1}", points=[(x0, y), (x1, y)], elevation_mm=TRAY_Z))
    for name, x in (("west", x0), ("east", x1)):
        doc.add_tray(Tray(id=f"T-{name}", points=[(x, row_y[0]), (x, row_y[1])], elevation_mm=TRAY_Z))
    return doc


def place(doc: Document, rack: str, device_id: str, type_id: str, u: int, face: str = "front") -> None:
    doc.place_device(rack, Device(id=device_id, type=type_id, u_position=u, face=face))


def cable(doc: Document, cable_id: str, a: str, b: str, **fields) -> None:
    doc.connect(Cable(id=cable_id, a=a, b=b, **fields))

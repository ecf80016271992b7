"""Rack elevations as drawings: SVG (vectors, names as text) and PNG, front and rear side by side.

The sheet is drawn by the report's own rack painter at a round scale (1:12 by default,
about 3.7 mm of paper per rack unit), racks in rows of up to four, each with its name,
under the layout's name and a legend of port colours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from gui.printing import ensure_gui_application, is_stdout, write_output
from gui.report import HEADING, SMALL, SMALL_BOLD, draw_text
from gui.report.elevation_painter import RackElevation, points_per_mm
from model.errors import RackDesignerError
from model.io.atomic import check_target

DEFAULT_SCALE = 12  # 1:12
MARGIN = 18.0  # points around the sheet
GAP = 28.0  # points between racks
RACKS_PER_ROW = 4
# A PNG past these sizes would take gigabytes; the designer is asked for fewer racks or dpi.
MAX_IMAGE_SIDE = 30_000
MAX_IMAGE_PIXELS = 300_000_000


class ExportError(RackDesignerError):
    """An elevation export the designer asked for cannot be made (no such rack, too large)."""


@dataclass
class ElevationSheet:
    """Where each rack goes on the sheet, in points."""

    elevation: RackElevation
    racks: list
    title: str
    scale: float
    names_width: float
    places: list[tuple[float, float]]  # top-left of each rack's name line
    size: QSizeF

    def paint(self, painter: QPainter) -> None:
        draw_text(painter, HEADING, MARGIN, MARGIN, self.title)
        self.elevation.paint_legend(painter, MARGIN, MARGIN + HEADING.line_height + 2)
        for rack, (x, y) in zip(self.racks, self.places):
            name = rack.label + (f" ({rack.id})" if rack.name else "")
            draw_text(painter, SMALL_BOLD, x, y, name)
            self.elevation.paint_pair(painter, rack, x, y + SMALL_BOLD.line_height + 4, self.scale, self.names_width)


def elevation_sheet(document, result, rack_ids=None, scale_denominator: int = DEFAULT_SCALE) -> ElevationSheet:
    """Lays out the racks named by `rack_ids` (all racks when None) on one sheet."""
    ensure_gui_application()
    racks = _racks(document, rack_ids)
    elevation = RackElevation(document, result)
    scale = points_per_mm(scale_denominator)
    names_width = elevation.names_width(racks, scale)
    sizes = [elevation.pair_size(rack, scale, names_width) for rack in racks]
    cell_w = max(w for w, _ in sizes)
    columns = min(RACKS_PER_ROW, len(racks))
    top = MARGIN + HEADING.line_height + 2 + SMALL.line_height + GAP / 2
    title_w = 2 * MARGIN + max(HEADING.width(document.site.name), 560.0)
    places = []
    y = top
    for start in range(0, len(racks), columns):
        row = sizes[start : start + columns]
        for k in range(len(row)):
            places.append((MARGIN + k * (cell_w + GAP), y))
        y += SMALL_BOLD.line_height + 4 + max(h for _, h in row) + GAP
    width = max(title_w, 2 * MARGIN + columns * cell_w + (columns - 1) * GAP)
    height = y - GAP + MARGIN
    title = f"{document.site.name} — rack elevations at 1:{scale_denominator}"
    return ElevationSheet(elevation, racks, title, scale, names_width, places, QSizeF(width, height))


def elevation_sheet_size(document, rack_ids=None, scale_denominator: int = DEFAULT_SCALE) -> QSizeF:
    """The sheet's size in points (a PNG at `dpi` is this × dpi / 72 pixels)."""
    return elevation_sheet(document, None, rack_ids, scale_denominator).size


def _racks(document, rack_ids) -> list:
    if rack_ids is None:
        racks = list(document.site.racks)
    else:
        racks = []
        for rack_id in rack_ids:
            if rack_id not in document.racks:
                raise ExportError(f"no rack {rack_id!r} in the layout")
            racks.append(document.racks[rack_id])
    if not racks:
        raise ExportError("no racks to draw: the layout has none, or none was chosen")
    return racks


def export_elevations_svg(
    document, result, rack_ids, path: Path, scale_denominator: int = DEFAULT_SCALE, *, replace_read_only=False
) -> None:
    """Front and rear of each rack as an SVG ('-': standard output); device names are text, ports coloured.

    Drawn in memory, then written atomically; FileFormatError names the file and the cause.
    """
    if not is_stdout(path):
        check_target(path, replace_read_only=replace_read_only)
    sheet = elevation_sheet(document, result, rack_ids, scale_denominator)
    size = sheet.size
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setResolution(72)  # one SVG unit per point
    generator.setSize(QSize(math.ceil(size.width()), math.ceil(size.height())))
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(sheet.title)
    generator.setDescription(f"Rack elevations of {document.site.name}, drawn by Rack Designer")
    painter = QPainter()
    if not painter.begin(generator):
        raise ExportError(f"cannot draw an SVG for {path}")
    try:
        sheet.paint(painter)
    finally:
        painter.end()
    write_output(path, bytes(buffer.data().data()), replace_read_only=replace_read_only)


def export_elevations_png(
    document,
    result,
    rack_ids,
    path: Path,
    dpi: int = 150,
    scale_denominator: int = DEFAULT_SCALE,
    *,
    replace_read_only=False,
) -> None:
    """The same drawing as a PNG at `dpi` on a white background ('-': standard output)."""
    if not 10 <= dpi <= 1200:
        raise ExportError(f"dpi {dpi} is out of range: choose 10 to 1200")
    if not is_stdout(path):
        check_target(path, replace_read_only=replace_read_only)
    sheet = elevation_sheet(document, result, rack_ids, scale_denominator)
    too_large = (
        f"{len(sheet.racks)} racks at {dpi} dpi make a {{width:,}} × {{height:,}} px image, too large: "
        "choose fewer racks or a lower dpi (or export SVG)"
    )
    png = sheet_png(sheet, dpi, path, too_large)
    write_output(path, png, replace_read_only=replace_read_only)


def sheet_png(sheet, dpi: int, path, too_large: str) -> bytes:
    """A drawing sheet (anything with `size` in points and `paint(painter)`) as PNG bytes at
    `dpi` on white, its resolution recorded in the file. `too_large` is the refusal when the
    image would pass MAX_IMAGE_SIDE or MAX_IMAGE_PIXELS, with {width} and {height} to fill.
    Raises ExportError (too large, out of memory, not encodable for `path`)."""
    width, height = png_size(sheet.size, dpi)
    if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise ExportError(too_large.format(width=width, height=height))
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ExportError(f"not enough memory for a {width:,} × {height:,} px image: choose a lower dpi")
    image.fill(QColor("white"))
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(dpi / 72.0, dpi / 72.0)
    sheet.paint(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 takes the format as str at run time (bytes raise ValueError); its stubs say bytes.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise ExportError(f"cannot encode the PNG for {path}")
    return bytes(buffer.data().data())


def png_size(size: QSizeF, dpi: int) -> tuple[int, int]:
    return math.ceil(size.width() * dpi / 72.0), math.ceil(size.height() * dpi / 72.0)

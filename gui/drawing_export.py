"""File → Export → Drawings as SVG / PNG: the whole floor plan, or rack elevations, said plainly.

A small dialog asks what to draw: the floor plan (every rack, tray and route, at a round
scale, with the layout's title block), or rack elevations of the selected racks or of all
racks, on one sheet or one file per rack (named after each rack, in a chosen folder).
The drawings themselves come from the floor plan's own scene and from
gui/elevation_export.py; every file is written atomically.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, QSizeF
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGraphicsItem,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
)

from gui.elevation_export import (
    ExportError,
    export_elevations_png,
    export_elevations_svg,
    sheet_png,
)
from gui.printing import write_output
from gui.report import HEADING, draw_text
from gui.report.elevation_painter import points_per_mm
from gui.report.title_block import HEIGHT as TITLE_BLOCK_H
from gui.report.title_block import TitleBlock, paint_title_block
from model.io.atomic import check_target

MARGIN = 18.0  # points around the sheet
FLOOR_SCALES = (50, 100, 200, 500, 1000, 2000, 5000, 10000)  # 1:n, the largest that fits is used
FLOOR_MAX_WIDTH = 2400.0  # points (about 0.85 m): wider halls go to a smaller scale
SVG_UNITS_PER_POINT = 4  # the floor plan draws names only above a size; SVG units are drawn at 4 per point
# Up to this many cables the sheet draws every cable route; past it, the lanes by medium along
# each tray that the floor plan shows zoomed out (gui.scene.floor_media). Routes are drawn by
# the scene, on the GUI thread: 20,000 cables (10,000 accelerators) in ~0.2 s, 300,000
# (100,000) in ~6.4 s with the window frozen. And in a hall that big a
# tray carries thousands of routes on the same line at any round scale, so they merge into one
# line of whichever medium is drawn last; the lanes, counted on a worker (~0.75 s there),
# show every medium in each tray side by side in the legend's colours.
FLOOR_ROUTES_MAX_CABLES = 50_000


@dataclass(frozen=True)
class DrawingChoice:
    """What to export: 'floor' (the whole floor plan) or 'racks'; for racks, the selected
    ones or all, on one sheet or one file per rack."""

    what: str = "floor"
    selected_only: bool = False
    per_rack: bool = False


class DrawingChoiceDialog(QDialog):
    """Asks, in plain words, which drawing an SVG or PNG export makes."""

    def __init__(self, kind: str, selected: int, racks: int, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export drawings as {kind.upper()}")
        layout = QVBoxLayout(self)
        what = QGroupBox("Draw")
        box = QVBoxLayout(what)
        self.floor_button = QRadioButton("The whole floor plan: every rack, tray and cable route, to scale")
        self.racks_button = QRadioButton("Rack elevations: front and rear of each rack")
        self.floor_button.setChecked(True)
        box.addWidget(self.floor_button)
        box.addWidget(self.racks_button)
        layout.addWidget(what)
        self.racks_group = QGroupBox("Which racks")
        box = QVBoxLayout(self.racks_group)
        self.all_button = QRadioButton(f"All {racks} racks")
        self.selected_button = QRadioButton(
            f"Only the {selected} selected rack{'' if selected == 1 else 's'}"
            if selected
            else "Only the selected racks (none selected)"
        )
        self.selected_button.setEnabled(bool(selected))
        (self.selected_button if selected else self.all_button).setChecked(True)
        box.addWidget(self.all_button)
        box.addWidget(self.selected_button)
        self.one_sheet_button = QRadioButton("On one sheet, in one file")
        self.per_rack_button = QRadioButton(f"One {kind.upper()} file per rack, named after the rack, in a folder")
        self.one_sheet_button.setChecked(True)
        box.addWidget(self.one_sheet_button)
        box.addWidget(self.per_rack_button)
        for group in ((self.all_button, self.selected_button), (self.one_sheet_button, self.per_rack_button)):
            exclusive = QButtonGroup(self)
            for button in group:
                exclusive.addButton(button)
        layout.addWidget(self.racks_group)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind = kind
        for button in (self.floor_button, self.racks_button, self.all_button, self.selected_button):
            button.toggled.connect(self._update)
        self.per_rack_button.toggled.connect(self._update)
        self._update()

    def choice(self) -> DrawingChoice:
        """What the buttons say."""
        if self.floor_button.isChecked():
            return DrawingChoice("floor")
        return DrawingChoice("racks", self.selected_button.isChecked(), self.per_rack_button.isChecked())

    def _update(self) -> None:
        self.racks_group.setEnabled(self.racks_button.isChecked())
        self.summary.setText(describe(self.choice(), self.kind))


def describe(choice: DrawingChoice, kind: str) -> str:
    """One sentence saying what an export of `choice` writes."""
    if choice.what == "floor":
        return f"One {kind.upper()} file: the floor plan with the layout's title block."
    racks = "the selected racks" if choice.selected_only else "all racks"
    if choice.per_rack:
        return f"One {kind.upper()} file per rack for {racks}, in a folder you choose."
    return f"One {kind.upper()} file: elevations of {racks} on one sheet."


def rack_file_names(racks: list, kind: str) -> dict[str, str]:
    """A file name per rack id, after its name ('GPU-A01.svg'); characters a file name cannot
    hold become '_', and a name two racks would share gets the rack's id too."""
    stems = {rack.id: re.sub(r"[^\w.\-]+", "_", rack.label).strip("._") or rack.id for rack in racks}
    counts: dict[str, int] = {}
    for stem in stems.values():
        counts[stem.casefold()] = counts.get(stem.casefold(), 0) + 1
    return {
        rack_id: f"{stem}-{rack_id}.{kind}" if counts[stem.casefold()] > 1 else f"{stem}.{kind}"
        for rack_id, stem in stems.items()
    }


def export_racks_each(document, result, rack_ids: list[str] | None, folder: Path, kind: str, dpi: int) -> list[Path]:
    """One elevation drawing per rack (all racks when `rack_ids` is None) in `folder`; returns
    the files written. Raises ExportError / FileFormatError naming the rack or the file."""
    if not folder.is_dir():
        raise ExportError(f"cannot write the rack drawings: {folder} is not a folder")
    racks = [document.racks[r] for r in rack_ids] if rack_ids is not None else list(document.site.racks)
    if not racks:
        raise ExportError("no racks to draw: the layout has none")
    written = []
    for rack_id, name in rack_file_names(racks, kind).items():
        path = folder / name
        if kind == "svg":
            export_elevations_svg(document, result, [rack_id], path)
        else:
            export_elevations_png(document, result, [rack_id], path, dpi=dpi)
        written.append(path)
    return written


@dataclass
class FloorSheet:
    """The floor plan on a sheet: the scene's drawn area at 1:`scale`, under a title, over the title block."""

    scene: object
    source: QRectF  # scene mm
    scale: int
    title: str
    block: TitleBlock
    size: QSizeF  # points
    routes: str = "routes"  # how cable routes are drawn: "routes" (each one) or "lanes" (by medium along the trays)

    def paint(self, painter: QPainter) -> None:
        draw_text(painter, HEADING, MARGIN, MARGIN, self.title)
        top = MARGIN + HEADING.line_height + 6
        k = points_per_mm(self.scale)
        target = QRectF(MARGIN, top, self.source.width() * k, self.source.height() * k)
        # Items cache themselves as screen pixmaps; drawn uncached, an SVG gets vectors and text.
        items = self.scene.items()  # type: ignore[attr-defined]
        modes = [item.cacheMode() for item in items]
        for item in items:
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        # Every item draws itself on the sheet, also when the view is zoomed out to the batched overview.
        overview = getattr(self.scene, "show_overview", None)
        was = bool(overview and self.scene.overview.active)  # type: ignore[attr-defined]
        if overview:
            overview(False)
        # The routes or the lanes are drawn whatever the view's zoom hid and whatever the
        # sheet's scale would be on a screen (CABLE_LOD): the sheet chose one (floor_sheet).
        bundles = list(getattr(self.scene, "bundles", {}).values())
        media = getattr(self.scene, "media", None)
        shown = [(bundle, bundle.isVisible(), self.routes == "routes") for bundle in bundles]
        if media is not None:
            shown.append((media, media.isVisible(), self.routes == "lanes"))
        for item, _visible, drawn in shown:
            item.setVisible(drawn)
            item.any_zoom = drawn
        try:
            self.scene.render(painter, target, self.source)  # type: ignore[attr-defined]
        finally:
            for item, mode in zip(items, modes):
                item.setCacheMode(mode)
            for item, visible, _drawn in shown:
                item.setVisible(visible)
                item.any_zoom = False
            if overview:
                overview(was)
        block = QRectF(
            MARGIN, self.size.height() - MARGIN - TITLE_BLOCK_H, self.size.width() - 2 * MARGIN, TITLE_BLOCK_H
        )
        paint_title_block(painter, block, self.block, 1, 1)


def floor_sheet(scene, document, run: Callable[[Callable[[], Any]], Any] | None = None) -> FloorSheet:
    """The floor plan of `scene` (a gui.scene.floor_plan.FloorPlanScene, units mm) on a sheet
    at the largest round scale that keeps it under FLOOR_MAX_WIDTH points wide, with every
    cable route (up to FLOOR_ROUTES_MAX_CABLES cables) or else the lanes by medium, brought
    up to date now whatever the view shows. `run` calls the lanes' count and returns it
    (gui.background.run_with_progress: on a worker behind the busy dialog; default: here).
    Raises ExportError when the floor is empty."""
    scene.finish_build()  # a big floor just read is built in slices: every item, before it is drawn
    scene.finish_fill()  # and the fill a re-analysis changed everywhere is redrawn in slices
    # Zoomed out, the view routes no cable (they wait in `pending`) and draws no bundle; zoomed
    # in, it keeps no lanes up to date: the sheet draws neither unless they are made now.
    if len(scene.context.result.cable_ids) <= FLOOR_ROUTES_MAX_CABLES:
        routes = "routes"
        scene.flush_routes()
    else:
        routes = "lanes"
        scene.lanes_now(run or (lambda work: work()))
    source = scene.itemsBoundingRect()
    if source.isEmpty():
        raise ExportError("the floor plan is empty: add racks first")
    source = source.adjusted(-300, -300, 300, 300)
    scale = next((n for n in FLOOR_SCALES if source.width() * points_per_mm(n) <= FLOOR_MAX_WIDTH), FLOOR_SCALES[-1])
    k = points_per_mm(scale)
    width = max(source.width() * k, 480.0) + 2 * MARGIN
    height = MARGIN + HEADING.line_height + 6 + source.height() * k + 10 + TITLE_BLOCK_H + MARGIN
    title = f"{document.site.name} — floor plan at 1:{scale}"
    block = TitleBlock.of_layout(document.site, document=f"Floor plan 1:{scale}")
    return FloorSheet(scene, source, scale, title, block, QSizeF(width, height), routes)


def export_floor_plan(
    scene, document, path: Path, kind: str, dpi: int = 150, run: Callable[[Callable[[], Any]], Any] | None = None
) -> FloorSheet:
    """The whole floor plan as an SVG or a PNG at `dpi` (white background), written atomically;
    `run` as for floor_sheet. Raises ExportError (empty, too large) or FileFormatError naming the file."""
    check_target(path)
    sheet = floor_sheet(scene, document, run)
    size = sheet.size
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if kind == "svg":
        units = SVG_UNITS_PER_POINT
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setResolution(72 * units)
        generator.setSize(QSize(math.ceil(size.width() * units), math.ceil(size.height() * units)))
        generator.setViewBox(QRectF(0, 0, size.width() * units, size.height() * units))
        generator.setTitle(sheet.title)
        generator.setDescription(f"Floor plan of {document.site.name}, drawn by Rack Designer")
        painter = QPainter()
        if not painter.begin(generator):
            raise ExportError(f"cannot draw an SVG for {path}")
        painter.scale(units, units)
        try:
            sheet.paint(painter)
        finally:
            painter.end()
        write_output(path, bytes(buffer.data().data()))
    else:
        too_large = f"the floor plan at {dpi} dpi makes a {{width:,}} × {{height:,}} px image: export SVG"
        write_output(path, sheet_png(sheet, dpi, path, too_large))
    return sheet

"""Rack elevation drawings exported as SVG and PNG."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QImage

from gui.colors import MEDIUM_COLORS
from gui.elevation_export import (
    ExportError,
    elevation_sheet_size,
    export_elevations_png,
    export_elevations_svg,
    png_size,
)
from model.analysis import Analysis
from model.document import Document
from model.errors import FileFormatError
from model.topologies import build_sample

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def trn2(qapp):
    document = Document(build_sample("trn2-ultra64"))
    return document, Analysis(document).result


def svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(element.itertext()).strip() for element in root.iter(f"{SVG}text")]


def test_svg_names_every_device_of_every_rack(trn2, tmp_path):
    document, result = trn2
    path = tmp_path / "racks.svg"
    export_elevations_svg(document, result, None, path)
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Trn2-Ultra64 — rack elevations at 1:12"
    texts = svg_texts(path)
    devices = [device for rack in document.site.racks for device in rack.devices]
    assert len(devices) == 40
    for device in devices:
        assert device.label in texts, device.label
    for rack in document.site.racks:
        assert f"{rack.label} ({rack.id})" in texts
    assert texts.count("Front") == texts.count("Rear") == 2
    assert "48" in texts and "1" in texts  # U numbers


def test_svg_is_drawn_at_the_stated_scale(trn2, tmp_path):
    document, result = trn2
    path = tmp_path / "racks.svg"
    export_elevations_svg(document, result, ["R01-01"], path, scale_denominator=20)
    root = ET.parse(path).getroot()
    height_mm = float(root.get("height").removesuffix("mm"))
    rack_mm = 48 * document.site.settings.rack_unit_mm / 20  # 106.7 mm of paper for a 48U rack
    assert rack_mm < height_mm < rack_mm + 40  # plus title, legend and captions
    # Cabled ports are filled with their medium's colour; the Trn2 racks hold DACs and AECs only.
    svg = path.read_text()
    assert MEDIUM_COLORS["DAC"].name() in svg and MEDIUM_COLORS["AEC"].name() in svg
    assert MEDIUM_COLORS["AOC"].name() in svg  # in the legend only


def test_svg_of_chosen_racks_leaves_the_others_out(trn2, tmp_path):
    document, result = trn2
    path = tmp_path / "b.svg"
    export_elevations_svg(document, result, ["R01-02"], path)
    texts = svg_texts(path)
    assert "Server 2 tray 1" in texts and "Server 4 head" in texts
    assert "Server 1 tray 1" not in texts and "Server 3 head" not in texts


def test_png_has_the_sheet_size_at_its_dpi_and_coloured_ports(trn2, tmp_path):
    document, result = trn2
    size = elevation_sheet_size(document, None)
    for dpi in (150, 75):
        path = tmp_path / f"racks-{dpi}.png"
        export_elevations_png(document, result, None, path, dpi=dpi)
        image = QImage(str(path))
        assert (image.width(), image.height()) == png_size(size, dpi)
        assert image.width() == math.ceil(size.width() * dpi / 72)
        assert round(image.dotsPerMeterX() * 0.0254) == dpi
    image = QImage(str(tmp_path / "racks-150.png"))
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
    assert MEDIUM_COLORS["DAC"].name() in colours and MEDIUM_COLORS["AEC"].name() in colours


def test_unknown_rack_is_refused_and_no_file_appears(trn2, tmp_path):
    document, result = trn2
    with pytest.raises(ExportError, match="no rack 'R09-09'"):
        export_elevations_svg(document, result, ["R01-01", "R09-09"], tmp_path / "x.svg")
    with pytest.raises(ExportError, match="no racks to draw"):
        export_elevations_png(document, result, [], tmp_path / "x.png")
    assert list(tmp_path.iterdir()) == []


def test_png_too_large_or_bad_dpi_is_refused_with_advice(qapp, tmp_path):
    document = Document(build_sample("scaleout-pod"))
    result = Analysis(document).result
    with pytest.raises(ExportError, match="choose fewer racks or a lower dpi"):
        export_elevations_png(document, result, None, tmp_path / "pod.png", dpi=1200)
    with pytest.raises(ExportError, match="dpi 5 is out of range"):
        export_elevations_png(document, result, None, tmp_path / "pod.png", dpi=5)
    assert list(tmp_path.iterdir()) == []


def test_export_to_a_missing_folder_names_it(trn2, tmp_path):
    document, result = trn2
    with pytest.raises(FileFormatError, match=f"cannot save .*x.svg: no such folder {tmp_path / 'none'}"):
        export_elevations_svg(document, result, None, tmp_path / "none" / "x.svg")

"""The app's colours in one place, so the floor plan, the elevation and the legend agree.

Each cable medium has one colour everywhere it is drawn (views, docks, printed report);
the order follows model.catalog.MEDIA_ORDER (shortest reach first), warm to cool.

The selection is drawn in black ink, not in a hue. The media take the mid-lightness hues,
and a dichromat sees those on fewer axes: the old amber selection (#ffb000) was 10-16
CIEDE2000 from DAC orange in every vision, so a selected AEC run read as DAC. Lightness is
the one cue that every common colour vision keeps, and black is at least 37 from every
medium colour (unresolved grey too) in normal vision, protanopia, deuteranopia and
tritanopia. The printed report draws no selection; it shares MEDIUM_COLORS from here. tests/gui/test_colors.py checks it: each colour is passed through the
Machado, Oliveira & Fernandes (2009) dichromacy matrices (severity 1.0, linear sRGB),
taken to CIELAB (D65) and compared with CIEDE2000; a new medium or selection colour that
comes closer than MIN_SELECTION_DELTA_E fails the suite.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

MEDIUM_COLORS: dict[str, QColor] = {
    "DAC": QColor("#d9822b"),  # copper orange
    "AEC": QColor("#2e9e5b"),  # active copper: green
    "AOC": QColor("#3a78c2"),  # optics: blue
    "OPTICS": QColor("#8e52b8"),  # transceivers + fibre: violet
}
UNKNOWN_MEDIUM = QColor("#9a9a9a")  # no product fits: grey, and the problems dock says why

RACK_FILL = QColor("#eef1f4")
RACK_EDGE = QColor("#4b5563")
RACK_FRONT = QColor("#1e293b")  # the front edge of a rack on the floor plan (dark: blue is AOC)
RACK_OVER_BUDGET = QColor("#fde2e1")
COLD_AISLE = QColor(90, 160, 230, 40)
HOT_AISLE = QColor(230, 110, 90, 40)
TRAY_FILL = QColor(120, 120, 120, 60)
TRAY_EDGE = QColor("#7b7b7b")
TRAY_OVER_FILL = QColor(220, 40, 40, 140)
SELECTION = QColor("#000000")  # black ink: see the module docstring for why and how it was checked
MIN_SELECTION_DELTA_E = 30.0  # CIEDE2000 from every medium colour, in each colour vision tested
GHOST_OK = QColor(40, 170, 80, 110)
GHOST_REFUSED = QColor(220, 50, 50, 110)
DEVICE_FILL = QColor("#d7dde5")
DEVICE_BACK_FILL = QColor("#eceff3")  # a device seen from its other side
DEVICE_EDGE = QColor("#3b4450")
PORT_FREE = QColor("#ffffff")
PORT_EDGE = QColor("#222222")
RAIL = QColor("#b8c0ca")
PANEL_TEXT = QColor("#30343a")


def medium_color(medium: str | None) -> QColor:
    if medium is None:
        return UNKNOWN_MEDIUM
    return MEDIUM_COLORS.get(str(getattr(medium, "value", medium)), UNKNOWN_MEDIUM)

"""The selection colour stays distinct from every medium colour, in normal and dichromat vision.

How it is checked: each colour (sRGB) is linearised, passed through the Machado, Oliveira &
Fernandes (2009) matrix of a full dichromacy (severity 1.0: protanopia, deuteranopia,
tritanopia; the identity for normal vision), clipped, converted to CIELAB under D65, and
compared with CIEDE2000 (Sharma, Wu & Dalal 2005, whose test pairs check the formula below).
"""

from __future__ import annotations

import numpy as np
import pytest

from gui import colors

VISIONS = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
D65_WHITE = np.array([0.95047, 1.0, 1.08883])


def lab_seen(hex_color: str, vision: str) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour as a viewer with `vision` sees it."""
    srgb = np.array([int(hex_color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(VISIONS[vision] @ linear, 0.0, 1.0)
    xyz = SRGB_TO_XYZ @ linear / D65_WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2) -> float:
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c, d_h = l2 - l1, c2 - c1, 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = -np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2)))) * 2 * np.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    return float(np.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)))


def medium_colours() -> dict[str, str]:
    """Every colour a cable run can be drawn in: each medium's and the unresolved grey."""
    return {**{m: c.name() for m, c in colors.MEDIUM_COLORS.items()}, "no product": colors.UNKNOWN_MEDIUM.name()}


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ],
)
def test_ciede2000_matches_sharmas_test_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("vision", "confused"),
    [
        ("protanopia", ("#d04000", "#6a7a00")),  # a red-orange and an olive: the protan confusion line
        ("deuteranopia", ("#d04000", "#6a7a00")),
        ("tritanopia", ("#4060ff", "#00a0a0")),  # a blue and a teal: the tritan confusion line
    ],
)
def test_each_simulation_merges_the_colours_its_viewers_confuse(vision, confused):
    normal = ciede2000(lab_seen(confused[0], "normal"), lab_seen(confused[1], "normal"))
    seen = ciede2000(lab_seen(confused[0], vision), lab_seen(confused[1], vision))
    assert normal > 35 and seen < normal / 2
    grey = "#808080"  # and a grey stays that grey
    assert ciede2000(lab_seen(grey, vision), lab_seen(grey, "normal")) < 1


@pytest.mark.parametrize("vision", list(VISIONS))
def test_the_selection_is_distinct_from_every_medium_colour(vision):
    selection = lab_seen(colors.SELECTION.name(), vision)
    close = {
        medium: round(distance, 1)
        for medium, hex_color in medium_colours().items()
        if (distance := ciede2000(selection, lab_seen(hex_color, vision))) < colors.MIN_SELECTION_DELTA_E
    }
    assert not close, f"{vision}: selection {colors.SELECTION.name()} too near {close}"


def test_the_old_amber_selection_would_fail():
    """The check has teeth: the amber the issue reported (#ffb000) is refused next to DAC orange."""
    amber = "#ffb000"
    dac = colors.MEDIUM_COLORS["DAC"].name()
    assert min(ciede2000(lab_seen(amber, v), lab_seen(dac, v)) for v in VISIONS) < colors.MIN_SELECTION_DELTA_E


def test_every_drawing_of_a_medium_takes_its_colour_from_gui_colors():
    """The views, docks and the printed report share the one palette checked above."""
    from pathlib import Path

    import gui

    root = Path(gui.__file__).parent
    for path in root.rglob("*.py"):
        if path.name == "colors.py":
            continue
        text = path.read_text()
        for hex_color in medium_colours().values():
            assert hex_color.lower() not in text.lower(), f"{path} repeats {hex_color}: import it from gui.colors"


def test_the_views_draw_the_selection_in_the_checked_colour(qtbot, small_context):
    """What is shown: a selected cable's route on both drawings, a selected rack and device."""
    from gui.context import Selected
    from gui.scene.elevation import ElevationScene
    from gui.scene.floor_plan import FloorPlanScene

    floor, elevation = FloorPlanScene(small_context), ElevationScene(small_context)
    small_context.set_selection([Selected("cable", "C1")])
    floor.flush_routes()
    assert floor.highlight.pen().color() == colors.SELECTION and not floor.highlight.path().isEmpty()
    assert elevation.highlight.pen().color() == colors.SELECTION and not elevation.highlight.path().isEmpty()
    small_context.set_selection([Selected("device", "T1")])
    assert all(item.selected for item in elevation.devices["T1"])

"""The metrics and Compare panels' charts: their value axes read 600M, not 6e+08."""

from __future__ import annotations

import pytest

from gui.docks.charts import CompactAxis, MediumBars, compact_ticks


@pytest.mark.parametrize(
    ("values", "spacing", "expected"),
    [
        ([0, 2e8, 4e8, 6e8], 2e8, ["0", "200M", "400M", "600M"]),
        ([0, 2.5e6, 5e6], 2.5e6, ["0", "2.5M", "5.0M"]),
        ([1e9, 1.2e9], 2e8, ["1.0G", "1.2G"]),
        ([0, 500, 1000, 1500], 500, ["0", "0.5k", "1.0k", "1.5k"]),
        ([0, 20, 40], 20, ["0", "20", "40"]),
        ([0, 0.25, 0.5], 0.25, ["0", "0.25", "0.50"]),
    ],
)
def test_compact_ticks_share_one_suffix_and_the_decimals_the_spacing_needs(values, spacing, expected):
    assert compact_ticks(values, spacing) == expected


def test_a_chart_of_hundreds_of_millions_labels_its_ticks_compactly(qtbot):
    """A 100,000-accelerator layout's optics cost ($707 M) on the metrics panel's bars."""
    bars = MediumBars("Cable cost by medium", "USD")
    qtbot.addWidget(bars.widget)
    bars.widget.resize(400, 250)
    bars.widget.show()
    qtbot.waitExposed(bars.widget)
    bars.set_values({"OPTICS": 707_000_000.0, "AEC": 2_729_450.0})
    axis = bars.widget.getAxis("left")
    assert isinstance(axis, CompactAxis)
    low, high = bars.widget.viewRange()[1]
    major = axis.tickValues(low, high, axis.height())[0]
    labels = axis.tickStrings(major[1], 1.0, major[0])
    assert labels and all("e+" not in label for label in labels)
    assert any(label.endswith("M") for label in labels)

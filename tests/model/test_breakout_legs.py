"""Breakout legs: where each breakout product's legs fan out and how thick they are."""

import math

import numpy as np
import pytest

from model.breakout_legs import LegFigures, leg_columns, leg_table
from model.catalog import default_catalog


def test_every_breakout_product_has_its_legs_and_every_entry_is_a_breakout():
    catalog = default_catalog()
    breakouts = {p.id for p in catalog.cables.values() if p.legs is not None}
    assert set(leg_table().legs) == breakouts
    for product_id, legs in leg_table().legs.items():
        product = catalog.cables[product_id]
        assert legs.od_mm <= product.od_mm, product_id  # a leg is no thicker than its trunk
        # Copper splits near its far end; twin-port optics run separate fibres from end a.
        assert (legs.length_m is None) == (product.medium.value == "OPTICS" and product.legs.count == 2), product_id


def test_leg_columns_give_the_split_and_each_legs_cross_section():
    catalog = default_catalog()
    products = [catalog.cables[i] for i in ("aec-800g-2x400g-osfp", "optics-800g-2x400g-dr4", "aoc-800g-osfp")]
    length, area = leg_columns(products)
    assert length[0] == 0.5 and np.isnan(length[1]) and np.isnan(length[2])
    assert area.tolist() == pytest.approx([math.pi * 3.75**2, math.pi * 1.5**2, products[2].cross_section_mm2])


def test_a_figure_without_a_source_is_refused():
    with pytest.raises(ValueError, match="no source for length_m"):
        LegFigures.model_validate({"length_m": 0.5, "od_mm": 7.5, "sources": {"od_mm": "x"}})


def test_a_tray_holds_a_copper_breakouts_trunk_or_an_optical_ones_legs_together():
    from model.breakout_legs import tray_area_mm2

    catalog = default_catalog()
    copper, optics = catalog.cables["aec-800g-2x400g-osfp"], catalog.cables["optics-800g-2x400g-dr4"]
    assert tray_area_mm2(copper) == copper.cross_section_mm2  # the trunk: the legs fan out in the rack
    assert tray_area_mm2(optics) == pytest.approx(2 * math.pi * 1.5**2)  # two whole fibres
    straight = catalog.cables["aoc-800g-osfp"]
    assert tray_area_mm2(straight) == straight.cross_section_mm2

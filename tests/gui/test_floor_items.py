"""Floor plan items: the aisles' shape."""

from __future__ import annotations

import random

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath

from gui.scene.floor_items import AisleItem, joined_runs
from model.layout import Rack


def _union(boxes) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for x0, y0, x1, y1 in boxes:
        path.addRect(QRectF(x0, y0, x1 - x0, y1 - y0))
    return path.simplified()


def test_joined_runs_cover_the_same_area_in_fewer_boxes():
    rng = random.Random(7)
    # Rows of touching pieces, some overlapping, a column, and a piece alone.
    boxes = [
        (x * 600.0, y * 3000.0, x * 600.0 + 600.0 + rng.choice([0, 100]), y * 3000.0 + 1200.0)
        for y in range(4)
        for x in range(12)
    ]
    boxes += [(-2000.0, y * 600.0, -800.0, y * 600.0 + 600.0) for y in range(5)] + [(9000.0, 9000.0, 9100.0, 9050.0)]
    rng.shuffle(boxes)
    runs = joined_runs(boxes)
    assert len(runs) == 4 + 1 + 1
    same, joined = _union(boxes), _union(runs)
    assert same.subtracted(joined).isEmpty() and joined.subtracted(same).isEmpty()


def test_a_cold_aisle_two_facing_rows_share_is_drawn():
    """Rows facing each other across one aisle: both rows' aisle pieces lie on it, and it is
    drawn (pieces added under the even-odd rule cancelled out there)."""
    racks = [Rack(id=f"A{i}", x_mm=300.0 + 600 * i, y_mm=600.0, facing="south") for i in range(4)]
    racks += [Rack(id=f"B{i}", x_mm=300.0 + 600 * i, y_mm=3000.0, facing="north") for i in range(4)]
    item = AisleItem(hot=False)
    gap = (racks[0].y_mm + racks[4].y_mm) / 2
    item.refresh(racks, width_mm=1200.0)
    assert item.path().contains(QPointF(1200.0, gap))
    assert not item.path().contains(QPointF(1200.0, racks[0].y_mm))  # not over the racks

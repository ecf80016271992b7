"""Compiled columns and routes built a piece at a time (to bound memory) equal those built at once."""

import numpy as np

from model.analysis import Analysis
from model.document import Document
from model.geometry import compiled, routes
from model.topologies import build_sample


def _columns(analysis: Analysis) -> dict[str, np.ndarray]:
    c, r = analysis.compiled, analysis.routes
    return {
        "end_device_row": c.end_device_row,
        "end_port": c.end_port,
        "lx": c.ends.lx,
        "z": c.ends.z,
        "length_mm": r.length_mm,
        "bends": r.bends,
        "pathway": r.pathway,
        "junction": r.junction,
        "tray_space": r.tray_space,
        "cost_usd": analysis.result.cost_usd,
    }


def test_pieces_of_a_few_cables_give_the_columns_of_one_piece(monkeypatch):
    site = build_sample("scaleout-pod", accelerators=256)  # 512 cables: many pieces of 7 or 50
    whole = _columns(Analysis(Document(site)))
    monkeypatch.setattr(compiled, "END_CHUNK", 7)
    monkeypatch.setattr(routes, "ROUTE_CHUNK", 50)
    pieces = _columns(Analysis(Document(site)))
    assert len(whole["length_mm"]) == 512
    for name, column in whole.items():
        assert np.array_equal(column, pieces[name], equal_nan=column.dtype.kind == "f"), name

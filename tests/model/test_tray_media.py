"""Cables by medium in each tray piece (the floor plan's lanes zoomed out) add up to the
tray fill's cable counts, whatever the chunk size."""

import numpy as np

from model.analysis import Analysis
from model.document import Document
from model.selection import MEDIUM_NAMES
from model.topologies.scaleout import build_scaleout_pod
from model.tray_media import piece_media_counts


def test_media_per_piece_add_up_to_the_fill_counts():
    result = Analysis(Document(build_scaleout_pod(accelerators=256))).result
    steps = list(piece_media_counts(result.state, chunk=100))
    counts = steps[-1]
    assert len(steps) > 2 and counts.shape == (result.state.fill.piece_count, len(MEDIUM_NAMES))
    assert (result.medium_code >= 0).all()  # every cable has a product: every one is counted
    assert np.array_equal(counts.sum(axis=1), result.state.fill.cable_counts())
    # Piece by piece, the cables that lie in it (TrayFill.members) by their medium.
    fill = result.state.fill
    pieces = np.flatnonzero(fill.cable_counts())[::7]
    every = np.arange(len(result.cable_ids))
    for piece, members in zip(pieces, fill.members(pieces, every)):
        by_medium = np.bincount(result.medium_code[members], minlength=len(MEDIUM_NAMES))
        assert counts[piece].tolist() == by_medium.tolist()
    assert np.array_equal(list(piece_media_counts(result.state))[-1], counts)  # the default chunks alike

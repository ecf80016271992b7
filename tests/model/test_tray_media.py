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


def test_counts_carried_over_a_rack_move_equal_a_fresh_count():
    """A moved rack cuts the trays elsewhere; its cables' counts taken out, the rest carried
    piece by piece onto the new cutting and its cables laid in give a fresh count's counts."""
    from model.tray_media import carry_counts

    document = Document(build_scaleout_pod(accelerators=256))
    analysis = Analysis(document)
    recut = []
    for rack_index, dy in ((0, 50_000), (0, -50_000), (5, 30_000)):
        before = analysis.result
        counts = list(piece_media_counts(before.state))[-1]
        rack = document.site.racks[rack_index]
        document.move_racks({rack.id: (rack.x_mm, rack.y_mm + dy, rack.facing)})
        after = analysis.result
        recut.append(after.state.fill.piece_count != before.state.fill.piece_count)
        rows = [after.index[c.id] for c in document.cables_of_rack(rack.id)]
        changed = np.flatnonzero(before.medium_code != after.medium_code).tolist()
        carried = carry_counts(before.state, after.state, counts, sorted(set(rows) | set(changed)))
        assert np.array_equal(carried, list(piece_media_counts(after.state))[-1])
    assert any(recut)  # the trays were cut elsewhere

"""Optical insertion loss: connector pairs plus fibre, against a transceiver's budget."""

from __future__ import annotations

import pytest

from model.optical_loss import link_loss, optical_table


def _transceiver(tid: str):
    return next(t for t in optical_table().transceivers if t.id == tid)


def test_loss_is_mated_pairs_plus_attenuation_times_length():
    sr8 = _transceiver("xcvr-800g-osfp-sr8")
    loss = link_loss({"MPO-16": 2}, "OM4", 100.0, sr8)
    # 2 x 0.35 dB low-loss MPO pairs + 0.1 km x 3.0 dB/km OM4 at 850 nm.
    assert loss.pairs_db == pytest.approx(0.70) and loss.fiber_db == pytest.approx(0.30)
    assert loss.total_db == pytest.approx(1.00) and loss.budget_db == 1.8 and not loss.over
    assert loss.text() == "loss 1.00 dB ≤ 1.8 dB budget (2 MPO-16 pairs 0.70 dB + 100.0 m OM4 0.30 dB)"


def test_single_mode_attenuates_less_and_a_cassette_link_adds_lc_pairs():
    fr4 = _transceiver("xcvr-400g-qsfpdd-fr4")
    loss = link_loss({"LC": 2, "MPO-12": 2}, "OS2", 2000.0, fr4)
    # 2 x 0.15 + 2 x 0.35 = 1.0 dB of pairs, 2 km x 0.4 dB/km = 0.8 dB: 1.8 dB of FR4's 4 dB.
    assert loss.total_db == pytest.approx(1.8) and not loss.over


def test_over_budget_says_the_loss_the_budget_and_the_parts():
    dr8 = _transceiver("xcvr-800g-osfp-dr8")
    loss = link_loss({"MPO-16": 9}, "OS2", 50.0, dr8)
    assert loss.over and loss.total_db == pytest.approx(3.17)
    assert loss.text() == "loss 3.17 dB > 3 dB budget (9 MPO-16 pairs 3.15 dB + 50.0 m OS2 0.02 dB)"


def test_every_figure_has_a_source_and_estimates_are_marked():
    table = optical_table()
    for figure in (*table.connector_loss_db.values(), *table.fiber_attenuation_db_per_km.values()):
        assert figure.source
    assert table.fiber_attenuation_db_per_km["OM4"].wavelength_nm == 850
    assert table.fiber_attenuation_db_per_km["OS2"].wavelength_nm == 1310
    for t in table.transceivers:
        assert {"reach_m", "budget_db", "power_w", "cost_usd"} <= set(t.sources), t.id
        assert t.estimated == any(s.startswith("estimated") for s in t.sources.values()), t.id
    assert {t.id for t in table.transceivers} >= {"xcvr-800g-osfp-sr8", "xcvr-800g-osfp-dr8", "xcvr-400g-qsfpdd-dr4"}


def test_transceivers_are_found_by_the_port_they_plug_into():
    ids = [t.id for t in optical_table().for_port("OSFP", 800, 8)]
    assert ids == ["xcvr-800g-osfp-sr8", "xcvr-800g-osfp-dr8"]
    assert [t.id for t in optical_table().for_port("OSFP", 400, 4)] == ["xcvr-400g-osfp-sr4", "xcvr-400g-osfp-dr4"]
    assert [t.id for t in optical_table().for_port("OSFP", 1600, 8)] == ["xcvr-1p6t-osfp-dr8"]
    assert optical_table().for_port("QSFP28", 100, 4) == []

"""The inspector on a link through patch panels: the fibre it lays, its loss and budget."""

from __future__ import annotations

import json

import pytest

from gui.context import AppContext, Selected
from gui.docks.inspector import InspectorDock
from model.document import Document
from model.io.files import loads_layout
from tests.gui.conftest import show_widget
from tests.model.test_structured import F05, _over_connected


@pytest.fixture
def f05(qapp):
    return AppContext(Document(loads_layout(F05.read_text(encoding="utf-8"), "panels.json")))


def test_a_trunk_shows_its_fibre_and_the_links_loss_against_budget(f05, qtbot):
    dock = show_widget(qtbot, InspectorDock(f05))
    f05.set_selection([Selected("cable", "c2")])
    assert dock.header.text() == "Cable c2"
    assert dock.fact("medium") == "OPTICS"
    assert dock.fact("product").startswith("MPO-16 trunk, OM4 (trunk-mpo16-om4)")
    reason = dock.fact("reason")
    assert reason == f05.result.cable("c2").reason
    assert "loss 0.74 dB ≤ 1.8 dB budget (2 MPO-16 pairs 0.70 dB" in reason
    assert dock.fact("problems") == "none"


def test_an_over_budget_link_shows_the_problem_on_its_first_cable(qapp, qtbot):
    context = AppContext(Document(loads_layout(json.dumps(_over_connected(10)), "long.json")))
    dock = show_widget(qtbot, InspectorDock(context))
    context.set_selection([Selected("cable", "in")])
    problems = dock.fact("problems")
    assert "gpu01:nic1 → leaf01:p1: loss 3.5" in problems and "> 3 dB budget" in problems
    assert "10 MPO-16 pairs 3.50 dB" in problems

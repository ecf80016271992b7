"""Problems of one cause are grouped with a count, and a cable with no pathway says how to fix
it (issue #14 point 1): in the result's problems, the grouping and the text report."""

from __future__ import annotations

from model.analysis import analyse
from model.cli import text_report
from model.document import Document
from model.layout import Cable, Device, Rack
from model.problem_groups import ProblemGroup, group_problems, problem_cause, problem_lines
from model.results import Problem

SWITCH = "switch-51t2-64x800g"
FIX = "fix: add a tray over racks R1, R2 (select both racks, then Insert → Add Tray over the Selected Racks)"


def apart(cables: int) -> Document:
    """Two racks 1.2 m apart with no tray: no pathway joins them."""
    doc = Document()
    doc.add_rack(Rack(id="R2", x_mm=1800, y_mm=0))
    doc.add_rack(Rack(id="R1", x_mm=0, y_mm=0))
    doc.place_device("R1", Device(id="a", type=SWITCH, u_position=10))
    doc.place_device("R2", Device(id="b", type=SWITCH, u_position=10))
    for k in range(1, cables + 1):
        # Half the cables run R1 -> R2, half R2 -> R1: the wording must not depend on the order.
        ends = (f"a:p{k}", f"b:p{k}") if k % 2 else (f"b:p{k}", f"a:p{k}")
        doc.connect(Cable(id=f"c{k}", a=ends[0], b=ends[1]))
    return doc


def test_a_cable_with_no_pathway_says_so_and_how_to_fix_it():
    result = analyse(apart(1))
    (problem,) = result.problems
    assert problem.kind == "pathway" and result.cable("c1").length_m is None
    assert problem.message == (
        "cable c1: no pathway between racks R1 and R2: racks R1 and R2 have no tray within 1.5 m to drop cables "
        f"into — {FIX}"
    )


def test_cables_of_one_cause_are_one_group_with_a_count():
    result = analyse(apart(32))
    assert len(result.problems) == 32
    (group,) = group_problems(result.problems)
    assert isinstance(group, ProblemGroup)
    assert [p.target_id for p in group.members] == [f"c{k}" for k in range(1, 33)]
    assert group.message.startswith("32 cables: no pathway between racks R1 and R2: ")
    assert group.message.endswith(FIX)


def test_different_causes_stay_apart_in_their_order():
    problems = [
        Problem("reach", "cable c1: 9.00 m exceeds X's 5 m reach", "cable", "c1"),
        Problem("power", "rack R1 draws 50 kW", "rack", "R1"),
        Problem("reach", "cable c2: 9.00 m exceeds X's 5 m reach", "cable", "c2"),
        Problem("reach", "cable c3: 8.00 m exceeds Y's 5 m reach", "cable", "c3"),
    ]
    entries = group_problems(problems)
    assert [type(e).__name__ for e in entries] == ["ProblemGroup", "Problem", "Problem"]
    assert entries[0].members == (problems[0], problems[2])  # type: ignore[union-attr]
    assert entries[2] is problems[3]
    assert problem_cause(problems[1]) == "rack R1 draws 50 kW"  # no "rack R1: " subject: the whole message
    assert problem_cause(problems[0]) == "9.00 m exceeds X's 5 m reach"


def test_runs_past_one_reach_are_one_group_whatever_their_lengths():
    """64 pinned ring links of one rack pair, 12.42-14.18 m past the 7 m AEC's reach, were 64
    rows, one per length (a fresh user's find): one group now, with the range."""
    problems = [
        Problem(
            "pinned",
            f"cable c{i}: {length:.2f} m exceeds A7's 7 m reach, the furthest of any AEC (pinned)",
            "cable",
            f"c{i}",
        )
        for i, length in enumerate([13.67, 12.42, 14.18, 12.42])
    ]
    entries = group_problems(problems)
    assert len(entries) == 1 and entries[0].members == tuple(problems)  # type: ignore[union-attr]
    assert (
        entries[0].message == "4 cables: runs of 12.42–14.18 m exceed A7's 7 m reach, the furthest of any AEC (pinned)"
    )
    alike = group_problems([problems[1], problems[3]])
    assert alike[0].message == "2 cables: runs of 12.42 m exceed A7's 7 m reach, the furthest of any AEC (pinned)"


def test_the_text_report_prints_a_group_as_one_line_with_its_cables():
    text = text_report(analyse(apart(12)))
    problems = text[text.index("Problems: 12") :].splitlines()
    assert problems[1].startswith("  [pathway] 12 cables: no pathway between racks R1 and R2: ")
    assert problems[2] == "      c1, c2, c3, c4, c5, c6, c7, c8, … (12)"
    assert len(problems) == 3


def test_problem_lines_stop_at_the_limit_counting_groups_as_one():
    problems = [Problem("power", f"rack R{k} draws {k} kW", "rack", f"R{k}") for k in range(4)]
    assert problem_lines(problems, 2) == ["[power] rack R0 draws 0 kW", "[power] rack R1 draws 1 kW", "… and 2 more"]

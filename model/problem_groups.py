"""Problems of one cause, grouped: 32 cables with no pathway between racks R1 and R2 are one
line with a count ("32 cables: no pathway between racks R1 and R2: … — fix: …") and the
cables below it, in the problems panel and the text report.

A problem's message names its subject first ('cable c7: …'); what follows is its cause.
Problems of one kind, severity and subject kind whose causes read the same are one group.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from model.results import Problem

# A reach problem's cause starts with the cable's own run length ('13.67 m exceeds aec-…'s 7 m
# reach…'): cables of one cause are grouped without it, and the group gives their range. 64
# pinned ring links of one rack pair were 64 rows, one per length (a fresh user's find).
_RUN_FIRST = re.compile(r"(\d+(?:\.\d+)?) m exceeds (.+)\Z", re.DOTALL)


def problem_cause(problem: Problem) -> str:
    """`problem`'s message without its subject ('cable c7: no pathway …' -> 'no pathway …');
    the whole message when it does not start with its subject. Raises nothing."""
    subject = f"{problem.target_kind} {problem.target_id}: "
    return problem.message[len(subject) :] if problem.message.startswith(subject) else problem.message


@dataclass(frozen=True)
class ProblemGroup:
    """Two or more problems of one cause: their kind, severity, subject kind ('cable'),
    cause (the message without the subject) and the problems themselves, in their order."""

    kind: str
    severity: str
    target_kind: str
    cause: str
    members: tuple[Problem, ...]
    shown_cause: str = ""  # what the group's line says when it differs from `cause` (its key)

    @property
    def count_text(self) -> str:
        """'32 cables' (the members' count and kind)."""
        return f"{len(self.members)} {self.target_kind}s"

    @property
    def message(self) -> str:
        """The group's line: '32 cables: no pathway between racks R1 and R2: … — fix: …'."""
        return f"{self.count_text}: {self.shown_cause or self.cause}"


def group_problems(problems: Iterable[Problem]) -> list[Problem | ProblemGroup]:
    """`problems` with those of one cause gathered into a ProblemGroup, each group where its
    first member was and its members in their order; a cause with one problem stays a
    Problem. Linear in the number of problems. Raises nothing."""
    # One pass, a dict in first-seen order, problem_cause inlined: every refresh of the problems panel runs it.
    members: dict[tuple[str, str, str, str], list[Problem]] = {}
    lengths: dict[tuple[str, str, str, str], list[float]] = {}
    for problem in problems:
        message = problem.message
        subject = f"{problem.target_kind} {problem.target_id}: "
        cause = message[len(subject) :] if message.startswith(subject) else message
        run = _RUN_FIRST.match(cause) if " m exceeds " in cause else None
        if run is not None:
            cause = f"exceeds {run.group(2)}"
        key = (problem.kind, problem.severity, problem.target_kind, cause)
        found = members.get(key)
        if found is None:
            members[key] = [problem]
        else:
            found.append(problem)
        if run is not None:
            lengths.setdefault(key, []).append(float(run.group(1)))
    return [
        found[0] if len(found) == 1 else ProblemGroup(*key, members=tuple(found), shown_cause=_runs(key, lengths))
        for key, found in members.items()
    ]


def _runs(key: tuple[str, str, str, str], lengths: dict[tuple[str, str, str, str], list[float]]) -> str:
    """A reach group's line ('runs of 12.42–14.18 m exceed …'), or "" for any other group."""
    found = lengths.get(key)
    if not found:
        return ""
    low, high = min(found), max(found)
    span = f"{low:.2f} m" if low == high else f"{low:.2f}–{high:.2f} m"
    return f"runs of {span} {key[3].replace('exceeds', 'exceed', 1)}"


def problem_lines(problems: Iterable[Problem], limit: int, ids_shown: int = 8) -> list[str]:
    """Text-report lines for `problems`, grouped: '[kind] message' for a single problem,
    '[kind] 32 cables: cause' then '    c1, c2, … (32)' for a group; at most `limit` entries
    (groups count as one), then '… and N more'. Raises nothing."""
    entries = group_problems(problems)
    lines: list[str] = []
    for entry in entries[:limit]:
        lines.append(f"[{entry.kind}] {entry.message}")
        if isinstance(entry, ProblemGroup):
            ids = [p.target_id for p in entry.members]
            more = f", … ({len(ids)})" if len(ids) > ids_shown else ""
            lines.append(f"    {', '.join(ids[:ids_shown])}{more}")
    if len(entries) > limit:
        lines.append(f"… and {len(entries) - limit} more")
    return lines

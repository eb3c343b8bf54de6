"""A criterion's status at a site, as the tree and the summary show it (pure, no Textual)."""

from __future__ import annotations

from enum import StrEnum

from inspect_tui.core.checklist import Criterion
from inspect_tui.core.records import Record
from inspect_tui.core.scoring import TargetStatus, criterion_score, target_status


class Status(StrEnum):
    UNSCORED = "unscored"
    SCORED = "scored"
    PROBLEM = "problem"
    VETO = "veto"
    UNSAVED = "unsaved"


# Marks chosen among characters every terminal draws one cell wide (no East Asian
# "ambiguous width" symbols such as ● or ○), so CJK columns stay aligned.
MARKS = {
    Status.UNSCORED: ("-", "dim"),
    Status.SCORED: ("✓", "green"),
    Status.PROBLEM: ("!", "bold yellow"),
    Status.VETO: ("✗", "bold red"),
    Status.UNSAVED: ("*", "bold magenta"),
}


def status_of(criterion: Criterion, record: Record, unsaved: bool = False) -> Status:
    if unsaved:
        return Status.UNSAVED
    if criterion.veto and record.veto:
        return Status.VETO
    if record.problems.strip() or target_status(criterion, record.count) is TargetStatus.UNMET:
        return Status.PROBLEM
    return Status.SCORED if record.scored else Status.UNSCORED


def score_of(criterion: Criterion, record: Record) -> float | None:
    return criterion_score(criterion, record.assessment())

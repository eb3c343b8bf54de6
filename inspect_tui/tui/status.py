"""A criterion's status at a site, as the tree and the summary show it (pure, no Textual)."""

from __future__ import annotations

from enum import StrEnum

from inspect_tui.core.checklist import Criterion
from inspect_tui.core.records import Record
from inspect_tui.core.scoring import TargetStatus, criterion_score, target_status
from inspect_tui.core.scoring_rules import outcome


class Status(StrEnum):
    UNSCORED = "unscored"
    SCORED = "scored"
    PROBLEM = "problem"
    VETO = "veto"
    UNSAVED = "unsaved"
    NOT_APPLICABLE = "na"


# Marks chosen among characters every terminal draws one cell wide (no East Asian
# "ambiguous width" symbols such as ● or ○), so CJK columns stay aligned.
MARKS = {
    Status.UNSCORED: ("-", "dim"),
    Status.SCORED: ("✓", "green"),
    Status.PROBLEM: ("!", "bold yellow"),
    Status.VETO: ("✗", "bold red"),
    Status.UNSAVED: ("*", "bold magenta"),
    Status.NOT_APPLICABLE: ("/", "dim"),
}


def status_of(criterion: Criterion, record: Record, unsaved: bool = False) -> Status:
    if unsaved:
        return Status.UNSAVED
    o = outcome(criterion, record.assessment())
    if o.na:
        return Status.NOT_APPLICABLE
    if o.vetoed:
        return Status.VETO
    if (record.problems.strip() or o.unexplained
            or target_status(criterion, record.count) is TargetStatus.UNMET):
        return Status.PROBLEM
    return Status.SCORED if o.done else Status.UNSCORED


def done(criterion: Criterion, record: Record) -> bool:
    """Scored, or recorded as not applicable: nothing left to enter."""
    return outcome(criterion, record.assessment()).done


def score_of(criterion: Criterion, record: Record) -> float | None:
    return criterion_score(criterion, record.assessment())

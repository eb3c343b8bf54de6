"""Why a criterion scored what it did, and how a site's total came about, as plain data.

One shape for every reader (`record show --json`, `site result --json`, the report): each
lost point with its reason, count and cap; 不适用 with its reason; base, 折算, 加分, total;
the veto and what triggered it. Pure.
"""

from __future__ import annotations

from typing import Any

from inspect_tui.core.checklist import Checklist, Criterion
from inspect_tui.core.records import Record
from inspect_tui.core.scoring import SiteResult, target_status
from inspect_tui.core.scoring_rules import Outcome, outcome, rules_version


def losses(o: Outcome) -> list[dict[str, Any]]:
    return [{"reason": x.reason, "points": x.points, "times": x.times, "each": x.each,
             "capped": x.capped, "typed": x.typed} for x in o.losses]


def criterion_explained(c: Criterion, r: Record) -> dict[str, Any]:
    """The record, its score and every reason for it."""
    o = outcome(c, r.assessment())
    target = None
    if c.target is not None:
        target = {"min": c.target.min, "unit": c.target.unit, "period": c.target.period,
                  "count": r.count, "status": target_status(c, r.count).value}
    return {
        "record_id": r.record_id, "criterion": c.id, "title": c.title, "max": c.max,
        "bonus": c.bonus, "applies_to": list(c.applies_to),
        "score": o.score, "counts_towards_max": o.max, "not_applicable": o.na,
        "na_reason": r.na if o.na else "", "points_typed": r.points,
        "deductions": [{"rule": i + 1, "reason": c.deductions[i].reason}
                       for i in r.deductions if 0 <= i < len(c.deductions)],
        "lost": o.lost if not c.bonus else 0.0, "losses": losses(o),
        "reason": r.reason, "unexplained": o.unexplained, "zeroed": o.zeroed,
        "capped": o.capped, "vetoed": o.vetoed,
        "full_marks_with_target_unmet": o.target_unmet_full,
        "self_points": r.self_points, "target": target,
        "methods": [m.value for m in r.methods], "notes": r.notes, "problems": r.problems,
        "advice": r.advice, "updated_by": r.updated_by, "updated_at": r.updated_at,
    }


def site_explained(checklist: Checklist, result: SiteResult,
                   records: dict[str, Record]) -> dict[str, Any]:
    """A site's result: the table used, base, 折算 and the rule, 加分, total, grade, veto."""
    kind = result.kind
    vetoes = []
    for cid in result.vetoed_by:
        c, r = checklist.criterion(cid), records[cid]
        why = [x.reason for x in outcome(c, r.assessment()).losses
               if any(d.veto and d.reason == x.reason for d in c.deductions)]
        vetoes.append({"criterion": cid, "title": c.title, "why": why or [c.title]})
    return {
        "table": {"checklist": checklist.identity, "title": checklist.title, "kind": kind,
                  "criteria": result.count, "rules": rules_version(checklist.format)},
        "base": result.base, "base_max": result.base_max, "converted": result.converted,
        "conversion": {"from": result.base_max, "to": result.max,
                       "rule": "base / base_max × total" if result.base_max != result.max
                       else "none"},
        "bonus": result.bonus, "bonus_cap": checklist.bonus_cap, "total": result.total,
        "max": result.max, "grade": result.grade, "complete": result.complete,
        "scored": result.scored, "criteria": result.count,
        "not_applicable": [{"criterion": cid, "title": checklist.criterion(cid).title,
                            "reason": records[cid].na} for cid in result.not_applicable],
        "unexplained": list(result.unexplained), "vetoed_by": vetoes,
        "sections": [{"id": s.section_id, "title": s.title, "score": s.score, "max": s.max,
                      "scored": s.scored, "criteria": s.total} for s in result.sections],
        "lost": [{"criterion": c.id, "title": c.title, "lost": o.lost, "losses": losses(o)}
                 for c in checklist.criteria_for(kind) if not c.bonus
                 for o in [outcome(c, records[c.id].assessment())] if o.lost > 0],
        "problems": [{"criterion": p.criterion_id, "kind": p.kind.value, "text": p.text,
                      "advice": p.advice} for p in result.problems],
    }

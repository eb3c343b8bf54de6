"""Values no criterion allows: what a record holds that this app could never have saved.

The store refuses such values when they are typed (Inspection.set_fields), so one found in the
history came from outside: a file edited by hand, a damaged disk, a forged pack whose chain was
re-hashed. They are flagged wherever a record is shown and refused by the report builder, so a
signed report never carries one, whether or not the history chains verify.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from inspect_tui.core.checklist import Checklist, Criterion
from inspect_tui.core.history import Entry, fold_fields
from inspect_tui.core.i18n import t
from inspect_tui.core.records import EVIDENCE_PREFIX, Record, record_from_fields, shown_value


@dataclass(frozen=True)
class BadValue:
    site_id: str
    criterion_id: str
    record_id: str
    field: str  # a record field name ("points", "count", …, "evidence:<sha256>")
    value: str  # as stored, as text

    def allowed(self, criterion: Criterion) -> str:
        """What the field may hold, in words (for messages)."""
        if self.field == "points":
            return t("integrity.allowed.points", max=f"{criterion.max:g}")
        if self.field == "deductions":
            return t("integrity.allowed.deductions", count=len(criterion.deductions))
        if self.field.startswith(EVIDENCE_PREFIX):
            return t("integrity.allowed.evidence")
        return t(f"integrity.allowed.{self.field}")

    @property
    def field_name(self) -> str:
        name = "evidence" if self.field.startswith(EVIDENCE_PREFIX) else self.field
        return t(f"integrity.field.{name}")


def bad_values(criterion: Criterion, record: Record) -> tuple[BadValue, ...]:
    """Every value of `record` that no honest save could have written for `criterion`."""
    def bad(name: str, value: str) -> BadValue:
        return BadValue(record.site_id, record.criterion_id, record.record_id, name, value)

    found = [bad(name, value) for name, value in record.damaged]
    p = record.points
    if p is not None and not (math.isfinite(p) and 0 <= p <= criterion.max):
        found.append(bad("points", f"{p:g}"))
    if any(not 0 <= i < len(criterion.deductions) for i in record.deductions):
        found.append(bad("deductions", str(list(record.deductions))))
    if record.count is not None and record.count < 0:
        found.append(bad("count", str(record.count)))
    for conflict in record.conflicts:  # rival values are printed too (--allow-conflicts)
        for value, *_ in conflict.values[1:]:  # [0] is the current value, checked above
            if not _safely_possible(criterion, conflict.field, value):
                found.append(bad(conflict.field, shown_value(value)))
    return tuple(found)


def _possible(c: Criterion, name: str, v: Any) -> bool:
    """Could an honest save have written `v` as field `name`? (a quick per-entry check)"""
    if name == "points":
        return v is None or (_number(v) and math.isfinite(v) and 0 <= v <= c.max)
    if name == "count":
        return v is None or (_number(v) and isinstance(v, int) and v >= 0)
    if name == "deductions":
        return isinstance(v, list) and all(
            _number(i) and isinstance(i, int) and 0 <= i < len(c.deductions) for i in v)
    if name == "methods":
        return isinstance(v, list) and all(isinstance(m, str) for m in v)
    if name in ("notes", "problems", "advice"):
        return isinstance(v, str)
    if name.startswith(EVIDENCE_PREFIX):
        return v is None or isinstance(v, dict)
    return True


def _safely_possible(c: Criterion, name: str, v: Any) -> bool:
    try:
        return _possible(c, name, v)
    except OverflowError:  # an integer too large to compare with a float
        return False


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def bad_values_in_history(checklist: Checklist, entries: Iterable[Entry]) -> list[BadValue]:
    """Every impossible current value in a history (pure: safe on a snapshot, off the UI).

    A current value is some entry's value, so only records with a doubtful entry are folded.
    """
    entries = list(entries)
    doubtful = set()
    for e in entries:
        criterion = e.context.get("criterion", "")
        if e.entity.startswith("record:") and checklist.has_criterion(criterion):
            c = checklist.criterion(criterion)
            if not all(_safely_possible(c, n, ch.value) for n, ch in e.changes.items()):
                doubtful.add(e.entity)
    if not doubtful:
        return []
    found: list[BadValue] = []
    state = fold_fields(e for e in entries if e.entity in doubtful)
    for entity, fields in sorted(state.items()):
        if not fields:
            continue
        context = next(iter(fields.values())).winner.context
        site, criterion = context.get("site", ""), context.get("criterion", "")
        if checklist.has_criterion(criterion):
            record = record_from_fields(entity[len("record:"):], site, criterion, fields)
            found += bad_values(checklist.criterion(criterion), record)
    return found

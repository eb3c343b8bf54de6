"""History entries in words: who changed which field of a record, to what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from inspect_tui.core.checklist import Criterion
from inspect_tui.core.history import Entry
from inspect_tui.core.i18n import t
from inspect_tui.core.records import EVIDENCE_PREFIX
from inspect_tui.tui.text import method_label, number


def local_time(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def field_name(field: str) -> str:
    if field.startswith(EVIDENCE_PREFIX):
        return t("tui.field.evidence")
    return t(f"tui.field.{field}")


def describe_value(criterion: Criterion, field: str, value: Any) -> str:
    """One field's new value as the inspector would say it."""
    if field.startswith(EVIDENCE_PREFIX):
        if value is None:
            return t("tui.history.detached", sha=field[len(EVIDENCE_PREFIX):][:12])
        caption = f"（{value['caption']}）" if value.get("caption") else ""
        return t("tui.history.attached", name=value.get("name", "?")) + caption
    if value is None or value == "" or value == []:
        return t("tui.history.cleared")
    if field == "points":
        return t("tui.history.points", points=number(value), max=number(criterion.max))
    if field == "deductions":
        return "；".join(_deduction(criterion, i) for i in value)
    if field == "methods":
        return "、".join(method_label(m) for m in value)
    if field == "veto":
        return t("tui.history.yes") if value else t("tui.history.no")
    return str(value)


def _deduction(criterion: Criterion, index: int) -> str:
    if 0 <= index < len(criterion.deductions):
        d = criterion.deductions[index]
        return t("tui.edit.deduction", points=number(d.points), reason=d.reason)
    return str(index)


def describe_entry(criterion: Criterion, entry: Entry) -> list[tuple[str, str]]:
    """(field, new value) pairs of one entry, in a stable order."""
    return [(field_name(name), describe_value(criterion, name, change.value))
            for name, change in sorted(entry.changes.items())]

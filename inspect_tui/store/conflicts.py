"""Settling conflicts in an inspection: find one by record (or site) and field, set a value.

Setting a field that is in conflict writes an entry whose parents are all its heads (see
Inspection._write), so the conflict is settled for good: merging an old copy again brings back
only entries that the resolution already supersedes.
"""

from __future__ import annotations

from typing import Any

from inspect_tui.core.conflicts import OpenConflict, open_conflicts
from inspect_tui.core.i18n import t
from inspect_tui.core.record_id import normalize_record_id
from inspect_tui.store import ledger
from inspect_tui.store.errors import StoreError
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.merge_errors import ConflictError


def conflicts_of(insp: Inspection) -> list[OpenConflict]:
    return open_conflicts(insp.all_entries())


def find_conflict(insp: Inspection, target: str, field: str) -> OpenConflict:
    """The open conflict on `field` of a record (by record ID), a site (by id) or 'inspection'."""
    wanted = normalize_record_id(target) or target.strip()
    for c in conflicts_of(insp):
        if c.field == field and wanted in (c.record_id, c.entity, c.entity.partition(":")[2]):
            return c
    raise ConflictError("conflict.not_found", target=target, field=field)


def resolve(insp: Inspection, conflict: OpenConflict, value: Any) -> None:
    """Settle `conflict` with `value` (one of the rivals' values, or a new one)."""
    values = {conflict.field: value}
    if conflict.entity.startswith("record:"):
        insp.set_fields(conflict.site_id, conflict.criterion_id, **values)
    elif conflict.entity.startswith("site:"):
        insp.update_site(conflict.site_id, **values)
    elif conflict.entity.startswith("visit:"):
        insp.set_visit(conflict.site_id, **values)
    elif conflict.entity.startswith("rectify:"):  # any rival status may be picked
        ledger.set_problem(insp, conflict.entity.partition(":")[2], values, transitions=False)
    else:
        insp.set_inspection_fields(**values)


def where(insp: Inspection, conflict: OpenConflict) -> str:
    """Site name and criterion of a conflict, for people."""
    if not conflict.site_id:
        return t("conflict.inspection")
    try:
        site = insp.site(conflict.site_id).name
    except StoreError:
        site = conflict.site_id
    part = ledger.part_of(conflict.entity)  # 检查情况 / 整改台账, or "" for scores
    if not conflict.criterion_id:
        return " · ".join(x for x in (site, part) if x)
    text = f"{site} · {conflict.criterion_id} {_title(insp, conflict.criterion_id)}".rstrip()
    return f"{text} · {part}" if part else text


def _title(insp: Inspection, criterion_id: str) -> str:
    if not insp.checklist.has_criterion(criterion_id):
        return ""
    return insp.checklist.criterion(criterion_id).title

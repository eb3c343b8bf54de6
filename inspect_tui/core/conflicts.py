"""Open conflicts, for people to settle: every field with rival values, with who and when.

A conflict is a field whose heads hold different values (see core.history). It is settled by
writing a new value whose parents are all the heads; the repository does that on its own when a
field in conflict is set, so settling is just setting (or picking one of the shown values).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from inspect_tui.core.history import Entry, fold_fields


@dataclass(frozen=True)
class Rival:
    value: Any
    author: str
    device: str
    when: str  # ISO time of the entry
    entry: str  # its hash


@dataclass(frozen=True)
class OpenConflict:
    entity: str  # "record:<id>", "site:<id>" or "inspection"
    field: str
    site_id: str  # the site of a record or site entity ("" for the inspection)
    criterion_id: str  # "" unless a record
    rivals: tuple[Rival, ...]  # every concurrent value, the shown (winning) one first

    @property
    def record_id(self) -> str:
        return self.entity.partition(":")[2] if self.entity.startswith("record:") else ""


def _rival(e: Entry, field: str) -> Rival:
    return Rival(e.changes[field].value, e.author, e.device, e.hlc.isoformat(), e.hash)


def open_conflicts(entries: Iterable[Entry]) -> list[OpenConflict]:
    """Every field in conflict, ordered by entity and field, with everyone's value."""
    by_hash = {e.hash: e for e in entries}
    context = {e.entity: e.context for e in by_hash.values() if e.context}
    found = []
    for entity, fields in sorted(fold_fields(by_hash.values()).items()):
        for name, state in sorted(fields.items()):
            if not state.conflict:
                continue
            ctx = context.get(entity, {})
            site = ctx.get("site", entity[5:] if entity.startswith("site:") else "")
            heads = sorted((by_hash[h] for h in state.heads), key=lambda e: e.order_key,
                           reverse=True)  # every head, the winner first
            found.append(OpenConflict(entity, name, site, ctx.get("criterion", ""),
                                      tuple(_rival(e, name) for e in heads)))
    return found


_NONE = {"", "-", "none", "null", "无", "空"}
_TRUE, _FALSE = {"true", "yes", "1", "是"}, {"false", "no", "0", "否"}


def _items(text: str) -> list[str]:
    for sep in "，、;；":
        text = text.replace(sep, ",")
    return [part.strip() for part in text.strip("[] ").split(",") if part.strip()]


def parse_value(field: str, text: str) -> Any:
    """A value typed by the lead, in the shape the field holds; ValueError says why not."""
    text = text.strip()
    if field in ("points", "count"):
        if text.lower() in _NONE:
            return None
        return float(text) if field == "points" else int(text)
    if field == "deductions":
        return sorted({int(part) for part in _items(text)})
    if field in ("methods", "team", "inspectors"):
        return [part.strip("\"'") for part in _items(text)]
    if field in ("veto", "removed"):
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ValueError("true / false")
    if field.startswith("evidence:"):
        if text.lower() in _NONE:
            return None
        raise ValueError("--pick")
    return text


def show_value(value: Any, empty: str = "—") -> str:
    """A field value as people read it."""
    if value is None or value == "" or value == []:
        return empty
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "、".join(show_value(v) for v in value)
    if isinstance(value, dict):  # an evidence reference
        return " ".join(str(value.get(k, "")) for k in ("name", "caption") if value.get(k))
    return str(value)

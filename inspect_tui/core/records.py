"""Records, sites and evidence references as views over folded history.

A record is one (site, criterion). Its fields are history fields, so each can be set, merged
and put in conflict on its own; every attached evidence file is its own field
(`evidence:<sha256>`) so two inspectors attaching different photos never conflict.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from inspect_tui.core.checklist import Method
from inspect_tui.core.history import FieldState
from inspect_tui.core.scoring import Assessment

EVIDENCE_PREFIX = "evidence:"

# Record fields and the value each takes when never set.
RECORD_DEFAULTS: dict[str, Any] = {
    "points": None, "deductions": [], "count": None, "methods": [], "notes": "",
    "problems": "", "advice": "", "veto": False, "na": "", "reason": "", "self_points": None,
}
SITE_DEFAULTS: dict[str, Any] = {"name": "", "kind": "", "group": "", "removed": False}


class SiteKind(StrEnum):
    TOWNSHIP = "乡镇街道"
    DEPARTMENT = "部门"
    GRASSROOTS = "基层单位"
    VILLAGE = "村(社区)"


@dataclass(frozen=True)
class EvidenceRef:
    sha256: str
    name: str  # the original file name, as metadata only: it never becomes a path
    size: int
    type: str
    caption: str = ""

    def to_value(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "type": self.type, "caption": self.caption}


@dataclass(frozen=True)
class Conflict:
    field: str
    values: tuple[tuple[Any, str, str, str], ...]  # (value, author, device, entry hash)


@dataclass(frozen=True)
class Record:
    record_id: str
    site_id: str
    criterion_id: str
    points: float | None = None
    deductions: tuple[int, ...] = ()
    count: int | None = None
    methods: tuple[Method, ...] = ()
    notes: str = ""
    problems: str = ""
    advice: str = ""
    veto: bool = False
    na: str = ""  # why the criterion does not apply here (不适用); empty: it applies
    reason: str = ""  # 扣分理由 for a typed score below the maximum
    self_points: float | None = None  # the unit's 自评得分
    evidence: tuple[EvidenceRef, ...] = ()
    updated_by: str = ""
    updated_at: str = ""  # ISO time of the latest change
    conflicts: tuple[Conflict, ...] = field(default=())
    # (field, stored value as JSON) of fields whose stored value has a type this app never
    # writes (a file edited by hand): the field reads as its default; see core.integrity
    damaged: tuple[tuple[str, str], ...] = ()

    @property
    def scored(self) -> bool:
        """Something was entered that scores it, or it was recorded 不适用 (a count that
        drives deductions is seen by `scoring_rules.outcome`, which knows the criterion)."""
        return self.points is not None or bool(self.deductions) or bool(self.na.strip())

    def assessment(self) -> Assessment:
        return Assessment(self.points, self.deductions, self.count, self.veto, self.problems,
                          self.advice, self.na, self.reason, self.self_points)


@dataclass(frozen=True)
class Site:
    site_id: str
    name: str
    kind: str
    group: str
    removed: bool = False


def _value(fields: Mapping[str, FieldState], name: str, defaults: Mapping[str, Any]) -> Any:
    state = fields.get(name)
    return defaults[name] if state is None else state.value


def record_from_fields(record_id: str, site_id: str, criterion_id: str,
                       fields: Mapping[str, FieldState]) -> Record:
    def get(name: str) -> Any:
        return _value(fields, name, RECORD_DEFAULTS)

    latest = max((s.winner for s in fields.values()), key=lambda e: e.order_key, default=None)
    conflicts = tuple(
        Conflict(name, tuple((e.changes[name].value, e.author, e.device, e.hash)
                             for e in (s.winner, *s.rivals)))
        for name, s in sorted(fields.items()) if s.conflict
    )
    damaged: list[tuple[str, str]] = []

    def typed(name: str) -> Any:
        value = get(name)
        if _VALID[name](value):
            return value
        damaged.append((name, shown_value(value)))
        return RECORD_DEFAULTS[name]

    points = typed("points")
    deductions = typed("deductions")
    methods = typed("methods")
    evidence = []
    for name, state in sorted(fields.items()):
        if name.startswith(EVIDENCE_PREFIX) and state.value is not None:
            try:
                evidence.append(EvidenceRef(name[len(EVIDENCE_PREFIX):], **state.value))
            except TypeError:
                damaged.append((name, shown_value(state.value)))
    return Record(
        record_id=record_id, site_id=site_id, criterion_id=criterion_id,
        points=None if points is None else _to_float(points),
        deductions=tuple(sorted(deductions)),
        count=typed("count"),
        methods=tuple(Method(m) for m in methods if m in Method._value2member_map_),
        notes=typed("notes"), problems=typed("problems"), advice=typed("advice"),
        veto=bool(get("veto")), na=typed("na"), reason=typed("reason"),
        self_points=_optional_float(typed("self_points")),
        evidence=tuple(evidence),
        updated_by=latest.author if latest else "",
        updated_at=latest.hlc.isoformat() if latest else "",
        conflicts=conflicts, damaged=tuple(damaged),
    )


NO_ASSESSMENT = Assessment()  # a record with no fields set: what record_from_fields gives


def assessment_from_fields(fields: Mapping[str, FieldState]) -> Assessment:
    """`record_from_fields(...).assessment()` without building the record: what scoring needs,
    with a damaged value read as its default in the same way (the overview's figures)."""
    if not fields:
        return NO_ASSESSMENT

    def typed(name: str) -> Any:
        state = fields.get(name)
        if state is None:
            return RECORD_DEFAULTS[name]
        return state.value if _VALID[name](state.value) else RECORD_DEFAULTS[name]

    points = typed("points")
    return Assessment(None if points is None else _to_float(points),
                      tuple(sorted(typed("deductions"))), typed("count"),
                      bool(_value(fields, "veto", RECORD_DEFAULTS)), typed("problems"),
                      typed("advice"), typed("na"), typed("reason"),
                      _optional_float(typed("self_points")))


def _optional_float(value: int | float | None) -> float | None:
    return None if value is None else _to_float(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _to_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float: as impossible as infinity
        return float("inf") if value > 0 else float("-inf")


def _optional_number(value: Any) -> bool:
    return value is None or _is_number(value)


def _optional_int(value: Any) -> bool:
    return value is None or _is_int(value)


def _int_list(value: Any) -> bool:
    return isinstance(value, list) and all(map(_is_int, value))


def _text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(m, str) for m in value)


# What a stored value of each typed record field must look like (anything else is damage).
_VALID: dict[str, Callable[[Any], bool]] = {
    "points": _optional_number, "self_points": _optional_number, "count": _optional_int,
    "deductions": _int_list, "methods": _text_list, "notes": _is_text, "problems": _is_text,
    "advice": _is_text, "na": _is_text, "reason": _is_text,
}


def shown_value(value: Any) -> str:
    """A stored value as text for a message (JSON, cut short)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def site_from_fields(site_id: str, fields: Mapping[str, FieldState]) -> Site:
    def get(name: str) -> Any:
        return _value(fields, name, SITE_DEFAULTS)

    return Site(site_id, get("name"), get("kind"), get("group"), bool(get("removed")))

"""The 整改 ledger: each problem found at a site, its 整改时限, who answers for it, and 复查.

A problem is a record with a problem: problems text, a triggered 一票否决 or an unmet target
(`scoring.site_problems`). Its ledger fields are history fields of the entity
`rectify:<record_id>`, kept in the site's file, so they merge and conflict like scores: two
laptops recording different 复查 results for one problem leave an open conflict.

复查 evidence files are attached like a record's, as fields `evidence:<sha256>` of the rectify
entity (so packs and merges carry the files); `Problem.recheck_evidence` lists their SHA-256s.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.errors import InspectError
from inspect_tui.core.history import FieldState
from inspect_tui.core.i18n import t
from inspect_tui.core.iso_date import checked_date, parse_iso_date
from inspect_tui.core.records import EVIDENCE_PREFIX, Record
from inspect_tui.core.scoring import Problem as Finding
from inspect_tui.core.scoring import ProblemKind, site_problems

RECTIFY_PREFIX = "rectify:"


class Status(StrEnum):
    PENDING = "待整改"
    IN_PROGRESS = "整改中"
    DONE = "已整改"
    PASSED = "复查通过"
    FAILED = "复查未通过"


# Statuses whose problem still needs work (and so can be overdue).
OPEN_STATUSES = frozenset({Status.PENDING, Status.IN_PROGRESS, Status.FAILED})
RECHECKED = frozenset({Status.PASSED, Status.FAILED})

# Where a status may go next. 复查 judges finished work, so its result follows 已整改; a 复查
# result may be corrected (通过 <-> 未通过) or withdrawn (back to 已整改); a failed 复查 sends
# the problem back to work. Staying put is always allowed.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PENDING: frozenset({Status.IN_PROGRESS, Status.DONE}),
    Status.IN_PROGRESS: frozenset({Status.PENDING, Status.DONE}),
    Status.DONE: frozenset({Status.IN_PROGRESS, Status.PASSED, Status.FAILED}),
    Status.PASSED: frozenset({Status.DONE, Status.FAILED}),
    Status.FAILED: frozenset({Status.IN_PROGRESS, Status.DONE, Status.PASSED}),
}

# Ledger fields and the value each takes when never set.
RECTIFY_DEFAULTS: dict[str, Any] = {
    "deadline": "", "owner_unit": "", "owner_person": "", "status": Status.PENDING.value,
    "recheck_date": "", "recheck_by": "", "recheck_note": "",
}
DATE_FIELDS = ("deadline", "recheck_date")


@dataclass(frozen=True)
class Problem:
    record_id: str
    site_id: str
    criterion_id: str
    text: str  # the record's problems text (or a generated description if empty)
    advice: str  # 整改建议
    deadline: str = ""  # 整改时限, ISO date
    owner_unit: str = ""  # 责任单位
    owner_person: str = ""  # 责任人
    status: Status = Status.PENDING
    recheck_date: str = ""
    recheck_by: str = ""
    recheck_note: str = ""
    recheck_evidence: tuple[str, ...] = ()  # SHA-256s of the 复查 evidence files, sorted


def rectify_entity(record_id: str) -> str:
    return RECTIFY_PREFIX + record_id


def is_overdue(p: Problem, today: date) -> bool:
    """The deadline has passed and the problem is still open (待整改, 整改中, 复查未通过)."""
    if not p.deadline or p.status not in OPEN_STATUSES:
        return False
    try:
        return parse_iso_date(p.deadline) < today
    except ValueError:  # a damaged value: nothing to compare
        return False


def status_counts(problems: Iterable[Problem]) -> dict[Status, int]:
    """How many problems hold each status (every status present, in ledger order)."""
    counted = Counter(p.status for p in problems)
    return {s: counted.get(s, 0) for s in Status}


def status_label(s: Status) -> str:
    """The status as people read it in the chosen language (the Chinese name is stored)."""
    return t(f"ledger.status.{s.name.lower()}")


def can_move(old: Status, new: Status) -> bool:
    return old == new or new in TRANSITIONS[old]


def parse_status(text: str) -> Status:
    """A status by its Chinese name or its English name (pending, in_progress, …)."""
    text = text.strip()
    for s in Status:
        if text in (s.value, s.name.lower(), s.name):
            return s
    raise InspectError("ledger.bad_status", value=text[:40],
                       known="、".join(s.value for s in Status))


def describe(findings: Iterable[Finding]) -> str:
    """What is wrong, from one record's findings: the inspector's words if written, else a
    sentence made from the veto or the unmet target."""
    found = list(findings)
    for f in found:
        if f.kind is ProblemKind.NOTED:
            return f.text
    for f in found:
        if f.kind is ProblemKind.VETO:
            return t("ledger.generated.veto", title=f.text)
    f = found[0]
    return t("ledger.generated.target", title=f.text, count=f.count, min=f.target_min)


def problem_from_fields(record: Record, text: str, fields: Mapping[str, FieldState]) -> Problem:
    """The ledger entry of `record` (a value of a type never written reads as its default)."""
    def get(name: str) -> str:
        state = fields.get(name)
        ok = state is not None and isinstance(state.value, str)
        return str(state.value) if ok and state is not None else str(RECTIFY_DEFAULTS[name])

    status = get("status")
    evidence = sorted(name[len(EVIDENCE_PREFIX):] for name, s in fields.items()
                      if name.startswith(EVIDENCE_PREFIX) and s.value is not None)
    return Problem(
        record.record_id, record.site_id, record.criterion_id, text, record.advice.strip(),
        get("deadline"), get("owner_unit"), get("owner_person"),
        Status(status) if status in Status._value2member_map_ else Status.PENDING,
        get("recheck_date"), get("recheck_by"), get("recheck_note"), tuple(evidence))


def ledger_problems(checklist: Checklist, kind: str | None, records: Mapping[str, Record],
                    ledger: Mapping[str, Mapping[str, FieldState]]) -> list[Problem]:
    """The site's problems in checklist order; `records` by criterion id, `ledger` the rectify
    fields by record id."""
    by_criterion: dict[str, list[Finding]] = defaultdict(list)
    found = site_problems(checklist, {cid: r.assessment() for cid, r in records.items()}, kind)
    for f in found:
        by_criterion[f.criterion_id].append(f)
    return [problem_from_fields(records[cid], describe(fs), ledger.get(records[cid].record_id, {}))
            for cid, fs in by_criterion.items()]


def clean_problem(old: Problem, values: Mapping[str, Any], *,
                  transitions: bool = True) -> dict[str, Any]:
    """Check ledger fields someone set on `old`: dates in YYYY-MM-DD, a status it may move to
    (unless `transitions` is off), a 复查 result with its 复查 date. InspectError says what is
    wrong."""
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name.startswith(EVIDENCE_PREFIX):  # a 复查 evidence file (None: detached)
            if value is not None and not isinstance(value, dict):
                raise ValueError(f"ledger evidence {name}={value!r}")
            clean[name] = value
        elif name not in RECTIFY_DEFAULTS:
            raise ValueError(f"unknown ledger field {name!r}")
        elif name in DATE_FIELDS:
            clean[name] = checked_date(str(value), f"ledger.field.{name}")
        elif name == "status":
            clean[name] = (value if isinstance(value, Status) else parse_status(str(value))).value
        else:
            clean[name] = str(value).strip()
    new = Status(clean.get("status", old.status))
    if transitions and not can_move(old.status, new):
        raise InspectError("ledger.bad_transition", old=old.status.value, new=new.value,
                           allowed="、".join(s.value for s in Status
                                            if s in TRANSITIONS[old.status]))
    if transitions and new in RECHECKED and not clean.get("recheck_date", old.recheck_date):
        raise InspectError("ledger.recheck_needs_date", status=new.value)
    return clean

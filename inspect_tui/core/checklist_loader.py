"""Read a checklist from TOML and validate it, collecting every problem with its location.

The loader is strict: unknown keys are rejected so a typo (`dedutions`) cannot silently drop
rules. Every problem names where it is (`sections[2].criteria[3] (2.3)`), and the error names
the file, so an author can fix all findings in one pass.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from inspect_tui.core.checklist import (
    Checklist,
    Criterion,
    Deduction,
    GradeBand,
    Method,
    Section,
    Shortfall,
    SourceDoc,
    Target,
)
from inspect_tui.core.errors import ChecklistError
from inspect_tui.core.i18n import t
from inspect_tui.core.records import SiteKind
from inspect_tui.core.rules_check import check_rules
from inspect_tui.safe_read import FileTooLarge, ReadRefused, read_limited

SOURCE_RE = re.compile(r"^(\d{3}) (\S+)$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ITEM_ID_RE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")
MAX_FILE_BYTES = 2 * 1024 * 1024

# Type checks by name, so messages can say what was expected.
_TYPES: dict[str, Callable[[Any], bool]] = {
    "text": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "table": lambda v: isinstance(v, dict),
    "text-list": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}

# key -> (type name, required)
Schema = dict[str, tuple[str, bool]]
TOP: Schema = {
    "id": ("text", True), "title": ("text", True), "version": ("text", True),
    "total": ("number", True), "scoring_note": ("text", True), "sources": ("list", True),
    "grades": ("list", True), "sections": ("list", True), "description": ("text", False),
    "format": ("integer", False), "bonus_cap": ("number", False),
    "site_kinds": ("text-list", False),
}
SOURCE: Schema = {"code": ("text", True), "file": ("text", True), "title": ("text", True)}
GRADE: Schema = {"name": ("text", True), "min": ("number", True), "max": ("number", True)}
SECTION: Schema = {
    "id": ("text", True), "title": ("text", True), "criteria": ("list", True),
    "source": ("text", False), "applies_to": ("text-list", False),
}
CRITERION: Schema = {
    "id": ("text", True), "title": ("text", True), "requirement": ("text", True),
    "guide": ("text", True), "max": ("number", True), "methods": ("text-list", True),
    "source": ("text", True), "evidence": ("text-list", False), "deductions": ("list", False),
    "target": ("table", False), "veto": ("bool", False), "deadline": ("text", False),
    "owners": ("text-list", False), "applies_to": ("text-list", False),
    "deduction_cap": ("number", False), "bonus": ("bool", False), "na": ("bool", False),
}
DEDUCTION: Schema = {
    "reason": ("text", True), "points": ("number", True), "per": ("text", False),
    "cap": ("number", False), "zero": ("bool", False), "veto": ("bool", False),
    "shortfall": ("text", False),
}
TARGET: Schema = {"min": ("integer", True), "unit": ("text", True), "period": ("text", False)}
# Keys of format 2 (the 考核细则 rules): a format-1 file keeps its old meaning, so it may not
# use them; the message says to declare `format = 2`.
V2_ONLY = frozenset({"bonus_cap", "site_kinds", "applies_to", "deduction_cap", "bonus", "na",
                     "per", "cap", "zero", "shortfall"})
V2_ONLY_DEDUCTION = V2_ONLY | {"veto"}
FORMATS = (1, 2)


class _Problems:
    """Collects localised problem lines (and knows the file's format)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.format = 1
        self.v2_keys: list[tuple[str, str]] = []  # (where, key) of format-2 keys in a v1 file

    def add(self, message_key: str, /, **params: Any) -> None:
        self.lines.append(t(message_key, **params))

    def check_table(self, value: Any, schema: Schema, where: str,
                    v2_only: frozenset[str] = V2_ONLY) -> bool:
        """Check keys and types of one table; False if it cannot be used further."""
        if not isinstance(value, dict):
            self.add("chk.not_table", where=where)
            return False
        ok = True
        for key in value:
            if key not in schema:
                self.add("chk.unknown_key", where=where, key=key)
            elif key in v2_only and self.format < 2:
                self.v2_keys.append((where, key))
        for key, (type_name, required) in schema.items():
            if key not in value:
                if required:
                    # A missing citation gets its own message: it says what a source looks like.
                    missing = "chk.missing_source" if key == "source" else "chk.missing_key"
                    self.add(missing, where=where, key=key)
                    ok = False
                continue
            item = value[key]
            if not _TYPES[type_name](item):
                self.add("chk.type", where=where, key=key,
                         expected=t(f"type.{type_name}"), actual=_short(item))
                ok = False
            elif type_name == "number" and not math.isfinite(item):  # TOML allows nan, inf
                self.add("inputs.chk_not_finite", where=where, key=key, actual=_short(item))
                ok = False
            elif type_name == "text" and required and not item.strip():
                self.add("chk.empty", where=where, key=key)
                ok = False
        return ok


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def load_checklist(path: str | Path) -> Checklist:
    """Read and validate a checklist file; raise ChecklistError listing every problem."""
    return parse_checklist(read_checklist_bytes(path), str(path))


def read_checklist_bytes(path: str | Path) -> bytes:
    """A checklist file's bytes (a regular file of at most MAX_FILE_BYTES); ChecklistError."""
    path = Path(path)
    try:
        return read_limited(path, MAX_FILE_BYTES)
    except FileTooLarge:
        too_large = t("chk.too_large", limit=MAX_FILE_BYTES // 1024)
        raise ChecklistError(str(path), [too_large]) from None
    except ReadRefused as exc:  # a FIFO, a device, a folder
        raise ChecklistError(str(path), [exc.reason]) from None
    except OSError as exc:
        raise ChecklistError(str(path), [t("chk.unreadable", reason=exc.strerror or exc)]) from None


def parse_checklist(data: bytes, name: str) -> Checklist:
    """Parse checklist bytes (`name` is used in messages); the hash covers exactly these bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ChecklistError(name, [t("chk.not_utf8", offset=exc.start)]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ChecklistError(name, [_syntax_message(str(exc))]) from None
    except RecursionError:  # tomllib recurses per nesting level; a hostile file nests deeply
        raise ChecklistError(name, [t("chk.too_deep")]) from None
    problems = _Problems()
    checklist = _build(raw, problems)
    if problems.v2_keys:  # one line for all of them: a missing `format = 2` is one mistake
        where, key = problems.v2_keys[0]
        keys = "、".join(sorted({k for _, k in problems.v2_keys}))
        problems.add("rules.v2_key", where=where, key=key, keys=keys,
                     count=len(problems.v2_keys))
    if problems.lines or checklist is None:
        raise ChecklistError(name, problems.lines)
    return _with_hash(checklist, hashlib.sha256(data).hexdigest())


def _syntax_message(detail: str) -> str:
    match = re.search(r"\(at line (\d+), column (\d+)\)", detail)
    if match:
        reason = detail[: match.start()].strip()
        return t("chk.syntax", line=match.group(1), col=match.group(2), detail=reason)
    return t("chk.syntax_noline", detail=detail)


def _with_hash(c: Checklist, digest: str) -> Checklist:
    return replace(c, content_hash=digest, _index={})


def _build(raw: dict[str, Any], p: _Problems) -> Checklist | None:
    top = t("chk.where_top")
    fmt = raw.get("format", 1) if isinstance(raw, dict) else 1
    if fmt not in FORMATS or isinstance(fmt, bool):
        p.add("rules.bad_format", value=_short(fmt), known="、".join(map(str, FORMATS)))
        return None
    p.format = fmt
    if not p.check_table(raw, TOP, top):
        return None
    if not ID_RE.match(raw["id"]):
        p.add("chk.bad_checklist_id", value=raw["id"])
    sources = _sources(raw["sources"], p)
    codes = {s.code for s in sources}
    total = float(raw["total"])
    if total <= 0:
        p.add("chk.total_nonpositive", value=raw["total"])
    grades = _grades(raw["grades"], total, p)
    kinds = _site_kinds(raw.get("site_kinds", []), top, p)
    sections = _sections(raw["sections"], codes, kinds, p)
    if sections:
        declared = round(sum(s.max for s in sections), 6)
        if abs(declared - total) > 1e-6:
            p.add("chk.total_mismatch", sum=_num(declared), total=_num(total))
    bonus_cap = raw.get("bonus_cap")
    has_bonus = any(c.bonus for s in sections for c in s.criteria)
    if bonus_cap is not None and bonus_cap <= 0:
        p.add("rules.bonus_cap_nonpositive", value=_num(bonus_cap))
    if has_bonus and bonus_cap is None:
        p.add("rules.bonus_without_cap")
    return Checklist(
        id=raw["id"], title=raw["title"], version=raw["version"], total=total,
        scoring_note=raw["scoring_note"], sources=tuple(sources), grades=tuple(grades),
        sections=tuple(sections), format=fmt,
        bonus_cap=None if bonus_cap is None else float(bonus_cap), site_kinds=tuple(kinds),
    )


def _site_kinds(names: list[str], where: str, p: _Problems,
                allowed: Sequence[str] = ()) -> list[str]:
    """Site kinds named in `site_kinds` or `applies_to`: known ones, within `allowed`."""
    known = allowed or [k.value for k in SiteKind]
    for name in names:
        if name not in known:
            p.add("rules.unknown_kind", where=where, kind=name, known="、".join(known))
    return [n for n in names if n in known]


def _num(x: float) -> str:
    return f"{x:g}"


def _sources(items: list[Any], p: _Problems) -> list[SourceDoc]:
    out: list[SourceDoc] = []
    if not items:
        p.add("chk.no_sources")
    for i, item in enumerate(items, 1):
        where = f"sources[{i}]"
        if p.check_table(item, SOURCE, where):
            if not re.fullmatch(r"\d{3}", item["code"]):
                p.add("chk.bad_source_code", where=where, value=item["code"])
            out.append(SourceDoc(item["code"], item["file"], item["title"]))
    return out


def _grades(items: list[Any], total: float, p: _Problems) -> list[GradeBand]:
    bands: list[GradeBand] = []
    for i, item in enumerate(items, 1):
        where = f"grades[{i}]"
        if p.check_table(item, GRADE, where):
            band = GradeBand(item["name"], float(item["min"]), float(item["max"]))
            if band.min >= band.max:
                p.add("chk.grade_empty", where=where, name=band.name,
                      min=_num(band.min), max=_num(band.max))
            else:
                bands.append(band)
    if not items:
        p.add("chk.no_grades")
        return bands
    ordered = sorted(bands, key=lambda b: b.min)
    if ordered and ordered[0].min != 0:
        p.add("chk.grades_start", name=ordered[0].name, min=_num(ordered[0].min))
    if ordered and ordered[-1].max != total:
        p.add("chk.grades_end", name=ordered[-1].name, max=_num(ordered[-1].max),
              total=_num(total))
    for lower, upper in pairwise(ordered):
        if upper.min > lower.max:
            p.add("chk.grades_gap", a=lower.name, b=upper.name,
                  lo=_num(lower.max), hi=_num(upper.min))
        elif upper.min < lower.max:
            p.add("chk.grades_overlap", a=lower.name, b=upper.name,
                  lo=_num(upper.min), hi=_num(min(lower.max, upper.max)))
    # Highest band first: that is how people read a grade table.
    return sorted(bands, key=lambda b: -b.min)


def _sections(items: list[Any], codes: set[str], kinds: list[str],
              p: _Problems) -> list[Section]:
    if not items:
        p.add("chk.no_sections")
    sections: list[Section] = []
    seen_sections: dict[str, str] = {}
    seen_criteria: dict[str, str] = {}
    for i, item in enumerate(items, 1):
        where = f"sections[{i}]"
        if not p.check_table(item, SECTION, where):
            continue
        sid = item["id"]
        if sid in seen_sections:
            p.add("chk.duplicate_section", where=where, id=sid, first=seen_sections[sid])
        seen_sections.setdefault(sid, where)
        if "source" in item:
            _check_source(item["source"], codes, where, p)
        if not item["criteria"]:
            p.add("chk.no_criteria", where=f"{where} ({sid})")
        section_kinds = _site_kinds(item.get("applies_to", []), where, p, kinds)
        criteria = []
        for j, raw_c in enumerate(item["criteria"], 1):
            c_where = f"{where}.criteria[{j}]"
            criterion = _criterion(raw_c, codes, c_where, p, section_kinds or kinds)
            if criterion is None:
                continue
            if criterion.id in seen_criteria:
                p.add("chk.duplicate_criterion", where=f"{c_where} ({criterion.id})",
                      id=criterion.id, first=seen_criteria[criterion.id])
            seen_criteria.setdefault(criterion.id, c_where)
            criteria.append(criterion)
        sections.append(Section(sid, item["title"], tuple(criteria), item.get("source", "")))
    return sections


def _check_source(source: str, codes: set[str], where: str, p: _Problems) -> None:
    match = SOURCE_RE.match(source.strip())
    if not match:
        p.add("chk.bad_source", where=where, value=source)
    elif codes and match.group(1) not in codes:
        p.add("chk.unknown_source_code", where=where, code=match.group(1),
              known="、".join(sorted(codes)))


def _criterion(raw: Any, codes: set[str], where: str, p: _Problems,
               kinds: list[str]) -> Criterion | None:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        where = f"{where} ({raw['id']})"
    if not p.check_table(raw, CRITERION, where):
        return None
    if not ITEM_ID_RE.match(raw["id"]):
        p.add("chk.bad_item_id", where=where, value=raw["id"])
    max_score = float(raw["max"])
    if max_score <= 0:
        p.add("chk.max_nonpositive", where=where, value=_num(max_score))
    methods: list[Method] = []
    for m in raw["methods"]:
        try:
            methods.append(Method(m))
        except ValueError:
            p.add("chk.unknown_method", where=where, method=m,
                  known="、".join(x.value for x in Method))
    if not raw["methods"]:
        p.add("chk.no_methods", where=where)
    _check_source(raw["source"], codes, where, p)
    deductions = _deductions(raw.get("deductions", []), max_score, where, p)
    target = _target(raw.get("target"), where, p)
    criterion = Criterion(
        id=raw["id"], title=raw["title"], requirement=raw["requirement"], guide=raw["guide"],
        max=max_score, methods=tuple(methods), source=raw["source"].strip(),
        evidence=tuple(raw.get("evidence", ())), deductions=tuple(deductions), target=target,
        veto=raw.get("veto", False), deadline=raw.get("deadline", ""),
        owners=tuple(raw.get("owners", ())),
        applies_to=tuple(_site_kinds(raw.get("applies_to", []), where, p, kinds) or kinds),
        deduction_cap=_optional(raw, "deduction_cap"), bonus=raw.get("bonus", False),
        format=p.format,
    )
    na = raw.get("na")
    for key, params in check_rules(criterion, na):
        p.add(key, where=where, **params)
    return replace(criterion, na_allowed=not criterion.can_veto if na is None else na)


def _optional(raw: dict[str, Any], key: str) -> float | None:
    value = raw.get(key)
    return None if value is None else float(value)


def _deductions(items: list[Any], max_score: float, where: str, p: _Problems) -> list[Deduction]:
    out = []
    for k, item in enumerate(items, 1):
        d_where = f"{where}.deductions[{k}]"
        if not p.check_table(item, DEDUCTION, d_where, V2_ONLY_DEDUCTION):
            continue
        points = float(item["points"])
        if points <= 0:
            p.add("chk.deduction_nonpositive", where=d_where, points=_num(points))
        elif points > max_score > 0:
            p.add("chk.deduction_exceeds", where=d_where, reason=item["reason"],
                  points=_num(points), max=_num(max_score))
        shortfall = item.get("shortfall", "")
        if shortfall not in [s.value for s in Shortfall]:
            p.add("rules.bad_shortfall", where=d_where, value=_short(shortfall))
            shortfall = ""
        out.append(Deduction(item["reason"], points, per=item.get("per", "").strip(),
                             cap=_optional(item, "cap"), zero=item.get("zero", False),
                             veto=item.get("veto", False), shortfall=Shortfall(shortfall)))
    return out


def _target(raw: Any, where: str, p: _Problems) -> Target | None:
    if raw is None:
        return None
    t_where = f"{where}.target"
    if not p.check_table(raw, TARGET, t_where):
        return None
    if raw["min"] <= 0:
        p.add("chk.target_min", where=t_where, value=raw["min"])
    return Target(raw["min"], raw["unit"], raw.get("period", ""))

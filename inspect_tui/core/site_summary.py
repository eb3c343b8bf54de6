"""The overview's figures for one site, and the summary that carries them from one start to
the next (store/summary.py reads and writes it).

A summary is derived, never authoritative. Each site's figures are stamped with the digest of
the bytes of the site file they were computed from and the site's kind; the summary as a whole
with the inspection (id and identity), its checklist's hash and the code that computes figures
(SUMMARY_VERSION and a digest of the core sources). Whatever does not match — another
inspection, a changed checklist, other code, a changed file, a malformed document — means
"compute that site again", never an error.

Figures computed from one site's file equal the whole inspection's only while every entry sits
where the app puts it (see `in_place`): then a site's records have no entry outside its file,
and no site file holds what inspection.json holds. A summary is used and written only then.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.history import FieldState
from inspect_tui.core.records import assessment_from_fields
from inspect_tui.core.scoring import Assessment, SiteResult, site_result
from inspect_tui.core.site_files import SITE_FILE_KINDS

SUMMARY_FORMAT = "inspect-tui/overview-summary"
SUMMARY_VERSION = 2  # bump when what a summary holds, or how figures are computed, changes
NO_FILE = ""  # the digest of a site that has no file yet (nothing recorded)
_HEX32 = re.compile(r"[0-9a-f]{32}").fullmatch  # fullmatch: no trailing newline either

Fields = Mapping[str, Mapping[str, FieldState]]  # entity -> field -> state (a fold)


@dataclass(frozen=True)
class SiteFigures:
    """What the overview shows of a site's result."""

    scored: int
    count: int
    total: float
    grade: str | None
    problems: int

    @classmethod
    def of(cls, result: SiteResult) -> SiteFigures:
        return cls(result.scored, result.count, result.total, result.grade,
                   len(result.problems))


@dataclass(frozen=True)
class SummaryKey:
    """What every figure in a summary depends on besides its site's file and kind."""

    inspection: str
    uid: str  # "" for an inspection made before identities
    checklist: str  # the pinned checklist's content hash
    code: str  # SUMMARY_VERSION and the digest of the code computing figures


@dataclass(frozen=True)
class CachedSite:
    digest: str  # of the site file's bytes the figures come from (NO_FILE: no file)
    kind: str
    figures: SiteFigures


@dataclass(frozen=True)
class ChecklistView:
    """What the overview shows of the checklist, kept so that a later start draws it without
    parsing the checklist (a third of reading the summary): the grades' names in the
    checklist's order (the grade column sorts by it) and, per site kind, the criteria a site
    of that kind is scored on (scores compare like tables). Stamped, as the figures are, by
    the checklist's hash and the code."""

    grades: tuple[str, ...]
    tables: Mapping[str, tuple[str, ...]]  # site kind ("": none) -> criterion ids

    def covers(self, kinds: Iterable[str]) -> bool:
        return all(kind in self.tables for kind in kinds)


def checklist_view(checklist: Checklist, kinds: Iterable[str]) -> ChecklistView:
    return ChecklistView(tuple(g.name for g in checklist.grades),
                         {kind: tuple(c.id for c in checklist.criteria_for(kind or None))
                          for kind in sorted(set(kinds))})


@dataclass(frozen=True)
class Summary:
    files: Mapping[str, str]  # site file name (stem) -> digest of bytes checked `in_place`
    sites: Mapping[str, CachedSite]
    view: ChecklistView | None = None  # None: the checklist is parsed to know


EMPTY = Summary({}, {})


def site_assessments(criteria: Iterable[str], record_id: Callable[[str], str],
                     fields: Fields) -> dict[str, Assessment]:
    """Each criterion's assessment at one site, from the fold (`record_id`: criterion -> id)."""
    none: Mapping[str, FieldState] = {}
    return {cid: assessment_from_fields(fields.get(f"record:{record_id(cid)}", none))
            for cid in criteria}


def site_figures(checklist: Checklist, kind: str, record_id: Callable[[str], str],
                 fields: Fields) -> SiteFigures:
    """The overview's figures of a site of `kind`, exactly as `Inspection.result` gives them."""
    assessments = site_assessments((c.id for c in checklist.criteria), record_id, fields)
    return SiteFigures.of(site_result(checklist, assessments, kind or None))


def in_place(pairs: Iterable[tuple[Any, Any]], site_id: str,
             record_id: Callable[[str], str]) -> bool:
    """Whether every (entity, context) of a site file's entries belongs in that file: a record,
    its 整改 ledger or the visit of this site, under the id the record's criterion gives."""
    for entity, context in pairs:
        if not isinstance(entity, str) or not isinstance(context, Mapping):
            return False
        kind, _, name = entity.partition(":")
        if kind not in SITE_FILE_KINDS or context.get("site") != site_id:
            return False
        if kind == "visit":
            if name != site_id:
                return False
        else:
            criterion = context.get("criterion")
            if not isinstance(criterion, str) or name != record_id(criterion):
                return False
    return True


def main_in_place(entities: Iterable[str]) -> bool:
    """Whether inspection.json holds nothing that belongs in a site's file."""
    return all(entity.partition(":")[0] not in SITE_FILE_KINDS for entity in entities)


# ---- the summary as a JSON document -----------------------------------------------------------

def summary_document(key: SummaryKey, summary: Summary) -> dict[str, Any]:
    doc = {
        "format": SUMMARY_FORMAT, "version": SUMMARY_VERSION, "inspection": key.inspection,
        "uid": key.uid, "checklist": key.checklist, "code": key.code,
        "files": dict(sorted(summary.files.items())),
        "sites": {sid: [s.digest, s.kind, s.figures.scored, s.figures.count,
                        s.figures.total, s.figures.grade, s.figures.problems]
                  for sid, s in sorted(summary.sites.items())},
    }
    if (view := summary.view) is not None:
        doc["view"] = {"grades": list(view.grades),
                       "tables": {kind: list(ids) for kind, ids in sorted(view.tables.items())}}
    return doc


def read_summary(doc: Any, key: SummaryKey) -> Summary:
    """The summary in `doc` if it was made for `key`; EMPTY otherwise. A malformed site entry
    is left out (that site is computed again), whatever else the document holds."""
    if not isinstance(doc, dict):
        return EMPTY
    stamp = {"format": SUMMARY_FORMAT, "version": SUMMARY_VERSION,
             "inspection": key.inspection, "uid": key.uid, "checklist": key.checklist,
             "code": key.code}
    if any(type(doc.get(k)) is not type(v) or doc.get(k) != v for k, v in stamp.items()):
        return EMPTY
    files, sites = doc.get("files"), doc.get("sites")
    if not isinstance(files, dict) or not isinstance(sites, dict):
        return EMPTY
    return Summary({k: v for k, v in files.items() if isinstance(k, str) and _digest(v)},
                   {sid: site for sid, value in sites.items()
                    if isinstance(sid, str) and (site := _cached_site(value)) is not None},
                   _view(doc.get("view")))


def _view(value: Any) -> ChecklistView | None:
    """The checklist view kept in a summary; None if missing or malformed in any way."""
    if not isinstance(value, dict):
        return None
    grades, tables = value.get("grades"), value.get("tables")
    if not _strings(grades) or not isinstance(tables, dict):
        return None
    if not all(isinstance(kind, str) and _strings(ids) for kind, ids in tables.items()):
        return None
    return ChecklistView(tuple(grades), {kind: tuple(ids) for kind, ids in tables.items()})


def _strings(value: Any) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _cached_site(value: Any) -> CachedSite | None:
    if not isinstance(value, list) or len(value) != 7:
        return None
    digest, kind, scored, count, total, grade, problems = value
    if not (_digest(digest) or digest == NO_FILE) or not isinstance(kind, str):
        return None
    if not all(_count(n) for n in (scored, count, problems)) or scored > count:
        return None
    if type(total) not in (int, float) or not math.isfinite(total):
        return None
    if grade is not None and not isinstance(grade, str):
        return None
    return CachedSite(digest, kind, SiteFigures(scored, count, total, grade, problems))


def _count(value: Any) -> bool:
    return type(value) is int and value >= 0


def _digest(value: Any) -> bool:
    return isinstance(value, str) and _HEX32(value) is not None

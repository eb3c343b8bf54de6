"""Build the report model from plain data: inspection, checklist, sites, records, results, history.

Pure: no store, no files. The caller passes a `sign_qr` function that turns a record's
`PayloadFields` into its signed QR text (core.qr_payload.encode_payload with the signer's key),
so this module never holds a private key.

What the report covers: the inspection entity, the chosen sites and their records. Its history
digest commits to every entry about those; each record also carries the digest of its own
entries, inside the record digest its QR code prints.

A site lists the criteria its result was computed on (those that apply to its kind). Every
number and reason comes from core.explain, the same plain data `site result --json` and
`record show --json` print, so the signed report says what the CLI says.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from inspect_tui.core import report as m
from inspect_tui.core.checklist import Checklist, Criterion, Section
from inspect_tui.core.conflicts import OpenConflict
from inspect_tui.core.conflicts import open_conflicts as list_open_conflicts
from inspect_tui.core.errors import InspectError
from inspect_tui.core.explain import criterion_explained, site_explained
from inspect_tui.core.history import Entry, canonical_json, history_digest
from inspect_tui.core.integrity import bad_values
from inspect_tui.core.plain_data import plain
from inspect_tui.core.qr_payload import DIGEST_BYTES, PayloadFields
from inspect_tui.core.record_id import ALPHABET
from inspect_tui.core.records import Record, Site
from inspect_tui.core.report_cover import Letterhead
from inspect_tui.core.scoring import SiteResult, target_status
from inspect_tui.core.scoring_rules import rules_version
from inspect_tui.core.site_files import SITE_FILE_KINDS

REPORT_ID_PREFIX = "RPT-"
QrSigner = Callable[[PayloadFields], str]


class ConflictsOpenError(InspectError):
    """The inspection has unresolved merge conflicts and the lead did not allow them."""


class ImpossibleValueError(InspectError):
    """A record holds a value no criterion allows (see core.integrity): never reported."""


@dataclass(frozen=True)
class SiteData:
    site: Site
    records: Mapping[str, Record]  # criterion id -> record
    result: SiteResult


@dataclass(frozen=True)
class ReportInputs:
    inspection_id: str
    title: str
    team: Sequence[str]
    checklist: Checklist
    sites: Sequence[SiteData]
    entries: Sequence[Entry]  # may hold more than the report covers; it picks its own
    signer: m.Signer
    generated: datetime  # timezone-aware
    allow_conflicts: bool = False
    letterhead: Letterhead = field(default_factory=Letterhead)  # printed; not in report.json


def _covered(entries: Sequence[Entry], site_ids: set[str]) -> list[Entry]:
    def wanted(e: Entry) -> bool:
        if e.entity == "inspection":
            return True
        if e.entity.startswith("site:"):
            return e.entity[5:] in site_ids
        # records, visit details and 整改 ledger entries live with their site: the history
        # digest commits to all of them
        return e.entity.partition(":")[0] in SITE_FILE_KINDS and e.context.get("site") in site_ids

    return [e for e in entries if wanted(e)]


def _ledger_conflicts(inputs: ReportInputs) -> list[OpenConflict]:
    """Open conflicts in the chosen sites' visit details and 整改 ledgers (record conflicts
    are the report's own, see `_conflicts`)."""
    site_ids = {d.site.site_id for d in inputs.sites}
    others = [e for e in _covered(inputs.entries, site_ids)
              if e.entity.partition(":")[0] in SITE_FILE_KINDS
              and not e.entity.startswith("record:")]
    return list_open_conflicts(others)


def _conflicts(sites: Sequence[SiteData]) -> tuple[m.ReportConflict, ...]:
    return tuple(
        m.ReportConflict(r.record_id, r.site_id, r.criterion_id, c.field,
                         tuple(m.ConflictValue(*value) for value in c.values))
        for data in sites for r in data.records.values() for c in r.conflicts
    )


def _record(c: Criterion, r: Record, section: Section, history: Sequence[Entry],
            rules: str, sign_qr: QrSigner, dicts: dict[int, Any]) -> m.ReportRecord:
    """The record, its plain form kept in `dicts` (by id) for the report's JSON."""
    e = criterion_explained(c, r)
    latest = max((x.hlc.wall for x in history), default=0)
    draft = m.ReportRecord(
        record_id=r.record_id, criterion_id=c.id, title=c.title, section_id=section.id,
        section_title=section.title, max=c.max, bonus=c.bonus,
        counts_towards_max=e["counts_towards_max"], score=e["score"], points=r.points,
        deductions=tuple(m.Deduction(i, c.deductions[i].reason, c.deductions[i].points)
                         for i in r.deductions if 0 <= i < len(c.deductions)),
        not_applicable=e["not_applicable"], na_reason=e["na_reason"], lost=e["lost"],
        losses=tuple(m.Loss(**loss) for loss in e["losses"]), reason=r.reason,
        unexplained=e["unexplained"], zeroed=e["zeroed"], capped=e["capped"],
        full_marks_with_target_unmet=e["full_marks_with_target_unmet"],
        self_points=r.self_points,
        methods=tuple(x.value for x in r.methods), count=r.count,
        target=c.target,
        target_status=target_status(c, r.count).value, veto=e["vetoed"],
        notes=r.notes, problems=r.problems, advice=r.advice,
        evidence=tuple(m.Evidence(x.sha256, x.name, x.size, x.type, x.caption)
                       for x in r.evidence),
        updated_by=r.updated_by, updated_at=r.updated_at, time=latest // 1000,
        changes=len(history), history_digest=history_digest(history), digest="", qr="",
    )
    plain_draft = plain(draft)
    digest = m.record_digest_hex(plain_draft)
    fields = PayloadFields(r.record_id, r.site_id, c.id, draft.score, draft.time,
                           record_digest_from_hex(digest), rules)
    # The draft is this function's own, not yet seen by anyone: its two last fields are
    # filled in place (dataclasses.replace copied all 40 through __init__, a tenth of the
    # report's building).
    object.__setattr__(draft, "digest", digest)
    object.__setattr__(draft, "qr", sign_qr(fields))
    dicts[id(draft)] = plain_draft | {"digest": draft.digest, "qr": draft.qr}
    return draft


def record_digest_from_hex(digest_hex: str) -> bytes:
    """The digest bytes a QR payload carries, from a record's full hex digest."""
    return bytes.fromhex(digest_hex)[:DIGEST_BYTES]


def _site(data: SiteData, checklist: Checklist, history: Mapping[str, list[Entry]],
          sign_qr: QrSigner, dicts: dict[int, Any]) -> m.ReportSite:
    res = data.result
    rules = rules_version(checklist.format)
    why = site_explained(checklist, res, dict(data.records))
    records = tuple(
        _record(c, data.records[c.id], s, history.get(data.records[c.id].record_id, []),
                rules, sign_qr, dicts)
        for s in checklist.sections for c in s.criteria if c.applies(res.kind)
    )
    return m.ReportSite(
        site_id=data.site.site_id, name=data.site.name, kind=data.site.kind,
        group=data.site.group, table=m.SiteTable(**why["table"]),
        base=why["base"], base_max=why["base_max"], converted=why["converted"],
        conversion=why["conversion"]["rule"], bonus=why["bonus"], bonus_cap=why["bonus_cap"],
        total=why["total"], max=why["max"], scored=why["scored"], count=why["criteria"],
        grade=why["grade"], vetoed_by=res.vetoed_by,
        vetoes=tuple(m.Veto(v["criterion"], v["title"], tuple(v["why"]))
                     for v in why["vetoed_by"]),
        not_applicable=tuple(m.NotApplicable(n["criterion"], n["title"], n["reason"])
                             for n in why["not_applicable"]),
        unexplained=tuple(why["unexplained"]),
        sections=res.sections,
        problems=tuple(m.Problem(p.criterion_id, p.kind.value, p.text, p.advice, p.count,
                                 p.target_min) for p in res.problems),
        records=records,
    )


def report_id_for(body: m.Report) -> str:
    """RPT-XXXXX-XXXXX: 50 bits of the SHA-256 of the report's canonical form (id left empty)."""
    return _report_id(asdict(replace(body, report_id="")))


def _report_id(body: dict[str, Any]) -> str:
    digest = hashlib.sha256(canonical_json({**body, "report_id": ""})).digest()
    symbols = base64.b32encode(digest).decode()[:10].translate(
        str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET))
    return f"{REPORT_ID_PREFIX}{symbols[:5]}-{symbols[5:]}"


def open_conflicts(inputs: ReportInputs) -> tuple[m.ReportConflict, ...]:
    """Unresolved conflicts in the chosen sites; ConflictsOpenError unless they are allowed."""
    conflicts = _conflicts(inputs.sites)
    # A 复查 result two laptops disagree on is not signed as if settled either; the report
    # does not carry the ledger, so with --allow-conflicts it is simply left out.
    ledger = _ledger_conflicts(inputs)
    if (conflicts or ledger) and not inputs.allow_conflicts:
        named = [f"{c.record_id}（{c.field}）" for c in conflicts]
        named += [f"{c.entity.partition(':')[2]}（{c.field}）" for c in ledger]
        raise ConflictsOpenError("report.conflicts_open", inspection=inputs.inspection_id,
                                 count=len(named), sample="、".join(named[:3]))
    return conflicts


def check_values(inputs: ReportInputs) -> None:
    """ImpossibleValueError naming the first value no criterion allows, if any."""
    found = [(data.site, c, bad) for data in inputs.sites for c in inputs.checklist.criteria
             if c.id in data.records for bad in bad_values(c, data.records[c.id])]
    if found:
        site, c, bad = found[0]
        raise ImpossibleValueError("integrity.report_bad_value", site=site.name,
                                   criterion=f"{c.id} {c.title}", field=bad.field_name,
                                   value=bad.value, allowed=bad.allowed(c), count=len(found))


def build_report(inputs: ReportInputs, sign_qr: QrSigner) -> m.Report:
    """The report; ConflictsOpenError if conflicts are open and not explicitly allowed,
    ImpossibleValueError if a record holds a value its criterion does not allow."""
    return build_report_json(inputs, sign_qr)[0]


def build_report_json(inputs: ReportInputs, sign_qr: QrSigner) -> tuple[m.Report, bytes]:
    """The report and its bytes, `report_bytes(report)` (each record made plain once: the
    record digests, the report id and the bytes share those dicts)."""
    check_values(inputs)  # defence in depth: whatever the store let through stops here
    conflicts = open_conflicts(inputs)
    covered = _covered(inputs.entries, {d.site.site_id for d in inputs.sites})
    by_record: dict[str, list[Entry]] = defaultdict(list)
    for e in covered:
        if e.entity.startswith("record:"):
            by_record[e.entity[7:]].append(e)
    cl = inputs.checklist
    dicts: dict[int, Any] = {}
    body = m.Report(
        format=m.FORMAT, version=m.VERSION, rules=rules_version(cl.format), report_id="",
        generated=inputs.generated.isoformat(timespec="seconds"),
        inspection_id=inputs.inspection_id, title=inputs.title, team=tuple(inputs.team),
        checklist=m.ChecklistRef(cl.id, cl.title, cl.version, cl.content_hash, cl.total),
        grades=cl.grades,
        signer=inputs.signer,
        inspectors=tuple(sorted({e.author for e in covered if e.author})),
        history=m.HistoryRef(len({e.hash for e in covered}), history_digest(covered)),
        sites=tuple(_site(d, cl, by_record, sign_qr, dicts) for d in inputs.sites),
        conflicts=conflicts,
    )
    plain_body = plain(body, dicts)
    plain_body["report_id"] = _report_id(plain_body)
    return replace(body, report_id=plain_body["report_id"]), canonical_json(plain_body)

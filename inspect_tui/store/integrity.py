"""Does an open inspection's history verify, and which values in it are impossible?

Export refuses an inspection whose chains do not verify (`refuse_unverified`); `site list`,
`lookup` and the app warn about it (`chain_warning`, `value_warnings`). doctor does the full
check of a workspace; these messages point to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from inspect_tui.core.errors import InspectError
from inspect_tui.core.history import ChainProblem, Entry, verify_chains
from inspect_tui.core.i18n import t
from inspect_tui.core.integrity import BadValue, bad_values
from inspect_tui.store.errors import StoreError
from inspect_tui.store.inspection import Inspection


class HistoryAltered(StoreError):
    """The history chains of an inspection do not verify: nothing is exported from it."""


@dataclass(frozen=True)
class ChainFinding:
    path: Path  # the file holding the entry (the inspection folder if it cannot be told)
    problem: ChainProblem

    @property
    def text(self) -> str:
        p = self.problem
        return t(f"doctor.chain_{p.kind}", device=p.device, seq=p.seq)


def locate(insp: Inspection, problems: Sequence[ChainProblem]) -> list[ChainFinding]:
    """Which file each problem's entry sits in (re-reads the open files: call only when there
    are problems, on the thread that owns the inspection)."""
    where: dict[tuple[str, int], Path] = {}
    for db in (insp.main, *insp.site_files.values()):
        try:
            for e in db.entries():
                where.setdefault((e.device, e.seq), db.path)
        except InspectError:
            continue
    return [ChainFinding(where.get((p.device, p.seq), insp.folder), p) for p in problems]


def chain_findings(insp: Inspection, entries: Sequence[Entry] | None = None) -> list[ChainFinding]:
    problems = verify_chains(insp.all_entries() if entries is None else entries)
    return locate(insp, problems) if problems else []


def chain_warning(insp: Inspection, findings: Sequence[ChainFinding]) -> str:
    first = findings[0]
    return t("integrity.chain_warning", inspection=insp.id, path=str(first.path),
             detail=first.text, count=len(findings))


def refuse_unverified(insp: Inspection) -> None:
    """HistoryAltered naming the file and the first entry whose chain does not verify."""
    findings = chain_findings(insp)
    if findings:
        first = findings[0]
        raise HistoryAltered("integrity.export_chain_broken", path=str(first.path),
                             detail=first.text, count=len(findings))


def site_bad_values(insp: Inspection, site_id: str) -> list[BadValue]:
    checklist = insp.checklist
    return [bad for c in checklist.criteria
            for bad in bad_values(c, insp.record(site_id, c.id))]


def value_warning(insp: Inspection, bad: BadValue) -> str:
    c = insp.checklist.criterion(bad.criterion_id)
    try:
        site = insp.site(bad.site_id).name
    except StoreError:  # a record of a site the history never added
        site = bad.site_id
    return t("integrity.value_warning", site=site,
             criterion=f"{c.id} {c.title}", field=bad.field_name, value=bad.value,
             allowed=bad.allowed(c), record=bad.record_id)

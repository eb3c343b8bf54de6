"""The repository for one inspection: sites, records, evidence and history, saved at once.

Everything the TUI and CLI change goes through `Inspection`: each change becomes one history
entry appended durably to one file (the site's file for records, `inspection.json` for sites
and inspection details). Current values are the fold of the history (see core.history).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from inspect_tui.core.checklist import Checklist, Criterion, Method
from inspect_tui.core.checklist_loader import parse_checklist
from inspect_tui.core.errors import ChecklistError, InspectError
from inspect_tui.core.history import (
    Change,
    Entry,
    FieldState,
    fold_fields,
    make_entry,
    non_finite_at,
)
from inspect_tui.core.hlc import ZERO, tick
from inspect_tui.core.i18n import t
from inspect_tui.core.record_id import ALPHABET, make_record_id
from inspect_tui.core.records import (
    EVIDENCE_PREFIX,
    RECORD_DEFAULTS,
    EvidenceRef,
    Record,
    Site,
    SiteKind,
    record_from_fields,
    site_from_fields,
)
from inspect_tui.core.rectification import Problem
from inspect_tui.core.scoring import Assessment, SiteResult, site_result
from inspect_tui.core.site_summary import site_assessments
from inspect_tui.core.visit import Visit
from inspect_tui.store import ledger
from inspect_tui.store.dbfile import DBFile
from inspect_tui.store.durable_storage import ReadOnlyStorage
from inspect_tui.store.errors import CorruptDatabase, StoreError
from inspect_tui.store.evidence import EvidenceStore
from inspect_tui.store.merge_txn import recover

INSPECTION_FORMAT = "inspect-tui/inspection"
SITE_FORMAT = "inspect-tui/site"
INSPECTION_ENTITY = "inspection"
# An inspection's identity: random, minted once at creation, carried by every copy and pack,
# and checked on every merge (two inspections may share an id typed by hand, never a uid).
UID_KEY = "uid"
UID_RE = re.compile(r"^[0-9a-f]{32}$")


# Settings of an inspection used by its documents and QR codes, and their types (the type's
# empty value is the default): 发文机关 issuer, 发文字号 doc_number, 成文日期 doc_date
# (ISO date; empty: the export date), signatories (签发人/检查组 names), verify_url (the office's
# verifier page the record QR codes open).
INSPECTION_SETTINGS: dict[str, type] = {
    "issuer": str, "doc_number": str, "doc_date": str, "signatories": list, "verify_url": str,
}


def inspection_uid(meta: dict[str, Any]) -> str | None:
    """The identity in an inspection.json meta document; None for an inspection made before
    identities existed. ValueError if it is there but malformed."""
    uid = meta.get(UID_KEY)
    if uid is None:
        return None
    if not isinstance(uid, str) or not UID_RE.match(uid):
        raise ValueError(f"malformed inspection identity {str(uid)[:40]!r}")
    return uid


def create_inspection_files(folder: Path, inspection_id: str, title: str,
                            checklist_bytes: bytes, checklist: Checklist) -> None:
    (folder / "sites").mkdir(parents=True)
    meta = {
        "format": INSPECTION_FORMAT, "inspection": inspection_id, "title": title,
        UID_KEY: secrets.token_hex(16),
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "checklist_id": checklist.id, "checklist_version": checklist.version,
        "checklist_hash": checklist.content_hash,
    }
    pinned = {"toml": checklist_bytes.decode("utf-8"), "hash": checklist.content_hash}
    DBFile.create(folder / "inspection.json", meta, {"checklist": [pinned]}).close()


def _site_file_meta(inspection_id: str, site_id: str) -> dict[str, Any]:
    return {"format": SITE_FORMAT, "inspection": inspection_id, "site": site_id}


class Inspection:
    def __init__(self, folder: Path, device: str, author: str, evidence: EvidenceStore,
                 main: DBFile, checklist: Checklist | None,
                 now_ms: Callable[[], int] | None = None) -> None:
        """`checklist` None: the one pinned in `main`, parsed when first asked for."""
        self.folder = folder
        self.device = device
        self.author = author
        self.evidence = evidence
        self.main = main
        self.readonly = main.readonly
        self._checklist = checklist
        self.meta = main.meta
        self.id: str = self.meta["inspection"]
        self.site_files: dict[str, DBFile] = {}
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._entries: dict[str, list[Entry]] = defaultdict(list)  # entity -> entries
        self._fields: dict[str, dict[str, FieldState]] = {}
        self._seq = 0
        self._prev = ""
        self._clock = ZERO
        self._record_ids: dict[tuple[str, str], str] = {}  # derived by hash: computed once

    # ---- loading -------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path, device: str, author: str, evidence: EvidenceStore, *,
             readonly: bool = False) -> Inspection:
        """With `readonly` nothing is ever written (a reader beside the writer: see reader.py)."""
        inspection_id = folder.name
        if not readonly:
            recover(folder)  # finish (journal) or drop (staging only) a merge a crash interrupted
        main = DBFile.open(folder / "inspection.json",
                           {"format": INSPECTION_FORMAT, "inspection": inspection_id},
                           readonly=readonly)
        checklist = _pinned_checklist(main)
        inspection = cls(folder, device, author, evidence, main, checklist)
        inspection._load(inspection._open_site_files())
        return inspection

    @classmethod
    def open_main(cls, folder: Path, evidence: EvidenceStore) -> Inspection:
        """inspection.json alone, read-only: the sites, title and checklist, none of the
        records (the overview's summary needs no more; see store/summary.py). Never written
        through; the caller has already finished any interrupted merge. The checklist is
        parsed only if asked for (the summary needs its hash: `pinned_hash`)."""
        main = DBFile.open(folder / "inspection.json",
                           {"format": INSPECTION_FORMAT, "inspection": folder.name},
                           readonly=True)
        inspection = cls(folder, "", "", evidence, main, None)
        inspection._load(main.entries())
        return inspection

    def _open_site_files(self) -> list[Entry]:
        """Open every site file; returns every entry (inspection.json's and the sites')."""
        entries = self.main.entries()
        for path in sorted((self.folder / "sites").glob("*.json")):
            site_file = DBFile.open(path, _site_file_meta(self.id, path.stem),
                                    readonly=self.readonly)
            self.site_files[path.stem] = site_file
            entries.extend(site_file.entries())
        return entries

    def _load(self, entries: Iterable[Entry]) -> None:
        self._entries.clear()
        all_entries = list(entries)
        for e in all_entries:
            self._entries[e.entity].append(e)
            self._clock = max(self._clock, e.hlc)
            if e.device == self.device and e.seq > self._seq:
                self._seq, self._prev = e.seq, e.hash
        self._fields = fold_fields(all_entries)

    def reload(self) -> None:
        """Re-open every file from disk (after a merge replaced files or added site files).

        Fresh DBFiles rather than re-reads: the storages cache the data and TinyDB caches each
        table's next document id, and the merged files have moved past both.
        """
        self.close()
        self.site_files.clear()
        if not self.readonly:
            recover(self.folder)
        self.main = DBFile.open(self.folder / "inspection.json",
                                {"format": INSPECTION_FORMAT, "inspection": self.id},
                                readonly=self.readonly)
        self._load(self._open_site_files())

    def absorb(self, entries: Iterable[Entry], states: dict[str, dict[str, FieldState]],
               replaced: set[str]) -> None:
        """After a merge committed `entries`: what `reload` gives, without reading and folding
        every history again. `states` is the fold of every entity the entries touch (over the
        whole union); `replaced` the files (relative to the folder) the merge wrote — only
        those are re-opened, the others' storages still hold what is on disk."""
        if "inspection.json" in replaced:
            self.main.close()
            self.main = DBFile.open(self.folder / "inspection.json",
                                    {"format": INSPECTION_FORMAT, "inspection": self.id},
                                    readonly=self.readonly)
        for rel in sorted(replaced - {"inspection.json"}):
            site_id = Path(rel).stem
            if site_id in self.site_files:
                self.site_files.pop(site_id).close()
            self.site_files[site_id] = DBFile.open(self.folder / rel,
                                                   _site_file_meta(self.id, site_id),
                                                   readonly=self.readonly)
        for e in entries:
            self._entries[e.entity].append(e)
            self._clock = max(self._clock, e.hlc)
            if e.device == self.device and e.seq > self._seq:
                self._seq, self._prev = e.seq, e.hash
        self._fields.update(states)

    def close(self) -> None:
        self.main.close()
        for f in self.site_files.values():
            f.close()

    # ---- reading -------------------------------------------------------------------------

    @property
    def checklist(self) -> Checklist:
        if self._checklist is None:
            self._checklist = _pinned_checklist(self.main)
        return self._checklist

    def pinned_hash(self) -> str | None:
        """The pinned checklist's hash if its text is the one inspection.json names (None:
        not; opening it whole says why), without parsing it."""
        docs = self.main.db.table("checklist").all()
        if len(docs) != 1 or not isinstance(text := docs[0].get("toml"), str):
            return None
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return digest if digest == self.meta.get("checklist_hash") else None

    @property
    def title(self) -> str:
        state = self._fields.get(INSPECTION_ENTITY, {}).get("title")
        return str(state.value) if state else str(self.meta.get("title", ""))

    @property
    def uid(self) -> str | None:
        """The identity fixed at creation (None: made before identities; never minted later,
        or two copies of one folder could mint different ones)."""
        try:
            return inspection_uid(self.meta)
        except ValueError as exc:
            raise CorruptDatabase(str(self.main.path), str(exc), None) from None

    @property
    def team(self) -> list[str]:
        state = self._fields.get(INSPECTION_ENTITY, {}).get("team")
        return list(state.value) if state else []

    def sites(self, include_removed: bool = False) -> list[Site]:
        found = []
        for entity, entries in self._entries.items():
            if entity.startswith("site:"):
                site = site_from_fields(entity[5:], self._fields.get(entity, {}))
                if include_removed or not site.removed:
                    found.append((min(e.order_key for e in entries), site))
        return [site for _, site in sorted(found, key=lambda pair: pair[0])]

    def site(self, site_id: str) -> Site:
        entity = f"site:{site_id}"
        if entity not in self._entries:
            raise StoreError("store.no_site", site=site_id, inspection=self.id)
        return site_from_fields(site_id, self._fields.get(entity, {}))

    def record_id(self, site_id: str, criterion_id: str) -> str:
        key = (site_id, criterion_id)
        if (rid := self._record_ids.get(key)) is None:
            rid = self._record_ids[key] = make_record_id(self.id, site_id, criterion_id)
        return rid

    def record(self, site_id: str, criterion_id: str) -> Record:
        rid = self.record_id(site_id, criterion_id)
        return record_from_fields(rid, site_id, criterion_id,
                                  self._fields.get(f"record:{rid}", {}))

    def records(self, site_id: str) -> dict[str, Record]:
        return {c.id: self.record(site_id, c.id) for c in self.checklist.criteria}

    def result(self, site_id: str) -> SiteResult:
        return site_result(self.checklist, self.assessments(site_id),
                           self.site(site_id).kind or None)

    def assessments(self, site_id: str) -> dict[str, Assessment]:
        """`record(...).assessment()` of every criterion, without building the records."""
        return site_assessments((c.id for c in self.checklist.criteria),
                                lambda cid: self.record_id(site_id, cid), self._fields)

    def history(self, site_id: str, criterion_id: str) -> list[Entry]:
        entity = f"record:{self.record_id(site_id, criterion_id)}"
        return sorted(self._entries.get(entity, []), key=lambda e: e.order_key)

    def find_record(self, record_id: str) -> Record | None:
        for e in self._entries.get(f"record:{record_id}", [])[:1]:
            return self.record(e.context["site"], e.context["criterion"])
        return None

    def all_entries(self) -> list[Entry]:
        return [e for entries in self._entries.values() for e in entries]

    def conflicts(self) -> list[Record]:
        out = []
        for site in self.sites():
            out.extend(r for r in self.records(site.site_id).values() if r.conflicts)
        return out

    # ---- writing -------------------------------------------------------------------------

    def _write(self, target: DBFile, entity: str, values: dict[str, Any],
               context: dict[str, str] | None = None) -> Entry | None:
        """Append one entry with the fields that really change; None if nothing does."""
        current = self._fields.get(entity, {})
        changes = {
            name: Change(value, current[name].heads if name in current else ())
            for name, value in values.items()
            if name not in current or current[name].conflict or current[name].value != value
        }
        if not changes:
            return None
        hlc = tick(self._clock, self._now_ms())
        entry = make_entry(device=self.device, seq=self._seq + 1, prev=self._prev, hlc=hlc,
                           author=self.author, entity=entity, changes=changes, context=context)
        target.append(entry)  # raises WriteFailed; then nothing below happens
        self._seq, self._prev, self._clock = entry.seq, entry.hash, hlc
        self._entries[entity].append(entry)
        fields = self._fields.setdefault(entity, {})
        for name, change in changes.items():
            fields[name] = FieldState(change.value, (entry.hash,), entry)
        return entry

    def setting(self, name: str) -> Any:
        """An inspection setting (see INSPECTION_SETTINGS), or its default when never set."""
        state = self._fields.get(INSPECTION_ENTITY, {}).get(name)
        default = INSPECTION_SETTINGS[name]()
        value = state.value if state else default
        return value if isinstance(value, type(default)) else default

    def set_inspection_fields(self, **values: Any) -> None:
        allowed = {"title": str, "team": list, **INSPECTION_SETTINGS}
        for name, value in values.items():
            if name not in allowed or not isinstance(value, allowed[name]):
                raise ValueError(f"inspection field {name}={value!r}")
        self._write(self.main, INSPECTION_ENTITY, values)

    def add_site(self, name: str, kind: str, group: str = "") -> Site:
        self._writable(self.main.path)
        name = name.strip()
        if not name:
            raise StoreError("store.site_name_empty")
        self._check_kind(kind)
        if any(s.name == name for s in self.sites()):
            raise StoreError("store.site_exists", name=name)
        _check_text("inputs.field.site_name", name)
        _check_text("inputs.field.site_group", group)
        site_id = "S" + "".join(secrets.choice(ALPHABET) for _ in range(8))
        path = self.folder / "sites" / f"{site_id}.json"
        site_file = DBFile.create(path, _site_file_meta(self.id, site_id))
        try:
            self._write(self.main, f"site:{site_id}",
                        {"name": name, "kind": kind, "group": group, "removed": False})
        except BaseException:
            # No site entry, so no orphan file: a file no site names would linger forever.
            site_file.close()
            path.unlink(missing_ok=True)
            raise
        self.site_files[site_id] = site_file
        return self.site(site_id)

    def update_site(self, site_id: str, **values: Any) -> Site:
        self.site(site_id)
        if "kind" in values:
            self._check_kind(values["kind"])
        if "name" in values:
            values["name"] = str(values["name"]).strip()
            if not values["name"]:
                raise StoreError("store.site_name_empty")
            _check_text("inputs.field.site_name", values["name"])
        if "group" in values:
            _check_text("inputs.field.site_group", str(values["group"]))
        unknown = set(values) - {"name", "kind", "group", "removed"}
        if unknown:
            raise ValueError(f"unknown site fields {unknown}")
        self._write(self.main, f"site:{site_id}", values)
        return self.site(site_id)

    def _check_kind(self, kind: str) -> None:
        """A site kind this inspection's checklist scores (a kind it has no criteria for would
        be scored 0 of 0)."""
        if kind not in SiteKind._value2member_map_:
            raise StoreError("store.bad_site_kind", kind=kind,
                             known="、".join(k.value for k in SiteKind))
        if not self.checklist.criteria_for(kind):
            scored = [k.value for k in SiteKind if self.checklist.criteria_for(k.value)]
            raise StoreError("store.kind_not_scored", kind=kind, checklist=self.checklist.title,
                             known="、".join(scored))

    def remove_site(self, site_id: str) -> None:
        """Hide a site; its records and history stay (it can be restored)."""
        self.update_site(site_id, removed=True)

    def scorable(self, site_id: str, criterion_id: str) -> Criterion:
        """The criterion, if the site may be scored on it (it exists and applies to the
        site's kind); StoreError saying why not."""
        kind = self.site(site_id).kind
        if not self.checklist.has_criterion(criterion_id):
            raise StoreError("store.no_criterion", criterion=criterion_id,
                             checklist=self.checklist.id)
        criterion = self.checklist.criterion(criterion_id)
        if not criterion.applies(kind or None):
            raise StoreError("rules.not_for_kind", criterion=criterion_id, kind=kind,
                             kinds="、".join(criterion.applies_to))
        return criterion

    def set_fields(self, site_id: str, criterion_id: str, **values: Any) -> Record:
        """Save record fields at once (durably); returns the record as it now stands."""
        criterion = self.scorable(site_id, criterion_id)
        clean = {name: _normalise(name, value, criterion) for name, value in values.items()}
        if str(clean.get("na", "")).strip() and not criterion.na_allowed:
            raise StoreError("rules.na_not_allowed", criterion=criterion_id)
        rid = self.record_id(site_id, criterion_id)
        self._write(self._site_file(site_id), f"record:{rid}", clean,
                    {"site": site_id, "criterion": criterion_id})
        return self.record(site_id, criterion_id)

    def attach_evidence(self, site_id: str, criterion_id: str, source: Path,
                        caption: str = "") -> EvidenceRef:
        self._writable(self.evidence.folder)
        ref = self.evidence.add(Path(source), caption)
        self.set_fields(site_id, criterion_id, **{EVIDENCE_PREFIX + ref.sha256: ref.to_value()})
        return ref

    def caption_evidence(self, site_id: str, criterion_id: str, sha256: str, caption: str) -> None:
        ref = next(e for e in self.record(site_id, criterion_id).evidence if e.sha256 == sha256)
        value = {**ref.to_value(), "caption": caption}
        self.set_fields(site_id, criterion_id, **{EVIDENCE_PREFIX + sha256: value})

    def detach_evidence(self, site_id: str, criterion_id: str, sha256: str) -> None:
        self.set_fields(site_id, criterion_id, **{EVIDENCE_PREFIX + sha256: None})

    # ---- visit details and the 整改 ledger (store/ledger.py) -----------------------------

    def visit(self, site_id: str) -> Visit:
        return ledger.visit(self, site_id)

    def set_visit(self, site_id: str, **fields: Any) -> Visit:
        return ledger.set_visit(self, site_id, fields)

    def problems(self, site_id: str | None = None) -> list[Problem]:
        """The 整改 ledger: every problem of one site, or of every site (checklist order)."""
        return ledger.problems(self, site_id)

    def set_problem(self, record_id: str, **fields: Any) -> Problem:
        return ledger.set_problem(self, record_id, fields)

    def _site_file(self, site_id: str) -> DBFile:
        if site_id not in self.site_files:
            path = self.folder / "sites" / f"{site_id}.json"
            self._writable(path)
            self.site_files[site_id] = DBFile.create(path, _site_file_meta(self.id, site_id))
        return self.site_files[site_id]

    def _writable(self, path: Path) -> None:
        """Refuse before any file is made: a reader never writes (writes to existing files
        are refused by their storage too)."""
        if self.readonly:
            raise ReadOnlyStorage(str(path))


def _pinned_checklist(main: DBFile) -> Checklist:
    docs = main.db.table("checklist").all()
    if len(docs) != 1 or not isinstance(docs[0].get("toml"), str):
        raise CorruptDatabase(str(main.path), "the pinned checklist is missing", None)
    try:
        checklist = parse_checklist(docs[0]["toml"].encode("utf-8"), f"{main.path}#checklist")
    except ChecklistError as exc:
        raise CorruptDatabase(str(main.path), str(exc).splitlines()[0], None) from None
    if checklist.content_hash != main.meta.get("checklist_hash"):
        raise CorruptDatabase(str(main.path), "the pinned checklist does not match its hash",
                              None)
    return checklist


MAX_TIMES = 999  # a rule ticked more often than this is a typing mistake


def _normalise(name: str, value: Any, criterion: Criterion) -> Any:
    """Check and canonicalise one record field value (the same value gives the same bytes)."""
    max_score, n_deductions = criterion.max, len(criterion.deductions)
    if name.startswith(EVIDENCE_PREFIX):
        return value
    if name not in RECORD_DEFAULTS:
        raise ValueError(f"unknown record field {name!r}")
    number = _as_number(value) if name in ("points", "count", "self_points") else value
    if non_finite_at(number, name):  # float("nan") slips through every range check
        raise InspectError("inputs.value_not_finite", field=name, value=str(value)[:40])
    if name in ("points", "self_points"):
        if value is None:
            return None
        points = float(value)
        if not 0 <= points <= max_score:
            raise InspectError("record.points_range", value=f"{points:g}", max=f"{max_score:g}")
        return points
    if name == "deductions":  # a multiset: a rule that repeats is listed once per time
        picked = sorted(int(i) for i in value)
        if any(not 0 <= i < n_deductions for i in picked):
            raise ValueError(f"deduction index out of range: {picked}")
        for i in set(picked):
            times = picked.count(i)
            rule = criterion.deductions[i]
            if times > (MAX_TIMES if rule.repeats else 1):
                raise InspectError("rules.times_range", reason=rule.reason, times=times,
                                   most=MAX_TIMES if rule.repeats else 1)
        return picked
    if name == "count":
        if value is None:
            return None
        if int(value) < 0:
            raise InspectError("record.count_negative", value=value)
        return int(value)
    if name == "methods":
        return sorted(Method(m).value for m in set(value))
    if name == "veto":
        return bool(value)
    _check_text(name, str(value))
    return str(value)


def _as_number(value: Any) -> Any:
    """`value`, with a text such as "nan" or "-inf" read as the float it would become."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _check_text(field: str, value: str) -> None:
    """Refuse text that is not valid Unicode (a lone surrogate): it cannot be saved as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        label = t(field) if field.startswith("inputs.field.") else field
        shown = value.encode("utf-8", "backslashreplace").decode("utf-8")[:80]
        raise StoreError("inputs.text_not_utf8", field=label, shown=shown) from None

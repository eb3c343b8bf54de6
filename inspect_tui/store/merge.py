"""`merge_into`: bring other laptops' work into one inspection, all or nothing.

1. Read every source (workspace folder or pack; see merge_sources): a source of another
   inspection or checklist refuses the whole merge; a damaged one is skipped.
2. Plan the union (core.merge): sources with broken chains, or lacking a good copy of an
   evidence file their new entries attach, are skipped whole.
3. Copy the new evidence files (content-addressed: a crash leaves only harmless extra files).
4. Write the new version of every affected database file into a staging folder, then commit
   them all at once through a journal (see merge_txn); each file is written once.
5. Re-open the inspection, and keep the report in `<inspection>/merges/` if anything changed.
"""

from __future__ import annotations

import contextlib
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from inspect_tui.core import sshsig
from inspect_tui.core.errors import InspectError
from inspect_tui.core.history import ChainProblem, Entry
from inspect_tui.core.i18n import t
from inspect_tui.core.merge import MergePlan, SourceResult, plan_merge, site_file_of
from inspect_tui.safe_read import SIGNERS_LIMIT, ReadRefused, read_limited
from inspect_tui.store.dbfile import SCHEMA
from inspect_tui.store.durable_storage import just_written, read_json_file, serialise
from inspect_tui.store.errors import WriteFailed
from inspect_tui.store.gc_pause import collector_paused
from inspect_tui.store.inspection import Inspection, _site_file_meta
from inspect_tui.store.merge_errors import MergeRefused, SourceSkipped
from inspect_tui.store.merge_report import SKIPPED, MergeReport, SourceReport, fill
from inspect_tui.store.merge_sources import Identity, Source, open_source
from inspect_tui.store.merge_txn import Transaction
from inspect_tui.store.merge_vetter import Vetter
from inspect_tui.store.workspace import Workspace

Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what is being done)
MAX_PROBLEMS_SHOWN = 3
Written = dict[str, tuple[bytes, dict[str, Any]]]  # file (in the inspection) -> new bytes, data


class _Steps:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.done, self.total = progress, 0, total

    def __call__(self, message: str) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total, message)
        self.done += 1

    def finish(self, message: str) -> None:
        self.done = self.total
        if self.progress is not None:
            self.progress(self.total, self.total, message)


def pick_inspection(ws: Workspace, wanted: str | None) -> Inspection:
    ids = ws.inspection_ids()
    if wanted is None and len(ids) != 1:
        raise MergeRefused("merge.pick_inspection", path=str(ws.root), known="、".join(ids) or "-")
    return ws.inspection(wanted or ids[0])


def load_trusted(path: Path | None) -> list[sshsig.AllowedSigner] | None:
    if path is None:
        return None
    try:
        text = read_limited(path, SIGNERS_LIMIT).decode("utf-8")
    except ReadRefused as exc:  # a FIFO, /dev/zero, a folder, or too large
        raise MergeRefused("merge.trusted_unreadable", path=str(path),
                           reason=exc.reason) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MergeRefused("merge.trusted_unreadable", path=str(path),
                           reason=getattr(exc, "strerror", None) or str(exc)) from None
    return sshsig.parse_allowed_signers(text, str(path))


def _skip(report: SourceReport, exc: SourceSkipped) -> None:
    report.status, report.reason = SKIPPED, str(exc)
    report.signature = exc.signature or report.signature


def _problem_text(p: ChainProblem) -> str:
    key = "merge.chain_shape" if p.kind == "shape" else f"doctor.chain_{p.kind}"
    return t(key, device=p.device, seq=p.seq)


def _unusable(insp: Inspection, src: Source, result: SourceResult) -> SourceSkipped | None:
    if result.problems:
        shown = "；".join(_problem_text(p) for p in result.problems[:MAX_PROBLEMS_SHOWN])
        return SourceSkipped("merge.skipped_chain", source=src.label, detail=shown,
                             count=len(result.problems))
    for sha in result.evidence:
        if not insp.evidence.path_of(sha).exists() and not src.has_good(sha):
            return SourceSkipped("merge.skipped_evidence", source=src.label, sha=sha)
    return None


def _plan(insp: Inspection, destination: list[Entry],
          live: list[tuple[SourceReport, Source]]) -> MergePlan:
    """Plan, dropping unusable sources (and planning again without them) until all are good."""
    while True:
        plan = plan_merge(destination, [(s.label, s.entries) for _, s in live], insp.id,
                          [s.vetted for _, s in live])
        bad = {k: why for k, ((_, src), result) in enumerate(zip(live, plan.sources, strict=True))
               if (why := _unusable(insp, src, result)) is not None}
        if not bad:
            return plan
        for k, why in bad.items():
            _skip(live[k][0], why)
        live[:] = [pair for k, pair in enumerate(live) if k not in bad]


def _target(e: Entry) -> str:
    """The file an entry lives in: its site's file for records, visit details and the 整改
    ledger, inspection.json otherwise."""
    site = site_file_of(e)
    return "inspection.json" if site is None else f"sites/{site}.json"


def _current(insp: Inspection, target: str, on_disk: set[str]) -> dict[str, Any] | None:
    """The data of the inspection's file `target` as its storage holds it (the bytes last read
    from or written to disk: the workspace lock keeps other writers out), None if no such file.

    `on_disk`: the site files there are, listed once before staging — asking the disk per file
    while the fsync threads run costs ~0.5 ms a file (each stat waits for the GIL)."""
    site = target[len("sites/"):-len(".json")] if target != "inspection.json" else None
    db = insp.main if site is None else insp.site_files.get(site)
    if db is not None and db.storage is not None:
        return db.storage.peek()
    return read_json_file(insp.folder / target) if target in on_disk else None


def _site_files_on_disk(insp: Inspection) -> set[str]:
    with contextlib.suppress(FileNotFoundError):
        return {f"sites/{name}" for name in os.listdir(insp.folder / "sites")}
    return set()


def _stage(txn: Transaction, insp: Inspection, target: str, docs: list[dict[str, Any]],
           on_disk: set[str]) -> tuple[bytes, dict[str, Any]]:
    """Stage the current file plus `docs` in one write, in TinyDB's layout (each table a map
    of document id to document; new ids follow the largest, as TinyDB's do). Returns the
    bytes staged and the data they hold.

    The current data is taken from memory, not read again, and only looked at: the new data
    shares its documents. The transaction writes and fsyncs the staged files all at once.
    """
    current = _current(insp, target, on_disk)
    if current is None:
        site = target[len("sites/"):-len(".json")]
        data: dict[str, Any] = {"meta": {"1": {**_site_file_meta(insp.id, site),
                                               "schema": SCHEMA}}}
    else:
        data = dict(current)
    history = dict(data.get("history", {}))
    after = max(map(int, history), default=0)
    history.update((str(after + n), doc) for n, doc in enumerate(docs, 1))
    data["history"] = history
    raw = serialise(insp.folder / target, data, json_shaped=True)
    txn.stage_bytes(target, raw)
    return raw, data


def _by_file(entries: Sequence[Entry]) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        groups[_target(e)].append(e)
    return groups


def _apply(insp: Inspection, groups: dict[str, list[Entry]], copies: list[tuple[Source, str]],
           step: _Steps, docs: dict[str, dict[str, Any]]) -> Written:
    """Copy the evidence, stage and commit every file; returns what each file now holds."""
    txn = Transaction(insp.folder)
    copied: list[Path] = []  # evidence files this merge added (nothing references them yet)
    written: Written = {}
    where = insp.evidence.folder
    try:
        for src, sha in copies:
            step(t("merge.progress.evidence", sha=sha[:12]))
            src.copy_evidence(insp.evidence, sha)
            copied.append(insp.evidence.path_of(sha))
        where = insp.folder
        on_disk = _site_files_on_disk(insp)
        for target, entries in sorted(groups.items()):
            step(t("merge.progress.staging", file=target))
            written[target] = _stage(txn, insp, target,  # (docs: made as the plan checked)
                                     [docs.get(e.hash) or e.to_doc() for e in entries], on_disk)
        txn.flush()
        step(t("merge.progress.commit"))
    except BaseException as exc:
        txn.abort()
        for path in copied:  # a refused merge leaves the destination as it was
            with contextlib.suppress(OSError):
                path.unlink()
        if isinstance(exc, OSError | WriteFailed):  # e.g. a full or read-only disk
            reason = exc.params["reason"] if isinstance(exc, WriteFailed) else (
                exc.strerror or str(exc))
            raise MergeRefused("merge.write_failed", path=str(where), reason=reason) from None
        raise
    try:
        txn.commit()
    except OSError as exc:
        raise MergeRefused("merge.write_failed", path=str(insp.folder),
                           reason=exc.strerror or str(exc)) from None
    return written


def _copies(insp: Inspection, live: list[tuple[SourceReport, Source]],
            plan: MergePlan) -> list[tuple[Source, str]]:
    """Which evidence file to copy from which source (each file once, from the first)."""
    entries = {e.entity: e for e in plan.new_entries}
    wanted: dict[str, Source] = {}
    for (report, src), result in zip(live, plan.sources, strict=True):
        mine = [sha for sha in result.evidence
                if sha not in wanted and not insp.evidence.path_of(sha).exists()]
        wanted.update((sha, src) for sha in mine)
        fill(report, result, len(mine), entries)
    return [(src, sha) for sha, src in wanted.items()]


def _read(paths: Sequence[str | Path], reports: list[SourceReport], wanted: Identity,
          trusted: Path | None, step: _Steps, opened: contextlib.ExitStack,
          known: list[sshsig.AllowedSigner] | None,
          vetter: Vetter) -> list[tuple[SourceReport, Source]]:
    signers = load_trusted(trusted)
    live = []
    for report, path in zip(reports, paths, strict=True):
        step(t("merge.progress.reading", source=str(path)))
        try:
            src = open_source(Path(path), wanted, signers, str(trusted or ""), known,
                              vetter.submit)
        except SourceSkipped as exc:
            _skip(report, exc)
            continue
        opened.callback(src.close)
        report.kind, report.author, report.device = src.kind, src.author, src.device
        report.signature, report.signer = src.signature, src.signer
        live.append((report, src))
    return live


def _merge(insp: Inspection, paths: Sequence[str | Path], reports: list[SourceReport],
           trusted: Path | None, step: _Steps,
           known: list[sshsig.AllowedSigner] | None) -> tuple[int, MergePlan, Written]:
    """Read, plan, write; returns (conflicts open after, the plan carried out: nothing was
    written if it has no new entries, the files written). The sources are closed on return."""
    with contextlib.ExitStack() as opened:
        vetter = Vetter(insp.id, len(paths))
        opened.callback(vetter.close)
        live = _read(paths, reports, Identity(insp.id, insp.checklist.content_hash, insp.uid),
                     trusted, step, opened, known, vetter)
        step(t("merge.progress.checking"))
        destination = insp.all_entries()
        plan = _plan(insp, destination, live)
        vetter.close()  # (its answers are in the plan)
        copies = _copies(insp, live, plan)
        groups = _by_file(plan.new_entries)
        step.total += len(copies) + len(groups) + 1
        written = _apply(insp, groups, copies, step, plan.docs) if plan.new_entries else {}
        return len(plan.open_after(destination)), plan, written


def merge_into(ws: Workspace, sources: Sequence[str | Path], *,
               inspection_id: str | None = None, trusted: Path | None = None,
               progress: Progress | None = None,
               known: list[sshsig.AllowedSigner] | None = None) -> MergeReport:
    """Merge every source into the workspace's inspection; see the module docstring.

    `trusted`: only packs signed by someone on that list. Else `known` (the workspace's own
    trusted signers, see trust.py): packs signed by anyone not on it are held back.
    """
    insp = pick_inspection(ws, inspection_id)
    reports = [SourceReport(str(p)) for p in sources]
    step = _Steps(progress, len(sources) + 2)
    # keep: what a merge builds lives as long as the inspection, and un-pausing would make the
    # collector scan all of it at once (~0.4 s for 20,000 entries).
    with collector_paused(keep=True):
        try:
            open_after, plan, written = _merge(insp, sources, reports, trusted, step, known)
        except BaseException:
            with contextlib.suppress(InspectError):
                insp.reload()  # files may have changed under the open ones; recover() settles
            raise
        if plan.new_entries:  # the merged entries and their folded state are in hand already
            # and the files' data: none is read again
            with just_written({insp.folder / rel: data for rel, data in written.items()}):
                insp.absorb(plan.new_entries, plan.states, set(written))
    result = MergeReport(datetime.now().astimezone().isoformat(timespec="seconds"),
                         str(ws.root), insp.id, reports, open_after)
    if result.changed:
        result.save(insp.folder, datetime.now().strftime("%Y%m%d-%H%M%S"))
    step.finish(t("merge.progress.done"))
    return result

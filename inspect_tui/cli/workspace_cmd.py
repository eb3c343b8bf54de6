"""Workspace commands: `inspection`, `site`, `doctor`, `lookup`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_tui.cli import json_out
from inspect_tui.cli.output import console, say, wrapping
from inspect_tui.core.checklist import Criterion
from inspect_tui.core.checklist_loader import read_checklist_bytes
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.integrity import BadValue, bad_values
from inspect_tui.core.record_id import normalize_record_id
from inspect_tui.core.records import Record, Site, SiteKind
from inspect_tui.core.scoring import SiteResult, criterion_score
from inspect_tui.paths import find_checklist
from inspect_tui.store import integrity
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.workspace import Workspace

DEFAULT_WORKSPACE = Path("data")


def workspace_path(args: argparse.Namespace) -> Path:
    return Path(args.workspace) if args.workspace else DEFAULT_WORKSPACE


def pick_inspection(ws: Workspace, wanted: str | None) -> Inspection:
    """The named inspection, or the only one there is."""
    if wanted:
        return ws.inspection(wanted)
    ids = ws.inspection_ids()
    if len(ids) == 1:
        return ws.inspection(ids[0])
    raise InspectError("cli.pick_inspection", path=str(ws.root), known="、".join(ids) or "-")




def add_inspection(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="sub", required=True, metavar=t("cli.meta.command"),
                                parser_class=type(parser))
    listing = sub.add_parser("list", help=t("cmd.inspection.list.help"))
    json_out.add_flag(listing, "json.examples.inspection_list")
    listing.set_defaults(handler=inspection_list)
    new = sub.add_parser("new", help=t("cmd.inspection.new.help"))
    new.add_argument("--checklist", required=True, metavar="ID")
    new.add_argument("--title", required=True)
    new.add_argument("--id", dest="inspection_id")
    new.add_argument("--team", default="", help=t("cli.opt.team"))
    new.set_defaults(handler=inspection_new)
    from inspect_tui.cli.inspection_settings_cmd import add_set  # it imports this module

    add_set(sub)


def inspection_list(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        if json_out.wanted(args):
            json_out.emit("inspection-list", {
                "workspace": str(ws.root),
                "inspections": [_inspection_json(ws.inspection(iid))
                                for iid in ws.inspection_ids()]})
            return 0
        from rich.table import Table  # only for the table: lookup and --json never need it

        table = wrapping(Table(t("col.id"), t("col.title"), t("col.checklist"),
                               t("col.sites")), 0, 2)
        for iid in ws.inspection_ids():
            insp = ws.inspection(iid)
            table.add_row(iid, insp.title, insp.checklist.identity, str(len(insp.sites())))
        console().print(table)
    return 0


def _inspection_json(insp: Inspection) -> dict[str, Any]:
    c = insp.checklist
    return {"id": insp.id, "title": insp.title, "team": insp.team,
            "checklist": {"id": c.id, "title": c.title, "version": c.version,
                          "sha256": c.content_hash, "identity": c.identity},
            "sites": len(insp.sites())}


def inspection_new(args: argparse.Namespace) -> int:
    path = find_checklist(args.checklist)
    if path is None:
        raise InspectError("checklist.not_found", name=args.checklist, known="-")
    team = [x.strip() for x in args.team.replace("，", ",").split(",") if x.strip()]
    data = read_checklist_bytes(path)  # first: a refused file must not leave a workspace made
    with Workspace.open(workspace_path(args)) as ws:
        insp = ws.create_inspection(data, str(path), title=args.title, team=team,
                                    inspection_id=args.inspection_id)
        say(t("cli.inspection_created", id=insp.id, path=str(insp.folder)))
    return 0


def add_site(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inspection", "-i", metavar="ID")
    sub = parser.add_subparsers(dest="sub", required=True, metavar=t("cli.meta.command"),
                                parser_class=type(parser))
    json_out.extend_epilog(parser, t("json.examples.site"))
    listing = sub.add_parser("list", help=t("cmd.site.list.help"))
    json_out.add_flag(listing, "json.examples.site_list")
    listing.set_defaults(handler=site_list)
    add = sub.add_parser("add", help=t("cmd.site.add.help"))
    add.add_argument("name")
    add.add_argument("--kind", required=True, choices=[k.value for k in SiteKind])
    add.add_argument("--group", default="")
    add.set_defaults(handler=site_add)
    rename = sub.add_parser("rename", help=t("cmd.site.rename.help"))
    rename.add_argument("site")
    rename.add_argument("new_name")
    rename.set_defaults(handler=site_rename)
    remove = sub.add_parser("remove", help=t("cmd.site.remove.help"))
    remove.add_argument("site")
    remove.set_defaults(handler=site_remove)
    from inspect_tui.cli.record_cmd import add_site_result  # it imports this module

    add_site_result(sub)
    from inspect_tui.cli.ledger_cmd import add_site_visit

    add_site_visit(sub)


def _site_id(insp: Inspection, name_or_id: str) -> str:
    for site in insp.sites():
        if name_or_id in (site.site_id, site.name):
            return site.site_id
    raise InspectError("cli.no_such_site", site=name_or_id, inspection=insp.id)


def site_list(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        insp = pick_inspection(ws, args.inspection)
        from rich.table import Table

        table = wrapping(Table(t("col.id"), t("col.site"), t("col.kind"), t("col.group"),
                               t("col.progress"), t("col.score"), t("col.grade"),
                               t("col.problems")), 0)
        findings = integrity.chain_findings(insp)
        notes = [integrity.chain_warning(insp, findings)] if findings else []
        rows = []
        for site in insp.sites():
            r = insp.result(site.site_id)
            bad = integrity.site_bad_values(insp, site.site_id)
            notes += [integrity.value_warning(insp, b) for b in bad]
            rows.append(_site_json(site, r, bad))
            table.add_row(site.site_id, site.name, site.kind, site.group,
                          f"{r.scored}/{r.count}", f"{r.total:g}" + (" ⚠" if bad else ""),
                          r.grade or "—", str(len(r.problems)))
        if json_out.wanted(args):
            json_out.emit("site-list", {"workspace": str(ws.root), "inspection": insp.id,
                                        "title": insp.title, "sites": rows,
                                        "warnings": notes})
        else:
            console().print(table)
        for note in notes:  # a score built on an impossible value is never shown as sound
            say(note, err=True)
    return 0


def _site_json(site: Site, r: SiteResult, bad: list[BadValue]) -> dict[str, Any]:
    return {"id": site.site_id, "name": site.name, "kind": site.kind, "group": site.group,
            "scored": r.scored, "criteria": r.count, "complete": r.complete,
            # a total built on an impossible value is flagged, never given as sound
            "total": r.total, "max": r.max, "flagged": [b.record_id for b in bad],
            "grade": r.grade, "vetoed_by": list(r.vetoed_by), "problems": len(r.problems)}


def site_add(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False) as ws:
        site = pick_inspection(ws, args.inspection).add_site(args.name, args.kind, args.group)
        say(t("cli.site_added", name=site.name, id=site.site_id))
    return 0


def site_rename(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False) as ws:
        insp = pick_inspection(ws, args.inspection)
        insp.update_site(_site_id(insp, args.site), name=args.new_name)
    return 0


def site_remove(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False) as ws:
        insp = pick_inspection(ws, args.inspection)
        insp.remove_site(_site_id(insp, args.site))
        say(t("cli.site_removed", site=args.site))
    return 0


def add_doctor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--restore", metavar=t("cli.meta.file"), help=t("cli.opt.restore"))
    json_out.add_flag(parser, "json.examples.doctor")
    parser.set_defaults(handler=doctor)


def doctor(args: argparse.Namespace) -> int:
    from inspect_tui.store.doctor import Level, check_workspace, restore_file

    root = workspace_path(args)
    as_json = json_out.wanted(args)
    restored = None
    notes = []
    if args.restore:
        restored = restore_file(root, Path(args.restore))
        notes.append(t("doctor.restored", path=args.restore, aside=str(restored.aside)))
        if restored.device != restored.old_device:
            notes.append(t("doctor.new_device", device=restored.device,
                           old=restored.old_device))
    for note in notes:
        say(note, err=as_json)  # stdout holds only the document
    findings = check_workspace(root)
    errors = sum(f.level is Level.ERROR for f in findings)
    warnings = sum(f.level is Level.WARNING for f in findings)
    if as_json:
        json_out.emit("doctor", {
            "workspace": str(root), "errors": errors, "warnings": warnings,
            "findings": [{"level": f.level.value, "path": f.path, "message": f.message}
                         for f in findings],
            "restored": None if restored is None else {
                "file": args.restore, "aside": str(restored.aside),
                "device": restored.device, "old_device": restored.old_device}})
    else:
        marks = {Level.ERROR: "✗", Level.WARNING: "!", Level.INFO: "·"}
        for f in findings:
            say(f"{marks[f.level]} {f.path}\n    {f.message}")
        say(t("doctor.summary", path=str(root), errors=errors, warnings=warnings))
    # A restore that succeeded is a success; what doctor still lists (e.g. an entry the
    # backup lacks) is reported above.
    return 1 if errors and restored is None else 0


def add_lookup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("record_ids", nargs="+", metavar="RECORD-ID", help=t("lookup.opt.ids"))
    json_out.add_flag(parser, "json.examples.lookup")
    parser.set_defaults(handler=lookup)


@dataclass(frozen=True)
class _Found:
    insp: Inspection
    site: Site
    criterion: Criterion
    record: Record


def _locate(ws: Workspace, rid: str, index: dict[str, dict[str, tuple[str, str]]]) -> _Found | None:
    """The record `rid` names, with or without history.

    The report prints an ID beside every (site, criterion), scored or not, and IDs are derived
    from (inspection, site, criterion): one never touched has no entry to find it by, so each
    inspection's IDs are derived once (only when a history lookup misses).
    """
    for iid in ws.inspection_ids():
        insp = ws.inspection(iid)
        record = insp.find_record(rid)
        if record is None:
            if iid not in index:
                index[iid] = {insp.record_id(site.site_id, c.id): (site.site_id, c.id)
                              for site in insp.sites(include_removed=True)
                              for c in insp.checklist.criteria}
            if rid not in index[iid]:
                continue
            record = insp.record(*index[iid][rid])
        return _Found(insp, insp.site(record.site_id),
                      insp.checklist.criterion(record.criterion_id), record)
    return None


def _lookup_text(found: _Found, bad: Sequence[BadValue]) -> list[str]:
    insp, c, record = found.insp, found.criterion, found.record
    site = found.site.name
    if found.site.removed:
        site = t("lookup.site_removed", site=site)
    score = criterion_score(c, record.assessment())
    points = t("lookup.unscored") if score is None else f"{score:g}"
    if bad:  # not the clamped score, as if it were sound: the value as stored, flagged
        points = "；".join(t("integrity.value_flag", value=b.value, allowed=b.allowed(c))
                          for b in bad)
    changed = (t("cli.lookup_found", id=record.record_id, inspection=insp.id, site=site,
                 criterion=f"{c.id} {c.title}", updated_by=record.updated_by,
                 updated_at=record.updated_at) if record.updated_at else
               t("lookup.never_changed_line", id=record.record_id, inspection=insp.id,
                 site=site, criterion=f"{c.id} {c.title}"))
    return [changed, t("cli.lookup_detail", points=points, max=f"{c.max:g}",
                       problems=record.problems or "—")]


def _lookup_json(found: _Found, bad: Sequence[BadValue]) -> dict[str, Any]:
    insp, c, r = found.insp, found.criterion, found.record
    score = criterion_score(c, r.assessment())
    return {
        "record_id": r.record_id, "status": "found",
        "inspection": insp.id, "inspection_title": insp.title,
        "site_id": found.site.site_id, "site": found.site.name,
        "site_removed": found.site.removed,
        "criterion_id": c.id, "criterion": c.title, "max": c.max,
        "scored": score is not None and not bad,
        "score": None if bad else score,  # an impossible value has no sound score
        "flags": [{"field": b.field, "value": b.value, "allowed": b.allowed(c)} for b in bad],
        "points": r.points, "deductions": list(r.deductions), "count": r.count,
        "methods": [m.value for m in r.methods], "veto": r.veto,
        "notes": r.notes, "problems": r.problems, "advice": r.advice,
        "evidence": [{"sha256": e.sha256, "name": e.name, "caption": e.caption}
                     for e in r.evidence],
        "updated_by": r.updated_by or None, "updated_at": r.updated_at or None,
        "changes": len(insp.history(r.site_id, c.id)),
    }


def lookup(args: argparse.Namespace) -> int:
    """Every ID is answered on its own: found ones on stdout, the others one paragraph each
    on stderr. Exit 0 when all were found, 1 when one was not, 2 when one is malformed."""
    as_json = json_out.wanted(args)
    results: list[dict[str, Any]] = []
    warnings: list[str] = []
    missing = invalid = 0
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        index: dict[str, dict[str, tuple[str, str]]] = {}
        warned: set[str] = set()
        for text in args.record_ids:
            rid = normalize_record_id(text)
            found = None if rid is None else _locate(ws, rid, index)
            if found is None:
                problem = (t("cli.bad_record_id", value=text) if rid is None else
                           t("cli.record_not_found", id=rid, path=str(ws.root)))
                missing += rid is not None
                invalid += rid is None
                say(t("cli.error_prefix") + problem, err=True)
                results.append({"query": text, "record_id": rid,
                                "status": "invalid" if rid is None else "not_found",
                                "message": problem})
                continue
            bad = bad_values(found.criterion, found.record)
            notes = [integrity.value_warning(found.insp, b) for b in bad]
            if found.insp.id not in warned:
                warned.add(found.insp.id)
                findings = integrity.chain_findings(found.insp)
                notes[:0] = [integrity.chain_warning(found.insp, findings)] if findings else []
            warnings += notes
            if as_json:
                results.append({"query": text, **_lookup_json(found, bad)})
            else:
                for line in _lookup_text(found, bad):
                    say(line)
            for note in notes:
                say(note, err=True)
        root = str(ws.root)
    if as_json:
        json_out.emit("lookup", {"workspace": root, "found": len(results) - missing - invalid,
                                 "not_found": missing, "invalid": invalid,
                                 "records": results, "warnings": warnings})
    if len(args.record_ids) > 1 and missing + invalid:
        say(t("lookup.missing_summary", missing=missing + invalid,
              total=len(args.record_ids)), err=True)
    return 2 if invalid else 1 if missing else 0

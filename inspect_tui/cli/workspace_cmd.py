"""Workspace commands: `inspection`, `site`, `doctor`, `lookup`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from inspect_tui.cli.output import console, say
from inspect_tui.core.checklist_loader import read_checklist_bytes
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.integrity import bad_values
from inspect_tui.core.record_id import normalize_record_id
from inspect_tui.core.records import SiteKind
from inspect_tui.core.scoring import criterion_score
from inspect_tui.paths import find_checklist
from inspect_tui.store import integrity
from inspect_tui.store.doctor import Level, check_workspace, restore_file
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
    sub.add_parser("list", help=t("cmd.inspection.list.help")).set_defaults(
        handler=inspection_list)
    new = sub.add_parser("new", help=t("cmd.inspection.new.help"))
    new.add_argument("--checklist", required=True, metavar="ID")
    new.add_argument("--title", required=True)
    new.add_argument("--id", dest="inspection_id")
    new.add_argument("--team", default="", help=t("cli.opt.team"))
    new.set_defaults(handler=inspection_new)


def inspection_list(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        table = Table(t("col.id"), t("col.title"), t("col.checklist"), t("col.sites"))
        for iid in ws.inspection_ids():
            insp = ws.inspection(iid)
            table.add_row(iid, insp.title, insp.checklist.identity, str(len(insp.sites())))
        console().print(table)
    return 0


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
    sub.add_parser("list", help=t("cmd.site.list.help")).set_defaults(handler=site_list)
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


def _site_id(insp: Inspection, name_or_id: str) -> str:
    for site in insp.sites():
        if name_or_id in (site.site_id, site.name):
            return site.site_id
    raise InspectError("cli.no_such_site", site=name_or_id, inspection=insp.id)


def site_list(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        insp = pick_inspection(ws, args.inspection)
        table = Table(t("col.id"), t("col.site"), t("col.kind"), t("col.group"),
                      t("col.progress"), t("col.score"), t("col.grade"), t("col.problems"))
        findings = integrity.chain_findings(insp)
        notes = [integrity.chain_warning(insp, findings)] if findings else []
        for site in insp.sites():
            r = insp.result(site.site_id)
            bad = integrity.site_bad_values(insp, site.site_id)
            notes += [integrity.value_warning(insp, b) for b in bad]
            table.add_row(site.site_id, site.name, site.kind, site.group,
                          f"{r.scored}/{r.count}", f"{r.total:g}" + (" ⚠" if bad else ""),
                          r.grade or "—", str(len(r.problems)))
        console().print(table)
        for note in notes:  # a score built on an impossible value is never shown as sound
            say(note, err=True)
    return 0


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
    parser.set_defaults(handler=doctor)


def doctor(args: argparse.Namespace) -> int:
    root = workspace_path(args)
    restored = None
    if args.restore:
        restored = restore_file(root, Path(args.restore))
        say(t("doctor.restored", path=args.restore, aside=str(restored.aside)))
        if restored.device != restored.old_device:
            say(t("doctor.new_device", device=restored.device, old=restored.old_device))
    findings = check_workspace(root)
    marks = {Level.ERROR: "✗", Level.WARNING: "!", Level.INFO: "·"}
    for f in findings:
        say(f"{marks[f.level]} {f.path}\n    {f.message}")
    errors = sum(f.level is Level.ERROR for f in findings)
    say(t("doctor.summary", path=str(root), errors=errors,
          warnings=sum(f.level is Level.WARNING for f in findings)))
    # A restore that succeeded is a success; what doctor still lists (e.g. an entry the
    # backup lacks) is reported above.
    return 1 if errors and restored is None else 0


def add_lookup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("record_id", metavar="RECORD-ID")
    parser.set_defaults(handler=lookup)


def lookup(args: argparse.Namespace) -> int:
    rid = normalize_record_id(args.record_id)
    if rid is None:
        raise InspectError("cli.bad_record_id", value=args.record_id)
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        for iid in ws.inspection_ids():
            insp = ws.inspection(iid)
            record = insp.find_record(rid)
            if record is None:
                continue
            c = insp.checklist.criterion(record.criterion_id)
            site = insp.site(record.site_id)
            say(t("cli.lookup_found", id=rid, inspection=iid, site=site.name,
                  criterion=f"{c.id} {c.title}", updated_by=record.updated_by,
                  updated_at=record.updated_at))
            score = criterion_score(c, record.assessment())
            bad = bad_values(c, record)
            points = "—" if score is None else f"{score:g}"
            if bad:  # not the clamped score, as if it were sound: the value as stored, flagged
                points = "；".join(t("integrity.value_flag", value=b.value, allowed=b.allowed(c))
                                  for b in bad)
            say(t("cli.lookup_detail", points=points, max=f"{c.max:g}",
                  problems=record.problems or "—"))
            findings = integrity.chain_findings(insp)
            for note in ([integrity.chain_warning(insp, findings)] if findings else []) + [
                    integrity.value_warning(insp, b) for b in bad]:
                say(note, err=True)
            return 0
    raise InspectError("cli.record_not_found", id=rid, path=str(ws.root))

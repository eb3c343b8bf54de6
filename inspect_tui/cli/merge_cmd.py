"""Team-lead commands: `merge` and `conflicts` (`pack` is in team_cmd)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.table import Table

from inspect_tui.cli import json_out
from inspect_tui.cli.output import console, say, wrapping
from inspect_tui.cli.team_cmd import add_accept, confirm_signers
from inspect_tui.cli.workspace_cmd import pick_inspection, workspace_path
from inspect_tui.core.conflicts import OpenConflict, parse_value, show_value
from inspect_tui.core.i18n import t
from inspect_tui.merge_view import report_notes, report_table, rival_lines
from inspect_tui.store.conflicts import conflicts_of, find_conflict, resolve, where
from inspect_tui.store.errors import StoreError
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.merge import merge_into
from inspect_tui.store.merge_errors import ConflictError
from inspect_tui.store.merge_report import MergeReport
from inspect_tui.store.workspace import Workspace

# ---- merge ------------------------------------------------------------------------------------

def add_merge(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar=t("merge.meta.source"),
                        help=t("merge.opt.sources"))
    parser.add_argument("--into", metavar=t("cli.meta.dir"), help=t("merge.opt.into"))
    parser.add_argument("--inspection", "-i", metavar="ID", help=t("merge.opt.inspection"))
    parser.add_argument("--trusted", metavar=t("cli.meta.file"), help=t("merge.opt.trusted"))
    add_accept(parser)
    json_out.add_flag(parser, "json.examples.merge")
    parser.set_defaults(handler=merge)


def merge(args: argparse.Namespace) -> int:
    root = Path(args.into) if args.into else workspace_path(args)
    sources = [Path(s) for s in args.sources]
    with Workspace.open(root, create=False) as ws:
        # new signers are confirmed (and trusted) before anything is merged
        known = confirm_signers(ws.root, sources, args.accept_signer, strict=bool(args.trusted),
                                quiet=json_out.wanted(args))
        report = merge_into(ws, sources, inspection_id=args.inspection,
                            trusted=Path(args.trusted) if args.trusted else None, known=known)
    if json_out.wanted(args):
        json_out.emit("merge-result", merge_json(report))
        return 1 if report.skipped else 0
    out = console()
    out.print(report_table(report))
    for note in report_notes(report):
        out.print(note)
    return 1 if report.skipped else 0


# ---- conflicts --------------------------------------------------------------------------------

def add_conflicts(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inspection", "-i", metavar="ID", help=t("merge.opt.inspection"))
    parser.set_defaults(handler=conflicts_list)
    sub = parser.add_subparsers(dest="sub", metavar=t("cli.meta.command"),
                                parser_class=type(parser))
    json_out.add_flag(parser, "json.examples.conflicts")
    listing = sub.add_parser("list", help=t("conflict.cmd.list"))
    json_out.add_flag(listing, "json.examples.conflicts", inherited=True)
    listing.set_defaults(handler=conflicts_list)
    r = sub.add_parser("resolve", help=t("conflict.cmd.resolve"))
    r.add_argument("target", metavar=t("conflict.meta.target"))
    r.add_argument("field", metavar=t("conflict.col.field"))
    r.add_argument("value", nargs="?")
    r.add_argument("--pick", type=int, metavar="N", help=t("conflict.opt.pick"))
    r.set_defaults(handler=conflicts_resolve)


def conflicts_list(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        insp = pick_inspection(ws, args.inspection)
        found = conflicts_of(insp)
        if json_out.wanted(args):
            json_out.emit("conflict-list", {
                "workspace": str(ws.root), "inspection": insp.id,
                "conflicts": [conflict_json(insp, c) for c in found]})
            return 0
        if not found:
            say(t("conflict.none"))
            return 0
        # The ID `resolve` takes has a column of its own, kept on one line, never cut.
        table = wrapping(Table(t("conflict.col.target"), t("conflict.col.where"),
                               t("conflict.col.field"), t("conflict.col.values"),
                               title=t("conflict.title", count=len(found)), show_lines=True),
                         0)
        for c in found:
            table.add_row(resolve_target(c), where(insp, c), c.field,
                          "\n".join(rival_lines(c)))
        console().print(table)
    return 0


def resolve_target(c: OpenConflict) -> str:
    """What `conflicts resolve` takes: the record ID, the site ID, or "inspection"."""
    return c.record_id or c.entity.partition(":")[2] or c.entity


def conflict_json(insp: Inspection, c: OpenConflict) -> dict[str, Any]:
    criterion = (insp.checklist.criterion(c.criterion_id).title
                 if c.criterion_id and insp.checklist.has_criterion(c.criterion_id) else None)
    site = None
    if c.site_id:
        try:
            site = insp.site(c.site_id).name
        except StoreError:  # a record of a site the history never added
            site = None
    return {"target": resolve_target(c), "record_id": c.record_id or None,
            "entity": c.entity, "field": c.field, "where": where(insp, c),
            "site_id": c.site_id or None, "site": site,
            "criterion_id": c.criterion_id or None, "criterion": criterion,
            "values": [{"pick": n, "value": r.value, "shown": show_value(r.value, ""),
                        "author": r.author, "device": r.device, "when": r.when,
                        "entry": r.entry} for n, r in enumerate(c.rivals, start=1)]}


def merge_json(report: MergeReport) -> dict[str, Any]:
    """The merge result; `saved_to` is null when nothing new came (no report written)."""
    sources = []
    for s in report.sources:
        item = asdict(s)
        for ref in item["conflicts"]:
            rid = ref["entity"].partition(":")[2] if ref["entity"].startswith("record:") else ""
            ref["record_id"] = rid or None
        sources.append(item)
    return {"workspace": report.workspace, "inspection": report.inspection,
            "created": report.created, "changed": report.changed,
            "skipped": len(report.skipped), "open_conflicts": report.open_conflicts,
            "saved_to": report.saved_to or None, "sources": sources}


def conflicts_resolve(args: argparse.Namespace) -> int:
    if (args.value is None) == (args.pick is None):
        raise ConflictError("conflict.need_value")
    with Workspace.open(workspace_path(args), create=False) as ws:
        insp = pick_inspection(ws, args.inspection)
        conflict = find_conflict(insp, args.target, args.field)
        if args.pick is not None:
            if not 1 <= args.pick <= len(conflict.rivals):
                raise ConflictError("conflict.pick_range", count=len(conflict.rivals))
            value = conflict.rivals[args.pick - 1].value
        else:
            try:
                value = parse_value(args.field, args.value)
            except ValueError as exc:
                raise ConflictError("conflict.bad_value", value=args.value, field=args.field,
                                    reason=str(exc)) from None
        resolve(insp, conflict, value)
        say(t("conflict.resolved", where=where(insp, conflict), field=args.field,
              value=show_value(value, t("conflict.empty"))))
    return 0

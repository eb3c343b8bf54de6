"""Team-lead commands: `merge`, `pack` and `conflicts`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from inspect_tui import keys
from inspect_tui.cli.output import console, say
from inspect_tui.cli.workspace_cmd import pick_inspection, workspace_path
from inspect_tui.core import sshsig
from inspect_tui.core.conflicts import parse_value, show_value
from inspect_tui.core.i18n import t
from inspect_tui.merge_view import report_notes, report_table, rival_lines
from inspect_tui.store.conflicts import conflicts_of, find_conflict, resolve, where
from inspect_tui.store.merge import merge_into
from inspect_tui.store.merge_errors import ConflictError
from inspect_tui.store.pack import PACK_NAMESPACE, Signer, write_pack
from inspect_tui.store.workspace import Workspace

# ---- merge ------------------------------------------------------------------------------------

def add_merge(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar=t("merge.meta.source"),
                        help=t("merge.opt.sources"))
    parser.add_argument("--into", metavar=t("cli.meta.dir"), help=t("merge.opt.into"))
    parser.add_argument("--inspection", "-i", metavar="ID", help=t("merge.opt.inspection"))
    parser.add_argument("--trusted", metavar=t("cli.meta.file"), help=t("merge.opt.trusted"))
    parser.set_defaults(handler=merge)


def merge(args: argparse.Namespace) -> int:
    root = Path(args.into) if args.into else workspace_path(args)
    with Workspace.open(root, create=False) as ws:
        report = merge_into(ws, [Path(s) for s in args.sources], inspection_id=args.inspection,
                            trusted=Path(args.trusted) if args.trusted else None)
    out = console()
    out.print(report_table(report))
    for note in report_notes(report):
        out.print(note)
    return 1 if report.skipped else 0


# ---- pack -------------------------------------------------------------------------------------

def add_pack(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inspection", "-i", metavar="ID", help=t("merge.opt.inspection"))
    parser.add_argument("--out", "-o", required=True, metavar=t("cli.meta.file"),
                        help=t("pack.opt.out"))
    parser.add_argument("--key", metavar="NAME", help=t("pack.opt.key"))
    parser.set_defaults(handler=pack)


def _signer(name: str) -> Signer:
    key = keys.load_private(name, keys.read_passphrase())
    return lambda manifest: sshsig.sign(manifest, key, PACK_NAMESPACE)


def pack(args: argparse.Namespace) -> int:
    sign = _signer(args.key) if args.key else None  # ask for the passphrase before any work
    with Workspace.open(workspace_path(args), create=False) as ws:
        insp = pick_inspection(ws, args.inspection)
        summary = write_pack(insp, Path(args.out), device=ws.device, sign=sign)
    signed = t("pack.signed", name=args.key) if summary.signed else t("pack.unsigned")
    say(t("pack.written", path=summary.path, databases=summary.databases,
          evidence=summary.evidence, size=f"{summary.size / 1024 / 1024:.1f} MB",
          signed=signed))
    return 0


# ---- conflicts --------------------------------------------------------------------------------

def add_conflicts(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inspection", "-i", metavar="ID", help=t("merge.opt.inspection"))
    parser.set_defaults(handler=conflicts_list)
    sub = parser.add_subparsers(dest="sub", metavar=t("cli.meta.command"),
                                parser_class=type(parser))
    sub.add_parser("list", help=t("conflict.cmd.list")).set_defaults(handler=conflicts_list)
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
        if not found:
            say(t("conflict.none"))
            return 0
        table = Table(t("conflict.col.where"), t("conflict.col.field"),
                      t("conflict.col.values"), title=t("conflict.title", count=len(found)),
                      show_lines=True)
        for c in found:
            table.add_row(f"{where(insp, c)}\n{c.record_id or c.entity}", c.field,
                          "\n".join(rival_lines(c)))
        console().print(table)
    return 0


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

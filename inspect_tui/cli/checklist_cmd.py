"""`inspect-tui checklist validate|show|list`: check and read checklist files."""

from __future__ import annotations

import argparse

from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from inspect_tui.cli.output import console, say, wrapping
from inspect_tui.core.checklist import Checklist
from inspect_tui.core.checklist_loader import load_checklist
from inspect_tui.core.errors import ChecklistError, InspectError
from inspect_tui.core.i18n import t
from inspect_tui.paths import find_checklist, shipped_checklists


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="checklist_command", required=True,
                                metavar=t("cli.meta.command"), parser_class=type(parser))
    fmt = argparse.RawDescriptionHelpFormatter
    v = sub.add_parser("validate", help=t("cmd.checklist.validate.help"),
                       epilog=t("cmd.checklist.validate.examples"), formatter_class=fmt)
    v.add_argument("files", nargs="+", metavar=t("cli.meta.file"))
    v.set_defaults(handler=validate)
    s = sub.add_parser("show", help=t("cmd.checklist.show.help"),
                       epilog=t("cmd.checklist.show.examples"), formatter_class=fmt)
    s.add_argument("checklist", metavar="ID")
    s.set_defaults(handler=show)
    ls = sub.add_parser("list", help=t("cmd.checklist.list.help"))
    ls.set_defaults(handler=list_checklists)
    from inspect_tui.cli.checklist_table_cmd import add_table_commands  # import/export/template

    add_table_commands(sub, fmt)


def validate(args: argparse.Namespace) -> int:
    failures = 0
    for name in args.files:
        try:
            c = load_checklist(name)
        except ChecklistError as exc:
            failures += 1
            say(str(exc), err=True)
            continue
        say(t("checklist.valid", path=name, title=c.title, sections=len(c.sections),
              criteria=len(c.criteria), total=f"{c.total:g}", identity=c.identity))
    return 2 if failures else 0


def resolve(name: str) -> Checklist:
    path = find_checklist(name)
    if path is None:
        known = "、".join(p.stem for p in shipped_checklists()) or "-"
        raise InspectError("checklist.not_found", name=name, known=known)
    return load_checklist(path)


def list_checklists(args: argparse.Namespace) -> int:
    table = wrapping(Table(t("col.id"), t("col.title"), t("col.criteria"), t("col.version")), 0)
    for path in shipped_checklists():
        try:
            c = load_checklist(path)
        except ChecklistError as exc:
            say(str(exc), err=True)
            continue
        table.add_row(c.id, c.title, str(len(c.criteria)), c.version)
    console().print(table)
    return 0


def show(args: argparse.Namespace) -> int:
    c = resolve(args.checklist)  # its texts are the file's: plain Text, never markup
    out = console()
    out.print(Text.assemble((c.title, "bold"), f"  ({c.id} v{c.version})"))
    out.print(t("checklist.hash", hash=c.content_hash))
    for src in c.sources:
        out.print(t("checklist.source_line", code=src.code, title=src.title, file=src.file))
    out.print(t("checklist.grades", bands="  ".join(
        f"{g.name} {g.min:g}–{g.max:g}" for g in c.grades)))
    out.print(Text(c.scoring_note, style="dim"))
    tree = Tree(t("checklist.total", total=f"{c.total:g}"))
    for section in c.sections:
        branch = tree.add(Text.assemble((f"{section.id} {section.title}", "bold"),
                                        f"  ({section.max:g})"))
        for cr in section.criteria:
            marks = []
            if cr.target:
                marks.append(t("checklist.target", min=cr.target.min, unit=cr.target.unit,
                               period=cr.target.period))
            if cr.veto:
                marks.append(t("checklist.veto"))
            if cr.deadline:
                marks.append(t("checklist.deadline", deadline=cr.deadline))
            extra = ("  " + "  ".join(marks)) if marks else ""
            node = branch.add(Text.assemble(f"{cr.id} {cr.title}  ", (f"{cr.max:g}", "bold"),
                                            extra))
            node.add(Text(f"{'、'.join(m.value for m in cr.methods)} · {cr.source}",
                          style="dim"))
    out.print(tree)
    return 0

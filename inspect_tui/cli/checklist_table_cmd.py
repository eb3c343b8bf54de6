"""`inspect-tui checklist import|export|template`: 考核评分表 in Excel/WPS, and back."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from inspect_tui.cli.output import say
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.table_grid import report_lines


def add_table_commands(sub: Any, fmt: type) -> None:
    imp = sub.add_parser("import", help=t("cmd.checklist.import.help"), formatter_class=fmt)
    imp.add_argument("table", metavar="TABLE.xlsx")
    imp.add_argument("--sheet", action="append", default=[], metavar="NAME",
                     help=t("ctable.opt.sheet"))
    imp.add_argument("--kind", action="append", default=[], help=t("ctable.opt.kind"))
    imp.add_argument("--id", dest="checklist_id", metavar="ID", help=t("ctable.opt.id"))
    imp.add_argument("--out", required=True, metavar="CHECKLIST.toml", help=t("ctable.opt.out"))
    imp.add_argument("--force", action="store_true", help=t("ctable.opt.force"))
    imp.set_defaults(handler=import_table)
    exp = sub.add_parser("export", help=t("cmd.checklist.export.help"), formatter_class=fmt)
    exp.add_argument("checklist", metavar="ID")
    exp.add_argument("--xlsx", required=True, metavar="OUT.xlsx", help=t("ctable.opt.xlsx"))
    exp.add_argument("--force", action="store_true", help=t("ctable.opt.force"))
    exp.set_defaults(handler=export_table)
    tpl = sub.add_parser("template", help=t("cmd.checklist.template.help"),
                         formatter_class=fmt)
    tpl.add_argument("--xlsx", required=True, metavar="OUT.xlsx", help=t("ctable.opt.xlsx"))
    tpl.add_argument("--force", action="store_true", help=t("ctable.opt.force"))
    tpl.set_defaults(handler=write_template)


def import_table(args: argparse.Namespace) -> int:
    from inspect_tui.xlsx.convert import import_file, write_new

    out = Path(args.out)
    if out.exists() and not args.force:  # said before the table is read
        raise InspectError("ctable.exists", path=str(out))
    imported = import_file(args.table, sheets=args.sheet, kinds=args.kind,
                           checklist_id=args.checklist_id)
    write_new(out, imported.toml, force=args.force)
    c = imported.checklist
    for line in report_lines(imported.notes):
        say(line)
    say(t("ctable.imported", path=str(out), title=c.title, sections=len(c.sections),
          criteria=len(c.criteria), total=f"{c.total:g}",
          rules=sum(len(x.deductions) for x in c.criteria)))
    return 0


def _save(book: Any, path: Path, force: bool) -> None:
    from inspect_tui.xlsx.write import save

    if path.exists() and not force:
        raise InspectError("ctable.exists", path=str(path))
    try:
        save(book, path, force=force)
    except FileExistsError:
        raise InspectError("ctable.exists", path=str(path)) from None
    except OSError as exc:
        raise InspectError("ctable.cannot_write", path=str(path),
                           reason=exc.strerror or exc) from None


def export_table(args: argparse.Namespace) -> int:
    from inspect_tui.cli.checklist_cmd import resolve
    from inspect_tui.xlsx.write import workbook

    checklist = resolve(args.checklist)
    _save(workbook(checklist), Path(args.xlsx), args.force)
    say(t("ctable.exported", path=args.xlsx, criteria=len(checklist.criteria)))
    return 0


def write_template(args: argparse.Namespace) -> int:
    from inspect_tui.xlsx.template import example_checklist
    from inspect_tui.xlsx.write import workbook

    _save(workbook(example_checklist()), Path(args.xlsx), args.force)
    say(t("ctable.template_written", path=args.xlsx))
    return 0

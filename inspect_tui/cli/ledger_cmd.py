"""The 整改 ledger and visit details: `problems [list|set]` and `site visit`.

Listing takes no lock (a reader); setting goes through `Inspection.set_problem`/`set_visit`,
which check dates (YYYY-MM-DD), statuses and their order before anything is saved.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from inspect_tui.cli import json_out
from inspect_tui.cli.output import console, say, wrapping
from inspect_tui.cli.workspace_cmd import _site_id, pick_inspection, workspace_path
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.rectification import (
    Problem,
    is_overdue,
    parse_status,
    status_counts,
    status_label,
)
from inspect_tui.core.visit import Visit
from inspect_tui.store import ledger
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.workspace import Workspace

# `problems set` options and the ledger field each sets
SET_OPTIONS = {"deadline": "deadline", "owner_unit": "owner_unit", "owner": "owner_person",
               "status": "status", "recheck_date": "recheck_date", "recheck_by": "recheck_by",
               "recheck_note": "recheck_note"}
VISIT_OPTIONS = {"date": "date", "inspectors": "inspectors", "contact": "contact",
                 "phone": "contact_phone", "notes": "notes"}


def add_problems(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inspection", "-i", metavar="ID")
    parser.add_argument("--site", help=t("ledger.opt.site"))
    parser.add_argument("--status", help=t("ledger.opt.status_filter"))
    parser.add_argument("--overdue", action="store_true", help=t("ledger.opt.overdue"))
    json_out.add_flag(parser)
    parser.set_defaults(handler=problems_list)
    sub = parser.add_subparsers(dest="sub", metavar=t("cli.meta.command"),
                                parser_class=type(parser))
    put = sub.add_parser("set", help=t("ledger.cmd.set"), epilog=t("ledger.cmd.set_examples"),
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    put.add_argument("record", metavar="RECORD-ID")
    put.add_argument("--deadline", metavar="YYYY-MM-DD", help=t("ledger.opt.deadline"))
    put.add_argument("--owner-unit", help=t("ledger.opt.owner_unit"))
    put.add_argument("--owner", help=t("ledger.opt.owner"))
    put.add_argument("--status", help=t("ledger.opt.status"))
    put.add_argument("--recheck-date", metavar="YYYY-MM-DD", help=t("ledger.opt.recheck_date"))
    put.add_argument("--recheck-by", help=t("ledger.opt.recheck_by"))
    put.add_argument("--recheck-note", help=t("ledger.opt.recheck_note"))
    put.add_argument("--recheck-evidence", action="append", metavar="FILE", type=Path,
                     help=t("ledger.opt.recheck_evidence"))
    json_out.add_flag(put, inherited=True)
    put.set_defaults(handler=problems_set)


def add_site_visit(sub: Any) -> None:
    """`site visit SITE [--date …] …`, registered under `site`."""
    visit = sub.add_parser("visit", help=t("ledger.cmd.visit"))
    visit.add_argument("site")
    visit.add_argument("--date", metavar="YYYY-MM-DD", help=t("ledger.opt.visit_date"))
    visit.add_argument("--inspectors", metavar=t("ledger.meta.names"),
                       help=t("ledger.opt.inspectors"))
    visit.add_argument("--contact", help=t("ledger.opt.contact"))
    visit.add_argument("--phone", help=t("ledger.opt.phone"))
    visit.add_argument("--notes", help=t("ledger.opt.visit_notes"))
    json_out.add_flag(visit)
    visit.set_defaults(handler=site_visit)


# ---- problems ---------------------------------------------------------------------------------

def problems_list(args: argparse.Namespace) -> int:
    today = date.today()
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        insp = pick_inspection(ws, args.inspection)
        site = _site_id(insp, args.site) if args.site else None
        wanted = parse_status(args.status) if args.status else None
        found = [p for p in insp.problems(site)
                 if (wanted is None or p.status == wanted)
                 and (not args.overdue or is_overdue(p, today))]
        if json_out.wanted(args):
            json_out.emit("problem-list", {
                "inspection": insp.id, "today": today.isoformat(),
                "problems": [problem_json(insp, p, today) for p in found],
                "counts": {s.value: n for s, n in status_counts(found).items()},
                "overdue": sum(is_overdue(p, today) for p in found)})
            return 0
        _print_table(insp, found, today)
    return 0


def _print_table(insp: Inspection, found: list[Problem], today: date) -> None:
    if not found:
        say(t("ledger.none"))
        return
    from rich.table import Table

    table = wrapping(Table(t("ledger.col.record"), t("ledger.col.site"),
                           t("ledger.col.criterion"), t("ledger.col.problem"),
                           t("ledger.col.deadline"), t("ledger.col.owner"),
                           t("ledger.col.status"), t("ledger.col.overdue"), show_lines=True),
                     0, 2, 4)
    names = {s.site_id: s.name for s in insp.sites()}
    for p in found:
        table.add_row(p.record_id, names.get(p.site_id, p.site_id), p.criterion_id, p.text,
                      p.deadline or "—", _owner(p) or "—", status_label(p.status),
                      t("ledger.overdue_mark") if is_overdue(p, today) else "")
    console().print(table)
    counts = "，".join(f"{status_label(s)} {n}" for s, n in status_counts(found).items())
    say(t("ledger.summary", count=len(found), counts=counts,
          overdue=sum(is_overdue(p, today) for p in found)))


def _owner(p: Problem) -> str:
    return " ".join(x for x in (p.owner_unit, p.owner_person) if x)


def problem_json(insp: Inspection, p: Problem, today: date) -> dict[str, Any]:
    criterion = insp.checklist.criterion(p.criterion_id)
    evidence = ledger.recheck_evidence(insp, p.record_id) if p.recheck_evidence else []
    return {
        "record_id": p.record_id, "site_id": p.site_id, "site": insp.site(p.site_id).name,
        "criterion_id": p.criterion_id, "criterion": criterion.title,
        "problem": p.text, "advice": p.advice, "deadline": p.deadline or None,
        "owner_unit": p.owner_unit, "owner_person": p.owner_person,
        "status": p.status.value, "status_key": p.status.name.lower(),
        "overdue": is_overdue(p, today),
        "recheck": {"date": p.recheck_date or None, "by": p.recheck_by,
                    "note": p.recheck_note,
                    "evidence": [{"sha256": e.sha256, "name": e.name, "caption": e.caption}
                                 for e in evidence]},
    }


def problems_set(args: argparse.Namespace) -> int:
    values = {field: getattr(args, option) for option, field in SET_OPTIONS.items()
              if getattr(args, option) is not None}
    files = args.recheck_evidence or []
    if not values and not files:
        raise InspectError("ledger.nothing_to_set")
    for path in files:  # before anything is saved: a typo in a path saves nothing
        if not path.is_file():
            raise InspectError("evidence.missing_source", path=str(path))
    with Workspace.open(workspace_path(args), create=False) as ws:
        insp = pick_inspection(ws, args.inspection)
        p = insp.set_problem(args.record, **values) if values else ledger.problem(
            insp, args.record)
        for path in files:
            ledger.attach_recheck_evidence(insp, p.record_id, path)
        p = ledger.problem(insp, p.record_id)
        today = date.today()
        if json_out.wanted(args):
            json_out.emit("problem", problem_json(insp, p, today))
        else:
            say(t("ledger.saved", record=p.record_id, status=status_label(p.status),
                  deadline=p.deadline or "—", owner=_owner(p) or "—"))
    return 0


# ---- site visit -------------------------------------------------------------------------------

def site_visit(args: argparse.Namespace) -> int:
    values = {field: getattr(args, option) for option, field in VISIT_OPTIONS.items()
              if getattr(args, option) is not None}
    with Workspace.open(workspace_path(args), create=False, readonly=not values) as ws:
        insp = pick_inspection(ws, args.inspection)
        site = insp.site(_site_id(insp, args.site))
        visit = insp.set_visit(site.site_id, **values) if values else insp.visit(site.site_id)
        if json_out.wanted(args):
            json_out.emit("site-visit", {"inspection": insp.id, "site_id": site.site_id,
                                         "site": site.name, **visit_json(visit)})
            return 0
        _print_visit(site.name, visit)
    return 0


def visit_json(v: Visit) -> dict[str, Any]:
    return {"date": v.date or None, "inspectors": list(v.inspectors), "contact": v.contact,
            "contact_phone": v.contact_phone, "notes": v.notes}


def _print_visit(name: str, v: Visit) -> None:
    say(t("ledger.visit.head", site=name))
    empty = t("ledger.visit.empty")
    for key, value in (("date", v.date), ("inspectors", "、".join(v.inspectors)),
                       ("contact", v.contact), ("phone", v.contact_phone),
                       ("notes", v.notes)):
        say(f"  {t(f'ledger.visit.{key}')}：{value or empty}")

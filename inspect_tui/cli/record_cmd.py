"""Scriptable scoring: `record set`, `record show` and `site result`.

Everything the scoring screen can set is settable here, through the same store checks
(ranges, 不适用 rules, site kinds); under the format-2 rules a typed score below the maximum
needs a reason, as in the 考核细则. Readers (`show`, `result`) take no lock.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import fields, replace
from typing import Any

from inspect_tui.cli import json_out
from inspect_tui.cli.output import say
from inspect_tui.cli.workspace_cmd import _site_id, pick_inspection, workspace_path
from inspect_tui.core.checklist import Criterion, Method
from inspect_tui.core.errors import InspectError
from inspect_tui.core.explain import criterion_explained, site_explained
from inspect_tui.core.i18n import t
from inspect_tui.core.scoring_rules import RULES_V2, Assessment, outcome, rules_version
from inspect_tui.store.workspace import Workspace


def add_record(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inspection", "-i", metavar="ID")
    sub = parser.add_subparsers(dest="sub", required=True, metavar=t("cli.meta.command"),
                                parser_class=type(parser))
    put = sub.add_parser("set", help=t("record.cmd.set"), epilog=t("record.cmd.set_examples"),
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    _where(put)
    put.add_argument("--points", metavar="P", help=t("record.opt.points"))
    put.add_argument("--count", metavar="N", help=t("record.opt.count"))
    put.add_argument("--deduct", action="append", metavar="RULE[:TIMES]",
                     help=t("record.opt.deduct"))
    put.add_argument("--bonus", action="append", metavar="ITEM[:TIMES]",
                     help=t("record.opt.bonus"))
    put.add_argument("--no-deductions", action="store_true", help=t("record.opt.no_deduct"))
    put.add_argument("--na", metavar=t("record.meta.reason"), help=t("record.opt.na"))
    put.add_argument("--applies", action="store_true", help=t("record.opt.applies"))
    put.add_argument("--reason", help=t("record.opt.reason"))
    put.add_argument("--self", dest="self_points", metavar="P", help=t("record.opt.self"))
    put.add_argument("--veto", action=argparse.BooleanOptionalAction, default=None,
                     help=t("record.opt.veto"))
    put.add_argument("--method", action="append", choices=[m.value for m in Method],
                     help=t("record.opt.method"))
    for name in ("notes", "problems", "advice"):
        put.add_argument(f"--{name}", help=t(f"record.opt.{name}"))
    json_out.add_flag(put)
    put.set_defaults(handler=record_set)
    show = sub.add_parser("show", help=t("record.cmd.show"))
    _where(show)
    json_out.add_flag(show)
    show.set_defaults(handler=record_show)


def add_site_result(sub: Any) -> None:
    """`site result SITE [--json]`, registered under `site`."""
    result = sub.add_parser("result", help=t("record.cmd.result"))
    result.add_argument("site")
    json_out.add_flag(result)
    result.set_defaults(handler=site_result)


def _where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=t("record.opt.site"))
    parser.add_argument("--criterion", required=True, metavar="ID")


def _number(text: str, what: str) -> float | None:
    if text.strip().lower() in ("", "none", "无"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise InspectError("record.not_a_number", option=what, value=text) from None
    return value


def _ticks(c: Criterion, specs: list[str], bonus: bool) -> list[int]:
    """`RULE[:TIMES]` → rule indices, once per time. RULE is the rule's number (as `record
    show` lists it) or its reason text."""
    if c.bonus != bonus:
        raise InspectError("record.bonus_option" if bonus else "record.deduct_on_bonus",
                           criterion=c.id)
    picked: Counter[int] = Counter()
    for spec in specs:
        rule, _, times = spec.rpartition(":") if ":" in spec else (spec, "", "1")
        index = _rule_index(c, rule.strip())
        if not times.strip().isdigit() or int(times) < 1:
            raise InspectError("record.bad_times", spec=spec)
        picked[index] += int(times)
    return sorted(picked.elements())


def _rule_index(c: Criterion, rule: str) -> int:
    if rule.isdigit() and 1 <= int(rule) <= len(c.deductions):
        return int(rule) - 1
    for i, d in enumerate(c.deductions):
        if d.reason == rule:
            return i
    known = "；".join(f"{i}. {d.reason}" for i, d in enumerate(c.deductions, 1)) or "-"
    raise InspectError("record.no_such_rule", criterion=c.id, rule=rule, known=known)


def _values(args: argparse.Namespace, c: Criterion) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if args.points is not None:
        values["points"] = _number(args.points, "--points")
    if args.count is not None:
        count = _number(args.count, "--count")
        if count is not None and not count.is_integer():
            raise InspectError("record.not_a_count", value=args.count)
        values["count"] = None if count is None else int(count)
    if args.no_deductions:
        values["deductions"] = []
    for specs, bonus in ((args.deduct, False), (args.bonus, True)):
        if specs:
            values["deductions"] = _ticks(c, specs, bonus)
    if args.na is not None and args.applies:
        raise InspectError("record.na_and_applies")
    if args.na is not None:
        if not args.na.strip():
            raise InspectError("record.na_needs_reason")
        values["na"] = args.na.strip()
    if args.applies:
        values["na"] = ""
    if args.reason is not None:
        values["reason"] = args.reason.strip()
    if args.self_points is not None:
        values["self_points"] = _number(args.self_points, "--self")
    if args.veto is not None:
        values["veto"] = args.veto
    if args.method:
        values["methods"] = args.method
    for name in ("notes", "problems", "advice"):
        if getattr(args, name) is not None:
            values[name] = getattr(args, name)
    if not values:
        raise InspectError("record.nothing_to_set")
    return values


def record_set(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False) as ws:
        insp = pick_inspection(ws, args.inspection)
        site_id = _site_id(insp, args.site)
        c = insp.scorable(site_id, args.criterion)  # before the reason check below
        values = _values(args, c)
        before = insp.record(site_id, c.id)
        scoring = {f.name for f in fields(Assessment)}
        after = outcome(c, replace(before.assessment(), **{
            k: (tuple(v) if k == "deductions" else v) for k, v in values.items()
            if k in scoring}))
        if rules_version(c.format) == RULES_V2 and after.unexplained:
            raise InspectError("record.reason_needed", criterion=c.id,
                               score=f"{after.score:g}", max=f"{c.max:g}")
        record = insp.set_fields(site_id, c.id, **values)
        _print_record(args, c, criterion_explained(c, record))
    return 0


def record_show(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        insp = pick_inspection(ws, args.inspection)
        site_id = _site_id(insp, args.site)
        c = insp.scorable(site_id, args.criterion)
        _print_record(args, c, criterion_explained(c, insp.record(site_id, c.id)))
    return 0


def site_result(args: argparse.Namespace) -> int:
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        insp = pick_inspection(ws, args.inspection)
        site = insp.site(_site_id(insp, args.site))
        body = site_explained(insp.checklist, insp.result(site.site_id),
                              insp.records(site.site_id))
        if json_out.wanted(args):
            json_out.emit("site-result", {"inspection": insp.id, "site": {
                "id": site.site_id, "name": site.name, "kind": site.kind}, **body})
            return 0
        _print_result(site.name, body)
    return 0


def _print_record(args: argparse.Namespace, c: Criterion, body: dict[str, Any]) -> None:
    if json_out.wanted(args):
        json_out.emit("record", body)
        return
    say(f"{c.id} {c.title}")
    if body["not_applicable"]:
        say(t("record.show.na", reason=body["na_reason"]))
    elif body["score"] is None:
        say(t("record.show.unscored", max=f"{c.max:g}"))
    else:
        say(t("record.show.score", score=f"{body['score']:g}", max=f"{c.max:g}"))
    for loss in body["losses"]:
        once = loss["typed"] or loss["times"] == 1
        key = "record.show.typed_loss" if once else "record.show.loss"
        say("  " + t(key, reason=loss["reason"] or t("record.show.no_reason"),
                     points=f"{loss['points']:g}", times=loss["times"],
                     each=f"{loss['each']:g}") + (t("record.show.capped")
                                                   if loss["capped"] else ""))
    if body["unexplained"]:
        say("  " + t("record.show.unexplained"))
    if body["full_marks_with_target_unmet"]:
        say("  " + t("record.show.target_warning"))
    if body["vetoed"]:
        say("  " + t("record.show.vetoed"))
    if body["self_points"] is not None:
        say(t("record.show.self", points=f"{body['self_points']:g}"))
    say(t("record.show.rules") + "；".join(
        f"{i}. {d.reason}（{d.points:g}分" + (f"/{d.per}" if d.per else "") + "）"
        for i, d in enumerate(c.deductions, 1)) if c.deductions else "")


def _print_result(name: str, body: dict[str, Any]) -> None:
    table = body["table"]
    say(t("record.result.head", site=name, title=table["title"],
          kind=table["kind"] or "-", rules=table["rules"]))
    say(t("record.result.base", base=f"{body['base']:g}", max=f"{body['base_max']:g}"))
    if body["base_max"] <= 0:  # no criterion for its kind, or every one 不适用: 0 of 0
        say("  " + t("record.result.nothing_to_score"))
    elif body["conversion"]["rule"] != "none":
        say(t("record.result.converted", base=f"{body['base']:g}",
              base_max=f"{body['base_max']:g}", total=f"{body['max']:g}",
              converted=f"{body['converted']:g}"))
    say(t("record.result.total", bonus=f"{body['bonus']:g}", total=f"{body['total']:g}",
          grade=body["grade"] or t("record.result.no_grade"),
          scored=body["scored"], count=body["criteria"]))
    for na in body["not_applicable"]:
        say("  " + t("record.result.na", criterion=na["criterion"], title=na["title"],
                     reason=na["reason"]))
    for lost in body["lost"]:
        # bare words: the line puts the reasons in brackets itself
        reasons = "；".join(x["reason"] or t("record.result.no_reason") for x in lost["losses"])
        say("  " + t("record.result.lost", criterion=lost["criterion"], title=lost["title"],
                     lost=f"{lost['lost']:g}", reasons=reasons))
    for veto in body["vetoed_by"]:
        say("  " + t("record.result.veto", criterion=veto["criterion"],
                     why="；".join(veto["why"])))

"""`inspect-tui verify`: check a report folder, report.json, report.pdf, QR photos or QR text.

Exit code 0 only when every check passed; 1 when something is invalid (each with its reason);
2 for a mistake in the command itself (a missing file, a bad allowed_signers file).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from inspect_tui.cli import json_out
from inspect_tui.cli.output import say
from inspect_tui.core.i18n import t
from inspect_tui.core.report_verify import Finding
from inspect_tui.export.verify_files import Outcome, load_bundle, load_trust, verify_all


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = t("verify.cmd.examples")
    parser.add_argument("targets", nargs="+", metavar=t("verify.meta.target"),
                        help=t("verify.opt.target"))
    parser.add_argument("--trusted", required=True, metavar="allowed_signers",
                        help=t("verify.opt.trusted"))
    parser.add_argument("--report", metavar="report.json", help=t("verify.opt.report"))
    parser.add_argument("--allow-partial", action="store_true", help=t("verify.opt.allow_partial"))
    json_out.add_flag(parser, "json.examples.verify")
    parser.set_defaults(handler=run)


def _content(f: Finding) -> list[str]:
    """The verified record, in words (bundle details when a bundle is known)."""
    if f.report_qr is not None:
        return [t("verify.report_qr_content", report_id=f.report_qr.report_id,
                  sha256=f.report_qr.sha256, signer=f.signer)]
    p = f.payload
    if p is None:
        return [t("verify.signed_by", signer=f.signer)] if f.signer else []
    when = (datetime.fromtimestamp(p.time, UTC).astimezone().strftime("%Y-%m-%d %H:%M")
            if p.time else "—")
    score = "—" if p.score is None else f"{p.score:g}"
    lines = [t("verify.record_content", record_id=p.record_id, site=p.site_id,
               criterion=p.criterion_id, score=score, time=when, signer=f.signer),
             t("report.scoring.verify_rules", rules=p.rules) if p.rules
             else t("report.scoring.verify_no_rules")]
    if f.site is not None and f.record is not None:
        r = f.record
        lines.append(t("verify.record_bundle", site=f.site.name, title=r.title,
                       max=f"{r.max:g}", who=r.updated_by or "—",
                       problems=r.problems.strip() or "—"))
        from inspect_tui.core.report import ReportRecord  # loaded with the bundle already

        if isinstance(r, ReportRecord) and r.not_applicable:  # version 2 records 不适用
            lines.append(t("report.scoring.verify_na", reason=r.na_reason))
    return lines


def _print_finding(f: Finding, quiet_valid: bool) -> None:
    if f.ok:
        if not quiet_valid:
            say("  " + t("verify.valid_line", subject=f.subject))
            for line in _content(f):
                say("      " + line)
        return
    say("  " + t("verify.invalid_line", subject=f.subject,
                 reason=t(f"verify.reason.{f.reason.value}")))
    say("      " + f.detail)
    for line in _content(f):
        say("      " + line)


def _print_outcome(o: Outcome) -> None:
    say(t(f"verify.heading.{o.kind}", target=o.target))
    if o.scan is not None and o.scan.seen:  # the whole truth: codes seen, not only read
        say("  " + t("verify.codes_seen", seen=o.scan.seen, read=len(o.scan.texts)))
    for f in o.checks:
        if f.ok and o.bundle is not None and f.subject.endswith(".json"):
            rep = o.bundle.report
            say("  " + t("verify.bundle_ok", subject=f.subject, signer=f.signer,
                         report_id=rep.report_id, fingerprint=rep.signer.fingerprint,
                         title=rep.title, sites=len(rep.sites), generated=rep.generated))
            say("    " + t("report.scoring.verify_bundle_rules", version=rep.version,
                          rules=rep.rules or t("report.scoring.rules_not_stated")))
        else:
            _print_finding(f, quiet_valid=False)
    if o.pdf_signer is not None:
        trusted = (t("verify.pdf_trusted", signer=o.pdf_signer.trusted_as)
                   if o.pdf_signer.trusted_as else t("verify.pdf_not_trusted"))
        say("      " + t("verify.pdf_signer", fingerprint=o.pdf_signer.fingerprint,
                         trusted=trusted))
    in_bundle = o.kind in ("folder", "bundle")
    if in_bundle and o.records:
        say("  " + t("verify.records_summary", valid=sum(f.ok for f in o.records),
                     total=len(o.records)))
    for f in o.records:
        _print_finding(f, quiet_valid=in_bundle)


def _finding_json(f: Finding) -> dict[str, Any]:
    p, r, q = f.payload, f.record, f.report_qr
    return {
        "subject": f.subject, "valid": f.ok, "reason": f.reason.value,
        "reason_text": t(f"verify.reason.{f.reason.value}"), "detail": f.detail or None,
        "signer": f.signer or None,
        # what the signed QR payload says (a record QR)
        "payload": None if p is None else {
            "record_id": p.record_id, "site_id": p.site_id, "criterion_id": p.criterion_id,
            "score": p.score, "time": p.time, "digest": p.digest.hex(),
            "rules": p.rules or None},
        # the matching record of the report, when one is known
        "record": None if f.site is None or r is None else {
            "record_id": r.record_id, "site_id": f.site.site_id, "site": f.site.name,
            "criterion_id": r.criterion_id, "criterion": r.title, "score": r.score,
            "max": r.max, "updated_by": r.updated_by, "problems": r.problems},
        "report_qr": None if q is None else {
            "report_id": q.report_id, "sha256": q.sha256, "signer": q.signer},
    }


def _outcome_json(o: Outcome) -> dict[str, Any]:
    rep = o.bundle.report if o.bundle is not None else None
    return {
        "target": o.target, "kind": o.kind, "valid": o.ok,
        "report": None if rep is None or o.bundle is None else {
            "report_id": rep.report_id, "title": rep.title, "inspection": rep.inspection_id,
            "generated": rep.generated, "signer": rep.signer.name,
            "fingerprint": rep.signer.fingerprint, "sites": len(rep.sites),
            "sha256": o.bundle.sha256, "version": rep.version, "rules": rep.rules or None},
        "records_valid": sum(f.ok for f in o.records), "records_total": len(o.records),
        "codes_seen": None if o.scan is None else o.scan.seen,
        "codes_read": None if o.scan is None else len(o.scan.texts),
        "pdf_signer": None if o.pdf_signer is None else {
            "fingerprint": o.pdf_signer.fingerprint,
            "trusted_as": o.pdf_signer.trusted_as or None},
        "checks": [_finding_json(f) for f in o.checks],
        "records": [_finding_json(f) for f in o.records],
    }


def run(args: argparse.Namespace) -> int:
    trust = load_trust(args.trusted)
    bundle = load_bundle(args.report, trust) if args.report else None
    outcomes = verify_all(args.targets, trust, bundle, args.allow_partial)
    bad = sum(not f.ok for o in outcomes for f in o.findings)
    if json_out.wanted(args):
        json_out.emit("verify", {"trusted": args.trusted, "valid": bad == 0, "invalid": bad,
                                 "targets": [_outcome_json(o) for o in outcomes]})
        return 0 if bad == 0 else 1
    for outcome in outcomes:
        _print_outcome(outcome)
    say(t("verify.all_valid") if bad == 0 else t("verify.some_invalid", count=bad))
    return 0 if bad == 0 else 1

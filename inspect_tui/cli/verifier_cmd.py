"""`inspect-tui verifier build`: the office's verifier page for phones (one HTML file)."""

from __future__ import annotations

import argparse
from pathlib import Path

from inspect_tui.cli.output import say
from inspect_tui.core.i18n import t


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="verifier_command", required=True,
                                metavar=t("cli.meta.command"), parser_class=type(parser))
    b = sub.add_parser("build", help=t("cmd.verifier.build.help"),
                       description=t("cmd.verifier.build.help"),
                       epilog=t("cmd.verifier.examples"),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("--trusted", required=True, metavar="allowed_signers",
                   help=t("verifier.opt.trusted"))
    b.add_argument("--report", action="append", default=[], metavar=t("cli.meta.dir"),
                   help=t("verifier.opt.report"))
    b.add_argument("--out", default="verifier", metavar=t("cli.meta.dir"),
                   help=t("verifier.opt.out"))
    b.set_defaults(handler=build)


def build(args: argparse.Namespace) -> int:
    from inspect_tui.verifier.build import build_page

    page = build_page(Path(args.trusted), Path(args.out), reports=[Path(r) for r in args.report])
    say(t("verifier.built", path=page.path, size=round(page.size / 1024),
          count=len(page.signers), names="、".join(page.signers)))
    if page.records:
        say(t("verifier.built_records", count=page.records, reports=len(args.report)))
    if page.skipped:
        say(t("verifier.skipped_signers", path=args.trusted, count=page.skipped))
    say(t("verifier.built_hint"))
    return 0

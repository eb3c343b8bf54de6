"""`inspect-tui inspection set`: the inspection's title and the settings its documents print
(发文机关, 发文字号, 成文日期, signatories) and the verifier page its QR codes open."""

from __future__ import annotations

import argparse
from typing import Any

from inspect_tui.cli.output import say
from inspect_tui.cli.workspace_cmd import pick_inspection, workspace_path
from inspect_tui.core.documents.settings import SETTINGS, clean_settings
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.store.workspace import Workspace


def add_set(sub: Any) -> None:
    """Add `set` to the `inspection` command group."""
    p = sub.add_parser("set", help=t("cmd.inspection.set.help"),
                       description=t("cmd.inspection.set.help"),
                       epilog=t("doc.set.examples"),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inspection", nargs="?", metavar=t("export.meta.inspection"),
                   help=t("export.opt.inspection"))
    p.add_argument("--title", help=t("doc.set.title"))
    p.add_argument("--issuer", help=t("doc.set.issuer"))
    p.add_argument("--doc-number", help=t("doc.set.doc_number"))
    p.add_argument("--doc-date", metavar="YYYY-MM-DD", help=t("doc.set.doc_date"))
    p.add_argument("--signatories", metavar=t("doc.meta.names"), help=t("doc.set.signatories"))
    p.add_argument("--verify-url", metavar="URL", help=t("doc.set.verify_url"))
    p.set_defaults(handler=run)


def settings_from(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line, checked (an empty value clears one)."""
    values = clean_settings({name: getattr(args, name) for name in SETTINGS})
    if not values:
        raise InspectError("doc.set.nothing")
    return values


def run(args: argparse.Namespace) -> int:
    values = settings_from(args)  # first: a mistake must not open the workspace for writing
    with Workspace.open(workspace_path(args), create=False) as ws:
        insp = pick_inspection(ws, args.inspection)
        insp.set_inspection_fields(**values)
        shown = {**{n: insp.setting(n) for n in SETTINGS if n != "title"},
                 "title": insp.title}
    for name in SETTINGS:
        value = shown[name]
        text = "、".join(value) if isinstance(value, list) else value
        say(f"{t(f'doc.set.label.{name}')}：{text or t('doc.set.unset')}")
    return 0

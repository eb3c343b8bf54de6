"""`inspect-tui doc KIND…`: the documents an office files, as .docx and PDF.

KIND is record (检查记录表), feedback (反馈意见), rectify (整改通知书), rectify-summary
(整改情况汇总), summary (汇总表), bulletin (通报) or all. Written into
`<out>/<inspection>-文书-<date>/`, all or nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from inspect_tui.cli.output import say
from inspect_tui.cli.workspace_cmd import pick_inspection, workspace_path
from inspect_tui.core.i18n import t
from inspect_tui.store.workspace import Workspace

KINDS = ("record", "feedback", "rectify", "rectify-summary", "summary", "bulletin", "all")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kinds", nargs="+", metavar=t("doc.meta.kind"), help=t("doc.opt.kind"))
    parser.add_argument("--inspection", "-i", metavar="ID", help=t("export.opt.inspection"))
    parser.add_argument("--site", action="append", default=[], metavar=t("export.meta.site"),
                        help=t("doc.opt.site"))
    parser.add_argument("--format", default="docx,pdf", metavar="docx,pdf",
                        help=t("doc.opt.format"))
    parser.add_argument("--out", default="exports", metavar=t("cli.meta.dir"),
                        help=t("doc.opt.out"))
    parser.set_defaults(handler=run)


def split_names(values: list[str]) -> list[str]:
    return [s.strip() for arg in values for s in arg.replace("，", ",").split(",") if s.strip()]


def run(args: argparse.Namespace) -> int:
    from inspect_tui.export.documents_gather import document_inputs
    from inspect_tui.export.documents_run import parse_doc_formats, parse_kinds, write_documents

    kinds = parse_kinds(",".join(args.kinds))
    formats = parse_doc_formats(args.format)
    sites = split_names(args.site)
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        inputs = document_inputs(pick_inspection(ws, args.inspection), sites)
    # a site named is written even if not visited yet (a blank 检查记录表 to take along)
    result = write_documents(inputs, kinds, formats, Path(args.out), every_site=bool(sites))
    for note in result.notes:
        say(note, err=True)
    say(t("doc.done", folder=result.folder, count=len(result.files)))
    for path in result.files:
        say(f"  {path}")
    return 0

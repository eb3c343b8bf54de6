"""`inspect-tui export`: write a signed report folder (report.json + .sig, HTML, PDF)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from inspect_tui import keys
from inspect_tui.cli.output import console, say
from inspect_tui.cli.workspace_cmd import pick_inspection, workspace_path
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.store.workspace import Workspace

if TYPE_CHECKING:
    from inspect_tui.core.documents.inputs import DocInputs

Progress = Callable[[str, float], None]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = t("export.cmd.examples")
    parser.add_argument("inspection", nargs="?", metavar=t("export.meta.inspection"),
                        help=t("export.opt.inspection"))
    parser.add_argument("--site", action="append", default=[], metavar=t("export.meta.site"),
                        help=t("export.opt.site"))
    parser.add_argument("--format", default="pdf,html,json", metavar="pdf,html,json",
                        help=t("export.opt.format") + t("doc.export_format"))
    parser.add_argument("--key", metavar=t("keys.meta.name"), help=t("export.opt.key"))
    parser.add_argument("--allow-conflicts", action="store_true",
                        help=t("export.opt.allow_conflicts"))
    parser.add_argument("--verify-url", metavar="URL", help=t("verifier.opt.verify_url"))
    parser.add_argument("--out", default="exports", metavar=t("cli.meta.dir"),
                        help=t("export.opt.out"))
    parser.set_defaults(handler=run)


def pick_key(name: str | None) -> keys.KeyInfo:
    """The named key, or the only key there is."""
    if name:
        return keys.find_key(name)
    found = keys.list_keys()
    if len(found) == 1:
        return found[0]
    raise InspectError("export.pick_key", folder=str(keys.keys_dir()),
                       known="、".join(k.name for k in found) or "-")


@contextlib.contextmanager
def _progress() -> Iterator[Progress | None]:
    """A progress bar on an interactive stderr; nothing in scripts."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress as Bar

    with Bar(console=console(err=True), transient=True) as bar:
        task = bar.add_task("", total=1.0)

        def show(text: str, fraction: float) -> None:
            bar.update(task, description=text, completed=fraction)

        yield show


def write_documents_into(folder: Path, docs: DocInputs) -> None:
    from inspect_tui.core.documents.catalog import KINDS
    from inspect_tui.export.documents_run import DOCX_ONLY, write_into

    written = write_into(folder, docs, KINDS, DOCX_ONLY)
    for note in written.notes:
        say(note, err=True)
    say(t("doc.done", folder=written.folder, count=len(written.files)))


def run(args: argparse.Namespace) -> int:
    from inspect_tui.core.qr_link import base_url
    from inspect_tui.export.run import (
        ExportOptions,
        parse_formats,
        prepare,
        signer_of,
        write_report,
    )

    sites = [s.strip() for arg in args.site for s in arg.replace("，", ",").split(",")
             if s.strip()]
    from inspect_tui.core.documents.catalog import KINDS
    from inspect_tui.export.documents_gather import document_inputs
    from inspect_tui.export.documents_run import plan, split_docx

    report_formats, documents = split_docx(args.format)  # docx: the documents set (文书/)
    options = ExportOptions(sites=sites, formats=parse_formats(report_formats),
                            allow_conflicts=args.allow_conflicts, out_dir=Path(args.out))
    info = pick_key(args.key)
    # A reader: the report is written outside the store, so export runs beside the app.
    with Workspace.open(workspace_path(args), create=False, readonly=True) as ws:
        insp = pick_inspection(ws, args.inspection)
        url = args.verify_url if args.verify_url is not None else insp.setting("verify_url")
        if url:  # refused before anything is signed or written
            options = replace(options, verify_url=base_url(url))
        inputs = prepare(insp, signer_of(info.name, info.public_key()), options)
        docs = document_inputs(insp, sites) if documents else None
        if docs is not None:
            plan(docs, KINDS)  # nothing to write is refused before anything is signed
    key = keys.load_private(info.name, keys.read_passphrase())
    with _progress() as show:
        result = write_report(inputs, key, options, show)
    report = result.report
    say(t("export.done", folder=result.folder, report_id=report.report_id,
          sites=len(report.sites), records=sum(len(s.records) for s in report.sites),
          signer=report.signer.name, fingerprint=report.signer.fingerprint))
    for path in result.files:
        say(f"  {path}")
    say(t("export.check_hint", folder=result.folder, signer=report.signer.name))
    if docs is not None:
        write_documents_into(result.folder, docs)
    return 0

"""The team's day: `pack [--setup]`, `join`, `inspector`, and confirming new signers on merge.

Keys are bound to names: a pack is signed only by the key of the person the workspace says is
at the keyboard, and it carries that key (see store/trust.py), so the lead collects the team's
public keys from their packs, confirming each fingerprint once.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

from inspect_tui import keys
from inspect_tui.cli.output import say
from inspect_tui.cli.workspace_cmd import pick_inspection, workspace_path
from inspect_tui.core import sshsig
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.store import identity, trust
from inspect_tui.store.errors import StoreError
from inspect_tui.store.merge import load_trusted
from inspect_tui.store.pack import PACK_NAMESPACE, Signer, write_pack
from inspect_tui.store.setup_pack import (
    join,
    on_team,
    read_setup,
    signer_block,
    write_setup_pack,
)
from inspect_tui.store.workspace import MARKER, Workspace

# ---- pack -------------------------------------------------------------------------------------

def add_pack(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inspection", "-i", metavar="ID", help=t("merge.opt.inspection"))
    parser.add_argument("--out", "-o", required=True, metavar=t("cli.meta.file"),
                        help=t("pack.opt.out"))
    parser.add_argument("--key", metavar="NAME", help=t("pack.opt.key"))
    parser.add_argument("--setup", action="store_true", help=t("team.opt.setup"))
    parser.set_defaults(handler=pack)


def _signer(name: str) -> Signer:
    key = keys.load_private(name, keys.read_passphrase())
    return lambda manifest: sshsig.sign(manifest, key, PACK_NAMESPACE)


def bound_key(root: Path, key_name: str) -> keys.KeyInfo:
    """The key, if it belongs to whoever the workspace says is at the keyboard."""
    if not (root / MARKER).exists():
        raise StoreError("store.no_workspace", path=str(root))
    info = keys.find_key(key_name)
    who = identity.current(root)
    if who.name != info.name:
        raise InspectError("team.key_not_yours", owner=info.name, who=who.name, path=str(root),
                           how=t(f"team.source.{who.source}"))
    return info


def pack(args: argparse.Namespace) -> int:
    root = workspace_path(args)
    if args.setup and not args.key:
        raise InspectError("team.setup_needs_key")
    info = bound_key(root, args.key) if args.key else None
    sign = _signer(info.name) if info else None  # ask for the passphrase before any work
    with Workspace.open(root, create=False) as ws:
        insp = pick_inspection(ws, args.inspection)
        if args.setup and info and sign:
            summary = write_setup_pack(ws, insp, Path(args.out), lead=info.name,
                                       lead_public_line=info.public_line, sign=sign)
        else:
            extra = {"signer": signer_block(info.name, info.public_line)} if info else None
            summary = write_pack(insp, Path(args.out), device=ws.device, sign=sign, extra=extra)
        team, sites = "、".join(insp.team) or "-", len(insp.sites())
    signed = t("pack.signed", name=info.name) if info else t("pack.unsigned")
    say(t("pack.written", path=summary.path, databases=summary.databases,
          evidence=summary.evidence, size=f"{summary.size / 1024 / 1024:.1f} MB",
          signed=signed))
    if args.setup and info:
        say(t("team.setup_written", path=summary.path, title=insp.title, sites=sites, team=team,
              fingerprint=info.fingerprint, name=info.name))
    return 0


# ---- join -------------------------------------------------------------------------------------

def add_join(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar=t("cli.meta.file"), help=t("team.opt.file"))
    parser.add_argument("--as", dest="name", required=True, metavar=t("keys.meta.name"),
                        help=t("team.opt.as"))
    # SUPPRESS: `inspect-tui -w DIR join …` must keep the top-level --workspace
    parser.add_argument("--workspace", "-w", metavar=t("cli.meta.dir"), default=argparse.SUPPRESS,
                        help=t("team.opt.workspace"))
    parser.add_argument("--trusted", metavar=t("cli.meta.file"), help=t("team.opt.join_trusted"))
    parser.set_defaults(handler=join_cmd)


def join_cmd(args: argparse.Namespace) -> int:
    root, path = workspace_path(args), Path(args.file)
    trusted_path = Path(args.trusted) if args.trusted else None
    signers = load_trusted(trusted_path)
    # every check of the pack and the name before the workspace folder is made
    name = on_team(read_setup(path, signers, str(trusted_path or "")), args.name)
    with Workspace.open(root, author=name) as ws:
        joined = join(ws, path, name, trusted=signers, trusted_label=str(trusted_path or ""))
    info = joined.info
    say(t("team.joined", title=info.title, inspection=info.inspection, path=root, name=name,
          checklist=info.checklist_title, sites=len(info.sites), team="、".join(info.team) or "-",
          lead=info.lead.name, fingerprint=info.lead.fingerprint, count=joined.trusted_added,
          trusted=trust.trust_path(root)))
    return 0


# ---- inspector --------------------------------------------------------------------------------

def add_inspector(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=inspector_show)
    sub = parser.add_subparsers(dest="sub", metavar=t("cli.meta.command"),
                                parser_class=type(parser))
    sub.add_parser("show", help=t("team.cmd.inspector_show")).set_defaults(
        handler=inspector_show)
    s = sub.add_parser("set", help=t("team.cmd.inspector_set"))
    s.add_argument("name", metavar=t("keys.meta.name"))
    s.set_defaults(handler=inspector_set)


def inspector_show(args: argparse.Namespace) -> int:
    root = workspace_path(args)
    if not (root / MARKER).exists():
        raise StoreError("store.no_workspace", path=str(root))
    who = identity.current(root)
    say(t("team.inspector_is", name=who.name, path=root, how=t(f"team.source.{who.source}")))
    return 0


def inspector_set(args: argparse.Namespace) -> int:
    name = identity.valid_name(args.name)
    # the writer's lock (one writer at a time); the new name, as the old file may be damaged
    with Workspace.open(workspace_path(args), author=name) as ws:
        teams = {n for iid in ws.inspection_ids() for n in ws.inspection(iid).team}
        identity.remember(ws.root, name)
    say(t("team.inspector_saved", name=name, path=ws.root))
    if teams and name not in teams:
        say(t("team.inspector_not_on_team", name=name, team="、".join(sorted(teams))))
    return 0


# ---- merge: new signers -----------------------------------------------------------------------

def add_accept(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--accept-signer", action="append", default=[], metavar=t(
        "keys.meta.name"), help=t("team.opt.accept_signer"))


def confirm_signers(root: Path, sources: list[Path], wanted: list[str], *, strict: bool,
                    quiet: bool = False) -> list[sshsig.AllowedSigner] | None:
    """The workspace's trusted signers for a merge, after adding the new signers the lead
    accepts (`--accept-signer NAME|FINGERPRINT`, or asked when stdin is a terminal); None with
    `--trusted` (then that file alone decides, as before). `quiet`: stdout is for --json."""
    if strict:
        if wanted:
            raise InspectError("team.accept_with_trusted")
        return None
    known = trust.load(root)
    new = trust.new_signers(sources, known)
    picked = [unicodedata.normalize("NFC", w.strip()) for w in wanted]
    listing = "、".join(f"{s.name}（{s.fingerprint}）" for s in new) or "-"
    for w in picked:
        matching = [s for s in new if w in (s.name, s.fingerprint)]
        if not matching:
            raise InspectError("team.accept_unknown", name=w, new=listing)
        if len(matching) > 1:
            raise InspectError("team.accept_ambiguous", name=w, new=listing)
    accepted = [s for s in new if {s.name, s.fingerprint} & set(picked)
                or (not picked and not quiet and sys.stdin.isatty() and _ask(s))]
    if accepted:
        trust.add(root, [s.line() for s in accepted])
        for s in accepted:
            say(t("team.signer_accepted", name=s.name, fingerprint=s.fingerprint,
                  path=trust.trust_path(root)), err=quiet)
    return trust.load(root)


def _ask(signer: trust.PackSigner) -> bool:
    say(t("team.accept_question", name=signer.name, fingerprint=signer.fingerprint,
          sources="、".join(signer.sources)))
    try:
        answer = input(t("team.accept_prompt"))
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "是", "好")

"""`inspect-tui keys new|list|export`: the team lead's signing keys."""

from __future__ import annotations

import argparse

from rich.table import Table

from inspect_tui import keys
from inspect_tui.cli.output import console, say, wrapping
from inspect_tui.core.i18n import t


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="keys_command", required=True,
                                metavar=t("cli.meta.command"), parser_class=type(parser))
    fmt = argparse.RawDescriptionHelpFormatter
    n = sub.add_parser("new", help=t("keys.cmd.new.help"), description=t("keys.cmd.new.help"),
                       epilog=t("keys.cmd.new.examples"), formatter_class=fmt)
    n.add_argument("--name", required=True, metavar=t("keys.meta.name"),
                   help=t("keys.opt.name"))
    n.set_defaults(handler=new)
    ls = sub.add_parser("list", help=t("keys.cmd.list.help"), description=t("keys.cmd.list.help"),
                        epilog=t("keys.cmd.list.examples"), formatter_class=fmt)
    ls.set_defaults(handler=list_keys)
    e = sub.add_parser("export", help=t("keys.cmd.export.help"),
                       description=t("keys.cmd.export.help"),
                       epilog=t("keys.cmd.export.examples"), formatter_class=fmt)
    e.add_argument("name", metavar=t("keys.meta.name"))
    e.add_argument("--allowed-signers", action="store_true", help=t("keys.opt.allowed_signers"))
    e.set_defaults(handler=export)


def new(args: argparse.Namespace) -> int:
    name = keys.check_name(args.name)  # a bad name fails before the passphrase prompt
    info = keys.new_key(name, keys.read_passphrase(confirm=True))
    say(t("keys.created", name=info.name, key=info.private_path, pub=info.public_path,
          fingerprint=info.fingerprint))
    return 0


def list_keys(args: argparse.Namespace) -> int:
    folder = keys.keys_dir()
    found = keys.list_keys(folder)
    if not found:
        say(t("keys.none", folder=folder))
        return 0
    table = wrapping(Table(t("keys.col.name"), t("keys.col.fingerprint"), t("keys.col.file"),
                           title=t("keys.list_title", folder=folder)), 1)
    for info in found:
        table.add_row(info.name, info.fingerprint, info.private_path.name)
    console().print(table)
    return 0


def export(args: argparse.Namespace) -> int:
    info = keys.find_key(args.name)
    say(info.allowed_signers_line() if args.allowed_signers else info.public_line)
    return 0

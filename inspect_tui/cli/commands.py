"""The subcommand registry: each command is a name, its arguments and a handler."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from inspect_tui.cli import (
    checklist_cmd,
    export_cmd,
    keys_cmd,
    merge_cmd,
    verify_cmd,
    workspace_cmd,
)
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t

AddArguments = Callable[[argparse.ArgumentParser], None]
Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Command:
    name: str
    add_arguments: AddArguments
    handler: Handler | None

    def register(self, sub: argparse._SubParsersAction, fmt: type) -> None:  # type: ignore[type-arg]
        parser = sub.add_parser(
            self.name, help=t(f"cmd.{self.name}.help"), description=t(f"cmd.{self.name}.help"),
            epilog=t(f"cmd.{self.name}.examples"), formatter_class=fmt,
        )
        self.add_arguments(parser)
        if self.handler is not None:
            parser.set_defaults(handler=self.handler)


def run_app(args: argparse.Namespace) -> int:
    from inspect_tui.tui.launch import launch  # Textual is imported only to run the app

    return launch(args)


def _add_run(p: argparse.ArgumentParser) -> None:
    # SUPPRESS: `inspect-tui --demo run` must not have the top-level --demo reset to False.
    p.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                   help=t("cli.opt.demo"))


def _not_yet(name: str) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        raise InspectError("cli.not_yet", command=name)

    return handler


def _add_nothing(p: argparse.ArgumentParser) -> None:
    p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)


COMMANDS: list[Command] = [
    Command("run", _add_run, run_app),
    Command("checklist", checklist_cmd.add_arguments, None),
    Command("inspection", workspace_cmd.add_inspection, None),
    Command("site", workspace_cmd.add_site, None),
    Command("doctor", workspace_cmd.add_doctor, None),
    Command("lookup", workspace_cmd.add_lookup, None),
    Command("keys", keys_cmd.add_arguments, None),
    Command("export", export_cmd.add_arguments, None),
    Command("verify", verify_cmd.add_arguments, None),
    Command("merge", merge_cmd.add_merge, None),
    Command("pack", merge_cmd.add_pack, None),
    Command("conflicts", merge_cmd.add_conflicts, None),
]

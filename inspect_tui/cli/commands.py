"""The subcommand registry: each command is a name, its arguments and a handler."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import Any

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t

AddArguments = Callable[[argparse.ArgumentParser], None]
Handler = Callable[[argparse.Namespace], int]


class Command:
    """`add_arguments` is a function or "module:function"; a string is imported only when
    the command is parsed or its help shown, so `--version`, `--help` and each command load
    only what they use (tests/test_cli_startup.py checks it). A plain class: dataclasses
    costs ~15 ms of start-up."""

    __slots__ = ("add_arguments", "handler", "name")

    def __init__(self, name: str, add_arguments: AddArguments | str,
                 handler: Handler | None) -> None:
        self.name = name
        self.add_arguments = add_arguments
        self.handler = handler

    def register(self, sub: argparse._SubParsersAction, fmt: type) -> None:  # type: ignore[type-arg]
        parser = sub.add_parser(
            self.name, help=t(f"cmd.{self.name}.help"), description=t(f"cmd.{self.name}.help"),
            epilog=t(f"cmd.{self.name}.examples"), formatter_class=fmt,
        )
        if self.handler is not None:
            parser.set_defaults(handler=self.handler)
        if callable(self.add_arguments):
            self.add_arguments(parser)
        else:
            _add_on_first_use(parser, self.add_arguments)


def _resolve(spec: str) -> AddArguments:
    module, _, function = spec.partition(":")
    found: AddArguments = getattr(importlib.import_module(module), function)
    return found


def _add_on_first_use(parser: argparse.ArgumentParser, spec: str) -> None:
    """Add the arguments (importing their module) the first time the subparser parses or
    formats anything. argparse calls these through the instance, so instance attributes that
    wrap the class's methods are enough."""
    added: list[bool] = []

    def wrap(name: str) -> None:
        original = getattr(parser, name)

        def first_add(*args: Any, **kwargs: Any) -> Any:
            if not added:
                added.append(True)
                _resolve(spec)(parser)
            return original(*args, **kwargs)

        setattr(parser, name, first_add)

    for name in ("parse_known_args", "format_help", "format_usage"):
        wrap(name)


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


_CLI = "inspect_tui.cli."
COMMANDS: list[Command] = [
    Command("run", _add_run, run_app),
    Command("demo", _CLI + "demo_cmd:add_arguments", None),
    Command("checklist", _CLI + "checklist_cmd:add_arguments", None),
    Command("inspection", _CLI + "workspace_cmd:add_inspection", None),
    Command("site", _CLI + "workspace_cmd:add_site", None),
    Command("record", _CLI + "record_cmd:add_record", None),
    Command("doctor", _CLI + "workspace_cmd:add_doctor", None),
    Command("lookup", _CLI + "workspace_cmd:add_lookup", None),
    Command("keys", _CLI + "keys_cmd:add_arguments", None),
    Command("export", _CLI + "export_cmd:add_arguments", None),
    Command("doc", _CLI + "doc_cmd:add_arguments", None),
    Command("verify", _CLI + "verify_cmd:add_arguments", None),
    Command("verifier", _CLI + "verifier_cmd:add_arguments", None),
    Command("merge", _CLI + "merge_cmd:add_merge", None),
    Command("pack", _CLI + "team_cmd:add_pack", None),
    Command("join", _CLI + "team_cmd:add_join", None),
    Command("inspector", _CLI + "team_cmd:add_inspector", None),
    Command("conflicts", _CLI + "merge_cmd:add_conflicts", None),
    Command("problems", _CLI + "ledger_cmd:add_problems", None),
]

"""The `inspect-tui` command: parse arguments, run one subcommand, turn errors into exit codes.

User mistakes raise `InspectError` and end as one paragraph on stderr with exit code 2; no
traceback. Heavy modules (the TUI, PDF export) are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from inspect_tui import __version__
from inspect_tui.cli import commands
from inspect_tui.cli.output import say
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import set_language, t


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as our one-paragraph message with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InspectError("cli.usage", prog=self.prog, detail=message)


def _pre_language(argv: Sequence[str]) -> str:
    """The language must be known before --help text is built."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("INSPECT_TUI_LANG", "zh")


def _refuse_non_utf8(argv: Sequence[str]) -> None:
    """Bytes that are not UTF-8 reach sys.argv as lone surrogates (surrogateescape): refuse
    them before any of them becomes a name on disk or a traceback."""
    for position, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            except UnicodeEncodeError:  # a surrogate that is no escaped byte
                shown = arg.encode("utf-8", "backslashreplace").decode("utf-8")
            raise InspectError("inputs.arg_not_utf8", position=position,
                               shown=shown[:80]) from None


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="inspect-tui", description=t("cli.description"),
                     epilog=t("cli.epilog"), formatter_class=fmt)
    parser.add_argument("--version", action="version", version=f"inspect-tui {__version__}")
    parser.add_argument("--lang", choices=["zh", "en"], default=_pre_language(sys.argv[1:]),
                        help=t("cli.opt.lang"))
    parser.add_argument("--workspace", "-w", metavar=t("cli.meta.dir"), default=None,
                        help=t("cli.opt.workspace"))
    # `inspect-tui --demo` with no command opens the app on the demo (the README's first line).
    parser.add_argument("--demo", action="store_true", help=t("cli.opt.demo"))
    sub = parser.add_subparsers(dest="command", metavar=t("cli.meta.command"),
                                parser_class=_Parser)
    for spec in commands.COMMANDS:
        spec.register(sub, fmt)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = _pre_language(args_list)
    set_language(lang if lang in ("zh", "en") else "zh")
    try:
        _refuse_non_utf8(args_list)
        parser = build_parser()
        args = parser.parse_args(args_list)
        handler = getattr(args, "handler", commands.run_app)
        if handler is commands.run_app:  # the app shows the takeover as a notification
            return int(handler(args) or 0)
        from inspect_tui.store.lock import takeover_notices  # not needed by --help

        with takeover_notices(lambda text: say(text, err=True)):
            return int(handler(args) or 0)
    except InspectError as exc:
        from inspect_tui.cli.demo_cmd import hint  # e.g. "run inspect-tui demo" for no workspace

        say(t("cli.error_prefix") + str(exc) + hint(exc), err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        say(t("cli.interrupted"), err=True)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())

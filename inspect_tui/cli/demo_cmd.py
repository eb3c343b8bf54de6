"""`inspect-tui demo [DIR]`: create the bundled demo workspace without opening the app.

It goes into the default workspace (data/) unless told otherwise, so every command of the
README's tour finds it with no --workspace. Running it again changes nothing.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from inspect_tui.cli.output import say
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import language, t

DEFAULT_WORKSPACE = Path("data")  # the same default as every other command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", metavar=t("cli.meta.dir"),
                        help=t("tour.opt.folder"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from inspect_tui.demo import DEMO_ID, SITES, create_demo

    chosen = args.folder or args.workspace
    root = Path(chosen) if chosen else DEFAULT_WORKSPACE
    created = create_demo(root)
    say(t("tour.demo_created" if created else "tour.demo_present", path=str(root), id=DEMO_ID,
          sites=len(SITES)))
    # The next steps, with --workspace only when the demo is not where commands look.
    flag = "" if root == DEFAULT_WORKSPACE else f" --workspace {shlex.quote(str(root))}"
    say(t("tour.demo_next", ws=flag))
    return 0


def hint(exc: InspectError) -> str:
    """What to do when a command finds no workspace (e.g. the README's tour before `demo`):
    appended to the error's paragraph; '' for every other error."""
    if exc.key != "store.no_workspace":
        return ""
    sep = "" if language() == "zh" else " "  # Chinese sentences need no space between them
    path = Path(str(exc.params.get("path", DEFAULT_WORKSPACE)))
    old_demo = path / "demo"
    if (old_demo / "workspace.json").is_file():  # where earlier versions put the demo
        return sep + t("tour.hint.old_demo", demo=str(old_demo), path=str(path))
    where = "" if path == DEFAULT_WORKSPACE else f" {shlex.quote(str(path))}"
    try:
        cwd = str(Path.cwd())
    except OSError:  # the current folder was deleted
        cwd = "."
    return sep + t("tour.hint.no_workspace", where=where, cwd=cwd)

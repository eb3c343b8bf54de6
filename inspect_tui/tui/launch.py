"""Start the Textual app from the CLI (kept apart so `inspect-tui --help` never loads Textual)."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_WORKSPACE = Path("data")
DEMO_WORKSPACE = Path("data/demo")


def launch(args: argparse.Namespace) -> int:
    from inspect_tui.tui.app import make_app

    demo = bool(getattr(args, "demo", False))
    chosen = getattr(args, "workspace", None)
    workspace = Path(chosen) if chosen else DEMO_WORKSPACE if demo else DEFAULT_WORKSPACE
    app = make_app(workspace, demo=demo)
    app.run()
    return app.return_code or 0

"""Start the Textual app from the CLI (kept apart so `inspect-tui --help` never loads Textual)."""

from __future__ import annotations

import argparse
from pathlib import Path

# The demo lives in the default workspace, so every command of the README's tour finds it
# without --workspace (the demo refuses a workspace that holds other inspections).
DEFAULT_WORKSPACE = Path("data")


def launch(args: argparse.Namespace) -> int:
    from inspect_tui.tui.app import make_app

    demo = bool(getattr(args, "demo", False))
    chosen = getattr(args, "workspace", None)
    workspace = Path(chosen) if chosen else DEFAULT_WORKSPACE
    app = make_app(workspace, demo=demo)
    app.run()
    return app.return_code or 0

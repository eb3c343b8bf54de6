"""Start the Textual app from the CLI (kept apart so `inspect-tui --help` never loads Textual)."""

from __future__ import annotations

import argparse


def launch(args: argparse.Namespace) -> int:
    from inspect_tui.tui.app import InspectApp

    app = InspectApp(demo=getattr(args, "demo", False))
    app.run()
    return app.return_code or 0

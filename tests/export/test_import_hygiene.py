"""Starting the CLI or the app never loads the heavy export libraries (pyHanko alone: 0.4 s)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("reportlab", "pyhanko", "pyhanko_certvalidator", "zxingcpp", "qrcode")


def test_cli_and_app_imports_stay_light() -> None:
    code = (
        "import sys\n"
        "from inspect_tui.cli.main import build_parser\n"
        "import inspect_tui.cli.export_cmd, inspect_tui.cli.verify_cmd\n"
        "import inspect_tui.export.run, inspect_tui.export.verify_files\n"
        "import inspect_tui.tui.app\n"
        "build_parser()\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "", f"imported at start: {out.stdout.strip()}"

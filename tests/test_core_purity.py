"""The domain core imports neither Textual nor TinyDB (checked in a clean interpreter)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import inspect_tui.core

CORE_MODULES = sorted(
    f"inspect_tui.core.{m.name}" for m in pkgutil.iter_modules(inspect_tui.core.__path__)
)


def test_core_has_modules() -> None:
    assert "inspect_tui.core.scoring" in CORE_MODULES
    assert "inspect_tui.core.checklist_loader" in CORE_MODULES


def test_core_imports_no_frameworks() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'tinydb', 'rich', 'reportlab', 'pyhanko'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core pulled in: {out.stdout.strip()}"

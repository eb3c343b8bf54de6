"""The real `inspect-tui` in a pipe on copies of the demo workspace, for the --json and lookup
tests: one demo built per session and copied, one signed export (report.json + signature)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from inspect_tui import keys
from inspect_tui.demo import DEMO_ID, ensure_demo
from tests.export.conftest import PASS, Signing, make_signing

BINARY = Path(sys.executable).parent / "inspect-tui"
_CACHE: dict[str, Path] = {}


def cli(*args: str | Path, columns: int | None = 200, signing: Signing | None = None,
        env: dict[str, str] | None = None, cwd: Path | None = None,
        ) -> subprocess.CompletedProcess[str]:
    """The installed command with stdout a pipe; `columns=None` leaves $COLUMNS unset, so the
    width is what a piped command gets by default."""
    full = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    full |= {"INSPECT_TUI_LANG": "zh", "INSPECT_TUI_INSPECTOR": "张组长"}
    if columns is not None:
        full["COLUMNS"] = str(columns)
    if signing is not None:
        full |= {keys.ENV_DIR: str(signing.folder), keys.ENV_PASSPHRASE: PASS}
    cmd = [str(BINARY)] if BINARY.exists() else [sys.executable, "-m", "inspect_tui"]
    return subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True,
                          env=full | (env or {}), cwd=cwd, stdin=subprocess.DEVNULL,
                          timeout=120)


def document(r: subprocess.CompletedProcess[str], what: str) -> dict[str, Any]:
    """stdout as exactly one JSON document of the format `what` (json.loads refuses
    anything before or after it), with no traceback anywhere."""
    assert "Traceback" not in r.stderr, r.stderr
    doc = json.loads(r.stdout)
    assert isinstance(doc, dict)
    assert (doc["format"], doc["version"]) == (f"inspect-tui/{what}", 1), r.stdout[:200]
    return doc


def demo_copy(cache_root: Path, target: Path) -> Path:
    """A fresh copy of the demo workspace (built once per session)."""
    if "demo" not in _CACHE:
        ensure_demo(cache_root / "demo-master")
        _CACHE["demo"] = cache_root / "demo-master"
    shutil.copytree(_CACHE["demo"], target, ignore=shutil.ignore_patterns(".lock"))
    return target


def signed_export(workspace: Path, out: Path, signing: Signing) -> Path:
    """`inspect-tui export --key 张组长 --format json` for real; the report folder."""
    r = cli("-w", workspace, "export", DEMO_ID, "--key", signing.info.name,
            "--format", "json", "--out", out, signing=signing)
    assert r.returncode == 0, r.stderr
    (folder,) = out.iterdir()
    return folder


def new_signing(folder: Path) -> Signing:
    return make_signing(folder)


def report_records(folder: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(site, record) for every record report.json prints an ID and QR code beside."""
    report = json.loads((folder / "report.json").read_bytes())
    return [(site, rec) for site in report["sites"] for rec in site["records"]]

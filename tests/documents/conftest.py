"""The demo with its document settings set through the real CLI, and one run of `doc all`
(both made once per test run: writing every document takes a while)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspect_tui.core.documents.inputs import DocInputs
from inspect_tui.demo import DEMO_ID, ensure_demo
from inspect_tui.export.documents_gather import document_inputs
from inspect_tui.store.workspace import Workspace

ISSUER = "兰溪市普法办"
DOC_NUMBER = "兰普法〔2026〕5号"


def cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inspect_tui", *map(str, args)],
                          capture_output=True, text=True, timeout=600, cwd=cwd, check=False)


@dataclass(frozen=True)
class Demo:
    workspace: Path
    root: Path


@dataclass(frozen=True)
class Written:
    folder: Path
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("documents")
    ensure_demo(root / "ws")
    done = cli("-w", root / "ws", "inspection", "set", "--issuer", ISSUER, "--doc-number",
               DOC_NUMBER, "--doc-date", "2026-12-01", "--signatories", "张组长,李华")
    assert done.returncode == 0, done.stderr
    return Demo(root / "ws", root)


@pytest.fixture(scope="session")
def inputs(demo: Demo) -> DocInputs:
    with Workspace.open(demo.workspace, create=False, readonly=True) as ws:
        return document_inputs(ws.inspection(DEMO_ID))


@pytest.fixture(scope="session")
def written(demo: Demo) -> Written:
    """`inspect-tui doc all` on the demo: every document as .docx and PDF."""
    out = demo.root / "exports"
    done = cli("-w", demo.workspace, "doc", "all", "--out", out)
    assert done.returncode == 0, done.stderr
    folders = list(out.iterdir())
    assert len(folders) == 1 and not folders[0].name.startswith(".")
    return Written(folders[0], done.stdout, done.stderr)

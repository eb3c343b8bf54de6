"""Shared, expensive fixtures: a signing key and one export of the demo, made once per run."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from inspect_tui import keys
from inspect_tui.demo import DEMO_ID, ensure_demo
from inspect_tui.export.errors import FontNotFoundError
from inspect_tui.export.fonts import find_cjk_font
from inspect_tui.export.run import ExportOptions, ExportResult, export_inspection
from inspect_tui.store.workspace import Workspace

PASS = "correct horse battery"


@dataclass(frozen=True)
class Signing:
    folder: Path  # the key folder (INSPECT_TUI_KEYS)
    info: keys.KeyInfo
    key: ec.EllipticCurvePrivateKey
    allowed_signers: Path


@dataclass(frozen=True)
class DemoExport:
    workspace: Path
    result: ExportResult

    @property
    def folder(self) -> Path:
        return self.result.folder


def _font_problem() -> str:
    try:
        find_cjk_font()
    except FontNotFoundError as exc:
        return str(exc)
    return ""


FONT_PROBLEM = _font_problem()
needs_font = pytest.mark.skipif(bool(FONT_PROBLEM), reason=f"no CJK font: {FONT_PROBLEM}")


def needs(tool: str, package: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(shutil.which(tool) is None,
                              reason=f"{tool} is not installed (Debian package {package})")


def run(*cmd: str | Path, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=120,
                          check=False, **kw)  # type: ignore[call-overload]


def make_signing(folder: Path, name: str = "张组长") -> Signing:
    info = keys.new_key(name, PASS, folder)
    allowed = folder / "allowed_signers"
    allowed.write_text(info.allowed_signers_line() + "\n", "utf-8")
    return Signing(folder, info, keys.load_private(name, PASS, folder), allowed)


@pytest.fixture(scope="session")
def signing(tmp_path_factory: pytest.TempPathFactory) -> Signing:
    return make_signing(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory: pytest.TempPathFactory, signing: Signing) -> DemoExport:
    if FONT_PROBLEM:
        pytest.skip(f"the PDF needs a CJK font: {FONT_PROBLEM}")
    root = tmp_path_factory.mktemp("demo")
    ensure_demo(root / "ws")
    with Workspace.open(root / "ws") as ws:
        result = export_inspection(ws.inspection(DEMO_ID), signing.key, signing.info.name,
                                   ExportOptions(out_dir=root / "exports"))
    return DemoExport(root / "ws", result)

"""A lead with keys, an inspection with a team and sites, and a signed setup pack."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from inspect_tui import keys
from inspect_tui.core import sshsig
from inspect_tui.store.pack import PACK_NAMESPACE, write_pack
from inspect_tui.store.setup_pack import signer_block, write_setup_pack
from inspect_tui.store.workspace import Workspace
from tests.checklist_samples import VALID

PASS = "correct horse battery"
LEAD = "张组长"
TEAM = ["张明", "李华", "王芳"]
SITES = ["马涧镇", "兰江街道"]
INSPECTION = "team-1"
EXE = Path(sys.executable).parent / "inspect-tui"


@dataclass(frozen=True)
class Setup:
    lead: Path
    pack: Path
    key: keys.KeyInfo
    keys: Path


def make_setup(tmp_path: Path, *, team: list[str] | None = None) -> Setup:
    folder = tmp_path / "lead-keys"
    info = keys.new_key(LEAD, PASS, folder)
    private = keys.load_private(LEAD, PASS, folder)
    lead = tmp_path / "lead"
    out = tmp_path / "team.setup"
    with Workspace.open(lead, author=LEAD) as ws:
        insp = ws.create_inspection(VALID.encode(), "sample.toml", title="样例普法检查",
                                    team=TEAM if team is None else team,
                                    inspection_id=INSPECTION)
        for name in SITES:
            insp.add_site(name, "乡镇街道", "第一组")
        write_setup_pack(ws, insp, out, lead=LEAD, lead_public_line=info.public_line,
                         sign=lambda m: sshsig.sign(m, private, PACK_NAMESPACE))
    return Setup(lead, out, info, folder)


def signed_pack(root: Path, name: str, out: Path, folder: Path) -> keys.KeyInfo:
    """`root`'s inspection packed and signed by `name`'s (new) key, as `pack --key` does."""
    info = keys.new_key(name, PASS, folder)
    private = keys.load_private(name, PASS, folder)
    with Workspace.open(root, author=name) as ws:
        write_pack(ws.inspection(INSPECTION), out, device=ws.device,
                   sign=lambda m: sshsig.sign(m, private, PACK_NAMESPACE),
                   extra={"signer": signer_block(name, info.public_line)})
    return info


def cli(cwd: Path, *args: str | Path, keys_dir: Path | None = None, code: int = 0,
        **env: str) -> subprocess.CompletedProcess[str]:
    """The real `inspect-tui` in a subprocess, stdin not a terminal; no traceback, ever."""
    full = {k: v for k, v in os.environ.items()
            if k not in ("INSPECT_TUI_INSPECTOR", "INSPECT_TUI_DEVICE")}
    full |= {"COLUMNS": "200", "INSPECT_TUI_LANG": "zh", "INSPECT_TUI_PASSPHRASE": PASS,
             "INSPECT_TUI_KEYS": str(keys_dir or cwd / "no-keys"), **env}
    cmd = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "inspect_tui"]
    r = subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                       env=full, stdin=subprocess.DEVNULL, timeout=120)
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == code, f"{args}: exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes (the lock file changes on every open and is left out)."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock"}

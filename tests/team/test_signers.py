"""Collecting the team's keys through packs: a signed pack carries its signer's key, the lead
confirms each new signer once (by name or fingerprint, or at a terminal prompt), and a pack
that claims a trusted name with another key, or names another key than the one that signed
it, is refused."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_tui import keys
from inspect_tui.core import sshsig
from inspect_tui.store import trust
from inspect_tui.store.merge import merge_into
from inspect_tui.store.merge_report import MERGED, SKIPPED
from inspect_tui.store.pack import PACK_NAMESPACE, write_pack
from inspect_tui.store.setup_pack import join, signer_block
from inspect_tui.store.workspace import Workspace
from tests.team.helpers import (
    EXE,
    INSPECTION,
    LEAD,
    PASS,
    Setup,
    cli,
    make_setup,
    signed_pack,
    snapshot,
)


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return make_setup(tmp_path)


def _laptop(tmp_path: Path, setup: Setup, name: str, points: float) -> Path:
    root = tmp_path / f"laptop-{name}"
    with Workspace.open(root) as ws:
        join(ws, setup.pack, name)
        insp = ws.inspection(INSPECTION)
        insp.set_fields(insp.sites()[0].site_id, "1.1", points=points)
    return root


def _merge(setup: Setup, *packs: Path) -> list[tuple[str, str, str]]:
    with Workspace.open(setup.lead, author=LEAD) as ws:
        report = merge_into(ws, list(packs), known=trust.load(setup.lead))
    return [(s.status, s.signature, s.reason) for s in report.sources]


def test_a_trusted_name_with_another_key_is_refused(tmp_path: Path, setup: Setup) -> None:
    laptop = _laptop(tmp_path, setup, "张明", 5)
    zhang = signed_pack(laptop, "张明", tmp_path / "real.pack", tmp_path / "zhang-keys")
    trust.add(setup.lead, [trust.PackSigner("张明", sshsig.public_key_blob(
        zhang.public_key())).line()])
    impostor = _laptop(tmp_path, setup, "李华", 1)
    with Workspace.open(impostor, author="张明") as ws:  # claims to be 张明, with its own key
        insp = ws.inspection(INSPECTION)
        insp.set_fields(insp.sites()[1].site_id, "1.1", points=1)
    fake = signed_pack(impostor, "张明", tmp_path / "fake.pack", tmp_path / "fake-keys")
    before = snapshot(setup.lead)
    [(status, signature, reason)] = _merge(setup, tmp_path / "fake.pack")
    assert (status, signature) == (SKIPPED, "invalid")
    assert fake.fingerprint in reason and zhang.fingerprint in reason and "冒名" in reason
    assert snapshot(setup.lead) == before
    assert _merge(setup, tmp_path / "real.pack")[0][:2] == (MERGED, "valid")


def test_a_manifest_naming_another_key_is_refused(tmp_path: Path, setup: Setup) -> None:
    laptop = _laptop(tmp_path, setup, "张明", 5)
    signer = keys.new_key("张明", PASS, tmp_path / "k1")
    other = keys.new_key("张明", PASS, tmp_path / "k2")
    private = keys.load_private("张明", PASS, tmp_path / "k1")
    pack = tmp_path / "swapped.pack"
    with Workspace.open(laptop) as ws:
        write_pack(ws.inspection(INSPECTION), pack, device=ws.device,
                   sign=lambda m: sshsig.sign(m, private, PACK_NAMESPACE),
                   extra={"signer": signer_block("张明", other.public_line)})
    [(status, signature, reason)] = _merge(setup, pack)
    assert (status, signature) == (SKIPPED, "invalid")
    assert signer.fingerprint in reason and "不符" in reason
    assert trust.new_signers([pack], trust.load(setup.lead)) == []  # never offered


def test_accepting_by_fingerprint_and_the_mistakes(tmp_path: Path, setup: Setup) -> None:
    laptop = _laptop(tmp_path, setup, "张明", 5)
    zhang = signed_pack(laptop, "张明", tmp_path / "zhang.pack", tmp_path / "zhang-keys")
    lead = setup.lead
    cli(tmp_path, "-w", lead, "inspector", "set", LEAD)
    before = snapshot(lead)
    r = cli(tmp_path, "-w", lead, "merge", "zhang.pack", "--accept-signer", "赵六", code=2)
    assert "赵六" in r.stderr and zhang.fingerprint in r.stderr
    trusted = tmp_path / "list"
    trusted.write_text(setup.key.allowed_signers_line() + "\n")
    r = cli(tmp_path, "-w", lead, "merge", "zhang.pack", "--trusted", trusted,
            "--accept-signer", "张明", code=2)
    assert "--accept-signer" in r.stderr and "--trusted" in r.stderr
    assert snapshot(lead) == before
    r = cli(tmp_path, "-w", lead, "merge", "zhang.pack", "--json", code=1)
    held = json.loads(r.stdout)  # stdout stays one JSON document
    assert held["sources"][0]["status"] == SKIPPED
    r = cli(tmp_path, "-w", lead, "merge", "zhang.pack", "--accept-signer", zhang.fingerprint)
    assert "有效：张明" in r.stdout and f"已信任 “张明”（{zhang.fingerprint}）" in r.stdout


def test_a_terminal_is_asked_once_per_new_signer(tmp_path: Path, setup: Setup) -> None:
    li_laptop = _laptop(tmp_path, setup, "李华", 3)
    wang_laptop = _laptop(tmp_path, setup, "王芳", 2)
    li = signed_pack(li_laptop, "李华", tmp_path / "li.pack", tmp_path / "li-keys")
    wang = signed_pack(wang_laptop, "王芳", tmp_path / "wang.pack", tmp_path / "wang-keys")
    env = {k: v for k, v in os.environ.items() if k != "INSPECT_TUI_DEVICE"}
    env |= {"INSPECT_TUI_LANG": "zh", "COLUMNS": "200", "INSPECT_TUI_INSPECTOR": LEAD}
    cmd = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "inspect_tui"]
    main, side = pty.openpty()
    try:  # stdin is a terminal: each new signer is shown and asked about
        os.write(main, b"y\nn\n")
        r = subprocess.run([*cmd, "-w", str(setup.lead), "merge", "li.pack", "wang.pack"],
                           stdin=side, capture_output=True, text=True, cwd=tmp_path, env=env,
                           timeout=120)
    finally:
        os.close(side)
        os.close(main)
    assert "Traceback" not in r.stderr
    assert r.returncode == 1  # 王芳's pack waits
    assert li.fingerprint in r.stdout and wang.fingerprint in r.stdout
    assert r.stdout.count("[y/N]") == 2 and "有效：李华" in r.stdout
    trusted = trust.load(setup.lead)
    assert any(s.key_blob == sshsig.public_key_blob(li.public_key()) for s in trusted)
    assert not any(s.key_blob == sshsig.public_key_blob(wang.public_key()) for s in trusted)

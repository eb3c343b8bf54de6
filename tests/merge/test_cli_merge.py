"""`inspect-tui merge / pack / conflicts` for real, in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from inspect_tui import keys
from inspect_tui.store.pack import PACK_NAMESPACE
from tests.conftest import REPO
from tests.merge.helpers import copy_laptop, make_lead, opened, snapshot

PASS = "correct horse battery"


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("inspect-tui", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "inspect_tui"]
    full_env = {**os.environ, "COLUMNS": "200", "INSPECT_TUI_LANG": "zh", **env}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=REPO,
                          env=full_env, stdin=subprocess.DEVNULL, timeout=60)


def _laptops(tmp_path: Path) -> tuple[Path, Path, Path, str]:
    lead = tmp_path / "lead"
    (site,) = make_lead(lead)
    a, b = copy_laptop(lead, tmp_path / "a"), copy_laptop(lead, tmp_path / "b")
    with opened(a, "张明") as insp:
        insp.set_fields(site, "1.1", points=5)
    with opened(b, "李华") as insp:
        insp.set_fields(site, "1.1", points=3)
        insp.set_fields(site, "1.2", points=4)
    return lead, a, b, site


def test_merge_then_settle_the_conflict(tmp_path: Path) -> None:
    lead, a, b, site = _laptops(tmp_path)
    r = cli("-w", str(lead), "merge", str(a), str(b))
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("已合并") == 2 and "合并报告已保存" in r.stdout
    assert "1 处冲突" in r.stdout
    r = cli("-w", str(lead), "conflicts", "list")
    assert r.returncode == 0, r.stderr
    assert "张明" in r.stdout and "李华" in r.stdout and "马涧镇" in r.stdout
    with opened(lead) as insp:
        rid = insp.record(site, "1.1").record_id
    r = cli("-w", str(lead), "conflicts", "resolve", rid, "points", "--pick", "9")
    assert r.returncode == 2 and "--pick 应在 1 到 2 之间" in r.stderr
    r = cli("-w", str(lead), "conflicts", "resolve", rid, "points", "4.5")
    assert r.returncode == 0, r.stderr
    assert "4.5" in r.stdout
    r = cli("-w", str(lead), "conflicts")
    assert r.returncode == 0 and "没有待处理的冲突" in r.stdout
    r = cli("-w", str(lead), "merge", str(a), str(b))
    assert r.returncode == 0 and "没有新内容" in r.stdout


def test_signed_pack_through_the_cli(tmp_path: Path) -> None:
    lead, a, _, _ = _laptops(tmp_path)
    folder = tmp_path / "keys"
    info = keys.new_key("张明", PASS, folder)
    trusted = tmp_path / "allowed_signers"
    trusted.write_text(info.allowed_signers_line(PACK_NAMESPACE) + "\n", "utf-8")
    pack = tmp_path / "zhang.pack"
    r = cli("-w", str(a), "pack", "--out", str(pack), "--key", "张明",
            INSPECT_TUI_KEYS=str(folder), INSPECT_TUI_PASSPHRASE=PASS)
    assert r.returncode == 0, r.stderr
    assert str(pack) in r.stdout and "已签名" in r.stdout
    r = cli("merge", str(pack), "--into", str(lead), "--trusted", str(trusted))
    assert r.returncode == 0, r.stderr
    assert "有效：张明" in r.stdout


def test_wrong_passphrase_writes_no_pack(tmp_path: Path) -> None:
    _, a, _, _ = _laptops(tmp_path)
    folder = tmp_path / "keys"
    keys.new_key("张明", PASS, folder)
    r = cli("-w", str(a), "pack", "--out", str(tmp_path / "x.pack"), "--key", "张明",
            INSPECT_TUI_KEYS=str(folder), INSPECT_TUI_PASSPHRASE="wrong passphrase")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert not (tmp_path / "x.pack").exists()


def test_refusal_is_one_paragraph_exit_2(tmp_path: Path) -> None:
    lead, _, _, _ = _laptops(tmp_path)
    other = tmp_path / "other"
    make_lead(other, inspection_id="insp-2")
    before = snapshot(lead)
    r = cli("merge", str(other), "--into", str(lead))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "insp-2" in r.stderr and "insp-1" in r.stderr and str(other) in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert snapshot(lead) == before


def test_skipped_source_exit_1_with_reason(tmp_path: Path) -> None:
    lead, a, _, _ = _laptops(tmp_path)
    fake = tmp_path / "fake.pack"
    fake.write_bytes(b"not a zip")
    r = cli("--lang", "en", "merge", str(fake), str(a), "--into", str(lead))
    assert r.returncode == 1, r.stderr
    assert "skipped" in r.stdout and "merged" in r.stdout and "not a sound pack" in r.stdout


def test_a_pipe_given_as_a_source_is_named_for_what_it_is(tmp_path: Path) -> None:
    """A FIFO (or device) is neither a workspace nor a pack: refused at once, never opened (a
    FIFO would block the merge), and not called missing."""
    lead, _, _, _ = _laptops(tmp_path)
    fifo = tmp_path / "usb.pack"
    os.mkfifo(fifo)
    before = snapshot(lead)
    r = cli("-w", str(lead), "merge", str(fifo))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert str(fifo) in r.stderr and "既不是文件夹，也不是普通文件" in r.stderr
    assert "找不到" not in r.stderr
    assert snapshot(lead) == before

"""Issue 17's team day, played with the real CLI on real folders.

The lead makes keys, the inspection and its sites, and a signed setup pack; three laptops join
it as 张明, 李华 and 王芳 and make their own keys; they score (through the store API, which
takes the name each laptop remembers), pack and sign; the lead merges, accepting each new
signer by the fingerprint its owner was shown, settles a conflict and exports. Every author in
report.json is one of the four, and every record ID it prints resolves with `lookup`.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from inspect_tui.store.workspace import Workspace
from tests.checklist_samples import VALID

PASS = "correct horse battery"
LEAD = "张组长"
TEAM = ("张明", "李华", "王芳")
FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")
EXE = Path(sys.executable).parent / "inspect-tui"


@pytest.fixture(autouse=True)
def nobody_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    """The names must come from each workspace, not from the test's environment."""
    monkeypatch.delenv("INSPECT_TUI_INSPECTOR", raising=False)
    monkeypatch.delenv("INSPECT_TUI_DEVICE", raising=False)


def cli(cwd: Path, *args: str | Path, keys: Path | None = None,
        code: int = 0) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("INSPECT_TUI_INSPECTOR", "INSPECT_TUI_DEVICE")}
    env |= {"COLUMNS": "200", "INSPECT_TUI_LANG": "zh", "INSPECT_TUI_PASSPHRASE": PASS,
            "INSPECT_TUI_KEYS": str(keys or cwd / "no-keys")}
    cmd = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "inspect_tui"]
    r = subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                       env=env, stdin=subprocess.DEVNULL, timeout=120)
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == code, f"{args}: exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r


def new_key(cwd: Path, name: str) -> tuple[Path, str]:
    """A laptop's own key folder and the fingerprint `keys new` showed its owner."""
    folder = cwd / f"keys-{len(list(cwd.glob('keys-*')))}"
    shown = cli(cwd, "keys", "new", "--name", name, keys=folder).stdout
    (fingerprint,) = FINGERPRINT.findall(shown)
    return folder, fingerprint


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock"}


def authors(data: Any) -> Iterator[str]:
    """Every name report.json gives as someone who did something."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("author", "updated_by") and value:
                yield value
            elif key == "inspectors":
                yield from value
            else:
                yield from authors(value)
    elif isinstance(data, list):
        for item in data:
            yield from authors(item)


def test_the_team_day(tmp_path: Path) -> None:
    (tmp_path / "sample.toml").write_text(VALID, "utf-8")
    lead_keys, lead_fp = new_key(tmp_path, LEAD)

    # ---- the lead sets up the inspection and hands out one file -----------------------------
    lead = tmp_path / "lead"
    cli(tmp_path, "-w", lead, "inspector", "set", LEAD)
    cli(tmp_path, "-w", lead, "inspection", "new", "--checklist", "sample.toml",
        "--title", "样例普法检查", "--team", ",".join(TEAM), "--id", "day-1")
    for name in ("马涧镇", "兰江街道", "赤溪街道"):
        cli(tmp_path, "-w", lead, "site", "add", name, "--kind", "乡镇街道", "--group", "第一组")
    made = cli(tmp_path, "-w", lead, "pack", "--setup", "--out", "team.setup", "--key", LEAD,
               keys=lead_keys).stdout
    assert lead_fp in made and "inspect-tui join team.setup --as" in made
    cli(tmp_path, "-w", lead, "pack", "--setup", "--out", "unsigned.setup", code=2)

    # ---- three laptops join, each as its inspector, and make their own keys ----------------
    laptops: dict[str, tuple[Path, Path, str]] = {}
    for name in TEAM:
        root = tmp_path / f"laptop-{name}"
        joined = cli(tmp_path, "join", "team.setup", "--as", name, "--workspace", root).stdout
        assert lead_fp in joined and name in joined and "3 个检查点" in joined
        assert f"的记录人：{name}（本工作区记住的姓名）" in cli(tmp_path, "-w", root,
                                                           "inspector").stdout
        folder, fp = new_key(tmp_path, name)
        laptops[name] = (root, folder, fp)
    zhang = laptops["张明"][0]
    before = snapshot(zhang)
    again = cli(tmp_path, "join", "team.setup", "--as", "张明", "--workspace", zhang, code=2)
    assert "已加入过" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    assert snapshot(zhang) == before
    cli(tmp_path, "join", "team.setup", "--as", "赵六", "--workspace", tmp_path / "x", code=2)
    assert not (tmp_path / "x").exists()

    # ---- they score: the store takes each laptop's remembered name -------------------------
    scores = {"张明": (0, {"1.1": 5, "1.2": 4}), "李华": (1, {"1.1": 6, "1.2": 4}),
              "王芳": (2, {"1.1": 2})}  # 王芳 leaves 1.2 unscored
    for name, (n, values) in scores.items():
        with Workspace.open(laptops[name][0]) as ws:
            insp = ws.inspection("day-1")
            assert insp.author == name
            sites = insp.sites()
            for criterion, points in values.items():
                insp.set_fields(sites[n].site_id, criterion, points=points)
            if name == "李华":  # both score 马涧镇 1.1, differently: a conflict for the lead
                insp.set_fields(sites[0].site_id, "1.1", points=3)
    packs = []
    for name, (root, folder, _) in laptops.items():
        out = tmp_path / f"{name}.pack"
        cli(tmp_path, "-w", root, "pack", "--out", out, "--key", name, keys=folder)
        packs.append(out)
    # a key is bound to its owner's name: 李华 cannot sign as 张明
    cli(tmp_path, "-w", laptops["李华"][0], "pack", "--out", "x.pack", "--key", "张明",
        keys=laptops["张明"][1], code=2)

    # ---- the lead merges: new signers are shown, held back, then accepted ------------------
    before = snapshot(lead)
    held = cli(tmp_path, "-w", lead, "merge", *packs, code=1).stdout
    for name, (_, _, fp) in laptops.items():
        assert name in held and fp in held and f"--accept-signer {name}" in held
    assert snapshot(lead) == before
    merged = cli(tmp_path, "-w", lead, "merge", *packs,
                 *[a for name in TEAM for a in ("--accept-signer", name)]).stdout
    assert all(f"有效：{name}" in merged for name in TEAM)
    trusted = (lead / "trusted_signers").read_text("utf-8")
    assert sum(1 for ln in trusted.splitlines() if ln and not ln.startswith("#")) == 4
    again = cli(tmp_path, "-w", lead, "merge", *packs).stdout  # trusted now: no question
    assert all(f"有效：{name}" in again for name in TEAM) and "无新内容" in again

    # ---- the lead settles the conflict under his own name ---------------------------------
    listed = json.loads(cli(tmp_path, "-w", lead, "conflicts", "list", "--json").stdout)
    (conflict,) = listed["conflicts"]
    assert {v["author"] for v in conflict["values"]} == {"张明", "李华"}
    cli(tmp_path, "-w", lead, "conflicts", "resolve", conflict["target"], "points", "4")

    # ---- export; every author is a real name, every printed ID resolves -------------------
    cli(tmp_path, "-w", lead, "export", "--key", LEAD, "--format", "json", "--out", "exports",
        keys=lead_keys)
    (report_path,) = (tmp_path / "exports").glob("*/report.json")
    report = json.loads(report_path.read_text("utf-8"))
    names = set(authors(report))
    assert names == {LEAD, *TEAM}, names
    assert "root" not in names and getpass.getuser() not in names
    records = {r["record_id"]: r for s in report["sites"] for r in s["records"]}
    assert records[conflict["record_id"]]["updated_by"] == LEAD
    assert len(records) == 6 and sum(r["score"] is None for r in records.values()) == 1
    found = json.loads(cli(tmp_path, "-w", lead, "lookup", *records, "--json").stdout)
    assert sorted(r["record_id"] for r in found["records"]) == sorted(records)
    # the lead's key, trusted in his workspace's list, verifies the report
    cli(tmp_path, "verify", report_path.parent, "--trusted", lead / "trusted_signers")

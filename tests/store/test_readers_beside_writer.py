"""Read-only commands run beside the writer: no lock, nothing written, never a half state.

Issue 15, 2.10: `conflicts list`, `lookup`, `site list`, `inspection list` and `export` were
refused while the app held the workspace. They now open it read-only: no writer lock, no
device.json, no lock file, no temp file, no backup — and every write refused. An inspection is
several files (inspection.json and one per site), so a reader reads them as one consistent
version even while another process saves.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_tui import keys
from inspect_tui.core.history import verify_chains
from inspect_tui.store import reader
from inspect_tui.store.durable_storage import ReadOnlyStorage
from inspect_tui.store.errors import StoreError
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.merge_txn import JOURNAL, JOURNAL_FORMAT, Transaction, recover
from inspect_tui.store.workspace import Workspace
from tests.conftest import REPO
from tests.merge.helpers import INSPECTION, copy_laptop, make_lead, merge, opened

PASS = "correct horse battery"


def cli(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("inspect-tui", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "inspect_tui"]
    full = {**os.environ, "COLUMNS": "200", "INSPECT_TUI_LANG": "zh", **env}
    return subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, cwd=REPO,
                          env=full, stdin=subprocess.DEVNULL, timeout=120)


def listing(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder (hidden ones too: .lock, temp files, .bak) with size, mtime, inode."""
    found = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        found[path.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return found


@pytest.fixture
def lead(tmp_path: Path) -> tuple[Path, str, str]:
    """A workspace with scores from two laptops and one conflict; (root, site, record id)."""
    root = tmp_path / "lead"
    (site,) = make_lead(root)
    a, b = copy_laptop(root, tmp_path / "a"), copy_laptop(root, tmp_path / "b")
    with opened(a, "张明") as insp:
        insp.set_fields(site, "1.1", points=5, problems="台账不全")
    with opened(b, "李华") as insp:
        insp.set_fields(site, "1.1", points=3)
        insp.set_fields(site, "1.2", points=4)
    merge(root, a, b)
    with opened(root) as insp:
        rid = insp.record(site, "1.1").record_id
    return root, site, rid


@pytest.fixture
def key_env(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "keys"
    keys.new_key("张组长", PASS, folder)
    return {"INSPECT_TUI_KEYS": str(folder), "INSPECT_TUI_PASSPHRASE": PASS}


@pytest.fixture
def holder(lead: tuple[Path, str, str]) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the workspace open as its writer (as the app does)."""
    root = lead[0]
    proc = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from inspect_tui.store.workspace import Workspace\n"
         f"ws = Workspace.open({str(root)!r}, author='组长')\n"
         f"ws.inspection({INSPECTION!r}); print('held', flush=True)\n"
         "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    yield proc
    proc.communicate("", timeout=60)


def test_read_commands_work_beside_the_writer_and_write_nothing(
        tmp_path: Path, lead: tuple[Path, str, str], holder: subprocess.Popen[str],
        key_env: dict[str, str]) -> None:
    root, _, rid = lead
    before = listing(root)
    out = tmp_path / "exports"

    r = cli("-w", root, "site", "list")
    assert r.returncode == 0, r.stderr
    assert "马涧镇" in r.stdout
    r = cli("-w", root, "inspection", "list")
    assert r.returncode == 0 and INSPECTION in r.stdout, r.stderr
    r = cli("-w", root, "lookup", rid)
    assert r.returncode == 0 and rid in r.stdout and "马涧镇" in r.stdout, r.stderr
    for args in (["conflicts", "list"], ["conflicts"]):
        r = cli("-w", root, *args)
        assert r.returncode == 0, r.stderr
        assert "张明" in r.stdout and "李华" in r.stdout and "冲突（1 处）" in r.stdout
    r = cli("-w", root, "export", "--format", "json", "--allow-conflicts", "--out", out,
            **key_env)
    assert r.returncode == 0, r.stderr
    (folder,) = out.iterdir()
    report = json.loads((folder / "report.json").read_bytes())
    assert [s["name"] for s in report["sites"]] == ["马涧镇"]

    assert listing(root) == before  # not one file or folder created, changed or touched
    assert "Traceback" not in r.stderr

    # A command that writes still waits for the writer: refused, clearly, nothing changed.
    r = cli("-w", root, "site", "add", "新检查点", "--kind", "部门")
    assert r.returncode == 2 and "正被另一个程序使用" in r.stderr and str(holder.pid) in r.stderr
    assert "Traceback" not in r.stderr
    assert listing(root) == before


def test_reader_refuses_every_write_and_creates_nothing(
        tmp_path: Path, lead: tuple[Path, str, str]) -> None:
    root, site, _ = lead
    (root / "device.json").unlink()  # a fresh copy: a writer would make one, a reader never
    (root / ".lock").unlink(missing_ok=True)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"photo")
    before = listing(root)
    with Workspace.open(root, readonly=True) as ws:
        insp = ws.inspection(INSPECTION)
        assert insp.record(site, "1.2").points == 4
        writes = [
            lambda: insp.set_fields(site, "1.2", points=1),
            lambda: insp.add_site("新检查点", "部门"),
            lambda: insp.update_site(site, name="改名"),
            lambda: insp.set_inspection_fields(title="新标题"),
            lambda: insp.attach_evidence(site, "1.1", photo),
            lambda: insp.main.db.table("meta").insert({"x": 1}),
            lambda: ws.create_inspection(b"", "x.toml", title="新检查"),
        ]
        for write in writes:
            with pytest.raises(ReadOnlyStorage) as info:
                write()
            message = str(info.value)
            assert "只读" in message and str(root) in message
        assert insp.record(site, "1.2").points == 4  # memory unchanged too
    assert listing(root) == before
    assert not (root / "device.json").exists() and not (root / ".lock").exists()


def test_reader_of_a_missing_workspace_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Workspace.open(tmp_path / "nothing", readonly=True)
    assert info.value.key == "store.no_workspace"
    assert not (tmp_path / "nothing").exists()


def _check_consistent(insp: Inspection) -> None:
    """What a half state would break: every record's site known, no chain with a hole."""
    assert verify_chains(insp.all_entries()) == []
    known = {s.site_id for s in insp.sites(include_removed=True)}
    for e in insp.all_entries():
        if e.entity.startswith("record:"):
            assert e.context["site"] in known, e


def test_reader_never_combines_an_old_inspection_json_with_a_newer_site_file(
        lead: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Right after the reader took inspection.json, the writer saves twice: a site renamed
    (inspection.json) then a score (the site file). Taking the site file now gives a version
    newer than the inspection.json taken: the reader must take both again, not show a score
    whose history has a hole (the rename missing)."""
    root, site, _ = lead
    writer = Workspace.open(root, author="组长")
    w_insp = writer.inspection(INSPECTION)
    original = reader.read_db_bytes
    taken: list[str] = []
    rounds: list[int] = []

    def racing(path: Path) -> bytes:
        data = original(path)
        taken.append(path.name)
        if len(taken) == 1:  # inspection.json taken; now the writer moves on
            rounds.append(1)
            w_insp.update_site(site, name=f"马涧镇（改{len(rounds)}）")
            w_insp.set_fields(site, "1.2", points=2, notes=f"改名后打分{len(rounds)}")
        return data

    try:
        monkeypatch.setattr(reader, "read_db_bytes", racing)
        with Workspace.open(root, readonly=True) as ws:
            insp = ws.inspection(INSPECTION)
            _check_consistent(insp)
            assert taken.count("inspection.json") == 2  # the first take was dropped
            assert insp.site(site).name == "马涧镇（改1）"
            assert insp.record(site, "1.2").notes == "改名后打分1"

        # Without the before/after check the same race gives exactly that half state.
        taken.clear()
        monkeypatch.setattr(reader, "signature", lambda folder: ())
        with Workspace.open(root, readonly=True) as ws:
            insp = ws.inspection(INSPECTION)
            assert [p.kind for p in verify_chains(insp.all_entries())] == ["gap"]
            assert insp.site(site).name == "马涧镇（改1）"  # the old name…
            assert insp.record(site, "1.2").notes == "改名后打分2"  # …with the newer score
    finally:
        writer.close()


def test_site_file_newer_than_inspection_json_on_disk_is_no_crash(
        tmp_path: Path, lead: tuple[Path, str, str], key_env: dict[str, str]) -> None:
    """A lasting mix (inspection.json put back from an older copy): read-only commands end
    with their result or one clear paragraph, never a traceback, and change nothing."""
    root, _, _ = lead
    main = root / "inspections" / INSPECTION / "inspection.json"
    older = main.read_bytes()
    with opened(root, "组长") as insp:
        new = insp.add_site("新检查点", "部门")
        insp.set_fields(new.site_id, "1.1", points=2)
        rid = insp.record(new.site_id, "1.1").record_id
    main.write_bytes(older)  # the site file knows a site inspection.json does not
    before = listing(root)
    runs = [cli("-w", root, "site", "list"), cli("-w", root, "lookup", rid),
            cli("-w", root, "conflicts", "list"), cli("-w", root, "inspection", "list"),
            cli("-w", root, "export", "--format", "json", "--allow-conflicts",
                "--out", tmp_path / "out", **key_env)]
    for r in runs:
        assert r.returncode in (0, 2), (r.args, r.stderr)
        assert "Traceback" not in r.stderr + r.stdout
        if r.returncode == 2:
            assert r.stderr.strip() and "\n\n" not in r.stderr.strip()
    assert runs[0].returncode == 0 and "马涧镇" in runs[0].stdout
    assert "新检查点" not in runs[0].stdout  # a site inspection.json does not name: not shown
    assert listing(root) == before


WRITER = """
import random, sys
from pathlib import Path
from inspect_tui.store.workspace import Workspace
ws = Workspace.open(sys.argv[1], author="写入者")
insp = ws.inspection(sys.argv[2])
criteria = [c.id for c in insp.checklist.criteria]
rng = random.Random(5)
stop = Path(sys.argv[4])
print("ready", flush=True)
i = 0
# at least the given number of saves, then on until the reader has read enough (stop file)
while i < int(sys.argv[3]) or not stop.exists():
    if i % 8 == 0 and i < 160:  # a new site: its file first, then inspection.json
        insp.add_site(f"检查点{i}", "部门")
    site = rng.choice(insp.sites()).site_id
    insp.set_fields(site, rng.choice(criteria), notes=f"第{i}次保存")
    if i % 3 == 0:  # inspection.json again
        insp.update_site(site, group=f"第{i}组")
    i += 1
ws.close()
print("done", flush=True)
"""


def test_reader_while_another_process_saves_never_errors_nor_sees_a_half_state(
        lead: tuple[Path, str, str]) -> None:
    root, _, _ = lead
    stop = root.parent / "enough-reads"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(root), INSPECTION, "160",
                               str(stop)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    reads, last_seq, seen_sites = 0, 0, 0
    cli_runs: list[subprocess.CompletedProcess[str]] = []
    try:
        deadline = time.monotonic() + 120
        while writer.poll() is None and time.monotonic() < deadline:
            with Workspace.open(root, readonly=True) as ws:
                insp = ws.inspection(INSPECTION)
                _check_consistent(insp)
                mine = [e.seq for e in insp.all_entries() if e.author == "写入者"]
                seq = max(mine, default=0)
                assert seq >= last_seq  # never an older version after a newer one
                last_seq, seen_sites = seq, len(insp.sites())
            reads += 1
            if reads == 20:  # however slow this machine, the reads overlap the saves
                stop.touch()
            if reads % 15 == 0:
                cli_runs.append(cli("-w", root, "site", "list"))
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=120)
    assert writer.returncode == 0 and "done" in out
    assert reads >= 20, reads  # the reads really overlapped the saves
    for r in cli_runs:
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    with Workspace.open(root, readonly=True) as ws:
        insp = ws.inspection(INSPECTION)
        _check_consistent(insp)
        assert len(insp.sites()) == 1 + 20 >= seen_sites


def _half_committed_merge(root: Path, title: str) -> Path:
    """A merge whose journal is written but not carried out (as if the writer is at it, or
    crashed there): inspection.json's new version waits in the staging folder."""
    folder = root / "inspections" / INSPECTION
    with opened(root, "组长") as insp:
        insp.set_inspection_fields(title=title)
    new = (folder / "inspection.json").read_bytes()
    shutil.copy2(folder / "inspection.json.bak", folder / "inspection.json")  # the old one
    txn = Transaction(folder)
    txn.stage("inspection.json").write_bytes(new)
    journal = {"format": JOURNAL_FORMAT, "moves": [list(m) for m in txn.moves]}
    (folder / JOURNAL).write_text(json.dumps(journal), "utf-8")
    return folder


def test_reader_waits_for_a_merge_being_committed(
        lead: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    root, _, _ = lead
    folder = _half_committed_merge(root, "合并后的标题")
    sleeps: list[float] = []

    def writer_finishes(seconds: float) -> None:  # while the reader waits, the writer is done
        sleeps.append(seconds)
        if len(sleeps) == 2:
            recover(folder)

    monkeypatch.setattr(reader.time, "sleep", writer_finishes)
    with Workspace.open(root, readonly=True) as ws:
        assert ws.inspection(INSPECTION).title == "合并后的标题"
    assert len(sleeps) == 2


def test_reader_never_finishes_an_interrupted_merge_itself(
        lead: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    root, _, _ = lead
    folder = _half_committed_merge(root, "合并后的标题")
    before = listing(root)
    monkeypatch.setattr(reader, "TRIES", 3)
    monkeypatch.setattr(reader, "FIRST_PAUSE", 0.001)
    with Workspace.open(root, readonly=True) as ws, pytest.raises(StoreError) as info:
        ws.inspection(INSPECTION)
    message = str(info.value)
    assert str(folder) in message and "合并尚未完成" in message and "没有改动任何文件" in message
    assert listing(root) == before  # the journal and the staged file are left to the writer
    with opened(root) as insp:  # the writer finishes it
        assert insp.title == "合并后的标题"
    with Workspace.open(root, readonly=True) as ws:
        assert ws.inspection(INSPECTION).title == "合并后的标题"

"""A really read-only disk (a tmpfs remounted ro: EROFS, even for root): a clear refusal that
names the workspace, read-only checks still work, nothing is lost, and saving resumes once
the disk is writable again."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspect_tui.store.doctor import Level, check_workspace
from inspect_tui.store.errors import StoreError, WriteFailed
from inspect_tui.store.merge import merge_into
from inspect_tui.store.merge_errors import MergeRefused
from inspect_tui.store.workspace import Workspace
from tests.export.conftest import Signing
from tests.faults.conftest import (
    MountTmpfs,
    assert_clean_failure,
    cli,
    files,
    key_env,
    make_workspace,
    site_file,
)
from tests.merge.helpers import copy_laptop, opened
from tests.tui.helpers import app_on, wait_for

EROFS = "Read-only file system"


def test_opening_a_read_only_workspace_says_so(tmp_path: Path, tmpfs: MountTmpfs,
                                               signing: Signing) -> None:
    disk = tmpfs(tmp_path / "disk")
    root = disk.path / "ws"
    make_workspace(root)
    before = files(root)
    disk.read_only()

    with pytest.raises(StoreError) as info:
        Workspace.open(root)
    assert info.value.key == "store.readonly"
    assert str(root) in str(info.value) and "是只读的" in str(info.value)

    doctor = cli("-w", root, "doctor")  # only reads: it works on a read-only disk
    assert doctor.returncode == 0 and "0 个错误" in doctor.stdout, doctor.stdout + doctor.stderr
    assert "Traceback" not in doctor.stderr
    # Listing and exporting only read (no lock, nothing written): they work here too.
    for args in (["site", "list"], ["inspection", "list"], ["conflicts", "list"],
                 ["export", "--format", "json", "--out", str(tmp_path / "out")]):
        r = cli("-w", root, *args, env=key_env(signing))
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert (tmp_path / "out").is_dir()  # the report goes outside the workspace
    # Commands that write take the writer lock first: refused, clearly.
    for args in (["site", "add", "新检查点", "--kind", "部门"], ["merge", str(tmp_path)]):
        r = cli("-w", root, *args, env=key_env(signing))
        assert_clean_failure(r, f"工作区 {root} 是只读的")

    disk.writable()
    assert files(root) == before


async def test_the_app_on_a_read_only_workspace_ends_with_the_reason(
        tmp_path: Path, tmpfs: MountTmpfs, capsys: pytest.CaptureFixture[str]) -> None:
    disk = tmpfs(tmp_path / "disk")
    root = disk.path / "ws"
    make_workspace(root)
    disk.read_only()
    app = app_on(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app._exit)
    assert app.return_code == 2
    said = "".join(capsys.readouterr().err.split())  # printed on exit, wrapped to the width
    assert f"错误：工作区{root}是只读的" in said, said
    assert "Traceback" not in said


def test_disk_turning_read_only_after_opening(tmp_path: Path, tmpfs: MountTmpfs) -> None:
    """The data folders go read-only under an open workspace (as a failing USB disk is
    remounted read-only by the kernel). tmpfs refuses `remount,ro` while a file on it is open
    for writing, and the open workspace keeps `.lock` so; so `inspections/` and `evidence/`
    are their own mounts, as a data disk would be, and `.lock` stays on the regular disk."""
    root = tmp_path / "ws"
    Workspace.open(root).close()
    mounts = [tmpfs(root / "inspections"), tmpfs(root / "evidence")]
    site = make_workspace(root)
    laptop = copy_laptop(root, tmp_path / "laptop")
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8 photo of the sign-in sheet")
    with opened(laptop, "李华") as insp:
        insp.attach_evidence(site, "1.2", photo)

    with Workspace.open(root) as ws:
        insp = ws.inspection("insp-1")
        insp.set_fields(site, "1.1", points=6)  # saved while writable
        before = files(root)
        for m in mounts:
            m.read_only()

        with pytest.raises(WriteFailed) as info:
            insp.set_fields(site, "1.1", points=2)
        assert str(site_file(insp, site)) in str(info.value) and EROFS in str(info.value)
        assert insp.record(site, "1.1").points == 6
        with pytest.raises(WriteFailed) as info:
            insp.add_site("新检查点", "部门")
        assert EROFS in str(info.value)
        with pytest.raises(StoreError) as info:
            insp.attach_evidence(site, "1.1", photo)
        assert info.value.key == "evidence.copy_failed" and EROFS in str(info.value)
        with pytest.raises(MergeRefused) as info:
            merge_into(ws, [laptop])
        assert str(root / "evidence") in str(info.value) and EROFS in str(info.value)
        assert [s.name for s in insp.sites()] == ["马涧镇"]

        for m in mounts:
            m.writable()
        assert files(root) == before
        insp.set_fields(site, "1.1", points=2)  # the retry, in the same session
    with opened(root) as insp:
        assert insp.record(site, "1.1").points == 2
        assert insp.record(site, "1.1").problems == "典型案例数量不足"
        assert insp.record(site, "1.2").points == 4
    assert [f for f in check_workspace(root) if f.level is Level.ERROR] == []

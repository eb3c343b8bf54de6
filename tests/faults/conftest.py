"""Fault injection for real: a full disk, a read-only disk, killed processes, a wrong clock.

The filesystem faults are not patched: a small tmpfs is mounted inside the test's tmp_path,
filled until the kernel answers ENOSPC, or remounted read-only (EROFS even for root), and
unmounted again at teardown. Mounting needs root (CI runs as root); elsewhere those tests skip.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from inspect_tui import keys
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.workspace import Workspace
from tests.checklist_samples import VALID
from tests.conftest import REPO
from tests.export.conftest import PASS, Signing, make_signing

PAGE = 4096  # tmpfs counts its size in pages


@pytest.fixture(autouse=True)
def inspector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", "张明")
    monkeypatch.delenv("INSPECT_TUI_DEVICE", raising=False)


class Tmpfs:
    """A small tmpfs mounted at `path`: fill it up, free it, make it read-only and back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler.bin"  # beside the workspaces, never inside one

    def free_bytes(self) -> int:
        st = os.statvfs(self.path)
        return st.f_bavail * st.f_frsize

    def fill(self) -> None:
        """Write the filler until ENOSPC: from now on any new page is refused."""
        chunk = b"\0" * 65536
        with open(self.filler, "ab", buffering=0) as f:
            while True:
                try:
                    f.write(chunk)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
        assert self.free_bytes() == 0

    def leave(self, pages: int) -> None:
        """Free exactly `pages` pages of the filler (the disk stays nearly full)."""
        os.truncate(self.filler, self.filler.stat().st_size - pages * PAGE)
        assert self.free_bytes() == pages * PAGE

    def free(self) -> None:
        self.filler.unlink()
        assert self.free_bytes() > 0

    def _remount(self, mode: str) -> None:
        done = subprocess.run(["mount", "-o", f"remount,{mode}", str(self.path)],
                              capture_output=True, text=True)
        assert done.returncode == 0, f"remount,{mode} {self.path}: {done.stderr}"

    def read_only(self) -> None:
        self._remount("ro")

    def writable(self) -> None:
        self._remount("rw")


MountTmpfs = Callable[..., Tmpfs]


@pytest.fixture
def tmpfs() -> Iterator[MountTmpfs]:
    """`tmpfs(path, size="2m")` mounts a tmpfs at `path`; all are unmounted at teardown."""
    mounted: list[Tmpfs] = []

    def mount(path: Path, size: str = "2m") -> Tmpfs:
        if os.geteuid() != 0:
            pytest.skip("a real full / read-only filesystem needs root to mount a tmpfs")
        if shutil.which("mount") is None:
            pytest.skip("the mount command is not installed (Debian package mount)")
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                               str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        fs = Tmpfs(path)
        mounted.append(fs)
        return fs

    yield mount
    for fs in reversed(mounted):
        subprocess.run(["umount", "-l", str(fs.path)], capture_output=True)


def make_workspace(root: Path) -> str:
    """A workspace with one inspection (insp-1), one site and two scored records; the site id."""
    with Workspace.open(root, author="张明") as ws:
        insp = ws.create_inspection(VALID.encode(), "sample.toml", title="样例检查",
                                    team=["张明", "李华"], inspection_id="insp-1")
        site = insp.add_site("马涧镇", "乡镇街道", "第一检查组").site_id
        insp.set_fields(site, "1.1", points=5, problems="典型案例数量不足")
        insp.set_fields(site, "1.2", points=4)
        return site


def site_file(insp: Inspection, site: str) -> Path:
    return insp.folder / "sites" / f"{site}.json"


def files(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes (the lock file, rewritten by every open, aside)."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock"}


def cli(*args: str | Path, env: dict[str, str] | None = None,
        cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """The real `inspect-tui` command in a child process."""
    full = {**os.environ, "INSPECT_TUI_LANG": "zh", "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "inspect_tui", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=full,
                          stdin=subprocess.DEVNULL, timeout=60)


def assert_clean_failure(result: subprocess.CompletedProcess[str], *needles: str,
                         code: int = 2) -> None:
    """Exit code `code`, one paragraph on stderr naming every needle, no traceback."""
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == code, (result.returncode, result.stderr)
    message = result.stderr.strip()
    assert message.startswith("错误：") and "\n" not in message, message
    for needle in needles:
        assert needle in message, (needle, message)


@pytest.fixture(scope="session")
def signing(tmp_path_factory: pytest.TempPathFactory) -> Signing:
    return make_signing(tmp_path_factory.mktemp("fault-keys"))


def key_env(signing: Signing) -> dict[str, str]:
    return {keys.ENV_DIR: str(signing.folder), keys.ENV_PASSPHRASE: PASS}

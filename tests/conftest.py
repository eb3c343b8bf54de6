from __future__ import annotations

import os
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_tui.core.i18n import set_language

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def chinese_by_default() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture(scope="session", autouse=True)
def leaves_nothing_behind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests clean up after themselves. Temporary files made through `tempfile` (here and in
    subprocesses, through TMPDIR) go to a folder of this run, inside pytest's own temporary
    folder, so none escapes into /tmp; what is still in it at the end is named in a warning.
    And every tmux socket a test created must be gone by then (tmux leaves the socket file
    after kill-server: tests/terminal.py's Terminal.kill() removes it), or the run fails."""
    folder = tmp_path_factory.getbasetemp() / "tempfile"
    folder.mkdir(exist_ok=True)
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]
    if left := sorted(p.name for p in folder.iterdir()):
        warnings.warn(f"tests left temporary files in {folder}: {', '.join(left[:20])}",
                      stacklevel=1)
    if lingering := tmux_sockets_left():
        for socket in lingering:
            socket.unlink(missing_ok=True)
        pytest.fail("tests left tmux sockets behind (end tmux with Terminal.kill()): "
                    + ", ".join(str(s) for s in lingering), pytrace=False)


def tmux_sockets_left() -> list[Path]:
    """Sockets of this run still in tmux's folder: those made through tests.terminal.Terminal,
    and any named, by this suite's convention, after this process's id."""
    terminal = sys.modules.get("tests.terminal")
    if terminal is None:
        return []
    folder: Path = terminal.socket_dir()
    names = set(terminal.CREATED)
    if folder.is_dir():
        names |= {p.name for p in folder.iterdir()
                  if p.name.startswith("inspect-tui-") and p.name.endswith(f"-{os.getpid()}")}
    return sorted(folder / name for name in names if (folder / name).exists())

"""A real terminal for end-to-end tests: tmux running the installed `inspect-tui`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

BINARY = Path(sys.executable).with_name("inspect-tui")
UTF8 = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}  # tmux drops CJK keys in other locales

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (apt-get install tmux)")


# Every tmux socket a test made in this run: tests/conftest.py checks at the end of the
# session that each one is gone (tmux itself leaves the socket file behind after kill-server).
CREATED: set[str] = set()


def socket_dir() -> Path:
    return Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"


class Terminal:
    def __init__(self, socket: str) -> None:
        self.socket = socket
        CREATED.add(socket)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-u", "-L", self.socket, *args], check=True,
                              capture_output=True, text=True,
                              env={**os.environ, **UTF8}).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "app", *(["-l"] if literal else []), *keys)

    def wait_for(self, text: str, timeout: float = 20.0, gone: bool = False) -> str:
        """Wait until `text` is on the screen (or, with gone, no longer on it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if (text in screen) != gone:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never {'went' if gone else 'appeared'}; "
                             f"the screen was:\n{self.screen()}")

    def kill(self, *, check: bool = False) -> None:
        """End the tmux server (its panes get SIGHUP, as when a terminal window is closed) and
        remove its socket file, which tmux leaves behind. With `check`, a server that was not
        running is an error."""
        done = subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                              text=True)
        (socket_dir() / self.socket).unlink(missing_ok=True)
        if check and done.returncode != 0:
            raise AssertionError(f"tmux kill-server failed: {done.stderr.strip()}")

    def running(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", "app"],
                              capture_output=True).returncode == 0


def processes_with(marker: str) -> list[int]:
    """PIDs of the running processes whose command line holds `marker` (e.g. a workspace)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue  # ended meanwhile
            if marker in cmdline and "tmux" not in cmdline:
                found.append(int(proc.name))
    return found


def wait_until_gone(marker: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_with(marker), f"still running: {marker}"

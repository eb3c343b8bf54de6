"""The suite's own clean-up guards (tests/conftest.py): tmux sockets and temporary files."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import tmux_sockets_left
from tests.terminal import Terminal, needs_tmux, socket_dir


@needs_tmux
def test_a_tmux_socket_left_behind_is_found_and_kill_removes_it() -> None:
    term = Terminal(f"inspect-tui-cleanup-{os.getpid()}")
    try:
        term.tmux("new-session", "-d", "-s", "app", "sleep 30")
        socket = socket_dir() / term.socket
        assert socket.exists()
        # What the tests did before: the server ends, its socket file stays.
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True)
        assert socket.exists() and socket in tmux_sockets_left()
    finally:
        term.kill()
    assert not socket.exists() and socket not in tmux_sockets_left()


def test_temporary_files_of_the_run_stay_inside_pytests_folder(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = Path(tempfile.gettempdir())
    assert folder == tmp_path_factory.getbasetemp() / "tempfile"
    assert os.environ["TMPDIR"] == str(folder)  # subprocesses too
    with tempfile.TemporaryDirectory() as made:
        assert Path(made).parent == folder

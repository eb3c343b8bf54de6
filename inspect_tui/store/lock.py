"""One writer per workspace: an flock'd `.lock` file that also says who holds it.

The kernel releases an flock when its process dies, so a crashed app never blocks the next
one; the holder's details (host, pid, since) left in the file only let us say that we took
over from a process that is gone.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from inspect_tui.core.i18n import t
from inspect_tui.store.errors import StoreError, WorkspaceLocked

LOCK_NAME = ".lock"

# Who tells the user that a dead holder's lock was taken over (the CLI prints a line, the TUI
# shows a notification); see `takeover_notices`.
_listener: list[Callable[[str], None]] = []


@contextlib.contextmanager
def takeover_notices(tell: Callable[[str], None]) -> Iterator[None]:
    """While inside, every lock taken over from a dead process is told once to `tell`."""
    _listener.append(tell)
    try:
        yield
    finally:
        _listener.remove(tell)


def takeover_message(folder: Path, holder: dict[str, Any]) -> str:
    return t("store.lock_taken_over", path=str(folder), host=holder.get("host", "?"),
             pid=holder.get("pid", "?"), since=holder.get("since", "?"))


class WorkspaceLock:
    def __init__(self, folder: Path, who: str) -> None:
        self.path = folder / LOCK_NAME
        self.who = who
        self._fd: int | None = None
        self.took_over: dict[str, Any] | None = None  # the crashed holder, if there was one

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except PermissionError:
            raise StoreError("store.readonly", path=str(self.path.parent)) from None
        except OSError as exc:
            if exc.errno == errno.EROFS:  # a read-only mount refuses even root
                raise StoreError("store.readonly", path=str(self.path.parent)) from None
            raise StoreError("store.lock_failed", path=str(self.path),
                             reason=exc.strerror or str(exc)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._read(fd)
            os.close(fd)
            raise WorkspaceLocked(str(self.path.parent), holder.get("host", "?"),
                                  holder.get("pid", 0), holder.get("since", "?"),
                                  holder.get("who", "?")) from None
        previous = self._read(fd)
        if previous:
            self.took_over = previous
        info = {"host": socket.gethostname(), "pid": os.getpid(), "who": self.who,
                "since": datetime.now().astimezone().isoformat(timespec="seconds")}
        # The holder's details only inform a second writer: a full disk must neither keep the
        # workspace from opening (each save then fails with a clear WriteFailed) nor leak the
        # locked fd.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info, ensure_ascii=False).encode(), 0)
        self._fd = fd
        if self.took_over and _listener:
            _listener[-1](takeover_message(self.path.parent, self.took_over))

    @staticmethod
    def _read(fd: int) -> dict[str, Any]:
        try:
            raw = os.pread(fd, 4096, 0)
            data = json.loads(raw) if raw.strip() else {}
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

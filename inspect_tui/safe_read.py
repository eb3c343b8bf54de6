"""Reading a file someone names: only a regular file, and never more than a stated limit.

A path from outside may be a FIFO (opening it blocks until a writer comes, forever), a device
such as /dev/zero (reading never ends), a directory or a socket — or a symlink to any of them.
So the file is opened non-blocking, checked with fstat on the open descriptor (a swap between
a check and the open cannot fool it), and read to at most limit + 1 bytes, so a file that grows
while it is read is still caught. Symlinks to regular files are followed on purpose: people
keep checklists and signer lists behind links.

Errors other than these refusals (missing file, no permission, a name too long) stay `OSError`,
so each caller keeps its own message for them.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t

StrPath = str | os.PathLike[str]

SIGNERS_LIMIT = 1024 * 1024  # an allowed_signers file: thousands of lines fit
SMALL_FILE_LIMIT = 64 * 1024  # a key, device.json, workspace.json: a few hundred bytes
NO_LIMIT = 2**62  # only for files never read whole (a pack: its zip members are capped)

_KINDS = (
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISCHR, "char_device"),
    (stat.S_ISBLK, "block_device"),
    (stat.S_ISSOCK, "socket"),
)


class ReadRefused(InspectError):
    """A named file that was not read; `reason` says why, without the path."""

    def __init__(self, path: StrPath, reason_key: str, **reason_params: object) -> None:
        self.path = os.fspath(path)
        self.reason_key = reason_key
        self.reason_params = reason_params
        super().__init__("inputs.read_refused", path=self.path)

    @property
    def reason(self) -> str:
        return t(self.reason_key, **self.reason_params)

    def __str__(self) -> str:
        return t("inputs.read_refused", path=self.path, reason=self.reason)


class NotRegularFile(ReadRefused):
    """A FIFO, device, directory or socket (or a symlink to one)."""

    def __init__(self, path: StrPath, mode: int) -> None:
        self.kind = kind_of(mode)
        super().__init__(path, "inputs.not_regular", kind=t(f"inputs.kind.{self.kind}"))


class FileTooLarge(ReadRefused):
    def __init__(self, path: StrPath, limit: int, size: int | None = None) -> None:
        self.limit = limit
        self.size = size  # None: it grew past the limit while it was read
        super().__init__(path, "inputs.too_large", limit=human_size(limit))


def kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "other")


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} B"


def open_regular(path: StrPath, limit: int) -> BinaryIO:
    """Open a regular file for reading; refuse anything else, or a file over `limit` bytes."""
    try:
        # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO's peer: not a file either way
            raise NotRegularFile(path, _mode_of(path)) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(path, st.st_mode)
        if st.st_size > limit:
            raise FileTooLarge(path, limit, st.st_size)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


CHUNK = 1 << 20


def read_limited(path: StrPath, limit: int) -> bytes:
    """The whole content of a regular file of at most `limit` bytes (see module doc)."""
    with open_regular(path, limit) as f:
        chunks: list[bytes] = []
        left = limit + 1  # one byte more than allowed tells a file that grew past the limit
        # Chunks of at most CHUNK: read(n) reserves n bytes first, and limits go up to 1 GiB.
        while left > 0 and (chunk := f.read(min(left, CHUNK))):
            chunks.append(chunk)
            left -= len(chunk)
    if left <= 0:
        raise FileTooLarge(path, limit)
    return b"".join(chunks)


def _mode_of(path: StrPath) -> int:
    try:
        return os.stat(path).st_mode
    except OSError:
        return stat.S_IFSOCK

"""All-or-nothing export folders, shared by the signed report and the documents set.

Files are written into a hidden temporary folder beside the destination, which is renamed to
its final name only once every file in it is complete and fsynced: an error, a missing file or
a cancel leaves nothing half-written (and the temporary folder is removed).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from inspect_tui.export.errors import ExportError
from inspect_tui.store.durable_storage import fsync_dir


def make_out_dir(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError("export.unwritable", path=str(out_dir), reason=exc.strerror) from None


def destination(out_dir: Path, stem: str, day: str) -> Path:
    """`<out>/<stem>-<day>`, or `-2`, `-3` … when that name is taken (never overwritten)."""
    base = out_dir / f"{stem}-{day}"
    n = 1
    while base.exists() or base.is_symlink():
        n += 1
        base = out_dir / f"{stem}-{day}-{n}"
    return base


def write_durably(path: Path, data: bytes) -> Path:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return path


@contextlib.contextmanager
def staged_folder(final: Path) -> Iterator[Path]:
    """The temporary folder to write into; renamed to `final` when the block ends normally."""
    temp = final.parent / f".{final.name}.partial-{os.getpid()}"
    try:
        temp.mkdir()
        yield temp
        fsync_dir(temp)
        os.rename(temp, final)
        fsync_dir(final.parent)
    except OSError as exc:
        raise ExportError("export.unwritable", path=str(temp), reason=exc.strerror) from None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(temp)

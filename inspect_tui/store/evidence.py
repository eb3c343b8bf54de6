"""Content-addressed evidence: files are copied to `evidence/<sha256>` and named by hash only.

No name from outside ever becomes a path inside the workspace: the original name is kept as
metadata in the record. Copies are written to a temp file, hashed on the way, fsynced and
renamed, so a half-copied file never appears under a hash name.
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import re
from pathlib import Path
from typing import BinaryIO

from inspect_tui.core.records import EvidenceRef
from inspect_tui.safe_read import FileTooLarge, NotRegularFile, open_regular
from inspect_tui.store.durable_storage import fsync_dir
from inspect_tui.store.errors import StoreError

DEFAULT_LIMIT = 50 * 1024 * 1024
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


class EvidenceStore:
    def __init__(self, folder: Path, limit: int = DEFAULT_LIMIT) -> None:
        self.folder = folder
        self.limit = limit

    def path_of(self, sha256: str) -> Path:
        if not SHA_RE.match(sha256):
            raise StoreError("evidence.bad_hash", value=sha256[:80])
        return self.folder / sha256

    def add(self, source: Path, caption: str = "") -> EvidenceRef:
        try:
            # checked on the open file: a FIFO (which would block) or a device is refused
            src = open_regular(source, self.limit)
        except NotRegularFile:
            raise StoreError("evidence.not_a_file", path=str(source)) from None
        except FileTooLarge as exc:
            raise StoreError("evidence.too_large", path=str(source),
                             size=_mb(exc.size or self.limit + 1), limit=_mb(self.limit)) from None
        except FileNotFoundError:
            raise StoreError("evidence.missing_source", path=str(source)) from None
        except OSError as exc:
            raise StoreError("evidence.unreadable", path=str(source),
                             reason=exc.strerror or str(exc)) from None
        with src:
            return self._copy_in(src, source, caption)

    def _copy_in(self, src: BinaryIO, source: Path, caption: str) -> EvidenceRef:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".incoming.{os.getpid()}.tmp"
        digest = hashlib.sha256()
        copied = 0
        try:
            with open(tmp, "wb") as dst:
                while chunk := src.read(CHUNK):
                    copied += len(chunk)
                    if copied > self.limit:  # the file grew while we copied it
                        raise StoreError("evidence.too_large", path=str(source),
                                         size=_mb(copied), limit=_mb(self.limit))
                    digest.update(chunk)
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            sha = digest.hexdigest()
            final = self.folder / sha
            if final.exists() and self.verify(sha):
                os.unlink(tmp)
            else:
                os.replace(tmp, final)
                fsync_dir(self.folder)
        except OSError as exc:
            raise StoreError("evidence.copy_failed", path=str(source),
                             reason=exc.strerror or str(exc)) from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        kind = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        return EvidenceRef(sha, source.name, copied, kind, caption)

    def verify(self, sha256: str) -> bool:
        """True when the stored file is present and still hashes to its name."""
        path = self.path_of(sha256)
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as f:
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
        except OSError:
            return False
        return digest.hexdigest() == sha256

    def stored(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if SHA_RE.match(p.name))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"

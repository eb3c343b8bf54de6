"""Reading a pack, which may be hostile: nothing is extracted, nothing is trusted unchecked.

- Members are read in memory (databases) or streamed (evidence, into the content-addressed
  store by the caller), by exact expected names only: `manifest.json`, `manifest.json.sig`,
  `inspection.json`, `sites/<id>.json`, `evidence/<sha256>`. Any other name — `../x`, `/etc/x`,
  a backslash, a duplicate — rejects the pack. No member name ever becomes a path.
- Sizes are capped on the bytes actually read, not on what the zip headers claim: a member may
  never yield more than the manifest says (zip bombs stop there), and the manifest's sizes are
  capped per kind and in total.
- Every member's SHA-256 and size are checked against the manifest before it is used.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from inspect_tui.safe_read import NO_LIMIT, ReadRefused, open_regular
from inspect_tui.store.evidence import CHUNK, DEFAULT_LIMIT
from inspect_tui.store.merge_errors import SourceSkipped
from inspect_tui.store.merge_txn import DB_FILE_RE

PACK_FORMAT = "inspect-tui/pack"
PACK_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
EVIDENCE_RE = re.compile(r"^evidence/([0-9a-f]{64})$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
               RuntimeError, ValueError)


@dataclass(frozen=True)
class PackLimits:
    members: int = 200_000
    manifest: int = 32 * 1024 * 1024
    database: int = 256 * 1024 * 1024
    evidence: int = DEFAULT_LIMIT
    total: int = 16 * 1024 * 1024 * 1024
    signature: int = 64 * 1024


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


class PackReader:
    """An open pack whose listing and manifest have been checked; use as a context manager."""

    def __init__(self, path: Path, limits: PackLimits | None = None) -> None:
        self.path = path
        self.label = str(path)
        self.limits = limits or PackLimits()
        try:
            # a regular file only (a FIFO would block, a device never end); never read whole
            self._file = open_regular(path, NO_LIMIT)
        except ReadRefused as exc:
            raise SourceSkipped("pack.not_zip", source=self.label, reason=exc.reason) from None
        except OSError as exc:
            raise SourceSkipped("pack.not_zip", source=self.label, reason=_why(exc)) from None
        try:
            self._zip = zipfile.ZipFile(self._file)
        except _ZIP_ERRORS as exc:
            self._file.close()
            raise SourceSkipped("pack.not_zip", source=self.label, reason=_why(exc)) from None
        try:
            self.manifest_bytes, self.manifest, self.members = self._check_listing()
            self.signature = (self._read(SIGNATURE, self.limits.signature)
                              if SIGNATURE in self._names else None)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> PackReader:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()
        self._file.close()  # a ZipFile given a file object leaves it open

    def _skip(self, key: str, **params: Any) -> SourceSkipped:
        return SourceSkipped(key, source=self.label, **params)

    def _check_listing(self) -> tuple[bytes, dict[str, Any], dict[str, Member]]:
        names = [info.filename for info in self._zip.infolist()]
        if len(names) > self.limits.members:
            raise self._skip("pack.too_many_members", count=len(names),
                             limit=self.limits.members)
        for name in names:
            if name not in (MANIFEST, SIGNATURE) and not _expected_name(name):
                raise self._skip("pack.bad_member", member=name[:200])
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            raise self._skip("pack.duplicate_member", member=twice)
        self._names = set(names)
        if MANIFEST not in self._names:
            raise self._skip("pack.no_manifest")
        raw = self._read(MANIFEST, self.limits.manifest)
        manifest, members = self._parse_manifest(raw)
        present = self._names - {MANIFEST, SIGNATURE}
        if missing := sorted(set(members) - present):
            raise self._skip("pack.member_missing", member=missing[0], count=len(missing))
        if unlisted := sorted(present - set(members)):
            raise self._skip("pack.member_unlisted", member=unlisted[0])
        return raw, manifest, members

    def _parse_manifest(self, raw: bytes) -> tuple[dict[str, Any], dict[str, Member]]:
        try:
            manifest = strict_json(raw)
            listed = manifest["members"]
            members = {str(n): Member(str(m["sha256"]), m["size"]) for n, m in listed.items()}
            sender = manifest["sender"]
            if not (manifest["format"] == PACK_FORMAT and manifest["version"] == PACK_VERSION
                    and all(isinstance(manifest[k], str)
                            for k in ("inspection", "checklist_hash", "created"))
                    and all(isinstance(sender[k], str) for k in ("author", "device"))):
                raise ValueError("not an inspect-tui pack manifest of a known version")
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise self._skip("pack.bad_manifest", reason=_why(exc)) from None
        total = 0
        for name, m in members.items():
            evidence = EVIDENCE_RE.match(name)
            cap = self.limits.evidence if evidence else self.limits.database
            if not _expected_name(name) or not _SHA_RE.match(m.sha256) or (
                    evidence and evidence.group(1) != m.sha256):
                raise self._skip("pack.bad_member", member=name[:200])
            if not isinstance(m.size, int) or isinstance(m.size, bool) or not 0 <= m.size <= cap:
                raise self._skip("pack.member_too_large", member=name, size=m.size, limit=cap)
            total += m.size
        if total > self.limits.total:
            raise self._skip("pack.total_too_large", size=total, limit=self.limits.total)
        return manifest, members

    def _stream(self, name: str, cap: int) -> Iterator[bytes]:
        """The member's bytes in chunks; more than `cap` bytes rejects the pack."""
        read = 0
        try:
            with self._zip.open(name) as f:
                while chunk := f.read(min(CHUNK, cap + 1 - read)):
                    read += len(chunk)
                    if read > cap:
                        raise self._skip("pack.member_size", member=name, size=cap)
                    yield chunk
        except _ZIP_ERRORS as exc:
            raise self._skip("pack.unreadable", member=name, reason=_why(exc)) from None

    def _read(self, name: str, cap: int) -> bytes:
        return b"".join(self._stream(name, cap))

    def _checked(self, name: str) -> Iterator[bytes]:
        """A listed member's bytes, checked against the manifest's size and hash at the end."""
        member = self.members[name]
        digest = hashlib.sha256()
        size = 0
        for chunk in self._stream(name, member.size):
            digest.update(chunk)
            size += len(chunk)
            yield chunk
        if size != member.size:
            raise self._skip("pack.member_size", member=name, size=member.size)
        if digest.hexdigest() != member.sha256:
            raise self._skip("pack.member_hash", member=name)

    def database_names(self) -> list[str]:
        return sorted(n for n in self.members if DB_FILE_RE.match(n))

    def read_database(self, name: str) -> bytes:
        """A database member, whole, after its size and hash matched the manifest."""
        return b"".join(self._checked(name))

    def evidence_chunks(self, sha256: str) -> Iterator[bytes] | None:
        """An evidence file's bytes (None if the pack has none by that hash); checked at end."""
        name = f"evidence/{sha256}"
        return self._checked(name) if name in self.members else None


def _expected_name(name: str) -> bool:
    return bool(DB_FILE_RE.match(name) or EVIDENCE_RE.match(name))


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as infinity
        raise ValueError(f"{text[:40]} is not a finite number")
    return value


def strict_json(raw: bytes) -> Any:
    """Parse JSON from outside: NaN and Infinity are refused (they cannot be hashed back)."""
    return json.loads(raw, parse_constant=_no_constant, parse_float=_finite)


def _why(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).split("\n")[0][:160]

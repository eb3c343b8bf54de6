"""The sources of a merge: another workspace folder, or a pack — read, checked, never written.

`open_source` returns the source's history and a way to read its evidence files, after checking
that it is the same inspection with the same checklist (if not, the whole merge is refused:
`MergeRefused`). A source that is damaged — a database that does not parse, a pack member that
does not match its manifest, a bad signature — raises `SourceSkipped`: it is reported and left
out, never half-imported. A workspace folder is read without its lock; it is read again if any
file changed meanwhile (its owner may be saving), so its files are one consistent snapshot.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_tui.core import fastjson, sshsig
from inspect_tui.core.history import Entry, MalformedEntry, entry_from_doc, non_finite_at
from inspect_tui.core.i18n import t
from inspect_tui.core.vetting import Vetted, Vetting
from inspect_tui.safe_read import SMALL_FILE_LIMIT, ReadRefused, open_regular, read_limited
from inspect_tui.store import trust
from inspect_tui.store.dbfile import SCHEMA
from inspect_tui.store.device import DEVICE_FILE
from inspect_tui.store.durable_storage import fsync_dir
from inspect_tui.store.evidence import CHUNK, DEFAULT_LIMIT, EvidenceStore
from inspect_tui.store.inspection import INSPECTION_FORMAT, SITE_FORMAT, inspection_uid
from inspect_tui.store.merge_errors import (
    InvalidSignature,
    MergeRefused,
    SourceChanged,
    SourceSkipped,
)
from inspect_tui.store.pack import PACK_NAMESPACE
from inspect_tui.store.pack_reader import PackLimits, PackReader, strict_json
from inspect_tui.store.workspace import FORMAT as WORKSPACE_FORMAT
from inspect_tui.store.workspace import MARKER

Chunks = Callable[[str], Iterator[bytes] | None]  # sha256 -> the file's bytes, or None
Submit = Callable[[dict[str, bytes]], Vetting]  # a source's database files handed to a vetter
SNAPSHOT_TRIES = 5


@dataclass(frozen=True)
class Identity:
    inspection: str
    checklist_hash: str
    uid: str | None = None  # None: an inspection made before identities (see inspection.py)


def _not_vetted() -> Vetted | None:
    return None


@dataclass
class Source:
    label: str
    kind: str  # "workspace" or "pack"
    author: str
    device: str
    signature: str  # "folder", "unsigned", "valid", "unverified"
    signer: str  # the trusted name, or the key fingerprint when unverified
    entries: list[Entry]
    chunks: Chunks
    close: Callable[[], None] = field(default=lambda: None)
    vetted: Vetting = _not_vetted  # its entries as another process checked them

    def has_good(self, sha256: str) -> bool:
        """The source holds this evidence file, and it hashes to its name."""
        stream = self.chunks(sha256)
        if stream is None:
            return False
        digest = hashlib.sha256()
        try:
            for chunk in stream:
                digest.update(chunk)
        except SourceSkipped:
            return False
        return digest.hexdigest() == sha256

    def copy_evidence(self, store: EvidenceStore, sha256: str) -> None:
        """Copy a file into `store` under its hash, only if its content has that hash."""
        stream = self.chunks(sha256)
        store.folder.mkdir(parents=True, exist_ok=True)
        tmp = store.folder / f".merge.{os.getpid()}.tmp"
        digest = hashlib.sha256()
        try:
            with open(tmp, "wb") as f:
                for chunk in stream or ():
                    digest.update(chunk)
                    f.write(chunk)
                f.flush()
                os.fsync(f.fileno())
            if stream is None or digest.hexdigest() != sha256:
                raise SourceChanged("merge.source_changed", source=self.label, sha=sha256)
            os.replace(tmp, store.path_of(sha256))
            fsync_dir(store.folder)
        except SourceSkipped as exc:
            raise SourceChanged("merge.source_changed", source=self.label, sha=sha256) from exc
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()


def parse_db(raw: bytes, label: str, source: str, expected: dict[str, str]) -> list[Entry]:
    """The history of one database file's bytes, after checking it is the file expected."""
    def corrupt(reason: str) -> SourceSkipped:
        return SourceSkipped("merge.skipped_corrupt", source=source, file=label, reason=reason)

    try:
        data = fastjson.loads(raw, strict_json)
    except (ValueError, RecursionError) as exc:
        raise corrupt(_non_finite_field(raw) or str(exc).split("\n")[0][:120]) from None
    metas = data.get("meta") if isinstance(data, dict) else None
    meta = next(iter(metas.values()), None) if isinstance(metas, dict) else None
    if not isinstance(meta, dict) or meta.get("schema") != SCHEMA:
        raise corrupt(t("merge.not_our_file"))
    found = {k: meta.get(k) for k in expected}
    if found != expected:
        raise corrupt(", ".join(f"{k}={v}" for k, v in found.items()))
    history = data.get("history", {})
    if not isinstance(history, dict):
        raise corrupt(t("merge.not_our_file"))
    try:
        return [entry_from_doc(doc) for doc in history.values()]
    except MalformedEntry as exc:
        raise corrupt(str(exc)) from None


def _non_finite_field(raw: bytes) -> str | None:
    """Where a NaN or infinity sits in JSON that strict_json refused, to name the field."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return non_finite_at(data, "")
    return next((found for key, value in data.items()
                 if (found := non_finite_at(value, str(key)))), None)


def _meta_of(raw: bytes) -> dict[str, Any]:
    """inspection.json's meta document, or {} (parse_db then says what is wrong)."""
    try:
        data = strict_json(raw)
        meta = next(iter(data["meta"].values()))
        return meta if isinstance(meta, dict) else {}
    except (ValueError, KeyError, TypeError, AttributeError, StopIteration, RecursionError):
        return {}


def check_identity(source: str, found: Identity, wanted: Identity) -> None:
    if found.inspection != wanted.inspection:
        raise MergeRefused("merge.refused_inspection", source=source, found=found.inspection,
                           expected=wanted.inspection)
    if found.checklist_hash != wanted.checklist_hash:
        raise MergeRefused("merge.refused_checklist", source=source,
                           found=found.checklist_hash[:16], expected=wanted.checklist_hash[:16])
    if found.uid != wanted.uid:
        # Same id typed twice (`inspection new --id`), or one made before identities and one
        # after: either way not copies of one creation, since the identity is only ever minted
        # there and every copy carries it.
        raise MergeRefused("integrity.refused_uid", source=source, inspection=found.inspection,
                           found=found.uid or t("integrity.uid_legacy"),
                           expected=wanted.uid or t("integrity.uid_legacy"))


def _uid_of(meta: dict[str, Any], source: str, file: str) -> str | None:
    try:
        return inspection_uid(meta)
    except ValueError as exc:
        raise SourceSkipped("merge.skipped_corrupt", source=source, file=file,
                            reason=str(exc)) from None


def histories(files: dict[str, bytes], label: Callable[[str], str], source: str,
               inspection: str) -> list[Entry]:
    entries: list[Entry] = []
    for name, raw in sorted(files.items()):
        expected = ({"format": INSPECTION_FORMAT, "inspection": inspection}
                    if name == "inspection.json" else
                    {"format": SITE_FORMAT, "inspection": inspection,
                     "site": name[len("sites/"):-len(".json")]})
        entries += parse_db(raw, label(name), source, expected)
    return entries


# ---- workspace folders --------------------------------------------------------------------

def _db_paths(folder: Path) -> list[Path]:
    return [folder / "inspection.json", *sorted((folder / "sites").glob("*.json"))]


def _snapshot(folder: Path, source: str) -> dict[str, bytes]:
    """Every database file's bytes, read again until no file changed while reading."""
    for _ in range(SNAPSHOT_TRIES):
        paths = _db_paths(folder)
        before = [_stamp(p) for p in paths]
        files = {p.relative_to(folder).as_posix(): _read_db(p, source) for p in paths}
        if _db_paths(folder) == paths and [_stamp(p) for p in paths] == before:
            return files
    raise SourceSkipped("merge.source_busy", source=source)


def _read_db(path: Path, source: str) -> bytes:
    """A database file of another copy: a regular file (a FIFO would block), bounded."""
    try:
        return read_limited(path, PackLimits().database)
    except ReadRefused as exc:
        raise SourceSkipped("merge.skipped_corrupt", source=source, file=str(path),
                            reason=exc.reason) from None
    except OSError as exc:
        raise SourceSkipped("merge.skipped_corrupt", source=source, file=str(path),
                            reason=exc.strerror or str(exc)) from None


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def _file_chunks(folder: Path, limit: int) -> Chunks:
    def chunks(sha256: str) -> Iterator[bytes] | None:
        path = folder / sha256
        return _read_file(path, limit) if path.is_file() else None

    return chunks


def _read_file(path: Path, limit: int) -> Iterator[bytes]:
    read = 0
    try:
        f = open_regular(path, limit)  # fstat on the open file: no FIFO or device slips in
    except (ReadRefused, OSError) as exc:
        raise SourceSkipped("merge.evidence_too_large", source=str(path), path=str(path)) from exc
    with f:
        while chunk := f.read(CHUNK):
            read += len(chunk)
            if read > limit:
                raise SourceSkipped("merge.evidence_too_large", source=str(path), path=str(path))
            yield chunk


def _workspace_sender(root: Path, entries: Iterable[Entry]) -> tuple[str, str]:
    """(author, device) of the copy, from its device.json; read only, never (re)made."""
    try:
        device = str(json.loads(read_limited(root / DEVICE_FILE, SMALL_FILE_LIMIT))["device"])
    except (OSError, ValueError, KeyError, TypeError, ReadRefused):
        return "?", "?"
    own = [e for e in entries if e.device == device]
    return (max(own, key=lambda e: e.seq).author if own else "?"), device


def open_workspace(root: Path, wanted: Identity, submit: Submit | None = None) -> Source:
    label = str(root)
    try:
        marker = json.loads(read_limited(root / MARKER, SMALL_FILE_LIMIT))
    except (OSError, ValueError, RecursionError, ReadRefused):
        marker = None
    if not isinstance(marker, dict) or marker.get("format") != WORKSPACE_FORMAT:
        raise MergeRefused("merge.not_a_source", source=label)
    folder = root / "inspections" / wanted.inspection
    if not (folder / "inspection.json").is_file():
        inspections = root / "inspections"
        found = sorted(p.name for p in inspections.iterdir()) if inspections.is_dir() else []
        raise MergeRefused("merge.refused_inspection", source=label,
                           found="、".join(found) or "-", expected=wanted.inspection)
    files = _snapshot(folder, label)
    vetted = submit(files) if submit else _not_vetted
    entries = histories(files, lambda n: str(folder / n), label, wanted.inspection)
    meta = _meta_of(files["inspection.json"])
    uid = _uid_of(meta, label, str(folder / "inspection.json"))
    check_identity(label, Identity(wanted.inspection, str(meta.get("checklist_hash")), uid),
                   wanted)
    author, device = _workspace_sender(root, entries)
    return Source(label, "workspace", author, device, "folder", "", entries,
                  _file_chunks(root / "evidence", DEFAULT_LIMIT), vetted=vetted)


# ---- packs --------------------------------------------------------------------------------

def signature_state(reader: PackReader, signers: list[sshsig.AllowedSigner] | None,
                    signers_label: str,
                    known: list[sshsig.AllowedSigner] | None = None) -> tuple[str, str]:
    """("unsigned"|"valid"|"unverified", signer); InvalidSignature if it does not hold.

    With a trusted list, a pack must carry a signature by someone on it. Without one, `known`
    (the workspace's own list) vouches for signers, and a signed pack by anyone else is held
    back until its signer is confirmed (trust.NewSigner); unsigned packs pass as before.
    """
    if signers is None and known is not None:
        return trust.judge(reader, known)
    if reader.signature is None:
        if signers is not None:  # asked for trusted packs only: a stripped signature is no pass
            raise InvalidSignature("pack.bad_signature", source=reader.label,
                                   reason=t("pack.unsigned_but_trusted", signers=signers_label))
        return "unsigned", ""
    where = f"{reader.label}#manifest.json.sig"
    try:
        text = reader.signature.decode("ascii")
        if signers is None:  # no trusted list: check it is intact, by the key it names
            parsed = sshsig.parse_signature(text, where)
            own = sshsig.AllowedSigner("-", sshsig.KEY_TYPE, parsed.public_key_blob)
            found = sshsig.verify(reader.manifest_bytes, text, PACK_NAMESPACE, [own],
                                  source=where)
            return "unverified", found.fingerprint
        found = sshsig.verify(reader.manifest_bytes, text, PACK_NAMESPACE, signers,
                              source=where, signers_source=signers_label)
        return "valid", found.principal
    except UnicodeDecodeError:
        raise InvalidSignature("pack.bad_signature", source=reader.label,
                               reason=t("pack.sig_not_text")) from None
    except sshsig.SignatureError as exc:
        raise InvalidSignature("pack.bad_signature", source=reader.label,
                               reason=str(exc)) from None


def open_pack(path: Path, wanted: Identity, signers: list[sshsig.AllowedSigner] | None,
              signers_label: str, limits: PackLimits | None = None,
              known: list[sshsig.AllowedSigner] | None = None,
              submit: Submit | None = None) -> Source:
    reader = PackReader(path, limits)
    try:
        m = reader.manifest
        # id and checklist first, from the manifest (cheap); the uid once inspection.json is read
        check_identity(reader.label, Identity(m["inspection"], m["checklist_hash"], wanted.uid),
                       wanted)
        state, signer = signature_state(reader, signers, signers_label, known)
        files = {name: reader.read_database(name) for name in reader.database_names()}
        if "inspection.json" not in files:
            raise SourceSkipped("pack.member_missing", source=reader.label,
                                member="inspection.json", count=1)
        meta = _meta_of(files["inspection.json"])
        if (meta.get("inspection"), meta.get("checklist_hash")) != (m["inspection"],
                                                                    m["checklist_hash"]):
            raise SourceSkipped("pack.manifest_mismatch", source=reader.label)
        # The identity is inspection.json's; the manifest's copy (absent from packs made by
        # older versions) must agree with it.
        uid = _uid_of(meta, reader.label, f"{reader.label}#inspection.json")
        if m.get("inspection_uid", uid) != uid:
            raise SourceSkipped("pack.manifest_mismatch", source=reader.label)
        check_identity(reader.label, Identity(m["inspection"], m["checklist_hash"], uid),
                       wanted)
        vetted = submit(files) if submit else _not_vetted
        entries = histories(files, lambda n: f"{reader.label}#{n}", reader.label,
                            wanted.inspection)
    except BaseException:
        reader.close()
        raise
    return Source(reader.label, "pack", m["sender"]["author"], m["sender"]["device"], state,
                  signer, entries, reader.evidence_chunks, reader.close, vetted)


def open_source(path: Path, wanted: Identity, signers: list[sshsig.AllowedSigner] | None = None,
                signers_label: str = "",
                known: list[sshsig.AllowedSigner] | None = None,
                submit: Submit | None = None) -> Source:
    """`submit`: each source's database files go there once read (see store.merge_vetter)."""
    if path.is_dir():
        return open_workspace(path, wanted, submit)
    if path.is_file():
        return open_pack(path, wanted, signers, signers_label, known=known, submit=submit)
    if path.exists():  # a FIFO, a device: never opened (a FIFO would block the merge)
        raise MergeRefused("merge.odd_source", source=str(path))
    raise MergeRefused("merge.no_source", source=str(path))

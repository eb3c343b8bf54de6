"""`inspect-tui pack`: one inspection of a workspace as a single file to carry to the team lead.

A pack is a zip file:

    manifest.json        format, inspection id and identity (uid; none for an inspection
                         made before identities), checklist hash, sender (author, device),
                         creation time, history digest, and every member's SHA-256 and size
    manifest.json.sig    optional: SSHSIG signature of manifest.json (namespace inspect-pack);
                         a signed manifest also names its signer and public key ("signer")
    inspection.json      the inspection's databases, byte for byte
    sites/<site>.json
    evidence/<sha256>    every evidence file the history refers to

Signing the manifest signs everything, since it holds every member's hash. The pack is written
to a temp file next to `out` and renamed, so `out` is never a half-written pack. A setup pack
(see setup_pack.py) is a pack of `inspection.json` alone, with a "setup" part in its manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from inspect_tui.core import sshsig
from inspect_tui.core.history import history_digest
from inspect_tui.core.merge import evidence_of
from inspect_tui.store.durable_storage import fsync_dir
from inspect_tui.store.evidence import CHUNK
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.merge_errors import PackError
from inspect_tui.store.pack_reader import MANIFEST, PACK_FORMAT, PACK_VERSION, SIGNATURE

PACK_NAMESPACE = sshsig.PACK_NAMESPACE
Signer = Callable[[bytes], str]  # manifest bytes -> armored signature


@dataclass(frozen=True)
class PackSummary:
    path: Path
    databases: int
    evidence: int
    size: int
    signed: bool


def _databases(insp: Inspection) -> dict[str, bytes]:
    files = {"inspection.json": insp.folder / "inspection.json"}
    files |= {f"sites/{p.name}": p for p in sorted((insp.folder / "sites").glob("*.json"))}
    return {name: path.read_bytes() for name, path in files.items()}


def _evidence_files(insp: Inspection) -> dict[str, Path]:
    found = {}
    for sha in sorted(evidence_of(insp.all_entries())):
        if not insp.evidence.verify(sha):
            raise PackError("pack.evidence_bad", path=str(insp.evidence.path_of(sha)))
        found[f"evidence/{sha}"] = insp.evidence.path_of(sha)
    return found


def _file_digest(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def build_manifest(insp: Inspection, databases: dict[str, bytes], evidence: dict[str, Path],
                   sender_device: str, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    members: dict[str, dict[str, Any]] = {
        name: {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}
        for name, raw in databases.items()}
    for name, path in evidence.items():
        sha, size = _file_digest(path)
        members[name] = {"sha256": sha, "size": size}
    identity = {"inspection_uid": insp.uid} if insp.uid else {}  # none before identities
    return {
        **(extra or {}),  # first: the fields below always win
        "format": PACK_FORMAT, "version": PACK_VERSION, "inspection": insp.id, **identity,
        "title": insp.title, "checklist_id": insp.checklist.id,
        "checklist_version": insp.checklist.version,
        "checklist_hash": insp.checklist.content_hash,
        "sender": {"author": insp.author, "device": sender_device},
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "history_digest": history_digest(insp.all_entries()),
        "members": members,
    }


def write_pack(insp: Inspection, out: Path, *, device: str, sign: Signer | None = None,
               extra: Mapping[str, Any] | None = None, setup: bool = False) -> PackSummary:
    """Write `insp` (opened with the workspace lock held) as a pack at `out`; `extra` goes
    into the manifest; `setup` packs inspection.json only (checklist, sites, team)."""
    databases = _databases(insp)
    if setup:
        databases = {"inspection.json": databases["inspection.json"]}
    evidence = {} if setup else _evidence_files(insp)
    manifest = build_manifest(insp, databases, evidence, device, extra)
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1,
                                sort_keys=True).encode("utf-8")
    signature = sign(manifest_bytes) if sign else None
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, manifest_bytes)
            if signature is not None:
                zf.writestr(SIGNATURE, signature)
            for name, raw in databases.items():
                zf.writestr(name, raw)
            for name, path in evidence.items():
                zf.write(path, name, compress_type=zipfile.ZIP_STORED)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except OSError as exc:
        raise PackError("pack.write_failed", path=str(out),
                        reason=exc.strerror or str(exc)) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return PackSummary(out, len(databases), len(evidence), out.stat().st_size,
                       signature is not None)

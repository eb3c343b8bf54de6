"""Setting a laptop up from one file: the lead's signed setup pack, and `join`.

A setup pack is a pack (pack.py) holding `inspection.json` alone — the inspection's identity,
its pinned checklist, and the history of its title, team and sites — whose manifest also has

    "signer": {"name": "张组长", "key": "ecdsa-sha2-nistp256 AAAA…"}
    "setup":  {"format": "inspect-tui/setup", "lead": "张组长", "team": [...],
               "trusted_signers": ["张组长 namespaces=\"…\" ecdsa-sha2-nistp256 AAAA…", …]}

It must be signed (the signature covers the manifest, so the team and the signer lines too).
Joining reads it with the pack reader's limits, checks everything before writing anything,
then creates the inspection and merges the pack into it with the ordinary merge (all or
nothing), writes the trusted signers and remembers who joined. A failure after the inspection
folder was made removes that folder again: the workspace is left as it was.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_tui.core import sshsig
from inspect_tui.core.checklist_loader import parse_checklist
from inspect_tui.core.errors import ChecklistError, InspectError
from inspect_tui.core.history import fold_fields
from inspect_tui.core.i18n import t
from inspect_tui.core.merge import plan_merge
from inspect_tui.safe_read import SIGNERS_LIMIT, read_limited
from inspect_tui.store import identity, trust
from inspect_tui.store.dbfile import DBFile
from inspect_tui.store.durable_storage import atomic_write_bytes
from inspect_tui.store.errors import StoreError
from inspect_tui.store.inspection import (
    INSPECTION_ENTITY,
    INSPECTION_FORMAT,
    Inspection,
    inspection_uid,
)
from inspect_tui.store.merge import merge_into
from inspect_tui.store.merge_sources import parse_db
from inspect_tui.store.pack import PackSummary, Signer, write_pack
from inspect_tui.store.pack_reader import PackReader, strict_json
from inspect_tui.store.workspace import INSPECTION_ID_RE, Workspace

SETUP_FORMAT = "inspect-tui/setup"
_META_KEYS = ("inspection", "title", "uid", "created", "checklist_id", "checklist_version",
              "checklist_hash")


class JoinRefused(StoreError):
    """Joining was refused before anything was written (or after, with it all undone)."""


@dataclass(frozen=True)
class SetupInfo:
    """A setup pack that passed every check, ready to join."""

    path: Path
    inspection: str
    title: str
    uid: str
    checklist_title: str
    team: tuple[str, ...]
    sites: tuple[str, ...]
    lead: trust.PackSigner
    trusted_lines: tuple[str, ...]
    meta: dict[str, str]
    pinned: dict[str, str]

    @property
    def names(self) -> tuple[str, ...]:
        """Who may join: the team, and the lead (for a second laptop of his own)."""
        return self.team + ((self.lead.name,) if self.lead.name not in self.team else ())


@dataclass(frozen=True)
class Joined:
    info: SetupInfo
    name: str
    trusted_added: int


def signer_block(info_name: str, public_line: str) -> dict[str, str]:
    """The manifest's "signer": the key is the key part of the public line, no comment."""
    key_type, key_b64 = public_line.split()[:2]
    return {"name": info_name, "key": f"{key_type} {key_b64}"}


def write_setup_pack(ws: Workspace, insp: Inspection, out: Path, *, lead: str,
                     lead_public_line: str, sign: Signer) -> PackSummary:
    """The lead's setup pack of `insp`, signed; the lead's key joins his own trusted list
    first, so every laptop trusts it and the keys he already trusts."""
    key, _ = sshsig.parse_public_key(lead_public_line, source=lead)
    trust.add(ws.root, [trust.PackSigner(lead, sshsig.public_key_blob(key)).line(
        trust.LEAD_NAMESPACES)])
    setup = {"format": SETUP_FORMAT, "lead": lead, "team": insp.team,
             "sites": [s.name for s in insp.sites()], "trusted_signers": trust.lines(ws.root)}
    extra = {"signer": signer_block(lead, lead_public_line), "setup": setup}
    return write_pack(insp, out, device=ws.device, sign=sign, extra=extra, setup=True)


# ---- reading --------------------------------------------------------------------------------

def _refuse(path: Path, key: str, **params: Any) -> JoinRefused:
    return JoinRefused("team.join_refused", path=str(path), reason=t(key, **params))


def read_setup(path: Path, trusted: list[sshsig.AllowedSigner] | None = None,
               trusted_label: str = "") -> SetupInfo:
    """Check a setup pack whole (nothing is written); JoinRefused naming the file if not."""
    try:
        with PackReader(path) as reader:
            return _check(path, reader, trusted, trusted_label)
    except JoinRefused:
        raise
    except InspectError as exc:  # the pack reader's and signature checks' own paragraph
        raise JoinRefused("team.join_refused", path=str(path), reason=str(exc)) from None


def _check(path: Path, reader: PackReader, trusted: list[sshsig.AllowedSigner] | None,
           trusted_label: str) -> SetupInfo:
    setup = reader.manifest.get("setup")
    if not isinstance(setup, dict) or setup.get("format") != SETUP_FORMAT:
        raise _refuse(path, "team.not_setup")
    lead = trust.pack_signer(reader)
    if lead is None or not lead.name or setup.get("lead") != lead.name:
        raise _refuse(path, "team.setup_unsigned")
    if trusted is not None and reader.signature is not None:
        # the joiner already knows the lead's key: it must be that one
        sshsig.verify(reader.manifest_bytes, reader.signature.decode("ascii"), trust.PACK_ONLY,
                      trusted, source=f"{path}#manifest.json.sig", signers_source=trusted_label)
    if reader.database_names() != ["inspection.json"]:
        raise _refuse(path, "team.setup_members")
    raw = reader.read_database("inspection.json")
    meta, pinned = _meta_and_checklist(path, raw, reader.manifest)
    entries = parse_db(raw, f"{path}#inspection.json", str(path),
                       {"format": INSPECTION_FORMAT, "inspection": meta["inspection"]})
    (result,) = plan_merge([], [(str(path), entries)], meta["inspection"]).sources
    if result.problems:
        raise _refuse(path, "team.setup_chain", count=len(result.problems))
    fields = fold_fields(entries)
    team_state = fields.get(INSPECTION_ENTITY, {}).get("team")
    team = tuple(str(n) for n in team_state.value) if team_state else ()
    if list(team) != setup.get("team"):
        raise _refuse(path, "team.setup_mismatch")
    sites = tuple(str(f["name"].value) for entity, f in sorted(fields.items())
                  if entity.startswith("site:") and "name" in f
                  and not (f.get("removed") and f["removed"].value))
    lines = setup.get("trusted_signers")
    if not isinstance(lines, list) or not all(isinstance(ln, str) for ln in lines):
        raise _refuse(path, "team.setup_mismatch")
    for line in lines:
        trust.check_line(line, f"{path}#manifest.json")
    title = fields.get(INSPECTION_ENTITY, {}).get("title")
    checklist = parse_checklist(pinned["toml"].encode("utf-8"), f"{path}#checklist")
    return SetupInfo(path, meta["inspection"], str(title.value) if title else meta["title"],
                     meta["uid"], checklist.title, team, sites, lead, tuple(lines), meta, pinned)


def _meta_and_checklist(path: Path, raw: bytes,
                        manifest: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """inspection.json's meta and pinned checklist, each value checked against the manifest."""
    try:
        data = strict_json(raw)
        meta = next(iter(data["meta"].values()))
        docs = list(data["checklist"].values())
        meta = {k: meta[k] for k in _META_KEYS}
        if not all(isinstance(v, str) for v in meta.values()) or len(docs) != 1:
            raise ValueError("unexpected meta or checklist")
        pinned = {"toml": docs[0]["toml"], "hash": docs[0]["hash"]}
        if not all(isinstance(v, str) for v in pinned.values()):
            raise ValueError("unexpected checklist")
        checklist = parse_checklist(pinned["toml"].encode("utf-8"), f"{path}#checklist")
    except (ValueError, KeyError, TypeError, AttributeError, StopIteration, RecursionError,
            ChecklistError) as exc:
        raise _refuse(path, "team.setup_damaged", detail=str(exc).splitlines()[0][:160]) from None
    try:
        uid = inspection_uid(meta)
    except ValueError:
        uid = None
    if (uid is None or not INSPECTION_ID_RE.match(meta["inspection"])
            or meta["inspection"] != manifest["inspection"]
            or manifest.get("inspection_uid") != uid
            or not checklist.content_hash == pinned["hash"] == meta["checklist_hash"]
            == manifest["checklist_hash"]):
        raise _refuse(path, "team.setup_mismatch")
    return meta, pinned


# ---- joining --------------------------------------------------------------------------------

def join(ws: Workspace, path: Path, name: str, *,
         trusted: list[sshsig.AllowedSigner] | None = None, trusted_label: str = "") -> Joined:
    """Set the open workspace up from the setup pack at `path`, for the inspector `name`."""
    info = read_setup(path, trusted, trusted_label)
    name = on_team(info, name)
    _check_destination(ws, info, name)
    lines = [info.lead.line(trust.LEAD_NAMESPACES), *info.trusted_lines]
    trust.add(ws.root, lines, dry_run=True)  # a clash with keys already trusted: refuse now
    folder = ws.root / "inspections" / info.inspection
    try:
        (folder / "sites").mkdir(parents=True)
        DBFile.create(folder / "inspection.json", {"format": INSPECTION_FORMAT, **info.meta},
                      {"checklist": [info.pinned]}).close()
    except BaseException as exc:  # e.g. a full disk (OSError, or WriteFailed from the store)
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise JoinRefused("team.join_unwritable", path=str(folder),
                              reason=exc.strerror or str(exc)) from None
        raise
    try:
        report = merge_into(ws, [path], inspection_id=info.inspection,
                            known=[sshsig.AllowedSigner(info.lead.name, sshsig.KEY_TYPE,
                                                        info.lead.key_blob)])
        if report.skipped:  # the file changed since it was checked
            raise JoinRefused("team.join_refused", path=str(path),
                              reason=report.skipped[0].reason)
        kept = {p: _bytes_of(p) for p in (trust.trust_path(ws.root),
                                          ws.root / identity.IDENTITY_FILE)}
        try:
            added = trust.add(ws.root, lines)
            identity.remember(ws.root, name)
        except BaseException:
            for p, old in kept.items():  # put back what was there (or nothing)
                _put_back(p, old)
            raise
    except BaseException:
        _forget(ws, info.inspection, folder)
        raise
    ws.author = name
    ws.inspection(info.inspection).author = name
    return Joined(info, name, len(added))


def on_team(info: SetupInfo, name: str) -> str:
    """The name, normalised, if it may join (a pack with no team list lets anyone join)."""
    name = identity.valid_name(name)
    if info.team and name not in info.names:
        raise JoinRefused("team.join_not_on_team", path=str(info.path), name=name,
                          team="、".join(info.names))
    return name


def _check_destination(ws: Workspace, info: SetupInfo, name: str) -> None:
    """Nothing already here is overwritten: another inspection, the same one joined before,
    or someone else's name remembered in this workspace are each refused."""
    ids = ws.inspection_ids()
    if info.inspection in ids:
        raise JoinRefused("team.join_again", path=str(ws.root), inspection=info.inspection,
                          title=info.title, pack=str(info.path))
    if ids:
        raise JoinRefused("team.join_not_empty", path=str(ws.root), known="、".join(ids))
    if (folder := ws.root / "inspections" / info.inspection).exists():  # a leftover: keep it
        raise JoinRefused("team.join_folder_exists", path=str(folder))
    if (known := identity.remembered(ws.root)) not in (None, name):
        raise JoinRefused("team.join_other_name", path=str(ws.root), name=name, known=known)


def _bytes_of(path: Path) -> bytes | None:
    """A small file of ours (both were read and checked already), or None if there is none."""
    try:
        return read_limited(path, SIGNERS_LIMIT)
    except FileNotFoundError:
        return None


def _put_back(path: Path, old: bytes | None) -> None:
    with contextlib.suppress(OSError):
        if old is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write_bytes(path, old)


def _forget(ws: Workspace, inspection_id: str, folder: Path) -> None:
    """Undo a join that failed halfway: close what is open, remove the folder made for it."""
    with contextlib.suppress(InspectError):
        ws.forget(inspection_id)
    shutil.rmtree(folder, ignore_errors=True)

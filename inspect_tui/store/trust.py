"""The workspace's trusted signers, and the signer a pack names.

`<workspace>/trusted_signers` is an OpenSSH allowed_signers file: one line per person, a name
and a public key. It is filled without hand-editing: `join` writes the lead's key (and the keys
the lead already trusts) from the setup pack, and the lead adds each inspector's key the first
time a pack signed by it is merged, after comparing its fingerprint with the inspector's.

A signed pack carries its signer's name and public key in its (signed) manifest, as
`"signer": {"name": …, "key": "ecdsa-sha2-nistp256 AAAA…"}`. The key must be the one that
made the signature; the name is only a claim until someone confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_tui.core import sshsig
from inspect_tui.core.errors import InspectError
from inspect_tui.core.names import normalise_name
from inspect_tui.safe_read import SIGNERS_LIMIT, ReadRefused, read_limited
from inspect_tui.store.durable_storage import atomic_write_bytes
from inspect_tui.store.errors import StoreError
from inspect_tui.store.merge_errors import InvalidSignature, SourceSkipped
from inspect_tui.store.pack_reader import PackReader

TRUST_FILE = "trusted_signers"
HEADER = ("# inspect-tui: the signers this workspace trusts (OpenSSH allowed_signers format).\n"
          "# Filled by `inspect-tui join` and by confirming new signers when merging.\n")
PACK_ONLY = sshsig.PACK_NAMESPACE
LEAD_NAMESPACES = f"{sshsig.REPORT_NAMESPACE},{sshsig.PACK_NAMESPACE}"


class NewSigner(SourceSkipped):
    """A pack signed by a key this workspace does not trust yet: held back until confirmed."""

    signature = "new"


@dataclass(frozen=True)
class PackSigner:
    """Who signed a pack: the name it claims ("" for packs of older versions) and the key."""

    name: str
    key_blob: bytes
    sources: tuple[str, ...] = field(default=(), compare=False)

    @property
    def fingerprint(self) -> str:
        return sshsig.fingerprint(self.key_blob)

    def line(self, namespaces: str = PACK_ONLY) -> str:
        key = sshsig.encode_public_key(sshsig.public_key_from_blob(self.key_blob))
        return f'{self.name} namespaces="{namespaces}" {key}'


def trust_path(root: Path) -> Path:
    return root / TRUST_FILE


def _read_text(path: Path) -> str | None:
    try:
        return read_limited(path, SIGNERS_LIMIT).decode("utf-8")
    except FileNotFoundError:
        return None
    except ReadRefused as exc:
        raise StoreError("team.trust_unreadable", path=str(path), reason=exc.reason) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError("team.trust_unreadable", path=str(path),
                         reason=getattr(exc, "strerror", None) or str(exc)) from None


def load(root: Path) -> list[sshsig.AllowedSigner]:
    """The workspace's trusted signers ([] when it has none yet)."""
    path = trust_path(root)
    text = _read_text(path)
    return [] if text is None else sshsig.parse_allowed_signers(text, str(path))


def lines(root: Path) -> list[str]:
    """The trusted signers' lines as written (for a setup pack), checked to parse."""
    text = _read_text(trust_path(root)) or ""
    sshsig.parse_allowed_signers(text, str(trust_path(root)))
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def check_line(line: str, source: str) -> sshsig.AllowedSigner:
    """One line from outside (a setup pack): one plain name, a key, no certificate authority."""
    try:
        plain = all(ch == "\t" or ch.isprintable() for ch in line)  # one line, no controls
        found = sshsig.parse_allowed_signers(line, source) if plain else []
    except InspectError:
        found = []
    if len(found) != 1 or found[0].cert_authority or normalise_name(found[0].principals) != (
            found[0].principals):
        raise StoreError("team.trust_bad_line", path=source, text=line[:80])
    return found[0]


def add(root: Path, new_lines: list[str], *, dry_run: bool = False) -> list[str]:
    """Append the lines whose key is not trusted yet (atomically); returns those added.

    A name already trusted with another key, or a key trusted under another name, is refused
    (StoreError naming both fingerprints): changing someone's key is done by hand, on purpose.
    With `dry_run` only the checks are made.
    """
    path = trust_path(root)
    text = _read_text(path)
    current = [] if text is None else sshsig.parse_allowed_signers(text, str(path))
    added: list[str] = []
    for line in new_lines:
        signer = check_line(line, str(path))
        same_key = [s for s in current if s.key_blob == signer.key_blob]
        if same_key:
            if signer.principals not in same_key[0].names:
                raise StoreError("team.key_taken", path=str(path),
                                 fingerprint=sshsig.fingerprint(signer.key_blob),
                                 name=signer.principals, other=same_key[0].principals)
            continue
        if other := [s for s in current if signer.principals in s.names]:
            raise StoreError("team.name_taken", path=str(path), name=signer.principals,
                             fingerprint=sshsig.fingerprint(signer.key_blob),
                             other=sshsig.fingerprint(other[0].key_blob))
        current.append(signer)
        added.append(line)
    if added and not dry_run:
        body = (text if text is not None else HEADER)
        body = body if not body or body.endswith("\n") else body + "\n"
        try:
            atomic_write_bytes(path, (body + "\n".join(added) + "\n").encode("utf-8"))
        except OSError as exc:
            raise StoreError("team.trust_unwritable", path=str(path),
                             reason=exc.strerror or str(exc)) from None
    return added


# ---- the signer a pack names ----------------------------------------------------------------

def pack_signer(reader: PackReader) -> PackSigner | None:
    """The signer of a pack whose signature is intact (None if unsigned); InvalidSignature if
    the signature does not hold or the manifest names another key than the one that signed."""
    if reader.signature is None:
        return None
    where = f"{reader.label}#manifest.json.sig"
    try:
        text = reader.signature.decode("ascii")
        parsed = sshsig.parse_signature(text, where)
        own = sshsig.AllowedSigner("-", sshsig.KEY_TYPE, parsed.public_key_blob)
        sshsig.verify(reader.manifest_bytes, text, PACK_ONLY, [own], source=where)
    except UnicodeDecodeError:
        raise InvalidSignature("pack.bad_signature", source=reader.label,
                               reason="manifest.json.sig is not text") from None
    except InspectError as exc:
        raise InvalidSignature("pack.bad_signature", source=reader.label,
                               reason=str(exc)) from None
    block: Any = reader.manifest.get("signer")
    if block is None:
        return PackSigner("", parsed.public_key_blob, (reader.label,))
    try:
        name = normalise_name(block["name"]) if isinstance(block["name"], str) else None
        key, _ = sshsig.parse_public_key(str(block["key"]), source=reader.label)
    except (KeyError, TypeError, InspectError):
        name, key = None, None
    if name is None or key is None or sshsig.public_key_blob(key) != parsed.public_key_blob:
        raise InvalidSignature("team.signer_mismatch", source=reader.label,
                               fingerprint=sshsig.fingerprint(parsed.public_key_blob))
    return PackSigner(name, parsed.public_key_blob, (reader.label,))


def judge(reader: PackReader, known: list[sshsig.AllowedSigner]) -> tuple[str, str]:
    """A pack's signature against the workspace's list: ("unsigned", "") or ("valid", name);
    NewSigner for a key not trusted yet, InvalidSignature for a name trusted with another key."""
    signer = pack_signer(reader)
    return ("unsigned", "") if signer is None else _verdict(reader.label, signer, known)


def _verdict(label: str, signer: PackSigner,
             known: list[sshsig.AllowedSigner]) -> tuple[str, str]:
    packs = [s for s in known if s.allows_namespace(PACK_ONLY) and not s.cert_authority]
    if same := [s for s in packs if s.key_blob == signer.key_blob]:
        return "valid", same[0].names[0]
    if signer.name and (other := [s for s in packs if signer.name in s.names]):
        raise InvalidSignature("team.signer_clash", source=label, name=signer.name,
                               fingerprint=signer.fingerprint,
                               other=sshsig.fingerprint(other[0].key_blob))
    if not signer.name:
        raise NewSigner("team.signer_nameless", source=label, fingerprint=signer.fingerprint)
    raise NewSigner("team.signer_new", source=label, name=signer.name,
                    fingerprint=signer.fingerprint)


def new_signers(paths: list[Path], known: list[sshsig.AllowedSigner]) -> list[PackSigner]:
    """The named signers of these packs whose keys the workspace does not trust yet, each once
    (folders, unsigned or damaged packs are left to the merge to report)."""
    found: dict[bytes, PackSigner] = {}
    for path in paths:
        if not path.is_file():
            continue
        try:
            with PackReader(path) as reader:
                signer = pack_signer(reader)
                if signer is not None and signer.name:
                    _verdict(reader.label, signer, known)
        except NewSigner:
            assert signer is not None
            seen = found.get(signer.key_blob)
            found[signer.key_blob] = PackSigner(
                signer.name, signer.key_blob, (seen.sources if seen else ()) + signer.sources)
        except InspectError:
            continue
    return list(found.values())

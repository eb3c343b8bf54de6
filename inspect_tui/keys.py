"""Signing keys on disk: one passphrase-encrypted private key and one public key per person.

Folder: $INSPECT_TUI_KEYS, else $XDG_CONFIG_HOME/inspect-tui/keys (~/.config/inspect-tui/keys).
    <slug>.key   OpenSSH private key, encrypted with the passphrase (bcrypt KDF), mode 0600,
                 never overwritten
    <slug>.pub   one-line OpenSSH public key; the comment is the real name (may be Chinese)
    keys.json    index: slug -> real name, fingerprint, creation time
The slug is an ASCII file name made from the name, because names like 张组长 make poor file
names on USB sticks formatted FAT32 and in zip files; the index and the .pub comment keep the
real name.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from inspect_tui.core import sshsig
from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.names import MAX_NAME, normalise_name
from inspect_tui.safe_read import SIGNERS_LIMIT, SMALL_FILE_LIMIT, ReadRefused, read_limited

ENV_DIR = "INSPECT_TUI_KEYS"
ENV_PASSPHRASE = "INSPECT_TUI_PASSPHRASE"
INDEX_NAME = "keys.json"
MIN_PASSPHRASE = 8
KDF_ROUNDS = 32


class KeyStoreError(InspectError):
    """A problem with the key folder or one of its files."""


class KeyExistsError(KeyStoreError):
    pass


class KeyNotFoundError(KeyStoreError):
    pass


class WrongPassphraseError(KeyStoreError):
    pass


@dataclass(frozen=True)
class KeyInfo:
    name: str
    slug: str
    fingerprint: str
    private_path: Path
    public_path: Path
    public_line: str  # `ecdsa-sha2-nistp256 AAAA… name`

    def public_key(self) -> ec.EllipticCurvePublicKey:
        return sshsig.parse_public_key(self.public_line, source=str(self.public_path))[0]

    def allowed_signers_line(
        self, namespace: str = f"{sshsig.REPORT_NAMESPACE},{sshsig.PACK_NAMESPACE}"
    ) -> str:
        """A line for `ssh-keygen -Y verify -f`: `name namespaces="…" keytype base64`."""
        key_part = sshsig.encode_public_key(self.public_key())
        return f'{self.name} namespaces="{namespace}" {key_part}'


def keys_dir() -> Path:
    if env := os.environ.get(ENV_DIR):
        return Path(env).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "inspect-tui" / "keys"


def slugify(name: str) -> str:
    """An ASCII file stem: the name itself if it already is one, else ASCII part + hash."""
    ascii_part = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ascii_part = re.sub(r"[^a-z0-9]+", "-", ascii_part).strip("-")[:32]
    if ascii_part == name:
        return name
    tag = hashlib.sha256(unicodedata.normalize("NFC", name).encode()).hexdigest()[:8]
    return f"{ascii_part or 'key'}-{tag}"


def check_name(name: str) -> str:
    checked = normalise_name(name)
    if checked is None:
        shown = unicodedata.normalize("NFC", name.strip())[:MAX_NAME]
        raise KeyStoreError("keys.bad_name", name=shown, max=MAX_NAME)
    return checked


# ---- passphrases --------------------------------------------------------------------------

def read_passphrase(confirm: bool = False) -> str:
    """From $INSPECT_TUI_PASSPHRASE, else asked on the terminal (twice when `confirm`)."""
    env = os.environ.get(ENV_PASSPHRASE)
    if env is not None:
        return env
    if not sys.stdin.isatty():  # never hang a script waiting for a prompt nobody sees
        raise KeyStoreError("keys.no_passphrase", env=ENV_PASSPHRASE)
    first = getpass.getpass(t("keys.prompt"))
    if confirm and getpass.getpass(t("keys.prompt_again")) != first:
        raise KeyStoreError("keys.passphrase_mismatch")
    return first


# ---- the folder ---------------------------------------------------------------------------

def _read_index(folder: Path) -> dict[str, dict[str, str]]:
    """slug -> entry. A missing or damaged index is rebuilt from the .pub comments."""
    try:
        data = json.loads(read_limited(folder / INDEX_NAME, SIGNERS_LIMIT))
        entries = data["keys"]
        return {str(slug): dict(entry) for slug, entry in entries.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError,
            ReadRefused):
        return {}


def _write_index(folder: Path, index: dict[str, dict[str, str]]) -> None:
    tmp = folder / (INDEX_NAME + ".tmp")
    tmp.write_text(json.dumps({"format": 1, "keys": index}, ensure_ascii=False, indent=2)
                   + "\n", "utf-8")
    os.replace(tmp, folder / INDEX_NAME)  # atomic: a crash leaves the old index


def list_keys(folder: Path | None = None) -> list[KeyInfo]:
    folder = folder or keys_dir()
    if not folder.is_dir():
        return []
    index = _read_index(folder)
    found = []
    for pub in sorted(folder.glob("*.pub")):
        try:
            line = read_limited(pub, SMALL_FILE_LIMIT).decode("utf-8").strip()
        except ReadRefused as exc:
            raise KeyStoreError("keys.unreadable", path=str(pub), reason=exc.reason) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyStoreError("keys.unreadable", path=str(pub), reason=str(exc)) from exc
        key, comment = sshsig.parse_public_key(line, source=str(pub))
        slug = pub.stem
        name = index.get(slug, {}).get("name") or comment or slug
        found.append(KeyInfo(name, slug, sshsig.fingerprint(key), folder / f"{slug}.key", pub,
                             line))
    return found


def find_key(name: str, folder: Path | None = None) -> KeyInfo:
    """A key by its real name, or by its file stem."""
    folder = folder or keys_dir()
    keys = list_keys(folder)
    wanted = unicodedata.normalize("NFC", name.strip())
    matches = ([k for k in keys if k.name == wanted] or [k for k in keys if k.slug == wanted]
               or [k for k in keys if k.slug == slugify(wanted)])
    if matches:
        return matches[0]
    known = "、".join(k.name for k in keys) or "-"
    raise KeyNotFoundError("keys.not_found", name=name, folder=str(folder), known=known)


def new_key(name: str, passphrase: str, folder: Path | None = None) -> KeyInfo:
    """Create a key pair for `name`; refuses to replace any existing file."""
    folder = folder or keys_dir()
    name = check_name(name)
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyStoreError("keys.passphrase_short", min=MIN_PASSPHRASE)
    slug = slugify(name)
    key_path, pub_path = folder / f"{slug}.key", folder / f"{slug}.pub"
    existing = next((k for k in list_keys(folder) if k.name == name), None)
    if existing is not None:
        raise KeyExistsError("keys.exists", name=name, path=str(existing.private_path))
    if pub_path.exists():
        raise KeyExistsError("keys.exists", name=name, path=str(pub_path))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private = ec.generate_private_key(ec.SECP256R1())
    # OpenSSH format with the bcrypt KDF: 32 rounds (~0.25 s here) make guessing a stolen
    # key's passphrase slow, where PKCS8's PBKDF2 default of 2,048 iterations would not.
    encryption = (serialization.PrivateFormat.OpenSSH.encryption_builder()
                  .kdf_rounds(KDF_ROUNDS).build(passphrase.encode()))
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                encryption)
    public_line = sshsig.encode_public_key(private.public_key(), name)
    _create(key_path, pem, 0o600, name)
    try:
        _create(pub_path, (public_line + "\n").encode(), 0o644, name)
    except KeyExistsError:
        key_path.unlink()  # ours, written a moment ago: leave no half pair behind
        raise
    fp = sshsig.fingerprint(private.public_key())
    index = _read_index(folder)
    index[slug] = {"name": name, "fingerprint": fp,
                   "created": datetime.now(UTC).isoformat(timespec="seconds")}
    _write_index(folder, index)
    return KeyInfo(name, slug, fp, key_path, pub_path, public_line)


def _create(path: Path, data: bytes, mode: int, name: str) -> None:
    """Write a new file; O_EXCL makes 'never overwrite' hold even against a race."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError as exc:
        raise KeyExistsError("keys.exists", name=name, path=str(path)) from exc
    except OSError as exc:
        raise KeyStoreError("keys.unwritable", path=str(path), reason=exc.strerror) from exc
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def load_private(name: str, passphrase: str,
                 folder: Path | None = None) -> ec.EllipticCurvePrivateKey:
    """Unlock a private key; checks it still matches its .pub (which others trust)."""
    info = find_key(name, folder)
    path = info.private_path
    try:
        data = read_limited(path, SMALL_FILE_LIMIT)
    except ReadRefused as exc:
        raise KeyStoreError("keys.unreadable", path=str(path), reason=exc.reason) from exc
    except OSError as exc:
        raise KeyStoreError("keys.unreadable", path=str(path), reason=exc.strerror) from exc
    try:
        key = serialization.load_ssh_private_key(data, passphrase.encode())
    except TypeError as exc:  # the file holds an unencrypted key: refuse to use it
        raise KeyStoreError("keys.unreadable", path=str(path),
                            reason=t("keys.not_encrypted")) from exc
    except ValueError as exc:
        raise WrongPassphraseError("keys.wrong_passphrase", path=str(path),
                                   env=ENV_PASSPHRASE) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve,
                                                                          ec.SECP256R1):
        raise KeyStoreError("keys.unreadable", path=str(path), reason=t("keys.not_p256"))
    if sshsig.fingerprint(key.public_key()) != info.fingerprint:
        raise KeyStoreError("keys.pub_mismatch", path=str(path), pub=str(info.public_path))
    return key

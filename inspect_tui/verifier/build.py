"""Build the office's verifier page: one self-contained HTML file (script, styles, the QR
decoder and the trusted keys inline), that checks record QR payloads with WebCrypto.

A Content-Security-Policy with the hashes of its own two scripts and its style forbids every
request (connect, images, fonts, frames, forms): the page cannot call out even if a scanned text
tried to make it. The same file is written as 404.html too: static hosts that answer unknown
paths with 404.html (and the office's own server, told to answer its folder with index.html)
then open HTTPS://HOST/V/IT2:… links.

With `reports`, the page also knows the names behind the IDs a QR payload signs: for every
record of those report folders (each must verify against the same allowed_signers) its
inspection, site name, criterion title and maximum, shown only for a payload whose signed
record digest is that record's — a re-scored record keeps its IDs but not its digest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_tui.core import sshsig
from inspect_tui.core.i18n import LANGUAGES, catalogue
from inspect_tui.core.qr_payload import DIGEST_BYTES, TrustedKey, trusted_from_allowed_signers
from inspect_tui.export.errors import VerifyInputError

if TYPE_CHECKING:
    from inspect_tui.export.verify_files import Trust

PAGE_NAME = "index.html"
FALLBACK_NAME = "404.html"
# The messages the page shows: its own and the reasons `verify` gives, word for word.
_PAGE_KEYS = ("verifier.page.", "qr.input_too_long", "qr.not_ours", "qr.unsupported_version",
              "qr.malformed", "qr.unknown_key", "qr.bad_signature", "qr.record_id_mismatch")


@dataclass(frozen=True)
class BuiltPage:
    path: Path
    size: int
    signers: list[str]
    skipped: int  # allowed_signers lines the page cannot use (other key types, CAs)
    records: int = 0  # records named from --report folders


def _named_records(reports: list[Path], trust: Trust) -> dict[str, Any]:
    """{"inspections": [title…], "records": {record ID: [inspection, site, criterion, max,
    digest hex of the 16 bytes a payload signs]}} from verified report folders only."""
    from inspect_tui.export.verify_files import load_bundle

    inspections: list[str] = []
    records: dict[str, list[Any]] = {}
    for path in reports:
        report = load_bundle(str(path), trust).report  # VerifyInputError unless it verifies
        inspections.append(report.title)
        for site, record in report.records():
            records[record.record_id] = [len(inspections) - 1, site.name, record.title,
                                         record.max, record.digest[:2 * DIGEST_BYTES]]
    return {"inspections": inspections, "records": records}


def _asset(name: str) -> str:
    try:
        return (resources.files("inspect_tui.verifier") / name).read_text("utf-8")
    except OSError as exc:
        raise VerifyInputError("verifier.no_template", path=name,
                               reason=exc.strerror or str(exc)) from None


def _texts() -> dict[str, dict[str, str]]:
    entries = {k: v for k, v in catalogue().items() if k.startswith(_PAGE_KEYS)}
    return {lang: {k: v.get(lang) or v["zh"] for k, v in entries.items()} for lang in LANGUAGES}


def _signer_json(key: TrustedKey) -> dict[str, str]:
    blob = sshsig.public_key_blob(key.key)
    return {"name": key.name, "key_id": sshsig.key_id(blob).hex(),
            "fingerprint": sshsig.fingerprint(blob),
            "point": blob[-65:].hex()}  # X9.62 uncompressed point: WebCrypto's "raw" form


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _inline_json(value: object) -> str:
    # "<" escaped: no "</script>" (or comment opener) can end the data block early.
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def page_html(signers: list[TrustedKey], built: date,
              named: dict[str, Any] | None = None) -> str:
    script, jsqr, css = _asset("verifier.js"), _asset("vendor/jsQR.js"), _asset("verifier.css")
    config = {"signers": [_signer_json(k) for k in signers], "text": _texts(),
              "built": built.isoformat(), "lang": "zh",
              "named": named or {"inspections": [], "records": {}}}
    csp = ("default-src 'none'; "
           f"script-src {_sha256(jsqr)} {_sha256(script)}; style-src {_sha256(css)}; "
           "img-src data:; media-src mediastream: blob:; base-uri 'none'; form-action 'none'")
    parts = {"CSP": csp, "TITLE": config["text"]["zh"]["verifier.page.title"], "CSS": css,
             "CONFIG": _inline_json(config), "JSQR": jsqr, "SCRIPT": script,
             "JSQRLICENSE": _asset("vendor/jsQR-LICENSE.txt").replace("-->", "- ->")}
    # One pass: what is put in is never searched for markers again.
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], _asset("index.html"))


def build_page(allowed_signers: Path, out_dir: Path, built: date | None = None,
               reports: list[Path] | None = None) -> BuiltPage:
    from inspect_tui.export.verify_files import load_trust

    trust = load_trust(str(allowed_signers))
    usable = trusted_from_allowed_signers(trust.signers)
    named = _named_records(reports or [], trust)
    html = page_html(usable, built or date.today(), named).encode("utf-8")
    path = out_dir / PAGE_NAME
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in (PAGE_NAME, FALLBACK_NAME):
            temp = out_dir / f".{name}.partial"
            temp.write_bytes(html)
            temp.replace(out_dir / name)  # never a half-written page in place
    except OSError as exc:
        raise VerifyInputError("verifier.unwritable", path=str(path),
                               reason=exc.strerror or str(exc)) from None
    return BuiltPage(path, len(html), [k.name for k in usable],
                     len(trust.signers) - len(usable), len(named["records"]))

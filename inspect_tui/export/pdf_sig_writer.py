"""The signature of report.pdf written as one incremental update, without loading pyHanko.

pyHanko costs 0.6-1.0 s to import in a fresh process (its signing package pulls in aiohttp,
asyncio and its validation code) and parses the whole 2 MB file again; the report's PDF is
reportlab's own simple layout (a classic xref table, a catalog without a form, a first page
without annotations), so the update is written here: the first page gains the signature
field's widget, the catalog its AcroForm, then the signature dictionary with /ByteRange and
/Contents covering the whole file, and an xref section pointing at the previous one. The CMS
carries the signed attributes pyHanko writes for a PAdES-style detached signature (content
type, signing time, algorithm protection, message digest, signing-certificate-v2), encoded
here in DER (asn1crypto alone would add 0.2 s).

`sign_update` returns None for any PDF it does not recognise; the caller then signs with
pyHanko (pdf_sign). Checked by pyHanko's validator and by pdfsig (tests/export/).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

FIELD_NAME = "InspectReport"
CONTENTS_BYTES = 8192  # room for the DER CMS (about 1.3 kB with one certificate)
_NUMBER = 10  # digits reserved for each /ByteRange number
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s+(\d+)\s+%%EOF\s*$", re.S)
_XREF = re.compile(rb"xref\s+(\d+)\s+(\d+)\s+")
_REF = r"/{} (\d+) 0 R"


@dataclass(frozen=True)
class _Doc:
    """What the update needs from reportlab's file."""

    size: int
    root: int
    info: int | None
    first_id: bytes
    startxref: int
    offsets: dict[int, int]


def _pdf_text(text: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, as hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _parse(pdf: bytes) -> _Doc | None:
    trailer = _TRAILER.search(pdf, max(len(pdf) - 4096, 0))
    if trailer is None or b"/Prev" in trailer.group(1) or b"/Encrypt" in trailer.group(1):
        return None
    body = trailer.group(1).decode("latin-1")
    size, root = re.search(r"/Size (\d+)", body), re.search(_REF.format("Root"), body)
    info, ids = re.search(_REF.format("Info"), body), re.search(r"/ID\s*\[\s*<([0-9a-fA-F]+)>",
                                                                   body)
    startxref = int(trailer.group(2))
    table = _XREF.match(pdf, startxref)
    if size is None or root is None or ids is None or table is None or table.group(1) != b"0":
        return None
    count, entries = int(table.group(2)), table.end()
    offsets = {}
    for n in range(count):
        entry = pdf[entries + 20 * n:entries + 20 * n + 20]
        if entry[17:18] == b"n":
            offsets[n] = int(entry[:10])
    return _Doc(int(size.group(1)), int(root.group(1)),
                int(info.group(1)) if info else None, ids.group(1).encode("ascii"),
                startxref, offsets)


def _object(pdf: bytes, doc: _Doc, number: int) -> bytes | None:
    """The dictionary text of object `number` (between its outer << and >>)."""
    start = doc.offsets.get(number)
    if start is None or not pdf.startswith(b"%d 0 obj" % number, start):
        return None
    end = pdf.find(b"endobj", start)
    text = pdf[start + len(b"%d 0 obj" % number):end].strip()
    if not (text.startswith(b"<<") and text.endswith(b">>")) or b"stream" in text:
        return None
    return text[2:-2]


def _der(tag: int, *parts: bytes) -> bytes:
    body = b"".join(parts)
    n = len(body)
    length = bytes([n]) if n < 0x80 else \
        bytes([0x80 | (n.bit_length() + 7) // 8]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + length + body


def _oid(dotted: str) -> bytes:
    first, second, *rest = map(int, dotted.split("."))
    out = bytearray([40 * first + second])
    for arc in rest:
        chunk = [arc & 0x7F]
        while arc := arc >> 7:
            chunk.append(0x80 | arc & 0x7F)
        out += bytes(reversed(chunk))
    return _der(0x06, bytes(out))


def _int(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


SEQ, SET, OCTETS = 0x30, 0x31, 0x04
DATA = _oid("1.2.840.113549.1.7.1")
SHA256 = _der(SEQ, _oid("2.16.840.1.101.3.4.2.1"), b"\x05\x00")
ECDSA_SHA256 = _der(SEQ, _oid("1.2.840.10045.4.3.2"))


def _attribute(oid: str, value: bytes) -> bytes:
    return _der(SEQ, _oid(oid), _der(SET, value))


def _signed_attributes(digest: bytes, cert: x509.Certificate, now: datetime) -> bytes:
    """The signed attributes' contents, in DER order (a SET OF is sorted)."""
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    issuer_serial = _der(SEQ, _der(SEQ, _der(0xA4, cert.issuer.public_bytes())),
                         _int(cert.serial_number))
    ess = _der(SEQ, _der(SEQ, _der(SEQ, _der(OCTETS, hashlib.sha256(cert_der).digest()),
                                   issuer_serial)))  # the hash algorithm: SHA-256, the default
    protection = _der(SEQ, SHA256, _der(0xA1, ECDSA_SHA256[2:]))  # [1] IMPLICIT
    attributes = [
        _attribute("1.2.840.113549.1.9.3", DATA),  # content type
        _attribute("1.2.840.113549.1.9.5", _der(0x17, now.strftime("%y%m%d%H%M%SZ").encode())),
        _attribute("1.2.840.113549.1.9.52", protection),  # CMS algorithm protection
        _attribute("1.2.840.113549.1.9.4", _der(OCTETS, digest)),  # message digest
        _attribute("1.2.840.113549.1.9.16.2.47", ess),  # signing certificate v2
    ]
    return b"".join(sorted(attributes))


def _cms(digest: bytes, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate,
         now: datetime) -> bytes:
    """A detached CMS SignedData over the document digest, ECDSA P-256 with SHA-256."""
    attributes = _signed_attributes(digest, cert, now)
    signature = key.sign(_der(SET, attributes), ec.ECDSA(hashes.SHA256()))
    signer_info = _der(SEQ, _int(1),
                       _der(SEQ, cert.issuer.public_bytes(), _int(cert.serial_number)),
                       SHA256, _der(0xA0, attributes), ECDSA_SHA256, _der(OCTETS, signature))
    signed_data = _der(SEQ, _int(1), _der(SET, SHA256), _der(SEQ, DATA),
                       _der(0xA0, cert.public_bytes(serialization.Encoding.DER)),
                       _der(SET, signer_info))
    return _der(SEQ, _oid("1.2.840.113549.1.7.2"), _der(0xA0, signed_data))


def sign_update(pdf: bytes, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate,
                name: str, reason: str, location: str = "",
                now: datetime | None = None) -> bytes | None:
    """`pdf` with its signature appended, or None if its structure is not reportlab's."""
    doc = _parse(pdf)
    if doc is None:
        return None
    catalog = _object(pdf, doc, doc.root)
    pages = re.search(rb"/Pages (\d+) 0 R", catalog or b"")
    kids = _object(pdf, doc, int(pages.group(1))) if pages else None
    first = re.search(rb"/Kids\s*\[\s*(\d+) 0 R", kids or b"")
    page = _object(pdf, doc, int(first.group(1))) if first else None
    if catalog is None or page is None or first is None \
            or b"/AcroForm" in catalog or b"/Annots" in page:
        return None
    now = now or datetime.now(UTC)
    page_no = int(first.group(1))
    form, widget, sig = doc.size, doc.size + 1, doc.size + 2
    when = now.strftime("D:%Y%m%d%H%M%S+00'00'").encode("ascii")
    placeholder = b"[0 " + b" ".join([b"0" * _NUMBER] * 3) + b"]"
    sig_dict = (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached"
                b" /ByteRange " + placeholder + b" /Contents <" + b"0" * (2 * CONTENTS_BYTES)
                + b"> /M (" + when + b") /Name " + _pdf_text(name) + b" /Reason "
                + _pdf_text(reason) + (b" /Location " + _pdf_text(location) if location else b"")
                + b" >>")
    objects = {
        page_no: b"<<" + page.rstrip() + b"\n/Annots [ %d 0 R ]\n>>" % widget,
        doc.root: b"<<" + catalog.rstrip() + b"\n/AcroForm %d 0 R\n>>" % form,
        form: b"<< /Fields [ %d 0 R ] /SigFlags 3 >>" % widget,
        widget: (b"<< /FT /Sig /T " + _pdf_text(FIELD_NAME) + b" /Type /Annot /Subtype /Widget"
                 b" /F 132 /Rect [ 0 0 0 0 ] /P %d 0 R /V %d 0 R >>" % (page_no, sig)),
        sig: sig_dict,
    }
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for number in sorted(offsets):  # one subsection per object: simple and valid
        out += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    new_id = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().encode("ascii")
    info = b" /Info %d 0 R" % doc.info if doc.info is not None else b""
    out += (b"trailer\n<< /Size %d /Root %d 0 R" % (sig + 1, doc.root) + info
            + b" /ID [ <" + doc.first_id + b"> <" + new_id + b"> ] /Prev %d >>\n" % doc.startxref
            + b"startxref\n%d\n%%%%EOF\n" % xref)
    return _fill(out, offsets[sig], key, cert, now)


def _fill(out: bytearray, sig_at: int, key: ec.EllipticCurvePrivateKey,
          cert: x509.Certificate, now: datetime) -> bytes:
    """Set /ByteRange to everything but the /Contents hex string, then sign those bytes."""
    start = out.index(b"/Contents <", sig_at) + len(b"/Contents ")
    end = start + 2 * CONTENTS_BYTES + 2  # the hex string with its angle brackets
    ranges = (0, start, end, len(out) - end)
    at = out.index(b"/ByteRange [", sig_at) + len(b"/ByteRange ")
    width = 3 + 3 * (_NUMBER + 1)
    text = ("[" + " ".join(map(str, ranges)) + "]").encode("ascii")
    out[at:at + width] = text.ljust(width)
    digest = hashlib.sha256(out[:start])
    digest.update(out[end:])
    blob = _cms(digest.digest(), key, cert, now)
    if len(blob) > CONTENTS_BYTES:
        raise ValueError("CMS signature larger than its reserved space")
    out[start + 1:start + 1 + 2 * len(blob)] = blob.hex().upper().encode("ascii")
    return bytes(out)

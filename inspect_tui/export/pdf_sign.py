"""The PDF's embedded signature (pyHanko), made with the signer's own ECDSA P-256 key.

The certificate is self-signed and built fresh from that key (with `cryptography`): its subject
names the signer and its organisational unit carries the SSH fingerprint offices already trust,
so `pdfsig` shows who signed and checks the digest, and `inspect-tui verify` matches the key
against the allowed_signers file. A changed byte in the signed range is a digest mismatch.
The signature is written by export.pdf_sig_writer (no pyHanko import: 0.6-1.0 s saved per
export); pyHanko signs any PDF that writer does not recognise.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from inspect_tui.core import sshsig

CERT_YEARS = 10


def certificate_for(key: ec.EllipticCurvePrivateKey, name: str,
                    now: datetime | None = None) -> x509.Certificate:
    now = now or datetime.now(UTC)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, name),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, sshsig.fingerprint(key.public_key())),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "inspect-tui"),
    ])
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False,
                          crl_sign=False, encipher_only=False, decipher_only=False)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(int.from_bytes(sshsig.key_id(key.public_key()), "big") or 1)
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365 * CERT_YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .sign(key, hashes.SHA256()))


def sign_pdf(pdf: bytes, key: ec.EllipticCurvePrivateKey, name: str, reason: str,
             location: str = "") -> bytes:
    """`pdf` signed: written directly (pdf_sig_writer) when it is reportlab's plain layout, as
    the report always is; by pyHanko otherwise."""
    from inspect_tui.export.pdf_sig_writer import sign_update

    signed = sign_update(pdf, key, certificate_for(key, name), name, reason, location)
    return signed if signed is not None else sign_with_pyhanko(pdf, key, name, reason, location)


def sign_with_pyhanko(pdf: bytes, key: ec.EllipticCurvePrivateKey, name: str, reason: str,
                      location: str = "") -> bytes:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = asn1_x509.Certificate.load(
        certificate_for(key, name).public_bytes(serialization.Encoding.DER))
    private = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    signer = signers.SimpleSigner(signing_cert=cert, signing_key=private,
                                  cert_registry=SimpleCertificateStore.from_certs([cert]))
    meta = signers.PdfSignatureMetadata(field_name="InspectReport", reason=reason,
                                        location=location or None, name=name)
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer, output=out)
    return out.getvalue()

"""The report PDF's signature written without pyHanko: pyHanko's own validator and pdfsig call it
valid and whole-file, it carries the same signed attributes pyHanko writes, a changed byte is
caught, and a PDF the writer does not recognise is left to pyHanko."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms
from reportlab.pdfgen.canvas import Canvas

from inspect_tui.core import sshsig
from inspect_tui.core.report_verify import Reason
from inspect_tui.export.pdf_check import check_pdf
from inspect_tui.export.pdf_sig_writer import sign_update
from inspect_tui.export.pdf_sign import certificate_for, sign_pdf, sign_with_pyhanko
from tests.export.fixed_report import KEY, OTHER_KEY

NAME, REASON = "张组长", "检查结果报告 RPT-TEST"


def _plain_pdf(pages: int = 3, link: bool = False) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    for n in range(pages):
        canvas.drawString(72, 720, f"page {n + 1}")
        if link:  # an annotation on the page: not the report's plain layout
            canvas.linkURL("https://example.org/", (72, 700, 200, 730))
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _signers() -> list[sshsig.AllowedSigner]:
    line = f'{NAME} namespaces="inspect-report" {sshsig.encode_public_key(KEY.public_key())}'
    return sshsig.parse_allowed_signers(line, "allowed_signers")


def _check(data: bytes, tmp_path: Path) -> Reason:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    return check_pdf(path, _signers(), "allowed_signers").reason


def _signed_attribute_types(data: bytes) -> list[str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    sig = PdfFileReader(io.BytesIO(data)).embedded_signatures[-1]
    content: cms.SignedData = sig.signed_data
    return sorted(a["type"].dotted for a in content["signer_infos"][0]["signed_attrs"])


def test_written_signature_is_valid_for_pyhanko_and_like_its_own(tmp_path: Path) -> None:
    plain = _plain_pdf()
    ours = sign_update(plain, KEY, certificate_for(KEY, NAME), NAME, REASON)
    assert ours is not None and ours.startswith(plain)  # an incremental update
    assert _check(ours, tmp_path) == Reason.VALID
    theirs = sign_with_pyhanko(plain, KEY, NAME, REASON)
    assert _signed_attribute_types(ours) == _signed_attribute_types(theirs)
    assert len(_signed_attribute_types(ours)) == 5


def test_a_changed_byte_or_another_key_is_caught(tmp_path: Path) -> None:
    plain = _plain_pdf()
    ours = sign_update(plain, KEY, certificate_for(KEY, NAME), NAME, REASON)
    assert ours is not None
    flipped = bytearray(ours)
    flipped[len(plain) // 2] ^= 0x01  # a byte of the pages
    assert _check(bytes(flipped), tmp_path) == Reason.BAD_SIGNATURE
    other = sign_update(_plain_pdf(), OTHER_KEY, certificate_for(OTHER_KEY, NAME), NAME, REASON)
    assert other is not None and _check(other, tmp_path) == Reason.UNKNOWN_KEY


@pytest.mark.skipif(subprocess.run(["which", "pdfsig"], capture_output=True).returncode != 0,
                    reason="pdfsig (poppler-utils) not installed")
def test_pdfsig_says_valid_and_whole_document(tmp_path: Path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_pdf(_plain_pdf(), KEY, NAME, REASON, "马涧镇"))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Total document signed" in out
    assert "Common Name: 张组长" in out and "adbe.pkcs7.detached" in out


def test_an_unrecognised_pdf_is_signed_by_pyhanko(tmp_path: Path) -> None:
    cert = certificate_for(KEY, NAME)
    once = sign_pdf(_plain_pdf(), KEY, NAME, REASON)
    assert sign_update(once, KEY, cert, NAME, REASON) is None  # an update already: /Prev
    assert sign_update(b"not a pdf", KEY, cert, NAME, REASON) is None
    linked = _plain_pdf(link=True)
    assert sign_update(linked, KEY, cert, NAME, REASON) is None
    signed = sign_pdf(linked, KEY, NAME, REASON)  # by pyHanko
    assert b"pyHanko" in signed and _check(signed, tmp_path) == Reason.VALID

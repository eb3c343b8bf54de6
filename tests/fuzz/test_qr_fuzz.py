"""Fuzzing the QR decoders: record QRs, the cover QR, and the dispatcher an office scans into.

Any text gives a verdict or our own error, never anything else; a changed payload never
verifies as something it was not signed as.
"""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from inspect_tui.core import qr_payload as qp
from inspect_tui.core import report_qr
from inspect_tui.core.report import report_bytes
from inspect_tui.core.report_verify import Reason, check_qr_text
from tests.export.fixed_report import KEY, fixed_report
from tests.export.fixed_report import trusted as fixed_trusted
from tests.fuzz.budget import fuzz
from tests.test_qr_payload import (
    FIELDS,
    LEGACY,
    LEGACY_FIELDS,
    RID,
    TRUSTED,
    VALID,
    body_of,
)

ALPHABET = qp.QR_ALPHANUMERIC + "é\x00"
REPORT = fixed_report()
REPORT_JSON = report_bytes(REPORT)
REPORT_SHA = hashlib.sha256(REPORT_JSON).hexdigest()
REPORT_TRUST = fixed_trusted()
COVER = report_qr.encode_report_qr(REPORT.report_id, REPORT_JSON, KEY)
RECORD_QRS = [r.qr for _, r in REPORT.records()]


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    chars = list(text)
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["replace", "delete", "insert"]))
        i = draw(st.integers(0, len(chars) - 1))
        char = draw(st.sampled_from(ALPHABET))
        if op == "replace":
            chars[i] = char
        elif op == "delete" and len(chars) > 1:
            del chars[i]
        else:
            chars.insert(i, char)
    return "".join(chars)


@fuzz(400)
@given(st.text(max_size=1200))
def test_fuzz_random_text(text: str) -> None:
    try:
        qp.decode_payload(text, TRUSTED)
    except qp.PayloadError:
        return
    raise AssertionError("random text verified")


@fuzz(400)
@given(st.sampled_from(["IT1:", "IT2:"]), st.text(alphabet=qp.QR_ALPHANUMERIC, max_size=300))
def test_fuzz_random_text_after_our_header(prefix: str, tail: str) -> None:
    try:
        qp.decode_payload(f"{prefix}{RID}:" + tail, TRUSTED)
    except qp.PayloadError:
        return
    raise AssertionError("random body verified")


@fuzz(600)
@given(edited(VALID))
def test_fuzz_mutations_of_a_valid_payload(text: str) -> None:
    try:
        got = qp.decode_payload(text, TRUSTED)
    except qp.PayloadError:
        return
    assert got.fields == FIELDS  # a mutation may only survive if it changed nothing signed


@fuzz(300)
@given(edited(LEGACY))
def test_fuzz_mutations_of_an_it1_payload(text: str) -> None:
    try:
        got = qp.decode_payload(text, TRUSTED)
    except qp.PayloadError:
        return
    assert got.fields == LEGACY_FIELDS  # an old code never turns into something it was not


@fuzz(300)
@given(data=st.data())
def test_fuzz_body_bit_flips_are_always_rejected(data: st.DataObject) -> None:
    body = body_of(VALID)
    i = data.draw(st.integers(0, len(body) - 1))
    body[i] ^= 1 << data.draw(st.integers(0, 7))
    try:
        qp.decode_payload(f"IT2:{RID}:" + qp.b45encode(bytes(body)), TRUSTED)
    except (qp.BadPayloadSignatureError, qp.UnknownKeyIdError, qp.RecordIdMismatchError):
        return
    raise AssertionError("a flipped bit verified")


# ---- what the office's scanner feeds to `verify`: any QR text, with the bundle at hand ------

def _scan(text: str) -> Reason:
    finding = check_qr_text(text, REPORT_TRUST, REPORT, REPORT_SHA, source="QR")
    assert finding.ok or finding.detail  # every refusal says why
    return finding.reason


def test_the_untouched_codes_verify_against_their_bundle() -> None:
    assert {_scan(text) for text in [COVER, *RECORD_QRS]} == {Reason.VALID}


@fuzz(300)
@given(st.one_of(st.text(max_size=600),
                 st.text(alphabet=qp.QR_ALPHANUMERIC, max_size=600).map(lambda s: "ITR1:" + s),
                 st.text(alphabet=qp.QR_ALPHANUMERIC, max_size=600).map(lambda s: "IT1:" + s),
                 st.text(alphabet=qp.QR_ALPHANUMERIC, max_size=600).map(lambda s: "IT2:" + s)))
def test_fuzz_random_scans(text: str) -> None:
    assert _scan(text) is not Reason.VALID


@fuzz(300)
@given(st.sampled_from([COVER, *RECORD_QRS]).flatmap(lambda text: edited(text).map(
    lambda new: (text, new))))
def test_fuzz_edited_scans_never_verify_as_something_else(pair: tuple[str, str]) -> None:
    original, text = pair
    if _scan(text) is Reason.VALID:  # only edits that change nothing signed may pass
        if report_qr.is_report_qr(text):
            assert report_qr.decode_report_qr(text, REPORT_TRUST).sha256 == REPORT_SHA
        else:
            assert (qp.decode_payload(text, REPORT_TRUST).fields
                    == qp.decode_payload(original, REPORT_TRUST).fields)


def test_oversized_scans_are_refused_quickly() -> None:
    for text in ["IT1:" + "A" * 5_000_000, "IT2:" + "A" * 5_000_000, "ITR1:" + "0" * 5_000_000,
                 "IT" + "\x00" * 10**6]:
        assert _scan(text) is Reason.MALFORMED

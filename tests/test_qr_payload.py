"""The signed record QR payload: round trip, every rejection and QR size (fuzzing: tests/fuzz).
IT2 states the scoring rules; IT1 (reports of version 1) is still read."""

from __future__ import annotations

import dataclasses

import pytest
import qrcode
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import given
from hypothesis import strategies as st
from qrcode.constants import ERROR_CORRECT_M

from inspect_tui.core import qr_payload as qp
from inspect_tui.core import sshsig
from inspect_tui.core.record_id import make_record_id
from inspect_tui.core.scoring_rules import RULES_V1, RULES_V2

KEY = ec.generate_private_key(ec.SECP256R1())
OTHER = ec.generate_private_key(ec.SECP256R1())
TRUSTED = [qp.TrustedKey("张组长", KEY.public_key())]
RID = make_record_id("2020-lanxi", "lanxi-shangrong", "2.4")
FIELDS = qp.PayloadFields(
    record_id=RID, site_id="lanxi-shangrong", criterion_id="2.4", score=4.5,
    time=1_764_000_000, digest=qp.record_digest(b'{"canonical":"record"}'), rules=RULES_V2,
)
VALID = qp.encode_payload(FIELDS, KEY)  # ECDSA is randomised: fuzz one fixed payload
LEGACY_FIELDS = dataclasses.replace(FIELDS, rules="")
LEGACY = qp.encode_payload(LEGACY_FIELDS, KEY)  # an IT1 payload, as version-1 reports print


def qr_version(text: str) -> int:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return int(code.version)


def body_of(text: str) -> bytearray:
    return bytearray(qp.b45decode(text.split(":", 2)[2]))


def resign(header: str, body: bytes, key: ec.EllipticCurvePrivateKey = KEY) -> str:
    """A payload with a valid signature over an arbitrary (possibly inconsistent) body."""
    r, s = decode_dss_signature(key.sign(header.encode() + body, ec.ECDSA(hashes.SHA256())))
    return header + qp.b45encode(body + r.to_bytes(32, "big") + s.to_bytes(32, "big"))


# ---- Base45 -------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "text"), [(b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"),
                                           (b"base-45", "UJCLQE7W581"), (b"ietf!", "QED8WEX0"),
                                           (b"", "")])
def test_base45_rfc9285_vectors(raw: bytes, text: str) -> None:
    assert qp.b45encode(raw) == text and qp.b45decode(text) == raw


@pytest.mark.parametrize("bad", ["GGW", "A", "ABCD", "ab", "::~", "ÄB8"])
def test_base45_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        qp.b45decode(bad)


@given(st.binary(max_size=300))
def test_base45_round_trip(raw: bytes) -> None:
    text = qp.b45encode(raw)
    assert qp.b45decode(text) == raw and not text.endswith(" ")  # safe from scanner trimming


# ---- round trip and size ----------------------------------------------------------------------

def test_round_trip() -> None:
    assert VALID.startswith(f"IT2:{RID}:")
    got = qp.decode_payload(VALID, TRUSTED)
    assert got.fields == FIELDS and got.signer == "张组长" and got.fields.rules == RULES_V2
    assert got.key_id == sshsig.key_id(KEY.public_key())


def test_it1_payloads_state_no_rules_and_still_verify() -> None:
    assert LEGACY.startswith(f"IT1:{RID}:")
    got = qp.decode_payload(LEGACY, TRUSTED)
    assert got.fields == LEGACY_FIELDS and got.fields.rules == ""
    # the rules cost one byte: at most two more characters, the same QR version
    assert len(LEGACY) < len(VALID) <= len(LEGACY) + 2 and qr_version(VALID) == qr_version(LEGACY)


@pytest.mark.parametrize("rules", [RULES_V1, RULES_V2, f"{qp.RULES_PREFIX}255"])
def test_every_rules_version_round_trips(rules: str) -> None:
    fields = dataclasses.replace(FIELDS, rules=rules)
    assert qp.decode_payload(qp.encode_payload(fields, KEY), TRUSTED).fields == fields


def test_the_signed_prefix_cannot_be_swapped() -> None:
    """The version prefix is signed: an IT2 payload shown as IT1 (hiding its rules), or an IT1
    payload shown as IT2, is not a valid payload of either."""
    with pytest.raises(qp.BadPayloadSignatureError):
        qp.decode_payload(VALID.replace("IT2:", "IT1:", 1), TRUSTED)
    with pytest.raises(qp.BadPayloadSignatureError):
        qp.decode_payload(LEGACY.replace("IT1:", "IT2:", 1), TRUSTED)


def test_rules_names_match_the_scoring_rules() -> None:
    assert {RULES_V1, RULES_V2} == {f"{qp.RULES_PREFIX}1", f"{qp.RULES_PREFIX}2"}


@pytest.mark.parametrize("score", [None, 0.0, 3.3, 10.0, 0.01, 655.34])
def test_scores_round_trip_exactly(score: float | None) -> None:
    fields = dataclasses.replace(FIELDS, score=score)
    assert qp.decode_payload(qp.encode_payload(fields, KEY), TRUSTED).fields.score == score


def test_chinese_ids_round_trip() -> None:
    fields = dataclasses.replace(FIELDS, site_id="兰溪市上华街道", criterion_id="三.9")
    assert qp.decode_payload(qp.encode_payload(fields, KEY), TRUSTED).fields == fields


def test_text_is_qr_alphanumeric_and_fits_version_10_m() -> None:
    assert set(VALID) <= set(qp.QR_ALPHANUMERIC)
    assert len(VALID) < 200 and qr_version(VALID) <= 8


def test_largest_allowed_payload_fits_version_10_m() -> None:
    # site id grown until one more byte would be refused: that text must still fit 10-M
    site = "S"
    while True:
        longer = dataclasses.replace(FIELDS, site_id=site + "S")
        try:
            qp.encode_payload(longer, KEY)
        except qp.PayloadFieldError:
            break
        site += "S"
    text = qp.encode_payload(dataclasses.replace(FIELDS, site_id=site), KEY)
    assert len(text) in (qp.QR_MAX_CHARS - 1, qp.QR_MAX_CHARS)
    assert qr_version(text) == 10


def test_capacity_constant_matches_qrcode() -> None:
    assert qr_version("A" * qp.QR_MAX_CHARS) == 10 and qr_version("A" * (qp.QR_MAX_CHARS + 1)) == 11


@pytest.mark.parametrize("change", [
    {"record_id": "R-7K3FQ-9QX2N"}, {"site_id": ""}, {"site_id": "x" * 256}, {"score": -1.0},
    {"score": 4.555}, {"score": float("nan")}, {"time": -1}, {"time": 2**32}, {"digest": b"x"},
    {"rules": "scoring-2"}, {"rules": f"{qp.RULES_PREFIX}0"}, {"rules": f"{qp.RULES_PREFIX}256"},
    {"rules": f"{qp.RULES_PREFIX}02"}, {"rules": f"{RULES_V2} "},
])
def test_encode_refuses_bad_fields(change: dict[str, object]) -> None:
    with pytest.raises(qp.PayloadFieldError):
        qp.encode_payload(dataclasses.replace(FIELDS, **change), KEY)  # type: ignore[arg-type]


# ---- rejections ---------------------------------------------------------------------------

def test_changed_score_is_bad_signature() -> None:
    body = body_of(VALID)
    score_at = 4 + 7 + 1 + len(FIELDS.site_id) + 1 + len(FIELDS.criterion_id)
    assert int.from_bytes(body[score_at:score_at + 2], "big") == 450
    body[score_at:score_at + 2] = (1000).to_bytes(2, "big")
    forged = f"IT2:{RID}:" + qp.b45encode(bytes(body))
    with pytest.raises(qp.BadPayloadSignatureError) as err:
        qp.decode_payload(forged, TRUSTED, source="第 3 页")
    assert "第 3 页" in str(err.value) and RID in str(err.value)


def test_not_ours_and_unsupported_version() -> None:
    with pytest.raises(qp.NotOurPayloadError):
        qp.decode_payload("HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH", TRUSTED)
    with pytest.raises(qp.UnsupportedVersionError) as err:
        qp.decode_payload(VALID.replace("IT2:", "IT3:", 1), TRUSTED)
    assert "IT3" in str(err.value) and "IT1/IT2" in str(err.value)


def test_unknown_key_id() -> None:
    with pytest.raises(qp.UnknownKeyIdError) as err:
        qp.decode_payload(VALID, [qp.TrustedKey("李", OTHER.public_key())])
    assert sshsig.key_id(KEY.public_key()).hex() in str(err.value)


def test_key_id_collision_tries_every_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    # two trusted keys with the same 4-byte id: the one that verifies wins
    kid = sshsig.key_id(KEY.public_key())
    monkeypatch.setattr(sshsig, "key_id", lambda key: kid)
    twin = qp.TrustedKey("冒名", OTHER.public_key())
    assert qp.decode_payload(VALID, [twin, *TRUSTED]).signer == "张组长"


def test_swapped_plain_record_id_is_a_mismatch() -> None:
    other_id = make_record_id("2020-lanxi", "lanxi-shangrong", "2.5")
    with pytest.raises(qp.RecordIdMismatchError) as err:
        qp.decode_payload(VALID.replace(RID, other_id, 1), TRUSTED)
    assert other_id in str(err.value) and RID in str(err.value)


def test_signed_but_inconsistent_body_is_a_mismatch() -> None:
    body = body_of(VALID)[:-64]
    other_id = make_record_id("x", "y", "z")
    body[4:11] = qp._id_to_bytes(other_id)
    with pytest.raises(qp.RecordIdMismatchError):
        qp.decode_payload(resign(f"IT2:{RID}:", bytes(body)), TRUSTED)


@pytest.mark.parametrize(("header", "source"), [("IT2:", "VALID"), ("IT1:", "LEGACY")])
def test_signed_but_malformed_body(header: str, source: str) -> None:
    body = body_of({"VALID": VALID, "LEGACY": LEGACY}[source])[:-64] + b"extra"
    with pytest.raises(qp.MalformedPayloadError):
        qp.decode_payload(resign(f"{header}{RID}:", bytes(body)), TRUSTED)


def test_signed_bodies_of_the_other_version_or_with_no_rules_are_malformed() -> None:
    it2_body, it1_body = body_of(VALID)[:-64], body_of(LEGACY)[:-64]
    for header, body in ((f"IT1:{RID}:", it2_body), (f"IT2:{RID}:", it1_body)):
        with pytest.raises(qp.MalformedPayloadError):
            qp.decode_payload(resign(header, bytes(body)), TRUSTED)
    rules_at = len(it2_body) - 16 - 1
    assert it2_body[rules_at] == 2
    it2_body[rules_at] = 0  # "rules 0" is not a version
    with pytest.raises(qp.MalformedPayloadError):
        qp.decode_payload(resign(f"IT2:{RID}:", bytes(it2_body)), TRUSTED)


@pytest.mark.parametrize("text", [
    "IT1:", "IT1:R-7K3FQ-9QX2M", "IT1:r" + RID[1:] + ":AAA", f"IT1:{RID}:", f"IT1:{RID}:A",
    f"IT1:{RID}:" + "0" * 30, f"IT1:{RID}:abc", "IT2:", f"IT2:{RID}:", f"IT2:{RID}:" + "0" * 30,
])
def test_malformed(text: str) -> None:
    with pytest.raises(qp.MalformedPayloadError):
        qp.decode_payload(text, TRUSTED)


def test_oversized_input_refused_before_decoding() -> None:
    with pytest.raises(qp.MalformedPayloadError) as err:
        qp.decode_payload(VALID + "0" * qp.MAX_INPUT_CHARS, TRUSTED)
    assert str(qp.MAX_INPUT_CHARS) in str(err.value)


def test_scanner_whitespace_is_harmless() -> None:
    assert qp.decode_payload(f"  {VALID}\r\n", TRUSTED).fields == FIELDS


def test_trusted_keys_from_allowed_signers() -> None:
    text = (f'张组长 namespaces="inspect-report" {sshsig.encode_public_key(KEY.public_key())}\n'
            "li ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n")
    trusted = qp.trusted_from_allowed_signers(sshsig.parse_allowed_signers(text, "a"))
    assert [k.name for k in trusted] == ["张组长"]
    assert qp.decode_payload(VALID, trusted).signer == "张组长"

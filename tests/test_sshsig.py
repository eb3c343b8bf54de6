"""SSHSIG signatures against the real OpenSSH ssh-keygen, both directions, and every rejection."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspect_tui.core import sshsig
from inspect_tui.core.errors import InspectError
from inspect_tui.core.sshsig import (
    AllowedSignersError,
    ArmorError,
    BadSignatureError,
    KeyFormatError,
    NamespaceError,
    SignatureError,
    UnknownKeyError,
)

NS = sshsig.REPORT_NAMESPACE
MESSAGE = "报告：兰溪市七五普法总结验收\nscore 92.5\n".encode()
KEY = ec.generate_private_key(ec.SECP256R1())
FIXED_SIG = sshsig.sign(MESSAGE, KEY, NS)  # ECDSA is randomised: fuzz one fixed signature
needs_ssh_keygen = pytest.mark.skipif(shutil.which("ssh-keygen") is None,
                                      reason="ssh-keygen (OpenSSH client) is not installed")


def signer_line(key: ec.EllipticCurvePrivateKey, name: str = "张组长", options: str = "") -> str:
    opts = f" {options}" if options else ""
    return f"{name}{opts} {sshsig.encode_public_key(key.public_key())}"


def signers(*lines: str) -> list[sshsig.AllowedSigner]:
    return sshsig.parse_allowed_signers("\n".join(lines) + "\n", "allowed_signers")


def ssh_keygen(*args: str, stdin: bytes | None = None,
               cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["ssh-keygen", *args], input=stdin, capture_output=True, cwd=cwd,
                          timeout=30)


# ---- interoperability with OpenSSH ----------------------------------------------------------

@needs_ssh_keygen
def test_our_signature_verified_by_ssh_keygen(tmp_path: Path) -> None:
    (tmp_path / "allowed").write_text(signer_line(KEY, options='namespaces="inspect-report"')
                                      + "\n", "utf-8")
    sig = tmp_path / "report.sig"
    sig.write_text(sshsig.sign(MESSAGE, KEY, NS), "ascii")
    args = ("-Y", "verify", "-f", str(tmp_path / "allowed"), "-I", "张组长", "-n", NS, "-s",
            str(sig))
    good = ssh_keygen(*args, stdin=MESSAGE)
    assert good.returncode == 0, good.stderr
    assert b"Good" in good.stdout and sshsig.fingerprint(KEY.public_key()).encode() in good.stdout
    # the same check fails for a changed message, so the test above can fail too
    assert ssh_keygen(*args, stdin=MESSAGE + b" ").returncode != 0


@needs_ssh_keygen
def test_sha256_variant_verified_by_ssh_keygen(tmp_path: Path) -> None:
    (tmp_path / "allowed").write_text(signer_line(KEY, name="zhang") + "\n", "ascii")
    sig = tmp_path / "m.sig"
    sig.write_text(sshsig.sign(MESSAGE, KEY, NS, hash_name="sha256"), "ascii")
    r = ssh_keygen("-Y", "verify", "-f", str(tmp_path / "allowed"), "-I", "zhang", "-n", NS,
                   "-s", str(sig), stdin=MESSAGE)
    assert r.returncode == 0, r.stderr


@needs_ssh_keygen
def test_ssh_keygen_signature_verified_by_us(tmp_path: Path) -> None:
    key = tmp_path / "lead"
    made = ssh_keygen("-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "li@office", "-f",
                      str(key))
    assert made.returncode == 0, made.stderr
    message = tmp_path / "report.json"
    message.write_bytes(MESSAGE)
    signed = ssh_keygen("-Y", "sign", "-f", str(key), "-n", NS, str(message))
    assert signed.returncode == 0, signed.stderr
    sig_text = (tmp_path / "report.json.sig").read_text("ascii")
    pub_line = (tmp_path / "lead.pub").read_text("ascii")
    allowed = signers("li@office,李组长 " + pub_line.strip())
    verified = sshsig.verify(MESSAGE, sig_text, NS, allowed, source="report.json.sig")
    assert verified.principals == ("li@office", "李组长")
    assert verified.principal == "li@office"
    _, comment = sshsig.parse_public_key(pub_line, source="lead.pub")
    assert comment == "li@office"
    with pytest.raises(BadSignatureError):
        sshsig.verify(MESSAGE[:-1], sig_text, NS, allowed, source="report.json.sig")


@needs_ssh_keygen
def test_fingerprint_equals_ssh_keygen(tmp_path: Path) -> None:
    pub = tmp_path / "ours.pub"
    pub.write_text(sshsig.encode_public_key(KEY.public_key(), "张组长") + "\n", "utf-8")
    out = ssh_keygen("-lf", str(pub)).stdout.decode().split()
    assert out[0] == "256" and out[-1] == "(ECDSA)"
    assert out[1] == sshsig.fingerprint(KEY.public_key())
    # and for a key ssh-keygen made itself
    ssh_keygen("-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", str(tmp_path / "k"))
    line = (tmp_path / "k.pub").read_text("ascii")
    theirs = ssh_keygen("-lf", str(tmp_path / "k.pub")).stdout.decode().split()[1]
    assert sshsig.fingerprint(sshsig.parse_public_key(line, source="k.pub")[0]) == theirs


def test_armor_layout_like_ssh_keygen() -> None:
    text = sshsig.sign(MESSAGE, KEY, NS)
    lines = text.splitlines()
    assert lines[0] == "-----BEGIN SSH SIGNATURE-----"
    assert lines[-1] == "-----END SSH SIGNATURE-----"
    assert all(len(line) == 70 for line in lines[1:-2]) and 0 < len(lines[-2]) <= 70
    assert text.endswith("-----\n")


# ---- keys -----------------------------------------------------------------------------------

def test_public_key_round_trip_and_ids() -> None:
    line = sshsig.encode_public_key(KEY.public_key(), "张组长")
    assert line.startswith("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY")
    key, comment = sshsig.parse_public_key(line, source="x.pub")
    assert comment == "张组长" and sshsig.public_key_blob(key) == sshsig.public_key_blob(
        KEY.public_key())
    fp = sshsig.fingerprint(key)
    assert fp.startswith("SHA256:") and not fp.endswith("=") and len(fp) == 7 + 43
    kid = sshsig.key_id(key)
    assert len(kid) == 4 and kid != sshsig.key_id(ec.generate_private_key(ec.SECP256R1())
                                                   .public_key())


@pytest.mark.parametrize("line", [
    "", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256 not-base64!",
    "ssh-ed25519 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY=",  # type/blob disagree
])
def test_bad_public_key_lines(line: str) -> None:
    with pytest.raises(KeyFormatError) as err:
        sshsig.parse_public_key(line, source="bad.pub")
    assert "bad.pub" in str(err.value)


def test_other_key_types_are_refused_with_their_name() -> None:
    blob = sshsig._string(b"ssh-ed25519") + sshsig._string(b"\x01" * 32)
    with pytest.raises(KeyFormatError) as err:
        sshsig.public_key_from_blob(blob, "x.pub")
    assert "ssh-ed25519" in str(err.value)


# ---- allowed_signers ----------------------------------------------------------------------

ED25519_LINE = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
                " comment")


def test_allowed_signers_parsing() -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    text = "\n".join([
        "# the lead's keys", "",
        signer_line(KEY, "张组长,zhang@lanxi", 'namespaces="inspect-report,file"'),
        '  ' + signer_line(other, "wang", 'cert-authority,valid-before="20300101Z"'),
        "li " + ED25519_LINE,
    ])
    parsed = sshsig.parse_allowed_signers(text, "allowed")
    assert [s.line for s in parsed] == [3, 4, 5]
    assert parsed[0].names == ("张组长", "zhang@lanxi")
    assert parsed[0].namespaces == "inspect-report,file"
    assert parsed[0].allows_namespace("file") and not parsed[0].allows_namespace("email")
    assert parsed[1].cert_authority and parsed[1].valid_before == datetime(2030, 1, 1, tzinfo=UTC)
    assert parsed[2].key_type == "ssh-ed25519"
    assert sshsig.public_key_blob(parsed[0].public_key()) == sshsig.public_key_blob(
        KEY.public_key())


@pytest.mark.parametrize("bad", ["just-a-name", "name ecdsa-sha2-nistp256 @@@",
                                 'name frobnicate ' + ED25519_LINE,
                                 'name valid-after="yesterday" ' + ED25519_LINE,
                                 'name namespaces="open ' + ED25519_LINE])
def test_allowed_signers_bad_line_names_file_and_line(bad: str) -> None:
    with pytest.raises(AllowedSignersError) as err:
        sshsig.parse_allowed_signers("# ok\n" + bad + "\n", "/office/allowed_signers")
    assert "/office/allowed_signers" in str(err.value) and "第 2 行" in str(err.value)


def test_pattern_lists() -> None:
    assert sshsig.match_pattern_list("inspect-report", "file,inspect-*")
    assert not sshsig.match_pattern_list("inspect-report", "inspect-*,!inspect-report")
    assert sshsig.match_pattern_list("a.b", "a?b") and not sshsig.match_pattern_list("ab", "a?b")
    assert not sshsig.match_pattern_list("a.b", "a[.]b")  # brackets are literal in OpenSSH


# ---- rejections, each with its own error --------------------------------------------------

def test_verify_happy_path_reports_principal() -> None:
    v = sshsig.verify(MESSAGE, sshsig.sign(MESSAGE, KEY, NS), NS, signers(signer_line(KEY)),
                      source="r.sig")
    assert v.principal == "张组长" and v.fingerprint == sshsig.fingerprint(KEY.public_key())


def test_flipped_byte_in_message_is_bad_signature() -> None:
    sig = sshsig.sign(MESSAGE, KEY, NS)
    tampered = bytearray(MESSAGE)
    tampered[10] ^= 0x01
    with pytest.raises(BadSignatureError) as err:
        sshsig.verify(bytes(tampered), sig, NS, signers(signer_line(KEY)), source="r.json.sig")
    assert "r.json.sig" in str(err.value) and "签名不符" in str(err.value)


def test_wrong_namespace() -> None:
    sig = sshsig.sign(MESSAGE, KEY, "file")
    with pytest.raises(NamespaceError) as err:
        sshsig.verify(MESSAGE, sig, NS, signers(signer_line(KEY)), source="r.sig")
    assert "file" in str(err.value) and NS in str(err.value)


def test_key_restricted_to_other_namespace() -> None:
    sig = sshsig.sign(MESSAGE, KEY, NS)
    with pytest.raises(NamespaceError):
        sshsig.verify(MESSAGE, sig, NS, signers(signer_line(KEY, options='namespaces="file"')),
                      source="r.sig")


def test_untrusted_key() -> None:
    stranger = ec.generate_private_key(ec.SECP256R1())
    sig = sshsig.sign(MESSAGE, stranger, NS)
    with pytest.raises(UnknownKeyError) as err:
        sshsig.verify(MESSAGE, sig, NS, signers(signer_line(KEY), "li " + ED25519_LINE),
                      source="r.sig", signers_source="/office/allowed_signers")
    text = str(err.value)
    assert sshsig.fingerprint(stranger.public_key()) in text and "/office/allowed_signers" in text


def test_identity_must_match_principals() -> None:
    sig = sshsig.sign(MESSAGE, KEY, NS)
    allowed = signers(signer_line(KEY, "张组长,zhang@*"))
    assert sshsig.verify(MESSAGE, sig, NS, allowed, source="s", identity="zhang@lanxi")
    with pytest.raises(UnknownKeyError):
        sshsig.verify(MESSAGE, sig, NS, allowed, source="s", identity="李组长")


def test_validity_period() -> None:
    sig = sshsig.sign(MESSAGE, KEY, NS)
    allowed = signers(signer_line(KEY, options='valid-after="20260101Z",valid-before="20270101Z"'))
    inside = datetime(2026, 6, 1, tzinfo=UTC)
    assert sshsig.verify(MESSAGE, sig, NS, allowed, source="s", at=inside)
    with pytest.raises(UnknownKeyError):
        sshsig.verify(MESSAGE, sig, NS, allowed, source="s", at=datetime(2027, 6, 1, tzinfo=UTC))


def test_ca_lines_do_not_vouch_for_plain_signatures() -> None:
    sig = sshsig.sign(MESSAGE, KEY, NS)
    with pytest.raises(UnknownKeyError):
        sshsig.verify(MESSAGE, sig, NS, signers(signer_line(KEY, options="cert-authority")),
                      source="s")


@pytest.mark.parametrize("text", [
    "", "hello", "-----BEGIN SSH SIGNATURE-----\n!!!!\n-----END SSH SIGNATURE-----\n",
    "-----BEGIN PGP SIGNATURE-----\nAAAA\n-----END PGP SIGNATURE-----",
])
def test_bad_armor(text: str) -> None:
    with pytest.raises(ArmorError) as err:
        sshsig.verify(MESSAGE, text, NS, signers(signer_line(KEY)), source="x.sig")
    assert "x.sig" in str(err.value)


def test_truncated_blob_is_malformed_not_a_crash() -> None:
    blob = sshsig._unarmor(sshsig.sign(MESSAGE, KEY, NS), "s")
    with pytest.raises(ArmorError) as err:
        sshsig.verify(MESSAGE, sshsig.armor(blob[:-5]), NS, signers(signer_line(KEY)),
                      source="x.sig")
    assert "已损坏" in str(err.value)


def test_r_and_s_out_of_range_are_bad_signatures() -> None:
    parsed = sshsig.parse_signature(sshsig.sign(MESSAGE, KEY, NS), "s")
    for r, s in [(0, parsed.s), (parsed.r, sshsig._P256_ORDER)]:
        forged = sshsig.ParsedSignature(parsed.public_key_blob, NS, "sha512", r, s)
        with pytest.raises(BadSignatureError):
            sshsig._check_crypto(forged, MESSAGE, "s")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_mutated_signatures_only_raise_our_errors(data: st.DataObject) -> None:
    blob = bytearray(sshsig._unarmor(FIXED_SIG, "s"))
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(blob) - 1))
        blob[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(blob)))
    mutated = sshsig.armor(bytes(blob[:cut]) if data.draw(st.booleans()) else bytes(blob))
    try:
        v = sshsig.verify(MESSAGE, mutated, NS, signers(signer_line(KEY)), source="s")
    except SignatureError:
        return
    # ECDSA (r, s) -> (r, n - s) is the only harmless change; anything that passes is ours
    assert v.principal == "张组长"


@given(st.text(max_size=400))
def test_fuzz_random_text_only_raises_our_errors(text: str) -> None:
    with pytest.raises(InspectError):
        sshsig.verify(MESSAGE, text, NS, [], source="s")

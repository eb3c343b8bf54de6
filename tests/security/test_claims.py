"""Claims of SECURITY.md that no other test proves: one test each (SECURITY.md cites them)."""

from __future__ import annotations

import dataclasses
import json
import struct
import zlib
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from inspect_tui import keys
from inspect_tui.core import sshsig
from inspect_tui.core.history import Change, Entry, entry_from_doc, make_entry
from inspect_tui.core.report import report_bytes
from inspect_tui.core.report_build import build_report
from inspect_tui.core.report_verify import Reason, check_bundle
from inspect_tui.export.errors import VerifyInputError
from inspect_tui.export.run import ExportOptions, write_report
from inspect_tui.export.verify_files import load_trust, verify_image, verify_target
from inspect_tui.store.doctor import Level, check_workspace
from inspect_tui.store.workspace import Workspace
from tests.export.conftest import PASS, needs_font
from tests.export.fixed_report import GENERATED, KEY, inputs, qr_signer
from tests.merge.helpers import INSPECTION, make_lead, opened
from tests.test_sshsig import signer_line, signers


@pytest.fixture
def trust_file(tmp_path: Path) -> Path:
    path = tmp_path / "allowed_signers"
    path.write_text(signer_line(KEY) + "\n")
    return path


# ---- reports ------------------------------------------------------------------------------

@needs_font
def test_a_signed_pdf_with_an_update_appended_after_signing_is_not_valid(
        tmp_path: Path, trust_file: Path) -> None:
    from pyhanko.pdf_utils.generic import NameObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    result = write_report(inputs(), KEY, ExportOptions(out_dir=tmp_path / "out",
                                                       formats=frozenset({"json", "pdf"})))
    pdf = result.folder / "report.pdf"
    trust = load_trust(str(trust_file))
    assert verify_target(str(pdf), trust, None).ok
    writer = IncrementalPdfFileWriter(BytesIO(pdf.read_bytes()))
    writer.root["/PageMode"] = NameObject("/FullScreen")  # any later change, however harmless
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    pdf.write_bytes(out.getvalue())
    (finding,) = verify_target(str(pdf), trust, None).checks
    assert finding.reason is Reason.ALTERED_FIELD and "签名之后" in finding.detail


def test_an_older_signed_report_still_verifies_and_shows_its_id_and_date() -> None:
    """Replay is not prevented: the verdict names the report and its date for people to check."""
    old = build_report(dataclasses.replace(inputs(), generated=GENERATED - timedelta(days=30)),
                       qr_signer())
    new = build_report(inputs(), qr_signer())
    allowed = signers(signer_line(KEY))
    seen = []
    for report in (old, new):
        data = report_bytes(report)
        finding, parsed = check_bundle(data, sshsig.sign(data, KEY, sshsig.REPORT_NAMESPACE),
                                       allowed, source="r", sig_source="s", signers_source="a")
        assert finding.ok and parsed is not None
        seen.append((parsed.report_id, parsed.generated))
    assert seen[0][0] != seen[1][0] and seen[0][1] < seen[1][1]


def test_an_oversized_report_json_is_refused_before_it_is_read(tmp_path: Path,
                                                              trust_file: Path) -> None:
    big = tmp_path / "report.json"
    with big.open("wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: nothing is read if the size is checked first
    with pytest.raises(VerifyInputError) as info:
        verify_target(str(big), load_trust(str(trust_file)), None)
    assert str(big) in str(info.value)


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_a_decompression_bomb_photo_is_unreadable_not_a_crash(tmp_path: Path,
                                                              trust_file: Path) -> None:
    bomb = tmp_path / "scan.png"
    bomb.write_bytes(_png_header_only(60_000, 60_000))  # 3.6 gigapixels claimed in 120 bytes
    outcome = verify_image(bomb, load_trust(str(trust_file)), None)
    assert [f.reason for f in outcome.findings] == [Reason.UNREADABLE_IMAGE]


# ---- keys ---------------------------------------------------------------------------------

def test_an_unencrypted_private_key_is_refused(tmp_path: Path) -> None:
    info = keys.new_key("张组长", PASS, tmp_path)
    key = keys.load_private("张组长", PASS, tmp_path)
    plain = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                              serialization.NoEncryption())
    info.private_path.chmod(0o600)
    info.private_path.write_bytes(plain)  # someone "removed the annoying passphrase"
    with pytest.raises(keys.KeyStoreError) as info_exc:
        keys.load_private("张组长", PASS, tmp_path)
    assert str(info.private_path) in str(info_exc.value) and "加密私钥" in str(info_exc.value)


# ---- workspaces at rest -------------------------------------------------------------------

def _rewrite_history(folder: Path, change: Callable[[Entry, str, Any], Any]) -> None:
    """Rewrite every entry of every chain, fixing up hashes, links and parents as a forger would."""
    files = [folder / "inspection.json", *sorted((folder / "sites").glob("*.json"))]
    data = {path: json.loads(path.read_bytes()) for path in files}
    docs = [(path, key, entry_from_doc(doc)) for path in files
            for key, doc in data[path]["history"].items()]
    renamed: dict[str, str] = {}
    for path, key, e in sorted(docs, key=lambda d: (d[2].device, d[2].seq)):
        changes = {k: Change(change(e, k, c.value), tuple(renamed.get(p, p) for p in c.parents))
                   for k, c in e.changes.items()}
        new = make_entry(device=e.device, seq=e.seq, prev=renamed.get(e.prev, e.prev), hlc=e.hlc,
                         author=e.author, entity=e.entity, changes=changes, context=e.context)
        renamed[e.hash] = new.hash
        data[path]["history"][key] = new.to_doc()
    for path in files:
        path.write_text(json.dumps(data[path], ensure_ascii=False))


def test_someone_with_write_access_can_rewrite_a_workspace_consistently(tmp_path: Path) -> None:
    """The limit of hash chains: they catch damage and clumsy edits, not a careful forger."""
    root = tmp_path / "ws"
    (site,) = make_lead(root)
    with opened(root) as insp:
        insp.set_fields(site, "1.1", points=2)
        insp.set_fields(site, "1.2", points=1)
    _rewrite_history(root / "inspections" / INSPECTION,
                     lambda e, name, value: 5.0 if name == "points" and value == 2 else value)
    assert [f for f in check_workspace(root) if f.level is Level.ERROR] == []
    with Workspace.open(root) as ws:
        assert ws.inspection(INSPECTION).record(site, "1.1").points == 5.0


def test_a_laptop_clock_set_ahead_drags_later_stamps_into_its_future() -> None:
    """The other side of the hybrid clock: a time once seen is never undercut, even if wrong."""
    from inspect_tui.core.hlc import HLC, observe, tick

    now, future = 1_780_000_000_000, 1_780_000_000_000 + 3 * 365 * 86_400_000
    after = tick(observe(HLC(now), HLC(future)), now + 60_000)
    assert after.wall == future and after > HLC(future)

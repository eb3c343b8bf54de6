"""Fuzzing the report verifier: damaged report.json files, with and without a fresh signature.

A damaged file under the original signature must never verify. A damaged file that its signer
re-signed (a buggy exporter, or a signer's own mistake) must give a verdict — valid, malformed
or altered — and print cleanly; nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspect_tui.cli.verify_cmd import _print_outcome
from inspect_tui.core import sshsig
from inspect_tui.core.report import report_bytes
from inspect_tui.core.report_verify import Reason
from inspect_tui.export.verify_files import Outcome, load_trust, verify_target
from tests.export.fixed_report import KEY, fixed_report
from tests.fuzz.budget import fuzz
from tests.fuzz.mutate import mutated_bytes, mutated_tree
from tests.test_sshsig import signer_line

ORIGINAL = report_bytes(fixed_report(conflict=True, allow_conflicts=True))
SIGNATURE = sshsig.sign(ORIGINAL, KEY, sshsig.REPORT_NAMESPACE)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    (root / "allowed_signers").write_text(signer_line(KEY) + "\n")
    (root / "bundle").mkdir()
    return root


def verify(folder: Path, data: bytes, signature: str) -> Outcome:
    """Write the bundle as an office would receive it, verify it and print the verdict."""
    (folder / "bundle" / "report.json").write_bytes(data)
    (folder / "bundle" / "report.json.sig").write_text(signature)
    outcome = verify_target(str(folder / "bundle"), load_trust(str(folder / "allowed_signers")),
                            None)
    _print_outcome(outcome)
    assert outcome.checks and all(f.ok or f.detail for f in outcome.findings)
    return outcome


def test_the_untouched_bundle_verifies(folder: Path) -> None:
    outcome = verify(folder, ORIGINAL, SIGNATURE)
    assert outcome.ok and len(outcome.records) == 2 * 2  # 2 sites × 2 criteria


@fuzz(150)
@given(data=st.data())
def test_damaged_bytes_under_the_original_signature_never_verify(
        folder: Path, data: st.DataObject) -> None:
    damaged = data.draw(mutated_bytes(ORIGINAL))
    outcome = verify(folder, damaged, SIGNATURE)
    if damaged != ORIGINAL:
        assert outcome.checks[0].reason is Reason.BAD_SIGNATURE
        assert not outcome.records and outcome.bundle is None  # nothing unsigned is shown


@fuzz(60)
@given(data=st.data())
def test_damaged_signatures_never_verify(folder: Path, data: st.DataObject) -> None:
    damaged = data.draw(mutated_bytes(SIGNATURE.encode(), max_ops=2))
    outcome = verify(folder, ORIGINAL, damaged.decode("ascii", "replace"))
    if not outcome.checks[0].ok:
        assert outcome.bundle is None and not outcome.records


@fuzz(150)
@given(data=st.data())
def test_resigned_structural_damage_gets_a_verdict(folder: Path, data: st.DataObject) -> None:
    tree: Any = json.loads(ORIGINAL)
    damaged = json.dumps(data.draw(mutated_tree(tree)), ensure_ascii=False).encode()
    outcome = verify(folder, damaged, sshsig.sign(damaged, KEY, sshsig.REPORT_NAMESPACE))
    first = outcome.checks[0]
    assert first.reason in (Reason.VALID, Reason.MALFORMED, Reason.ALTERED_FIELD)
    if first.reason is Reason.MALFORMED:
        assert "report.json" in first.detail and outcome.bundle is None


@fuzz(60)
@given(data=st.data())
def test_resigned_byte_damage_gets_a_verdict(folder: Path, data: st.DataObject) -> None:
    damaged = data.draw(mutated_bytes(ORIGINAL))
    outcome = verify(folder, damaged, sshsig.sign(damaged, KEY, sshsig.REPORT_NAMESPACE))
    assert outcome.checks[0].reason in (Reason.VALID, Reason.MALFORMED, Reason.ALTERED_FIELD)


@pytest.mark.parametrize("data", [
    b"", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b'{"format": 1e999999}', b"null",
    json.dumps({"format": "inspect-tui/report", "version": 1, "sites": [[[]]] * 3}).encode(),
])
def test_pathological_resigned_files(folder: Path, data: bytes) -> None:
    outcome = verify(folder, data, sshsig.sign(data, KEY, sshsig.REPORT_NAMESPACE))
    assert outcome.checks[0].reason is Reason.MALFORMED and outcome.bundle is None

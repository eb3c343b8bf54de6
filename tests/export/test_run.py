"""The export folder from fixed data: the written report.json is the golden file; a cancel or a
failure at any stage leaves nothing behind; a second export the same day gets its own folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspect_tui.core import sshsig
from inspect_tui.export.errors import ExportError
from inspect_tui.export.run import ExportCancelled, ExportOptions, write_report
from tests.export.conftest import needs_font
from tests.export.fixed_report import KEY, inputs
from tests.export.test_report_model import GOLDEN


def test_written_report_json_is_the_golden_file_and_signed(tmp_path: Path) -> None:
    result = write_report(inputs(), KEY, ExportOptions(formats=frozenset({"json"}),
                                                       out_dir=tmp_path))
    assert result.folder == tmp_path / "insp-golden-2024-05-20"
    data = (result.folder / "report.json").read_bytes()
    assert data == GOLDEN.read_bytes()
    signers = sshsig.parse_allowed_signers(
        f"张组长 {sshsig.encode_public_key(KEY.public_key())}", "allowed_signers")
    signature = (result.folder / "report.json.sig").read_text()
    assert sshsig.verify(data, signature, "inspect-report", signers, source="sig").principal \
        == "张组长"
    again = write_report(inputs(), KEY, ExportOptions(formats=frozenset({"json"}),
                                                      out_dir=tmp_path))
    assert again.folder == tmp_path / "insp-golden-2024-05-20-2"


@needs_font
@pytest.mark.parametrize("stop_at", [1, 2, 3, 4])
def test_cancel_at_any_stage_leaves_nothing(tmp_path: Path, stop_at: int) -> None:
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) >= stop_at

    with pytest.raises(ExportCancelled):
        write_report(inputs(), KEY, ExportOptions(out_dir=tmp_path), cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_destination_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "exports"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(ExportError) as err:
        write_report(inputs(), KEY, ExportOptions(out_dir=blocker))
    assert str(blocker) in str(err.value) and "无法写入" in str(err.value)

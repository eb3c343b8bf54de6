"""The real CLI on damaged input: an exit code and a message, never a traceback.

Few examples (each is a process start); the in-process fuzzers cover the breadth.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from inspect_tui.core import sshsig
from inspect_tui.core.report import report_bytes
from tests.conftest import REPO
from tests.export.fixed_report import KEY, fixed_report
from tests.fuzz.budget import fuzz
from tests.fuzz.mutate import mutated_bytes
from tests.fuzz.test_import_fuzz import Laptops
from tests.test_sshsig import signer_line

CHECKLIST = (REPO / "checklists" / "qiwu-acceptance.toml").read_bytes()
REPORT = report_bytes(fixed_report())


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    # Wide output: a merged pack's path is a table cell, which wraps at Rich's default 80.
    env = {**os.environ, "PYTHONPATH": str(REPO), "INSPECT_TUI_INSPECTOR": "组长",
           "COLUMNS": "250"}
    done = subprocess.run([sys.executable, "-m", "inspect_tui", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=60, cwd=REPO)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert done.returncode in (0, 1, 2), (done.returncode, done.stderr)
    if done.returncode == 2:  # our own error: one paragraph on stderr
        assert done.stderr.strip() and len(done.stderr.strip().splitlines()) <= 12
    return done


@pytest.fixture(scope="module")
def laptops(tmp_path_factory: pytest.TempPathFactory) -> Laptops:
    return Laptops(tmp_path_factory.mktemp("laptops"))


@fuzz(6)
@given(st.data())
def test_checklist_validate(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "damaged.toml"
        path.write_bytes(data.draw(mutated_bytes(CHECKLIST)))
        done = cli("checklist", "validate", path)
        assert done.returncode == 0 or str(path) in done.stderr + done.stdout


@fuzz(6)
@given(st.data())
def test_verify(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "allowed_signers").write_text(signer_line(KEY) + "\n")
        damaged = data.draw(mutated_bytes(REPORT))
        assume(damaged != REPORT)
        (folder / "report.json").write_bytes(damaged)
        (folder / "report.json.sig").write_text(sshsig.sign(REPORT, KEY, sshsig.REPORT_NAMESPACE))
        done = cli("verify", "--trusted", folder / "allowed_signers", folder / "report.json")
        assert done.returncode == 1 and "report.json" in done.stdout  # never valid


@fuzz(6)
@given(st.data())
def test_merge_a_damaged_pack(laptops: Laptops, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(shutil.copytree(laptops.lead, Path(tmp) / "dest"))
        pack = Path(tmp) / "li.pack"
        pack.write_bytes(data.draw(mutated_bytes(laptops.pack_bytes)))
        done = cli("merge", "--into", dest, pack)
        assert str(pack) in done.stdout + done.stderr


@fuzz(6)
@given(st.data())
def test_open_a_damaged_workspace(laptops: Laptops, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(laptops.db_files))
    with tempfile.TemporaryDirectory() as tmp:
        laptop = Path(shutil.copytree(laptops.laptop, Path(tmp) / "laptop"))
        damaged = data.draw(mutated_bytes((laptop / name).read_bytes()))
        (laptop / name).write_bytes(damaged)
        for command in (["site", "list"], ["doctor"]):
            cli("-w", laptop, *command)
        assert (laptop / name).read_bytes() == damaged  # reported, never rewritten

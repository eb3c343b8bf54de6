"""A crash mid-merge leaves the destination as it was or fully merged, never half merged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_tui.store.doctor import Level, check_workspace
from inspect_tui.store.merge_txn import JOURNAL, STAGING
from tests.conftest import REPO
from tests.merge.helpers import copy_laptop, entries, make_lead, merge, opened

# Runs a merge in a child that SIGKILLs itself at its N-th os.replace or os.fsync (every
# evidence copy, staged file, journal, final move and backup goes through one of them), or
# prints how many it made.
CHILD = """
import os, signal, sys
from pathlib import Path
from inspect_tui.store.merge import merge_into
from inspect_tui.store.workspace import Workspace

kill_at, calls = int(sys.argv[1]), [0]
def counted(real):
    def call(*args, **kwargs):
        calls[0] += 1
        if calls[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
with Workspace.open(sys.argv[2], author="组长") as ws:
    real = os.replace, os.fsync
    os.replace, os.fsync = map(counted, real)
    merge_into(ws, [Path(p) for p in sys.argv[3:]])
    os.replace, os.fsync = real
print(calls[0])
"""


def _run(kill_at: int, dest: Path, *sources: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", CHILD, str(kill_at), str(dest),
                           *map(str, sources)], capture_output=True, text=True, env=env,
                          timeout=60, cwd=REPO)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, list[Path], Path]:
    """A lead, two laptops with new sites, scores and a photo, and a cleanly merged copy."""
    lead = tmp_path / "lead"
    (site,) = make_lead(lead)
    laptops = []
    for n, who in enumerate(["张明", "李华"]):
        laptop = copy_laptop(lead, tmp_path / f"laptop{n}")
        photo = tmp_path / f"{n}.jpg"
        photo.write_bytes(b"\xff\xd8" + who.encode() * 200)
        with opened(laptop, who) as insp:
            insp.set_fields(site, "1.1", points=5 - n)
            insp.attach_evidence(site, "1.1", photo)
            new = insp.add_site(f"检查点{n}", "部门").site_id
            insp.set_fields(new, "1.2", points=3)
        laptops.append(laptop)
    reference = copy_laptop(lead, tmp_path / "reference")
    merge(reference, *laptops)
    return lead, laptops, reference


def test_killed_at_every_write_the_merge_is_all_or_nothing(
        tmp_path: Path, setup: tuple[Path, list[Path], Path]) -> None:
    lead, laptops, reference = setup
    probe = copy_laptop(lead, tmp_path / "probe")
    writes = int(_run(0, probe, *laptops).stdout)
    assert writes >= 20  # evidence, staged files, journal, moves, backups, report
    before, after = set(entries(lead)), set(entries(reference))
    outcomes = set()
    for kill_at in range(1, writes + 1):
        dest = copy_laptop(lead, tmp_path / f"dest{kill_at}")
        killed = _run(kill_at, dest, *laptops)
        assert killed.returncode == -9, killed.stderr
        found = set(entries(dest))  # opening it recovers
        assert found in (before, after), f"half merged when killed at write {kill_at}"
        outcomes.add("merged" if found == after else "as before")
        folder = dest / "inspections" / "insp-1"
        assert not (folder / JOURNAL).exists() and not (folder / STAGING).exists()
        assert not [f for f in check_workspace(dest) if f.level is Level.ERROR]
    assert outcomes == {"merged", "as before"}


def test_leftover_staging_without_journal_is_dropped(
        tmp_path: Path, setup: tuple[Path, list[Path], Path]) -> None:
    lead, _, reference = setup
    folder = lead / "inspections" / "insp-1"
    (folder / STAGING).mkdir()
    (folder / STAGING / "0.json").write_bytes(
        (reference / "inspections" / "insp-1" / "inspection.json").read_bytes())
    before = (folder / "inspection.json").read_bytes()
    with opened(lead) as insp:
        assert len(insp.sites()) == 1
    assert not (folder / STAGING).exists()
    assert (folder / "inspection.json").read_bytes() == before


def test_leftover_journal_is_rolled_forward(
        tmp_path: Path, setup: tuple[Path, list[Path], Path]) -> None:
    lead, _, reference = setup
    folder, done = lead / "inspections" / "insp-1", reference / "inspections" / "insp-1"
    for sha in (reference / "evidence").iterdir():
        (lead / "evidence").mkdir(exist_ok=True)
        (lead / "evidence" / sha.name).write_bytes(sha.read_bytes())
    finals = ["inspection.json", *(f"sites/{p.name}" for p in (done / "sites").glob("*.json"))]
    (folder / STAGING).mkdir()
    for n, final in enumerate(finals):
        (folder / STAGING / f"{n}.json").write_bytes((done / final).read_bytes())
    journal = {"format": "inspect-tui/merge-journal",
               "moves": [[f"{n}.json", final] for n, final in enumerate(finals)]}
    (folder / JOURNAL).write_text(json.dumps(journal))
    os.replace(folder / STAGING / "0.json", folder / "inspection.json")  # one move was done
    assert set(entries(lead)) == set(entries(reference))
    assert not (folder / JOURNAL).exists() and not (folder / STAGING).exists()

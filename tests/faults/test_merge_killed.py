"""Power lost during a real `inspect-tui merge` of several laptops: SIGKILL the command at a
random moment, and the destination is exactly as before or fully merged, never half.

tests/merge/test_crash.py kills an in-process merge at each of its writes; this kills the real
command, from outside, with no hook in it: at a random delay after it starts, after its staging
folder appears (writing the new files) or after its journal appears (moving them in place).
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from inspect_tui.store.doctor import Level, check_workspace
from inspect_tui.store.merge_txn import JOURNAL, STAGING
from tests.conftest import REPO
from tests.faults.conftest import cli, make_workspace
from tests.merge.helpers import copy_laptop, entries, merge, opened, snapshot

LAPTOPS = 3
SITES_PER_LAPTOP = 80  # ~250 site files to write: long enough to land inside the writes
ROUNDS = 6


def build_laptop(lead: Path, root: Path, n: int, shared: str, tmp: Path) -> Path:
    laptop = copy_laptop(lead, root)
    photo = tmp / f"photo{n}.jpg"
    photo.write_bytes(b"\xff\xd8" + f"检查员{n}".encode() * 300)
    with opened(laptop, f"检查员{n}") as insp:
        insp.set_fields(shared, "1.1", points=n + 1)
        insp.attach_evidence(shared, "1.1", photo)
        assert insp.main.storage is not None
        with insp.main.storage.batch():  # one write of inspection.json for all the sites
            for s in range(SITES_PER_LAPTOP):
                site = insp.add_site(f"检查员{n}的检查点{s}", "部门").site_id
                storage = insp._site_file(site).storage
                assert storage is not None
                with storage.batch():
                    insp.set_fields(site, "1.1", points=3, notes=f"检查员{n}" * 10)
                    insp.set_fields(site, "1.2", points=2)
    return laptop


def databases(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(root).items() if k.startswith("inspections/")}


def test_killed_merge_command_is_all_or_nothing(tmp_path: Path) -> None:
    lead = tmp_path / "lead"
    shared = make_workspace(lead)
    laptops = [build_laptop(lead, tmp_path / f"laptop{n}", n, shared, tmp_path)
               for n in range(LAPTOPS)]
    reference = copy_laptop(lead, tmp_path / "reference")
    merge(reference, *laptops)
    before, after = set(entries(lead)), set(entries(reference))
    assert len(after) > len(before) + LAPTOPS * SITES_PER_LAPTOP

    rng = random.Random(20260101)
    outcomes = []
    for k in range(ROUNDS):
        dest = copy_laptop(lead, tmp_path / f"dest{k}")
        folder = dest / "inspections" / "insp-1"
        command = subprocess.Popen(
            [sys.executable, "-m", "inspect_tui", "-w", str(dest), "merge", *map(str, laptops)],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if k % 3 == 0:
            time.sleep(rng.uniform(0.05, 0.6))
        else:
            marker, delay = (folder / STAGING, 0.15) if k % 3 == 1 else (folder / JOURNAL, 0.03)
            while command.poll() is None and not marker.exists():
                time.sleep(0.001)
            time.sleep(rng.uniform(0, delay))
        command.kill()  # SIGKILL: no cleanup runs
        _, stderr = command.communicate(timeout=60)
        assert command.returncode in (-9, 0), stderr
        journal_left = (folder / JOURNAL).exists()

        found = set(entries(dest))  # opening it recovers: rolls forward or drops the staging
        assert found in (before, after), f"round {k}: half merged"
        if journal_left:  # killed while moving the files in: the reopen finished the job
            assert found == after, f"round {k}: the journal was not rolled forward"
        if found == before:
            assert databases(dest) == databases(lead), f"round {k}: changed but not merged"
        assert not (folder / JOURNAL).exists() and not (folder / STAGING).exists()
        assert [f for f in check_workspace(dest) if f.level is Level.ERROR] == []
        outcomes.append(("killed" if command.returncode == -9 else "finished",
                         "journal" if journal_left else "",
                         "merged" if found == after else "as before"))
    doctor = cli("-w", dest, "doctor")
    assert doctor.returncode == 0 and "0 个错误" in doctor.stdout, doctor.stdout
    print("outcomes:", outcomes)  # shown with -s: where the kills landed

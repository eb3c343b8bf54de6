"""Kill a saving process at random moments; every acknowledged save must survive.

    python -m benchmarks.crash_kill [--kills 200]

A child process saves scores in a loop and acknowledges each save on a pipe only after
`set_fields` returned (i.e. after fsync and rename). The parent SIGKILLs it after a random
delay, then reopens the workspace (taking over the dead child's lock) and checks that every
database opens, every history chain is intact, and every acknowledged save is in the history.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from inspect_tui.paths import find_checklist
from inspect_tui.store.doctor import Level, check_workspace
from inspect_tui.store.workspace import Workspace

CHILD = """
import sys
from inspect_tui.store.workspace import Workspace
ws = Workspace.open(sys.argv[1], author="kill-test")
insp = ws.inspection("crash")
sites = [s.site_id for s in insp.sites()]
criteria = [c.id for c in insp.checklist.criteria_for(insp.site(sites[0]).kind)]  # what applies
start = int(sys.argv[2])
for n in range(start, start + 1_000_000):
    site, criterion = sites[n % len(sites)], criteria[n % len(criteria)]
    insp.set_fields(site, criterion, notes=str(n))
    sys.stdout.write(f"{n} {site} {criterion}\\n")
    sys.stdout.flush()
"""


@dataclass
class Outcome:
    kills: int = 0
    acknowledged: int = 0
    lost: int = 0
    corrupt: int = 0


def prepare(root: Path) -> None:
    path = find_checklist("qiwu-acceptance")
    assert path is not None
    with Workspace.open(root, author="kill-test") as ws:
        insp = ws.create_inspection(path.read_bytes(), path.name, title="断电测试",
                                    inspection_id="crash")
        for name in ("马涧镇", "兰江街道", "赤溪街道"):
            insp.add_site(name, "乡镇街道")


def one_kill(root: Path, start: int, rng: random.Random) -> tuple[list[tuple[int, str, str]],
                                                                   int]:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(root), str(start)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    acks = [child.stdout.readline()]  # wait for the first save: the child is in its loop
    time.sleep(rng.uniform(0.0, 0.05))
    os.kill(child.pid, signal.SIGKILL)
    acks += child.stdout.readlines()
    child.wait()
    parsed = []
    for line in acks:
        parts = line.split()
        if len(parts) == 3:  # a torn last line was never a complete acknowledgement
            parsed.append((int(parts[0]), parts[1], parts[2]))
    return parsed, (parsed[-1][0] + 1 if parsed else start) + 1000


def check(root: Path, acked: list[tuple[int, str, str]], outcome: Outcome) -> None:
    if any(f.level is Level.ERROR for f in check_workspace(root)):
        outcome.corrupt += 1
    with Workspace.open(root, author="checker") as ws:
        insp = ws.inspection("crash")
        for n, site, criterion in acked:
            saved = {e.changes["notes"].value for e in insp.history(site, criterion)
                     if "notes" in e.changes}
            if str(n) not in saved:
                outcome.lost += 1


def run(kills: int, seed: int = 1) -> Outcome:
    rng = random.Random(seed)
    outcome = Outcome()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        prepare(root)
        start = 0
        for _ in range(kills):
            acked, start = one_kill(root, start, rng)
            outcome.kills += 1
            outcome.acknowledged += len(acked)
            check(root, acked, outcome)
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=200)
    args = parser.parse_args()
    t0 = time.perf_counter()
    o = run(args.kills)
    print(f"kills: {o.kills}  acknowledged saves: {o.acknowledged}  lost: {o.lost}  "
          f"workspaces with errors: {o.corrupt}  ({time.perf_counter() - t0:.1f} s)")
    ok = o.lost == 0 and o.corrupt == 0
    print(f"result: {o.kills - o.corrupt}/{o.kills} clean, "
          f"{'target met' if ok else 'TARGET MISSED'}")


if __name__ == "__main__":
    main()

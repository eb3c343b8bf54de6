"""Merge time and memory for many laptops; how time grows with the number of sources.

    python -m benchmarks.merge [--sources 5,20,80] [--records 1000] [--repeat 3]
                               [--keep DIR] [--base CHECKOUT]

Every laptop starts from the lead's workspace (the inspection, plus shared sites holding 10% of
the records), adds its own sites up to `--records` scored records, and edits a random third of
the shared records — so each shared record is edited on several laptops and many end in
conflict. Each merge goes into a fresh copy of the lead's workspace, in a fresh process, once
the disk has settled (see merge_in). Figures are medians;
memory is measured in a child process (tracemalloc peak, and the growth of its max RSS).

`--keep DIR` builds the laptops into DIR once and reuses them on later runs (building 80 takes
a minute or more). `--base CHECKOUT` (e.g. a `git worktree` of an older commit) measures A/B:
each repeat merges once with this code and once with that one, alternately, each in a fresh
process, and prints both medians and their ratio — on a shared machine only figures taken in
the same run compare.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.workspace_builder import INSPECTION, build_workspace
from inspect_tui.store.merge import merge_into
from inspect_tui.store.workspace import Workspace

SHARED_SHARE = 0.10
EDIT_SHARE = 1 / 3


def build_laptop(lead: Path, root: Path, n: int, records: int, shared: list[str]) -> None:
    """A copy of the lead's workspace with its own sites and edits of shared records."""
    shutil.copytree(lead, root)
    (root / ".lock").unlink(missing_ok=True)
    rng = random.Random(n)
    with Workspace.open(root, author=f"检查员{n:02d}") as ws:
        insp = ws.inspection(INSPECTION)
        criteria = insp.checklist.criteria_for("部门")  # the sites' kind: what applies to them
        own = records - len(shared) * len(criteria)
        for s in range(-(-own // len(criteria))):
            site = insp.add_site(f"检查员{n:02d}的检查点{s:03d}", "部门", f"第{n % 4 + 1}组")
            storage = insp._site_file(site.site_id).storage
            assert storage is not None
            with storage.batch():
                for c in criteria[: min(len(criteria), own - s * len(criteria))]:
                    insp.set_fields(site.site_id, c.id, points=rng.randint(0, int(c.max)),
                                    methods=[c.methods[0].value], notes=f"检查员{n:02d}")
        for sid in shared:
            storage = insp._site_file(sid).storage
            assert storage is not None
            with storage.batch():
                for c in criteria:
                    if rng.random() < EDIT_SHARE:
                        insp.set_fields(sid, c.id, points=rng.randint(0, int(c.max)),
                                        notes=f"检查员{n:02d}复核")


def build(folder: Path, laptops: int, records: int) -> tuple[Path, list[Path]]:
    lead = folder / "lead"
    _, site_ids = build_workspace(lead, int(records * SHARED_SHARE))
    started = time.perf_counter()
    roots = []
    for n in range(laptops):
        roots.append(folder / f"laptop{n:02d}")
        build_laptop(lead, roots[-1], n, records, site_ids)
    print(f"built {laptops} laptops × {records} records in {time.perf_counter() - started:.1f} s",
          flush=True)
    return lead, roots


def fresh_median(lead: Path, sources: list[Path], dest: Path,
                 repeat: int) -> dict[str, float]:
    """Median figures of `repeat` merges, each in a fresh process (see merge_in)."""
    here = Path(__file__).resolve().parents[1]
    runs = [merge_in(here, lead, sources, dest) for _ in range(repeat)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def merge_once(lead: Path, sources: list[Path], dest: Path) -> dict[str, float]:
    """One merge into a fresh copy of the lead; seconds per phase, from the progress calls."""
    shutil.copytree(lead, dest)
    (dest / ".lock").unlink(missing_ok=True)
    marks: dict[str, float] = {}

    def progress(done: int, total: int, message: str) -> None:
        marks.setdefault(_phase(message), time.perf_counter())

    with Workspace.open(dest, author="组长") as ws:
        ws.inspection(INSPECTION)
        start = time.perf_counter()
        report = merge_into(ws, sources, progress=progress)
        end = time.perf_counter()
        entries = len(ws.inspection(INSPECTION).all_entries())
    disk = write_alone(dest / "inspections" / INSPECTION)
    shutil.rmtree(dest)
    write_start = marks.get("write", end)
    return {"total": end - start, "read": marks.get("check", end) - start,
            "plan": write_start - marks.get("check", end), "write": end - write_start,
            "entries": entries, "conflicts": report.open_conflicts, "disk": disk}


def write_alone(folder: Path) -> float:
    """The disk's share of a merge's write phase, measured right after it in the same folder:
    seconds to create, write and fsync the inspection's database files again with nothing else
    running, as the merge stages them (FSYNC_THREADS threads, one new file each). On this
    machine's ext4 creating a file costs 0.04–1 ms depending on where the kernel places it."""
    from concurrent.futures import ThreadPoolExecutor

    from inspect_tui.store.merge_txn import FSYNC_THREADS, write_synced

    files = [folder / "inspection.json", *sorted((folder / "sites").glob("*.json"))]
    payloads = [f.read_bytes() for f in files]
    again = folder / ".write-alone"
    again.mkdir()
    start = time.perf_counter()
    with ThreadPoolExecutor(FSYNC_THREADS) as pool:
        list(pool.map(write_synced, [(again / f"{n}.json", raw)
                                      for n, raw in enumerate(payloads)]))
    return time.perf_counter() - start


def _phase(message: str) -> str:
    if "核对" in message or "checking" in message:
        return "check"
    if any(word in message for word in ("复制", "准备", "copying", "preparing")):
        return "write"
    return "other"


CHILD = """
import json, resource, sys, tracemalloc
from pathlib import Path
from benchmarks.merge import merge_once
lead, dest, *sources = map(Path, sys.argv[1:])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
merge_once(lead, sources, dest)
peak = tracemalloc.get_traced_memory()[1]
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
print(json.dumps({"peak_mb": peak / 2**20, "rss_growth_mb": grown / 1024}))
"""


def memory(lead: Path, sources: list[Path], dest: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(lead), str(dest), *map(str, sources)],
                         capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    return dict(json.loads(out.stdout))


AB_CHILD = """
import json, sys, time
from pathlib import Path
from benchmarks.merge import merge_once
lead, dest, *sources = map(Path, sys.argv[1:])
cpu = time.process_time()
result = merge_once(lead, sources, dest)
print(json.dumps({**result, "cpu": time.process_time() - cpu}))
"""


def merge_in(code: Path, lead: Path, sources: list[Path], dest: Path) -> dict[str, float]:
    """One merge in a fresh process running the code checked out at `code` (as `inspect-tui
    merge` runs), after the disk has written out what is pending: laptops just built leave
    hundreds of MB of dirty pages whose writeback the merge's fsyncs would otherwise wait for —
    a lead merges laptops copied in long before. The code runs as installed (compiled, see
    startup.as_installed): this machine's PYTHONDONTWRITEBYTECODE would compile every module the
    merge imports on the way."""
    from benchmarks.startup import as_installed

    as_installed(code / "inspect_tui")
    os.sync()
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run([sys.executable, "-c", AB_CHILD, str(lead), str(dest),
                          *map(str, sources)], capture_output=True, text=True, check=True,
                         cwd=code, env=env)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def compare(base: Path, lead: Path, laptops: list[Path], sizes: list[int], repeat: int,
            dest: Path) -> None:
    here = Path(__file__).resolve().parents[1]
    print(f"{'sources':>7} {'entries':>8} {'this s':>7} {'base s':>7} {'ratio':>6} "
          f"{'this µs/e':>9} {'base µs/e':>9}")
    for size in sizes:
        runs: dict[str, list[dict[str, float]]] = {"this": [], "base": []}
        for _ in range(repeat):
            for name, code in (("this", here), ("base", base)):
                runs[name].append(merge_in(code, lead, laptops[:size], dest))
        this, old = (statistics.median(r["total"] for r in runs[k]) for k in ("this", "base"))
        entries = runs["this"][0]["entries"]
        print(f"{size:>7} {entries:>8.0f} {this:>7.2f} {old:>7.2f} {old / this:>5.1f}× "
              f"{this / entries * 1e6:>9.1f} {old / entries * 1e6:>9.1f}", flush=True)


def laptops_in(folder: Path, count: int, records: int) -> tuple[Path, list[Path]]:
    """The lead and `count` laptops kept in `folder` (built there first if missing)."""
    roots = [folder / f"laptop{n:02d}" for n in range(count)]
    stamp = folder / "built.json"
    if stamp.exists():
        built = json.loads(stamp.read_text())
        if built["records"] == records and built["laptops"] >= count:
            return folder / "lead", roots
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    lead, roots = build(folder, count, records)
    stamp.write_text(json.dumps({"laptops": count, "records": records}))
    return lead, roots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", default="5,20,80")
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the laptops here once, reuse them")
    parser.add_argument("--base", type=Path, help="a checkout of older code to compare with")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sources.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.keep:
            lead, laptops = laptops_in(args.keep.resolve(), max(sizes), args.records)
        else:
            lead, laptops = build(Path(tmp), max(sizes), args.records)
        if args.base:
            compare(args.base.resolve(), lead, laptops, sizes, args.repeat, Path(tmp) / "dest")
            return
        print(f"{'sources':>7} {'entries':>8} {'total s':>8} {'read s':>7} {'plan s':>7} "
              f"{'write s':>8} {'disk s':>7} {'µs/entry':>9} {'conflicts':>9} {'peak MB':>8} "
              f"{'RSS+ MB':>8}")
        for size in sizes:
            med = fresh_median(lead, laptops[:size], Path(tmp) / "dest", args.repeat)
            mem = memory(lead, laptops[:size], Path(tmp) / "dest")
            results[size] = {**med, **mem}
            print(f"{size:>7} {med['entries']:>8.0f} {med['total']:>8.2f} {med['read']:>7.2f} "
                  f"{med['plan']:>7.2f} {med['write']:>8.2f} {med['disk']:>7.2f} "
                  f"{med['total'] / med['entries'] * 1e6:>9.1f} {med['conflicts']:>9.0f} "
                  f"{mem['peak_mb']:>8.1f} {mem['rss_growth_mb']:>8.1f}", flush=True)
    if len(sizes) > 1:
        first, last = results[sizes[0]], results[sizes[-1]]
        print(f"growth {sizes[0]} → {sizes[-1]} sources: time ×{last['total'] / first['total']:.1f}"
              f" for entries ×{last['entries'] / first['entries']:.1f}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()

"""Latency of saving one score durably, as the workspace grows; with references in the same run.

    python -m benchmarks.save_latency [--sizes 100,1000,10000,50000] [--saves 300]

Compared with TinyDB's stock JSONStorage over one file (it re-parses and rewrites the whole
file on every write, and does not fsync) and SQLite (WAL, synchronous=FULL).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB

from benchmarks.workspace_builder import build_workspace
from inspect_tui.store.workspace import Workspace


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ours(root: Path, size: int, saves: int) -> list[float]:
    inspection_id, site_ids = build_workspace(root, size)
    rng = random.Random(7)
    with Workspace.open(root, author="基准") as ws:
        insp = ws.inspection(inspection_id)
        criteria = insp.checklist.criteria_for("部门")  # the built sites' kind
        times = []
        for i in range(saves):
            sid = rng.choice(site_ids)
            c = rng.choice(criteria)
            points = (i % int(c.max * 2)) / 2
            t0 = time.perf_counter()
            insp.set_fields(sid, c.id, points=points, notes=f"第{i}次保存")
            times.append(time.perf_counter() - t0)
        return times


def stock_tinydb(folder: Path, size: int, saves: int) -> list[float]:
    db = TinyDB(folder / "stock.json")
    table = db.table("records")
    table.insert_multiple({"site": i // 33, "criterion": i % 33, "points": 1.0,
                           "methods": ["查阅台账"], "notes": "基准测试记录"} for i in range(size))
    rng = random.Random(7)
    times = []
    for i in range(saves):
        doc_id = rng.randint(1, size)
        t0 = time.perf_counter()
        table.update({"points": float(i % 5), "notes": f"第{i}次保存"}, doc_ids=[doc_id])
        times.append(time.perf_counter() - t0)
    db.close()
    return times


def sqlite_wal(folder: Path, size: int, saves: int) -> list[float]:
    con = sqlite3.connect(folder / "ref.sqlite", isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE records (id INTEGER PRIMARY KEY, doc TEXT)")
    doc = json.dumps({"points": 1.0, "methods": ["查阅台账"], "notes": "基准测试记录"})
    con.execute("BEGIN")
    con.executemany("INSERT INTO records VALUES (?, ?)", ((i, doc) for i in range(size)))
    con.execute("COMMIT")
    rng = random.Random(7)
    times = []
    for i in range(saves):
        t0 = time.perf_counter()
        con.execute("UPDATE records SET doc = ? WHERE id = ?",
                    (json.dumps({"points": float(i % 5), "notes": f"第{i}次保存"}),
                     rng.randrange(size)))
        times.append(time.perf_counter() - t0)
    con.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000,50000")
    parser.add_argument("--saves", type=int, default=300)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, tuple[float, float]]] = {}
    print(f"{'records':>8} {'impl':<14} {'p50 ms':>8} {'p99 ms':>8}")
    for size in sizes:
        row: dict[str, tuple[float, float]] = {}
        for name, fn in (("inspect-tui", ours), ("stock TinyDB", stock_tinydb),
                         ("SQLite WAL", sqlite_wal)):
            with tempfile.TemporaryDirectory() as tmp:
                saves = args.saves if name != "stock TinyDB" or size <= 10_000 else 40
                times = fn(Path(tmp) / "ws" if name == "inspect-tui" else Path(tmp), size,
                           saves)
            p50, p99 = statistics.median(times) * 1000, percentile(times, 0.99) * 1000
            row[name] = (p50, p99)
            print(f"{size:>8} {name:<14} {p50:>8.2f} {p99:>8.2f}", flush=True)
        results[size] = row
    print()
    if 1000 in results and sizes[-1] != 1000:
        flat = results[sizes[-1]]["inspect-tui"][0] / results[1000]["inspect-tui"][0]
        print(f"flatness: p50 at {sizes[-1]} / p50 at 1000 = {flat:.2f} (target ≤ 2)")
    if 10_000 in results:
        r = results[10_000]
        speedup = r["stock TinyDB"][0] / r["inspect-tui"][0]
        print(f"speed-up over stock TinyDB at 10,000 records (p50): {speedup:.1f}× (target ≥ 10×)")
    print(json.dumps({str(k): v for k, v in results.items()}))


if __name__ == "__main__":
    main()

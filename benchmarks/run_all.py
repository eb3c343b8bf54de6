"""Run every benchmark with small defaults and write benchmarks/RESULTS.md and results.png.

    python -m benchmarks.run_all [--quick]

Calls the functions of the scripts in benchmarks/ (save_latency, crash_kill, export, merge,
startup, tui_scoring) with sizes chosen so the whole run takes a few minutes on a 2-core
machine, measures the references (stock TinyDB, SQLite WAL, a minimal Textual app) in the same
run, and checks every target named in the issues. `--quick` shrinks it further (smoke test).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import datetime
import io
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import inspect_tui

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


@dataclass
class Row:
    target: str
    measured: str
    reference: str
    ratio: str
    met: bool | None  # None: not measured
    limit: str = ""


def log(message: str) -> None:
    print(message, flush=True)


# --- save latency ---------------------------------------------------------------------------

def run_save(sizes: list[int], saves: int) -> dict[int, dict[str, tuple[float, float]]]:
    from benchmarks.save_latency import ours, percentile, sqlite_wal, stock_tinydb

    results: dict[int, dict[str, tuple[float, float]]] = {}
    for size in sizes:
        row: dict[str, tuple[float, float]] = {}
        for name, fn in (("inspect-tui", ours), ("stock TinyDB", stock_tinydb),
                         ("SQLite WAL", sqlite_wal)):
            n = saves if name != "stock TinyDB" or size <= 10_000 else min(saves, 40)
            with tempfile.TemporaryDirectory() as tmp:
                times = fn(Path(tmp) / "ws" if name == "inspect-tui" else Path(tmp), size, n)
            row[name] = (statistics.median(times) * 1000, percentile(times, 0.99) * 1000)
            log(f"  save {size:>6} {name:<13} p50 {row[name][0]:7.2f} ms  "
                f"p99 {row[name][1]:7.2f} ms")
        results[size] = row
    return results


# --- crash / kill ---------------------------------------------------------------------------

def run_crash(kills: int) -> dict[str, int]:
    from benchmarks.crash_kill import run

    o = run(kills)
    log(f"  kills {o.kills}, acknowledged {o.acknowledged}, lost {o.lost}, corrupt {o.corrupt}")
    return {"kills": o.kills, "acknowledged": o.acknowledged, "lost": o.lost,
            "corrupt": o.corrupt}


# --- export ---------------------------------------------------------------------------------

def run_export(site_counts: list[int], criteria: int, runs: int) -> dict[str, Any]:
    from benchmarks import export as ex

    by_records: dict[int, dict[str, float]] = {}
    photo_ms, valid, versions = math.nan, 0, [0]
    with tempfile.TemporaryDirectory() as tmp:
        for sites in site_counts:
            root = Path(tmp) / f"ws{sites}"
            with contextlib.redirect_stdout(io.StringIO()):
                ex.build(root, sites, criteria)
            done = []
            for n in range(runs):
                out = subprocess.run(
                    [sys.executable, "-m", "benchmarks.export", "--one", str(root),
                     str(Path(tmp) / f"out{sites}-{n}")], check=True, capture_output=True,
                    text=True, cwd=REPO).stdout
                done.append(json.loads(out.strip().splitlines()[-1]))
            med = {k: statistics.median(r[k] for r in done) for k in (*ex.STAGES, "rss_mb")}
            med["total"] = med["json"] + med["qr"] + med["html"] + med["pdf"] + med["pdf_sign"]
            by_records[sites * criteria] = med
            log(f"  export {sites * criteria:>5} records: json+sig {med['json']:.2f} s, "
                f"QR {med['qr']:.2f} s, html {med['html']:.2f} s, pdf "
                f"{med['pdf'] + med['pdf_sign']:.2f} s, total {med['total']:.2f} s, "
                f"{med['rss_mb']:.0f} MB")
            if sites == site_counts[-1]:
                versions = ex.qr_versions(Path(done[0]["folder"]))
                log(f"  QR codes: {len(versions)}, largest version {max(versions)} (level M)")
                work = Path(tmp) / "photo"
                work.mkdir()
                photo_s, valid = ex.time_photo(Path(done[0]["folder"]), work, repeats=15)
                photo_ms = photo_s * 1000
                log(f"  QR photo verified in {photo_ms:.1f} ms ({valid} valid)")
    return {"by_records": by_records, "photo_ms": photo_ms, "photo_valid": valid,
            "qr_versions": versions}


# --- merge ----------------------------------------------------------------------------------

MERGE_REPEAT = 3  # merges per size, each in a fresh process (median)


def run_merge(sizes: list[int], records: int) -> dict[int, dict[str, float]]:
    from benchmarks import merge as mg

    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        with contextlib.redirect_stdout(io.StringIO()):
            lead, laptops = mg.build(Path(tmp), max(sizes), records)
        for size in sizes:
            r = mg.fresh_median(lead, laptops[:size], Path(tmp) / "dest", MERGE_REPEAT)
            r |= mg.memory(lead, laptops[:size], Path(tmp) / "dest")
            results[size] = r
            log(f"  merge {size:>3} sources: {r['total']:.2f} s (write {r['write']:.2f} s, "
                f"the disk alone {r['disk']:.2f} s), {r['entries']:.0f} entries, "
                f"{r['total'] / r['entries'] * 1e6:.0f} µs/entry, RSS +{r['rss_growth_mb']:.0f} MB")
    return results


# --- startup --------------------------------------------------------------------------------

def run_startup(records: int, runs: int) -> dict[str, float]:
    """Interleaved fresh starts: the minimal app, a start with no overview summary (cold: a
    first start, which writes one) and a start from it (warm: every later start)."""
    from benchmarks.startup import MINIMAL_APP, OUR_APP, as_installed, median, start, start_cold
    from benchmarks.workspace_builder import build_workspace

    as_installed(Path(inspect_tui.__file__).parent)  # its message catalogue cached too

    with tempfile.TemporaryDirectory(prefix="inspect-startup-") as tmp:
        root = Path(tmp) / "ws"
        build_workspace(root, records)
        minimal, cold, ours = [], [], []
        for _ in range(runs):
            minimal.append(start(MINIMAL_APP))
            cold.append(start_cold(root))
            ours.append(start(OUR_APP, str(root)))
    if len({run["table"] for run in cold + ours}) != 1:
        raise SystemExit("start-up: an overview drawn from the summary differs from a cold one")
    figures = {"minimal_first": median(minimal, "first"), "ours_first": median(ours, "first"),
               "ours_ready": median(ours, "ready"), "cold_ready": median(cold, "ready"),
               "minimal_rss": median(minimal, "rss"),
               "ours_rss": max(median(ours, "rss"), median(cold, "rss"))}
    log(f"  startup: minimal {figures['minimal_first']:.3f} s, ours first screen "
        f"{figures['ours_first']:.3f} s, overview {figures['ours_ready']:.3f} s (no summary "
        f"{figures['cold_ready']:.3f} s), RSS {figures['ours_rss']:.0f} MB "
        f"(minimal {figures['minimal_rss']:.0f} MB)")
    return figures


# --- TUI scoring ----------------------------------------------------------------------------

def run_tui_scoring(records: int, moves: int, rounds: int) -> tuple[str, dict[str, Any]]:
    """Pilot figures, then key-to-screen in tmux beside the anchor app (benchmarks/anchor_app),
    taking turns (`rounds` each)."""
    from benchmarks.tui_scoring import drive, in_terminal
    from benchmarks.workspace_builder import build_workspace

    os.environ.setdefault("INSPECT_TUI_INSPECTOR", "基准")  # or the app asks who is typing
    with tempfile.TemporaryDirectory(prefix="inspect-scoring-") as tmp:
        root = Path(tmp) / "ws"
        build_workspace(root, records)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            figures: dict[str, Any] = asyncio.run(drive(root, moves))
            figures["terminal"] = in_terminal(root, rounds) if rounds else None
    text = buf.getvalue().rstrip()
    log("  " + text.replace("\n", "\n  "))
    return text, figures


# --- report ---------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem = f"{kb / 2**20:.1f} GiB"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=REPO).stdout.strip()
    return {"cores": str(os.cpu_count()), "cpu": cpu, "memory": mem,
            "python": platform.python_version(), "os": platform.platform(),
            "commit": commit or "?",
            "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}


def rows_of(save: dict[int, dict[str, tuple[float, float]]], crash: dict[str, int],
            export: dict[str, Any], merge: dict[int, dict[str, float]],
            startup: dict[str, float], tui: dict[str, float] | None) -> list[Row]:
    rows: list[Row] = []
    for size, p50_max, p99_max in ((10_000, 5.0, 20.0), (50_000, 5.0, 20.0)):
        if size not in save:
            rows.append(Row(f"save p50 ≤ 5 ms / p99 ≤ 20 ms at {size:,} records", "not run", "", "",
                            None, "size left out of this run"))
            continue
        p50, p99 = save[size]["inspect-tui"]
        tdb, sql = save[size]["stock TinyDB"], save[size]["SQLite WAL"]
        rows.append(Row(f"save p50 ≤ 5 ms / p99 ≤ 20 ms at {size:,} records",
                        f"{p50:.2f} / {p99:.2f} ms",
                        f"stock TinyDB {tdb[0]:.1f} / {tdb[1]:.1f} ms; "
                        f"SQLite WAL {sql[0]:.2f} / {sql[1]:.2f} ms",
                        f"p50 {p50 / p50_max:.2f} / p99 {p99 / p99_max:.2f} of target; "
                        f"{p50 / sql[0]:.1f}× SQLite",
                        p50 <= p50_max and p99 <= p99_max,
                        "" if p50 <= p50_max and p99 <= p99_max else "fsync-bound"))
    largest = max(save)
    if 1000 in save and largest > 1000:
        flat = save[largest]["inspect-tui"][0] / save[1000]["inspect-tui"][0]
        rows.append(Row(f"flatness: save p50 at {largest:,} within 2× of p50 at 1,000",
                        f"{save[largest]['inspect-tui'][0]:.2f} ms",
                        f"{save[1000]['inspect-tui'][0]:.2f} ms at 1,000",
                        f"{flat:.2f}×", flat <= 2.0))
    if 10_000 in save:
        ours, tdb = save[10_000]["inspect-tui"][0], save[10_000]["stock TinyDB"][0]
        rows.append(Row("save ≥ 10× faster than stock TinyDB at 10,000 (p50)",
                        f"{ours:.2f} ms", f"stock TinyDB {tdb:.1f} ms",
                        f"{tdb / ours:.1f}× faster", tdb / ours >= 10))
    ok = crash["lost"] == 0 and crash["corrupt"] == 0 and crash["kills"] >= 200
    rows.append(Row("SIGKILL during saves, 200 times: every workspace clean, no acknowledged "
                    "save lost",
                    f"{crash['kills'] - crash['corrupt']}/{crash['kills']} clean, "
                    f"{crash['lost']} of {crash['acknowledged']} acknowledged saves lost",
                    "—", f"{crash['lost']} lost", ok,
                    "" if crash["kills"] >= 200 else f"only {crash['kills']} kills in this run"))
    first, base = startup["ours_first"], startup["minimal_first"]
    rows.append(Row("cold start to first screen ≤ 1.0 s (10,000 records)", f"{first:.3f} s",
                    f"minimal Textual app {base:.3f} s", f"{first / 1.0:.2f} of target",
                    first <= 1.0))
    rows.append(Row("cold start ≤ 2× a minimal Textual app", f"{first:.3f} s",
                    f"minimal Textual app {base:.3f} s", f"{first / base:.2f}×",
                    first / base <= 2.0))
    ready = startup["ours_ready"]
    rows.append(Row("start-up → overview with every site drawn ≤ 1.0 s and ≤ 2.5× a minimal "
                    "Textual app (10,000 records)", f"{ready:.3f} s",
                    f"minimal Textual app {base:.3f} s",
                    f"{ready / 1.0:.2f} of target; {ready / base:.2f}×",
                    ready <= 1.0 and ready / base <= 2.5,
                    "a later start: the overview summary written by the previous one"))
    cold = startup["cold_ready"]
    rows.append(Row("first start (no overview summary yet) → overview drawn (no target; "
                    "10,000 records)", f"{cold:.3f} s", f"minimal Textual app {base:.3f} s",
                    f"{cold / base:.2f}×", None, "reads and scores every site, writes the summary"))
    rss = startup["ours_rss"]
    rows.append(Row("peak RSS ≤ 200 MB with 10,000 records", f"{rss:.0f} MB",
                    f"minimal Textual app {startup['minimal_rss']:.0f} MB",
                    f"{rss / 200:.2f} of target; {rss / startup['minimal_rss']:.1f}× minimal",
                    rss <= 200))
    if tui is None:
        rows.append(Row("scoring through the app (Pilot): moving writes nothing; save p50 ≤ 5 ms "
                        "/ p99 ≤ 20 ms", "not run", "", "", None, "--no-tui"))
    else:
        rows.append(Row("moving between criteria writes nothing (Pilot, 10,000 records)",
                        "nothing written" if not tui["moves_wrote"] else "files changed",
                        f"move j/k {tui['move_p50'] * 1000:.1f} ms per key (median)", "—",
                        not tui["moves_wrote"]))
        p50, p99 = tui["save_p50"] * 1000, tui["save_p99"] * 1000
        rows.append(Row("save through the app (Pilot, 10,000 records) p50 ≤ 5 ms / p99 ≤ 20 ms",
                        f"{p50:.2f} / {p99:.2f} ms",
                        f"store alone {save[10_000]['inspect-tui'][0]:.2f} ms p50"
                        if 10_000 in save else "—",
                        f"p50 {p50 / 5:.2f} / p99 {p99 / 20:.2f} of target; key to screen "
                        f"{tui['key_p50'] * 1000:.0f} ms", p50 <= 5 and p99 <= 20))
        rows += terminal_rows(tui.get("terminal"))
    biggest = max(export["by_records"])
    e = export["by_records"][biggest]
    rows.append(Row(f"export json+sig/QR/html/pdf ≤ 3 s together ({biggest} records)",
                    f"{e['total']:.2f} s",
                    f"json+sig {e['json']:.2f}, QR {e['qr']:.2f}, html {e['html']:.2f}, "
                    f"pdf {e['pdf'] + e['pdf_sign']:.2f} s", f"{e['total'] / 3:.2f} of target",
                    e["total"] <= 3.0))
    rows.append(Row(f"export peak RSS ≤ 400 MB ({biggest} records)", f"{e['rss_mb']:.0f} MB",
                    "—", f"{e['rss_mb'] / 400:.2f} of target", e["rss_mb"] <= 400))
    largest_qr = max(export["qr_versions"])
    rows.append(Row(f"record QR codes fit version ≤ 10 at level M ({len(export['qr_versions'])} "
                    "codes)", f"largest version {largest_qr}",
                    f"median version {statistics.median(export['qr_versions']):.0f}",
                    f"{largest_qr / 10:.1f} of target", largest_qr <= 10))
    photo = export["photo_ms"]
    rows.append(Row("verify one photographed QR code ≤ 50 ms", f"{photo:.1f} ms",
                    f"{export['photo_valid']} valid QR decoded", f"{photo / 50:.2f} of target",
                    photo <= 50 and export["photo_valid"] > 0))
    most, fewest = max(merge), min(merge)
    m = merge[most]
    if 20 in merge:
        m20 = merge[20]
        per = m20["total"] / m20["entries"] * 1e6
        rows.append(Row("merge 20 × 1,000 ≤ 1.0 s and ≤ 50 µs per history entry",
                        f"{m20['total']:.2f} s, {per:.0f} µs/entry",
                        f"{fewest} sources {merge[fewest]['total']:.2f} s; its files written "
                        f"alone {m20['disk']:.2f} s",
                        f"{m20['total'] / 1.0:.2f} / {per / 50:.2f} of target",
                        m20["total"] <= 1.0 and per <= 50))
    per_small = merge[fewest]["total"] / merge[fewest]["entries"]
    per_big = m["total"] / m["entries"]
    rows.append(Row(f"merge grows linearly ({fewest} → {most} sources; time per history entry "
                    "within 1.5×)", f"{per_big * 1e6:.0f} µs/entry",
                    f"{per_small * 1e6:.0f} µs/entry at {fewest} sources",
                    f"{per_big / per_small:.2f}× (entries ×"
                    f"{m['entries'] / merge[fewest]['entries']:.1f})",
                    per_big / per_small <= 1.5))
    return rows


def terminal_rows(term: Any) -> list[Row]:
    """Key-to-screen in a real terminal, against the anchor app measured in the same run."""
    from benchmarks.save_latency import percentile

    if not term:
        return [Row("key → screen in the scoring screen (tmux) vs the anchor app", "not run", "",
                    "", None, "no tmux, or --terminal-rounds 0")]
    ours, anchor = term["ours"], term["anchor"]

    def p(values: list[float], share: float) -> float:
        return (statistics.median(values) if share == 0.5 else percentile(values, share)) * 1000

    o50, o95, a50, a95 = (p(ours.moves, 0.5), p(ours.moves, 0.95), p(anchor.moves, 0.5),
                          p(anchor.moves, 0.95))
    s50, s95, t50, t95 = (p(ours.scores, 0.5), p(ours.scores, 0.95), p(anchor.scores, 0.5),
                          p(anchor.scores, 0.95))
    return [
        Row("key → screen, moving in the scoring screen (tmux): p50 ≤ 1.2× and p95 ≤ 1.5× the "
            "anchor app, p95 ≤ 100 ms", f"p50 {o50:.0f} / p95 {o95:.0f} ms",
            f"anchor p50 {a50:.0f} / p95 {a95:.0f} ms",
            f"p50 {o50 / a50:.2f}× / p95 {o95 / a95:.2f}×",
            o50 <= 1.2 * a50 and o95 <= 1.5 * a95 and o95 <= 100),
        Row("Enter → \"已保存\" on screen (tmux): p95 ≤ 100 ms (and the anchor ratios)",
            f"p50 {s50:.0f} / p95 {s95:.0f} ms", f"anchor p50 {t50:.0f} / p95 {t95:.0f} ms",
            f"p50 {s50 / t50:.2f}× / p95 {s95 / t95:.2f}×", s95 <= 100),
    ]


def write_markdown(path: Path, info: dict[str, str], rows: list[Row], args: argparse.Namespace,
                   raw: dict[str, Any], tui: str, durations: dict[str, float]) -> None:
    verdict = {True: "met", False: "**NOT met**", None: "—"}
    lines = ["# Benchmark results", "",
             "Generated by `python -m benchmarks.run_all` (small sizes; each script in "
             "`benchmarks/` runs bigger ones on its own). References are measured in the same "
             "run on the same machine.", "",
             f"- date: {info['date']}", f"- commit: {info['commit']}",
             f"- machine: {info['cores']} cores, {info['cpu']}, {info['memory']} RAM",
             f"- Python {info['python']} on {info['os']}",
             f"- sizes: save latency at {args.sizes} records ({args.saves} saves each; stock "
             f"TinyDB at most 40 above 10,000), {args.kills} kills, export of "
             f"{args.export_sites} sites × 60 criteria ({args.export_runs} run(s) each), merge "
             f"of {args.merge} sources × {args.merge_records} records (median of "
             f"{MERGE_REPEAT}, each in a fresh process once the disk has settled), startup "
             f"{args.startup_runs} runs at 10,000 records",
             f"- peak RSS figures are each child's own `ru_maxrss`; Linux carries it over from "
             f"the parent across fork + exec, so they cannot read below this script's own peak "
             f"when each child was started (at most {raw['parent_rss']:.0f} MB, measured after "
             f"the merge stage; the merge column is growth above that)", "",
             "| target | measured | reference (same run) | ratio | result |",
             "|---|---|---|---|---|"]
    for r in rows:
        result = verdict[r.met] + (f" ({r.limit})" if r.limit else "")
        lines.append(f"| {r.target} | {r.measured} | {r.reference} | {r.ratio} | {result} |")
    met = sum(r.met is True for r in rows)
    judged = sum(r.met is not None for r in rows)
    lines += ["", f"{met} of {judged} targets met.", "",
              "![save latency and export time](results.png)", "",
              "## Save latency (ms)", "", "| records | implementation | p50 | p99 |",
              "|---:|---|---:|---:|"]
    for size, impls in raw["save"].items():
        for name, (p50, p99) in impls.items():
            lines.append(f"| {size:,} | {name} | {p50:.2f} | {p99:.2f} |")
    lines += ["", "## Export (median seconds per stage)", "",
              "| records | gather | json+sig | QR | html | pdf layout | pdf sign | total | "
              "peak RSS MB |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for records, e in raw["export"]["by_records"].items():
        lines.append(f"| {records} | {e['gather']:.2f} | {e['json']:.2f} | {e['qr']:.2f} | "
                     f"{e['html']:.2f} | {e['pdf']:.2f} | {e['pdf_sign']:.2f} | "
                     f"{e['total']:.2f} | {e['rss_mb']:.0f} |")
    lines += ["", "## Merge", "",
              "Medians per phase: reading the sources, planning, writing (staged files written "
              "and fsynced, committed, taken in). The write phase creates one file per file it "
              "changes (545 at 20 sources); *disk alone* is the same files created, written and "
              "fsynced again right after each merge, in the same folder, with nothing else "
              "running — the disk's share of the write phase, which moves most between runs.", "",
              "| sources | history entries | total s | read s | plan s | write s | disk alone s | "
              "µs/entry | conflicts | tracemalloc peak MB | RSS growth MB (above the inherited "
              "peak) |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, m in raw["merge"].items():
        lines.append(f"| {size} | {m['entries']:.0f} | {m['total']:.2f} | {m['read']:.2f} | "
                     f"{m['plan']:.2f} | {m['write']:.2f} | {m['disk']:.2f} | "
                     f"{m['total'] / m['entries'] * 1e6:.0f} | {m['conflicts']:.0f} | "
                     f"{m['peak_mb']:.1f} | {m['rss_growth_mb']:.1f} |")
    if tui:
        lines += ["", "## Scoring through the app (Pilot, 10,000 records)", "", "```", tui,
                  "```"]
    lines += ["", "## Time taken by this run", ""]
    lines += [f"- {name}: {seconds:.0f} s" for name, seconds in durations.items()]
    path.write_text("\n".join(lines) + "\n", "utf-8")


def chart(path: Path, save: dict[int, dict[str, tuple[float, float]]],
          export: dict[int, dict[str, float]]) -> None:
    from PIL import Image, ImageDraw, ImageFont

    width, height, pad = 1200, 520, 70
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=15)
    small = ImageFont.load_default(size=12)
    colors = {"inspect-tui": (31, 119, 180), "stock TinyDB": (214, 39, 40),
              "SQLite WAL": (44, 160, 44)}

    def panel(x0: int, x1: int, title: str, xlabel: str, ylabel: str) -> tuple[int, int, int,
                                                                                  int]:
        left, right, top, bottom = x0 + pad, x1 - 20, 50, height - 60
        draw.text(((left + right) // 2, 20), title, fill="black", font=font, anchor="mm")
        draw.rectangle((left, top, right, bottom), outline="black")
        draw.text(((left + right) // 2, height - 22), xlabel, fill="black", font=font,
                  anchor="mm")
        draw.text((x0 + 8, top - 22), ylabel, fill="black", font=small)
        return left, right, top, bottom

    # left: save p50 vs workspace size, log-log
    left, right, top, bottom = panel(0, width // 2, "save latency p50 vs workspace size",
                                     "records (log scale)", "ms (log scale)")
    sizes = sorted(save)
    values = [v[0] for s in sizes for v in save[s].values()]
    ylo = 10 ** math.floor(math.log10(min(values)))
    yhi = 10 ** math.ceil(math.log10(max(values)))
    xlo, xhi = math.log10(sizes[0]) - 0.15, math.log10(sizes[-1]) + 0.15

    def xy(size: float, ms: float) -> tuple[float, float]:
        fx = (math.log10(size) - xlo) / (xhi - xlo)
        fy = (math.log10(ms) - math.log10(ylo)) / (math.log10(yhi) - math.log10(ylo))
        return left + fx * (right - left), bottom - fy * (bottom - top)

    decade = ylo
    while decade <= yhi:
        _, y = xy(sizes[0], decade)
        draw.line((left, y, right, y), fill=(225, 225, 225))
        draw.text((left - 6, y), f"{decade:g}", fill="black", font=small, anchor="rm")
        decade *= 10
    for s in sizes:
        x, _ = xy(s, ylo)
        draw.text((x, bottom + 12), f"{s:,}", fill="black", font=small, anchor="mm")
    for n, (name, color) in enumerate(colors.items()):
        points = [xy(s, save[s][name][0]) for s in sizes]
        draw.line(points, fill=color, width=3)
        for x, y in points:
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=color)
        draw.rectangle((left + 12, top + 12 + n * 20, left + 26, top + 24 + n * 20), fill=color)
        draw.text((left + 32, top + 18 + n * 20), name, fill="black", font=small, anchor="lm")
    # 5 ms target line
    _, y = xy(sizes[0], 5.0)
    if top <= y <= bottom:
        draw.line((left, y, right, y), fill=(120, 120, 120), width=1)
        draw.text((right - 6, y - 8), "target p50 5 ms", fill=(90, 90, 90), font=small,
                  anchor="rm")

    # right: export seconds vs records, stacked by stage
    left, right, top, bottom = panel(width // 2, width, "export time vs records (stacked)",
                                     "records", "seconds")
    records = sorted(export)
    stages = [("json+sig", ("json",), (31, 119, 180)), ("QR", ("qr",), (255, 127, 14)),
              ("html", ("html",), (44, 160, 44)), ("pdf", ("pdf", "pdf_sign"), (148, 103, 189))]
    ymax = max(8.5, max(export[r]["total"] for r in records) * 1.1)
    bar = (right - left) / (len(records) * 2 + 1)

    def ys(seconds: float) -> float:
        return bottom - seconds / ymax * (bottom - top)

    for tick in range(0, int(ymax) + 1, 2):
        draw.line((left, ys(tick), right, ys(tick)), fill=(225, 225, 225))
        draw.text((left - 6, ys(tick)), str(tick), fill="black", font=small, anchor="rm")
    draw.line((left, ys(8), right, ys(8)), fill=(120, 120, 120))
    draw.text((right - 6, ys(8) - 8), "target 8 s", fill=(90, 90, 90), font=small, anchor="rm")
    for i, r in enumerate(records):
        x0 = left + bar * (2 * i + 1)
        base = 0.0
        for _, keys, color in stages:
            part = sum(export[r][k] for k in keys)
            draw.rectangle((x0, ys(base + part), x0 + bar, ys(base)), fill=color)
            base += part
        draw.text((x0 + bar / 2, ys(base) - 10), f"{base:.2f} s", fill="black", font=small,
                  anchor="mm")
        draw.text((x0 + bar / 2, bottom + 12), f"{r}", fill="black", font=small, anchor="mm")
    for n, (name, _, color) in enumerate(stages):
        draw.rectangle((left + 12, top + 12 + n * 20, left + 26, top + 24 + n * 20), fill=color)
        draw.text((left + 32, top + 18 + n * 20), name, fill="black", font=small, anchor="lm")
    img.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--export-sites", default="4,16")
    parser.add_argument("--export-runs", type=int, default=1)
    parser.add_argument("--merge", default="5,20,80")
    parser.add_argument("--terminal-rounds", type=int, default=2,
                        help="turns of the tmux key-to-screen runs (0: none)")
    parser.add_argument("--merge-records", type=int, default=1000)
    parser.add_argument("--startup-runs", type=int, default=3)
    parser.add_argument("--no-tui", action="store_true", help="skip the Pilot scoring run")
    parser.add_argument("--quick", action="store_true", help="smoke test: tiny sizes")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.saves, args.kills, args.export_sites = "1000,10000", 20, 3, "2,4"
        args.merge, args.merge_records, args.startup_runs = "2,4", 300, 1
    durations: dict[str, float] = {}

    def timed(name: str, fn: Any, *a: Any) -> Any:
        log(f"{name} …")
        t0 = time.perf_counter()
        value = fn(*a)
        durations[name] = time.perf_counter() - t0
        return value

    # As installed (pip compiles the modules): under PYTHONDONTWRITEBYTECODE a checkout's edited
    # modules would otherwise be compiled again by every fresh process timed below.
    compileall.compile_dir(Path(inspect_tui.__file__).parent, quiet=1)
    began = time.perf_counter()
    # Linux keeps a process's peak RSS (ru_maxrss) across fork + exec, so the children that
    # report their peak RSS (startup, export, merge) run first, while this process is still small.
    startup = timed("startup", run_startup, 10_000, args.startup_runs)
    export = timed("export", run_export, [int(s) for s in args.export_sites.split(",")], 60,
                   args.export_runs)
    merge = timed("merge", run_merge, [int(s) for s in args.merge.split(",")],
                  args.merge_records)
    parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # a bound on all
    save = timed("save latency", run_save, [int(s) for s in args.sizes.split(",")], args.saves)
    crash = timed("crash kill", run_crash, args.kills)
    tui, tui_figures = ("", None) if args.no_tui else timed("tui scoring", run_tui_scoring,
                                                              10_000, 40, args.terminal_rounds)
    durations["all"] = time.perf_counter() - began
    rows = rows_of(save, crash, export, merge, startup, tui_figures)
    raw = {"save": save, "export": export, "merge": merge, "parent_rss": parent_rss}
    args.out.mkdir(parents=True, exist_ok=True)
    write_markdown(args.out / "RESULTS.md", machine(), rows, args, raw, tui, durations)
    chart(args.out / "results.png", save, export["by_records"])
    for r in rows:
        log(f"{'met' if r.met else '—' if r.met is None else 'NOT met':8} {r.target}: "
            f"{r.measured}")
    log(f"wrote {args.out / 'RESULTS.md'} and {args.out / 'results.png'} "
        f"in {durations['all']:.0f} s")


if __name__ == "__main__":
    main()

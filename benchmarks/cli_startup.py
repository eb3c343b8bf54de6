"""How long the `inspect-tui` command takes for the quick things, next to the bare interpreter
measured in the same run.

    python -m benchmarks.cli_startup [--runs 21]

Each figure is the median wall time of a fresh process, from spawn to exit (and, less
sensitive to other work on the machine, its CPU time), of:

- `python -c pass` — the interpreter alone (the floor);
- `inspect-tui --version` and `inspect-tui --help`;
- `inspect-tui lookup R-…` — one record ID in the demo workspace;
- `inspect-tui verify IT1:… --trusted allowed_signers` — one scanned QR text.

Targets (issue 17): --version and --help ≤ 0.15 s, lookup and verify ≤ 0.3 s. Like an
installed app, the runs may write their bytecode and message caches (PYTHONDONTWRITEBYTECODE is
dropped for them) and one unmeasured run of each warms them. Run it on demand: wall times
on a shared machine are not for assertions (tests/test_cli_startup.py checks instead which
modules each command imports).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"--version": 0.15, "--help": 0.15, "lookup": 0.3, "verify": 0.3}
PASSPHRASE = "benchmark passphrase"


def cli() -> list[str]:
    exe = Path(sys.executable).with_name("inspect-tui")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "inspect_tui"]


def prepare(folder: Path) -> tuple[str, Path, str]:
    """The demo workspace in folder/data, a key, and one record's signed QR text."""
    from inspect_tui import keys
    from inspect_tui.core.qr_payload import PayloadFields, encode_payload, record_digest
    from inspect_tui.demo import DEMO_ID, create_demo
    from inspect_tui.store.workspace import Workspace

    create_demo(folder / "data")
    with Workspace.open(folder / "data", readonly=True) as ws:
        insp = ws.inspection(DEMO_ID)
        site = insp.sites()[0]
        record = next(iter(insp.records(site.site_id).values()))
    info = keys.new_key("基准", PASSPHRASE, folder / "keys")
    key = keys.load_private("基准", PASSPHRASE, folder / "keys")
    allowed = folder / "allowed_signers"
    allowed.write_text(info.allowed_signers_line() + "\n", "utf-8")
    fields = PayloadFields(record.record_id, site.site_id, record.criterion_id, 3.0,
                           int(time.time()), record_digest(b"benchmark"))
    return record.record_id, allowed, encode_payload(fields, key)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path, env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall and CPU (user + system) seconds of `runs` fresh processes."""
    subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)  # warm caches
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu()
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return statistics.median(walls), statistics.median(cpus)


def measure(runs: int) -> dict[str, tuple[float, float]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["INSPECT_TUI_LANG"] = "zh"
    with tempfile.TemporaryDirectory(prefix="inspect-cli-startup-") as tmp:
        folder = Path(tmp)
        record_id, allowed, qr_text = prepare(folder)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "--version": [*cli(), "--version"],
            "--help": [*cli(), "--help"],
            "lookup": [*cli(), "lookup", record_id],
            "verify": [*cli(), "verify", qr_text, "--trusted", str(allowed)],
        }
        return {name: timed(cmd, folder, env, runs) for name, cmd in commands.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    figures = measure(args.runs)
    floor = figures["python -c pass"][0]
    print(f"median of {args.runs} runs each: wall seconds (CPU seconds, user + system); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, (wall, cpu) in figures.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else (
            f"  target ≤ {target:.2f}: {'ok' if wall <= target else 'MISSED'}")
        print(f"  {name:<16} {wall:6.3f} ({cpu:5.3f})  +{wall - floor:.3f} over python{verdict}")


if __name__ == "__main__":
    main()

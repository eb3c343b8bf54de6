"""How long the `inspect-tui` command takes for the quick things, next to the bare interpreter
measured in the same run — and, with --against, next to another version of the code.

    python -m benchmarks.cli_startup [--runs 21] [--against DIR]

Each figure is the median wall time of a fresh process, from spawn to exit (and, less
sensitive to other work on the machine, its CPU time), of:

- `python -c pass` — the interpreter alone (the floor);
- `inspect-tui --version` and `inspect-tui --help`;
- `inspect-tui lookup R-…` — one record ID in the demo workspace;
- `inspect-tui verify IT1:… --trusted allowed_signers` — one scanned QR text.

Targets (issue 17): --version and --help ≤ 0.15 s, lookup and verify ≤ 0.3 s. `--against DIR`
runs the same commands with the package in DIR (e.g. an older commit:
`git archive ea556d9 | tar -x -C /tmp/before`), the two versions taking turns run by run so
both see the same load; each gets its own demo workspace, made by its own code. Like an
installed app, the runs may write their bytecode and message caches (PYTHONDONTWRITEBYTECODE
is dropped for them) and one unmeasured run of each warms them. Run it on demand: wall times on
a shared machine are not for assertions (tests/test_cli_startup.py checks instead which modules
each command imports).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"--version": 0.15, "--help": 0.15, "lookup": 0.3, "verify": 0.3}
HERE = Path(__file__).resolve().parents[1]

# Runs in the version measured: its own demo, a key, and one record's signed QR text.
PREPARE = """
import json, sys, time
from pathlib import Path
from inspect_tui import keys
from inspect_tui.core.qr_payload import PayloadFields, encode_payload, record_digest
from inspect_tui.demo import DEMO_ID, ensure_demo
from inspect_tui.store.workspace import Workspace
folder = Path(sys.argv[1])
ensure_demo(folder / "data")
with Workspace.open(folder / "data", readonly=True) as ws:
    insp = ws.inspection(DEMO_ID)
    site = insp.sites()[0]
    record = next(iter(insp.records(site.site_id).values()))
info = keys.new_key("基准", "benchmark passphrase", folder / "keys")
key = keys.load_private("基准", "benchmark passphrase", folder / "keys")
(folder / "allowed_signers").write_text(info.allowed_signers_line() + "\\n", "utf-8")
fields = PayloadFields(record.record_id, site.site_id, record.criterion_id, 3.0,
                       int(time.time()), record_digest(b"benchmark"))
print(json.dumps({"id": record.record_id, "qr": encode_payload(fields, key)}))
"""
# The `inspect-tui` entry point, with the package taken from the source tree given.
LAUNCH = ("import sys; sys.path.insert(0, sys.argv.pop(1)); sys.argv[0] = 'inspect-tui'; "
          "from inspect_tui.cli.main import main; sys.exit(main())")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def commands(source: Path, folder: Path, env: dict[str, str]) -> dict[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, "
                           f"{str(source)!r}); exec(sys.stdin.read())", str(folder)],
                          input=PREPARE, capture_output=True, text=True, env=env,
                          cwd=folder)  # not here: ./checklists would be this version's
    if done.returncode != 0:
        raise SystemExit(f"preparing {source} failed:\n{done.stderr}")
    made = json.loads(done.stdout)
    cli = [sys.executable, "-c", LAUNCH, str(source)]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "--version": [*cli, "--version"],
        "--help": [*cli, "--help"],
        "lookup": [*cli, "lookup", made["id"]],
        "verify": [*cli, "verify", made["qr"], "--trusted", str(folder / "allowed_signers")],
    }


def measure(sources: list[Path], runs: int) -> list[dict[str, tuple[float, float]]]:
    """For each source tree: command -> (median wall, median CPU) seconds."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["INSPECT_TUI_LANG"] = "zh"
    with tempfile.TemporaryDirectory(prefix="inspect-cli-startup-") as tmp:
        folders = [Path(tmp) / str(n) for n in range(len(sources))]
        plans = []
        for source, folder in zip(sources, folders, strict=True):
            folder.mkdir()
            plans.append(commands(source, folder, env))
        results: list[dict[str, tuple[float, float]]] = [{} for _ in sources]
        for name in plans[0]:
            walls: list[list[float]] = [[] for _ in sources]
            cpus: list[list[float]] = [[] for _ in sources]
            for n, plan in enumerate(plans):  # warm the caches
                subprocess.run(plan[name], cwd=folders[n], env=env, capture_output=True)
            for _ in range(runs):
                for n, plan in enumerate(plans):  # taking turns: the same load for each
                    start, cpu = time.perf_counter(), _cpu()
                    done = subprocess.run(plan[name], cwd=folders[n], env=env,
                                          capture_output=True, text=True)
                    walls[n].append(time.perf_counter() - start)
                    cpus[n].append(_cpu() - cpu)
                    if done.returncode != 0:
                        raise SystemExit(f"{name} ({sources[n]}) failed ({done.returncode}):\n"
                                         f"{done.stderr}")
            for n in range(len(sources)):
                results[n][name] = statistics.median(walls[n]), statistics.median(cpus[n])
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--against", type=Path, metavar="DIR",
                        help="another source tree (with inspect_tui/) to measure alongside")
    args = parser.parse_args()
    sources = [HERE] + ([args.against.resolve()] if args.against else [])
    results = measure(sources, args.runs)
    print(f"median of {args.runs} runs each: wall seconds (CPU seconds, user + system); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = "".join(f"  {s.name[:22]:>22}" for s in sources)
    print(f"  {'':<16}{header}  target")
    for name in results[0]:
        cells = "".join(f"  {r[name][0]:9.3f} ({r[name][1]:6.3f}) " for r in results)
        target = TARGETS.get(name)
        verdict = "" if target is None else (
            f"  ≤ {target:.2f} {'ok' if results[0][name][0] <= target else 'MISSED'}")
        print(f"  {name:<16}{cells}{verdict}")


if __name__ == "__main__":
    main()

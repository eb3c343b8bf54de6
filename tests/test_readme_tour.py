"""The README's tour ("### The tour in commands"), verbatim, on a fresh copy of the repository.

Its shell block runs as one bash script (so `. .venv/bin/activate` and `export` carry over, as
in a reader's terminal) in a copy of the tracked files, with HOME in a temporary folder, no
inspect-tui variables set, and the shipped font forced (INSPECT_TUI_CJK_FONT=bundled) as on a
machine with no Chinese font installed. After each command the script records its exit code;
every command must end with 0 and leave what its comment says.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_tui.demo import SITES
from tests.conftest import REPO

HEADING = "### The tour in commands"
MARK = "@@tour-step"
Steps = dict[int, tuple[int, str]]  # step number -> (exit code, what it printed)
Tour = tuple[Path, Path, list[str], Steps, Steps]  # clone, HOME, commands, stdout, stderr


def tour_commands(readme: str) -> list[str]:
    """The lines of the first ```sh block under HEADING (comments are the shell's)."""
    after = readme.split(f"\n{HEADING}\n", 1)
    assert len(after) == 2, f"README.md has no {HEADING!r} section"
    block = re.search(r"^```sh\n(.*?)^```", after[1], re.S | re.M)
    assert block, f"no ```sh block under {HEADING!r}"
    return [line for line in block.group(1).splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def fresh_copy(target: Path) -> None:
    """The tracked files, as `git clone` gives them (or the tree less local state)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True)
    if listed.returncode == 0 and listed.stdout:
        for name in listed.stdout.decode().split("\0"):
            if name and (REPO / name).is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, target / name)
    else:
        shutil.copytree(REPO, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
            ".venv", ".git", "__pycache__", "*.egg-info", ".*_cache", "data", "exports"))
        (target / "data").mkdir(exist_ok=True)
        (target / "exports").mkdir(exist_ok=True)


def script_of(commands: list[str]) -> str:
    lines = []
    for n, command in enumerate(commands, start=1):
        mark = f'printf "\\n{MARK} {n} %d\\n" "$rc"'
        lines += [command, f"rc=$?; {mark}; {mark} >&2", '[ "$rc" -eq 0 ] || exit "$rc"']
    return "\n".join(lines) + "\n"


def split_steps(text: str) -> Steps:
    steps: Steps = {}
    start = 0
    for match in re.finditer(rf"\n{MARK} (\d+) (\d+)\n", text):
        steps[int(match.group(1))] = (int(match.group(2)), text[start:match.start()])
        start = match.end()
    return steps


def run_tool(*cmd: str | Path) -> str:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                          check=True, timeout=60).stdout


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Tour:
    venv = Path(sys.prefix)
    if not (venv / "bin" / "activate").is_file() or not (venv / "bin" / "inspect-tui").exists():
        pytest.skip("the tests do not run in the README's venv (no bin/activate, inspect-tui)")
    commands = tour_commands((REPO / "README.md").read_text("utf-8"))
    root = tmp_path_factory.mktemp("tour")
    clone, home = root / "inspect-tui", root / "home"
    clone.mkdir()
    home.mkdir()
    fresh_copy(clone)
    (clone / ".venv").symlink_to(venv)  # what the README's first command made
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("INSPECT_TUI_") and k not in ("VIRTUAL_ENV", "PYTHONHOME")}
    env.update(HOME=str(home), LANG="C.UTF-8", LC_ALL="C.UTF-8",
               PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
               INSPECT_TUI_CJK_FONT="bundled")  # as if the system had no Chinese font
    done = subprocess.run(["bash", "-c", script_of(commands)], cwd=clone, env=env,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    return clone, home, commands, split_steps(done.stdout), split_steps(done.stderr)


def step(tour: Tour, prefix: str) -> tuple[int, str, str]:
    """The exit code, stdout and stderr of the tour's command that starts with `prefix`."""
    _, _, commands, out, err = tour
    found = [n for n, c in enumerate(commands, start=1) if c.startswith(prefix)]
    assert len(found) == 1, f"the tour has {len(found)} commands starting {prefix!r}"
    n = found[0]
    assert n in out, f"the tour stopped before {commands[n - 1]!r}: {err}"
    return out[n][0], out[n][1], err[n][1]


def test_the_tour_is_the_one_this_test_knows() -> None:
    commands = tour_commands((REPO / "README.md").read_text("utf-8"))
    firsts = [re.sub(r"\s+#.*", "", c).split(" ")[0:2] for c in commands]
    assert firsts == [[".", ".venv/bin/activate"], ["inspect-tui", "demo"],
                      ["inspect-tui", "site"], ["export", "INSPECT_TUI_PASSPHRASE=demo-pass"],
                      ["inspect-tui", "keys"], ["inspect-tui", "export"],
                      ["inspect-tui", "keys"], ["inspect-tui", "verify"],
                      ["id=$(grep", "-oh"], ["inspect-tui", "lookup"]], (
        "the README's tour changed: update tests/test_readme_tour.py to check what it says")


def test_every_command_ends_with_zero(tour: Tour) -> None:
    _, _, commands, out, err = tour
    for n, command in enumerate(commands, start=1):
        assert n in out, f"never reached: {command}\n{err}"
        code, printed = out[n]
        assert code == 0, f"{command} exited {code}:\n{printed}\n{err[n][1]}"
        assert "Traceback" not in err[n][1]


def test_demo_is_made_where_the_commands_look(tour: Tour) -> None:
    clone = tour[0]
    code, printed, _ = step(tour, "inspect-tui demo")
    assert code == 0 and "已在 data 创建演示工作区" in printed
    assert (clone / "data" / "workspace.json").is_file()
    assert (clone / "data" / "inspections" / "demo-lanxi-qiwu" / "inspection.json").is_file()
    _, listed, _ = step(tour, "inspect-tui site list")
    rows = re.findall(r"^│ (S[0-9A-Z]{8}) │", listed, re.M)  # long names wrap, IDs do not
    assert len(set(rows)) == len(SITES) and SITES[0][0] in listed
    assert re.search(r"\b(\d+)/\1\b", listed)  # some sites are fully scored


def test_the_key_is_where_the_comment_says(tour: Tour) -> None:
    home = tour[1]
    code, printed, _ = step(tour, "inspect-tui keys new")
    assert code == 0 and "张组长" in printed
    (private,) = (home / ".config" / "inspect-tui" / "keys").glob("*.key")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert b"demo-pass" not in private.read_bytes()  # encrypted with it, not holding it


def test_export_writes_a_signed_report_with_chinese_text(tour: Tour) -> None:
    clone = tour[0]
    code, printed, _ = step(tour, "inspect-tui export")
    assert code == 0 and "已导出签名报告" in printed
    (folder,) = (clone / "exports").glob("demo-lanxi-qiwu-*")
    assert {p.name for p in folder.iterdir()} >= {"report.pdf", "report.html", "report.json",
                                                  "report.json.sig"}
    pdf = folder / "report.pdf"
    if shutil.which("pdffonts"):  # the shipped font, embedded as a subset
        assert re.search(r"\+WenQuanYiMicroHeiSubset\s+(CID )?TrueType", run_tool("pdffonts", pdf))
    if shutil.which("pdftotext"):
        text = run_tool("pdftotext", pdf, "-")
        title = json.loads((folder / "report.json").read_text("utf-8"))["title"]
        assert title in text and SITES[0][0] in text  # Chinese text, not empty boxes


def test_verify_and_lookup_answer(tour: Tour) -> None:
    clone = tour[0]
    assert step(tour, "inspect-tui keys export")[0] == 0
    assert (clone / "allowed_signers").read_text("utf-8").startswith("张组长 ")
    code, printed, _ = step(tour, "inspect-tui verify")
    assert code == 0 and "结论：全部有效" in printed
    checked = re.search(r"(\d+) 条记录中 \1 条与报告内容一致", printed)  # every record's QR
    assert checked and int(checked.group(1)) > 300, printed
    code, printed, _ = step(tour, "inspect-tui lookup")
    assert code == 0 and "demo-lanxi-qiwu" in printed and re.search(r"R-\w{5}-\w{5}", printed)

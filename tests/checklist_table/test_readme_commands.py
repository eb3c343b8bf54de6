"""The README's "考核表 in Excel/WPS" commands work verbatim in an empty folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_readme_block_runs(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    after = readme.split("### 考核表 in Excel/WPS", 1)[1]
    block = re.search(r"^```sh\n(.*?)^```", after, re.S | re.M)
    assert block is not None
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "INSPECT_TUI_CHECKLISTS": str(REPO / "checklists")}
    r = subprocess.run(["bash", "-e", "-c", block.group(1)], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert {p.name for p in tmp_path.iterdir()} >= {"考核表模板.xlsx", "lanxi.xlsx",
                                                    "lanxi-copy.toml"}
    assert "全部识别" in r.stdout and "✓" in r.stdout

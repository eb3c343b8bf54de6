"""Build large workspaces quickly through the real repository API, for benchmarks.

Records are written with the same `set_fields` path the app uses, inside storage batches so
that building 50,000 records takes seconds (one durable write per file, not per record).
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

from inspect_tui.paths import find_checklist
from inspect_tui.store.workspace import Workspace

CHECKLIST = "xihu-2023-key-projects"  # the largest shipped checklist (33 criteria)
INSPECTION = "bench"


def build_workspace(root: Path, records: int, *, seed: int = 1,
                    checklist: str = CHECKLIST) -> tuple[str, list[str]]:
    """A workspace with about `records` scored records; returns (inspection id, site ids)."""
    path = find_checklist(checklist)
    assert path is not None
    rng = random.Random(seed)
    with Workspace.open(root, author="基准") as ws:
        insp = ws.create_inspection(path.read_bytes(), path.name, title="基准测试",
                                    inspection_id=INSPECTION)
        criteria = insp.checklist.criteria_for("部门")  # the sites' kind: what applies to them
        n_sites = max(1, -(-records // len(criteria)))
        assert insp.main.storage is not None
        site_ids = []
        with insp.main.storage.batch():
            for n in range(n_sites):
                site_ids.append(insp.add_site(f"检查点{n:05d}", "部门", f"第{n % 4 + 1}组").site_id)
        left = records
        for sid in site_ids:
            storage = insp._site_file(sid).storage
            assert storage is not None
            with storage.batch() if storage else contextlib.nullcontext():
                for c in criteria[: min(left, len(criteria))]:
                    insp.set_fields(sid, c.id, points=rng.randint(0, int(c.max * 2)) / 2,
                                    methods=[c.methods[0].value], notes="基准测试记录")
            left -= len(criteria)
            if left <= 0:
                break
        return insp.id, site_ids

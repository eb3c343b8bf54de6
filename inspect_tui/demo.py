"""The bundled demo: the 七五 acceptance inspection of Lanxi (seed 003), partly scored.

Seed 003 says four inspection groups led by city leaders spot-checked 4 townships/streets and
12 departments and grassroots units; the place names come from it where it gives them.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from pathlib import Path

from inspect_tui.core.errors import InspectError
from inspect_tui.paths import find_checklist
from inspect_tui.store.errors import StoreError
from inspect_tui.store.workspace import Workspace

DEMO_ID = "demo-lanxi-qiwu"
GROUPS = ["第一检查组", "第二检查组", "第三检查组", "第四检查组"]
SITES = [
    ("马涧镇", "乡镇街道"), ("兰江街道", "乡镇街道"),
    ("赤溪街道", "乡镇街道"), ("女埠街道", "乡镇街道"),
    ("市公安局", "部门"), ("市司法局", "部门"), ("市人民法院", "部门"), ("市人民检察院", "部门"),
    ("市教育局", "部门"), ("市市场监督管理局", "部门"), ("市交通运输局", "部门"),
    ("市卫生健康局", "部门"), ("永昌司法所", "基层单位"), ("兰溪市第一中学", "基层单位"),
    ("竹园社区", "村(社区)"), ("马涧镇严宅村", "村(社区)"),
]
PROBLEMS = [
    ("普法责任清单未按年度更新", "对照年度普法计划更新责任清单并公开"),
    ("宣传活动台账缺少现场照片和签到表", "规范活动台账，做到方案、记录、照片齐全"),
    ("法律明白人培训记录不完整", "建立培训档案，按季度组织轮训"),
    ("以案释法案例数量不足", "每半年至少报送1篇典型案例"),
]
INSPECTORS = ["张明", "李华", "王芳", "赵强"]


def ensure_demo(root: Path) -> str:
    """Create the demo workspace at `root` unless it is there; returns the inspection id."""
    create_demo(root)
    return DEMO_ID


def create_demo(root: Path) -> bool:
    """Put the demo inspection into `root`; False if it was there already (nothing changed).

    `root` may be a new folder, an empty one (or one holding only repository placeholders) or
    a workspace without inspections; a workspace holding other inspections is refused, so demo
    data never mixes with real data. The demo is built in a folder beside it and moved in with
    one rename, so an interrupted run never leaves a half-built demo that looks complete."""
    root = Path(root)
    with Workspace.open(root, author="演示") as ws:  # the writer lock keeps the app out
        ids = ws.inspection_ids()
        if DEMO_ID in ids:
            return False
        if ids:
            raise InspectError("tour.demo_beside_real", path=str(root), known="、".join(ids))
        aside = Path(tempfile.mkdtemp(prefix=".demo-building-", dir=root))
        try:
            _build(aside / "ws")
            (root / "inspections").mkdir(exist_ok=True)
            os.rename(aside / "ws" / "inspections" / DEMO_ID, root / "inspections" / DEMO_ID)
        except OSError as exc:
            raise StoreError("store.cannot_create", path=str(root),
                             reason=exc.strerror or str(exc)) from None
        finally:
            shutil.rmtree(aside, ignore_errors=True)
    return True


def _build(root: Path) -> None:
    checklist = find_checklist("qiwu-acceptance")
    assert checklist is not None, "the qiwu-acceptance checklist is not installed"
    with Workspace.open(root, author="演示") as ws:
        inspection = ws.create_inspection(
            checklist.read_bytes(), checklist.name, title="兰溪市“七五”普法总结验收（演示）",
            team=INSPECTORS, inspection_id=DEMO_ID)
        rng = random.Random(2020)
        criteria = inspection.checklist.criteria
        for n, (name, kind) in enumerate(SITES):
            site = inspection.add_site(name, kind, GROUPS[n % 4])
            inspection.author = INSPECTORS[n % 4]
            # The first sites are fully scored, then partly, the last few not yet visited.
            done = len(criteria) if n < 6 else len(criteria) // 2 if n < 11 else 0
            for c in criteria[:done]:
                values: dict[str, object] = {
                    "points": max(0.0, c.max - rng.choice([0, 0, 0, 0.5, 1, 1.5])),
                    "methods": [m.value for m in c.methods if rng.random() < 0.8]
                    or [c.methods[0].value],
                }
                if c.target is not None:
                    values["count"] = c.target.min + rng.choice([-1, 0, 1, 3])
                if rng.random() < 0.12:
                    problem, advice = rng.choice(PROBLEMS)
                    values.update(problems=problem, advice=advice,
                                  points=max(0.0, c.max - 1.5))
                inspection.set_fields(site.site_id, c.id, **values)

"""The demo carries visit details and a ledger with every status and exactly one overdue."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from inspect_tui import demo
from inspect_tui.core.rectification import Status, is_overdue, status_counts
from inspect_tui.store.workspace import Workspace
from tests.test_cli import cli


def test_demo_ledger_every_status_and_one_overdue(tmp_path: Path) -> None:
    r = cli("demo", "ws", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    with Workspace.open(tmp_path / "ws", readonly=True) as ws:
        insp = ws.inspection(demo.DEMO_ID)
        problems = insp.problems()
        counts = status_counts(problems)
        assert all(n >= 2 for n in counts.values()), counts  # a few in each status
        overdue = [p for p in problems if is_overdue(p, date.today())]
        assert [(insp.site(p.site_id).name, p.criterion_id) for p in overdue] == [
            ("赤溪街道", "4.1")]
        rechecked = [p for p in problems if p.status in (Status.PASSED, Status.FAILED)]
        assert all(p.recheck_date and p.recheck_by and p.recheck_note for p in rechecked)
        assert sum(bool(p.deadline and p.owner_unit and p.owner_person) for p in problems) >= 10
        visited = {s.name: insp.visit(s.site_id) for s in insp.sites()}
        assert all(visited[name].recorded for name in demo.PROGRESS)
        assert not visited["浙能兰溪电厂"].recorded  # not visited yet
        v = visited["马涧镇"]
        assert v.date < date.today().isoformat() and len(v.inspectors) == 2 and v.contact_phone
    # the CLI sees the same: one overdue, and the filter by status works
    listed = json.loads(cli("--workspace", "ws", "problems", "--overdue", "--json",
                            cwd=tmp_path).stdout)
    assert [p["criterion_id"] for p in listed["problems"]] == ["4.1"]
    assert listed["problems"][0]["overdue"] is True
    passed = json.loads(cli("--workspace", "ws", "problems", "--status", "passed", "--json",
                            cwd=tmp_path).stdout)
    assert {p["status"] for p in passed["problems"]} == {"复查通过"}
    assert len(passed["problems"]) == counts[Status.PASSED]

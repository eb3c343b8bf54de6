"""The checks of a merge's sources made by a real child process (store.merge_vetter): a merge
with it gives the report and the files a merge without it gives — a tampered source refused
alike — the child is gone once the plan is made, and a child that cannot start changes nothing
but where the checks are made."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from inspect_tui.core.vetting import Vetted
from inspect_tui.store import merge_vetter
from inspect_tui.store.merge_report import MERGED, SKIPPED
from inspect_tui.store.merge_vetter import Vetter
from tests.merge.helpers import copy_laptop, make_lead, merge, opened, snapshot


def laptops(tmp_path: Path, count: int) -> tuple[Path, list[Path]]:
    lead = tmp_path / "lead"
    make_lead(lead)
    made = []
    for n in range(count):
        laptop = copy_laptop(lead, tmp_path / f"laptop{n}")
        with opened(laptop, f"检查员{n}") as insp:
            site = insp.add_site(f"检查点{n}", "乡镇街道", "第一检查组").site_id
            for criterion in ("1.1", "1.2"):
                insp.set_fields(site, criterion, points=n % 5, notes=f"第{n}台")
        made.append(laptop)
    return lead, made


def alter_an_entry(laptop: Path) -> None:
    for path in sorted((laptop / "inspections" / "insp-1" / "sites").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        if data.get("history"):
            break
    doc = next(d for d in data["history"].values() if "points" in d["changes"])
    doc["changes"]["points"]["v"] = 6.0  # a better score, without re-hashing
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


class Watched:
    """Vetter, with each answer waited for (so the plan surely uses the child's) and what
    became of the child kept."""

    used: list[Vetted | None]
    children: list[subprocess.Popen[bytes]]

    @classmethod
    def install(cls, monkeypatch: pytest.MonkeyPatch) -> None:
        cls.used, cls.children = [], []
        submit, start = Vetter.submit, Vetter._start

        def waiting_submit(self: Vetter, files: dict[str, bytes]) -> Callable[[], Any]:
            ask = submit(self, files)

            def answer() -> Vetted | None:
                deadline = time.monotonic() + 60
                while (got := ask()) is None and self._proc is not None \
                        and time.monotonic() < deadline:
                    time.sleep(0.01)
                cls.used.append(got)
                return got

            return answer

        def watched_start(self: Vetter, first: list[Any]) -> None:
            start(self, first)
            if self._proc is not None:
                cls.children.append(self._proc)

        monkeypatch.setattr(Vetter, "submit", waiting_submit)
        monkeypatch.setattr(Vetter, "_start", watched_start)


def merged_state(lead: Path) -> dict[str, bytes]:
    """The destination's files but the merge report (it names the time) and device.json (the
    copy's own folder and device)."""
    return {k: v for k, v in snapshot(lead).items() if "/merges/" not in k
            and k != "device.json"}


@pytest.mark.parametrize("tampered", [False, True])
def test_a_merge_checked_by_the_child_is_the_merge_checked_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tampered: bool) -> None:
    lead, sources = laptops(tmp_path / "a", 3)
    if tampered:
        alter_an_entry(sources[1])
    twin = tmp_path / "b"
    shutil.copytree(tmp_path / "a", twin)  # the same bytes: merged without the child
    lead_b, sources_b = twin / "lead", [twin / s.name for s in sources]

    monkeypatch.setattr(merge_vetter, "MIN_BYTES", 10**12)
    alone = merge(lead_b, *sources_b)
    monkeypatch.setattr(merge_vetter, "MIN_BYTES", 0)
    Watched.install(monkeypatch)
    helped = merge(lead, *sources)

    # every source answered (a refused source makes the plan go again without it: 3 + 2)
    assert len(Watched.children) == 1 and len(Watched.used) == (5 if tampered else 3)
    assert all(isinstance(v, Vetted) for v in Watched.used)
    assert [v.bad_hashes != () for v in Watched.used[:3] if v] == [False, tampered, False]
    assert Watched.children[0].poll() is not None  # stopped once the plan was made
    assert [(s.status, s.new_entries, s.reason.replace(str(twin), str(tmp_path / "a")))
            for s in alone.sources] == \
        [(s.status, s.new_entries, s.reason) for s in helped.sources]
    assert [s.status for s in helped.sources] == [MERGED, SKIPPED if tampered else MERGED,
                                                  MERGED]
    assert merged_state(lead) == merged_state(lead_b)  # byte for byte
    with opened(lead) as a, opened(lead_b) as b:
        assert {e.hash for e in a.all_entries()} == {e.hash for e in b.all_entries()}


def test_a_child_that_cannot_start_leaves_the_checks_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lead, sources = laptops(tmp_path, 2)
    alter_an_entry(sources[0])

    tries: list[str] = []

    def no_child(module: str) -> subprocess.Popen[bytes]:
        tries.append(module)
        raise OSError("no Python interpreter")

    monkeypatch.setattr(merge_vetter, "MIN_BYTES", 0)
    monkeypatch.setattr(merge_vetter, "spawn", no_child)
    report = merge(lead, *sources)
    assert [s.status for s in report.sources] == [SKIPPED, MERGED]
    assert "哈希不符" in report.sources[0].reason
    assert tries == ["inspect_tui.store.merge_vetter"]  # tried once, not for every source


def test_a_small_merge_or_a_single_source_starts_no_child(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lead, sources = laptops(tmp_path, 3)
    Watched.install(monkeypatch)
    report = merge(lead, *sources[:2])  # a few kB: checked here, no process started
    assert Watched.children == [] and [s.status for s in report.sources] == [MERGED, MERGED]
    monkeypatch.setattr(merge_vetter, "MIN_BYTES", 0)
    report = merge(lead, sources[2])  # planned as soon as read: no time for a child
    assert Watched.children == [] and [s.status for s in report.sources] == [MERGED]

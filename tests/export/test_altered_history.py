"""A value edited by hand in a site file never reaches a signed report.

Reproduction (issue 15, 2.3): points 99 written over a criterion of max 4 in a site file, the
entry's hash left as it was. doctor says the entry was altered; export must refuse, naming the
file and the entry and pointing to doctor. With the hash recomputed too (a consistent forgery)
the chain verifies, and the impossible value must still be refused by the report builder.
`site list` and `lookup` flag the value instead of showing it as valid, and the app says so.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from inspect_tui.core.history import entry_from_doc, make_entry
from inspect_tui.core.records import Record
from inspect_tui.core.report_build import ImpossibleValueError, build_report
from inspect_tui.store.workspace import Workspace
from tests.checklist_samples import VALID
from tests.export.conftest import Signing
from tests.export.fixed_report import inputs as fixed_inputs
from tests.export.test_cli import cli, exports

INSPECTION = "insp-1"


def _workspace(root: Path) -> tuple[Path, str, str]:
    """A workspace whose device wrote: seq 1 the site, seq 2 1.1 = 5, seq 3 1.2 = 3 (max 4)."""
    with Workspace.open(root, author="张明") as ws:
        insp = ws.create_inspection(VALID.encode(), "sample.toml", title="样例检查",
                                    inspection_id=INSPECTION)
        site = insp.add_site("马涧镇", "乡镇街道", "第一检查组").site_id
        insp.set_fields(site, "1.1", points=5, methods=["查阅台账"])
        insp.set_fields(site, "1.2", points=3)
        rid = insp.record(site, "1.2").record_id
    return root, site, rid


def _site_file(root: Path, site: str) -> Path:
    return root / "inspections" / INSPECTION / "sites" / f"{site}.json"


def _edit_points(root: Path, site: str, value: Any, *, rehash: bool) -> None:
    """Write `value` as 1.2's points in the site file, by hand (rehash: a consistent forgery)."""
    path = _site_file(root, site)
    data = json.loads(path.read_bytes())
    for key, doc in data["history"].items():
        if doc["seq"] == 3:
            doc["changes"]["points"]["v"] = value
            if rehash:
                e = entry_from_doc(doc)
                data["history"][key] = make_entry(
                    device=e.device, seq=e.seq, prev=e.prev, hlc=e.hlc, author=e.author,
                    entity=e.entity, changes=e.changes, context=e.context).to_doc()
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


@pytest.fixture
def altered(tmp_path: Path) -> tuple[Path, str, str]:
    root, site, rid = _workspace(tmp_path / "ws")
    _edit_points(root, site, 99, rehash=False)
    return root, site, rid


def _one_paragraph(text: str) -> str:
    assert "Traceback" not in text
    return " ".join(text.split())


def test_export_refuses_an_altered_history(altered: tuple[Path, str, str], signing: Signing,
                                           tmp_path: Path) -> None:
    root, site, _ = altered
    doctor = cli("-w", root, "doctor", signing=signing, cwd=tmp_path)
    assert "第 3 条历史记录被改动过" in doctor.stdout
    r = cli("-w", root, "export", INSPECTION, "--key", "张组长", "--format", "json",
            signing=signing, cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    message = _one_paragraph(r.stderr)
    assert str(_site_file(root, site)) in message
    assert "第 3 条历史记录被改动过" in message and "inspect-tui doctor" in message
    assert "未写入任何内容" in message
    assert exports(tmp_path) == [] and "RPT-" not in r.stdout
    en = cli("--lang", "en", "-w", root, "export", INSPECTION, "--key", "张组长",
             "--format", "json", signing=signing, cwd=tmp_path)
    assert en.returncode == 2 and "entry 3" in en.stderr and "inspect-tui doctor" in en.stderr
    assert exports(tmp_path) == []


@pytest.mark.parametrize("value", [99, -1, 10**400], ids=["99", "-1", "10**400"])
def test_an_impossible_value_with_a_valid_chain_is_refused(
        tmp_path: Path, signing: Signing, value: int) -> None:
    root, site, _ = _workspace(tmp_path / "ws")
    _edit_points(root, site, value, rehash=True)
    doctor = cli("-w", root, "doctor", signing=signing, cwd=tmp_path)
    assert doctor.returncode == 0, doctor.stdout  # the chain itself verifies
    r = cli("-w", root, "export", INSPECTION, "--key", "张组长", "--format", "json",
            signing=signing, cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    message = _one_paragraph(r.stderr)
    assert "未写入任何内容" in message and "inspect-tui doctor" in message
    assert "马涧镇" in message and "1.2" in message and "0 到 4" in message
    assert (f"{value:g}" if value < 10**6 else "inf") in message
    assert exports(tmp_path) == []


def test_infinity_edited_in_is_refused_without_a_traceback(tmp_path: Path,
                                                           signing: Signing) -> None:
    root, site, _ = _workspace(tmp_path / "ws")
    _edit_points(root, site, math.inf, rehash=False)  # JSON cannot hash it: chain broken too
    r = cli("-w", root, "export", INSPECTION, "--key", "张组长", "--format", "json",
            signing=signing, cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "inspect-tui doctor" in _one_paragraph(r.stderr)
    assert exports(tmp_path) == []


def _record(points: float | None = None, **changes: Any) -> Record:
    base = fixed_inputs().sites[0].records["1.2"]
    return replace(base, points=points, **changes)


@pytest.mark.parametrize("points", [99.0, 4.5, -0.5, math.nan, math.inf])
def test_the_report_builder_never_takes_an_impossible_value(points: float) -> None:
    """Defence in depth: whatever the store let through, build_report refuses it."""
    clean = fixed_inputs()
    site = clean.sites[0]
    bad = replace(site, records={**site.records, "1.2": _record(points)})
    with pytest.raises(ImpossibleValueError) as info:
        build_report(replace(clean, sites=[bad, *clean.sites[1:]]), lambda fields: "qr")
    assert "1.2" in str(info.value) and site.site.name in str(info.value)


@pytest.mark.parametrize("changes", [{"count": -3}, {"deductions": (7,)}])
def test_impossible_counts_and_deductions_are_refused(changes: dict[str, Any]) -> None:
    clean = fixed_inputs()
    site = clean.sites[0]
    bad = replace(site, records={**site.records, "1.1": replace(site.records["1.1"],
                                                                **changes)})
    with pytest.raises(ImpossibleValueError):
        build_report(replace(clean, sites=[bad, *clean.sites[1:]]), lambda fields: "qr")


def test_an_impossible_rival_of_a_conflict_is_refused() -> None:
    """With --allow-conflicts, rival values are printed too: they are checked as well."""
    clean = fixed_inputs(conflict=True, allow_conflicts=True)
    site = clean.sites[1]
    record = site.records["1.2"]
    (conflict,) = record.conflicts
    winner, rival = conflict.values
    forged = replace(conflict, values=(winner, (99, *rival[1:])))
    bad = replace(site, records={**site.records, "1.2": replace(record, conflicts=(forged,))})
    assert build_report(clean, lambda fields: "qr").conflicts  # as it was: it builds
    with pytest.raises(ImpossibleValueError) as info:
        build_report(replace(clean, sites=[clean.sites[0], bad]), lambda fields: "qr")
    assert "99" in str(info.value)


def test_a_valid_report_still_builds() -> None:
    report = build_report(fixed_inputs(), lambda fields: "qr")
    assert report.sites


def test_site_list_and_lookup_flag_the_value(altered: tuple[Path, str, str],
                                             signing: Signing, tmp_path: Path) -> None:
    root, _, rid = altered
    r = cli("-w", root, "site", "list", signing=signing, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    warning = _one_paragraph(r.stderr)
    assert "不可能的值" in warning and "99" in warning and "1.2" in warning
    assert "第 3 条历史记录被改动过" in warning and "inspect-tui doctor" in warning
    assert "⚠" in r.stdout
    r = cli("-w", root, "lookup", rid, signing=signing, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = _one_paragraph(r.stdout + r.stderr)
    assert "得分 4 /" not in out  # not the clamped value, as if it were a real score
    assert "99" in out and "不可能的值" in out and "inspect-tui doctor" in out


def test_a_hand_typed_non_number_is_flagged_not_a_traceback(
        tmp_path: Path, signing: Signing) -> None:
    root, site, rid = _workspace(tmp_path / "ws")
    _edit_points(root, site, "九十九", rehash=True)
    r = cli("-w", root, "lookup", rid, signing=signing, cwd=tmp_path)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "不可能的值" in r.stdout + r.stderr and "九十九" in r.stdout + r.stderr
    r = cli("-w", root, "export", INSPECTION, "--key", "张组长", "--format", "json",
            signing=signing, cwd=tmp_path)
    assert r.returncode == 2 and "九十九" in r.stderr and "Traceback" not in r.stderr
    assert exports(tmp_path) == []


async def test_the_app_flags_an_altered_workspace(altered: tuple[Path, str, str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Label

    from tests.tui.helpers import app_on, until_screen, wait_for

    root, site, _ = altered
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", "测试员")
    app = app_on(root)
    async with app.run_test(size=(120, 36)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        banner = app.screen.query_one("#integrity-banner", Label)
        await wait_for(pilot, lambda: banner.display, timeout=20)
        text = " ".join(str(banner.render()).split())
        assert "第 3 条历史记录被改动过" in text and str(_site_file(root, site)) in text
        assert "inspect-tui doctor" in text and "99" in text
        notes = [n.message for n in app._notifications]
        assert any("第 3 条历史记录被改动过" in n for n in notes)


async def test_the_app_shows_no_banner_on_a_sound_workspace(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Label

    from tests.tui.helpers import app_on, until_screen

    root, _, _ = _workspace(tmp_path / "ws")
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", "测试员")
    app = app_on(root)
    async with app.run_test(size=(120, 36)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query_one("#integrity-banner", Label).display
        assert not list(app._notifications)

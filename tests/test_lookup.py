"""`inspect-tui lookup`: every record ID a report prints resolves, scored or not, and several
IDs are answered at once (issue 17, item 4). The real command on the demo and its real export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inspect_tui.core.record_id import make_record_id
from inspect_tui.demo import DEMO_ID
from inspect_tui.store.workspace import Workspace
from tests.export.conftest import Signing
from tests.json_cli import (
    cli,
    demo_copy,
    document,
    new_signing,
    report_records,
    signed_export,
)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Signing]:
    """The demo and a signed export of it: (workspace, report folder, signing)."""
    root = tmp_path_factory.mktemp("lookup")
    ws = demo_copy(root, root / "ws")
    signing = new_signing(root / "keys")
    return ws, signed_export(ws, root / "exports", signing), signing


def _unscored(folder: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(s, r) for s, r in report_records(folder) if r["score"] is None]


def test_an_unscored_records_id_from_the_report_is_found(
        exported: tuple[Path, Path, Signing]) -> None:
    ws, folder, _ = exported
    site, rec = _unscored(folder)[0]
    r = cli("-w", ws, "lookup", rec["record_id"])
    assert r.returncode == 0, r.stderr
    assert "找不到" not in r.stdout + r.stderr
    first, second = r.stdout.splitlines()
    assert first.startswith(rec["record_id"])
    assert site["name"] in first and f"{rec['criterion_id']} {rec['title']}" in first
    assert "尚无修改" in first
    assert "未评分" in second and f"/ {rec['max']:g}" in second
    en = cli("--lang", "en", "-w", ws, "lookup", rec["record_id"])
    assert en.returncode == 0 and "unscored" in en.stdout and "never changed" in en.stdout


def test_every_id_the_report_prints_resolves_at_once(
        exported: tuple[Path, Path, Signing]) -> None:
    ws, folder, _ = exported
    records = report_records(folder)
    unscored = _unscored(folder)
    # a record per criterion of each site's table and the 加分项: 4 townships × (17 + 1),
    # 12 departments and grassroots units × (21 + 1)
    assert len(records) == 4 * 18 + 12 * 22 and 0 < len(unscored) < len(records)
    ids = [rec["record_id"] for _, rec in records]
    r = cli("-w", ws, "lookup", *ids)
    assert r.returncode == 0, r.stderr[:2000]
    assert r.stderr == ""
    lines = r.stdout.splitlines()
    assert len(lines) == 2 * len(ids)  # two lines per record, in the order asked
    assert [line.split("：")[0] for line in lines[::2]] == ids
    assert sum("未评分" in line for line in lines[1::2]) == len(unscored)
    doc = document(cli("-w", ws, "lookup", "--json", *ids), "lookup")
    assert (doc["found"], doc["not_found"], doc["invalid"]) == (len(ids), 0, 0)
    for (site, rec), got in zip(records, doc["records"], strict=True):
        assert got["status"] == "found" and got["record_id"] == rec["record_id"]
        assert (got["site"], got["site_id"], got["criterion_id"]) == (
            site["name"], site["site_id"], rec["criterion_id"])
        assert got["score"] == rec["score"] and got["scored"] == (rec["score"] is not None)
        assert got["updated_by"] == (rec["updated_by"] or None)


def test_several_ids_one_missing_each_reported_exit_1(
        exported: tuple[Path, Path, Signing]) -> None:
    ws, folder, _ = exported
    (s1, scored), (s2, unscored) = report_records(folder)[0], _unscored(folder)[-1]
    missing = make_record_id(DEMO_ID, "SNOSUCH00", "1.1")  # well-formed, in no workspace
    r = cli("-w", ws, "lookup", scored["record_id"], missing, unscored["record_id"].lower())
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert f"{scored['record_id']}：" in r.stdout and s1["name"] in r.stdout
    assert f"{unscored['record_id']}：" in r.stdout and s2["name"] in r.stdout
    assert f"得分 {scored['score']:g} / " in r.stdout and "未评分" in r.stdout
    assert missing not in r.stdout
    assert f"找不到记录 {missing}" in r.stderr and "3 个编号中有 1 个找不到" in r.stderr
    doc = document(cli("-w", ws, "lookup", scored["record_id"], missing, "--json"), "lookup")
    assert [x["status"] for x in doc["records"]] == ["found", "not_found"]
    assert doc["records"][1]["record_id"] == missing and missing in doc["records"][1]["message"]
    assert (doc["found"], doc["not_found"]) == (1, 1)


def test_a_malformed_id_is_one_paragraph_exit_2_and_the_others_still_answered(
        exported: tuple[Path, Path, Signing]) -> None:
    ws, folder, _ = exported
    _, rec = report_records(folder)[5]
    typo = rec["record_id"][:-1] + ("0" if rec["record_id"][-1] != "0" else "1")
    r = cli("-w", ws, "lookup", rec["record_id"], typo)
    assert r.returncode == 2, r.stdout + r.stderr
    assert rec["record_id"] in r.stdout
    assert f"“{typo}” 不是有效的记录编号" in r.stderr and "Traceback" not in r.stderr
    assert "一个字符" in r.stderr  # says why: the check character


def test_a_record_with_notes_but_no_score_and_a_removed_site(tmp_path: Path) -> None:
    ws = demo_copy(tmp_path, tmp_path / "ws")
    with Workspace.open(ws, author="王芳") as w:
        insp = w.inspection(DEMO_ID)
        site = insp.sites()[-1]  # not visited yet in the demo
        insp.set_fields(site.site_id, "6.1", notes="只看了台账")  # on the department table
        noted = insp.record_id(site.site_id, "6.1")
        untouched = insp.record_id(site.site_id, "6.2")
    r = cli("-w", ws, "lookup", noted)
    assert r.returncode == 0, r.stderr
    assert "最后修改 王芳" in r.stdout and "未评分" in r.stdout and site.name in r.stdout
    assert cli("-w", ws, "site", "remove", site.name).returncode == 0
    r = cli("-w", ws, "lookup", untouched, noted)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count(f"{site.name}（已删除的检查点）") == 2
    doc = document(cli("-w", ws, "lookup", untouched, "--json"), "lookup")
    (got,) = doc["records"]
    assert got["site_removed"] is True and got["site"] == site.name
    assert (got["scored"], got["changes"], got["updated_at"]) == (False, 0, None)


def test_lookup_help_shows_several_ids_and_json() -> None:
    r = cli("lookup", "--help")
    assert r.returncode == 0
    assert "--json" in r.stdout and "一次查找多个编号" in r.stdout and "未评分" in r.stdout

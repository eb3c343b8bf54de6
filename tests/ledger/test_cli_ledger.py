"""`problems`, `problems set` and `site visit` as a user runs them (subprocess), incl. --json,
bad input (one paragraph, exit 2, nothing saved) and a ledger conflict in `conflicts`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.merge.helpers import copy_laptop, make_lead, merge, opened, snapshot
from tests.test_cli import cli


@pytest.fixture
def ws(tmp_path: Path) -> tuple[Path, str, str]:
    root = tmp_path / "ws"
    (site,) = make_lead(root)
    with opened(root) as insp:
        insp.set_fields(site, "1.1", points=2, problems="案例报送不及时", advice="按季度报送")
        insp.set_fields(site, "1.2", veto=True)
        rid = insp.record_id(site, "1.1")
    return root, site, rid


def run(root: Path, *args: str) -> tuple[int, str, str]:
    r = cli("--workspace", str(root), *args)
    return r.returncode, r.stdout, r.stderr


def test_set_then_list_as_table_and_json(ws: tuple[Path, str, str], tmp_path: Path) -> None:
    root, site, rid = ws
    photo = tmp_path / "整改后.jpg"
    photo.write_bytes(b"\xff\xd8 after " * 40)
    code, out, err = run(root, "problems", "set", rid, "--deadline", "2000-01-31",
                         "--owner-unit", "司法所", "--owner", "钱伟", "--status", "整改中")
    assert code == 0, err
    assert rid in out and "整改中" in out and "2000-01-31" in out
    code, out, err = run(root, "problems")
    assert code == 0, err
    assert rid in out and "案例报送不及时" in out and "一票否决" in out and "⚠" in out
    assert "共 2 个问题" in out and "已逾期 1 个" in out
    code, out, _ = run(root, "problems", "--overdue", "--json")
    doc = json.loads(out)
    assert doc["format"] == "inspect-tui/problem-list" and doc["overdue"] == 1
    (p,) = doc["problems"]
    assert (p["record_id"], p["site_id"], p["criterion_id"], p["status"], p["status_key"],
            p["owner_unit"], p["owner_person"], p["overdue"]) == (
        rid, site, "1.1", "整改中", "in_progress", "司法所", "钱伟", True)
    code, out, err = run(root, "problems", "set", rid, "--status", "done", "--json")
    assert code == 0, err
    assert json.loads(out)["status"] == "已整改"
    code, out, err = run(root, "problems", "set", rid, "--status", "passed", "--recheck-date",
                         "2000-02-10", "--recheck-by", "李华", "--recheck-note", "已补报",
                         "--recheck-evidence", str(photo), "--json")
    assert code == 0, err
    p = json.loads(out)
    assert p["status"] == "复查通过" and not p["overdue"]
    assert p["recheck"]["date"] == "2000-02-10" and p["recheck"]["by"] == "李华"
    assert [e["name"] for e in p["recheck"]["evidence"]] == ["整改后.jpg"]
    code, out, _ = run(root, "problems", "--status", "待整改", "--json")
    assert [x["criterion_id"] for x in json.loads(out)["problems"]] == ["1.2"]
    code, out, _ = run(root, "problems", "--site", "马涧镇", "--json")
    assert json.loads(out)["counts"] == {"待整改": 1, "整改中": 0, "已整改": 0, "复查通过": 1,
                                         "复查未通过": 0}


@pytest.mark.parametrize(("args", "says"), [
    (["--deadline", "2026/12/31"], "YYYY-MM-DD"),
    (["--recheck-date", "2026-13-01"], "YYYY-MM-DD"),
    (["--status", "复查通过", "--recheck-date", "2026-12-01"], "已整改"),
    (["--status", "finished"], "待整改、整改中、已整改、复查通过、复查未通过"),
    ([], "--deadline"),
    (["--recheck-evidence", "no-such-file.jpg", "--owner", "钱伟"], "no-such-file.jpg"),
])
def test_bad_input_is_one_paragraph_and_saves_nothing(ws: tuple[Path, str, str],
                                                      args: list[str], says: str) -> None:
    root, _, rid = ws
    before = snapshot(root)
    code, _, err = run(root, "problems", "set", rid, *args)
    assert code == 2 and "Traceback" not in err and says in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(root) == before


def test_unknown_record_site_and_status_filter(ws: tuple[Path, str, str]) -> None:
    root, _, _ = ws
    for args, says in ((["problems", "set", "R-XXXXX-XXXXX", "--owner", "x"], "R-XXXXX-XXXXX"),
                       (["problems", "--site", "无此单位"], "无此单位"),
                       (["problems", "--status", "bogus"], "bogus"),
                       (["site", "visit", "马涧镇", "--date", "5月6日"], "YYYY-MM-DD")):
        code, _, err = run(root, *args)
        assert code == 2 and says in err and "Traceback" not in err, (args, err)


def test_site_visit_set_and_show(ws: tuple[Path, str, str]) -> None:
    root, site, _ = ws
    code, out, err = run(root, "site", "visit", "马涧镇")
    assert code == 0, err
    assert out.count("（未填写）") == 5
    code, out, err = run(root, "site", "visit", "马涧镇", "--date", "2026-05-06",
                         "--inspectors", "李华，王芳", "--contact", "赵主任", "--phone",
                         "0579-1234567", "--notes", "查阅台账")
    assert code == 0, err
    assert "赵主任" in out and "李华、王芳" in out
    code, out, _ = run(root, "site", "visit", site, "--json")
    doc = json.loads(out)
    assert doc["format"] == "inspect-tui/site-visit"
    assert (doc["date"], doc["inspectors"], doc["contact"], doc["contact_phone"],
            doc["notes"]) == ("2026-05-06", ["李华", "王芳"], "赵主任", "0579-1234567",
                              "查阅台账")


def test_conflicting_rechecks_are_listed_and_resolved_by_the_cli(
        ws: tuple[Path, str, str], tmp_path: Path) -> None:
    root, site, rid = ws
    with opened(root) as insp:
        insp.set_problem(rid, status="已整改")
    a, b = copy_laptop(root, tmp_path / "a"), copy_laptop(root, tmp_path / "b")
    with opened(a, "李华") as insp:
        insp.set_problem(rid, status="复查通过", recheck_date="2026-07-01")
    with opened(b, "王芳") as insp:
        insp.set_problem(rid, status="复查未通过", recheck_date="2026-07-01")
    merge(root, a, b)
    code, out, _ = run(root, "conflicts", "--json")
    found = [c for c in json.loads(out)["conflicts"] if c["entity"] == f"rectify:{rid}"]
    assert [c["field"] for c in found] == ["status"]
    assert found[0]["target"] == rid and found[0]["site_id"] == site
    assert {v["value"] for v in found[0]["values"]} == {"复查通过", "复查未通过"}
    pick = next(v["pick"] for v in found[0]["values"] if v["value"] == "复查未通过")
    code, _, err = run(root, "conflicts", "resolve", rid, "status", "--pick", str(pick))
    assert code == 0, err
    code, out, _ = run(root, "problems", "--json")
    statuses = {p["record_id"]: p["status"] for p in json.loads(out)["problems"]}
    assert statuses[rid] == "复查未通过"
    assert json.loads(run(root, "conflicts", "--json")[1])["conflicts"] == []


def test_english_statuses_and_messages(ws: tuple[Path, str, str]) -> None:
    root, _, rid = ws
    code, out, err = run(root, "--lang", "en", "problems", "set", rid, "--status", "in_progress")
    assert code == 0, err
    assert "in progress" in out and "整改中" not in out
    code, out, err = run(root, "--lang", "en", "problems")
    assert code == 0 and "pending" in out and "2 problems" in out
    code, _, err = run(root, "--lang", "en", "problems", "set", rid, "--deadline", "soon")
    assert code == 2 and "YYYY-MM-DD" in err and "deadline" in err

"""`--json` on every listing and check command (issue 17, item 3), and tables that wrap rather
than cut names and IDs. The real command in a pipe on copies of the demo and on a real signed
export; stdout must be exactly one JSON document with the documented format and version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len

from inspect_tui.demo import DEMO_ID, INSPECTORS, SITES
from inspect_tui.store.workspace import Workspace
from inspect_tui.terminal_safe import has_controls
from tests.export.conftest import Signing
from tests.json_cli import (
    cli,
    demo_copy,
    document,
    new_signing,
    report_records,
    signed_export,
)

LONG_NAME = "法" * 30 + "治" * 30  # 60 CJK characters, 120 cells: wider than a piped table


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return demo_copy(tmp_path, tmp_path / "ws")


@pytest.fixture(scope="module")
def signing(tmp_path_factory: pytest.TempPathFactory) -> Signing:
    return new_signing(tmp_path_factory.mktemp("keys"))


def _column(table: str, n: int, rows_with: str | None = None) -> str:
    """The text of column `n` of a Rich table, its wrapped lines joined (all rows, or only the
    row whose first line holds `rows_with` and its continuation lines)."""
    out, inside = [], rows_with is None
    for line in table.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if rows_with is not None and cells[0]:  # a new row starts
            inside = rows_with in line
        if inside:
            out.append(cells[n])
    return "".join(out)


# ---- inspection list / site list ----------------------------------------------------------

def test_inspection_list_json(ws: Path) -> None:
    r = cli("-w", ws, "inspection", "list", "--json")
    assert r.returncode == 0, r.stderr
    doc = document(r, "inspection-list")
    (insp,) = doc["inspections"]
    assert insp["id"] == DEMO_ID and insp["title"] == "兰溪市“七五”普法总结验收（演示）"
    assert insp["team"] == INSPECTORS and insp["sites"] == len(SITES)
    assert insp["checklist"]["id"] == "lanxi-2020-mixed"
    assert insp["checklist"]["identity"].startswith("lanxi-2020-mixed@")
    assert r.stdout.endswith("}\n") and "兰溪市" in r.stdout  # UTF-8, not \u escapes


def test_site_list_json_matches_the_table_and_the_store(ws: Path) -> None:
    doc = document(cli("-w", ws, "site", "list", "--json"), "site-list")
    assert doc["inspection"] == DEMO_ID and doc["warnings"] == []
    sites = doc["sites"]
    assert [(s["name"], s["kind"]) for s in sites] == SITES
    # the demo: townships on their table of 17 criteria, units on theirs of 21; six sites
    # fully scored, five partly (half the table and what was found elsewhere), five not visited
    assert [s["criteria"] for s in sites] == [17] * 4 + [21] * 12
    assert [s["scored"] for s in sites] == [17] * 4 + [21] * 2 + [14, 10, 13, 10, 16] + [0] * 5
    assert all(s["max"] == 100 for s in sites)
    assert [s["grade"] is not None for s in sites] == [True] * 6 + [False] * 10
    with Workspace.open(ws, create=False, readonly=True) as w:
        insp = w.inspection(DEMO_ID)
        for s in sites:
            result = insp.result(s["id"])
            assert (s["total"], s["grade"], s["problems"]) == (
                result.total, result.grade, len(result.problems))
    table = cli("-w", ws, "site", "list").stdout
    assert _column(table, 0) == "".join(s["id"] for s in sites)
    assert f"{sites[0]['total']:g}" in table and sites[0]["grade"] in table


def test_output_is_utf8_whatever_the_locale_says(ws: Path) -> None:
    r = cli("-w", ws, "site", "list", "--json", env={"PYTHONIOENCODING": "ascii"})
    assert r.returncode == 0, r.stderr
    assert document(r, "site-list")["sites"][0]["name"] == "马涧镇"
    assert "马涧镇" in r.stdout


def test_a_60_character_site_name_is_whole_in_a_table_piped_at_80_columns(ws: Path) -> None:
    assert cli("-w", ws, "site", "add", LONG_NAME, "--kind", "部门").returncode == 0
    for columns in (None, 80):  # a pipe with $COLUMNS unset is 80 wide, and $COLUMNS=80
        r = cli("-w", ws, "site", "list", columns=columns)
        assert r.returncode == 0, r.stderr
        assert "…" not in r.stdout
        assert all(cell_len(line) <= 80 for line in r.stdout.splitlines())
        assert LONG_NAME not in r.stdout  # it did have to wrap …
        assert _column(r.stdout, 1, rows_with="法法") == LONG_NAME  # … and lost nothing
        for site_id in (s["id"] for s in document(
                cli("-w", ws, "site", "list", "--json"), "site-list")["sites"]):
            assert f"│ {site_id} │" in r.stdout  # IDs stay whole, on one line
    names = [s["name"] for s in document(cli("-w", ws, "site", "list", "--json"),
                                         "site-list")["sites"]]
    assert names[-1] == LONG_NAME


def test_text_that_could_steer_a_terminal_is_escaped_and_round_trips(ws: Path) -> None:
    name = "坏\x1b]0;owned\x07\u202e站\x9b2J\u2028点"
    assert cli("-w", ws, "site", "add", name, "--kind", "部门").returncode == 0
    r = cli("-w", ws, "site", "list", "--json")
    assert not has_controls(r.stdout), repr(r.stdout[-300:])
    assert document(r, "site-list")["sites"][-1]["name"] == name
    assert "\\u001b" in r.stdout and "\\u202e" in r.stdout and "\\u009b" in r.stdout


def test_a_mistake_is_one_paragraph_on_stderr_and_no_document(tmp_path: Path) -> None:
    for args in (["site", "list", "--json"], ["inspection", "list", "--json"],
                 ["conflicts", "--json"], ["lookup", "R-3PJFS-DAZSF", "--json"]):
        r = cli("-w", tmp_path / "nowhere", *args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stdout == "" and "Traceback" not in r.stderr
        assert str(tmp_path / "nowhere") in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("args", "example"), [
    (["inspection", "list", "--help"], "inspect-tui/inspection-list"),
    (["site", "list", "--help"], "inspect-tui/site-list"),
    (["site", "--help"], "site list --json"),
    (["conflicts", "--help"], "inspect-tui/conflict-list"),
    (["conflicts", "list", "--help"], "inspect-tui/conflict-list"),
    (["merge", "--help"], "inspect-tui/merge-result"),
    (["lookup", "--help"], "inspect-tui/lookup"),
    (["verify", "--help"], "inspect-tui/verify"),
    (["doctor", "--help"], "inspect-tui/doctor"),
])
def test_help_documents_json(args: list[str], example: str) -> None:
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    assert "--json" in r.stdout and example in r.stdout
    assert '{"format": "inspect-tui/' in r.stdout or "JSON" in r.stdout


# ---- merge / conflicts ----------------------------------------------------------------------

def _laptops(ws: Path, tmp_path: Path) -> tuple[Path, Path, str, str]:
    """Two inspectors' copies that give the same unscored record different values."""
    a, b = tmp_path / "zhang", tmp_path / "li"
    for laptop, who, points in ((a, "张明", 1.5), (b, "李华", 2.0)):
        shutil.copytree(ws, laptop)
        with Workspace.open(laptop, author=who) as w:
            insp = w.inspection(DEMO_ID)
            site = insp.sites()[12]
            insp.set_fields(site.site_id, "5.1", points=points, methods=["查阅台账"])
            rid = insp.record_id(site.site_id, "5.1")  # a department: the department table
    return a, b, site.name, rid


def test_merge_json_then_conflicts_json_then_resolve_by_its_target(
        ws: Path, tmp_path: Path) -> None:
    a, b, site, rid = _laptops(ws, tmp_path)
    pack = tmp_path / "zhang.pack"
    assert cli("-w", a, "pack", "--out", pack).returncode == 0
    r = cli("-w", ws, "merge", pack, b, "--json")
    assert r.returncode == 0, r.stderr
    doc = document(r, "merge-result")
    assert doc["inspection"] == DEMO_ID and doc["changed"] is True and doc["skipped"] == 0
    assert doc["open_conflicts"] == 1 and Path(doc["saved_to"]).is_file()
    first, second = doc["sources"]
    assert (first["source"], first["kind"], first["status"]) == (str(pack), "pack", "merged")
    assert (second["author"], second["kind"], second["status"]) == ("李华", "workspace", "merged")
    assert second["conflicts"] == [{"entity": f"record:{rid}", "field": "points",
                                    "site": second["conflicts"][0]["site"], "criterion": "5.1",
                                    "record_id": rid}]

    again = document(cli("-w", ws, "merge", pack, b, "--json"), "merge-result")
    assert again["changed"] is False and again["saved_to"] is None
    assert [s["status"] for s in again["sources"]] == ["nothing-new", "nothing-new"]

    conflicts = document(cli("-w", ws, "conflicts", "--json"), "conflict-list")["conflicts"]
    assert conflicts == document(cli("-w", ws, "conflicts", "list", "--json"),
                                 "conflict-list")["conflicts"]
    (c,) = conflicts
    assert (c["target"], c["record_id"], c["field"], c["site"]) == (rid, rid, "points", site)
    assert c["criterion_id"] == "5.1" and c["criterion"] == "制定计划、明确任务"
    assert {(v["value"], v["author"]) for v in c["values"]} == {(1.5, "张明"), (2.0, "李华")}
    assert [v["pick"] for v in c["values"]] == [1, 2]

    # the table, piped at 80 columns, prints the same ID whole on one line
    table = cli("-w", ws, "conflicts", columns=80).stdout
    assert f"│ {rid}" in table and "…" not in table

    wanted = next(v for v in c["values"] if v["author"] == "张明")
    r = cli("-w", ws, "conflicts", "resolve", c["target"], c["field"],
            "--pick", str(wanted["pick"]))
    assert r.returncode == 0, r.stderr
    assert document(cli("-w", ws, "conflicts", "--json"), "conflict-list")["conflicts"] == []
    found = document(cli("-w", ws, "lookup", rid, "--json"), "lookup")["records"][0]
    assert found["score"] == 1.5 and found["updated_by"] == "张组长"


def test_merge_json_names_a_refused_source_and_exits_1(ws: Path, tmp_path: Path) -> None:
    a, b, _, _ = _laptops(ws, tmp_path)
    site_file = next((b / "inspections" / DEMO_ID / "sites").glob("*.json"))
    site_file.write_text("{ not json", "utf-8")
    r = cli("-w", ws, "merge", a, b, "--json")
    assert r.returncode == 1, r.stderr
    doc = document(r, "merge-result")
    assert doc["skipped"] == 1 and doc["changed"] is True
    good, bad = doc["sources"]
    assert good["status"] == "merged" and bad["status"] == "skipped"
    assert site_file.name in bad["reason"]


# ---- verify ----------------------------------------------------------------------------------

def test_verify_json_of_a_real_signed_export(ws: Path, tmp_path: Path,
                                             signing: Signing) -> None:
    folder = signed_export(ws, tmp_path / "exports", signing)
    report = json.loads((folder / "report.json").read_bytes())
    r = cli("verify", folder, "--trusted", signing.allowed_signers, "--json")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    doc = document(r, "verify")
    assert doc["valid"] is True and doc["invalid"] == 0
    (target,) = doc["targets"]
    assert target["kind"] == "folder" and target["valid"] is True
    assert target["report"]["report_id"] == report["report_id"]
    assert target["report"]["signer"] == "张组长" and target["report"]["sites"] == 16
    records = report_records(folder)
    # a record per criterion of each site's table and the 加分项: 4 × (17 + 1) + 12 × (21 + 1)
    assert target["records_valid"] == target["records_total"] == len(records) == 336
    by_id = {f["payload"]["record_id"]: f for f in target["records"]}
    for site, rec in records[::37]:
        f = by_id[rec["record_id"]]
        assert f["valid"] and f["reason"] == "valid" and f["signer"] == "张组长"
        assert f["payload"]["score"] == rec["score"]
        assert (f["record"]["site"], f["record"]["criterion"]) == (site["name"], rec["title"])

    # one QR text against the report: its content, in the same shape
    site, rec = records[0]
    one = document(cli("verify", rec["qr"], "--trusted", signing.allowed_signers,
                       "--report", folder, "--json"), "verify")
    (f,) = one["targets"][0]["records"]
    assert one["targets"][0]["kind"] == "text"
    assert f["valid"] and f["record"]["site"] == site["name"]

    # a changed score: the signature no longer matches; exit 1 as without --json
    tampered = tmp_path / "tampered"
    shutil.copytree(folder, tampered)
    text = (tampered / "report.json").read_text("utf-8")
    assert '"total":8' in text  # the first site's total, 8x
    (tampered / "report.json").write_text(text.replace('"total":8', '"total":9', 1), "utf-8")
    r = cli("verify", tampered, "--trusted", signing.allowed_signers, "--json")
    assert r.returncode == 1, r.stderr
    bad = document(r, "verify")
    assert bad["valid"] is False and bad["invalid"] >= 1
    check = bad["targets"][0]["checks"][0]
    assert check["valid"] is False and check["reason"] == "bad_signature" and check["detail"]


def test_verify_json_mistake_is_exit_2_without_a_document(tmp_path: Path,
                                                          signing: Signing) -> None:
    r = cli("verify", tmp_path / "no-such-folder", "--trusted", signing.allowed_signers, "--json")
    assert r.returncode == 2 and r.stdout == "" and "no-such-folder" in r.stderr
    assert "Traceback" not in r.stderr


# ---- doctor ----------------------------------------------------------------------------------

def test_doctor_json_healthy_then_damaged(ws: Path) -> None:
    r = cli("-w", ws, "doctor", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    doc = document(r, "doctor")
    assert (doc["errors"], doc["workspace"], doc["restored"]) == (0, str(ws), None)
    site_file = sorted((ws / "inspections" / DEMO_ID / "sites").glob("*.json"))[3]
    site_file.write_bytes(b"\x00 damaged")
    r = cli("-w", ws, "doctor", "--json")
    assert r.returncode == 1, r.stdout + r.stderr
    doc = document(r, "doctor")
    assert doc["errors"] >= 1
    errors = [f for f in doc["findings"] if f["level"] == "error"]
    assert any(f["path"] == str(site_file) and f["message"] for f in errors), errors

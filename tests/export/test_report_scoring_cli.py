"""A format-2 inspection scored and exported with the real CLI: the signed report's numbers are
`site result --json`'s and `record show --json`'s for every site and record, and the PDF and
the HTML show the table used, 不适用 with reasons, each lost point with its count and cap,
加分, 基础分, 折算 and 总分, 自评得分 — on pages where no text overlaps or leaves the margins.

Four sites: two streets and two departments, so two tables of one checklist; 不适用 with a
reason, a rule capped after 6 times, the criterion's cap, 不得分, a veto by deduction, targets
that deduct by themselves, a typed score with its reason, 加分 capped by its item, a site
converted to full marks plus 加分 (above 100), and a site only partly scored.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from inspect_tui.core.scoring_rules import RULES_V2
from tests.export.conftest import FONT_PROBLEM, Signing, make_signing, needs, run
from tests.export.test_cli import cli
from tests.security.test_hostile_exports import words
from tests.test_scoring_rules import V2

STREET_NA = "联席会议由市级统一召开，街道不单独召开"
BUREAU_NA = "本年度无联席会议职责"
SCORES: dict[str, list[list[str]]] = {
    "兰江街道": [
        ["1.1", "--count", "12", "--self", "3"],
        ["1.2", "--na", STREET_NA],
        ["1.3", "--deduct", "1:6", "--deduct", "2", "--self", "4", "--method", "查阅台账"],
        ["1.4", "--points", "30", "--reason", "制度不全，缺少考核办法", "--self", "40"],
        ["2.1", "--points", "49.5"],
        ["3.1", "--bonus", "1:5"],  # 5 × 1, capped at the item's 3
    ],
    "马涧镇": [  # partly scored: no grade yet
        ["1.1", "--count", "0"],
        ["1.4", "--deduct", "1"],  # 不得分
    ],
    "市公安局": [
        ["1.1", "--count", "9"],
        ["1.2", "--count", "0"],
        ["1.3", "--points", "3", "--reason", "学法记录缺两次"],
        ["1.4", "--deduct", "2", "--deduct", "3", "--deduct", "4"],  # veto; 22 capped at 10
    ],
    "市司法局": [  # full marks on what applies, plus 加分: above the total
        ["1.1", "--count", "12"],
        ["1.2", "--na", BUREAU_NA],
        ["1.3", "--points", "4"],
        ["1.4", "--points", "40"],
        ["3.1", "--bonus", "1:2"],
    ],
}
KINDS = {"兰江街道": "乡镇街道", "马涧镇": "乡镇街道", "市公安局": "部门", "市司法局": "部门"}


@dataclass(frozen=True)
class Scored:
    root: Path
    ws: Path
    signing: Signing
    folder: Path

    def ok(self, *args: str | Path) -> str:
        done = cli("-w", self.ws, *args, signing=self.signing, cwd=self.root,
                   env={"INSPECT_TUI_INSPECTOR": "王芳"})
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.folder / "report.json").read_bytes())
        return data


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Scored:
    if FONT_PROBLEM:
        pytest.skip(f"the PDF needs a CJK font: {FONT_PROBLEM}")
    root = tmp_path_factory.mktemp("rules-export")
    (root / "rules.toml").write_text(V2, "utf-8")
    made = Scored(root, root / "ws", make_signing(root / "keys"), root)
    made.ok("inspection", "new", "--checklist", root / "rules.toml", "--title", "考核细则检查")
    for name, kind in KINDS.items():
        made.ok("site", "add", name, "--kind", kind, "--group", "第一检查组")
    for name, rows in SCORES.items():
        for criterion, *args in rows:
            made.ok("record", "set", "--site", name, "--criterion", criterion, *args)
    made.ok("export", "--key", "张组长")
    (folder,) = (root / "exports").iterdir()
    return Scored(root, made.ws, made.signing, folder)


def site_result(scored: Scored, name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(scored.ok("site", "result", name, "--json"))
    return doc


def record_show(scored: Scored, name: str, criterion: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(scored.ok("record", "show", "--site", name, "--criterion",
                                               criterion, "--json"))
    return doc


# ---- report.json: the CLI's numbers, for every site and record ----------------------------

def test_every_site_of_the_report_is_its_site_result(scored: Scored) -> None:
    report = scored.report()
    assert report["version"] == 2 and report["rules"] == RULES_V2
    assert [s["name"] for s in report["sites"]] == list(KINDS)
    for site in report["sites"]:
        doc = site_result(scored, site["name"])
        assert site["table"] == {k: doc["table"][k] for k in site["table"]}
        assert (site["base"], site["base_max"], site["converted"], site["conversion"],
                site["bonus"], site["bonus_cap"], site["total"], site["max"], site["grade"],
                site["scored"], site["count"]) == (
            doc["base"], doc["base_max"], doc["converted"], doc["conversion"]["rule"],
            doc["bonus"], doc["bonus_cap"], doc["total"], doc["max"], doc["grade"],
            doc["scored"], doc["criteria"]), site["name"]
        assert [(n["criterion_id"], n["title"], n["reason"]) for n in site["not_applicable"]] \
            == [(n["criterion"], n["title"], n["reason"]) for n in doc["not_applicable"]]
        assert site["unexplained"] == doc["unexplained"]
        assert [(v["criterion_id"], v["title"], v["why"]) for v in site["vetoes"]] == [
            (v["criterion"], v["title"], v["why"]) for v in doc["vetoed_by"]]
        assert site["vetoed_by"] == [v["criterion"] for v in doc["vetoed_by"]]
        assert [(s["section_id"], s["score"], s["max"], s["scored"], s["total"])
                for s in site["sections"]] == [
            (s["id"], s["score"], s["max"], s["scored"], s["criteria"]) for s in doc["sections"]]
        lost = {r["criterion_id"]: r["lost"] for r in site["records"]
                if r["lost"] > 0 and not r["bonus"]}
        assert lost == {x["criterion"]: x["lost"] for x in doc["lost"]}


def test_what_the_sites_say(scored: Scored) -> None:
    """The cases this inspection was built for, read off the signed report."""
    sites = {s["name"]: s for s in scored.report()["sites"]}
    street, partial = sites["兰江街道"], sites["马涧镇"]
    bureau, justice = sites["市公安局"], sites["市司法局"]
    assert street["table"]["kind"] == "乡镇街道" and street["table"]["criteria"] == 5
    assert street["not_applicable"][0]["reason"] == STREET_NA and street["bonus"] == 3
    assert street["conversion"] != "none" and street["total"] == street["converted"] + 3
    assert partial["grade"] is None and partial["scored"] == 2
    assert bureau["grade"] == "不合格" and bureau["vetoes"][0]["why"] == ["未制定普法责任清单"]
    assert (bureau["table"]["kind"], bureau["table"]["criteria"]) == ("部门", 4)
    assert (justice["converted"], justice["bonus"], justice["total"]) == (100, 2, 102)
    assert justice["grade"] == "优秀"


def test_every_record_is_its_record_show(scored: Scored) -> None:
    for site in scored.report()["sites"]:
        applies = [c for c in ("1.1", "1.2", "1.3", "1.4", "2.1", "3.1")
                   if c != "2.1" or KINDS[site["name"]] == "乡镇街道"]
        assert [r["criterion_id"] for r in site["records"]] == applies  # only its table
        for record in site["records"]:
            doc = record_show(scored, site["name"], record["criterion_id"])
            assert record["record_id"] == doc["record_id"]
            for key in ("score", "lost", "losses", "not_applicable", "na_reason",
                        "counts_towards_max", "zeroed", "capped", "unexplained", "self_points",
                        "reason", "bonus", "full_marks_with_target_unmet"):
                assert record[key] == doc[key], (site["name"], record["criterion_id"], key)
            assert record["veto"] == doc["vetoed"]


def test_the_export_verifies_and_its_codes_state_the_rules(scored: Scored) -> None:
    out = cli("verify", scored.folder, "--trusted", scored.signing.allowed_signers, "--json",
              signing=scored.signing, cwd=scored.root)
    assert out.returncode == 0, out.stdout + out.stderr
    doc = json.loads(out.stdout)
    (target,) = doc["targets"]
    assert target["report"]["version"] == 2 and target["report"]["rules"] == RULES_V2
    assert target["records_total"] == sum(len(s["records"]) for s in scored.report()["sites"])
    assert {f["payload"]["rules"] for f in target["records"]} == {RULES_V2}
    text = cli("verify", scored.folder, "--trusted", scored.signing.allowed_signers,
               signing=scored.signing, cwd=scored.root)
    assert f"报告格式版本 2，计分规则 {RULES_V2}" in text.stdout


# ---- the PDF and the HTML show it -----------------------------------------------------------

def g(x: float) -> str:
    return f"{x:g}"


def expected_parts(site: dict[str, Any]) -> list[str]:
    """What a site's part of the report must say, built from report.json (whitespace-free)."""
    table = site["table"]
    parts = [f"《{table['title']}》中适用于{table['kind']}的{table['criteria']}项",
             f"计分规则{table['rules']}", f"基础分：{g(site['base'])}/{g(site['base_max'])}",
             f"总分：{g(site['converted'])}+加分{g(site['bonus'])}={g(site['total'])}/"
             f"{g(site['max'])}" if site["bonus"] else
             f"总分：{g(site['total'])}/{g(site['max'])}",
             f"加分：{g(site['bonus'])}（最多{g(site['bonus_cap'])}分）"]
    if site["conversion"] != "none":
        parts.append(f"折算：{g(site['base'])}÷{g(site['base_max'])}×{g(site['max'])}="
                     f"{g(site['converted'])}（折算规则：{site['conversion']}）")
    for na in site["not_applicable"]:
        parts += [f"不适用：{na['criterion_id']}{na['title']}：{na['reason']}",
                  f"不适用理由：{na['reason']}"]
    for veto in site["vetoes"]:
        parts.append(f"一票否决：{veto['criterion_id']}{veto['title']}：{'；'.join(veto['why'])}")
    for r in site["records"]:
        if r["self_points"] is not None:
            parts.append(f"自评得分{g(r['self_points'])}")
        if r["zeroed"]:
            parts.append("不得分：本项记0分")
        if r["capped"]:
            parts.append(f"加分合计超过本项上限，实加{g(r['score'])}分" if r["bonus"]
                         else f"扣分合计超过本项累计扣分上限，实扣{g(r['lost'])}分")
        for x in r["losses"]:
            sign, word = ("+", "加分") if r["bonus"] else ("−", "扣分")
            if x["typed"]:
                parts.append(f"扣分理由：−{g(x['points'])}：{x['reason']}")
            elif x["capped"]:
                parts.append(f"{word}：{sign}{g(x['points'])}：{x['reason']}（{x['times']}次×"
                             f"{g(x['each'])}={g(x['times'] * x['each'])}，达到本条上限，"
                             f"计{g(x['points'])}）")
            elif x["times"] > 1:
                parts.append(f"{word}：{sign}{g(x['points'])}：{x['reason']}（{x['times']}次×"
                             f"{g(x['each'])}）")
            else:
                parts.append(f"{word}：{sign}{g(x['points'])}：{x['reason']}")
    return [re.sub(r"\s+", "", p) for p in parts]


@needs("pdftotext", "poppler-utils")
def test_the_pdf_shows_the_scoring_of_every_site(scored: Scored) -> None:
    pdf = scored.folder / "report.pdf"
    pages = run("pdftotext", pdf, "-").stdout.split("\f")
    for site in scored.report()["sites"]:
        # a site's part: from its heading page up to the next site's
        start = next(i for i, p in enumerate(pages) if site["site_id"] in p and "计分说明" in p)
        end = next((i for i in range(start + 1, len(pages)) if "计分说明" in pages[i]),
                   len(pages))
        flat = re.sub(r"\s+", "", "".join(pages[start:end]))
        missing = [p for p in expected_parts(site) if p not in flat]
        assert not missing, (site["name"], missing)
    cover = re.sub(r"\s+", "", pages[0])  # the summary: 总分, marked when converted
    for site in scored.report()["sites"]:
        converted = "（折算）" if site["conversion"] != "none" else ""
        assert f"{site['name']}{site['kind']}" in cover
        assert f"{g(site['total'])}/{g(site['max'])}{converted}" in cover


@needs("pdftotext", "poppler-utils")
def test_pdf_text_stays_within_the_margins_and_never_overlaps(scored: Scored) -> None:
    margin = 1.7 / 2.54 * 72  # pdf_parts.MARGIN, in points
    off, overlaps = [], []
    for n, (width, height, boxes) in enumerate(words(scored.folder / "report.pdf"), start=1):
        # the KPI strip and the tables may sit a few points into the margin (frame padding)
        off += [(n, w[4]) for w in boxes if w[0] < margin - 8 or w[2] > width - margin + 8
                or w[1] < 0 or w[3] > height]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                if min(a[2], b[2]) - max(a[0], b[0]) > 1 and \
                        min(a[3], b[3]) - max(a[1], b[1]) > 1:
                    overlaps.append((n, a[4], b[4]))
    assert not off and not overlaps, (off[:5], overlaps[:5])


def test_the_html_shows_the_same(scored: Scored) -> None:
    page = (scored.folder / "report.html").read_text("utf-8")
    text = re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", page)))
    for site in scored.report()["sites"]:
        missing = [p for p in expected_parts(site) if p not in text]
        assert not missing, (site["name"], missing)
    assert page.count('class="scoring"') == len(KINDS)

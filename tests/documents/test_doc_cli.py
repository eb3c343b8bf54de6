"""The real CLI: `doc`, `inspection set` and `export --format …,docx` — exit codes, one-paragraph
errors naming the problem, and nothing written (or changed) when a command is refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx

from inspect_tui import keys
from inspect_tui.demo import DEMO_ID
from inspect_tui.store.workspace import Workspace
from tests.documents.conftest import DOC_NUMBER, ISSUER, Demo, Written, cli


def test_doc_all_lists_what_it_wrote(written: Written) -> None:
    listed = [Path(line.strip()) for line in written.stdout.splitlines()
              if line.startswith("  ")]
    on_disk = sorted(written.folder.iterdir())
    assert sorted(listed) == on_disk
    assert f"已生成 {len(on_disk)} 个文件" in written.stdout
    assert written.stderr == ""  # every free font was found: no fallback note


def test_an_unknown_kind_is_one_paragraph_and_writes_nothing(demo: Demo, tmp_path: Path) -> None:
    done = cli("-w", demo.workspace, "doc", "minutes", "--out", tmp_path / "out")
    assert done.returncode == 2
    assert "不认识的文书种类“minutes”" in done.stderr and "bulletin" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_site_writes_nothing(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = cli("-w", demo.workspace, "doc", "record", "--site", "不存在的单位", "--out", out)
    assert done.returncode == 2 and "不存在的单位" in done.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_one_site_one_format(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = cli("-w", demo.workspace, "doc", "record,feedback", "--site", "马涧镇",
               "--format", "docx", "--out", out)
    assert done.returncode == 0, done.stderr
    (folder,) = out.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["反馈意见-马涧镇.docx",
                                                       "检查记录表-马涧镇.docx"]


def test_a_blank_record_sheet_for_a_site_not_visited_yet(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = cli("-w", demo.workspace, "doc", "record", "--site", "浙能兰溪电厂",
               "--format", "docx", "--out", out)
    assert done.returncode == 0, done.stderr
    (folder,) = out.iterdir()
    d = docx.Document(str(folder / "检查记录表-浙能兰溪电厂.docx"))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert "浙能兰溪电厂" in cells and "未评" in cells
    assert any(c.startswith("检查尚未完成（已评0项") for c in cells)  # no score of 0 shown
    nothing = cli("-w", demo.workspace, "doc", "feedback", "--site", "浙能兰溪电厂",
                  "--out", tmp_path / "none")
    assert nothing.returncode == 2 and "没有可生成的文书" in nothing.stderr
    assert not (tmp_path / "none").exists()


def settings(workspace: Path) -> dict[str, object]:
    with Workspace.open(workspace, create=False, readonly=True) as ws:
        insp = ws.inspection(DEMO_ID)
        return {n: insp.setting(n) for n in ("issuer", "doc_number", "doc_date", "signatories")}


def test_inspection_set_refuses_a_bad_date_and_changes_nothing(demo: Demo,
                                                               tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(demo.workspace, ws)
    before = settings(ws)
    assert before["issuer"] == ISSUER and before["doc_number"] == DOC_NUMBER
    done = cli("-w", ws, "inspection", "set", "--issuer", "别的机关", "--doc-date", "2026-13-01")
    assert done.returncode == 2 and "2026-13-01" in done.stderr and "Traceback" not in done.stderr
    assert settings(ws) == before
    nothing = cli("-w", ws, "inspection", "set")
    assert nothing.returncode == 2 and "--issuer" in nothing.stderr
    done = cli("-w", ws, "inspection", "set", "--signatories", "王芳，赵强", "--doc-date", "")
    assert done.returncode == 0, done.stderr
    assert settings(ws) == {**before, "signatories": ["王芳", "赵强"], "doc_date": ""}
    assert "签发人：王芳、赵强" in done.stdout


def test_export_with_docx_adds_the_documents_folder(demo: Demo, tmp_path: Path) -> None:
    key_dir = tmp_path / "keys"
    keys.new_key("张组长", "pass phrase", key_dir)
    env = {**os.environ, keys.ENV_DIR: str(key_dir), keys.ENV_PASSPHRASE: "pass phrase"}
    out = tmp_path / "exports"
    done = subprocess.run([sys.executable, "-m", "inspect_tui", "-w", str(demo.workspace),
                           "export", "--key", "张组长", "--format", "json,docx",
                           "--out", str(out)], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    (folder,) = out.iterdir()
    assert (folder / "report.json").is_file() and (folder / "report.json.sig").is_file()
    assert not (folder / "report.pdf").exists()  # only json was asked for, besides docx
    documents = folder / "文书"
    names = sorted(p.name for p in documents.iterdir())
    assert "通报.docx" in names and all(n.endswith(".docx") for n in names)
    title = [p.text for p in docx.Document(str(documents / "汇总表.docx")).paragraphs
             if p.style.name == "公文标题"]
    assert title == ["兰溪市“七五”普法总结验收（演示）得分汇总表"]

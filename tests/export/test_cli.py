"""`inspect-tui export` and `inspect-tui verify` for real, in a subprocess: files, exit codes,
one-paragraph errors (never a traceback), nothing half-written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_tui import keys
from inspect_tui.store.merge import merge_into
from inspect_tui.store.workspace import Workspace
from tests.checklist_samples import VALID
from tests.conftest import REPO
from tests.export.conftest import PASS, Signing, needs, needs_font, run


def cli(*args: str | Path, signing: Signing, cwd: Path, lang: str = "zh",
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("inspect-tui", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "inspect_tui"]
    full = {**os.environ, "COLUMNS": "120", "INSPECT_TUI_LANG": lang,
            keys.ENV_DIR: str(signing.folder), keys.ENV_PASSPHRASE: PASS, **(env or {})}
    return subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env=full, stdin=subprocess.DEVNULL, timeout=120)


def small_workspace(root: Path) -> Path:
    photo = root / "签到表.jpg"
    root.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 a photo of the sign-in sheet")
    with Workspace.open(root / "ws", author="张明") as ws:
        insp = ws.create_inspection(VALID.encode(), "sample.toml", title="样例检查",
                                    team=["张明", "李华"], inspection_id="insp-1")
        sid = insp.add_site("马涧镇", "乡镇街道", "第一检查组").site_id
        insp.set_fields(sid, "1.1", points=5.5, count=1, methods=["查阅台账"],
                        problems="典型案例数量不足", advice="每半年至少报送1篇典型案例")
        insp.attach_evidence(sid, "1.1", photo, "现场签到表")
        insp.set_fields(sid, "1.2", points=4, methods=["听取汇报"])
    return root / "ws"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return small_workspace(tmp_path / "small")


def exports(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "exports"
    return sorted(folder.iterdir()) if folder.exists() else []


@needs_font
def test_export_then_verify(ws: Path, signing: Signing, tmp_path: Path) -> None:
    r = cli("-w", ws, "export", "insp-1", "--key", "张组长", signing=signing, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (folder,) = exports(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == [
        "report.html", "report.json", "report.json.sig", "report.pdf"]
    assert str(folder.relative_to(tmp_path)) in r.stdout and "RPT-" in r.stdout
    v = cli("verify", folder, "--trusted", signing.allowed_signers, signing=signing,
            cwd=tmp_path)
    assert v.returncode == 0, v.stdout + v.stderr
    assert "结论：全部有效" in v.stdout and "2 条记录中 2 条与报告内容一致" in v.stdout
    en = cli("verify", folder / "report.json", "--trusted", signing.allowed_signers,
             signing=signing, cwd=tmp_path, lang="en")
    assert en.returncode == 0 and "Result: everything is valid." in en.stdout
    qr = json.loads((folder / "report.json").read_bytes())["sites"][0]["records"][0]["qr"]
    one = cli("verify", qr, "--trusted", signing.allowed_signers, "--report", folder,
              signing=signing, cwd=tmp_path)
    assert one.returncode == 0 and "马涧镇 · 典型案例报送" in one.stdout and "5.5" in one.stdout


def test_tampered_report_exits_1_with_the_reason(ws: Path, signing: Signing,
                                                 tmp_path: Path) -> None:
    assert cli("-w", ws, "export", "--format", "json", signing=signing,
               cwd=tmp_path).returncode == 0  # the only inspection and the only key
    (folder,) = exports(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["report.json", "report.json.sig"]
    data = (folder / "report.json").read_bytes()
    (folder / "report.json").write_bytes(data.replace(b'"points":5.5', b'"points":6.0'))
    for lang, reason in (("zh", "✗ 无效（签名不符）"), ("en", "✗ invalid (bad signature)")):
        v = cli("verify", folder, "--trusted", signing.allowed_signers, signing=signing,
                cwd=tmp_path, lang=lang)
        assert v.returncode == 1 and reason in v.stdout and "Traceback" not in v.stderr


@pytest.mark.parametrize(("damage", "words"), [("delete", "不见了"), ("alter", "已被改动")])
def test_missing_or_altered_evidence_writes_nothing(ws: Path, signing: Signing, tmp_path: Path,
                                                    damage: str, words: str) -> None:
    (evidence,) = (ws / "evidence").iterdir()
    if damage == "delete":
        evidence.unlink()
    else:
        evidence.write_bytes(b"another photo")
    r = cli("-w", ws, "export", signing=signing, cwd=tmp_path)
    assert r.returncode == 2 and words in r.stderr and str(evidence) in r.stderr
    assert "签到表.jpg" in r.stderr and "Traceback" not in r.stderr
    assert exports(tmp_path) == []


def test_unusable_font_names_the_package_and_writes_nothing(ws: Path, signing: Signing,
                                                            tmp_path: Path) -> None:
    bad = tmp_path / "not-a-font.ttf"
    bad.write_bytes(b"no font here")
    r = cli("-w", ws, "export", signing=signing, cwd=tmp_path,
            env={"INSPECT_TUI_CJK_FONT": str(bad)})
    assert r.returncode == 2 and "fonts-wqy-microhei" in r.stderr and str(bad) in r.stderr
    assert "Traceback" not in r.stderr
    assert not [p for p in (tmp_path / "exports").iterdir()]  # no folder, no partial folder


def cff_font(path: Path) -> Path:
    """A real OpenType font with PostScript (CFF) outlines, as Noto Sans CJK is, made with
    fontTools: one glyph, 中."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    pen = T2CharStringPen(1000, None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 800))
    pen.lineTo((900, 0))
    pen.closePath()
    glyph = pen.getCharString()
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "uni4E2D"])
    fb.setupCharacterMap({0x4E2D: "uni4E2D"})
    fb.setupCFF("CffProbe", {"FullName": "CffProbe"}, {".notdef": glyph, "uni4E2D": glyph}, {})
    fb.setupHorizontalMetrics({".notdef": (1000, 100), "uni4E2D": (1000, 100)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "CffProbe", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))
    return path


def test_cff_font_is_explained(ws: Path, signing: Signing, tmp_path: Path) -> None:
    noto = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    font = f"{noto}:0" if noto.exists() else str(cff_font(tmp_path / "cff.otf"))
    r = cli("-w", ws, "export", signing=signing, cwd=tmp_path, lang="en",
            env={"INSPECT_TUI_CJK_FONT": font})
    assert r.returncode == 2 and "postscript outlines" in r.stderr
    assert "fonts-wqy-microhei" in r.stderr


def conflicted(ws: Path, tmp_path: Path) -> None:
    """Two copies of the workspace score the same criterion differently, then merge."""
    other = tmp_path / "copy"
    shutil.copytree(ws, other)
    for root, points in ((ws, 3.0), (other, 2.0)):
        with Workspace.open(root, author="张明" if root == ws else "李华") as w:
            insp = w.inspection("insp-1")
            insp.set_fields(insp.sites()[0].site_id, "1.2", points=points)
    with Workspace.open(ws) as w:
        merge_into(w, [other])


@needs("pdftotext", "poppler-utils")
@needs_font
def test_conflicts_refused_unless_allowed_then_listed(ws: Path, signing: Signing,
                                                       tmp_path: Path) -> None:
    conflicted(ws, tmp_path)
    r = cli("-w", ws, "export", signing=signing, cwd=tmp_path)
    assert r.returncode == 2 and "--allow-conflicts" in r.stderr and "合并冲突" in r.stderr
    assert exports(tmp_path) == []
    r = cli("-w", ws, "export", "--allow-conflicts", signing=signing, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (folder,) = exports(tmp_path)
    (conflict,) = json.loads((folder / "report.json").read_bytes())["conflicts"]
    assert conflict["criterion_id"] == "1.2" and len(conflict["values"]) == 2
    text = run("pdftotext", "-f", "1", "-l", "1", folder / "report.pdf", "-").stdout
    assert "未解决的合并冲突" in text and "李华" in text


@pytest.mark.parametrize(("args", "words"), [
    (["verify", "nothing-here.json", "--trusted", "{signers}"], "找不到文件"),
    (["verify", "hello", "--trusted", "{signers}"], "无法核验“hello”"),
    (["verify", "IT1:X", "--trusted", "missing_signers"], "missing_signers"),
    (["export", "--format", "pdf,doc"], "doc"),  # docx is the documents set (tests/documents)
    (["export", "--site", "不存在"], "没有检查点“不存在”"),
])
def test_mistakes_are_one_paragraph_with_exit_2(ws: Path, signing: Signing, tmp_path: Path,
                                                args: list[str], words: str) -> None:
    full = ["-w", str(ws), *(a.format(signers=signing.allowed_signers) for a in args)]
    r = cli(*full, signing=signing, cwd=tmp_path)
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_help_has_examples(signing: Signing, tmp_path: Path) -> None:
    for command, words in (("export", "ssh-keygen -Y verify"), ("verify", "allowed_signers")):
        r = cli(command, "--help", signing=signing, cwd=REPO)
        assert r.returncode == 0 and "示例" in r.stdout and words in r.stdout

"""Hostile text, and a workspace that carries it everywhere text comes in from outside.

Text from outside: a checklist file (its author may be careless or malicious), site names and
groups, inspectors' notes, evidence file names and captions, author names and merge sources
from another laptop, signer names. Each field gets a short hostile string (so it fits on one
screen line and can be found verbatim), and the strings together hold every hostile piece:
Rich/Textual markup, terminal escape and control sequences, HTML, reportlab paragraph markup,
right-to-left override, a 10,000-character string without spaces, and Chinese.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from rich.cells import cell_len
from rich.console import Console
from textual.app import App

from inspect_tui.store.merge import merge_into
from inspect_tui.store.workspace import Workspace

# ---- the pieces -------------------------------------------------------------------------------

BOLD = "[bold red]x[/]"
CLOSE = "[/]"
LINK = "[link=https://evil.example]点我[/link]"
CLICK = "[@click=app.quit]退出[/]"
MARKUP = (BOLD, CLOSE, LINK, CLICK, "[", "]")

CLEAR = "\x1b[2J\x1b[31m"  # clear the screen, then paint red
TITLE = "\x1b]0;pwned\x07"  # OSC 0: set the terminal window title
HYPERLINK = "\x1b]8;;http://evil\x07link\x1b]8;;\x07"  # OSC 8 hyperlink
CONTROLS = (CLEAR, TITLE, HYPERLINK, "\r", "\x00", "\u202e", "\x08")
ALL_CONTROLS = "".join(CONTROLS)

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
AMP = "&amp;"
HTML = (SCRIPT, IMG, AMP)

PARA = ("<b>", "<font color=red>", "<para>", "<i>")  # reportlab mini-markup; <i> left unclosed

LONG = ("无空格长文本" * 1700)[:10_000]  # 10,000 characters, no space anywhere


def visible(text: str) -> str:
    """`text` without the control characters: what must show literally on a screen."""
    return "".join(c for c in text if c.isprintable())


# ---- the strings, field by field --------------------------------------------------------------
# Chinese first, then markup, then HTML / PDF markup, then controls in the middle or at the end.

CHECKLIST_TITLE = f"检查表{BOLD}{SCRIPT}{TITLE}"
SCORING_NOTE = f"分值{LINK}{AMP}{CLEAR}"
SOURCE_TITLE = f"来源{SCRIPT}{CLOSE}"
SOURCE_FILE = f"001_{IMG}.txt"
GRADES = (f"优秀{BOLD}", f"合格{CLOSE}<b>", f"不合格{CLICK}")
SECTION_TITLE = f"第一部分{CLOSE}{LINK}<para>{HYPERLINK}"
SECTION2_TITLE = f"第二部分{CLICK}<i>\u202e反向"
SECTION_SOURCE = "001 一[/]<b>"
CRIT_TITLE = f"宪法宣传{CLICK}<b>"
CRIT2_TITLE = f"组织领导{BOLD}{IMG}"
CRIT3_TITLE = f"长文本{CLOSE}"
REQUIREMENT = f"要求{BOLD}<font color=red>{CLEAR}{TITLE}换行\r\n第二行\x08\x00"
GUIDE = f"评分{LINK}{SCRIPT}"
CRIT_SOURCE = f"001 一.1{CLOSE}<i>"  # "<code> <item>": no spaces in the item
EVIDENCE = (f"照片{CLOSE}<para>", f"台账[{AMP}")
DEDUCTION = f"未报送{BOLD}<i>{CLEAR}"
DEDUCTION2 = f"扣分{CLICK}"
TARGET_UNIT = f"篇{CLOSE}"
TARGET_PERIOD = f"全年{CLICK}"
DEADLINE = f"年底{SCRIPT}"
OWNERS = (f"宣传部{BOLD}", f"司法局{IMG}")

INSPECTION_TITLE = f"验收{BOLD}{SCRIPT}{TITLE}"
TEAM = [f"组员{CLICK}"]
AUTHOR = f"张<b>{BOLD}{TITLE}"  # the lead's inspector name (INSPECT_TUI_INSPECTOR)
LAPTOP_AUTHOR = f"李{CLICK}<i>{CLEAR}"  # another laptop's inspector

SITE1 = f"马涧镇{BOLD}{TITLE}"
GROUP1 = f"{CLICK}组"
SITE2 = f"{SCRIPT}{CLOSE}\u202e站点"
GROUP2 = f"二组{LINK}{AMP}"
SITE3 = f"兰江{CLOSE}{HYPERLINK}"  # unscored: the scoring screen's tests start here

NOTES = f"备注{BOLD}{CLEAR}{TITLE}{IMG}"
PROBLEMS = f"问题{CLICK}{SCRIPT}<b>"
ADVICE = f"建议{LINK}<font color=red>{HYPERLINK}"
LONG_NOTES = LONG
EVIDENCE_FILE = f"照片[@click=app.quit]退出[bold red]<b>{TITLE}.png"  # a real name: no "/", NUL
EVIDENCE_NAME = f"证据{CLICK}{SCRIPT}{CLEAR}.jpg"  # metadata as merged from another laptop
CAPTION = f"说明{LINK}<i>{TITLE}"
CONFLICT_LEAD = f"组长意见{BOLD}<para>"
CONFLICT_LAPTOP = f"组员意见{CLICK}{SCRIPT}{CLEAR}"

SIGNER = "组长<b>[bold]x[@click=app.quit]&amp;<script>"  # key names allow no "/", no controls


def checklist_data(controls: bool = True) -> dict[str, object]:
    """The hostile checklist as TOML data (tomli_w writes controls as \\u escapes)."""
    def c(text: str) -> str:
        return text if controls else visible(text)

    criterion1 = {
        "id": "1.1", "title": c(CRIT_TITLE), "requirement": c(REQUIREMENT), "guide": c(GUIDE),
        "max": 6, "methods": ["查阅台账"], "evidence": [c(e) for e in EVIDENCE],
        "source": CRIT_SOURCE, "deadline": c(DEADLINE), "owners": [c(o) for o in OWNERS],
        "deductions": [{"reason": c(DEDUCTION), "points": 4},
                       {"reason": c(DEDUCTION2), "points": 1}],
        "target": {"min": 2, "unit": c(TARGET_UNIT), "period": c(TARGET_PERIOD)},
    }
    criterion2 = {"id": "1.2", "title": c(CRIT2_TITLE), "requirement": "成立领导小组",
                  "guide": "有则满分", "max": 2, "methods": ["听取汇报"],
                  "source": "001 一.2", "veto": True}
    criterion3 = {"id": "2.1", "title": c(CRIT3_TITLE), "requirement": LONG, "guide": LONG,
                  "max": 2, "methods": ["实地查看"], "source": "001 二.1"}
    return {
        "id": "hostile", "title": c(CHECKLIST_TITLE), "version": "1.0<b>", "total": 10,
        "scoring_note": c(SCORING_NOTE),
        "sources": [{"code": "001", "file": SOURCE_FILE, "title": c(SOURCE_TITLE)}],
        "grades": [{"name": c(GRADES[0]), "min": 9, "max": 10},
                   {"name": c(GRADES[1]), "min": 6, "max": 9},
                   {"name": c(GRADES[2]), "min": 0, "max": 6}],
        "sections": [
            {"id": "1", "title": c(SECTION_TITLE), "source": SECTION_SOURCE,
             "criteria": [criterion1, criterion2]},
            {"id": "2", "title": c(SECTION2_TITLE), "criteria": [criterion3]},
        ],
    }


def checklist_bytes(controls: bool = True) -> bytes:
    return tomli_w.dumps(checklist_data(controls)).encode("utf-8")


# ---- the workspace ----------------------------------------------------------------------------

INSPECTION = "hostile-1"


@dataclass(frozen=True)
class Hostile:
    """A lead workspace full of hostile text, with a merged laptop and one open conflict."""

    root: Path  # holds the workspace, the laptops and the evidence file
    site1: str
    site2: str
    site3: str

    @property
    def workspace(self) -> Path:
        return self.root / "ws"

    @property
    def laptop(self) -> Path:
        """Another laptop's copy, in a folder whose path is hostile: '…/笔记本[bold red]x[/]'."""
        return self.root / "笔记本[bold red]x[" / "]"

    @property
    def laptop2(self) -> Path:
        """A second laptop with one new change, for merging from the TUI."""
        return self.root / f"第二台{CLICK}<b>"


def build(root: Path) -> Hostile:
    """Create the hostile workspace at `root` (takes about a second)."""
    ws_root = root / "ws"
    photo = root / EVIDENCE_FILE
    photo.write_bytes(b"\x89PNG\r\n\x1a\nnot really a png")
    with Workspace.open(ws_root, author=AUTHOR) as ws:
        insp = ws.create_inspection(checklist_bytes(), "hostile.toml", title=INSPECTION_TITLE,
                                    team=TEAM, inspection_id=INSPECTION)
        s1 = insp.add_site(SITE1, "乡镇街道", GROUP1).site_id
        s2 = insp.add_site(SITE2, "部门", GROUP2).site_id
        s3 = insp.add_site(SITE3, "基层单位", "").site_id
        # Site 1 fully scored (so its grade shows), with every free-text field hostile.
        insp.set_fields(s1, "1.1", points=3, deductions=[0], count=1, methods=["查阅台账"],
                        notes=NOTES, problems=PROBLEMS, advice=ADVICE)
        insp.set_fields(s1, "1.2", points=2, methods=["听取汇报"], notes=LONG_NOTES)
        insp.set_fields(s1, "2.1", points=1, problems=f"长问题{LONG}")
        ref = insp.attach_evidence(s1, "1.1", photo, CAPTION)
        # The same file as another laptop described it (name and caption are metadata only).
        insp.set_fields(s1, "1.1", **{f"evidence:{ref.sha256}": {
            "name": EVIDENCE_NAME, "size": ref.size, "type": ref.type, "caption": CAPTION}})
        insp.attach_evidence(s1, "1.2", photo, CAPTION)  # keeps the real file name
        insp.set_fields(s2, "1.1", points=6, problems=PROBLEMS, advice=ADVICE)
        insp.set_fields(s2, "1.2", veto=True, problems=PROBLEMS)
    # Another laptop (a copy, its own device) disagrees on site 1's notes: a conflict.
    laptop = Hostile(root, s1, s2, s3).laptop
    laptop.parent.mkdir()
    _copy(ws_root, laptop)
    _copy(ws_root, Hostile(root, s1, s2, s3).laptop2)
    with Workspace.open(laptop, author=LAPTOP_AUTHOR) as ws:
        ws.inspection(INSPECTION).set_fields(s1, "1.2", notes=CONFLICT_LAPTOP)
    with Workspace.open(ws_root, author=AUTHOR) as ws:
        ws.inspection(INSPECTION).set_fields(s1, "1.2", notes=CONFLICT_LEAD)
        merge_into(ws, [laptop], inspection_id=INSPECTION)
    with Workspace.open(Hostile(root, s1, s2, s3).laptop2, author=LAPTOP_AUTHOR) as ws:
        ws.inspection(INSPECTION).set_fields(s3, "1.2", notes=NOTES)
    return Hostile(root, s1, s2, s3)


def _copy(workspace: Path, to: Path) -> None:
    shutil.copytree(workspace, to)
    (to / ".lock").unlink(missing_ok=True)


_CACHE: dict[str, Hostile] = {}


def hostile_copy(cache_root: Path, target: Path) -> Hostile:
    """A fresh copy of the hostile workspace (built once per test session, then copied)."""
    if "built" not in _CACHE:
        built = cache_root / "hostile-master"
        built.mkdir()
        _CACHE["built"] = build(built)
    master = _CACHE["built"]
    shutil.copytree(master.root, target, symlinks=True,
                    ignore=shutil.ignore_patterns(".lock"))
    return Hostile(target, master.site1, master.site2, master.site3)


# ---- reading a screen -------------------------------------------------------------------------

def screen_lines(app: App[object]) -> list[str]:
    """The screen as text, line by line (modal screens over what is below), as drawn."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False,
                      safe_box=False)
    update = app.screen._compositor.render_update(full=True,
                                                  screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False).splitlines()


def screen_text(app: App[object]) -> str:
    return "\n".join(screen_lines(app))


def find_on_screen(app: App[object], text: str) -> tuple[int, int] | None:
    """(x, y) in cells of where `text` starts on the screen, or None."""
    for y, line in enumerate(screen_lines(app)):
        index = line.find(text)
        if index >= 0:
            return cell_len(line[:index]), y
    return None

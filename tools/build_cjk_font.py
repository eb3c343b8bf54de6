"""Build the CJK font subset that ships in the package (inspect_tui/fonts/), so `export` makes a
PDF on a machine with no Chinese font installed.

    .venv/bin/python tools/build_cjk_font.py [SOURCE.ttc]

Source: WenQuanYi Micro Hei 0.2.0-beta (Debian package fonts-wqy-microhei,
/usr/share/fonts/truetype/wqy/wqy-microhei.ttc, face 0), licensed "Apache-2.0 or GPL-3+ with
font exception"; we take it under Apache-2.0 (inspect_tui/fonts/LICENSE-Apache-2.0.txt). It has
TrueType (glyf) outlines, which reportlab can embed (CFF/OTF fonts it cannot).

What the subset keeps: every character of GB2312 (6,763 hanzi and 682 symbols), ASCII, Latin-1,
general punctuation, CJK symbols and punctuation, full-width forms, and every character in the
app's messages (inspect_tui/locale), the report code, the shipped checklists and the demo. What it
changes: hinting, vertical metrics and OpenType layout tables dropped (reportlab uses none of
them); ✗ (U+2717) and ⚠ (U+26A0), which the source lacks, added as simple shapes drawn here;
renamed "WenQuanYi Micro Hei Subset" so that it is never mistaken for the full font. Needs
fontTools (the test extra).
tests/export/test_bundled_font.py checks that the characters the app prints are all covered.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

from fontTools import subset
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
OUT = REPO / "inspect_tui" / "fonts" / "WenQuanYiMicroHei-subset.ttf"
FAMILY = "WenQuanYi Micro Hei Subset"
POSTSCRIPT = "WenQuanYiMicroHeiSubset"
RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF))


def gb2312() -> set[int]:
    found = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            char = bytes([high, low]).decode("gb2312", errors="ignore")  # '' if unassigned
            if char:
                found.add(ord(char))
    return found


def app_files() -> list[Path]:
    """The app's own texts that can reach a report: its messages, the report code, the
    shipped checklists and the demo (the TUI's icons, such as ☰ and ⚠, never reach one)."""
    package = REPO / "inspect_tui"
    return sorted([*(package / "locale").glob("*.toml"), *(package / "export").glob("*.py"),
                   package / "demo.py", *(REPO / "checklists").glob("*.toml")])


def strings_of(path: Path) -> list[str]:
    """The texts a file gives the app: TOML keys and values, Python string literals (not
    comments, which never reach a report)."""
    text = path.read_text("utf-8")
    if path.suffix == ".py":
        return [node.value for node in ast.walk(ast.parse(text))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                found.append(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(tomllib.loads(text))
    return found


def app_text() -> str:
    return "".join(text for f in app_files() for text in strings_of(f))


def wanted() -> set[int]:
    codes = gb2312() | {ord(ch) for ch in app_text() if ord(ch) >= 0x20}
    for first, last in RANGES:
        codes |= set(range(first, last + 1))
    return codes


Polygon = list[tuple[int, int]]


def ballot_x(left: int, bottom: int, right: int, top: int) -> list[Polygon]:
    """✗: two crossing strokes."""
    half = 95  # half the stroke width, in font units (2048 per em)
    return [[(x0 - half, y0), (x1 - half, y1), (x1 + half, y1), (x0 + half, y0)]
            for (x0, y0), (x1, y1) in (((left, bottom), (right, top)),
                                       ((left, top), (right, bottom)))]


def warning_sign(left: int, bottom: int, right: int, top: int) -> list[Polygon]:
    """⚠: a triangle's outline with an exclamation mark in it."""
    mid, width = (left + right) // 2, right - left
    inset, bar = width // 7, 80
    return [
        [(left, bottom), (mid, top), (right, bottom)],  # clockwise: filled
        [(left + inset, bottom + inset // 2), (right - inset, bottom + inset // 2),
         (mid, top - inset * 2)],  # counter-clockwise: the hole
        [(mid - bar, bottom + width // 4), (mid - bar, top - width // 2 + inset // 2),
         (mid + bar, top - width // 2 + inset // 2), (mid + bar, bottom + width // 4)],
        [(mid - bar, bottom + inset), (mid - bar, bottom + inset + 2 * bar),
         (mid + bar, bottom + inset + 2 * bar), (mid + bar, bottom + inset)],
    ]


# Characters the app prints that the source font lacks, drawn here (TrueType: filled contours
# clockwise, holes counter-clockwise).
DRAWN = {0x2717: ballot_x, 0x26A0: warning_sign}


def add_drawn(font: TTFont) -> None:
    """Each DRAWN character, full width, in the box of ✓ (U+2713) widened to the em."""
    check = font.getBestCmap()[0x2713]
    advance, _ = font["hmtx"][check]
    box = font["glyf"][check]
    for code, draw in DRAWN.items():
        pen = TTGlyphPen(None)
        for polygon in draw(150, box.yMin, advance - 150, box.yMax):
            pen.moveTo(polygon[0])
            for point in polygon[1:]:
                pen.lineTo(point)
            pen.closePath()
        name = f"uni{code:04X}"
        font["glyf"][name] = pen.glyph()
        font["glyf"][name].recalcBounds(font["glyf"])
        font["hmtx"][name] = (advance, font["glyf"][name].xMin)
        font.setGlyphOrder([*font.getGlyphOrder(), name])
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[code] = name
    font["maxp"].numGlyphs = len(font.getGlyphOrder())


def rename(font: TTFont) -> None:
    names = font["name"]
    for name_id in (1, 3, 4, 6, 16, 17, 18):
        names.removeNames(nameID=name_id)
    version = names.getDebugName(5) or ""
    for name_id, value in ((1, FAMILY), (3, f"{POSTSCRIPT};{version}"), (4, FAMILY),
                           (6, POSTSCRIPT)):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    names.setName("A subset of WenQuanYi Micro Hei 0.2.0-beta made for inspect-tui "
                  "(GB2312 and the app's own texts; hinting and layout tables removed; "
                  "U+2717 and U+26A0 added). See inspect_tui/fonts/README.md.", 10, 3, 1, 0x409)


def build(source: Path) -> None:
    options = subset.Options()
    options.font_number = 0
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "vhea", "vmtx", "gasp"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    source_cmap = font.getBestCmap()
    codes = wanted()
    missing = sorted(c for c in codes - set(source_cmap) if c not in DRAWN and
                     not (0xA0 <= c <= 0xFF or any(a <= c <= b for a, b in RANGES[2:])))
    if missing:  # a character the app prints that this source cannot give
        raise SystemExit("the source font lacks " + "".join(map(chr, missing)))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes & set(source_cmap))
    subsetter.subset(font)
    add_drawn(font)
    rename(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(OUT))
    print(f"{OUT.relative_to(REPO)}: {len(font.getBestCmap())} characters, "
          f"{OUT.stat().st_size / 1024 / 1024:.2f} MB")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)

"""The geometry and type of a 公文 after GB/T 9704-2012, shared by the .docx and PDF renderers.

A4; 版心 156 mm × 225 mm: top margin 37 mm, bottom 35 mm, left 28 mm, right 26 mm. Title 二号
(22 pt) 小标宋; body 三号 (16 pt) 仿宋_GB2312, 22 lines of 28 characters (fixed line spacing
225 mm / 22 ≈ 29 pt); 一级标题 黑体, 二级标题 楷体; page numbers "— 1 —" in 四号 (14 pt) 宋体,
7 mm below the 版心, odd pages right and even pages left, one character in.
"""

from __future__ import annotations

PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37.0, 35.0, 28.0, 26.0
TEXT_W_MM = PAGE_W_MM - LEFT_MM - RIGHT_MM  # 156
TEXT_H_MM = PAGE_H_MM - TOP_MM - BOTTOM_MM  # 225
PT_PER_MM = 72 / 25.4
LINE_PT = round(TEXT_H_MM * PT_PER_MM / 22, 2)  # 28.99: 22 lines to the 版心
BODY_PT, TITLE_PT, PAGE_NO_PT, TABLE_PT, MARK_PT = 16.0, 22.0, 14.0, 10.5, 30.0
TABLE_LINE_PT = 14.0  # 五号 tables: a full table row per line of text
PAGE_NO_GAP_MM = 7.0  # page number's rule 7 mm under the 版心
RED = (0xE6, 0x00, 0x12)  # 发文机关标志 and the red rule

# Fonts offices have (named in .docx, with fallbacks a machine without them uses).
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEI = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_SONG = "宋体"
FALLBACKS = {FONT_TITLE: "宋体", FONT_BODY: "仿宋", FONT_KAI: "楷体", FONT_HEI: "SimHei",
             FONT_SONG: "SimSun"}
LATIN = "Times New Roman"


def em_width(text: str) -> float:
    """Width in characters of the body size: a hanzi is one, a digit or Latin letter half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def closing_indents(issuer: str, day: str) -> tuple[float, float]:
    """Right indents (pt) of the 署名 and the 成文日期: the date four characters in from the
    right, the issuer centred over the date (GB/T 9704-2012 7.3.5.1)."""
    day_in = BODY_PT * 4
    return day_in + max(0.0, (em_width(day) - em_width(issuer)) / 2) * BODY_PT, day_in


def page_number(n: int) -> str:
    return f"— {n} —"

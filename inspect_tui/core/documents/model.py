"""A small model of an official document (公文) after GB/T 9704-2012, for two renderers.

Blocks are laid out top to bottom. The renderers own the geometry (A4, 版心 156 × 225 mm,
fonts and sizes); the model says only what each block is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


def chinese_date(day: date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no padding ("2026年12月1日")."""
    return f"{day.year}年{day.month}月{day.day}日"


class Align(StrEnum):
    JUSTIFY = "justify"
    CENTER = "center"
    RIGHT = "right"
    LEFT = "left"


@dataclass(frozen=True)
class IssuerMark:
    """发文机关标志 (red, centred, above a red rule) with the 发文字号 between them."""

    issuer: str
    doc_number: str = ""


@dataclass(frozen=True)
class Title:
    """The document title: 二号 小标宋, centred."""

    text: str


@dataclass(frozen=True)
class Heading:
    """Level 1 "一、" (黑体), level 2 "（一）" (楷体), level 3 "1." (仿宋 bold)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    indent: bool = True  # 首行缩进二字
    align: Align = Align.JUSTIFY


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1  # columns this header cell covers (merged)
    rows: int = 1  # header rows it covers (merged downwards)


@dataclass(frozen=True)
class Table:
    """A bordered table; `header` rows repeat on every page; `widths` are relative."""

    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    caption: str = ""
    numeric: tuple[int, ...] = ()  # columns centred (numbers, ranks)
    strong: tuple[int, ...] = ()  # body rows in bold (a section's subtotal)


@dataclass(frozen=True)
class SignatureLine:
    label: str  # "检查组成员（签字）"
    names: str = ""  # printed under/after the line when known


@dataclass(frozen=True)
class Signatures:
    """Lines to sign by hand (检查记录表: inspectors and the inspected unit's contact)."""

    lines: tuple[SignatureLine, ...]


@dataclass(frozen=True)
class Closing:
    """发文机关署名 and 成文日期, right-aligned; the 印章 covers them (seal=True)."""

    issuer: str
    day: str  # already in Chinese format
    seal: bool = True


@dataclass(frozen=True)
class Distribution:
    """版记 between rules at the end, each line as printed: "抄送：…", the 印发机关 on the left
    and "2026年12月1日印发" on the right."""

    copy_to: str = ""
    printed_by: str = ""
    printed_on: str = ""


@dataclass(frozen=True)
class PageBreak:
    pass


Block = (IssuerMark | Title | Heading | Paragraph | Table | Signatures | Closing
         | Distribution | PageBreak)


@dataclass(frozen=True)
class Document:
    """One file: its kind (file name stem), what it is about, and its blocks."""

    kind: str  # "record", "feedback", ...
    name: str  # file name stem, e.g. "检查记录表-马涧镇"
    title: str
    blocks: tuple[Block, ...] = field(default=())

    def text(self) -> str:
        """Every word the document prints, in order (for tests and search)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, IssuerMark):
                out += [b.issuer, b.doc_number]
            elif isinstance(b, Title | Heading | Paragraph):
                out.append(b.text)
            elif isinstance(b, Table):
                out += [c.text for row in b.header for c in row]
                out += [x for row in b.rows for x in row]
            elif isinstance(b, Signatures):
                out += [f"{x.label} {x.names}" for x in b.lines]
            elif isinstance(b, Closing):
                out += [b.issuer, b.day]
            elif isinstance(b, Distribution):
                out += [b.copy_to, b.printed_by, b.printed_on]
        return "\n".join(x for x in out if x)

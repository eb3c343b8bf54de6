"""What a printed report shows besides its signed data: the issuing body and visit details.

report.json (the signed data) stays as it is; the letterhead and each site's visit are
settings and ledger entries of the inspection, printed on the cover and the site pages (the
PDF as a whole is signed too). Pure data: the export gathers it from the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from inspect_tui.core.visit import Visit


@dataclass(frozen=True)
class Letterhead:
    issuer: str = ""  # 发文机关 (the issuing body)
    doc_number: str = ""  # 发文字号, e.g. 兰普法办〔2026〕3号
    doc_date: str = ""  # 成文日期, ISO YYYY-MM-DD ("" = the export's date)
    signatories: tuple[str, ...] = ()
    visits: Mapping[str, Visit] = field(default_factory=dict)  # site id -> its visit


def chinese_date(iso: str) -> str:
    """An ISO date as a Chinese document writes it, "2026年12月1日"; other text unchanged."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.year}年{day.month}月{day.day}日"

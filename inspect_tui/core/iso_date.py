"""Calendar dates as people type them and the history stores them: ISO YYYY-MM-DD.

`date.fromisoformat` also reads "20261231" and "2026-W53-4"; a field that prints as a date on
a document must hold one form only, so the pattern is checked first.
"""

from __future__ import annotations

import re
from datetime import date

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t

ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(text: str) -> date:
    """The date `text` names; ValueError unless it is a real YYYY-MM-DD date."""
    if not ISO_DATE_RE.match(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def clean_date(text: str) -> str:
    """"" (not recorded) or the date in canonical form; ValueError for anything else."""
    text = text.strip()
    return parse_iso_date(text).isoformat() if text else ""


def checked_date(text: str, field_key: str) -> str:
    """`clean_date` for a value someone typed: InspectError naming the field (by its message
    key) and the expected form."""
    try:
        return clean_date(text)
    except ValueError:
        raise InspectError("ledger.bad_date", field=t(field_key), value=text[:40]) from None

"""Visit details of one site: when it was visited, by whom, and who received the group.

They are history fields of the entity `visit:<site_id>`, kept in that site's file, so they are
merged and put in conflict like scores (each field on its own).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from inspect_tui.core.history import FieldState
from inspect_tui.core.iso_date import checked_date

VISIT_PREFIX = "visit:"
# Visit fields and the value each takes when never set.
VISIT_DEFAULTS: dict[str, Any] = {
    "date": "", "inspectors": [], "contact": "", "contact_phone": "", "notes": "",
}


@dataclass(frozen=True)
class Visit:
    date: str = ""  # ISO YYYY-MM-DD, "" = not recorded
    inspectors: tuple[str, ...] = ()
    contact: str = ""  # the inspected unit's contact person
    contact_phone: str = ""
    notes: str = ""  # method notes

    @property
    def recorded(self) -> bool:
        """Anything at all was recorded about the visit."""
        return self != Visit()


def visit_entity(site_id: str) -> str:
    return VISIT_PREFIX + site_id


def visit_from_fields(fields: Mapping[str, FieldState]) -> Visit:
    """The visit as the history holds it; a value of a type never written reads as default."""
    def text(name: str) -> str:
        state = fields.get(name)
        return state.value if state is not None and isinstance(state.value, str) else ""

    state = fields.get("inspectors")
    names = state.value if state is not None and isinstance(state.value, list) else []
    return Visit(text("date"), tuple(n for n in names if isinstance(n, str)), text("contact"),
                 text("contact_phone"), text("notes"))


def clean_visit(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check and canonicalise visit fields typed by someone; InspectError says what is wrong."""
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in VISIT_DEFAULTS:
            raise ValueError(f"unknown visit field {name!r}")
        if name == "inspectors":
            items = [value] if isinstance(value, str) else list(value)
            clean[name] = _names(items)
        elif name == "date":
            clean[name] = checked_date(str(value), "ledger.field.visit_date")
        else:
            clean[name] = str(value).strip()
    return clean


def _names(items: list[Any]) -> list[str]:
    """Inspector names: split on commas (either width) and 、, stripped, each once, in order."""
    found: list[str] = []
    for item in items:
        for part in str(item).replace("，", ",").replace("、", ",").split(","):
            if (name := part.strip()) and name not in found:
                found.append(name)
    return found


"""Checking the document settings someone typed (CLI or app) before they are saved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from inspect_tui.core.errors import InspectError

# Settings in the order they are shown; signatories is a list, the rest text.
SETTINGS = ("title", "issuer", "doc_number", "doc_date", "signatories", "verify_url")


def split_names(text: str) -> list[str]:
    """Names separated by commas of either width or 、."""
    return [x.strip() for x in text.replace("，", ",").replace("、", ",").split(",")
            if x.strip()]


def clean_settings(raw: Mapping[str, str | None]) -> dict[str, Any]:
    """The settings given (None: not given; an empty text clears one), checked: a 成文日期 in
    YYYY-MM-DD, a title never empty. InspectError says what is wrong."""
    values: dict[str, Any] = {}
    for name in SETTINGS:
        text = raw.get(name)
        if text is None:
            continue
        text = text.strip()
        if name == "signatories":
            values[name] = split_names(text)
        elif name == "doc_date" and text:
            try:
                values[name] = date.fromisoformat(text).isoformat()
            except ValueError:
                raise InspectError("doc.set.bad_date", value=text) from None
        elif name == "title" and not text:
            raise InspectError("doc.set.empty_title")
        else:
            values[name] = text
    return values

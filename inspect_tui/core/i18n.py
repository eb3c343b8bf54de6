"""One message catalogue for every user-facing string (zh-CN first, English available).

Messages live in `inspect_tui/locale/messages.toml` as `[key] zh = "…" en = "…"` and use
`str.format` placeholders. The catalogue is read once, lazily, from package data.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("zh", "en")
_state = {"lang": "zh"}


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {LANGUAGES}")
    _state["lang"] = lang


def language() -> str:
    return _state["lang"]


@cache
def catalogue() -> dict[str, dict[str, str]]:
    text = resources.files("inspect_tui.locale").joinpath("messages.toml").read_text("utf-8")
    return tomllib.loads(text)


def t(key: str, /, **params: Any) -> str:
    """The message `key` in the current language, formatted with `params`."""
    entry = catalogue().get(key)
    if entry is None:
        return key if not params else f"{key} {params}"
    template = entry.get(_state["lang"]) or entry["zh"]
    return template.format(**params)

"""One message catalogue for every user-facing string (zh-CN first, English available).

Messages live in `inspect_tui/locale/*.toml` (one file per area of the app) as
`["key"] zh = "…" en = "…"` with `str.format` placeholders. The files are read once, lazily,
from package data, and merged into one catalogue; a key defined twice is a bug.
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
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("inspect_tui.locale")
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if not item.name.endswith(".toml"):
            continue
        for key, entry in tomllib.loads(item.read_text("utf-8")).items():
            if key in merged:
                raise RuntimeError(f"message {key!r} is defined twice (again in {item.name})")
            merged[key] = entry
    return merged


def t(key: str, /, **params: Any) -> str:
    """The message `key` in the current language, formatted with `params`."""
    entry = catalogue().get(key)
    if entry is None:
        return key if not params else f"{key} {params}"
    template = entry.get(_state["lang"]) or entry["zh"]
    return template.format(**params)

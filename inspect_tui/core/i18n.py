"""One message catalogue for every user-facing string (zh-CN first, English available).

Messages live in `inspect_tui/locale/*.toml` (one file per area of the app) as
`["key"] zh = "…" en = "…"` with `str.format` placeholders. The files are read once, lazily,
from package data, and merged into one catalogue; a key defined twice is a bug.

Parsing the TOML takes ~50 ms, more than the rest of `inspect-tui --help`; so the merged
catalogue is kept in `locale/__pycache__/` (marshal, like Python's own .pyc files, and not
written when PYTHONDONTWRITEBYTECODE asks for none) together with the files it was built from:
it is used only while they are byte for byte the same, so any edit, added or removed file
rebuilds it, and the duplicate check runs on every build.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from functools import cache
from typing import Any

LANGUAGES = ("zh", "en")
_state = {"lang": "zh"}


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {LANGUAGES}")
    _state["lang"] = lang


def language() -> str:
    return _state["lang"]


# os.path rather than pathlib: this runs on every start, even for --version.
_LOCALE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locale")
_CACHE = os.path.join(_LOCALE, "__pycache__",
                      f"catalogue.{sys.implementation.cache_tag}.marshal")

Sources = tuple[tuple[str, bytes], ...]


@cache
def catalogue() -> dict[str, dict[str, str]]:
    sources = _sources()
    folder = os.path.isdir(_LOCALE)
    if folder:
        try:
            with open(_CACHE, "rb") as f:
                saved_sources, saved = marshal.load(f)
            # The cache holds the files it was built from: used only if they are the same.
            if saved_sources == sources and isinstance(saved, dict):
                return saved
        except (OSError, ValueError, EOFError, TypeError):
            pass  # missing, stale or damaged: built again below
    merged = _merge(sources)
    if folder and not sys.dont_write_bytecode:
        _save(marshal.dumps((sources, merged)))
    return merged


def _sources() -> Sources:
    """(file name, bytes) of every locale file, in name order."""
    if os.path.isdir(_LOCALE):
        found = []
        for entry in os.scandir(_LOCALE):
            if entry.name.endswith(".toml"):
                with open(entry.path, "rb") as f:
                    found.append((entry.name, f.read()))
        return tuple(sorted(found))
    from importlib import resources  # a zipped install: no folder to cache in

    folder = resources.files("inspect_tui.locale")
    return tuple(sorted((f.name, f.read_bytes()) for f in folder.iterdir()
                        if f.name.endswith(".toml")))


def _merge(sources: Sources) -> dict[str, dict[str, str]]:
    import tomllib

    merged: dict[str, dict[str, str]] = {}
    for name, data in sources:
        for key, entry in tomllib.loads(data.decode("utf-8")).items():
            if key in merged:
                raise RuntimeError(f"message {key!r} is defined twice (again in {name})")
            merged[key] = entry
    return merged


def _save(data: bytes) -> None:
    """Best effort, atomic: a read-only install or a race with another process only means
    the next start parses the TOML again."""
    tmp = f"{_CACHE}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(_CACHE), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, _CACHE)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def t(key: str, /, **params: Any) -> str:
    """The message `key` in the current language, formatted with `params`."""
    entry = catalogue().get(key)
    if entry is None:
        return key if not params else f"{key} {params}"
    template = entry.get(_state["lang"]) or entry["zh"]
    return template.format(**params)

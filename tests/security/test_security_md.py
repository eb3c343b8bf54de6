"""SECURITY.md keeps its promise: every claim cites a test, and every cited test exists."""

from __future__ import annotations

import re

from tests.conftest import REPO

DOC = REPO / "SECURITY.md"
CITED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:\[([\w-]+)\])?`")


def _claims() -> list[str]:
    """Each bullet of SECURITY.md, joined across its wrapped lines."""
    claims: list[str] = []
    for line in DOC.read_text("utf-8").splitlines():
        if line.startswith("- "):
            claims.append(line)
        elif claims and line.startswith("  "):
            claims[-1] += " " + line.strip()
        elif not line.strip() or line.startswith("#"):
            claims.append("") if claims and claims[-1] else None
    return [c for c in claims if c]


def test_every_claim_cites_a_test_or_says_it_makes_none() -> None:
    claims = _claims()
    assert len(claims) >= 25
    bare = [c[:80] for c in claims if not CITED.search(c) and "makes no claim" not in c]
    assert bare == []


def test_every_cited_test_exists() -> None:
    cited = CITED.findall(DOC.read_text("utf-8"))
    assert len(cited) >= 60
    missing = []
    for path, name, param in cited:
        source = (REPO / path).read_text("utf-8") if (REPO / path).exists() else ""
        if f"def {name}(" not in source or (param and f'"{param}"' not in source):
            missing.append(f"{path}::{name}" + (f"[{param}]" if param else ""))
    assert missing == []

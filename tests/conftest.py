from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_tui.core.i18n import set_language

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def chinese_by_default() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("zh")

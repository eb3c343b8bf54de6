"""How hard the fuzz tests try: a bounded budget in CI, more on demand.

    INSPECT_TUI_FUZZ_SCALE=50 .venv/bin/python -m pytest tests/fuzz     # 50x the examples

Every fuzz test names its CI budget; the scale multiplies it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def _scale() -> float:
    raw = os.environ.get("INSPECT_TUI_FUZZ_SCALE", "1")
    try:
        return max(float(raw), 0.01)
    except ValueError:
        raise SystemExit(f"INSPECT_TUI_FUZZ_SCALE must be a number, not {raw!r}") from None


SCALE = _scale()


def fuzz(examples: int) -> settings:
    """Hypothesis settings for `examples` examples in CI, times the scale asked for."""
    return settings(max_examples=max(1, round(examples * SCALE)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

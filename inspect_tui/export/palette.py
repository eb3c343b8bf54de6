"""Colours shared by the PDF chart and the HTML bars: a score's share of the maximum."""

from __future__ import annotations

INK = "#1f2937"
TRACK = "#e6e9ef"
BANDS = ((0.9, "#2e7d32"), (0.8, "#1565c0"), (0.6, "#ef6c00"), (0.0, "#c62828"))


def bar_hex(fraction: float) -> str:
    """Green from 90 %, blue from 80 %, orange from 60 %, red below (the default bands)."""
    return next(colour for low, colour in BANDS if fraction >= low)

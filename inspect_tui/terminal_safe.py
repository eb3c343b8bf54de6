"""Text from outside, made safe for a terminal: its control characters are removed.

A terminal obeys the control characters in what it is given: ESC starts sequences that clear
the screen, set the window title (OSC 0) or plant a hyperlink (OSC 8); CR and BS overwrite what
is shown; the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder it.
Checklist files, site names, notes, evidence file names, authors and paths from other laptops
may hold any of them, so every way text reaches a terminal removes them: the TUI at its last
step (tui/guard.py), the CLI where it writes (cli/output.py), and the PDF and HTML report
(export/view.clean). Newline and tab stay. The stored data is never changed: report.json keeps
the text exactly as it was entered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this at start-up, before it knows it will print a table
    from rich.segment import Segment

# C0 except tab and newline, DEL, C1; the bidi marks, embeddings, overrides and isolates
# ("Trojan Source", CVE-2021-42574); the Unicode line and paragraph separators.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                       "\u202a-\u202e\u2066-\u2069]")


def has_controls(text: str) -> bool:
    return _CONTROLS.search(text) is not None


def strip_controls(text: str) -> str:
    """`text` without terminal control characters (each takes no cell, so widths stay)."""
    return _CONTROLS.sub("", text)


def safe_segment(segment: Segment) -> Segment:
    """A Rich segment whose text has no control characters (its own control codes, the
    styling the renderer adds on purpose, are kept)."""
    if segment.control or not has_controls(segment.text):
        return segment
    return segment._replace(text=strip_controls(segment.text))


def safe_segments(segments: Iterable[Segment]) -> Iterator[Segment]:
    return map(safe_segment, segments)

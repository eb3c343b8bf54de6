"""The TUI's last line of defence: no control character in widget text reaches the terminal.

Textual and Rich drop only BEL, BS, VT, FF and CR from text; ESC and the other control
characters go to the terminal as they are, so a site name holding "\\x1b[2J" would clear the
screen and "\\x1b]0;…\\x07" would retitle the window. Outside text reaches the screen through
many widgets (labels, tables, trees, inputs, text areas, the header, notifications), so rather
than cleaning each, `install()` wraps `Strip.render`, the one step that turns a line of text
segments into terminal output, and removes the characters from the text of the segments there
(see terminal_safe.py). Textual's own escape sequences are added around the text after that,
so they are untouched; the removed characters take no cells, so every column stays in place.
"""

from __future__ import annotations

from rich.console import Console
from textual.strip import Strip

from inspect_tui.terminal_safe import has_controls, safe_segments

_render = Strip.render


def _guarded_render(strip: Strip, console: Console) -> str:
    if not any(has_controls(text) for text, _, control in strip if not control):
        return _render(strip, console)  # the usual case: Textual's own, cached rendering
    return _render(Strip(list(safe_segments(strip)), strip.cell_length), console)


def install() -> None:
    """Guard every Textual app in this process (idempotent)."""
    Strip.render = _guarded_render  # type: ignore[method-assign]

"""A Footer that is rebuilt only when the keys it shows change.

Textual's Footer removes and mounts all its keys whenever the bindings may have changed —
on every focus change. Typing a score moves the focus to the score field and Enter moves it
back, so each score cost two rebuilds and the extra whole-screen layouts they bring. The keys
shown are the same before and after (the scoring screen's bindings are the screen's own), so
this footer compares them first.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[str, Binding, bool, str], ...]


def shown_keys(screen: Screen[object]) -> Shown:
    """What a Footer shows for the screen's active bindings (each binding, and its state)."""
    return tuple((key, binding, enabled, tooltip)
                 for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                 if binding.show)


class SteadyFooter(Footer):
    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: Shown | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = shown_keys(screen)
        if self._bindings_ready and shown == self._shown:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # the rebuild below will show these
        super().bindings_changed(screen)

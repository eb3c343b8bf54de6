"""A Footer that is rebuilt only when the keys it shows have changed, and not at once.

Textual's Footer removes and mounts all its keys whenever the bindings may have changed —
on every focus change. Typing a score moves the focus to the score field (whose letters and
digits then hide those keys) and Enter moves it back: two rebuilds and their whole-screen
layouts per score, on the way of the next key. This footer waits a moment after a change
and compares what it would show with what it shows: after "3 Enter" nothing has changed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

Shown = tuple[tuple[str, Binding, bool, str], ...]


def shown_keys(screen: Screen[object]) -> Shown:
    """What a Footer shows for the screen's active bindings (each binding, and its state)."""
    return tuple((key, binding, enabled, tooltip)
                 for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                 if binding.show)


# Seconds the bindings must hold still before the footer follows them: longer than the pause
# between a score's digit and its Enter when typed at a normal pace (a rebuild caught in
# between also held the Enter back: keys wait until the app is quiet, see key_gate.py)
SETTLE = 0.6


class SteadyFooter(Footer):
    """Its keys are built with the screen (Textual's Footer builds them after the screen's
    first frame, with two more layouts, just as the first key is typed), and followed later
    only if they change."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: Shown | None = None
        self._timer: Timer | None = None
        self.set_reactive(Footer._bindings_ready, True)

    def compose(self) -> ComposeResult:
        self._shown = shown_keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SETTLE, lambda: self._follow(screen))

    def _follow(self, screen: Screen[object]) -> None:
        self._timer = None
        if screen.app.screen_stack[-1:] != [screen] and self.is_attached:  # under another: not
            self._timer = self.set_timer(SETTLE, lambda: self._follow(screen))  # rebuilt now
            return  # (as Footer does, as keys come on the screen above), but when back on top
        shown = shown_keys(screen)
        if shown == self._shown:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # the rebuild below will show these
        super().bindings_changed(screen)

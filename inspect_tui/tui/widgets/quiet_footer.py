"""A Footer built again only when the keys it shows change.

Textual's Footer removes and mounts all its keys each time the screen's bindings may have
changed (a focus change, `refresh_bindings`), once per signal: the overview's was built three
times with the same keys as it was first drawn — each time a dozen widgets styled and a
layout, on the way of the first frame and of reading the inspection. This one compares what
it would show with what it shows when a rebuild comes. Its first keys still come after the
screen's first frame, as Textual's: only then does the table have the focus (and its Enter).
(The scoring screen's SteadyFooter also waits for its keys to hold still; the overview's
follow at once.)
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from inspect_tui.tui.widgets.steady_footer import Shown, shown_keys


class QuietFooter(Footer):
    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: Shown | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if self.compact and isinstance(widget, FooterKey):
                # as it will be once mounted (bound to the footer's `compact`): made so on
                # mounting, each key was styled again, half of building the footer
                widget.add_class("-compact", update=False)
            yield widget

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = shown_keys(self.screen)
        if shown == self._shown:
            return  # the same keys, in the same state: nothing to build
        self._shown = shown
        await super().recompose()

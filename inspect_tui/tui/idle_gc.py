"""Python's full garbage collections while keys are typed wait until the typing pauses.

A full (generation 2) collection scans every object not frozen: on the scoring screen some
70,000 (the widgets, their styles and caches, Textual's own), 40-130 ms on this machine, and
it comes every 20-30 moves, in the middle of whichever key made the allocation that tipped
it — the slowest few keys in a hundred were those. The collections of the young generations
(a few ms) are left as they are.

While the collector is `start`ed, the full collections Python would make on its own are put
off (up to `BURST_LIMIT` young collections: memory stays bounded however long the typing
goes on) and made when no key has come for `QUIET` seconds and none is being handled — a
pause a person takes to read, not one between keys (nor the wait for a screen to open:
the first keys typed on it come right after).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer

QUIET = 2.0  # seconds without a key after which a due full collection is made
CHECK = 0.25  # seconds between looks
DUE = 30  # young-generation collections since the last full one (Python's own: 10, and
# a quarter more objects than the last one left, which comes to about the same here)
BURST_LIMIT = 200  # ... after which Python makes a full collection itself, typing or not


class IdleCollector:
    def __init__(self, owner: MessagePump, quiet_since: Callable[[], float | None]) -> None:
        """`quiet_since()`: when (time.monotonic) the last key came, or None while keys are
        being handled."""
        self._owner = owner
        self._quiet_since = quiet_since
        self._threshold: tuple[int, int, int] | None = None
        self._timer: Timer | None = None

    def start(self) -> None:
        if self._threshold is not None:
            return
        self._threshold = gc.get_threshold()
        young, middle, _ = self._threshold
        gc.set_threshold(young, middle, BURST_LIMIT)
        self._timer = self._owner.set_interval(CHECK, self.collect_if_due, name="idle_gc")

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)
            self._threshold = None

    def collect_if_due(self) -> bool:
        """Make the full collection if one is due and the keys have paused (True if made)."""
        since = self._quiet_since()
        if (since is None or time.monotonic() - since < QUIET or not gc.isenabled()
                or gc.get_count()[2] < DUE):
            return False
        gc.collect()
        return True

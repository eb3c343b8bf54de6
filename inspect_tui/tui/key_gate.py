"""Type-ahead that lands where it was typed: keys reach the app one at a time.

Textual hands a key to the focused widget's own message queue and returns at once; the
widget, its parents and the bindings then act on it in several queues, and the screen may
still be showing the previous criterion (mounting its check boxes, say) when the next key
arrives. On a slow machine a digit typed after `n` then went to the criterion before.

The gate holds each key typed while anything the previous keys set off is still going on,
and hands it over only when every message queue of the app and the current screen is empty
and nothing is processing — so each key sees exactly the state the keys before it made, as
the person typing expected. When the app is quiet a key passes straight through; no key is
ever dropped or reordered.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterator

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

from inspect_tui.tui import key_trace

POLL = 0.002  # seconds between looks while the app is busy
PATIENCE = 15.0  # seconds after which a key goes through anyway (a stuck handler)


class KeyGate:
    def __init__(self, app: App[object], holding: Callable[[], bool] = lambda: False) -> None:
        """`holding()` is true while the app itself is not ready for keys (opening a
        workspace in a worker thread, say): keys wait for it too."""
        self._app = app
        self._holding = holding
        self._waiting: deque[events.Key] = deque()
        self._released: list[events.Key] = []
        self._task: asyncio.Task[None] | None = None
        self._last_key = time.monotonic()

    @property
    def busy(self) -> bool:
        """Keys are waiting, or the last one handed over has not settled yet."""
        return self._task is not None

    def quiet_since(self) -> float | None:
        """When (time.monotonic) the last key arrived; None while keys wait or the last
        one has not settled (idle work that would hold a key back waits for this)."""
        return None if self._task is not None else self._last_key

    def admit(self, event: events.Key) -> bool:
        """Called by the app for every key that arrives: True to handle it now."""
        self._last_key = time.monotonic()
        for i, released in enumerate(self._released):
            if released is event:
                del self._released[i]
                return True
        if self._task is None and self._quiet(arriving=True):
            if key_trace.active:
                key_trace.note("gate", f"{event.key} passed")
            self._task = asyncio.create_task(self._drain())  # settles before the next key
            return True
        if key_trace.active:
            key_trace.note("gate", f"{event.key} held")
        self._waiting.append(event)
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        return False

    async def _drain(self) -> None:
        try:
            while True:
                await self._settle()
                if not self._waiting:
                    return
                event = self._waiting.popleft()
                self._released.append(event)
                if key_trace.active:
                    key_trace.note("release", event.key)
                self._app.post_message(event)
        finally:
            self._task = None

    async def _settle(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PATIENCE
        calm = 0
        while calm < 2 and loop.time() < deadline:  # quiet twice in a row: nothing in flight
            await asyncio.sleep(0 if calm else POLL)
            calm = calm + 1 if self._quiet() else 0

    def _quiet(self, arriving: bool = False) -> bool:
        """Nothing queued or running anywhere on the current screen or in the app (while a
        key is `arriving`, the app is busy with that key itself)."""
        if self._holding():
            return False
        for pump in self._pumps():
            if pump._closing or pump._closed:
                continue
            allowed = 1 if arriving and pump is self._app else 0
            if _unfinished(pump) > allowed or pump._next_callbacks:
                return False
        return True

    def _pumps(self) -> Iterator[MessagePump]:
        yield self._app
        try:
            screen = self._app.screen
        except Exception:  # no screen yet, or between screens
            return
        yield from screen.walk_children(with_self=True)


def _unfinished(pump: MessagePump) -> int:
    """Messages put in the pump's queue and not yet fully handled (the one being handled
    included)."""
    queue: asyncio.Queue[object] = pump._message_queue
    unfinished = getattr(queue, "_unfinished_tasks", None)  # CPython's count of it
    return queue.qsize() if unfinished is None else int(unfinished)

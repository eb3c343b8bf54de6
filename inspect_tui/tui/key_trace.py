"""What the app did around each key, for finding out why a key was slow (off by default).

    INSPECT_TUI_TRACE_KEYS=/tmp/keys.tsv inspect-tui ...

writes, from the first scoring screen on (benchmarks/anchor_app.py: from its start), one
line per event: wall and CPU time (`time.perf_counter`, the same monotonic clock
in every process, so a benchmark's "key sent" times line up; `time.process_time`), the kind
of event, what, and how long it took (ms):

- `key` a key reached the app (`gate`: the key gate let it through or held it; `release`: a
  held key handed over);
- `frame` a frame written to the terminal (how long writing it took), `layout` a layout of the
  screen (how many widgets were placed);
- `gc` a garbage collection (generation, objects collected);
- `timer` a timer's callback (the screen's update timer draws the frames; the criterion
  text's idle pre-render, the footer's wait, the save pause are timers too);
- `msg` a message or event that took over `SLOW_MS` to handle (which widget, which message),
  `call` callbacks run after one (`call_next`: where a one-shot timer's callback runs);
- `note` anything the app says itself (`note("...")`).

Nothing is patched or measured unless the variable is set: `install` returns at once and
`active` stays False (callers check it before calling `note`).
"""

from __future__ import annotations

import atexit
import gc
import os
import time
from functools import partial
from typing import Any, TextIO

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer

ENV = "INSPECT_TUI_TRACE_KEYS"
SLOW_MS = 0.5  # messages handled faster than this are not written (there are thousands)

active = False
_out: TextIO | None = None
_patched: list[tuple[object, str, object]] = []  # (owner, name, what it was): for uninstall


def note(kind: str, what: str = "", ms: float | None = None) -> None:
    """One line of the trace (only when tracing: check `active` first, it costs nothing)."""
    if _out is not None:
        _out.write(f"{time.perf_counter():.6f}\t{time.process_time():.6f}\t{kind}\t{what}\t"
                   f"{'' if ms is None else f'{ms:.3f}'}\n")


def install(app: App[Any]) -> None:
    """Start tracing if the variable names a file (once per process)."""
    global active, _out
    path = os.environ.get(ENV)
    if not path or active:
        return
    _out = open(path, "a", encoding="utf-8", buffering=1 << 16)  # noqa: SIM115 (kept open)
    atexit.register(uninstall)
    active = True
    note("start", type(app).__name__)
    _trace_frames(app)
    _trace_layouts()
    _trace_timers()
    _trace_messages()
    gc.callbacks.append(_gc)


def uninstall() -> None:
    """Stop tracing, put back what was patched and close the file (at exit, or a test)."""
    global active, _out
    while _patched:
        owner, name, original = _patched.pop()
        setattr(owner, name, original)
    if _gc in gc.callbacks:
        gc.callbacks.remove(_gc)
    if _out is not None:
        _out.close()
    active, _out = False, None


def _patch(owner: object, name: str, replacement: object) -> None:
    _patched.append((owner, name, getattr(owner, name)))
    setattr(owner, name, replacement)


def _trace_frames(app: App[Any]) -> None:
    display = app._display

    def traced(screen: Screen[Any], renderable: Any) -> None:
        began = time.perf_counter()
        display(screen, renderable)
        if renderable is not None:
            size = getattr(renderable, "render_segments", None)
            note("frame", type(renderable).__name__ if size is None else "update",
                 (time.perf_counter() - began) * 1000)

    _patch(app, "_display", traced)


def _trace_layouts() -> None:
    refresh_layout = Screen._refresh_layout

    def traced(self: Screen[Any], size: Any = None, scroll: bool = False) -> None:
        began = time.perf_counter()
        refresh_layout(self, size, scroll)
        note("layout", f"{type(self).__name__} widgets={len(self._compositor.widgets)}"
             f"{' scroll' if scroll else ''}", (time.perf_counter() - began) * 1000)

    _patch(Screen, "_refresh_layout", traced)


def _callback_name(timer: Timer) -> str:
    callback = timer._callback
    if isinstance(callback, partial) and callback.args:  # set_timer: call_next(callback)
        callback = callback.args[-1]
    return _name(callback)


def _name(callback: object) -> str:
    owner = getattr(callback, "__self__", None)
    name = getattr(callback, "__qualname__", None) or repr(callback)
    return f"{type(owner).__name__}.{name.rsplit('.', 1)[-1]}" if owner is not None else name


def _trace_timers() -> None:
    tick = Timer._tick

    async def traced(self: Timer, *, next_timer: float, count: int) -> None:
        began = time.perf_counter()
        try:
            await tick(self, next_timer=next_timer, count=count)
        finally:
            note("timer", _callback_name(self) if self._callback else self.name,
                 (time.perf_counter() - began) * 1000)

    _patch(Timer, "_tick", traced)


def _trace_messages() -> None:
    dispatch = MessagePump._dispatch_message

    async def traced(self: MessagePump, message: Message) -> None:
        if isinstance(message, events.Key) and isinstance(self, App):
            note("key", message.key)
        began = time.perf_counter()
        try:
            await dispatch(self, message)
        finally:
            ms = (time.perf_counter() - began) * 1000
            if ms >= SLOW_MS:
                note("msg", f"{type(self).__name__} {type(message).__name__}", ms)

    _patch(MessagePump, "_dispatch_message", traced)
    flush = MessagePump._flush_next_callbacks

    async def flushed(self: MessagePump) -> None:
        names = [_name(c.callback) for c in self._next_callbacks]
        began = time.perf_counter()
        try:
            await flush(self)
        finally:
            ms = (time.perf_counter() - began) * 1000
            if names and ms >= SLOW_MS:
                note("call", " ".join(names), ms)

    _patch(MessagePump, "_flush_next_callbacks", flushed)


_gc_began = 0.0


def _gc(phase: str, info: dict[str, int]) -> None:
    global _gc_began
    if phase == "start":
        _gc_began = time.perf_counter()
    else:
        note("gc", f"gen{info['generation']} collected={info['collected']}",
             (time.perf_counter() - _gc_began) * 1000)

"""What an app did during its slowest keys: a benchmark's key times (sent, shown) joined with
the app's own trace (`INSPECT_TUI_TRACE_KEYS`, see inspect_tui/tui/key_trace.py).

Both use the same monotonic clock (`time.perf_counter`), so each trace line falls in the key
whose window (sent .. shown on the pane) holds it. `explain` prints, per app, what the slowest
tenth of keys had that the others had not (frames, layouts, garbage collections, timers that
ran, slow messages) and then each of those keys event by event.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

Key = tuple[str, float, float]  # (key, sent, shown)


@dataclass(frozen=True)
class Event:
    at: float
    cpu: float
    kind: str
    what: str
    ms: float | None


def read_trace(path: Path) -> list[Event]:
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        at, cpu, kind, what, ms = line.split("\t")
        events.append(Event(float(at), float(cpu), kind, what, float(ms) if ms else None))
    return sorted(events, key=lambda e: e.at)


def during(events: Sequence[Event], key: Key) -> list[Event]:
    """The app's events from the key's sending until the pane showed its effect (an event
    ends when it is written: a frame written a moment after the pane changed belongs to it)."""
    _, sent, shown = key
    return [e for e in events if sent <= e.at <= shown + 0.002]


def cpu_ms(events: Sequence[Event], key: Key) -> float:
    """The app's CPU time between its last event before the key and its last one by the
    time the key showed (its own clock, only stamped at events)."""
    _, sent, shown = key
    before = [e.cpu for e in events if e.at < sent]
    upto = [e.cpu for e in events if e.at <= shown + 0.002]
    return (upto[-1] - before[-1]) * 1000 if before and upto else 0.0


def _name(e: Event) -> str:
    if e.kind in ("timer", "msg"):
        return f"{e.kind} {e.what}"
    if e.kind == "gc":
        return f"gc {e.what.split()[0]}"
    return e.kind


def profile(events: Sequence[Event], keys: Sequence[Key]) -> dict[str, tuple[float, float]]:
    """Per kind of event: (how many per key, ms per key), averaged over `keys`."""
    count: Counter[str] = Counter()
    ms: defaultdict[str, float] = defaultdict(float)
    for key in keys:
        for e in during(events, key):
            count[_name(e)] += 1
            ms[_name(e)] += e.ms or 0.0
    n = max(1, len(keys))
    return {name: (count[name] / n, ms[name] / n) for name in count}


def explain(label: str, keys: Sequence[Key], events: Sequence[Event], share: float = 0.1,
            out: Callable[[str], None] = print, detail: int = 6) -> None:
    if not keys or not events:
        out(f"{label}: no keys or no trace")
        return
    ordered = sorted(keys, key=lambda k: k[2] - k[1])
    cut = max(1, round(len(ordered) * share))
    rest, tail = ordered[:-cut], ordered[-cut:]

    def took(ks: Sequence[Key]) -> str:
        return (f"{statistics.median([(k[2] - k[1]) * 1000 for k in ks]):.0f} ms, CPU "
                f"{statistics.median([cpu_ms(events, k) for k in ks]):.1f} ms") if ks else "-"

    out(f"{label}: slowest {len(tail)} of {len(ordered)} keys: median {took(tail)}; "
        f"the others {took(rest)}")
    fast, slow = profile(events, rest), profile(events, tail)
    out(f"  {'per key':46}{'others n':>9}{'ms':>8}{'slowest n':>11}{'ms':>8}")
    for name in sorted(set(fast) | set(slow), key=lambda n: -slow.get(n, (0, 0))[1]):
        f, s = fast.get(name, (0.0, 0.0)), slow.get(name, (0.0, 0.0))
        out(f"  {name[:46]:46}{f[0]:9.2f}{f[1]:8.1f}{s[0]:11.2f}{s[1]:8.1f}")
    for key in tail[-detail:]:
        name, sent, shown = key
        out(f"  key {name}: {(shown - sent) * 1000:.0f} ms, CPU {cpu_ms(events, key):.1f} ms")
        for e in during(events, key):
            ms = "" if e.ms is None else f"{e.ms:7.2f} ms"
            out(f"    +{(e.at - sent) * 1000:6.1f}  {e.kind:7} {e.what[:60]:60} {ms}")

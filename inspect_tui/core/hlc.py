"""Hybrid logical clock: timestamps that order events across laptops whose clocks disagree.

A timestamp is (wall milliseconds, counter). `tick` never goes backwards even if the wall
clock does (a laptop set years back keeps counting from the latest time it has seen), and
`observe` folds in timestamps from other devices, so an edit made after seeing another is
always ordered after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, order=True)
class HLC:
    wall: int  # milliseconds since the epoch
    counter: int = 0

    def encode(self) -> list[int]:
        return [self.wall, self.counter]

    @classmethod
    def decode(cls, raw: object) -> HLC:
        if (not isinstance(raw, list) or len(raw) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0
                           for x in raw)):
            raise ValueError(f"not a hybrid logical clock value: {raw!r}")
        return cls(raw[0], raw[1])

    def isoformat(self) -> str:
        """The wall part as local-independent ISO time, for people to read."""
        return datetime.fromtimestamp(self.wall / 1000, UTC).isoformat(timespec="seconds")


ZERO = HLC(0, 0)


def tick(last: HLC, now_ms: int) -> HLC:
    """The next local timestamp after `last`, given the wall clock `now_ms`."""
    if now_ms > last.wall:
        return HLC(now_ms, 0)
    return HLC(last.wall, last.counter + 1)


def observe(last: HLC, seen: HLC) -> HLC:
    """The clock after seeing a timestamp from elsewhere (it never moves backwards)."""
    return max(last, seen)

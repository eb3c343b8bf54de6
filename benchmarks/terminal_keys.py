"""Key-to-screen times in a real terminal: an app runs in tmux, a key is sent, and the pane is
read every few milliseconds until it shows the key's effect.

Used for the scoring screen and for the anchor app (benchmarks/anchor_app.py) alike, so both
are measured the same way in the same run. Keys are sent one at a time with a pause between
them, as a person types (bursts are the type-ahead tests' business).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass

POLL = 0.004  # seconds between reads of the pane
TIMEOUT = 30.0
BETWEEN_KEYS = 0.12  # a quick typist's pause


@dataclass
class Terminal:
    """One app in its own tmux server (its own socket: nothing else is touched)."""

    command: str
    width: int = 100
    height: int = 30

    def __post_init__(self) -> None:
        self.socket = f"inspect-bench-{os.getpid()}-{id(self)}"
        self.env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-u", "-L", self.socket, *args], capture_output=True,
                              text=True, env=self.env, check=True).stdout

    def __enter__(self) -> Terminal:
        self.tmux("new-session", "-d", "-s", "b", "-x", str(self.width), "-y",
                  str(self.height), self.command)
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "b")

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "b", *keys)

    def until(self, text: str | re.Pattern[str], since: float | None = None) -> float:
        """Seconds from `since` (now) until `text` (or a match of the pattern) is on the
        screen."""
        since = time.perf_counter() if since is None else since
        pattern = text if isinstance(text, re.Pattern) else re.compile(re.escape(text))
        while not pattern.search(self.screen()):
            if time.perf_counter() - since > TIMEOUT:
                raise TimeoutError(f"{text!r} never showed:\n{self.screen()}")
            time.sleep(POLL)
        return time.perf_counter() - since

    def key_to_screen(self, key: str, shows: str | re.Pattern[str]) -> float:
        """Send one key; seconds until `shows` is on the screen."""
        time.sleep(BETWEEN_KEYS)
        began = time.perf_counter()
        self.send(key)
        return self.until(shows, began)


def pane_heading(item_id: str) -> re.Pattern[str]:
    """The first line of the right-hand pane showing this item (right of the tree's border;
    a long title may wrap to the next line, so only the id is matched)."""
    return re.compile(rf"▕ {re.escape(item_id)}(?: |$)", re.M)


def walk(headings: Sequence[re.Pattern[str]], start: int,
         moves: int) -> list[tuple[str, re.Pattern[str]]]:
    """(key, heading shown after it): j down `moves` / 2 lines from `start` (or to the end),
    then k back up to `start`."""
    k = min(moves // 2, len(headings) - 1 - start)
    down = [("j", headings[start + n]) for n in range(1, k + 1)]
    return down + [("k", headings[start + k - n]) for n in range(1, k + 1)]

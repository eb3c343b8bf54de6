"""Key-to-screen times in a real terminal: an app runs in tmux, a key is sent, and the time
until the pane shows the key's effect is taken.

Used for the scoring screen and for the anchor app (benchmarks/anchor_app.py) alike, so both
are measured the same way in the same run. Keys are sent one at a time with a pause between
them, as a person types (bursts are the type-ahead tests' business).

How the pane is watched (`observer`):

- "control" (the default): one long-lived tmux control-mode client (`tmux -C attach`) sends
  the keys and reads the pane (`capture-pane` through the same client, no process started
  per look). tmux reports every write of the app to its pane as a `%output` line; the pane is
  read only after such a write, and a key's time is taken at the last write that arrived
  before the read that showed its effect — the moment the pane got the drawing that shows
  it. Between keys the observer costs nothing, so it does not compete with the app for the
  CPU while the app works on a key.
- "poll" (the earlier harness): `tmux capture-pane` in a fresh process every 4 ms, and a
  fresh `tmux send-keys` per key; the time runs from just before that process starts until
  a read shows the effect. On a 2-core machine each of those processes competes with the
  app being measured, and their start-up is counted in every figure.

Both take the same thing — a key sent, until the pane holds the key's effect — for
whichever app runs in the pane.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

POLL = 0.004  # seconds between reads of the pane ("poll")
TIMEOUT = 30.0
BETWEEN_KEYS = 0.12  # a quick typist's pause


@dataclass
class Terminal:
    """One app in its own tmux server (its own socket: nothing else is touched)."""

    command: str
    width: int = 100
    height: int = 30
    observer: str = "control"

    def __post_init__(self) -> None:
        self.socket = f"inspect-bench-{os.getpid()}-{id(self)}"
        self.env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        self._control: Control | None = None
        self.keys: list[tuple[str, float, float]] = []  # (key, sent, shown): perf_counter

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-u", "-L", self.socket, *args], capture_output=True,
                              text=True, env=self.env, check=True).stdout

    def __enter__(self) -> Terminal:
        # window-size manual: the control client's own size must not resize the pane
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", str(self.width),
                  "-y", str(self.height), self.command, ";",
                  "set-option", "-g", "window-size", "manual")
        if self.observer == "control":
            self._control = Control(["tmux", "-u", "-L", self.socket, "-C", "attach",
                                     "-t", "b"], self.env)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._control is not None:
            self._control.close()
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)

    def screen(self) -> str:
        if self._control is not None:
            return self._control.command("capture-pane -p -t b")[0]
        return self.tmux("capture-pane", "-p", "-t", "b")

    def send(self, *keys: str) -> None:
        if self._control is not None:
            self._control.command("send-keys -t b " + " ".join(keys))
        else:
            self.tmux("send-keys", "-t", "b", *keys)

    def until(self, text: str | re.Pattern[str], since: float | None = None) -> float:
        """Seconds from `since` (now) until `text` (or a match of the pattern) is on the
        screen."""
        since = time.perf_counter() if since is None else since
        pattern = text if isinstance(text, re.Pattern) else re.compile(re.escape(text))
        if self._control is not None:
            return self._control.until(pattern, since) - since
        while not pattern.search(self.screen()):
            if time.perf_counter() - since > TIMEOUT:
                raise TimeoutError(f"{text!r} never showed:\n{self.screen()}")
            time.sleep(POLL)
        return time.perf_counter() - since

    def key_to_screen(self, key: str, shows: str | re.Pattern[str]) -> float:
        """Send one key; seconds until `shows` is on the screen."""
        time.sleep(BETWEEN_KEYS)
        if self._control is not None:
            self._control.settle()
        began = time.perf_counter()
        self.send(key)
        took = self.until(shows, began)
        self.keys.append((key, began, began + took))
        return took


class Control:
    """A tmux control-mode client: commands in, their replies and `%output` notes out (read
    by a thread that stamps each line with the time it arrived)."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self._process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env=env)
        self._replies: queue.Queue[tuple[str, float]] = queue.Queue()
        self._output = threading.Event()  # the pane was written to since the last read
        self.last_output = 0.0  # when the latest write was reported
        threading.Thread(target=self._read, daemon=True).start()
        self._replies.get(timeout=TIMEOUT)  # the reply to attaching

    def _read(self) -> None:
        assert self._process.stdout is not None
        reply: list[str] | None = None
        as_of = 0.0
        for raw in self._process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if reply is not None:
                if line.startswith(("%end ", "%error ")):
                    self._replies.put(("\n".join(reply), as_of))
                    reply = None
                else:
                    reply.append(line)
            elif line.startswith("%begin "):
                # what the reply shows was on the pane by the latest write reported before it
                reply, as_of = [], self.last_output
            elif line.startswith("%output "):
                self.last_output = time.perf_counter()
                self._output.set()
            elif line.startswith("%exit"):
                break
        self._replies.put(("", 0.0))  # the client ended: wake whoever waits

    def command(self, line: str) -> tuple[str, float]:
        """Run a tmux command; (its output, when the pane last changed before it ran)."""
        assert self._process.stdin is not None
        self._process.stdin.write(line.encode() + b"\n")
        self._process.stdin.flush()
        return self._replies.get(timeout=TIMEOUT)

    def settle(self) -> None:
        """Forget writes so far: the next read waits for a new one."""
        self._output.clear()

    def until(self, pattern: re.Pattern[str], since: float) -> float:
        """When the pane first showed `pattern` (looking once now, then after each write)."""
        while True:
            self._output.clear()
            screen, as_of = self.command("capture-pane -p -t b")
            if pattern.search(screen):
                return max(as_of, since)
            if not self._output.wait(max(0.0, since + TIMEOUT - time.perf_counter())):
                raise TimeoutError(f"{pattern.pattern!r} never showed:\n{screen}")

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


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

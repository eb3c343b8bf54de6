"""A merge's per-entry checks made in a child process, on the machine's second core.

A large merge spends about a quarter of its time checking its sources' entries: every hash
made again, every record ID derived again (core.vetting). Those checks need only the source's own
bytes, so as each source is read its database files go to a child process
(`python -m inspect_tui.store.merge_vetter`), which parses them with the same code and answers
with the positions of the entries that fail. The planner (core.merge) takes an answer that is
in when it reaches a source and checks the source itself otherwise: nothing ever waits on the
child. The child takes the source sent last first, so the two processes work from opposite ends
and meet in the middle.

Only merges of two sources or more whose databases will come to MIN_BYTES (as far as the
sources read so far tell) start a child: a smaller one is over before the child has started,
and one source is planned as soon as it is read. A child that cannot start,
dies or answers about another list only means the checks are made here; it is stopped once the
plan is made. The child writes nothing, and the private keys never reach it.
"""

from __future__ import annotations

import contextlib
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import BinaryIO

from inspect_tui.child_process import PIPE_BYTES, spawn
from inspect_tui.core.vetting import Vetted, vet

MIN_BYTES = 3 << 20  # the sources' databases, all told, for a child to be worth starting
# (~4,000 entries: a merge of fewer is over in ~0.2 s, about as long as a child takes to start)
Files = dict[str, bytes]  # a source's database files (as merge_sources reads them) -> bytes
Message = tuple[int, str, Files]  # (source number, inspection id, files)


class Vetter:
    """The parent's end: `submit` each source's files as read, ask for the answer later."""

    def __init__(self, inspection_id: str, sources: int) -> None:
        self.inspection_id = inspection_id
        self.sources = sources  # how many will be submitted (some may be skipped)
        self._count = 0  # sources submitted
        self._bytes = 0
        self._held: list[Message] = []  # sources read before the child is started
        self._answers: dict[int, Vetted] = {}  # filled by the reader thread
        self._proc: subprocess.Popen[bytes] | None = None
        self._outbox: list[Message | None] = []
        self._ready = threading.Condition()
        self._threads: list[threading.Thread] = []
        # one source is planned as soon as it is read: no time for a child to answer
        self._given_up = sources < 2

    def submit(self, files: Files) -> Callable[[], Vetted | None]:
        """Hand over a source's files; returns what asks for the child's answer about them."""
        key, self._count = self._count, self._count + 1
        self._bytes += sum(map(len, files.values()))
        message = (key, self.inspection_id, files)
        if self._proc is not None:
            self._post(message)
        elif self._given_up:
            pass
        elif self._bytes * self.sources < MIN_BYTES * self._count:  # (as the first ones go)
            self._held.append(message)
        else:
            self._start([*self._held, message])
            self._held.clear()
        return lambda: self._answers.get(key)

    def _post(self, message: Message | None) -> None:
        with self._ready:
            self._outbox.append(message)
            self._ready.notify()

    def _start(self, first: list[Message]) -> None:
        try:
            self._proc = spawn("inspect_tui.store.merge_vetter")
        except OSError:
            self._given_up = True  # the checks are made here (and no second try)
            return
        for message in first:
            self._post(message)
        self._threads = [threading.Thread(target=self._write, daemon=True),
                         threading.Thread(target=self._read, daemon=True)]
        for thread in self._threads:
            thread.start()

    def _write(self) -> None:
        """A thread: a full pipe never holds up reading and planning."""
        assert self._proc is not None and self._proc.stdin is not None
        stdin = self._proc.stdin
        while True:
            with self._ready:
                self._ready.wait_for(lambda: bool(self._outbox))
                message = self._outbox.pop(0)
            if message is None:
                break
            try:
                pickle.dump(message, stdin, protocol=pickle.HIGHEST_PROTOCOL)
                stdin.flush()
            except (OSError, ValueError):  # the child ended (or was stopped)
                break
        with contextlib.suppress(OSError, ValueError):
            stdin.close()

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        stdout = self._proc.stdout
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError,
                                 pickle.UnpicklingError):
            while True:
                key, answer = pickle.load(stdout)
                if isinstance(key, int) and isinstance(answer, Vetted):
                    self._answers[key] = answer

    def close(self) -> None:
        """Stop the child: its answers are no longer wanted once the plan is made."""
        proc, self._proc = self._proc, None
        self._held.clear()
        if proc is None:
            return
        self._post(None)
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for thread in self._threads:
            thread.join(timeout=5)
        if proc.stdout is not None:
            with contextlib.suppress(OSError):
                proc.stdout.close()


# ---- the child -----------------------------------------------------------------------------

def _answer(inspection_id: str, files: Files) -> Vetted | None:
    from inspect_tui.store.merge_sources import histories

    try:
        entries = histories(files, str, "-", inspection_id)
    except Exception:  # a damaged file: the parent says so when it parses the same bytes
        return None
    return vet(entries, inspection_id)


def main() -> None:
    stdin: BinaryIO = open(sys.stdin.fileno(), "rb", buffering=PIPE_BYTES,  # noqa: SIM115
                           closefd=False)
    stdout = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    inbox: list[Message] = []
    state = {"done": False}
    ready = threading.Condition()

    def read() -> None:
        try:
            while (message := pickle.load(stdin)) is not None:
                with ready:
                    inbox.append(message)
                    ready.notify()
        except (OSError, EOFError, pickle.UnpicklingError):
            pass
        with ready:
            state["done"] = True
            ready.notify()

    threading.Thread(target=read, daemon=True).start()
    import inspect_tui.store.merge_sources  # noqa: F401  (while the first files come in)

    while True:
        with ready:
            ready.wait_for(lambda: bool(inbox) or state["done"])
            if not inbox:
                return
            key, inspection_id, files = inbox.pop()  # the last sent: the planner's far end
        answer = _answer(inspection_id, files)
        if answer is not None:
            pickle.dump((key, answer), stdout, protocol=pickle.HIGHEST_PROTOCOL)
            stdout.flush()


if __name__ == "__main__":
    main()

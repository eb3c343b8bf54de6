"""report.pdf laid out in a second process, alongside the QR codes and the HTML in this one.

A large export spends most of its time in one core: reportlab's import and fonts, the layout,
the QR codes and the HTML one after another. The machines the teams use have two cores or
more, so the PDF goes to a child process (`python -m inspect_tui.export.pdf_worker`), started
before report.json is signed: it imports reportlab and parses the fonts meanwhile, then lays
the report out while the QR codes stream in, in the order the pages need them (a record's
code is waited for only when the layout reaches it). The private key never leaves this
process: the child returns the unsigned PDF, signed here (export.pdf_sign).

The layout needs the widest code's width before the first code exists; it is predicted from
the longest QR text (every record's text is of one kind, so the longest needs the largest
version), and checked once all codes are in: were it wrong, the child lays the report out
again with the real codes, so the pages are always those an in-process build makes.
A child that cannot start or fails other than with a user-facing error makes the caller build
in-process instead (`result` returns None).
"""

from __future__ import annotations

import contextlib
import pickle
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from inspect_tui.child_process import PIPE_BYTES, spawn
from inspect_tui.core.errors import InspectError
from inspect_tui.core.report import Report
from inspect_tui.core.report_cover import Letterhead
from inspect_tui.export.qr_images import QrCode

MIN_RECORDS = 150  # below this, a second process costs more than it saves
BATCH = 24  # codes per message


@dataclass(frozen=True)
class Job:
    language: str
    report: Report
    head: Letterhead
    cover: QrCode
    modules: int  # the predicted largest record code's modules per side


class PdfWorker:
    """The parent's end: start, send the job and the codes, take the PDF back."""

    def __init__(self) -> None:
        self._proc = spawn("inspect_tui.export.pdf_worker")
        self._batch: list[tuple[str, QrCode]] = []
        self._alive = True

    def _send(self, message: object) -> None:
        if not self._alive:
            return
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            pickle.dump(message, stdin, protocol=pickle.HIGHEST_PROTOCOL)
            stdin.flush()
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            self._alive = False  # the child ended early, or a message could not be sent

    def start_job(self, job: Job) -> None:
        self._send(job)

    def add_code(self, record_id: str, code: QrCode) -> None:
        self._batch.append((record_id, code))
        if len(self._batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            self._send(self._batch)
            self._batch = []

    def result(self) -> bytes | None:
        """The unsigned PDF; raises the child's user-facing error; None: build in-process."""
        self.flush()
        self._send(None)  # no more codes
        try:
            if not self._alive:
                return None
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.close()  # a child still reading sees the end, never waits
            kind, value = pickle.load(self._proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            return None
        finally:
            self.close()
        if kind == "error":
            raise value
        return value if kind == "pdf" else None

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None and not pipe.closed:
                with contextlib.suppress(OSError):
                    pipe.close()


def predicted_modules(texts: Sequence[str], code_of: Mapping[str, QrCode]) -> int:
    """Modules per side of the code of the longest text (made already, in `code_of`)."""
    return code_of[max(texts, key=len)].modules if texts else 0


# ---- the child -----------------------------------------------------------------------------

class _Codes(Mapping[str, QrCode]):
    """Record codes as they arrive: a reader thread drains the pipe (so the parent never
    waits on it), and a code not yet in is waited for."""

    def __init__(self, stream: BinaryIO) -> None:
        self.known: dict[str, QrCode] = {}
        self.done = False
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: BinaryIO) -> None:
        try:
            while (batch := pickle.load(stream)) is not None:
                with self._ready:
                    self.known.update(batch)
                    self._ready.notify_all()
        except (OSError, EOFError, pickle.UnpicklingError):
            pass
        with self._ready:
            self.done = True
            self._ready.notify_all()

    def wait(self, record_id: str) -> QrCode:
        with self._ready:
            self._ready.wait_for(lambda: record_id in self.known or self.done)
            return self.known[record_id]  # KeyError if the parent never sent it

    def finish(self) -> dict[str, QrCode]:
        self._thread.join()
        return self.known

    def __getitem__(self, record_id: str) -> QrCode:
        return _Pending(self, record_id)  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return iter(self.finish())

    def __len__(self) -> int:
        return len(self.finish())


class _Pending:
    """A record's code before it has arrived: any look at it waits for it."""

    def __init__(self, codes: _Codes, record_id: str) -> None:
        self._codes, self._record_id = codes, record_id

    def __getattr__(self, name: str) -> Any:
        return getattr(self._codes.wait(self._record_id), name)


def _lay_out(job: Job, stream: BinaryIO) -> bytes:
    from inspect_tui.core.i18n import set_language
    from inspect_tui.export.pdf import build_pdf
    from inspect_tui.export.pdf_parts import qr_side

    set_language(job.language)
    codes = _Codes(stream)
    width = qr_side(QrCode("", job.modules, b""))
    data = build_pdf(job.report, codes, job.cover, job.head, qr_width=width)
    arrived = codes.finish()
    if max((qr_side(c) for c in arrived.values()), default=0.0) != width:
        data = build_pdf(job.report, arrived, job.cover, job.head)  # mispredicted: exact
    return data


def main() -> None:
    # One read takes whatever the (widened) pipe holds: each read must win the GIL back from
    # the layout thread, so few large reads rather than many 8 kB ones.
    stdin = open(sys.stdin.fileno(), "rb", buffering=PIPE_BYTES, closefd=False)  # noqa: SIM115
    stdout = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the reply
    warm_error: InspectError | None = None
    try:  # while the parent signs report.json
        from inspect_tui.core.i18n import catalogue
        from inspect_tui.export import pdf  # noqa: F401  (reportlab)
        from inspect_tui.export.report_fonts import report_fonts

        catalogue()  # the messages (their TOML parsed, without a cache: ~0.1 s) before the job
        report_fonts()
    except InspectError as exc:  # e.g. no CJK font: said once the job arrives
        warm_error = exc
    job = pickle.load(stdin)
    try:
        if warm_error is not None:
            raise warm_error
        reply: tuple[str, object] = ("pdf", _lay_out(job, stdin))
    except InspectError as exc:
        reply = ("error", exc)
    except Exception as exc:
        reply = ("failed", repr(exc))
    pickle.dump(reply, stdout, protocol=pickle.HIGHEST_PROTOCOL)
    stdout.flush()


if __name__ == "__main__":
    main()

"""Our own modules run as helper processes on the machine's other cores (the PDF layout of an
export, the checks of a merge's sources): the same interpreter, this package importable, and
the current folder not on the module path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO

PIPE_BYTES = 1 << 20  # a widened pipe (see widen)


def spawn(module: str) -> subprocess.Popen[bytes]:
    """`python -P -m module` with pipes for stdin and stdout; OSError if it cannot start."""
    if getattr(sys, "frozen", False):  # a bundled app: no interpreter to run a module
        raise OSError("no Python interpreter")
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])  # where inspect_tui is importable
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    # -P: the current folder is not put first on the module path (a folder holding an
    # `inspect_tui` must not run in the child). Its errors come back through its replies.
    proc = subprocess.Popen([sys.executable, "-P", "-m", module], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    widen(proc.stdin)
    return proc


def widen(pipe: IO[bytes] | None) -> None:
    """A 1 MB pipe (Linux; 64 kB by default): a child's reader thread takes the GIL back from
    its work only every few milliseconds, so with the default pipe the writer waits on a full
    pipe (960 records' QR codes for the PDF layout are ~11 MB: most of a second waited)."""
    if pipe is None:
        return
    try:
        import fcntl  # not on Windows

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # elsewhere, or above pipe-max-size
        pass

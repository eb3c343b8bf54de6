"""Pausing Python's cyclic garbage collector while many long-lived objects are built.

Opening or merging an inspection builds tens of thousands of objects that live as long as the
inspection (entries, their changes, field states), and each generational collection re-scans
all of them: with the collector on, opening 10,000 records took a third longer and a 20-source
merge about twice as long. Reference counting still frees everything meanwhile.

Un-pausing alone is not free: every object made meanwhile is still in the youngest generation,
so the first collection after it scans them all (~0.4 s after a 20-source merge). With `keep`
they are frozen instead, which costs nothing; a merge leaves only a few dozen objects in cycles
that a collection would have freed.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused(*, keep: bool = False) -> Iterator[None]:
    """Pause the collector; with `keep`, what exists afterwards is moved out of its reach
    (`gc.freeze`: the loaded inspection is never scanned again while the app runs)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()

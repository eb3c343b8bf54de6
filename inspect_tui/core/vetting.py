"""The per-entry checks of a merge source that a second process can make for the planner.

Checking a source before its entries are merged is mostly hashing: each entry's body is
serialised and hashed again, and each record entry's ID derived again from its site and
criterion. Neither needs the destination, so store/merge_vetter.py has a child process make
them, on the machine's second core, while this one reads and plans; the planner uses an answer
that is there when it reaches a source and checks the source itself otherwise.

The answer names entries by their position in the source's entry list, which both processes
parse with the same code from the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from inspect_tui.core.history import Entry, hash_holds
from inspect_tui.core.record_id import make_record_id

RECORD_KINDS = ("record", "rectify")  # entities named by a record ID (rectify: its 整改 ledger)


@dataclass(frozen=True)
class Vetted:
    count: int  # entries checked: an answer for a list of another length is not used
    bad_hashes: tuple[int, ...] = ()  # positions of entries whose hash does not hold
    bad_ids: tuple[int, ...] = ()  # record entries whose ID does not derive from their context

    def about(self, entries: Sequence[Entry]) -> bool:
        """An answer about a list as long as `entries`, naming only places in it."""
        return self.count == len(entries) and all(
            0 <= i < self.count for i in (*self.bad_hashes, *self.bad_ids))


# A source's answer from the other process, asked for when the planner reaches the source
# (None: not in yet, or no other process; the planner then checks the source itself)
Vetting = Callable[[], Vetted | None]


def id_derives(e: Entry, inspection_id: str) -> bool:
    """A record entry's ID is the one its context's site and criterion derive (any other
    entity: True)."""
    kind, _, name = e.entity.partition(":")
    if kind not in RECORD_KINDS:
        return True
    return name == make_record_id(inspection_id, e.context.get("site", ""),
                                  e.context.get("criterion", ""))


def vet(entries: Sequence[Entry], inspection_id: str) -> Vetted:
    return Vetted(len(entries),
                  tuple(i for i, e in enumerate(entries) if not hash_holds(e)),
                  tuple(i for i, e in enumerate(entries) if not id_derives(e, inspection_id)))

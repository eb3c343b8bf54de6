"""Errors of merging and packing: a refused merge, and a source skipped for a reason."""

from __future__ import annotations

from inspect_tui.store.errors import StoreError


class MergeRefused(StoreError):
    """The whole merge is refused before anything is written (e.g. another inspection)."""


class SourceSkipped(StoreError):
    """One source cannot be used (damaged, tampered, badly signed): it is skipped whole."""

    signature = ""  # the signature state to report, when the signature is what failed


class InvalidSignature(SourceSkipped):
    signature = "invalid"


class SourceChanged(StoreError):
    """A source changed between being checked and being copied: the merge stops, unwritten."""


class PackError(StoreError):
    """Making a pack failed (nothing was written at the destination path)."""


class ConflictError(StoreError):
    """No such open conflict, or a value that does not fit the field."""

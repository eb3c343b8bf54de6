"""Export errors: one paragraph naming the file and the problem; exit code 2."""

from __future__ import annotations

from inspect_tui.core.errors import InspectError


class ExportError(InspectError):
    pass


class EvidenceMissingError(ExportError):
    """An evidence file of a record is gone or no longer hashes to its name."""


class FontNotFoundError(ExportError):
    """No embeddable CJK font with Latin letters and digits was found."""


class VerifyInputError(InspectError):
    """A verify argument that is neither a report, an image nor QR text (or cannot be read)."""

"""Messages the app's workers and screens send each other (small dataclasses)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual.message import Message

from inspect_tui.store.inspection import Inspection
from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.site_rows import SiteRow


@dataclass
class WorkspaceOpened(Message):
    """The workspace is open (its lock held); it holds these inspections."""

    workspace: Workspace
    inspection_ids: list[str]


@dataclass
class OverviewPreviewed(Message):
    """The overview's rows from the summary (store/summary.py), while the inspection is read."""

    rows: list[SiteRow]
    grades: tuple[str, ...]  # the checklist's grades, in its order (the checklist is not read)
    title: str
    drawn: threading.Event  # set once the overview is drawn: the worker reads on then


@dataclass
class InspectionLoaded(Message):
    """An inspection is read and its overview rows computed (None: the rows previewed stand);
    the UI thread owns it from now."""

    workspace: Workspace
    inspection: Inspection
    rows: list[SiteRow] | None


@dataclass
class OpenFailed(Message):
    """The workspace or inspection could not be opened; `text` is the one-paragraph reason."""

    text: str

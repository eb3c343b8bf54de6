"""The evidence part of the scoring form: the list, and attach / caption / detach.

Each change is saved at once through the session (and can be undone); the panel then shows
the record anew and posts `Changed` so the screen updates its save indicator.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.message import Message
from textual.widgets import Label

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.records import Record
from inspect_tui.tui.screens.confirm import ConfirmDialog
from inspect_tui.tui.screens.evidence_dialog import EvidenceDialog
from inspect_tui.tui.screens.prompt import PromptDialog
from inspect_tui.tui.session import Session
from inspect_tui.tui.widgets.evidence_list import EvidenceList
from inspect_tui.tui.widgets.one_layout import OneLayout


class EvidencePanel(VerticalGroup, OneLayout):
    @dataclass
    class Changed(Message):
        record: Record

    def __init__(self, session: Session) -> None:
        super().__init__(id="evidence-panel")
        self.session = session
        self.key: tuple[str, str] | None = None
        self.record: Record | None = None

    def compose(self) -> ComposeResult:
        refs = self.record.evidence if self.record else ()
        yield Label(t("tui.evidence.heading", count=len(refs)), classes="group-label")
        yield EvidenceList(refs, id="evidence")

    async def show(self, site_id: str, criterion_id: str) -> None:
        shown = self.record.evidence if self.record else None
        self.key = (site_id, criterion_id)
        self.record = self.session.record(site_id, criterion_id)
        if self.record.evidence != shown:  # most criteria have none: nothing to rebuild
            await self.recompose()

    def attach(self, start: Path) -> None:
        key = self.key
        assert key is not None

        def attach(path: Path, caption: str) -> None:
            self.session.attach(*key, path, caption)

        self.app.push_screen(EvidenceDialog(start, attach), self._changed)

    @on(EvidenceList.CaptionRequested)
    def _caption_requested(self, event: EvidenceList.CaptionRequested) -> None:
        ref, key = event.ref, self.key
        assert key is not None

        def caption(text: str) -> None:
            self.session.caption(*key, ref, text)

        self.app.push_screen(PromptDialog(t("tui.evidence.caption_title", name=ref.name),
                                          ref.caption, caption), self._changed)

    @on(EvidenceList.DetachRequested)
    def _detach_requested(self, event: EvidenceList.DetachRequested) -> None:
        ref, key = event.ref, self.key
        assert key is not None

        async def detach(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.session.detach(*key, ref)
            except InspectError as exc:
                self.notify(str(exc), severity="error", timeout=15)
            else:
                await self._changed(True)  # the list shows it gone

        self.app.push_screen(ConfirmDialog(t("tui.evidence.detach_title"),
                                           t("tui.evidence.detach_text", name=ref.name)),
                             detach)

    async def _changed(self, changed: object) -> None:
        if changed is None or changed is False or self.key is None:
            return
        await self.show(*self.key)
        assert self.record is not None
        self.post_message(self.Changed(self.record))

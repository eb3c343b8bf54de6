"""The lead's merge: pick the laptops' folders or packs by path, merge, read the summary.

The merge runs in a worker thread (it reads every source, hashes every entry and writes many
files); the screen stays up while it runs, so nothing else touches the store meanwhile, and
the worker posts its progress and its result as messages. Escape while it runs cancels it at
the next step: before the journal is written nothing has changed (see store/merge_txn.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.sshsig import AllowedSigner
from inspect_tui.merge_view import report_notes, report_table
from inspect_tui.store import trust
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.merge import merge_into
from inspect_tui.store.merge_report import MergeReport
from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.screens.confirm import ConfirmDialog
from inspect_tui.tui.text import HEADER_ICON, literal
from inspect_tui.tui.widgets.path_suggester import PathSuggester


class MergeCancelled(Exception):
    """Raised in the worker's progress callback once the lead cancelled."""


class MergeScreen(Screen[bool]):
    """Dismissed with whether the inspection changed."""

    CSS_PATH = "merge.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run", "tui.key.merge_run"),
        Binding("delete", "remove", "tui.key.merge_remove"),
        Binding("escape", "back", "tui.key.back"),
    ]

    @dataclass
    class Progress(Message):
        done: int
        total: int
        text: str

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, MergeScreen.Progress)

    @dataclass
    class Finished(Message):
        report: MergeReport | None  # None when the merge was refused, failed or cancelled
        problem: str = ""

    def __init__(self, workspace: Workspace, inspection: Inspection) -> None:
        super().__init__()
        localize_bindings(self)
        self.workspace = workspace
        self.inspection = inspection
        self.sources: list[Path] = []
        self.report: MergeReport | None = None  # of the last merge
        self.changed = False
        self._worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        with Vertical(id="merge-body"):
            yield Label(t("merge.tui.sources"), classes="heading")
            yield Input(id="merge-path", placeholder=t("merge.tui.path_hint"),
                        suggester=PathSuggester())
            yield OptionList(id="merge-sources")
            yield Input(id="merge-trusted", placeholder=t("merge.tui.trusted_hint"),
                        suggester=PathSuggester())
            yield ProgressBar(id="merge-progress", show_eta=False)
            yield Label(id="merge-step")
            with VerticalScroll(id="merge-result"):
                yield Static(id="merge-summary")
                yield Static(id="merge-notes")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("merge.tui.title", inspection=self.inspection.title)
        self.query_one("#merge-path", Input).focus()

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.is_running

    def _say(self, text: str, problem: bool = False) -> None:
        step = self.query_one("#merge-step", Label)
        step.update(literal(text))  # it may quote a path or an error
        step.set_class(problem, "problem")

    # ---- picking sources -----------------------------------------------------------------

    @on(Input.Submitted, "#merge-path")
    def add_source(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            return
        path = Path(event.value.strip()).expanduser()
        if not path.exists():
            self._say(t("merge.no_source", source=str(path)), problem=True)
            return
        if path not in self.sources:
            self.sources.append(path)
            self.query_one(OptionList).add_option(literal(str(path)))
        event.input.value = ""
        self._say(t("merge.tui.ready", count=len(self.sources)))

    def action_remove(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if self.running or index is None:
            return
        del self.sources[index]
        options.remove_option_at_index(index)

    # ---- merging (worker thread) ---------------------------------------------------------

    def action_run(self) -> None:
        if self.running:
            return
        if not self.sources:
            self._say(t("merge.tui.no_sources"), problem=True)
            return
        typed = self.query_one("#merge-trusted", Input).value.strip()
        trusted = Path(typed).expanduser() if typed else None
        if trusted is not None:  # that list alone decides, as on the command line
            self._start(trusted, None)
            return
        # Without one, the workspace's own list does; packs by new signers wait for the lead
        # to compare their fingerprints and say yes (store/trust.py).
        root = self.workspace.root
        try:
            known = trust.load(root)
            new = trust.new_signers(self.sources, known)
        except InspectError as exc:
            self._say(str(exc), problem=True)
            return
        if not new:
            self._start(None, known)
            return

        def answered(yes: bool | None) -> None:
            try:
                if yes:
                    trust.add(root, [s.line() for s in new])
                self._start(None, trust.load(root))
            except InspectError as exc:
                self._say(str(exc), problem=True)

        lines = "\n".join(t("team.tui.signer_line", name=s.name, fingerprint=s.fingerprint,
                             sources="、".join(s.sources)) for s in new)
        self.app.push_screen(ConfirmDialog(t("team.tui.signers_title"),
                                           t("team.tui.signers_body", signers=lines)), answered)

    def _start(self, trusted: Path | None, known: list[AllowedSigner] | None) -> None:
        self.query_one("#merge-summary", Static).update("")
        self.query_one("#merge-notes", Static).update("")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._worker = self.merge(list(self.sources), trusted, known)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def merge(self, sources: list[Path], trusted: Path | None,
              known: list[AllowedSigner] | None = None) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int, text: str) -> None:
            if worker.is_cancelled and done < total:
                raise MergeCancelled
            self.post_message(self.Progress(done, total, text))

        try:
            report = merge_into(self.workspace, sources, inspection_id=self.inspection.id,
                                trusted=trusted, progress=progress, known=known)
        except MergeCancelled:
            self.post_message(self.Finished(None, t("merge.tui.cancelled")))
        except InspectError as exc:
            self.post_message(self.Finished(None, str(exc)))
        else:
            self.post_message(self.Finished(report))

    @on(Progress)
    def _progress(self, event: Progress) -> None:
        self.query_one(ProgressBar).update(total=event.total, progress=event.done)
        self._say(event.text)

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        if event.report is None:
            self._say(event.problem, problem=True)
            return
        self.report = event.report
        self.changed |= event.report.changed
        self._say(t("merge.tui.done"))
        self.query_one("#merge-summary", Static).update(report_table(event.report))
        self.query_one("#merge-notes", Static).update(
            literal("\n".join(report_notes(event.report))))

    def action_back(self) -> None:
        if self._worker is not None and self.running:
            self._worker.cancel()
            self._say(t("merge.tui.cancelling"))
            return
        self.dismiss(self.changed)

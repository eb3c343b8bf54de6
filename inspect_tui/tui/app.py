"""The inspector's app: opens the workspace, then shows the overview of one inspection.

The app only wires things together: reading the workspace happens in a worker thread after
the first screen is drawn, and from then on the UI thread owns the store (the session).
`make_app()` is the one way to build the app, for the CLI and for the tests alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Header, Label
from textual.worker import Worker, WorkerState

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t
from inspect_tui.core.site_summary import SiteFigures
from inspect_tui.store import identity
from inspect_tui.store.gc_pause import collector_paused
from inspect_tui.store.inspection import Inspection
from inspect_tui.store.lock import takeover_notices
from inspect_tui.store.summary import Preview, has_summary, open_previewed, open_summarized
from inspect_tui.store.workspace import Workspace
from inspect_tui.terminal_safe import strip_controls
from inspect_tui.tui import guard
from inspect_tui.tui.bindings import localize_bindings
from inspect_tui.tui.commands import BindingCommands
from inspect_tui.tui.key_gate import KeyGate
from inspect_tui.tui.messages import (
    InspectionLoaded,
    OpenFailed,
    OverviewPreviewed,
    WorkspaceOpened,
)
from inspect_tui.tui.screens.overview import OverviewScreen
from inspect_tui.tui.session import Session
from inspect_tui.tui.site_rows import site_rows
from inspect_tui.tui.text import HEADER_ICON, literal

HANGUP_GRACE = 3.0  # seconds an orderly exit gets after the terminal closed
PREVIEW_PATIENCE = 2.0  # seconds the loading worker waits for the previewed overview's frame


@dataclass(frozen=True)
class Settings:
    workspace: Path
    demo: bool = False  # create the bundled demo inspection in the workspace if missing
    clock: Callable[[], datetime] = datetime.now  # the time the save indicator shows


@runtime_checkable
class HoldsEdits(Protocol):
    def flush_edits(self) -> None: ...


def make_app(workspace: str | Path, *, demo: bool = False,
             clock: Callable[[], datetime] = datetime.now) -> InspectApp:
    return InspectApp(Settings(Path(workspace), demo, clock))


class InspectApp(App[None]):
    # The overview's styles are read with the app's: a screen bringing a style sheet not yet
    # read makes Textual parse every style sheet again and restyle every widget.
    CSS_PATH: ClassVar = ["app.tcss", "screens/overview.tcss"]
    TITLE = "inspect-tui"
    COMMANDS: ClassVar = {BindingCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "tui.key.quit", priority=True),
        Binding("ctrl+c", "quit", "tui.key.quit", show=False, priority=True),
        Binding("question_mark", "help", "tui.key.help", key_display="?"),
        Binding("ctrl+p", "command_palette", "tui.key.palette", show=False, priority=True),
        Binding("f5", "toggle_theme", "tui.key.theme", show=False),
    ]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        guard.install()  # no control character in any text reaches the terminal
        localize_bindings(self)
        self.settings = settings
        self.workspace: Workspace | None = None
        self.session: Session | None = None
        self._opening = True  # a worker reads the workspace: typed keys wait for the result
        self._previewing: OverviewScreen | None = None  # drawn from the summary, not attached
        self._summary_first = False  # the overview from the summary is the first screen
        self.key_gate = KeyGate(self, holding=lambda: self._opening)

    def compose(self) -> ComposeResult:
        self._summary_first = self._preview_first()
        if self._summary_first:
            return  # nothing to see under the overview: no widgets to build and style
        yield Header(icon=HEADER_ICON)
        yield Label(literal(t("tui.start.opening", path=self.settings.workspace)),
                    id="opening")
        yield Footer(compact=True)

    async def on_event(self, event: events.Event) -> None:
        """Typed keys pass the gate: each acts on what the keys before it made."""
        if (isinstance(event, events.Key) and not event.is_forwarded
                and not self.key_gate.admit(event)):
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        if not self._summary_first:
            self.call_after_refresh(self.open_workspace)  # the first screen is drawn first
        if not self.is_headless:
            self._save_on_hangup()

    # ---- opening (worker threads; the UI thread takes the store over when done) -----------

    def _preview_first(self) -> bool:
        """A later start: the overview from the summary is the first screen drawn (reading
        the summary takes less than drawing a screen saying so), then the inspection is read
        whole in a worker while typed keys wait. False: the worker opens as on a first start
        (no summary, a question to ask, a choice to make), with the workspace if opened."""
        if self.settings.demo:
            return False
        try:
            with takeover_notices(lambda text: self.notify(text, severity="warning")):
                self.workspace = workspace = Workspace.open(self.settings.workspace)
            ids = workspace.inspection_ids()
        except InspectError:
            return False  # the worker tries again and says why
        if (len(ids) != 1 or not has_summary(workspace, ids[0])
                or _chosen(workspace) is None):
            return False
        seen = workspace.preview(ids[0])
        if seen is not None:
            drawn = self._post_preview(seen)
        else:  # a summary of other code or files: computed as on a first start
            drawn = threading.Event()
            drawn.set()
        self._read_whole(workspace, ids[0], seen, drawn)
        return True

    def _post_preview(self, preview: Preview) -> threading.Event:
        """Ask the UI thread to draw the overview from the summary; set once it is drawn."""
        head, drawn = preview.inspection, threading.Event()
        self.post_message(OverviewPreviewed(site_rows(head, preview.figures, preview.view),
                                            preview.view.grades, head.title, drawn))
        return drawn

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _read_whole(self, workspace: Workspace, inspection_id: str, shown: Preview | None,
                    drawn: threading.Event) -> None:
        drawn.wait(PREVIEW_PATIENCE)  # reading now would take the GIL from drawing it
        self._finish(workspace, lambda: open_previewed(workspace, inspection_id, shown))

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def open_workspace(self) -> None:
        try:
            if self.workspace is None:  # else opened by `_preview_first`
                with takeover_notices(lambda text: self.notify(text, severity="warning")):
                    if self.settings.demo:
                        from inspect_tui.demo import ensure_demo  # not on every start's path

                        ensure_demo(self.settings.workspace)
                    self.workspace = Workspace.open(self.settings.workspace)
            ids = self.workspace.inspection_ids()
        except InspectError as exc:
            self.post_message(OpenFailed(str(exc)))
            return
        if len(ids) == 1:
            self._load(self.workspace, ids[0])
        else:
            self.post_message(WorkspaceOpened(self.workspace, ids))

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def load_inspection(self, workspace: Workspace, inspection_id: str) -> None:
        self._load(workspace, inspection_id)

    def _load(self, workspace: Workspace, inspection_id: str) -> None:
        def early(preview: Preview) -> bool:
            """The overview from the summary while the inspection is read, unless a
            question comes first (who is typing)."""
            if not (self.settings.demo or _chosen(workspace) is not None):
                return False
            self._post_preview(preview).wait(PREVIEW_PATIENCE)  # reading on would take
            # the GIL from drawing it
            return True

        self._finish(workspace, lambda: open_summarized(workspace, inspection_id, early))

    def _finish(self, workspace: Workspace,
                read: Callable[[], tuple[Inspection, dict[str, SiteFigures] | None]]) -> None:
        """Read the inspection whole (in a worker) and hand it to the UI thread."""
        try:
            with collector_paused(keep=True):  # what is loaded lives as long as the app
                inspection, figures = read()
                rows = None if figures is None else site_rows(inspection, figures)
            OverviewScreen.warm_up()
        except InspectError as exc:
            self.post_message(OpenFailed(str(exc)))
        else:
            self.post_message(InspectionLoaded(workspace, inspection, rows))

    @on(OverviewPreviewed)
    def _previewed(self, event: OverviewPreviewed) -> None:
        """Drawn at once; keys still wait (`_opening`) until the inspection is read."""
        self._previewing = OverviewScreen(None, event.rows, grades=event.grades,
                                          title=event.title)
        self.push_screen(self._previewing)
        # Once the overview is drawn and then whatever the app itself has waiting for that
        # frame (the reading thread would take the GIL from it)
        self._previewing.call_after_refresh(self.call_after_refresh, event.drawn.set)

    @on(WorkspaceOpened)
    def _opened(self, event: WorkspaceOpened) -> None:
        from inspect_tui.tui.screens.start import NEW, PickInspectionDialog  # (not on a
        # later start's path, as the other dialogs below)

        self._opening = False
        workspace = event.workspace
        if not event.inspection_ids:
            self._offer_new(workspace)
            return

        def picked(choice: str | None) -> None:
            if choice is None:
                self.exit()
            elif choice == NEW:
                self._offer_new(workspace)
            else:
                self._opening = True
                self.load_inspection(workspace, choice)

        self.push_screen(PickInspectionDialog(event.inspection_ids), picked)

    def _offer_new(self, workspace: Workspace) -> None:
        from inspect_tui.tui.screens.start import JOIN, NewInspectionDialog

        who = _chosen(workspace)

        def create(path: Path, title: str, team: list[str], name: str) -> None:
            if name:  # the creator said who they are: the creation is recorded under it
                _remember(workspace, name)
            inspection = workspace.create_inspection(path.read_bytes(), path.name,
                                                     title=title, team=team)
            self.post_message(InspectionLoaded(workspace, inspection, []))

        def closed(created: bool | str | None) -> None:
            if created == JOIN:
                self._offer_join(workspace)
            elif not created:
                self.exit()

        self.push_screen(NewInspectionDialog(create, who or "", ask_name=who is None,
                                             can_join=not workspace.inspection_ids()), closed)

    def _offer_join(self, workspace: Workspace) -> None:
        """An inspector's first start: the lead's setup pack makes the inspection."""
        def do_join(path: Path, name: str) -> str:
            from inspect_tui.store.setup_pack import join  # signatures, packs: on use

            return join(workspace, path, name).info.inspection

        def closed(inspection_id: str | None) -> None:
            if inspection_id is None:
                self._offer_new(workspace)
                return
            inspection = workspace.inspection(inspection_id)
            self.notify(t("team.tui.joined", title=inspection.title, name=workspace.author))
            self.post_message(InspectionLoaded(workspace, inspection, site_rows(inspection)))

        from inspect_tui.tui.screens.join import JoinDialog  # reads packs: not on the start's path

        self.push_screen(JoinDialog(do_join), closed)

    @on(InspectionLoaded)
    def _loaded(self, event: InspectionLoaded) -> None:
        self._opening = False
        if (previewing := self._previewing) is not None:
            self._previewing = None
            self.session = Session(event.workspace, event.inspection, self.settings.clock)
            previewing.attach(self.session, event.rows)
            return
        if self.settings.demo or _chosen(event.workspace) is not None:
            self._show(event)
            return

        def answered(name: str | None) -> None:  # the first start: who is at the keyboard
            if name is None:
                self.exit()
                return
            try:
                _remember(event.workspace, name, event.inspection)
            except InspectError as exc:  # e.g. a full disk: it will be asked again next time
                self.notify(str(exc), severity="error")
            self._show(event)

        from inspect_tui.tui.screens.join import WhoDialog  # once per workspace

        self.push_screen(WhoDialog(event.inspection.team), answered)

    def _show(self, event: InspectionLoaded) -> None:
        self.session = Session(event.workspace, event.inspection, self.settings.clock)
        rows = site_rows(event.inspection) if event.rows is None else event.rows
        self.push_screen(OverviewScreen(self.session, rows))

    @on(OpenFailed)
    def _open_failed(self, event: OpenFailed) -> None:
        self._opening = False
        self.exit(return_code=2, message=_printed(t("cli.error_prefix") + event.text))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:  # a bug, not a user's mistake: show it
            self.exit(return_code=1, message=_printed(repr(event.worker.error)))

    # ---- closing: everything typed is saved first, the lock is released last ----------------

    def flush_edits(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, HoldsEdits):
                screen.flush_edits()

    async def action_quit(self) -> None:
        self.flush_edits()
        if self.session is None or not self.session.unsaved:
            self.exit()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        from inspect_tui.tui.screens.confirm import ConfirmDialog

        self.push_screen(ConfirmDialog(t("tui.quit.title"), t(
            "tui.quit.unsaved", count=len(self.session.unsaved))), answer)

    def _save_on_hangup(self) -> None:
        """Closing the terminal window (SIGHUP) or SIGTERM saves what is typed, then quits."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._hang_up, sig)

    def _hang_up(self, sig: signal.Signals) -> None:
        # With the terminal gone, Textual's shutdown can block for ever writing to it (its
        # writer thread dies on EIO and the bounded queue fills) or spin reading it (the input
        # thread loops at EOF, textual#6690): seen here as orphans holding a CPU. Everything
        # is saved and the kernel drops the workspace lock with the process, so end it if the
        # orderly exit has not within a grace period — whatever saving the typed text does:
        # a hang-up while the app is already closing (workspace closed, screens going) made
        # the save raise before the watchdog was set, and left such an orphan.
        try:
            self.flush_edits()  # durable (fsynced) before anything else can go wrong
        finally:
            watchdog = threading.Timer(HANGUP_GRACE, os._exit, args=(128 + sig,))
            watchdog.daemon = True
            watchdog.start()
            self.exit()

    def on_unmount(self) -> None:
        if self.workspace is not None:
            self.workspace.close()

    # ---- app-wide actions ----------------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Notifications quote site names, values and errors: never markup, whoever asks."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        from inspect_tui.tui.screens.help import HelpDialog

        if not isinstance(self.screen, HelpDialog):
            self.push_screen(HelpDialog(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=t("tui.palette.placeholder")))


def _chosen(workspace: Workspace) -> str | None:
    """The name someone gave for this workspace (or the override), None if only the login
    name stands in."""
    try:
        who = identity.current(workspace.root)
    except InspectError:
        return None
    return who.name if who.chosen else None


def _remember(workspace: Workspace, name: str, inspection: Inspection | None = None) -> None:
    """From now on, everything done here is recorded under `name`."""
    workspace.author = identity.remember(workspace.root, name)
    if inspection is not None:
        inspection.author = workspace.author


def _printed(message: str) -> Text:
    """A message printed to the terminal after the app closed (no markup, no controls)."""
    return Text(strip_controls(message))

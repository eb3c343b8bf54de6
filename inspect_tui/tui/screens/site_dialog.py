"""Add a site or change its name, type and group; the store's refusal shows in the dialog."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select

from inspect_tui.core.i18n import t
from inspect_tui.core.records import Site, SiteKind
from inspect_tui.tui.screens.dialog import Dialog
from inspect_tui.tui.site_rows import kind_label


@dataclass(frozen=True)
class SiteForm:
    name: str
    kind: str
    group: str


class SiteDialog(Dialog[SiteForm]):
    def __init__(self, title: str, apply: Callable[[SiteForm], object],
                 groups: Sequence[str], site: Site | None = None,
                 kinds: Sequence[str] = tuple(k.value for k in SiteKind)) -> None:
        """`kinds`: the ones offered (those the inspection's checklist scores; a site keeps
        its own kind on the list even if it is not one of them)."""
        super().__init__(title)
        self.apply = apply
        self.groups = sorted({g for g in groups if g})
        self.site = site
        self.kinds = [k for k in SiteKind
                      if k.value in kinds or (site is not None and k.value == site.kind)
                      ] or list(SiteKind)

    def body(self) -> ComposeResult:
        site = self.site
        yield Label(t("tui.site.name"))
        yield Input(site.name if site else "", id="site-name-input", compact=True)
        yield Label(t("tui.site.kind"))
        yield Select([(kind_label(k.value), k.value) for k in self.kinds], id="site-kind",
                     value=site.kind if site else self.kinds[0].value, allow_blank=False,
                     compact=True)
        yield Label(t("tui.site.group"))
        yield Input(site.group if site else "", id="site-group", compact=True,
                    placeholder=t("tui.site.group_hint"),
                    suggester=SuggestFromList(self.groups, case_sensitive=False))

    def on_mount(self) -> None:
        self.query_one("#site-name-input").focus()

    @on(Input.Submitted)
    def submit(self) -> None:
        form = SiteForm(self.query_one("#site-name-input", Input).value.strip(),
                        str(self.query_one("#site-kind", Select).value),
                        self.query_one("#site-group", Input).value.strip())
        if self.attempt(self.apply, form):
            self.dismiss(form)

"""The command palette: every key binding active on the current screen, plus the app's.

Commands are derived from the bindings, so the Footer and the palette never drift apart: a
binding added to a screen is in the palette at once, in the user's language, with its keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from textual.app import App
from textual.command import (
    CommandListItem,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
    SimpleProvider,
)
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import Screen

from inspect_tui.tui.bindings import is_ours


@dataclass
class PaletteCommand:
    name: str
    run: Callable[[], Any]
    keys: list[str] = field(default_factory=list)

    @property
    def help(self) -> str:
        return " / ".join(self.keys)


def screen_commands(screen: Screen[object]) -> list[PaletteCommand]:
    """Our bindings active on `screen`: its focused widget's, the screen's, then the app's."""
    found: dict[str, PaletteCommand] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not is_ours(binding) or binding.action == "command_palette":
            continue
        if binding.description not in found:
            run = partial(active.node.run_action, binding.action)
            found[binding.description] = PaletteCommand(binding.description, run)
        shown = binding.key_display or screen.app.get_key_display(binding)
        if shown not in found[binding.description].keys:
            found[binding.description].keys.append(shown)
    return list(found.values())


class BindingCommands(Provider):
    """The active screen's bindings (and the app's) as palette commands."""

    def commands(self) -> list[PaletteCommand]:
        return screen_commands(self.screen)

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = max(matcher.match(command.name), matcher.match(command.help))
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run,
                          text=command.name, help=command.help)


class LiteralProvider(SimpleProvider):
    """A SimpleProvider whose names and help are shown as they are, never read as markup.

    Textual's own reads both as markup, so a checklist title holding "[/]" would crash the
    palette's worker and "[@click=…]" would become a live action.
    """

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands:
            if (score := matcher.match(command.name)) > 0:
                yield Hit(score, highlight(matcher, command.name), command.callback,
                          text=command.name, help=_plain(command.help_text))

    async def discover(self) -> Hits:
        for command in self._commands:
            yield DiscoveryHit(Content(command.name), command.callback, text=command.name,
                               help=_plain(command.help_text))


def highlight(matcher: Matcher, text: str) -> Content:
    """`text` as plain content with the characters the query matched highlighted."""
    content = Content(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _plain(text: str | None) -> Any:
    return Content(text) if text else None  # typed str in Textual, but Content is taken as is


def search_literal(app: App[Any], commands: list[CommandListItem], placeholder: str) -> None:
    """Like `App.search_commands`, for names and help that come from outside (see above)."""
    app.push_screen(CommandPalette(providers=[LiteralProvider(app.screen, commands)],
                                   placeholder=placeholder))

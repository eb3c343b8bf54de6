"""Shared test helpers: a frozen clock, waiting for the app, copies of the demo workspace."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.pilot import Pilot

from inspect_tui.demo import ensure_demo
from inspect_tui.tui.app import InspectApp, make_app

FROZEN = datetime(2024, 5, 6, 9, 30, 0)
_DEMO_CACHE: dict[str, Path] = {}


def frozen_clock() -> datetime:
    return FROZEN


def demo_copy(cache_root: Path, target: Path) -> Path:
    """A fresh copy of the demo workspace (built once per test session, then copied)."""
    if "demo" not in _DEMO_CACHE:
        built = cache_root / "demo-master"
        ensure_demo(built)
        _DEMO_CACHE["demo"] = built
    shutil.copytree(_DEMO_CACHE["demo"], target, ignore=shutil.ignore_patterns(".lock"))
    return target


def app_on(workspace: Path) -> InspectApp:
    return make_app(workspace, clock=frozen_clock)


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool],
                   timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (workers and timers included)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting; screen is {pilot.app.screen!r}")
        await pilot.pause(0.02)


def screen_name(pilot: Pilot[None]) -> str:
    return type(pilot.app.screen).__name__


async def click_button(pilot: Pilot[None], selector: str) -> None:
    """Click a button once it can be pressed: enabled, and its last press's flash over
    (Textual ignores a click on a button still showing -active, as a second click 0.2 s after
    the first would be)."""
    button = pilot.app.screen.query_one(selector)
    await wait_for(pilot, lambda: not button.disabled and not button.has_class("-active"))
    assert await pilot.click(selector)


async def until_screen(pilot: Pilot[None], name: str) -> None:
    """Wait until the screen `name` is on top and its widgets are mounted."""
    await wait_for(pilot, lambda: screen_name(pilot) == name and pilot.app.screen.is_mounted
                   and bool(pilot.app.screen.children))
    await pilot.pause()


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type characters (CJK included) into the focused widget."""
    for char in text:
        await pilot.press(char)

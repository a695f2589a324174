"""The app's screens, one module each, with its stylesheet beside it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial

from textual.screen import Screen

ScreenFactory = Callable[[], Screen[None]]

# The screens of one open audit: name (and module) -> class, in the navigation's order.
SCREEN_CLASSES = {
    "discovery": "DiscoveryScreen",
    "checklist": "ChecklistScreen",
    "impact": "ImpactScreen",
    "findings": "FindingsScreen",
    "export": "ExportScreen",
    "drill": "DrillScreen",
}


def make_screen(name: str) -> Screen[None]:
    module = importlib.import_module(f"readiness.tui.screens.{name}")
    screen: Screen[None] = getattr(module, SCREEN_CLASSES[name])(id=name)
    return screen


def screen_factories() -> dict[str, ScreenFactory]:
    """How to make each screen of one open audit, by name.

    Factories rather than screens: a screen's module (and the widgets it needs: the
    drill's chart library, the findings' tables) is imported when the screen is first
    wanted, after the first frame, not before it (~110 ms of imports on a new audit).
    """
    return {name: partial(make_screen, name) for name in SCREEN_CLASSES}

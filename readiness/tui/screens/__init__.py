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


def screen_class(name: str) -> type[Screen[None]]:
    """The class of one audit screen (importing its module, the first time)."""
    module = importlib.import_module(f"readiness.tui.screens.{name}")
    cls: type[Screen[None]] = getattr(module, SCREEN_CLASSES[name])
    return cls


def make_screen(name: str) -> Screen[None]:
    return screen_class(name)(id=name)


def screen_factories() -> dict[str, ScreenFactory]:
    """How to make each screen of one open audit, by name.

    The modules are imported now, before the first frame: ~15 ms more for it (the
    modules of the first screen shown are needed anyway; the drill's chart library is
    imported only once there is something to chart), and then a first visit no longer
    waits 5-20 ms for its import.
    The screens themselves are made when first wanted.
    """
    for name in SCREEN_CLASSES:
        screen_class(name)
    return {name: partial(make_screen, name) for name in SCREEN_CLASSES}

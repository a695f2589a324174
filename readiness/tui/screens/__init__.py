"""The app's screens, one module each, with its stylesheet beside it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.screen import Screen

ScreenFactory = Callable[[], Screen[None]]


@dataclass(frozen=True)
class ScreenSpec:
    """One screen of an open audit: everything the rest of the TUI needs to know of it.

    The app's bindings, the navigation bar, the help's guide, the command palette's "go:"
    entries and the keymap's ids are all derived from :data:`SCREEN_SPECS`, so a screen added
    there (with its module and stylesheet) shows up everywhere, and a key remapped in the
    config's ``[keymap]`` (``nav.<name> = "f9"``) shows everywhere as the new key.
    """

    name: str  # its id, its module (readiness/tui/screens/<name>.py) and stylesheet (<name>.tcss)
    key: str  # the default key; ``nav.<name>`` in the config's keymap changes it
    label: str  # in the navigation bar, the help and the palette
    class_name: str  # the Screen subclass in its module
    summary: str  # one line in the help's guide: what the screen is for

    @property
    def binding_id(self) -> str:
        return f"nav.{self.name}"

    def binding(self) -> Binding:
        return Binding(self.key, f"goto('{self.name}')", self.label, id=self.binding_id, show=False)


# The screens of one open audit, in the navigation's order.
SCREEN_SPECS: tuple[ScreenSpec, ...] = (
    ScreenSpec(
        "discovery",
        "f2",
        "Discovery",
        "DiscoveryScreen",
        "what this machine can see of the network (runs by itself)",
    ),
    ScreenSpec(
        "checklist",
        "f3",
        "Checklist",
        "ChecklistScreen",
        "each check and its questions; accept what was discovered",
    ),
    ScreenSpec("impact", "f4", "Impact", "ImpactScreen", "what an hour offline costs the business"),
    ScreenSpec("findings", "f5", "Findings", "FindingsScreen", "the score, and what to fix first"),
    ScreenSpec("export", "f6", "Export", "ExportScreen", "write the report (Markdown) and the audit (JSON)"),
    ScreenSpec("drill", "f7", "Drill", "DrillScreen", "cut the main line on purpose and watch the failover"),
)
BY_NAME = {spec.name: spec for spec in SCREEN_SPECS}


def screen_class(name: str) -> type[Screen[None]]:
    """The class of one audit screen (importing its module, the first time)."""
    module = importlib.import_module(f"readiness.tui.screens.{name}")
    cls: type[Screen[None]] = getattr(module, BY_NAME[name].class_name)
    return cls


def make_screen(name: str) -> Screen[None]:
    return screen_class(name)(id=name)


def screen_factories() -> dict[str, ScreenFactory]:
    """How to make each screen of one open audit, by name; each is made when first wanted.

    Nothing is imported here: the first screen shown imports its own module, and the app
    imports the others after the first frame, in idle moments (``screen_modules``; the
    first frame paid 15-25 ms for importing them all before it, `bench tui`).
    """
    return {spec.name: partial(make_screen, spec.name) for spec in SCREEN_SPECS}


def screen_modules() -> list[str]:
    return [f"{__name__}.{spec.name}" for spec in SCREEN_SPECS]

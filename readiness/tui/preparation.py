"""Preparing the screens not shown yet, in the background, one small step at a time.

A screen's first visit would otherwise do it all while a person waits: build it (compose,
mount, style: 30-90 ms), lay it out and draw it (30-60 ms for the checklist); its module
is imported before the first frame (readiness/tui/screens/__init__.py). Once the first
frame is out, each of those is done here instead, as a step of its own, so a key that
comes meanwhile waits for one step at most (a build is the exception: it goes on in
Textual's own mount messages, which a key then shares the loop with); and only while no
key is coming, since a person already moving around does not need it.

The likeliest screens come first, and each of those is made ready to show before the
next is started. A last pass brings up to date the screens that something around them
made stale meanwhile (the theme switched with ctrl+t): restyled, laid out and drawn
again, in steps too; it costs nothing when nothing changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.screen import Screen

from readiness.tui.screens.base import AuditScreen

if TYPE_CHECKING:
    from readiness.tui.app import ReadinessApp

ORDER = ("checklist", "impact", "findings", "discovery", "export", "drill")  # likeliest first
WARM_UP = frozenset({"checklist", "impact", "findings"})  # whose first show is slow (25-60 ms)
STEP_S = 0.002  # between two steps: frames and keys go first
QUIET_S = 0.25  # steps wait until no key has come for this long


class Preparation:
    """The background preparation of one open audit's hidden screens, step by step.

    Textual has no public call to mount a screen without showing it; a build does what
    its ``switch_screen`` does first (load the screen's CSS, register it). The screen
    then composes and mounts as usual and says so through ``built``; it redraws from the
    session when it is shown.
    """

    def __init__(self, app: ReadinessApp, first: str) -> None:
        self.app = app
        self.done = False  # every screen built, laid out and drawn
        self.stopped = False
        self.steps_done: list[str] = []  # "make checklist", "build checklist", ... in order
        self._building: Screen[None] | None = None  # its steps resume once it is built
        self._steps = self._plan(first)

    def start(self) -> None:
        self.app.set_timer(STEP_S, self._step)

    def stop(self) -> None:
        """The app is ending (or another audit opened): build nothing more."""
        self.stopped = True

    def built(self, screen: Screen[None]) -> None:
        if screen is self._building:
            self._building = None
            self.app.call_after_refresh(self._step)

    def _step(self) -> None:
        if self.stopped or self.done or self._building is not None:
            return
        if self.app.heap.seconds_since_input() < QUIET_S:
            self.app.set_timer(STEP_S, self._step)  # a person is pressing keys: later
            return
        step = next(self._steps, None)
        if step is None:
            self.done = True
            return
        self.steps_done.append(step)
        if self._building is None:
            self.app.set_timer(STEP_S, self._step)

    def _plan(self, first: str) -> Iterator[str]:
        """The steps, each yielded once done, by name."""
        app = self.app
        for name in ORDER:
            if name == first or not app.is_screen_installed(name):
                continue
            screen = app.get_screen(name)  # makes it (not built yet)
            yield f"make {name}"
            if screen.is_running or screen in app.screen_stack:
                continue  # visited meanwhile
            self._building = screen
            app._load_screen_css(screen)
            app._get_screen(screen)
            yield f"build {name}"
            if name in WARM_UP and isinstance(screen, AuditScreen):
                while screen.warm_up(app.size):
                    yield f"warm up {name}"
        for screen in self._hidden():
            while screen.warm_up(app.size, lay_out=screen.id in WARM_UP):
                yield f"bring {screen.id} up to date"
        # The garbage of building them freed, not frozen: at the next quiet moment, as
        # that full pass is the longest step of all (~50 ms).
        app.heap.settle_when_quiet()
        yield "settle the heap when quiet"

    def _hidden(self) -> list[AuditScreen]:
        app = self.app
        return [
            screen
            for screen in (app.get_screen(name) for name in ORDER if app.is_screen_installed(name))
            if isinstance(screen, AuditScreen) and screen.is_running and not screen.is_current
        ]

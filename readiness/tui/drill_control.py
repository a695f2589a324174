"""Running a drill from the TUI: ask first, run it in a thread worker, follow it live,
record its result in the open audit; a quit while it runs stops and records it first.

The app owns one :class:`DrillControl`; the drill screen reads its state (the running
drill, its phase, status and events) and calls its actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.drill.analysis import tolerance_minutes_from_answers
from readiness.model import DrillEvent
from readiness.tui.dialogs.confirm import ConfirmDialog
from readiness.tui.drill_link import (
    DrillEventSeen,
    DrillFactory,
    DrillFinished,
    DrillPhase,
    DrillStatusUpdate,
    make_listener,
)

if TYPE_CHECKING:  # the runner's module brings the network libraries: loaded when a drill starts
    from readiness.drill.session import DrillSession, DrillStatus, PhaseChange
    from readiness.tui.app import ReadinessApp

ON_RECORDED_FACTS = (
    "A drill measures the live line, and this session replays recorded facts: run "
    "readiness on the office network, without --replay, to drill it."
)


class DrillControl:
    def __init__(self, app: ReadinessApp, factory: DrillFactory, *, on_recorded_facts: bool) -> None:
        self.app = app
        self._factory = factory
        # The default drill cuts and measures the line this computer is on. Recorded facts
        # describe another office's: a drill here would be filed as if it were theirs.
        self.on_recorded_facts = on_recorded_facts
        self.drill: DrillSession | None = None
        self.phase: PhaseChange | None = None
        self.status: DrillStatus | None = None
        self.events: list[DrillEvent] = []
        self.quit_after = False

    def ask_to_start(self) -> None:
        """The drill disrupts the office on purpose: ask first."""
        app = self.app
        if app.session is None or self.drill is not None:
            return
        if self.on_recorded_facts:  # the palette offers the drill on every screen
            app.notify(ON_RECORDED_FACTS, title="No drill on recorded facts", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.begin()

        app.push_screen(
            ConfirmDialog(
                "Start a failover drill?",
                "The office will lose its main internet line for a few minutes: you will unplug it "
                "at the router when asked. Calls and video meetings may drop. Tell the people here "
                "before you start.",
                yes="Start the drill",
                no="Not now",
            ),
            answered,
        )

    def begin(self) -> None:
        app = self.app
        if app.session is None or self.drill is not None:
            return
        audit = app.session.audit
        tolerance = tolerance_minutes_from_answers(audit.answers)
        self.phase, self.status, self.events = None, None, []
        drill = self._factory(app.config, make_listener(app), audit.technician, tolerance)
        self.drill = drill
        app.run_worker(
            lambda: self._work(drill), thread=True, exclusive=True, group="drill", exit_on_error=False
        )
        app.refresh_views()

    def _work(self, drill: DrillSession) -> None:
        try:
            result = drill.run()
        except Exception as exc:
            self.app.post_message(DrillFinished(None, f"{type(exc).__name__}: {exc}"))
            return
        self.app.post_message(DrillFinished(result))

    def confirm_step(self) -> None:
        phase = self.phase
        if self.drill is not None and phase is not None and phase.needs_confirm:
            self.drill.confirm(phase.phase)

    def abort(self) -> None:
        if self.drill is not None:
            self.drill.abort("stopped by the technician")

    def phase_changed(self, message: DrillPhase) -> None:
        self.phase = message.change
        self.app.refresh_drill()

    def event_seen(self, message: DrillEventSeen) -> None:
        self.events.append(message.event)
        self.app.refresh_drill()

    def status_updated(self, message: DrillStatusUpdate) -> None:
        self.status = message.status
        self.app.refresh_drill()

    def finished(self, message: DrillFinished) -> None:
        app = self.app
        self.drill = None
        self.phase = None
        self.status = None
        if message.error:
            app.notify(message.error, title="The drill failed", severity="error")
        if message.result is not None and app.session is not None:
            app.session.add_drill(message.result)  # saved at once, and judged
            app.notify(message.result.summary or message.result.outcome.value, title="Drill recorded")
        app.refresh_views()
        if self.quit_after:
            app.exit(0)

"""The readiness app: screens for one walkthrough, workers for discovery, autosave.

``run_tui`` is the one entry point the CLI calls. The app holds the open
``AuditSession``; every screen reads and changes the audit through it, and the session
saves each change as it happens.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from readiness.audit_session import AuditSession, Clock, utc_now
from readiness.catalogue import Catalogue, default_catalogue
from readiness.config import CONFIG_SOURCE, Config, config_answers
from readiness.errors import ReadinessError
from readiness.model import Facts
from readiness.store import audits_dir, load_or_keep_aside, new_audit
from readiness.tui.commands import ReadinessCommands
from readiness.tui.drill_link import (
    DrillEventSeen,
    DrillFactory,
    DrillFinished,
    DrillPhase,
    DrillStatusUpdate,
    default_factory,
    make_listener,
)
from readiness.tui.heap import HeapKeeper
from readiness.tui.messages import DiscoveryFinished, ProbeUpdated
from readiness.tui.runner import (
    DiscoverFn,
    ProbeEvent,
    load_facts,
    probe_list,
    real_discover,
    replay_discover,
    to_event,
)
from readiness.tui.screens import SCREEN_SPECS, screen_factories
from readiness.tui.screens.base import AuditScreen

if TYPE_CHECKING:
    from readiness.drill.session import DrillSession, DrillStatus, PhaseChange
    from readiness.model import Audit, DrillEvent

SCREENS = tuple(spec.name for spec in SCREEN_SPECS)
DARK, LIGHT = "textual-dark", "textual-light"
# Every stylesheet of the app, read once at start-up. Each screen names its own file too
# (so it can be shown alone), but when a screen brings a file Textual does not have yet,
# Textual parses the whole stylesheet again from scratch: ~50 ms on a screen's first
# visit. A screen's CSS is global in Textual, so each screen's file nests its rules under
# the screen's class: one screen's rules never reach another, whatever the order.
STYLESHEETS = (
    "app.tcss",
    "widgets/answer.tcss",
    *(f"screens/{name}.tcss" for name in (*SCREENS, "start", "help")),
    "dialogs/dialogs.tcss",
)


class ReadinessApp(App[int]):
    """A technician's walkthrough and an owner's checklist for one office."""

    CSS_PATH: ClassVar = list(STYLESHEETS)
    TITLE = "readiness"
    COMMANDS: ClassVar = App.COMMANDS | {ReadinessCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        *(spec.binding() for spec in SCREEN_SPECS),  # F2-F7, "nav.<screen>" in the keymap
        Binding("ctrl+t", "toggle_theme", "Theme", id="app.theme", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        # Textual's own Tab binding sits on the screen: the key goes to the focused widget
        # first and bubbles up, so keys that arrive with it (typed ahead, pasted, sent by
        # tmux) reach the field it is leaving. A priority binding moves the focus first.
        Binding("tab", "focus_next", "Next field", id="app.focus_next", show=False, priority=True),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous field",
            id="app.focus_previous",
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        *,
        config: Config | None = None,
        catalogue: Catalogue | None = None,
        audit_path: Path | None = None,
        replay: Facts | None = None,
        offline: bool = False,
        site: str | None = None,
        discover: DiscoverFn | None = None,
        clock: Clock = utc_now,
        data_dir: Path | None = None,
        drill_factory: DrillFactory | None = None,
    ) -> None:
        super().__init__()
        self.config = config or Config()
        self._catalogue = catalogue
        self.audit_path = audit_path
        self.replay = replay
        self.offline = offline
        self.initial_site = site
        self.clock = clock
        self._data_dir = data_dir
        if discover is None and replay is not None:
            discover = replay_discover(replay)
        self._discover = discover
        self.session: AuditSession | None = None
        self.probe_events: dict[str, ProbeEvent] = {}
        self.discovery_running = False
        self.discovery_error: str | None = None
        self.startup_error: str | None = None
        self._drill_factory: DrillFactory = drill_factory or default_factory
        # The default drill cuts and measures the line this computer is on. Recorded facts
        # describe another office's: a drill here would be filed as if it were theirs. A
        # drill factory given with them says where to drill instead (the tests' loopback peer).
        self.drill_on_recorded_facts = replay is not None and drill_factory is None
        self.drill: DrillSession | None = None
        self.drill_phase: PhaseChange | None = None
        self.drill_status: DrillStatus | None = None
        self.drill_events: list[DrillEvent] = []
        self._quit_after_drill = False
        self._ended = False  # unmounted: freeze nothing more
        self.heap = HeapKeeper()

    # -- set-up ------------------------------------------------------------------
    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = default_catalogue()
        return self._catalogue

    @property
    def data_dir(self) -> Path:
        return self._data_dir or audits_dir()

    def on_mount(self) -> None:
        try:
            self.theme = self.config.theme or DARK
        except Exception:  # an unknown theme name in the config: say so, keep the default
            self.theme = DARK
            self.notify(f"Unknown theme {self.config.theme!r}; using {DARK}.", severity="warning")
        if self.config.keymap:
            from readiness.tui.keymap import live_key, unknown_ids

            self.set_keymap(self.config.keymap)
            typos = unknown_ids(self.config.keymap)
            if typos:
                self.notify(
                    f"No binding has the id {', '.join(typos)}; see the help screen "
                    f"({live_key(self, 'app.help', 'f1')}) for the ids.",
                    title="Keymap in the config",
                    severity="warning",
                )
        if self.audit_path is not None:
            try:
                audit = load_or_keep_aside(self.audit_path)
            except ReadinessError as exc:
                self.startup_error = str(exc)
                self.notify(str(exc), title="Cannot open the audit", severity="error", timeout=15)
            else:
                self.open_audit(audit, self.audit_path, fresh=False)
                return
        if self.initial_site:
            self.start_new(self.initial_site, None, None)
            return
        from readiness.tui.screens.start import StartScreen

        self.push_screen(StartScreen())

    def start_new(self, site: str, technician: str | None, profile: str | None) -> None:
        defaults = config_answers(self.config)
        audit = new_audit(site, technician, profile, defaults=defaults, defaults_from=CONFIG_SOURCE)
        if self.clock is not utc_now:
            now = self.clock()
            audit = audit.model_copy(update={"started_at": now, "updated_at": now})
        self.open_audit(audit, self.data_dir / f"{audit.id}.json", fresh=True)

    def open_audit(self, audit: Audit, path: Path, *, fresh: bool) -> None:
        """Make ``audit`` the open one: build its screens and show where to start."""
        self.session = AuditSession(
            audit, path, self.catalogue, clock=self.clock, on_change=self.refresh_views
        )
        if fresh:
            self.session.evaluate()
            self.session.save()
        elif audit.fit is None:
            # Saved before the verdict and the plan existed: judge it again so the findings
            # screen leads with them, as the report does (the file changes with the next edit).
            self.session.evaluate()
        for name, factory in screen_factories().items():
            if self.is_screen_installed(name):
                self.uninstall_screen(name)
            # Textual takes a factory here as it does in App.SCREENS: the screen is made
            # the first time it is wanted (see screen_factories).
            self.install_screen(factory, name)  # type: ignore[arg-type]
        self.sub_title = audit.site.name
        if fresh or not audit.facts.probes:
            first = "discovery"
            self.run_discovery()
        else:
            first = "checklist"
        self._show(first)
        self.refresh_bindings()
        self.call_after_refresh(self._first_frame_out)

    def _first_frame_out(self) -> None:
        """Once the first frame is out, the collector is back on (see heap.py).

        The other screens are made, built, laid out and drawn on their first visit: with
        Textual's public API there is no building a screen without showing it, and a first
        visit costs what the README's figures say (under 200 ms), with nothing done in the
        background while a person types.
        """
        if self._ended:
            return
        if not self.heap.started:
            self.heap.start()
            self.set_interval(0.5, self._heap_tick, name="heap")
        self.heap.settle(collect=False)  # start-up's garbage is little; a full pass now is not

    def _heap_tick(self) -> None:
        self.heap.tick()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.heap.saw_input()  # the collector waits for a quiet moment (see heap.py)
        await super().on_event(event)

    def screen_built(self, screen: Screen[None]) -> None:
        """A screen finished its first mount: what it holds lives as long as the app, so it
        is frozen out of the full collections at the next quiet moment (see heap.py)."""
        if self.heap.started:
            self.heap.settle_when_quiet()

    def on_unmount(self) -> None:
        # Give the collector back as it was: in a process that runs more than one app
        # (the tests), the next app must not inherit this one's heap or thresholds.
        self._ended = True
        self.heap.stop()

    def _show(self, name: str) -> None:
        if len(self.screen_stack) > 1:
            self.switch_screen(name)
        else:
            self.push_screen(name)

    # -- navigation --------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "goto" and self.session is None)

    def action_goto(self, name: str) -> None:
        if self.session is None or name not in SCREENS:
            return
        # A modal on top (help, a dialog) goes away first.
        while len(self.screen_stack) > 2 and self.screen.is_modal:
            self.pop_screen()
        if self.screen.id != name and self.get_screen(name) is not self.screen:
            self.switch_screen(name)

    def action_help(self) -> None:
        from readiness.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def jump_to_check(self, check_id: str) -> None:
        from readiness.tui.screens.checklist import ChecklistScreen

        self.action_goto("checklist")
        screen = self.get_screen("checklist")
        if isinstance(screen, ChecklistScreen):
            screen.select_check(check_id)

    def export_now(self, fmt: str) -> None:
        """Export in ``fmt`` to the path shown on the export screen (palette entries)."""
        from readiness.export.formats import menu
        from readiness.tui.screens.export import ExportScreen

        self.action_goto("export")
        screen = self.get_screen("export")
        if isinstance(screen, ExportScreen) and fmt in {name for name, _, _ in menu()}:
            screen.request_export(fmt)

    def start_drill(self) -> None:
        self.action_goto("drill")
        self.ask_to_start_drill()

    # -- the drill ---------------------------------------------------------------
    def ask_to_start_drill(self) -> None:
        """The drill disrupts the office on purpose: ask first."""
        if self.session is None or self.drill is not None:
            return
        if self.drill_on_recorded_facts:  # the palette offers the drill on every screen
            self.notify(
                "A drill measures the live line, and this session replays recorded facts: run "
                "readiness on the office network, without --replay, to drill it.",
                title="No drill on recorded facts",
                severity="warning",
            )
            return
        from readiness.tui.dialogs.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.begin_drill()

        self.push_screen(
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

    def begin_drill(self) -> None:
        from readiness.drill.analysis import tolerance_minutes_from_answers

        if self.session is None or self.drill is not None:
            return
        audit = self.session.audit
        tolerance = tolerance_minutes_from_answers(audit.answers)
        self.drill_phase, self.drill_status, self.drill_events = None, None, []
        self.drill = self._drill_factory(self.config, make_listener(self), audit.technician, tolerance)
        self._drill_worker(self.drill)
        self.refresh_views()

    @work(thread=True, exclusive=True, group="drill", exit_on_error=False)
    def _drill_worker(self, drill: DrillSession) -> None:
        try:
            result = drill.run()
        except Exception as exc:
            self.post_message(DrillFinished(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(DrillFinished(result))

    def confirm_drill_step(self) -> None:
        phase = self.drill_phase
        if self.drill is not None and phase is not None and phase.needs_confirm:
            self.drill.confirm(phase.phase)

    def abort_drill(self) -> None:
        if self.drill is not None:
            self.drill.abort("stopped by the technician")

    @on(DrillPhase)
    def _drill_phase(self, message: DrillPhase) -> None:
        self.drill_phase = message.change
        self._refresh_drill()

    @on(DrillEventSeen)
    def _drill_event(self, message: DrillEventSeen) -> None:
        self.drill_events.append(message.event)
        self._refresh_drill()

    @on(DrillStatusUpdate)
    def _drill_status(self, message: DrillStatusUpdate) -> None:
        self.drill_status = message.status
        self._refresh_drill()

    @on(DrillFinished)
    def _drill_finished(self, message: DrillFinished) -> None:
        self.drill = None
        self.drill_phase = None
        self.drill_status = None
        if message.error:
            self.notify(message.error, title="The drill failed", severity="error")
        if message.result is not None and self.session is not None:
            self.session.add_drill(message.result)  # saved at once, and judged
            self.notify(message.result.summary or message.result.outcome.value, title="Drill recorded")
        self.refresh_views()
        if self._quit_after_drill:
            self.exit(0)

    def _refresh_drill(self) -> None:
        """Live drill updates redraw the drill screen only (they come four times a second)."""
        from readiness.tui.screens.drill import DrillScreen

        if isinstance(self.screen, DrillScreen):
            self.screen.sync()

    async def action_quit(self) -> None:
        """A running drill is stopped and recorded before the app goes."""
        if self.drill is not None:
            self._quit_after_drill = True
            self.abort_drill()
            return
        self.exit(0)

    def refresh_views(self) -> None:
        """After a change: redraw what the visible screen shows from the session."""
        # During shutdown a late message (a cancelled discovery saying so) finds no screen.
        if self.screen_stack and isinstance(self.screen, AuditScreen):
            self.screen.sync()

    # -- discovery ---------------------------------------------------------------
    def run_discovery(self, only: Sequence[str] | None = None) -> None:
        """Start (or restart) discovery in a worker; the screens stay responsive."""
        if self.session is None:
            return
        discover = self._discover or real_discover()
        self.discovery_running = True
        self.discovery_error = None
        for name, title in probe_list(self.session.audit.facts):
            if only is None or name in only:
                self.probe_events[name] = ProbeEvent(name, title, "waiting")
        self._discovery_worker(
            discover, list(only) if only is not None else None, self.session.audit.facts.model_copy(deep=True)
        )
        self.refresh_views()

    @work(thread=True, exclusive=True, group="discovery", exit_on_error=False)
    def _discovery_worker(self, discover: DiscoverFn, only: list[str] | None, base: Facts) -> None:
        worker = get_current_worker()

        def progress(p: object) -> None:
            if not worker.is_cancelled:
                self.post_message(ProbeUpdated(to_event(p)))

        async def run() -> Facts | None:
            task = asyncio.ensure_future(
                discover(
                    self.config,
                    offline=self.offline,
                    only=only,
                    base=base if only is not None else None,
                    on_progress=progress,
                    declared_services=tuple(self.config.services),
                )
            )
            while not task.done():
                if worker.is_cancelled:
                    task.cancel()
                    return None
                await asyncio.wait({task}, timeout=0.1)
            return task.result()

        try:
            facts = asyncio.run(run())
        except Exception as exc:
            self.post_message(DiscoveryFinished(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(DiscoveryFinished(facts, cancelled=facts is None))

    @on(ProbeUpdated)
    def _probe_updated(self, message: ProbeUpdated) -> None:
        self.probe_events[message.event.name] = message.event
        self.refresh_views()

    @on(DiscoveryFinished)
    def _discovery_finished(self, message: DiscoveryFinished) -> None:
        self.discovery_running = False
        if message.error:
            self.discovery_error = message.error
            self.notify(message.error, title="Discovery failed", severity="error")
        if message.facts is not None and self.session is not None:
            self.session.set_facts(message.facts)
            self.notify("Discovery finished; the checklist is pre-filled where a fact could tell.")
        self.refresh_views()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that died unexpectedly must not leave the screen saying 'running'."""
        worker = event.worker
        if worker.group == "discovery" and worker.is_finished and self.discovery_running and worker.error:
            self.post_message(DiscoveryFinished(None, str(event.worker.error)))


def run_tui(
    *,
    audit_path: Path | None,
    replay: Path | None,
    config: Config,
    offline: bool,
    site: str | None = None,
) -> int:
    """Run the TUI; returns the process exit code (2 when an input file is unusable)."""
    facts: Facts | None = None
    if replay is not None:
        try:
            facts = load_facts(replay)
        except ReadinessError as exc:
            print(f"readiness: {exc}", file=sys.stderr)
            return 2
    app = ReadinessApp(config=config, audit_path=audit_path, replay=facts, offline=offline, site=site)
    code = app.run()
    if app.startup_error and app.session is None:
        print(f"readiness: {app.startup_error}", file=sys.stderr)
    return int(code or 0)

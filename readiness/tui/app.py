"""The readiness app: screens for one walkthrough, workers for discovery, autosave.

``run_tui`` is the one entry point the CLI calls. The app holds the open
``AuditSession``; every screen reads and changes the audit through it, and the session
saves each change as it happens.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
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
from readiness.export.formats import menu
from readiness.model import Facts
from readiness.probes.base import ProbeProgress
from readiness.store import audits_dir, load_or_keep_aside, new_audit
from readiness.tui.binding_ids import unknown_ids
from readiness.tui.commands import ReadinessCommands
from readiness.tui.discovery_control import DiscoveryControl
from readiness.tui.drill_control import DrillControl
from readiness.tui.drill_link import (
    DrillEventSeen,
    DrillFactory,
    DrillFinished,
    DrillPhase,
    DrillStatusUpdate,
    default_factory,
)
from readiness.tui.evaluation import EvaluationControl, EvaluationDone
from readiness.tui.heap import HeapKeeper
from readiness.tui.idle_import import import_when_idle
from readiness.tui.keymap import live_key
from readiness.tui.messages import DiscoveryFinished, HistoryLoaded, ProbeUpdated
from readiness.tui.runner import DiscoverFn, load_facts, replay_discover
from readiness.tui.screens import SCREEN_SPECS, screen_factories, screen_modules
from readiness.tui.screens.base import AuditScreen
from readiness.tui.screens.checklist import ChecklistScreen
from readiness.tui.screens.drill import DrillScreen
from readiness.tui.screens.export import ExportScreen
from readiness.tui.screens.help import HelpScreen

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
        self.session: AuditSession | None = None
        # The line watcher's database, read after a live discovery (the default one in the
        # user's data folder); recorded facts are another office's, so a replay reads none
        # unless a path is given here.
        self.history_path: Path | None = None
        self.startup_error: str | None = None
        self.discovery = DiscoveryControl(self, discover)
        # A drill factory given with recorded facts says where to drill instead (the tests'
        # loopback peer); without one, no drill on them (see DrillControl).
        self.drills = DrillControl(
            self,
            drill_factory or default_factory,
            on_recorded_facts=replay is not None and drill_factory is None,
        )
        self.evaluation = EvaluationControl(self)
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
            self.set_keymap(self.config.keymap)
            typos = unknown_ids(self.config.keymap, type(self))
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
        # Imported here, not at the top: 49-59 ms (its module and what it alone needs) that
        # a saved audit opened with `readiness open` would pay before its first frame.
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
        # From now on an answer is saved and shown at once, judged in a worker (evaluation.py).
        self.session.evaluate_later = self.evaluation.request
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
        if self.session is not None:
            self._import_screens()

    @work(thread=True, group="import-screens", exit_on_error=False)
    def _import_screens(self) -> None:
        """The other screens' modules, so that no first visit waits 5-20 ms for one; in idle
        moments (idle_import.py), so that a key typed meanwhile is not slowed down."""
        worker = get_current_worker()
        import_when_idle(screen_modules(), self.heap.seconds_since_input, lambda: worker.is_cancelled)

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
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def jump_to_check(self, check_id: str) -> None:
        self.action_goto("checklist")
        screen = self.get_screen("checklist")
        if isinstance(screen, ChecklistScreen):
            screen.select_check(check_id)

    def export_now(self, fmt: str) -> None:
        """Export in ``fmt`` to the path shown on the export screen (palette entries)."""
        self.action_goto("export")
        screen = self.get_screen("export")
        if isinstance(screen, ExportScreen) and fmt in {name for name, _, _ in menu()}:
            screen.request_export(fmt)

    def start_drill(self) -> None:
        self.action_goto("drill")
        self.ask_to_start_drill()

    # -- the drill (readiness/tui/drill_control.py) -------------------------------
    @property
    def drill(self) -> DrillSession | None:
        return self.drills.drill

    @property
    def drill_phase(self) -> PhaseChange | None:
        return self.drills.phase

    @property
    def drill_status(self) -> DrillStatus | None:
        return self.drills.status

    @property
    def drill_events(self) -> list[DrillEvent]:
        return self.drills.events

    @property
    def drill_on_recorded_facts(self) -> bool:
        return self.drills.on_recorded_facts

    def ask_to_start_drill(self) -> None:
        self.drills.ask_to_start()

    def begin_drill(self) -> None:
        self.drills.begin()

    def confirm_drill_step(self) -> None:
        self.drills.confirm_step()

    def abort_drill(self) -> None:
        self.drills.abort()

    @on(DrillPhase)
    def _drill_phase(self, message: DrillPhase) -> None:
        self.drills.phase_changed(message)

    @on(DrillEventSeen)
    def _drill_event(self, message: DrillEventSeen) -> None:
        self.drills.event_seen(message)

    @on(DrillStatusUpdate)
    def _drill_status(self, message: DrillStatusUpdate) -> None:
        self.drills.status_updated(message)

    @on(DrillFinished)
    def _drill_finished(self, message: DrillFinished) -> None:
        self.drills.finished(message)

    def refresh_drill(self) -> None:
        """Live drill updates redraw the drill screen only (they come four times a second)."""
        if isinstance(self.screen, DrillScreen):
            self.screen.sync()

    async def action_quit(self) -> None:
        """A running drill is stopped and recorded before the app goes."""
        if self.drills.drill is not None:
            self.drills.quit_after = True
            self.drills.abort()
            return
        self.exit(0)

    def refresh_views(self) -> None:
        """After a change: redraw what the visible screen shows from the session."""
        # During shutdown a late message (a cancelled discovery saying so) finds no screen.
        if self.screen_stack and isinstance(self.screen, AuditScreen):
            self.screen.sync()

    # -- discovery (readiness/tui/discovery_control.py) ---------------------------
    @property
    def probe_events(self) -> dict[str, ProbeProgress]:
        return self.discovery.probe_events

    @property
    def discovery_running(self) -> bool:
        return self.discovery.running

    @property
    def discovery_error(self) -> str | None:
        return self.discovery.error

    def run_discovery(self, only: Sequence[str] | None = None) -> None:
        self.discovery.run(only)

    @on(ProbeUpdated)
    def _probe_updated(self, message: ProbeUpdated) -> None:
        self.discovery.probe_updated(message)

    @on(DiscoveryFinished)
    def _discovery_finished(self, message: DiscoveryFinished) -> None:
        self.discovery.finished(message)
        live = self.replay is None or self.history_path is not None
        if message.facts is not None and self.session is not None and live:
            self._history_worker(self.history_path)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _history_worker(self, path: Path | None) -> None:
        # late: the watcher's summary adds 14 ms to the first frame
        from readiness.watch.summary import find_history

        history = find_history(path, datetime.now(UTC).timestamp())
        if history is not None:
            self.post_message(HistoryLoaded(history))

    @on(HistoryLoaded)
    def _history_loaded(self, message: HistoryLoaded) -> None:
        if self.session is not None:
            self.session.set_history(message.history)
            self.refresh_views()

    @on(EvaluationDone)
    def _evaluation_done(self, message: EvaluationDone) -> None:
        self.evaluation.done(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.discovery.worker_changed(event)


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

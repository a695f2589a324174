"""The drill screen against a real TCP peer on loopback that the test takes down and back up.

No mock: the drill's own TCP sampler connects to a listener this test owns; "cutting the
line" is closing that listener, "restoring" it is listening again on the same port.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from rich.text import Text
from textual.widgets import Static
from textual_plotext import PlotextPlot

from readiness.config import Config, Drill
from readiness.drill.samplers import DrillTargets
from readiness.drill.session import DrillListener, DrillSession, Phase
from readiness.store import load_audit
from readiness.tui.app import ReadinessApp
from readiness.tui.screens.drill import DrillScreen
from tests.drill.peers import bind_again
from tests.tui.conftest import AppFactory


class Peer:
    """A TCP listener on 127.0.0.1 that can go away and come back on the same port."""

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.port = 0
        self.up()

    def up(self) -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bind_again(lambda: s.bind(("127.0.0.1", self.port)))  # back after an "outage"
        s.listen(64)
        self.port = s.getsockname()[1]
        self.sock = s

    def down(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


@pytest.fixture
def peer() -> Iterator[Peer]:
    p = Peer()
    try:
        yield p
    finally:
        p.down()


def factory_for(peer: Peer) -> Any:
    def make(
        config: Config, listener: DrillListener, technician: str | None, tolerance: float | None
    ) -> DrillSession:
        targets = DrillTargets(tcp=[("127.0.0.1", peer.port)], watch_vpn=False)
        return DrillSession(
            config,
            listener=listener,
            technician=technician,
            tolerance_minutes=tolerance,
            targets=targets,
            baseline_s=0.5,
            progress_s=0.1,
            max_duration_s=60,
            privileged=False,
        )

    return make


async def wait_phase(app: ReadinessApp, pilot: Any, phase: Phase, timeout: float = 10) -> None:
    for _ in range(int(timeout / 0.05)):
        if app.drill_phase is not None and app.drill_phase.phase == phase:
            return
        await pilot.pause(0.05)
    raise AssertionError(f"the drill never reached {phase}; it is at {app.drill_phase}")


CONFIG = Config(drill=Drill(interval_ms=50, stable_s=0.5, probe_timeout_ms=200))


async def test_a_whole_drill_from_the_screen(make_app: AppFactory, peer: Peer) -> None:
    app = make_app(resume=True, config=CONFIG, drill_factory=factory_for(peer))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f7")
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.query_one("#drill-chart-waiting") and not app.screen.query(PlotextPlot)
        results = app.screen.query_one("#drill-results-box")
        assert results.display
        await pilot.press("g")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"  # nothing starts unasked
        assert app.drill is None
        await pilot.press("y")
        await wait_phase(app, pilot, Phase.AWAIT_CUT)
        assert not results.display  # the running drill's chart takes its rows
        peer.down()  # the technician unplugs the line
        await pilot.press("c")
        await wait_phase(app, pilot, Phase.WATCH_OUTAGE)
        await pilot.pause(0.5)
        assert app.drill_status is not None and app.drill_status.connected is False
        await pilot.press("c")
        await wait_phase(app, pilot, Phase.AWAIT_RESTORE)
        peer.up()  # and plugs it back in
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.drill is None and app.session is not None and results.display
        saved = load_audit(app.session.path)
        assert len(saved.drills) == 1
        drill = saved.drills[0]
        kinds = [e.kind for e in drill.events]
        assert "cut_requested" in kinds and "restore_requested" in kinds
        assert any(not s.ok for s in drill.timeline) and any(s.ok for s in drill.timeline)
        assert drill.outcome.value != "aborted"
        # The chart replaced the words that stood in for it before there was anything to chart.
        assert not app.screen.query("#drill-chart-waiting")
        chart = app.screen.query_one(PlotextPlot).render()
        assert isinstance(chart, Text) and "•" in chart.plain  # the answered probes, drawn
        legend = str(app.screen.query_one("#drill-legend", Static).render())
        assert "x no answer" in legend and "C cut asked" in legend and "R restore asked" in legend


async def test_escape_stops_a_running_drill_and_keeps_it(make_app: AppFactory, peer: Peer) -> None:
    app = make_app(resume=True, config=CONFIG, drill_factory=factory_for(peer))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f7", "g", "y")
        await wait_phase(app, pilot, Phase.AWAIT_CUT)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.drill is None and app.session is not None
        drill = load_audit(app.session.path).drills[-1]
        assert drill.outcome.value == "aborted"
        assert "aborted" in [e.kind for e in drill.events]
        await asyncio.sleep(0)


async def test_no_drill_on_recorded_facts(make_app: AppFactory) -> None:
    """Replayed facts describe another office's line: the default drill would cut and measure
    this computer's own network and file it as theirs. So neither the key nor the palette
    starts one, and the screen says why."""
    app = make_app(resume=True)  # replayed facts and no drill factory: the live default
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        assert "--replay" in str(screen.query_one("#drill-prompt").render())
        await pilot.press("g")
        await pilot.pause()
        assert app.screen is screen and app.drill is None  # no confirmation, no drill
        app.start_drill()  # what the palette's "start the drill" does
        await pilot.pause()
        assert app.screen is screen and app.drill is None
        assert any("recorded facts" in str(n.message) for n in app._notifications)


async def test_a_recorded_drill_is_charted_once_not_on_every_show(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Charting a 10-minute drill (30,000 samples) took ~40 ms, and F7 redrew it on every
    show: 70-78 ms a key. A recorded drill does not change; a new one is charted."""
    from readiness.drill import chart
    from tests.unit import audit_fixtures as fx

    charted: list[int] = []
    series = chart.chart_series

    def counting(timeline: Any, *args: Any, **kwargs: Any) -> Any:
        charted.append(len(timeline))
        return series(timeline, *args, **kwargs)

    monkeypatch.setattr(chart, "chart_series", counting)
    app = make_app(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.session is not None
        app.session.add_drill(fx.drill())
        for key in ("f7", "f3", "f7", "f3", "f7"):
            await pilot.press(key)
            await pilot.pause()
        assert charted == [80]
        second = fx.drill().model_copy(update={"id": "d2", "timeline": fx.drill().timeline[:40]})
        app.session.add_drill(second)
        await pilot.pause()
        assert charted == [80, 40]
        chart_text = app.screen.query_one(PlotextPlot).render()
        assert isinstance(chart_text, Text) and "•" in chart_text.plain

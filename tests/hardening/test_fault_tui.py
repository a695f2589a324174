"""The TUI stays usable while a probe hangs (fault matrix, TUI row).

The app's ``discover`` seam gets the real ``readiness.discovery.discover`` with every
probe replaced through its ``probes`` seam: recorded facts, except one probe that hangs.
While it hangs, screens switch and keys are answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from readiness.config import Config, Timeouts
from readiness.discovery import FIELDS, PROBES, discover
from readiness.model import Facts
from readiness.probes.base import ProbeContext, ProbeOutcome
from readiness.replay import load_facts

tui_app = pytest.importorskip("readiness.tui.app")

FIXTURE = Path(__file__).resolve().parents[2] / "examples" / "dual-office.json"


def _discover_with_a_hanging(name: str, recorded: Facts) -> Callable[..., Any]:
    async def hangs(ctx: ProbeContext) -> ProbeOutcome[Any]:
        await asyncio.sleep(600)  # cancelled when the app quits
        return ProbeOutcome(value=None)

    def fake(field: str) -> Callable[[ProbeContext], Any]:
        async def probe(ctx: ProbeContext) -> ProbeOutcome[Any]:
            return ProbeOutcome(value=getattr(recorded, field))

        return probe

    fns = {n: fake(FIELDS[n]) for n, _ in PROBES}
    fns[name] = hangs

    async def run(config: Config, **kwargs: Any) -> Facts:
        return await discover(config, probes=fns, **kwargs)

    return run


@pytest.mark.parametrize("hanging", ["gateways", "path"])
async def test_app_stays_usable_while_a_probe_hangs(hanging: str, tmp_path: Path) -> None:
    config = Config(timeouts=Timeouts(probe_s=60, discovery_s=120))
    app = tui_app.ReadinessApp(
        config=config,
        site="Hanging office",
        discover=_discover_with_a_hanging(hanging, load_facts(FIXTURE)),
        data_dir=tmp_path,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):  # let every fast probe report
            await pilot.pause(0.05)
            done = [n for n, e in app.probe_events.items() if e.state == "done"]
            if len(done) >= 3:
                break
        assert app.discovery_running
        assert app.probe_events[hanging].state == "running"
        assert any(e.state == "done" for e in app.probe_events.values())

        for key, screen in [("f3", "checklist"), ("f5", "findings"), ("f4", "impact"), ("f2", "discovery")]:
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.id == screen, f"{key} did not show {screen} while {hanging} hangs"
        theme = app.theme
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme != theme
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.id != "discovery"  # help opened over it
        await pilot.press("escape")
        await pilot.pause()
        assert app.discovery_running and app.probe_events[hanging].state == "running"
        assert app.session is not None
        assert app.session.path.exists()  # the audit was saved before discovery finished

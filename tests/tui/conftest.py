"""TUI test helpers: replayed facts (never a real probe), a frozen clock, fixture audits."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from readiness.config import Config
from readiness.model import Facts
from readiness.replay import load_facts
from readiness.tui.app import ReadinessApp
from readiness.tui.widgets.fitted_table import FittedTable

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FACTS_PATH = FIXTURES / "office_facts.json"
AUDIT_PATH = FIXTURES / "audit_midway.json"
FROZEN = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)


def frozen_clock() -> datetime:
    return FROZEN


@pytest.fixture(autouse=True)
def _never_probe_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """A TUI test that forgot to replay facts fails here instead of probing the real network."""

    def refuse() -> object:
        raise AssertionError("a TUI test tried to run the real discovery; give it recorded facts")

    monkeypatch.setattr("readiness.tui.discovery_control.real_discover", refuse)


@pytest.fixture
def facts() -> Facts:
    return load_facts(FACTS_PATH)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "audits"
    folder.mkdir()
    return folder


AppFactory = Callable[..., ReadinessApp]


@pytest.fixture
def make_app(facts: Facts, data_dir: Path) -> AppFactory:
    """A ReadinessApp on replayed facts; ``resume=True`` opens a copy of the fixture audit."""

    def make(*, resume: bool = False, config: Config | None = None, **kwargs: object) -> ReadinessApp:
        audit_path = None
        if resume:
            audit_path = data_dir / "fixture00001.json"
            shutil.copyfile(AUDIT_PATH, audit_path)
        return ReadinessApp(
            config=config,
            replay=facts,
            clock=frozen_clock,
            data_dir=data_dir,
            audit_path=audit_path,
            **kwargs,  # type: ignore[arg-type]
        )

    return make


async def settled(pilot: Pilot[Any]) -> None:
    """Wait until the screen is whole: mounted, its workers done (probes, the saved audits'
    reading) and its tables filled and measured. A DataTable measures new rows when it is
    next idle, which can come after a plain ``pilot.pause()``; a frame drawn before then
    shows the columns at their headers' width."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()  # mounted: the workers it starts are running
        await app.workers.wait_for_complete()
        screen = app.screen
        tables = list(screen.query(FittedTable))
        if (
            screen.id != "_default"  # Textual's own, before the app shows its first screen
            and getattr(screen, "saved_read", True)  # the start screen's list is in
            and all(t._fitted_to == t.title_width() and not t._require_update_dimensions for t in tables)
        ):
            await pilot.pause()
            return
    raise AssertionError(f"{app.screen!r} did not settle")

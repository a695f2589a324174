"""TUI test helpers: replayed facts (never a real probe), a frozen clock, fixture audits."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from readiness.config import Config
from readiness.model import Facts
from readiness.replay import load_facts
from readiness.tui.app import ReadinessApp

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

    monkeypatch.setattr("readiness.tui.app.real_discover", refuse)


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

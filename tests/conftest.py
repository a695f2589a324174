"""Shared fixtures: every test gets its own data and config folders."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.lab.fixtures"]  # the office lab's fixtures (`lab`, `lab_factory`)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the developer's real config or saved audits."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("READINESS_DATA_DIR", str(home / "audits"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent

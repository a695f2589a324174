"""Shared fixtures: every test gets its own data and config folders."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.lab.fixtures"]  # the office lab's fixtures (`lab`, `lab_factory`)

LAB_FIXTURES = frozenset({"lab", "lab_factory", "lab_pool"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that brings up the office lab carries the ``lab`` marker, wherever its
    file is and whatever it is called: ``pytest -m lab`` / ``-m "not lab"`` (make lab,
    make unit) select by what a test needs, not by file names. A test that builds its
    own namespaces without these fixtures says ``@pytest.mark.lab`` itself."""
    for item in items:
        if LAB_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("lab") is None:
            item.add_marker(pytest.mark.lab)


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

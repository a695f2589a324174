"""pytest fixtures for the office lab (registered by tests/conftest.py: ``pytest_plugins``).

* ``lab``: one lab per scenario for the whole session (a bring-up costs 0.3-3 s), shared by
  every test that asks for that scenario. Choose it with
  ``@pytest.mark.parametrize("lab", ["dual", "manual"], indirect=True)`` (default: ``single``).
  After each test that used it, cuts, switches and UPS changes are undone (``Lab.reset``);
  a test that changes anything else in a shared lab must undo it itself.
* ``lab_factory``: ``lab_factory("dead")`` builds a lab torn down at the end of the test.

Both skip, with the reason, when the lab cannot run here (not root, no ``ip netns``...).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator

import pytest

from tests.lab.lab import Lab, lab_available
from tests.lab.netns import LabUnavailable


def _require_lab() -> None:
    ok, why = lab_available()
    if not ok:
        pytest.skip(f"office lab unavailable: {why}")


def _up(scenario: str) -> Lab:
    try:
        return Lab.up(scenario)
    except LabUnavailable as exc:
        pytest.skip(f"office lab unavailable: {exc}")


class LabPool:
    """One lab per scenario, built on first use and kept for the session."""

    def __init__(self) -> None:
        self.labs: dict[str, Lab] = {}

    def get(self, scenario: str) -> Lab:
        if scenario not in self.labs:
            self.labs[scenario] = _up(scenario)
        return self.labs[scenario]

    def get_many(self, scenarios: Iterable[str]) -> dict[str, Lab]:
        """Several labs, the missing ones brought up side by side (a UPS lab takes ~3 s idle)."""
        wanted = list(dict.fromkeys(scenarios))
        missing = [s for s in wanted if s not in self.labs]
        errors: dict[str, BaseException] = {}

        def build(name: str) -> None:
            try:
                self.labs[name] = Lab.up(name)
            except BaseException as exc:
                errors[name] = exc

        threads = [threading.Thread(target=build, args=(name,)) for name in missing]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for exc in errors.values():
            if isinstance(exc, LabUnavailable):
                pytest.skip(f"office lab unavailable: {exc}")
            raise exc
        return {s: self.labs[s] for s in wanted}

    def close(self) -> None:
        for built in self.labs.values():
            built.down()
        self.labs.clear()


@pytest.fixture(scope="session")
def lab_pool() -> Iterator[LabPool]:
    pool = LabPool()
    yield pool
    pool.close()


@pytest.fixture
def lab(request: pytest.FixtureRequest, lab_pool: LabPool) -> Iterator[Lab]:
    _require_lab()
    built = lab_pool.get(getattr(request, "param", "single"))
    try:
        yield built
    finally:
        built.reset()


@pytest.fixture
def lab_factory() -> Iterator[Callable[[str], Lab]]:
    _require_lab()
    made: list[Lab] = []

    def make(scenario: str) -> Lab:
        built = _up(scenario)
        made.append(built)
        return built

    yield make
    for built in made:
        built.down()

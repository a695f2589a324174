"""Modules imported in a worker thread, politely: one at a time, and only while no key has
come for QUIET_S, so that a screen being built for a key is not slowed down by them
(readiness/tui/idle_import.py). Used for live discovery's probe libraries and for the
screens' modules after the first frame."""

from __future__ import annotations

import importlib
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from readiness.tui.discovery_control import STEPPING_STONES, DiscoveryControl, probe_modules
from readiness.tui.idle_import import QUIET_S, import_when_idle


class Keys:
    """Says a key came just now for the first ``busy_polls`` questions, then quiet."""

    def __init__(self, busy_polls: int) -> None:
        self.busy_polls = busy_polls
        self.polls = 0

    def seconds_since_input(self) -> float:
        self.polls += 1
        return 0.0 if self.polls <= self.busy_polls else QUIET_S + 1


def test_live_discovery_imports_the_probes_and_a_replay_does_not() -> None:
    app: Any = SimpleNamespace()

    async def replay(*args: object, **kwargs: object) -> None:
        return None

    assert DiscoveryControl(app, None).import_probes is True
    assert DiscoveryControl(app, replay).import_probes is False  # type: ignore[arg-type]


def test_every_probe_module_is_listed() -> None:
    modules = probe_modules()
    for name in ("readiness.probes.echo", "readiness.probes.router_snmp", "readiness.probes.dns"):
        assert name in modules


def test_every_stepping_stone_is_installed() -> None:
    """A stone a library's new release dropped is passed over at run time, silently: the
    import is only coarser then. Here it shows, so the list follows the libraries."""
    missing = []
    for name in STEPPING_STONES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            missing.append(name)
    assert missing == []


def test_a_missing_stone_is_passed_over_and_a_missing_module_is_not() -> None:
    never = "readiness_no_such_module_for_this_test"
    assert import_when_idle([never, "json"], lambda: QUIET_S + 1, lambda: False, optional=[never]) is True
    with pytest.raises(ModuleNotFoundError):
        import_when_idle([never], lambda: QUIET_S + 1, lambda: False)


def test_a_broken_probe_library_does_not_stop_the_discovery_worker(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A library that fails at import (here a module raising ImportError) is passed over by
    the polite import; discovery's load_probe then reports the probe as 'unknown'."""
    (tmp_path / "readiness_broken_for_this_test.py").write_text("raise ImportError('broken build')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    app: Any = SimpleNamespace(heap=SimpleNamespace(seconds_since_input=lambda: QUIET_S + 1))
    worker: Any = SimpleNamespace(is_cancelled=False)
    monkeypatch.setattr(
        "readiness.tui.discovery_control.probe_modules", lambda: ["readiness_broken_for_this_test", "json"]
    )
    assert DiscoveryControl(app, None)._import_politely(worker) is True


def test_nothing_is_imported_while_keys_come(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = Keys(busy_polls=5)
    imported: list[tuple[str, int]] = []
    monkeypatch.setattr(importlib, "import_module", lambda name: imported.append((name, keys.polls)))
    monkeypatch.setattr(time, "sleep", lambda s: None)
    assert import_when_idle(["m1", "m2"], keys.seconds_since_input, lambda: False) is True
    # The first import waited out the five busy answers; each import asked first.
    assert imported == [("m1", 6), ("m2", 7)]


def test_a_cancelled_worker_stops_importing(monkeypatch: pytest.MonkeyPatch) -> None:
    imported: list[str] = []
    cancelled = {"now": False}
    monkeypatch.setattr(importlib, "import_module", imported.append)

    def sleep(s: float) -> None:
        cancelled["now"] = True  # the app quit while a key kept the imports waiting

    monkeypatch.setattr(time, "sleep", sleep)
    keys = Keys(busy_polls=100)
    assert import_when_idle(["m1", "m2"], keys.seconds_since_input, lambda: cancelled["now"]) is False
    assert imported == []

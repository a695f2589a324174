"""Live discovery imports its probes' libraries in its worker thread, politely: one module
at a time, and only while no key has come for QUIET_S, so that a screen being built for a
key is not slowed down by them (readiness/tui/discovery_control.py)."""

from __future__ import annotations

import importlib
import time
from types import SimpleNamespace
from typing import Any

import pytest

from readiness.tui import discovery_control
from readiness.tui.discovery_control import QUIET_S, DiscoveryControl, probe_modules


class Heap:
    """Says a key came just now for the first ``busy_polls`` questions, then quiet."""

    def __init__(self, busy_polls: int) -> None:
        self.busy_polls = busy_polls
        self.polls = 0

    def seconds_since_input(self) -> float:
        self.polls += 1
        return 0.0 if self.polls <= self.busy_polls else QUIET_S + 1


def control(heap: Heap) -> DiscoveryControl:
    app: Any = SimpleNamespace(heap=heap)
    return DiscoveryControl(app, discover=None)


def test_live_discovery_imports_the_probes_and_a_replay_does_not() -> None:
    assert control(Heap(0)).import_probes is True
    app: Any = SimpleNamespace(heap=Heap(0))

    async def replay(*args: object, **kwargs: object) -> None:
        return None

    assert DiscoveryControl(app, replay).import_probes is False  # type: ignore[arg-type]


def test_every_probe_module_is_listed() -> None:
    modules = probe_modules()
    for name in ("readiness.probes.echo", "readiness.probes.router_snmp", "readiness.probes.dns"):
        assert name in modules


def test_nothing_is_imported_while_keys_come(monkeypatch: pytest.MonkeyPatch) -> None:
    heap = Heap(busy_polls=5)
    imported: list[tuple[str, int]] = []
    monkeypatch.setattr(discovery_control, "probe_modules", lambda: ["m1", "m2"])
    monkeypatch.setattr(importlib, "import_module", lambda name: imported.append((name, heap.polls)))
    monkeypatch.setattr(time, "sleep", lambda s: None)
    worker: Any = SimpleNamespace(is_cancelled=False)
    assert control(heap)._import_politely(worker) is True
    # The first import waited out the five busy answers; each import asked first.
    assert imported == [("m1", 6), ("m2", 7)]


def test_a_cancelled_worker_stops_importing(monkeypatch: pytest.MonkeyPatch) -> None:
    imported: list[str] = []
    monkeypatch.setattr(discovery_control, "probe_modules", lambda: ["m1", "m2"])
    monkeypatch.setattr(importlib, "import_module", imported.append)
    worker: Any = SimpleNamespace(is_cancelled=False)

    def sleep(s: float) -> None:
        worker.is_cancelled = True  # the app quit while a key kept the imports waiting

    monkeypatch.setattr(time, "sleep", sleep)
    assert control(Heap(busy_polls=100))._import_politely(worker) is False
    assert imported == []

"""Typed messages the discovery and drill workers post to the app (thread-safe)."""

from __future__ import annotations

from textual.message import Message

from readiness.model import Facts, History
from readiness.probes.base import ProbeProgress


class ProbeUpdated(Message):
    """A probe started or finished."""

    def __init__(self, event: ProbeProgress) -> None:
        self.event = event
        super().__init__()


class HistoryLoaded(Message):
    """The watcher's database was found and read after discovery."""

    def __init__(self, history: History) -> None:
        self.history = history
        super().__init__()


class DiscoveryFinished(Message):
    """Discovery ended: ``facts`` when it completed, ``error`` when it did not."""

    def __init__(self, facts: Facts | None, error: str | None = None, cancelled: bool = False) -> None:
        self.facts = facts
        self.error = error
        self.cancelled = cancelled
        super().__init__()

"""How the TUI gets its facts: the real discovery, or recorded facts played back.

Both have the shape of ``readiness.discovery.discover`` so the discovery screen has one
code path. Tests inject their own function of the same shape (recorded facts with
progress events) so that no test ever probes the network of the machine it runs on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Protocol

from readiness.config import Config
from readiness.model import Facts
from readiness.probes.base import ProbeProgress
from readiness.replay import load_facts as read_facts


class DiscoverFn(Protocol):
    def __call__(
        self,
        config: Config,
        *,
        offline: bool = False,
        only: Sequence[str] | None = None,
        base: Facts | None = None,
        on_progress: Callable[[ProbeProgress], None] | None = None,
        declared_services: Sequence[str] = (),
    ) -> Awaitable[Facts]: ...


def probe_list(facts: Facts | None = None) -> list[tuple[str, str]]:
    """(name, title) of every probe, and of any other probe the facts recorded."""
    # late: discovery adds 14 ms to the start screen's and a saved audit's first frame
    from readiness.discovery import PROBES

    names = {n for n, _ in PROBES}
    extra = [(n, n) for n in (facts.probes if facts else {}) if n not in names]
    return list(PROBES) + extra


def real_discover() -> DiscoverFn:
    # late: discovery adds 14 ms to the first frame
    from readiness.discovery import discover

    return discover


def load_facts(path: Path) -> Facts:
    """Recorded facts (a Facts document, or an audit whose facts are replayed)."""
    return read_facts(path)


def replay_discover(recorded: Facts, *, step_s: float = 0.0) -> DiscoverFn:
    """A discover function that plays ``recorded`` back, probe by probe, with progress.

    ``step_s`` slows each probe down (the benchmark uses it to stand for slow probes).
    """

    async def discover(
        config: Config,
        *,
        offline: bool = False,
        only: Sequence[str] | None = None,
        base: Facts | None = None,
        on_progress: Callable[[ProbeProgress], None] | None = None,
        declared_services: Sequence[str] = (),
    ) -> Facts:
        del config, offline, declared_services
        for name, title in probe_list(recorded):
            if only is not None and name not in only:
                continue
            if on_progress is not None:
                on_progress(ProbeProgress(name, title, "running"))
            if step_s:
                await asyncio.sleep(step_s)
            report = recorded.probes.get(name)
            if on_progress is not None:
                on_progress(ProbeProgress(name, title, "done", report))
        return recorded.model_copy(deep=True)

    return discover

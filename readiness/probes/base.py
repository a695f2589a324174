"""The contract every probe follows.

A probe is ``async def probe_x(ctx: ProbeContext) -> ProbeOutcome[T]``. It reads the
machine or the network, never decides pass/fail, never touches the UI, and never raises:
anything that goes wrong becomes ``ProbeOutcome.unknown(reason)`` (or a partial value
with diagnostics). The discovery runner adds the time limit on top.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, TypeVar

from readiness.catalogue import Catalogue
from readiness.config import Config
from readiness.model import Endpoint, Facts, ProbeReport, ProbeStatus

T = TypeVar("T")


ProbeState = Literal["waiting", "running", "done"]


@dataclass(frozen=True)
class ProbeProgress:
    """One step of one probe: what discovery reports as it runs, what the CLI prints and
    the discovery screen shows ("waiting" is the screen's, before discovery starts it)."""

    name: str
    title: str
    state: ProbeState
    report: ProbeReport | None = None


@dataclass
class ProbeContext:
    config: Config
    offline: bool = False
    # What earlier probes already found (e.g. gateways, for looking for NUT on the router).
    facts: Facts = field(default_factory=Facts)
    catalogue: Catalogue | None = None
    resolv_conf: Path = Path("/etc/resolv.conf")
    declared_services: frozenset[str] = frozenset()


@dataclass
class ProbeOutcome(Generic[T]):
    value: T | None
    status: ProbeStatus = ProbeStatus.OK
    reason: str | None = None
    diagnostics: list[str] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)

    @classmethod
    def unknown(cls, reason: str, diagnostics: list[str] | None = None) -> ProbeOutcome[T]:
        return cls(value=None, status=ProbeStatus.UNKNOWN, reason=reason, diagnostics=diagnostics or [])

    @classmethod
    def skipped(cls, reason: str) -> ProbeOutcome[T]:
        return cls(value=None, status=ProbeStatus.SKIPPED, reason=reason)

"""A drill clock whose time moves only when every task is waiting, and scripted probes.

With it a drill of many seconds runs in milliseconds and its figures are exact: the
runner's loops sleep on this clock, the scripted samplers answer from a script of the
line (up or down, which public address) at the clock's time, and the owner of an address
comes from a table instead of DNS. Nothing here touches the network; the real samplers
are tested against real peers in test_samplers.py and test_session.py's end-to-end test.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import dns.asyncresolver

from readiness.config import Config
from readiness.drill.samplers import ProbeResult, Sampler
from readiness.model.drill import WanSnapshot

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SETTLE_YIELDS = 50  # loop turns given to runnable tasks before the clock moves on


class FakeClock:
    """Virtual seconds. ``sleep`` parks the caller until the clock reaches its wake time;
    a driver task moves the clock to the earliest wake time once the other tasks have had
    SETTLE_YIELDS turns of the loop (everything here is CPU-only, so that is idle)."""

    def __init__(self, start: datetime = START) -> None:
        self.t = 0.0
        self.start = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._driver: asyncio.Task[None] | None = None

    def monotonic(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.t)

    async def sleep(self, seconds: float) -> None:
        if self._driver is None or self._driver.done():
            self._driver = asyncio.get_running_loop().create_task(self._drive())
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.t + max(seconds, 0.0), next(self._order), future))
        await future

    async def _drive(self) -> None:
        while True:
            for _ in range(SETTLE_YIELDS):
                await asyncio.sleep(0)
            while self._sleepers and self._sleepers[0][2].done():  # cancelled meanwhile
                heapq.heappop(self._sleepers)
            if not self._sleepers:
                continue
            wake, _, future = heapq.heappop(self._sleepers)
            self.t = max(self.t, wake)
            future.set_result(None)


@dataclass
class LineScript:
    """The office's connection over (virtual) time: down in ``outages`` ([start, end)
    seconds), and the public address seen from outside from each moment on."""

    outages: list[tuple[float, float]] = field(default_factory=list)
    addresses: list[tuple[float, str]] = field(default_factory=lambda: [(0.0, "192.0.2.10")])
    rtt_ms: float = 12.0

    def up(self, t: float) -> bool:
        return not any(start <= t < end for start, end in self.outages)

    def address(self, t: float) -> str:
        return [a for since, a in self.addresses if since <= t][-1]


class ScriptedSampler(Sampler):
    """A reachability or echo probe that answers from the script at the clock's time; a
    probe sent while the line is down takes its whole time limit, as a real one does."""

    def __init__(self, name: str, clock: FakeClock, script: LineScript, *, echo: bool = False) -> None:
        self.name = name
        self.clock = clock
        self.script = script
        if echo:
            self.period_s = 0.5
            self.fast_when_unsteady = True

    async def probe(self, timeout_s: float) -> ProbeResult:
        sent = self.clock.monotonic()
        if not self.script.up(sent):
            await self.clock.sleep(timeout_s)
            return ProbeResult(False, detail="timeout")
        detail = self.script.address(sent) if self.name.startswith("echo:") else None
        return ProbeResult(True, rtt_ms=self.script.rtt_ms, detail=detail)


def scripted_samplers(clock: FakeClock, script: LineScript) -> list[Sampler]:
    """Three reachability probes and one echo, as the default drill has."""
    return [
        ScriptedSampler("icmp:198.51.100.1", clock, script),
        ScriptedSampler("icmp:198.51.100.2", clock, script),
        ScriptedSampler("tcp:198.51.100.3:443", clock, script),
        ScriptedSampler("echo:https://echo.test/", clock, script, echo=True),
    ]


def owners(table: dict[str, tuple[int, str]]) -> Callable[..., object]:
    """A WAN lookup from a table (address -> ASN, AS name) instead of Team Cymru's DNS."""

    async def lookup(address: str, config: Config, resolver: dns.asyncresolver.Resolver) -> WanSnapshot:
        asn, name = table.get(address, (None, None))
        return WanSnapshot(public_ip=address, asn=asn, as_name=name)

    return lookup

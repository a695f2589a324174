"""The drill's probe schedule: which sampler is sent when, and how ticks are decided.

Every interval the scheduler launches each due sampler (an echo every 0.5 s while the
line is steady, every interval while it is not), never more in flight per sampler than
its time limit can hold, and never waits for the previous tick: a slow probe costs only
its own sample. The reachability probes launched together form a tick; a tick is decided
(up when a strict majority answered) once all of them came back, in tick order.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import statistics
from collections.abc import Awaitable, Callable, Iterator

from readiness.drill.live import TickAgg
from readiness.drill.sample_names import REACH_PREFIXES
from readiness.drill.samplers import ProbeResult, Sampler

# A sample as it comes back: (sample name, result, the drill time it was sent, its tick).
Deliver = Callable[[str, ProbeResult, float, "int | None"], None]


class TickBook:
    """The ticks still open: launched, waiting for some of their probes."""

    def __init__(self) -> None:
        self._open: dict[int, TickAgg] = {}

    def open(self, k: int, t: float, n: int) -> None:
        self._open[k] = TickAgg(t=t, n=n)

    def record(self, k: int, ok: bool, rtt_ms: float | None) -> bool:
        """Count one probe of tick ``k``; False when that tick is not open (decided)."""
        agg = self._open.get(k)
        if agg is None:
            return False
        agg.done += 1
        if ok:
            agg.ok += 1
            if rtt_ms is not None:
                agg.rtts.append(rtt_ms)
        return True

    def decided(self) -> Iterator[tuple[float, bool, float | None]]:
        """(t, up, median RTT) of each tick whose probes all came back, oldest first,
        stopping at the first one still waiting."""
        while self._open:
            k = min(self._open)
            agg = self._open[k]
            if agg.done < agg.n:
                return
            del self._open[k]
            rtt = statistics.median(agg.rtts) if agg.rtts else None
            yield agg.t, agg.ok * 2 > agg.n, round(rtt, 2) if rtt is not None else None


class ProbeScheduler:
    def __init__(
        self,
        samplers: list[Sampler],
        *,
        interval_s: float,
        probe_timeout_s: float,
        now: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
        steady: Callable[[float], bool],
        deliver: Deliver,
        ticks: TickBook,
        sent: Callable[[], None],
    ) -> None:
        self.samplers = samplers
        self.interval_s = interval_s
        self.probe_timeout_s = probe_timeout_s
        self._now, self._sleep, self._steady = now, sleep, steady
        self._deliver, self._ticks, self._sent = deliver, ticks, sent
        self._inflight: dict[str, set[asyncio.Task[None]]] = {s.name: set() for s in samplers}

    async def run(self) -> None:
        """Launch every due sampler each interval, until cancelled."""
        k = 0
        last_run: dict[str, float] = {}
        while True:
            delay = k * self.interval_s - self._now()
            if delay > 0:
                await self._sleep(delay)
            elif delay < -self.interval_s:  # fell behind: skip the missed ticks, never burst
                k = math.ceil(self._now() / self.interval_s)
                continue
            t = self._now()
            steady = self._steady(t)
            reach_launched = 0
            for s in self.samplers:
                period = s.period_s
                if s.fast_when_unsteady and not steady:
                    period = None
                if period is not None and t - last_run.get(s.name, -math.inf) < period - self.interval_s / 2:
                    continue
                timeout = self.probe_timeout_s * s.timeout_factor
                cap = math.ceil(timeout / self.interval_s) + 1
                if len(self._inflight[s.name]) >= cap:
                    continue
                last_run[s.name] = t
                is_reach = s.name.startswith(REACH_PREFIXES)
                reach_launched += is_reach
                task = asyncio.create_task(self._one(s, timeout, round(t, 4), k if is_reach else None))
                self._inflight[s.name].add(task)
                task.add_done_callback(self._inflight[s.name].discard)
                if s.counts_as_probe:
                    self._sent()
            if reach_launched:
                self._ticks.open(k, round(t, 4), reach_launched)
            k += 1

    async def _one(self, sampler: Sampler, timeout_s: float, t: float, tick: int | None) -> None:
        for name, result in await sampler.sample(timeout_s):
            self._deliver(name, result, t, tick)

    async def stop(self) -> None:
        """Cancel the probes still in flight and release what the samplers hold."""
        tasks = [t for group in self._inflight.values() for t in group]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for s in self.samplers:
            with contextlib.suppress(Exception):
                await s.close()

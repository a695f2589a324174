"""Synthetic tick streams for the detector: a truth over time, sampled like the watcher.

``Truth`` says, for any time, whether the anchors, the router and the resolver answer and
which public address the office has. :class:`FakeClock` advances three clocks the way a
machine does (sleep moves boot and wall, not mono; a step moves wall only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from readiness.watch.detector import Detector, Echo, Event, Tick

WALL0 = 1_780_000_000.0


@dataclass
class FakeClock:
    mono_: float = 1000.0
    boot_: float = 1000.0
    wall_: float = WALL0

    def mono(self) -> float:
        return self.mono_

    def boot(self) -> float:
        return self.boot_

    def wall(self) -> float:
        return self.wall_

    async def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.mono_ += seconds
        self.boot_ += seconds
        self.wall_ += seconds

    def suspend(self, seconds: float) -> None:
        self.boot_ += seconds
        self.wall_ += seconds

    def step(self, seconds: float) -> None:
        self.wall_ += seconds


@dataclass
class Truth:
    """Intervals on the boot clock, relative to the start, of what is broken."""

    down: list[tuple[float, float]] = field(default_factory=list)  # anchors unreachable
    gateway_down: list[tuple[float, float]] = field(default_factory=list)
    dns_down: list[tuple[float, float]] = field(default_factory=list)
    address: Callable[[float], str] = lambda t: "198.51.100.10"
    rtt: Callable[[float], float] = lambda t: 20.0
    lost: Callable[[float], int] = lambda t: 0  # probes of 3 lost without an outage

    @staticmethod
    def _in(t: float, spans: list[tuple[float, float]]) -> bool:
        return any(a <= t < b for a, b in spans)


def tick_at(clock: FakeClock, truth: Truth, rel: float, n: int = 3) -> Tick:
    down = Truth._in(rel, truth.down) or Truth._in(rel, truth.gateway_down)
    ok = 0 if down else n - truth.lost(rel)
    return Tick(
        mono=clock.mono(),
        boot=clock.boot(),
        wall=clock.wall(),
        reach_ok=ok,
        reach_n=n,
        gateway_ok=not Truth._in(rel, truth.gateway_down),
        dns_ok=not (down or Truth._in(rel, truth.dns_down)),
        rtt_ms=None if ok == 0 else truth.rtt(rel),
    )


def run(
    truth: Truth,
    seconds: float,
    *,
    offset: float = 0.37,
    echo_every: float = 1.0,
    detector: Detector | None = None,
    clock: FakeClock | None = None,
    hooks: dict[int, Callable[[FakeClock], None]] | None = None,
) -> tuple[list[Event], FakeClock, float]:
    """Sample ``truth`` at one tick a second (first tick at ``offset``); echo every ``echo_every`` s.

    ``hooks[k]`` runs on the clock before tick k (a suspend, a step). Returns the final
    version of each event, the clock and the boot time of the truth's zero.
    """
    det = detector or Detector()
    clock = clock or FakeClock()
    zero = clock.boot()
    clock.advance(offset)
    events: dict[str, Event] = {}
    next_echo = 0.0
    k = 0
    while clock.boot() - zero < seconds:
        if hooks and k in hooks:
            hooks[k](clock)
        rel = clock.boot() - zero
        for ev in det.tick(tick_at(clock, truth, rel)):
            events[ev.key] = ev
        if rel >= next_echo:
            for ev in det.echo(Echo(boot=clock.boot(), wall=clock.wall(), address=truth.address(rel))):
                events[ev.key] = ev
            next_echo = rel + echo_every
        clock.advance(1.0)
        k += 1
    for ev in det.stop():
        events[ev.key] = ev
    return sorted(events.values(), key=lambda e: e.start_wall), clock, zero

"""The watcher's loop: the drill's samplers at the watch rate, the detector, the store.

Every tick (1 s by default) it sends, at once, one probe to each anchor (ICMP, or TCP where
ICMP is not allowed), one TCP handshake, one ICMP echo to the router and one lookup through
the office's resolver, waits for them (each bounded below a tick), and feeds the result to
the detector. The public address (and its provider) is asked every ``echo_period_s`` and,
after any loss or change, every tick for ``fast_echo_s``, in the background: a slow echo
never delays a tick. Events go to the store (committed at once), the alerter and the
metrics; ticks are committed every ``commit_s``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

import dns.asyncresolver

from readiness.config import Config
from readiness.drill.samplers import (
    DrillTargets,
    IcmpSampler,
    ProbeResult,
    Sampler,
    TcpSampler,
    build_samplers,
    icmp_available,
)
from readiness.probes.cymru import lookup_as_name, lookup_origin
from readiness.probes.linux_routes import read_default_routes
from readiness.watch.alerts import Alerter
from readiness.watch.clock import Clock, SystemClock, boot_id
from readiness.watch.detector import Detector, DetectorSettings, Echo, Event, Tick
from readiness.watch.metrics import Metrics
from readiness.watch.store import WatchStore

AGGREGATE_EVERY_S = 3600.0


@dataclass
class WatchTargets:
    """What the watcher probes: the drill's targets plus the router."""

    drill: DrillTargets
    gateway: str | None = None

    @classmethod
    def from_config(cls, config: Config) -> WatchTargets:
        targets = DrillTargets.from_config(config)
        targets.watch_vpn = False
        return cls(drill=targets, gateway=config.watch.gateway or default_gateway())


def default_gateway() -> str | None:
    """The IPv4 default gateway with the lowest metric, or None."""
    routes = [r for r in read_default_routes() or [] if r.family == 4 and r.gateway]
    return min(routes, key=lambda r: r.metric).gateway if routes else None


@dataclass
class WatchStats:
    ticks: int = 0
    probes: int = 0
    echoes: int = 0
    events: list[Event] = field(default_factory=list)


class Watcher:
    def __init__(
        self,
        config: Config,
        store: WatchStore,
        *,
        targets: WatchTargets | None = None,
        clock: Clock | None = None,
        alerter: Alerter | None = None,
        metrics: Metrics | None = None,
        privileged: bool | None = None,
        on_event: Callable[[Event], None] | None = None,
    ) -> None:
        self.config = config
        self.w = config.watch
        self.store = store
        self.targets = targets or WatchTargets.from_config(config)
        self.clock: Clock = clock or SystemClock()
        self.alerter = alerter or Alerter()
        self.metrics = metrics
        self.privileged = privileged
        self.on_event = on_event
        self.stats = WatchStats()
        self.detector = Detector(
            DetectorSettings(interval_s=self.w.interval_s, gap_s=max(5.0, 5 * self.w.interval_s)),
            primary_ip=store.get_meta("primary_ip"),
        )
        self.notes: list[str] = []
        self._stop = asyncio.Event()
        self._echo_task: asyncio.Task[None] | None = None
        self._known_asn: dict[str, tuple[int | None, str | None]] = {}

    def stop(self) -> None:
        """Ask the loop to end after the current tick (call on the loop's thread)."""
        self._stop.set()

    # ---- setup ------------------------------------------------------------------------------
    def _samplers(self) -> tuple[list[Sampler], Sampler | None, Sampler | None, list[Sampler]]:
        samplers, notes = build_samplers(self.targets.drill, self.privileged)
        self.notes += notes
        reach: list[Sampler] = [s for s in samplers if isinstance(s, IcmpSampler | TcpSampler)]
        dns_s = next((s for s in samplers if s.name.startswith("dns:")), None)
        echoes = [s for s in samplers if s.name.startswith(("echo:", "dnsecho:"))]
        gateway: Sampler | None = None
        if self.targets.gateway:
            privileged = self.privileged
            if privileged is None:
                privileged = hasattr(os, "geteuid") and os.geteuid() == 0
            if icmp_available(privileged) is None:
                gateway = IcmpSampler(self.targets.gateway, privileged)
            elif privileged and icmp_available(False) is None:
                gateway = IcmpSampler(self.targets.gateway, False)
            else:
                gateway = TcpSampler(self.targets.gateway, 80)
                self.notes.append(
                    f"ICMP not permitted: the router {self.targets.gateway} is checked by TCP 80"
                )
        return reach, gateway, dns_s, echoes

    def _resume(self) -> None:
        now_boot, now_wall = self.clock.boot(), self.clock.wall()
        this_boot = boot_id()
        last = self.store.last_run()
        # What was open when the last run ended (killed, power cut) ends at its last heartbeat.
        for ev in self.store.open_events():
            end_wall = last.last_wall if last is not None else ev.start_wall
            end_boot = last.last_boot if last is not None and ev.start_boot is not None else None
            self._emit(
                Event(
                    key=ev.key,
                    kind=ev.kind,
                    start_boot=ev.start_boot if end_boot is not None else None,
                    start_wall=ev.start_wall,
                    end_boot=end_boot,
                    end_wall=max(end_wall, ev.start_wall),
                    cause=ev.cause,
                    detail={**ev.detail, "cut_short": "watcher stopped"},
                )
            )
        if last is not None:
            same_boot = last.boot_id is not None and last.boot_id == this_boot
            for ev in self.detector.resume(
                last.last_boot if same_boot else None,
                last.last_wall,
                now_boot if same_boot else None,
                now_wall,
                "stopped",
            ):
                self._emit(ev)
        self.store.start_run(this_boot, now_wall, now_boot, self.w.interval_s)
        self.store.set_meta("alerting", json.dumps(self.alerter.configured + (self._metric_kinds())))
        self.store.commit()

    def _metric_kinds(self) -> list[str]:
        kinds = []
        if self.w.metrics_port is not None:
            kinds.append("metrics")
        if self.w.textfile:
            kinds.append("textfile")
        return kinds

    # ---- running ----------------------------------------------------------------------------
    async def run(self, duration_s: float | None = None) -> WatchStats:
        reach, gateway, dns_s, echoes = self._samplers()
        self._resolver = _resolver(self.targets.drill)
        self._resume()
        start = self.clock.boot()
        interval = self.w.interval_s
        timeout = min(self.w.probe_timeout_ms / 1000, interval * 0.9)
        last_commit = start
        last_aggregate = -math.inf
        last_echo = -math.inf
        k = 0
        try:
            while not self._stop.is_set():
                target = start + k * interval
                now = self.clock.boot()
                if duration_s is not None and now - start >= duration_s:
                    break
                if target > now:
                    await self.clock.sleep(target - now)
                elif now - target > interval:  # fell behind (or slept): no burst, start afresh
                    k = math.ceil((now - start) / interval)
                    continue
                k += 1
                tick = await self._tick(reach, gateway, dns_s, timeout)
                for ev in self.detector.tick(tick):
                    self._emit(ev)
                self.store.add_tick(tick)
                self.store.heartbeat(tick.wall, tick.boot)
                if self.metrics is not None:
                    self.metrics.on_tick(tick)
                # The public address: on its period, or every tick while things change.
                changed = self.detector.changed_at_boot
                fast = changed is not None and tick.boot - changed <= self.w.fast_echo_s
                due = tick.boot - last_echo >= self.w.echo_period_s - interval / 2
                if echoes and (due or fast) and (self._echo_task is None or self._echo_task.done()):
                    last_echo = tick.boot
                    self._echo_task = asyncio.create_task(self._echo(echoes, timeout * 2))
                if self.store.dirty and tick.boot - last_commit >= self.w.commit_s:
                    self.store.commit()
                    last_commit = tick.boot
                    if self.metrics is not None:
                        self.metrics.write()
                if tick.boot - last_aggregate >= AGGREGATE_EVERY_S:
                    last_aggregate = tick.boot
                    self.store.aggregate(tick.wall - self.w.raw_days * 86400)
        finally:
            if self._echo_task is not None:
                self._echo_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._echo_task
            for ev in self.detector.stop():
                self._emit(ev)
            self.store.commit()
            if self.metrics is not None:
                self.metrics.write()
            await self.alerter.close()
            for s in [*reach, *echoes, *([gateway] if gateway else []), *([dns_s] if dns_s else [])]:
                with contextlib.suppress(Exception):
                    await s.close()
        return self.stats

    async def _tick(
        self, reach: list[Sampler], gateway: Sampler | None, dns_s: Sampler | None, timeout: float
    ) -> Tick:
        mono, boot, wall = self.clock.mono(), self.clock.boot(), self.clock.wall()
        jobs = [s.sample(timeout) for s in reach]
        if gateway is not None:
            jobs.append(gateway.sample(timeout))
        if dns_s is not None:
            jobs.append(dns_s.sample(timeout))
        results = await asyncio.gather(*jobs)
        self.stats.ticks += 1
        self.stats.probes += len(jobs)
        flat: list[ProbeResult] = [r[0][1] for r in results]
        reach_res = flat[: len(reach)]
        rest = flat[len(reach) :]
        gw_ok = rest.pop(0).ok if gateway is not None else None
        dns_ok = rest.pop(0).ok if dns_s is not None else None
        rtts = [r.rtt_ms for r in reach_res if r.ok and r.rtt_ms is not None]
        if any(not r.ok for r in reach_res):
            # Any lost probe (not only a lost tick): look at the address at once.
            self.detector.changed_at_boot = boot
        return Tick(
            mono=mono,
            boot=boot,
            wall=wall,
            reach_ok=sum(r.ok for r in reach_res),
            reach_n=len(reach_res),
            gateway_ok=gw_ok,
            dns_ok=dns_ok,
            rtt_ms=round(statistics.median(rtts), 2) if rtts else None,
        )

    async def _echo(self, echoes: list[Sampler], timeout: float) -> None:
        boot, wall = self.clock.boot(), self.clock.wall()
        results = await asyncio.gather(*(s.sample(timeout) for s in echoes))
        self.stats.echoes += 1
        address = next((r.detail for res in results for _, r in res if r.ok and r.detail), None)
        if address is None:
            return
        asn, name = await self._provider(address)
        for ev in self.detector.echo(Echo(boot=boot, wall=wall, address=address, asn=asn, as_name=name)):
            self._emit(ev)
        if self.store.get_meta("primary_ip") != self.detector.primary_ip and self.detector.primary_ip:
            self.store.set_meta("primary_ip", self.detector.primary_ip)
            p_asn, p_name = self._known_asn.get(self.detector.primary_ip, (None, None))
            if p_asn is not None:
                self.store.set_meta("primary_asn", str(p_asn))
            if p_name:
                self.store.set_meta("primary_as_name", p_name)
            self.store.commit()
        if self.metrics is not None:
            self.metrics.on_address(address, asn)

    async def _provider(self, address: str) -> tuple[int | None, str | None]:
        if address in self._known_asn:
            return self._known_asn[address]
        ep = self.config.endpoints
        asn: int | None = None
        name: str | None = None
        with contextlib.suppress(Exception):
            origin = await asyncio.wait_for(
                lookup_origin(self._resolver, address, ep.cymru_origin_zone, ep.cymru_origin6_zone), 3.0
            )
            if origin is not None:
                asn = origin.asn
                name = await asyncio.wait_for(
                    lookup_as_name(self._resolver, origin.asn, ep.cymru_asn_zone), 3.0
                )
        if asn is not None:
            self._known_asn[address] = (asn, name)
        return asn, name

    def _emit(self, ev: Event) -> None:
        self.store.put_event(ev)
        self.store.commit()  # an event is committed at once
        self.stats.events.append(ev)
        if self.metrics is not None:
            self.metrics.on_event(ev)
        self.alerter.notify(ev)
        if self.on_event is not None:
            self.on_event(ev)


def _resolver(targets: DrillTargets) -> dns.asyncresolver.Resolver:
    if targets.dns_servers:
        res = dns.asyncresolver.Resolver(configure=False)
        res.nameservers = list(targets.dns_servers)
        res.port = targets.dns_port
    else:
        res = dns.asyncresolver.Resolver()
    res.lifetime = res.timeout = 2.0
    return res

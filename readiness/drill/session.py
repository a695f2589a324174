"""The drill runner: walks the script of phases while the scheduler probes, and reads
what each sample means (ticks, echoes, UPS status) to decide when a phase is done.

The phases and prompts are in readiness/drill/phases.py, the probe schedule in
scheduler.py, the result's assembly in result.py and its figures in analysis.py.

A :class:`DrillSession` runs on its own asyncio loop (``run()`` blocks; call it from a
thread worker) or inside one (``await run_async()``). The UI talks to it only through
thread-safe methods (``confirm()``, ``abort()``, ``timeline()``) and hears from it through a
:class:`DrillListener`, whose methods are called on the drill's thread.

Phases, interactive: BASELINE -> AWAIT_CUT (prompt: disconnect) -> WATCH_OUTAGE (prompt:
confirm when ready to reconnect) -> AWAIT_RESTORE (prompt: reconnect) -> WATCH_RESTORE (ends
by itself once the primary has been back for ``stable_s``, or on confirm) -> DONE.
Unattended: BASELINE -> WATCH_OUTAGE (until an outage is seen) -> WATCH_RESTORE (until the
primary has been back for ``stable_s``) -> DONE. Every mode stops at ``max_duration_s``.

The runner reads the time and waits only through its clock (readiness/drill/clock.py), so
its tests run it on a fake clock without sleeping.

Nothing here changes the machine's network configuration; it only sends probes.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import threading
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

import dns.asyncresolver

from readiness.config import Config
from readiness.drill import analysis
from readiness.drill.address_owner import lookup_wan, make_resolver
from readiness.drill.clock import DrillClock, SystemClock
from readiness.drill.live import LiveTracker
from readiness.drill.phases import (
    CONFIRM_PHASES,
    PROMPTS,
    UNATTENDED_PROMPTS,
    DrillKind,
    DrillListener,
    DrillStatus,
    Phase,
    PhaseChange,
)
from readiness.drill.result import LOOKUP_WAIT_S, assemble_result, settle_lookups
from readiness.drill.sample_names import ECHO_PREFIXES, REACH_PREFIXES, UPS_PREFIX
from readiness.drill.samplers import (
    DrillTargets,
    ProbeResult,
    Sampler,
    build_samplers,
)
from readiness.drill.scheduler import ProbeScheduler, TickBook
from readiness.model.drill import DrillEvent, DrillResult, DrillSample, WanSnapshot

__all__ = ["DrillKind", "DrillListener", "DrillSession", "DrillStatus", "Phase", "PhaseChange"]

# Who owns a public address (ASN, AS name): Team Cymru by default; the tests give a table.
WanLookup = Callable[[str, Config, dns.asyncresolver.Resolver], Coroutine[Any, Any, WanSnapshot]]


class DrillSession:
    """One drill. Build it, hand it a listener, call ``run()`` in a worker thread.

    Thread-safe from any thread: :meth:`confirm`, :meth:`abort`, :meth:`timeline`,
    :attr:`phase`, :attr:`probes_sent`. Everything else belongs to the drill's thread.
    """

    def __init__(
        self,
        config: Config,
        *,
        kind: DrillKind = "failover",
        unattended: bool = False,
        tolerance_minutes: float | None = None,
        targets: DrillTargets | None = None,
        listener: DrillListener | None = None,
        technician: str | None = None,
        max_duration_s: float | None = None,
        baseline_s: float = 3.0,
        progress_s: float = 0.25,
        extra_samplers: list[Sampler] | None = None,
        privileged: bool | None = None,
        clock: DrillClock | None = None,
        lookup: WanLookup | None = None,
    ) -> None:
        self.config = config
        self.kind: DrillKind = kind
        self.unattended = unattended
        self.tolerance_s = tolerance_minutes * 60 if tolerance_minutes is not None else None
        self.targets = targets or DrillTargets.from_config(config)
        self.listener = listener or DrillListener()
        self.technician = technician
        self.interval_s = config.drill.interval_ms / 1000
        self.max_duration_s = max_duration_s if max_duration_s is not None else config.drill.max_duration_s
        self.stable_s = config.drill.stable_s
        self.probe_timeout_s = config.drill.probe_timeout_ms / 1000
        self.baseline_s = baseline_s
        self.progress_s = progress_s
        self._extra = list(extra_samplers or [])
        self.clock: DrillClock = clock or SystemClock()
        self._lookup_wan: WanLookup = lookup or lookup_wan
        self._privileged = privileged
        self._lock = threading.Lock()
        self._abort = threading.Event()
        self._abort_reason = "stopped by the technician"
        self._confirm_seq = 0
        self._phase = Phase.STARTING
        self._timeline: list[DrillSample] = []
        self._pending: list[DrillSample] = []
        self._events: list[DrillEvent] = []
        self._probes_sent = 0
        self._t0 = 0.0
        self.started_at = self.clock.wall()
        self.live = LiveTracker(self.interval_s)
        self.notes: list[str] = []
        self.ups_status: str | None = None
        self._ups_history: list[str] = []
        self.on_battery_seen = False
        self._ol_since: float | None = None  # mains back (OL) since, after a battery period
        self._baseline_rtt: float | None = None

    # ---- thread-safe controls -------------------------------------------------------------
    def confirm(self, phase: Phase | None = None) -> None:
        """The technician did what the prompt asked. With ``phase``, ignored unless it is current."""
        with self._lock:
            if phase is None or phase == self._phase:
                self._confirm_seq += 1

    def abort(self, reason: str = "stopped by the technician") -> None:
        """End the drill soon (within one interval), keeping everything recorded. Idempotent.
        Takes no lock: a caller interrupted while holding the session's lock can still stop it."""
        if not self._abort.is_set():
            self._abort_reason = reason
        self._abort.set()

    @property
    def phase(self) -> Phase:
        with self._lock:
            return self._phase

    @property
    def probes_sent(self) -> int:
        with self._lock:
            return self._probes_sent

    def timeline(self, start: int = 0) -> list[DrillSample]:
        """A copy of the samples recorded so far, in completion order, from index ``start``."""
        with self._lock:
            return self._timeline[start:]

    def events(self) -> list[DrillEvent]:
        with self._lock:
            return list(self._events)

    def wall_time(self, t: float) -> datetime:
        """The wall-clock time of drill time ``t``."""
        return self.started_at + timedelta(seconds=t)

    # ---- running ------------------------------------------------------------------------
    def run(self) -> DrillResult:
        """Run to the end on a fresh event loop (blocking). For thread workers and the CLI."""
        return asyncio.run(self.run_async())

    def now(self) -> float:
        return self.clock.monotonic() - self._t0

    async def run_async(self) -> DrillResult:
        samplers, notes = build_samplers(self.targets, self._privileged)
        samplers += self._extra
        self.notes.extend(notes)
        self._t0 = self.clock.monotonic()
        self.started_at = self.clock.wall()
        self._resolver = make_resolver(self.targets.dns_servers, self.targets.dns_port)
        self._lookups: dict[str, asyncio.Task[WanSnapshot]] = {}
        self._baseline_done_at: float | None = None
        self._ticks = TickBook()
        scheduler = ProbeScheduler(
            samplers,
            interval_s=self.interval_s,
            probe_timeout_s=self.probe_timeout_s,
            now=self.now,
            sleep=self.clock.sleep,
            steady=self.live.steady,
            deliver=self._record,
            ticks=self._ticks,
            sent=self._count_probe,
        )
        prober = asyncio.create_task(scheduler.run())
        aborted = False
        try:
            aborted = await self._script()
        finally:
            prober.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await prober
            await scheduler.stop()
            # Probes in flight when the script ended may have recorded samples since the
            # last progress: the listener gets every sample the result will hold.
            self._flush_progress()
        return await self._finish(aborted)

    # ---- the script (phases) -------------------------------------------------------------
    async def _script(self) -> bool:
        """Walk the phases. True when the drill was aborted."""
        self._set_phase(Phase.BASELINE)
        if not await self._wait(self._baseline_ready):
            return self._stopped()
        self._record_baseline()
        if not await self._wait(self._primary_owner_known):
            return self._stopped()
        if self.unattended:
            self._set_phase(Phase.WATCH_OUTAGE)
            if not await self._wait(self._disturbance_seen):
                return self._stopped()
            self._set_phase(Phase.WATCH_RESTORE)
            if not await self._wait(self._back_and_stable):
                return self._stopped()
            return False
        self._set_phase(Phase.AWAIT_CUT)
        self._event("cut_requested")
        if not await self._wait_confirm():
            return self._stopped()
        self._event("cut_confirmed")
        self._set_phase(Phase.WATCH_OUTAGE)
        if not await self._wait_confirm():
            return self._stopped()
        self._set_phase(Phase.AWAIT_RESTORE)
        self._event("restore_requested")
        if not await self._wait_confirm():
            return self._stopped()
        self._event("restore_confirmed")
        self._set_phase(Phase.WATCH_RESTORE)
        seq = self._seq()
        if not await self._wait(lambda: self._seq() > seq or self._back_and_stable()):
            return self._stopped()
        return False

    def _stopped(self) -> bool:
        """Why the wait ended: an abort (True) or the time limit (False, recorded as an event)."""
        if self._abort.is_set():
            self._event("aborted", self._abort_reason)
            return True
        self._event("time_limit", f"stopped after {self.max_duration_s:g} s")
        return False

    def _seq(self) -> int:
        with self._lock:
            return self._confirm_seq

    async def _wait_confirm(self) -> bool:
        seq = self._seq()
        return await self._wait(lambda: self._seq() > seq)

    async def _wait(self, done: Callable[[], bool]) -> bool:
        """Poll ``done`` every interval, sending progress. False on abort or time limit."""
        next_progress = 0.0
        while True:
            if self._abort.is_set() or self.now() >= self.max_duration_s:
                self._flush_progress()
                return False
            self._decide_ticks()
            if self.now() >= next_progress:
                self._flush_progress()
                next_progress = self.now() + self.progress_s
            if done():
                self._flush_progress()
                return True
            await self.clock.sleep(min(self.interval_s, self.progress_s) / 2)

    def _baseline_ready(self) -> bool:
        t = self.now()
        if t < self.baseline_s:
            return False
        has_echo = self.live.address is not None or not (self.targets.echo_urls or self.targets.dns_echo)
        return has_echo or t >= self.baseline_s + 7.0

    def _primary_owner_known(self) -> bool:
        """The primary's provider is looked up before the cut is asked for: once the line is
        pulled, the lookup has only the backup (or nothing) to go through, and a drill that
        never learned the primary's provider cannot say whether the backup is another one.
        Bounded by LOOKUP_WAIT_S after the baseline; a lookup still out then is left running."""
        task = self._lookups.get(self.live.primary_ip or "")
        if task is None or task.done():
            return True
        if self._baseline_done_at is None:
            self._baseline_done_at = self.now()
        return self.now() - self._baseline_done_at >= LOOKUP_WAIT_S

    def _disturbance_seen(self) -> bool:
        if self.kind == "power":
            return self.on_battery_seen
        return self.live.outages > 0 or self.live.moved

    def _back_and_stable(self) -> bool:
        t = self.now()
        if self.kind == "power":
            return self._ups_stable_on_line(t)
        if self.live.outages == 0 and not self.live.moved:
            return False
        since = self.live.primary_since
        return since is not None and not self.live.in_outage and t - since >= self.stable_s

    def _ups_stable_on_line(self, t: float) -> bool:
        if not self.on_battery_seen or self._ol_since is None:
            return False
        return t - self._ol_since >= self.stable_s

    def _record_baseline(self) -> None:
        # The address most echoes returned before the line first dropped, not the latest
        # one: a line pulled while the baseline was still being taken (a slow start on a
        # busy machine, a technician too quick) would otherwise make the backup's address
        # the "primary", and every figure after it would read the failover backwards.
        first_loss = next((e.t for e in self.events() if e.kind == "first_loss"), self.now())
        primary = analysis.baseline_address(self.timeline(), first_loss) or self.live.address
        self.live.primary_ip = primary
        if primary:
            self.live.line = "primary"
            self._lookup(primary)
        rtt = self._median_reach_rtt()
        detail = f"public address {primary or 'unknown'}"
        if rtt is not None:
            detail += f", median RTT {rtt:.1f} ms"
        self._baseline_rtt = rtt
        self._event("baseline_done", detail)

    def _median_reach_rtt(self) -> float | None:
        rtts = [s.rtt_ms for s in self.timeline() if s.probe.startswith(REACH_PREFIXES) and s.ok and s.rtt_ms]
        return round(statistics.median(rtts), 2) if rtts else None

    def _lookup(self, address: str) -> None:
        if address not in self._lookups:
            lookup = self._lookup_wan(address, self.config, self._resolver)
            self._lookups[address] = asyncio.create_task(lookup)

    # ---- phases, events, progress --------------------------------------------------------
    def _set_phase(self, phase: Phase) -> None:
        with self._lock:
            self._phase = phase
        prompts = UNATTENDED_PROMPTS if self.unattended else PROMPTS
        prompt = prompts[self.kind].get(phase) or PROMPTS[self.kind].get(phase)
        needs = phase in CONFIRM_PHASES and not self.unattended
        self._event("phase", phase.value)
        self.listener.on_phase(
            PhaseChange(phase=phase, t=round(self.now(), 3), prompt=prompt, needs_confirm=needs)
        )

    def _event(self, kind: str, detail: str | None = None, t: float | None = None) -> None:
        event = DrillEvent(t=round(self.now() if t is None else t, 3), kind=kind, detail=detail)
        self._add_event(event)

    def _add_event(self, event: DrillEvent) -> None:
        with self._lock:
            self._events.append(event)
        if event.kind != "phase":
            self.listener.on_event(event)

    def _flush_progress(self) -> None:
        with self._lock:
            batch = tuple(self._pending)
            self._pending.clear()
            sent, count = self._probes_sent, len(self._timeline)
        if batch:
            self.listener.on_samples(batch)
        t = self.now()
        self.listener.on_status(
            DrillStatus(
                t=round(t, 2),
                phase=self.phase,
                connected=self.live.connected,
                line=self.live.line,
                public_ip=self.live.address,
                rtt_ms=self.live.rtt_ms,
                outage_s=self.live.outage_s(t),
                probes_sent=sent,
                samples=count,
                ups_status=self.ups_status,
            )
        )

    # ---- samples as they come back ------------------------------------------------------
    def _count_probe(self) -> None:
        with self._lock:
            self._probes_sent += 1

    def _record(self, name: str, res: ProbeResult, t: float, tick: int | None) -> None:
        sample = DrillSample(t=t, probe=name, ok=res.ok, rtt_ms=res.rtt_ms, detail=res.detail)
        with self._lock:
            self._timeline.append(sample)
            self._pending.append(sample)
        if tick is not None and self._ticks.record(tick, res.ok, res.rtt_ms):
            self._decide_ticks()
        elif name.startswith(ECHO_PREFIXES) and res.ok and res.detail:
            for ev in self.live.echo(t, res.detail):
                self._add_event(ev)
            if self.live.primary_ip and res.detail != self.live.primary_ip:
                self._lookup(res.detail)
        elif name.startswith(UPS_PREFIX):
            self._ups_sample(t, res)

    def _decide_ticks(self) -> None:
        """Feed the tracker every tick whose probes have all come back, in tick order."""
        for t, up, rtt in self._ticks.decided():
            for ev in self.live.tick(t, up, rtt):
                self._add_event(ev)

    def _ups_sample(self, t: float, res: ProbeResult) -> None:
        if not res.ok or not res.detail:
            return
        status = res.detail.split(";")[0].strip()
        flags = status.split()
        if status != self.ups_status:
            self._add_event(DrillEvent(t=t, kind="ups_status", detail=status))
        self.ups_status = status
        if "OB" in flags:
            if not self.on_battery_seen:
                self._add_event(DrillEvent(t=t, kind="on_battery", detail=status))
            self.on_battery_seen = True
            self._ol_since = None
        elif "OL" in flags and self.on_battery_seen and self._ol_since is None:
            self._add_event(DrillEvent(t=t, kind="on_line", detail=status))
            self._ol_since = t

    # ---- result -------------------------------------------------------------------------
    async def _finish(self, aborted: bool) -> DrillResult:
        self._set_phase(Phase.DONE)
        wan = await settle_lookups(self._lookups)
        return assemble_result(
            kind=self.kind,
            started_at=self.started_at,
            ended_at=self.clock.wall(),
            technician=self.technician,
            unattended=self.unattended,
            interval_ms=self.config.drill.interval_ms,
            probes_sent=self.probes_sent,
            timeline=self.timeline(),
            events=self.events(),
            aborted=aborted,
            notes=self.notes,
            tolerance_s=self.tolerance_s,
            primary_ip=self.live.primary_ip,
            primary_rtt=self._baseline_rtt,
            wan=wan,
        )

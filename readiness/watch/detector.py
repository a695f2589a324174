"""The event detector: a pure state machine over the watcher's ticks and echoes.

Input, in time order: :class:`Tick` (one a second by default: how many reachability probes
answered, the gateway, the resolver, the round trip) and :class:`Echo` (the public address
and its provider, every minute or at once after a loss). Output: :class:`Event` records,
each with a stable ``key``; an event is emitted when it opens (``end`` None) and again when
it closes, and the store keeps the last version of each key.

Kinds:

- ``outage``: the connection was down (cause ``gateway``: the router did not answer
  either; ``upstream``: the router answered, the internet did not; ``unknown``: no gateway
  probed) or only name resolution failed (cause ``dns``).
- ``failover`` / ``failback`` / ``address_change``: the public address moved, with the
  blackout around it (``detail["blackout_s"]``).
- ``degraded``: minutes whose loss, jitter or round trip were beyond the voice thresholds.
- ``gap``: time the watcher did not see (``asleep``: the machine slept; ``stalled``: the
  process was stopped or starved; ``stopped``: between two runs). Never online or offline.
- ``clock_step``: the wall clock jumped; lengths are measured on the boot clock anyway.

Edges are placed halfway between the last tick before a change and the first after it,
so at one tick a second an edge is within half a second of the truth plus a probe's time.
Nothing here reads a clock, a file or the network (the default voice thresholds come from
the shipped checklist, loaded once by the catalogue).
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field, replace
from typing import Any

# Voice thresholds (warn level) shared with the path-quality check WAN-00x.
from readiness.catalogue import default_catalogue
from readiness.watch.records import Echo, Event, Tick

__all__ = ["Detector", "DetectorSettings", "Echo", "Event", "Tick"]


@dataclass(frozen=True)
class DetectorSettings:
    interval_s: float = 1.0
    min_down_ticks: int = 2  # one lost tick is loss, two in a row an outage
    min_up_ticks: int = 2
    min_dns_fail_ticks: int = 3
    gap_s: float = 5.0  # a hole in the ticks longer than this is the watcher's, not the line's
    clock_step_s: float = 2.0
    block_ticks: int = 300  # degraded is judged per 5 minutes: one lost tick in a minute is not poor quality
    # Degraded is beyond what passes for voice: the figures WAN-007 judges by (checks.toml
    # [line_quality], the shipped catalogue's, read once), so the watcher and the check agree.
    loss_pct: float = field(default_factory=lambda: default_catalogue().line_quality.loss_pct.warn_from)
    jitter_ms: float = field(default_factory=lambda: default_catalogue().line_quality.jitter_ms.warn_from)
    rtt_ms: float = field(default_factory=lambda: default_catalogue().line_quality.round_trip_ms.warn_from)
    blackout_window_s: float = 30.0  # a loss run this close before an address change is its blackout


@dataclass
class _Run:
    """A run of ticks in one state: first and last tick, and the tick before it."""

    first: Tick
    last: Tick
    before: Tick | None
    count: int = 1
    gateway_down: int = 0


def _mid(a: Tick | None, b: Tick) -> tuple[float, float]:
    """(boot, wall) halfway between tick ``a`` and tick ``b`` (``b`` when ``a`` is None)."""
    if a is None:
        return b.boot, b.wall
    return (a.boot + b.boot) / 2, b.wall - (b.boot - a.boot) / 2


class Detector:
    """Feed :meth:`tick` and :meth:`echo` in time order; each returns the events it changed."""

    def __init__(self, settings: DetectorSettings | None = None, primary_ip: str | None = None) -> None:
        self.s = settings or DetectorSettings()
        self.primary_ip = primary_ip
        self.address: str | None = None
        self.asn: int | None = None
        self.last: Tick | None = None
        self.last_echo: Echo | None = None
        self._seq = 0
        self._down: _Run | None = None
        self._up_run: _Run | None = None  # up ticks since the outage's last down tick
        self._pending_end: tuple[float, float, _Run] | None = None  # where the open outage would end
        self._outage: Event | None = None
        self._dns_fail: _Run | None = None
        self._dns_ok_run = 0
        self._dns: Event | None = None
        self._loss_runs: list[tuple[float, float, float, float]] = []  # (start boot, wall, end boot, wall)
        self._block: list[Tick] = []
        self._degraded: Event | None = None
        self.changed_at_boot: float | None = None  # last loss or address change (to speed echoes)

    # ---- keys ------------------------------------------------------------------------------
    def _key(self, kind: str, wall: float) -> str:
        self._seq += 1
        return f"{kind}-{wall:.3f}-{self._seq}"

    # ---- the watcher's own gaps ------------------------------------------------------------
    def resume(
        self, last_boot: float | None, last_wall: float, now_boot: float | None, now_wall: float, reason: str
    ) -> list[Event]:
        """The watcher starts again after a stop: the time between is a gap, not the line's.

        ``last_boot``/``now_boot`` None when the two runs are on different boots (the boot
        clock restarts); then the gap is measured on the wall clock.
        """
        if now_wall - last_wall <= 0 and (last_boot is None or now_boot is None):
            return []
        gap = Event(
            key=self._key("gap", last_wall),
            kind="gap",
            start_boot=last_boot,
            start_wall=last_wall,
            end_boot=now_boot,
            end_wall=now_wall,
            cause=reason,
        )
        return [gap]

    def _close_all(self, at_boot: float, at_wall: float, why: str) -> list[Event]:
        """Close what is open at the watcher's last sight, marked cut short (a gap follows)."""
        out: list[Event] = []
        for name in ("_outage", "_dns", "_degraded"):
            ev: Event | None = getattr(self, name)
            if ev is not None:
                out.append(
                    replace(ev, end_boot=at_boot, end_wall=at_wall, detail={**ev.detail, "cut_short": why})
                )
                setattr(self, name, None)
        self._down = None
        self._up_run = None
        self._dns_fail = None
        self._dns_ok_run = 0
        self._block = []
        return out

    def stop(self) -> list[Event]:
        """The watcher stops: close what is open at the last tick."""
        if self.last is None:
            return []
        return self._close_all(self.last.boot, self.last.wall, "watcher stopped")

    # ---- ticks -----------------------------------------------------------------------------
    def tick(self, t: Tick) -> list[Event]:
        out: list[Event] = []
        prev = self.last
        if prev is not None:
            out += self._check_time(prev, t)
            if out and any(e.kind == "gap" for e in out):
                prev = None  # nothing spans a gap
        self.last = t
        out += self._reach(t, prev)
        out += self._dns_tick(t, prev)
        out += self._quality(t)
        return out

    def _check_time(self, prev: Tick, t: Tick) -> list[Event]:
        out: list[Event] = []
        d_boot = t.boot - prev.boot
        d_mono = t.mono - prev.mono
        d_wall = t.wall - prev.wall
        slept = d_boot - d_mono
        if abs(d_wall - d_boot) > self.s.clock_step_s:
            out.append(
                Event(
                    key=self._key("clock_step", t.wall),
                    kind="clock_step",
                    start_boot=t.boot,
                    start_wall=t.wall,
                    end_boot=t.boot,
                    end_wall=t.wall,
                    detail={"step_s": round(d_wall - d_boot, 3)},
                )
            )
        if d_boot > self.s.gap_s:
            reason = "asleep" if slept > self.s.gap_s / 2 else "stalled"
            out += self._close_all(prev.boot, prev.wall, f"watcher {reason}")
            # The wall clock of the gap's end is the tick's own minus nothing: if the clock
            # was also stepped, the step event above says so.
            out.append(
                Event(
                    key=self._key("gap", prev.wall),
                    kind="gap",
                    start_boot=prev.boot,
                    start_wall=prev.wall,
                    end_boot=t.boot,
                    end_wall=prev.wall + d_boot,
                    cause=reason,
                )
            )
        return out

    def _reach(self, t: Tick, prev: Tick | None) -> list[Event]:
        out: list[Event] = []
        if t.reach_n == 0:
            return out
        if not t.up:
            self.changed_at_boot = t.boot
            self._up_run = None
            if self._down is None:
                self._down = _Run(first=t, last=t, before=prev if prev is not None and prev.up else None)
            else:
                self._down.last = t
                self._down.count += 1
            self._down.gateway_down += t.gateway_ok is False
            if self._outage is None and self._down.count >= self.s.min_down_ticks:
                if self._dns is not None:  # a DNS-only outage becomes part of the whole one
                    out += self._end_dns(t, prev)
                boot, wall = _mid(self._down.before, self._down.first)
                self._outage = Event(
                    key=self._key("outage", wall),
                    kind="outage",
                    start_boot=boot,
                    start_wall=wall,
                    cause=self._cause(self._down),
                )
                out.append(self._outage)
            elif self._outage is not None:
                cause = self._cause(self._down)
                if cause != self._outage.cause:
                    self._outage = replace(self._outage, cause=cause)
            return out
        # up
        if self._down is not None:
            run = self._down
            end_boot, end_wall = _mid(run.last, t) if prev is not None else (t.boot, t.wall)
            start_boot, start_wall = _mid(run.before, run.first)
            self._loss_runs.append((start_boot, start_wall, end_boot, end_wall))
            self._loss_runs = self._loss_runs[-8:]
            self._down = None
            if self._outage is not None:
                self._up_run = _Run(first=t, last=t, before=run.last)
                self._pending_end = (end_boot, end_wall, run)
        elif self._up_run is not None:
            self._up_run.last = t
            self._up_run.count += 1
        if (
            self._outage is not None
            and self._up_run is not None
            and self._up_run.count >= self.s.min_up_ticks
        ):
            assert self._pending_end is not None
            end_boot, end_wall, _run = self._pending_end
            closed = replace(self._outage, end_boot=end_boot, end_wall=end_wall)
            self._outage = None
            self._up_run = None
            self.changed_at_boot = t.boot
            out.append(closed)
        return out

    @staticmethod
    def _cause(run: _Run) -> str:
        if run.first.gateway_ok is None:
            return "unknown"
        return "gateway" if run.gateway_down * 2 > run.count else "upstream"

    def _dns_tick(self, t: Tick, prev: Tick | None) -> list[Event]:
        out: list[Event] = []
        if t.dns_ok is None or not t.up:
            return out
        if not t.dns_ok:
            self._dns_ok_run = 0
            if self._dns_fail is None:
                self._dns_fail = _Run(
                    first=t, last=t, before=prev if prev is not None and prev.dns_ok else None
                )
            else:
                self._dns_fail.last = t
                self._dns_fail.count += 1
            if (
                self._dns is None
                and self._outage is None
                and self._dns_fail.count >= self.s.min_dns_fail_ticks
            ):
                boot, wall = _mid(self._dns_fail.before, self._dns_fail.first)
                self._dns = Event(
                    key=self._key("outage", wall),
                    kind="outage",
                    start_boot=boot,
                    start_wall=wall,
                    cause="dns",
                )
                out.append(self._dns)
            return out
        self._dns_ok_run += 1
        if self._dns is not None and self._dns_ok_run >= self.s.min_up_ticks:
            out += self._end_dns(t, prev)
        elif self._dns is None and self._dns_ok_run >= self.s.min_up_ticks:
            self._dns_fail = None
        return out

    def _end_dns(self, t: Tick, prev: Tick | None) -> list[Event]:
        assert self._dns is not None
        last_fail = self._dns_fail.last if self._dns_fail is not None else prev
        boot, wall = _mid(last_fail, self._first_dns_ok(t))
        closed = replace(self._dns, end_boot=boot, end_wall=wall)
        self._dns = None
        self._dns_fail = None
        return [closed]

    def _first_dns_ok(self, t: Tick) -> Tick:
        # The first answering tick is min_up_ticks - 1 ticks back; at 1 tick/s that is
        # interval_s back. Without keeping a history, step back by whole intervals.
        back = (self._dns_ok_run - 1) * self.s.interval_s
        return replace(t, boot=t.boot - back, wall=t.wall - back)

    # ---- quality (degraded minutes) ---------------------------------------------------------
    def _quality(self, t: Tick) -> list[Event]:
        if not t.up or self._outage is not None:
            return []
        self._block.append(t)
        if len(self._block) < self.s.block_ticks:
            return []
        block, self._block = self._block, []
        bad, why = self._judge_block(block)
        first, last = block[0], block[-1]
        end_boot, end_wall = last.boot + self.s.interval_s, last.wall + self.s.interval_s
        if bad:
            if self._degraded is None:
                self._degraded = Event(
                    key=self._key("degraded", first.wall),
                    kind="degraded",
                    start_boot=first.boot,
                    start_wall=first.wall,
                    cause=why,
                    detail={},
                )
            self._degraded = replace(
                self._degraded,
                detail={"last_block_end_boot": end_boot, "last_block_end_wall": end_wall, "why": why},
            )
            return [self._degraded]
        if self._degraded is not None:
            d = self._degraded.detail
            closed = replace(
                self._degraded,
                end_boot=d["last_block_end_boot"],
                end_wall=d["last_block_end_wall"],
                detail={"why": d.get("why")},
            )
            self._degraded = None
            return [closed]
        return []

    def _judge_block(self, block: list[Tick]) -> tuple[bool, str]:
        sent = sum(b.reach_n for b in block)
        lost = sum(b.reach_n - b.reach_ok for b in block)
        loss = 100.0 * lost / sent if sent else 0.0
        rtts = [b.rtt_ms for b in block if b.rtt_ms is not None]
        rtt = statistics.median(rtts) if rtts else 0.0
        jitter = statistics.fmean(abs(a - b) for a, b in itertools.pairwise(rtts)) if len(rtts) > 1 else 0.0
        reasons = []
        if loss > self.s.loss_pct:
            reasons.append(f"loss {loss:.1f}%")
        if jitter > self.s.jitter_ms:
            reasons.append(f"jitter {jitter:.0f} ms")
        if rtt > self.s.rtt_ms:
            reasons.append(f"round trip {rtt:.0f} ms")
        return bool(reasons), ", ".join(reasons)

    # ---- echoes: which line carries the traffic ---------------------------------------------
    def echo(self, e: Echo) -> list[Event]:
        prev, prev_asn, before = self.address, self.asn, self.last_echo
        self.last_echo = e
        if e.asn is not None or e.address != prev:
            self.asn = e.asn
        self.address = e.address
        if self.primary_ip is None:
            self.primary_ip = e.address
        if prev is None or e.address == prev:
            return []
        self.changed_at_boot = e.boot
        if e.address == self.primary_ip:
            kind = "failback"
        elif prev == self.primary_ip:
            kind = "failover"
        else:
            kind = "address_change"
        if (
            kind == "failover"
            and prev_asn is not None
            and e.asn == prev_asn
            and not self._recent_loss(before, e)
        ):
            # Same provider, no loss: the line got a new address (a PPPoE redial, a DHCP
            # renewal), not a switch to another line. The new address is the primary's now.
            kind = "address_change"
            self.primary_ip = e.address
        seen_before = before.boot if before is not None else e.boot
        loss = self._recent_loss(before, e)
        detail: dict[str, Any] = {
            "from": prev,
            "to": e.address,
            "from_asn": prev_asn,
            "to_asn": e.asn,
            "to_as_name": e.as_name,
            "old_address_last_seen_wall": before.wall if before is not None else None,
        }
        if loss is not None:
            start_boot, start_wall, end_boot, end_wall = loss
            detail["blackout_s"] = round(end_boot - start_boot, 3)
            event = Event(
                key=self._key(kind, start_wall),
                kind=kind,
                start_boot=start_boot,
                start_wall=start_wall,
                end_boot=end_boot,
                end_wall=end_wall,
                detail=detail,
            )
        else:
            # No lost tick: the switch fell between two echoes; place it halfway, and the
            # blackout (if any) was shorter than one tick.
            detail["blackout_s"] = 0.0
            detail["blackout_under_s"] = self.s.interval_s
            boot = (seen_before + e.boot) / 2
            wall = e.wall - (e.boot - boot)
            event = Event(
                key=self._key(kind, wall),
                kind=kind,
                start_boot=boot,
                start_wall=wall,
                end_boot=boot,
                end_wall=wall,
                detail=detail,
            )
        return [event]

    def _recent_loss(self, before: Echo | None, e: Echo) -> tuple[float, float, float, float] | None:
        """The loss run (or ongoing outage) around an address change, if any."""
        lo = (before.boot if before is not None else e.boot) - self.s.blackout_window_s
        if self._down is not None:  # still down when the new address came back: unusual, keep it
            start_boot, start_wall = _mid(self._down.before, self._down.first)
            return (start_boot, start_wall, e.boot, e.wall)
        runs = [r for r in self._loss_runs if lo <= r[2] <= e.boot + self.s.interval_s]
        if not runs:
            return None
        return runs[-1]

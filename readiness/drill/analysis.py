"""From a drill's timeline to its numbers and verdict. Pure: no I/O, no clock.

The connection is judged tick by tick. A *tick* is the set of reachability probes
(``icmp:`` and ``tcp:``) launched together, one per target, every interval. A tick is **up**
when a strict majority of its probes answered, **down** otherwise. So one slow or dead
target cannot fake an outage (the others still make a majority), and one target that keeps
answering (a host on the LAN side, a cache) cannot hide one. DNS is never part of the
majority: a LAN resolver answers from its cache while the line is dark; it is reported
apart as ``dns_during_blackout``.

An *outage* is the first run of at least ``min_down_ticks`` down ticks (shorter runs are
packet-loss blips). It ends at the first up tick that starts a run of ``min_up_ticks`` up
ticks (or the end of the timeline). Then:

- ``blackout_s``: from the last up tick before the outage to the first up tick after it;
- ``failover_s``: from the same start to the first echo that shows a public address other
  than the primary's (echo probes run every interval while the line is not steady);
- ``time_to_first_loss_s``: from the ``cut_requested`` marker to the first down tick;
- ``failback_s``: from the ``restore_requested`` marker to the first echo showing the
  primary's address again, 0 when it was back before the marker (None when no restore
  was marked, e.g. unattended).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from readiness.drill.sample_names import DNS_PREFIX, ECHO_PREFIXES, REACH_PREFIXES, VPN_PREFIX
from readiness.model.answers import Answer
from readiness.model.drill import (
    DrillEvent,
    DrillOutcome,
    DrillResult,
    DrillSample,
    WanSnapshot,
    beyond_tolerance,
)

# What common routers need before they call a line dead (their shipped defaults):
# pfSense dpinger 500 ms probes judged on 20 % loss over a 60 s window; Peplink 3 failed
# checks 5 s apart; MikroTik 2 failed checks 10 s apart. All land around 15-20 s.
ROUTER_DEFAULT_DETECTION_S = (15.0, 20.0)


@dataclass(frozen=True)
class Tick:
    t: float  # launch time of the tick's probes (seconds since the drill started)
    ok: int
    n: int

    @property
    def up(self) -> bool:
        return self.ok * 2 > self.n


@dataclass(frozen=True)
class Outage:
    start_t: float | None  # last up tick before; None when the timeline starts down
    first_loss_t: float
    end_t: float | None  # first up tick after; None when it never came back
    ticks_down: int


@dataclass
class DrillNumbers:
    outcome: DrillOutcome = DrillOutcome.INCONCLUSIVE
    summary: str = ""
    time_to_first_loss_s: float | None = None
    blackout_s: float | None = None
    failover_s: float | None = None
    failback_s: float | None = None
    returned_to_primary: bool | None = None
    primary_ip: str | None = None
    backup_ip: str | None = None
    same_provider: bool | None = None
    dns_during_blackout: bool | None = None
    vpn_dropped: list[str] = field(default_factory=list)
    vpn_recovered: list[str] = field(default_factory=list)
    outage: Outage | None = None
    recovered: bool | None = None


def reach_ticks(samples: Iterable[DrillSample], interval_s: float) -> list[Tick]:
    """Group reachability samples into ticks: probes launched within half an interval."""
    reach = sorted((s for s in samples if s.probe.startswith(REACH_PREFIXES)), key=lambda s: s.t)
    ticks: list[Tick] = []
    group: list[DrillSample] = []
    for s in reach:
        if group and (s.t - group[0].t >= interval_s / 2 or any(g.probe == s.probe for g in group)):
            ticks.append(_tick(group))
            group = []
        group.append(s)
    if group:
        ticks.append(_tick(group))
    return ticks


def _tick(group: list[DrillSample]) -> Tick:
    return Tick(t=group[0].t, ok=sum(1 for g in group if g.ok), n=len(group))


def find_outage(
    ticks: Sequence[Tick], after_t: float = 0.0, min_down_ticks: int = 3, min_up_ticks: int = 3
) -> Outage | None:
    """The first outage starting at or after ``after_t`` (see the module docstring)."""
    i = 0
    while i < len(ticks):
        if ticks[i].t < after_t or ticks[i].up:
            i += 1
            continue
        j = i
        while j < len(ticks) and not ticks[j].up:
            j += 1
        if j - i >= min_down_ticks:
            start = next((ticks[k].t for k in range(i - 1, -1, -1) if ticks[k].up), None)
            end, down = _recovery(ticks, j, min_up_ticks)
            return Outage(start_t=start, first_loss_t=ticks[i].t, end_t=end, ticks_down=down + (j - i))
        i = j
    return None


def _recovery(ticks: Sequence[Tick], j: int, min_up_ticks: int) -> tuple[float | None, int]:
    """From index ``j`` (an up tick), the first up run long enough to count as recovery."""
    extra_down = 0
    while j < len(ticks):
        k = j
        while k < len(ticks) and ticks[k].up:
            k += 1
        if k - j >= min_up_ticks or k == len(ticks):
            return ticks[j].t, extra_down
        while k < len(ticks) and not ticks[k].up:  # a flap: keep counting the outage
            k += 1
            extra_down += 1
        j = k
    return None, extra_down


def echo_addresses(samples: Iterable[DrillSample]) -> list[tuple[float, str]]:
    """(t, address) of every successful echo, in time order."""
    return sorted((s.t, s.detail) for s in samples if s.probe.startswith(ECHO_PREFIXES) and s.ok and s.detail)


def baseline_address(samples: Iterable[DrillSample], before_t: float) -> str | None:
    """The address most echoes returned before ``before_t``: the primary line's."""
    seen = Counter(a for t, a in echo_addresses(samples) if t < before_t)
    return seen.most_common(1)[0][0] if seen else None


def event_time(events: Iterable[DrillEvent], kind: str) -> float | None:
    return next((e.t for e in events if e.kind == kind), None)


def min_down_ticks_for(interval_s: float) -> int:
    """Losses shorter than ~300 ms (and at least 3 ticks) are blips, not an outage."""
    return max(3, math.ceil(0.3 / interval_s - 1e-9))


def analyse(
    timeline: Sequence[DrillSample],
    events: Sequence[DrillEvent],
    *,
    interval_ms: int,
    tolerance_s: float | None = None,
    primary_ip: str | None = None,
    wan: Mapping[str, WanSnapshot] | None = None,
    aborted: bool = False,
) -> DrillNumbers:
    """Every number of a failover drill. ``wan`` maps public addresses to what is known of them."""
    interval_s = interval_ms / 1000
    wan = wan or {}
    out = DrillNumbers()
    baseline_t = event_time(events, "baseline_done") or 0.0
    cut_t = event_time(events, "cut_requested")
    restore_t = event_time(events, "restore_requested")
    out.primary_ip = primary_ip or baseline_address(timeline, max(baseline_t, cut_t or 0.0) or math.inf)
    ticks = reach_ticks(timeline, interval_s)
    outage = find_outage(ticks, after_t=baseline_t, min_down_ticks=min_down_ticks_for(interval_s))
    out.outage = outage
    if outage is None:
        seamless = _seamless_move(timeline, out.primary_ip, baseline_t)
        if seamless is not None and not aborted:
            # The address changed with no loss long enough to count: a seamless failover.
            out.backup_ip = seamless
            out.blackout_s = 0.0
            out.same_provider = _same_provider(wan.get(out.primary_ip or ""), wan.get(seamless))
            out.outcome = DrillOutcome.FAILOVER_OK
            out.summary = (
                f"Traffic moved to {seamless} with no measurable blackout (any loss was shorter than "
                f"{min_down_ticks_for(interval_s) * interval_s:.1f} s)."
            )
            if out.same_provider:
                out.summary += (
                    " The backup line belongs to the same provider as the primary: it is not independent."
                )
            return out
        out.outcome = DrillOutcome.ABORTED if aborted else DrillOutcome.NO_OUTAGE
        out.summary = _no_outage_text(aborted, bool(ticks))
        return out
    out.recovered = outage.end_t is not None
    start = outage.start_t if outage.start_t is not None else outage.first_loss_t
    end_of_data = ticks[-1].t
    out.blackout_s = _r((outage.end_t if outage.end_t is not None else end_of_data) - start)
    if cut_t is not None and outage.first_loss_t >= cut_t:
        out.time_to_first_loss_s = _r(outage.first_loss_t - cut_t)
    addresses = [(t, a) for t, a in echo_addresses(timeline) if t >= start]
    if out.primary_ip:
        moved = next(((t, a) for t, a in addresses if a != out.primary_ip), None)
        if moved:
            out.failover_s = _r(moved[0] - start)
            out.backup_ip = moved[1]
        back_from = moved[0] if moved else start
        back = next((t for t, a in addresses if t > back_from and a == out.primary_ip), None)
        out.returned_to_primary = back is not None
        if back is not None and restore_t is not None:
            # Traffic already back on the primary when the technician confirmed the
            # restore (they plugged in, then pressed Enter): no wait at all, so 0.
            out.failback_s = _r(max(0.0, back - restore_t))
    else:
        distinct = {a for _, a in addresses}
        if len(distinct) > 1:
            out.backup_ip = addresses[0][1]
    out.same_provider = _same_provider(wan.get(out.primary_ip or ""), wan.get(out.backup_ip or ""))
    window_end = outage.end_t if outage.end_t is not None else math.inf
    out.dns_during_blackout = _any_ok(timeline, DNS_PREFIX, start, window_end)
    out.vpn_dropped, out.vpn_recovered = vpn_changes(timeline, start, window_end)
    out.outcome = _outcome(out, outage, restore_t, tolerance_s, aborted)
    out.summary = verdict_text(out, tolerance_s)
    return out


def _seamless_move(timeline: Sequence[DrillSample], primary_ip: str | None, after_t: float) -> str | None:
    if primary_ip is None:
        return None
    return next((a for t, a in echo_addresses(timeline) if t >= after_t and a != primary_ip), None)


def _r(x: float) -> float:
    return round(x, 3)


def _same_provider(a: WanSnapshot | None, b: WanSnapshot | None) -> bool | None:
    if a is None or b is None or a.asn is None or b.asn is None:
        return None
    return a.asn == b.asn


def _any_ok(timeline: Iterable[DrillSample], prefix: str, start: float, end: float) -> bool | None:
    seen = [s.ok for s in timeline if s.probe.startswith(prefix) and start < s.t < end]
    return any(seen) if seen else None


def vpn_changes(timeline: Sequence[DrillSample], start: float, end: float) -> tuple[list[str], list[str]]:
    """Tunnels up before ``start`` that went down in [start, end), and which came back after."""
    dropped: list[str] = []
    recovered: list[str] = []
    names = sorted({s.probe for s in timeline if s.probe.startswith(VPN_PREFIX)})
    for probe in names:
        series = [s for s in timeline if s.probe == probe]
        before = [s for s in series if s.t < start]
        if not before or not before[-1].ok:
            continue
        down = next((s.t for s in series if start <= s.t < end and not s.ok), None)
        if down is None:
            continue
        name = probe[len(VPN_PREFIX) :]
        dropped.append(name)
        if any(s.ok for s in series if s.t > down):
            recovered.append(name)
    return dropped, recovered


def _outcome(
    out: DrillNumbers, outage: Outage, restore_t: float | None, tolerance_s: float | None, aborted: bool
) -> DrillOutcome:
    if aborted:
        return DrillOutcome.ABORTED
    if out.backup_ip is not None or (
        out.primary_ip is None
        and outage.end_t is not None
        and restore_t is not None
        and outage.end_t < restore_t
    ):
        if beyond_tolerance(out.blackout_s, tolerance_s):
            return DrillOutcome.FAILOVER_SLOW
        return DrillOutcome.FAILOVER_OK
    if out.primary_ip is None and restore_t is None and outage.end_t is not None:
        return DrillOutcome.INCONCLUSIVE  # it came back, but nothing tells which line carried it
    return DrillOutcome.NO_FAILOVER


def _no_outage_text(aborted: bool, had_ticks: bool) -> str:
    if not had_ticks:
        return "No reachability probe was recorded; nothing can be said."
    if aborted:
        return "The drill was stopped before any outage was seen."
    return "The connection never dropped: the cut did not affect the path this machine uses."


def _fmt(s: float) -> str:
    return f"{s:.1f} s" if s < 120 else f"{s / 60:.1f} min"


def verdict_text(n: DrillNumbers, tolerance_s: float | None) -> str:
    """A few plain sentences: what happened, against the office's tolerance and router defaults."""
    parts: list[str] = []
    if n.blackout_s is None:
        return _no_outage_text(False, True)
    lo, hi = ROUTER_DEFAULT_DETECTION_S
    if n.outcome in (DrillOutcome.FAILOVER_OK, DrillOutcome.FAILOVER_SLOW):
        moved = f" to {n.backup_ip}" if n.backup_ip else ""
        parts.append(f"Traffic moved{moved} after a blackout of {_fmt(n.blackout_s)}.")
        if n.blackout_s < lo / 2:
            parts.append(
                f"That is faster than typical router defaults ({lo:.0f}-{hi:.0f} s to declare a line dead)."
            )
        elif n.blackout_s <= hi + 5:
            parts.append(
                f"That matches typical router defaults ({lo:.0f}-{hi:.0f} s to declare a line dead)."
            )
        else:
            parts.append(
                f"That is slower than typical router defaults ({lo:.0f}-{hi:.0f} s): "
                "check the router's line-health settings."
            )
        if n.same_provider:
            parts.append(
                "The backup line belongs to the same provider as the primary: it is not independent."
            )
    elif n.outcome == DrillOutcome.ABORTED:
        parts.append(f"The drill was stopped; {_fmt(n.blackout_s)} of outage had been recorded so far.")
    elif n.recovered:
        parts.append(
            f"Traffic never moved to another line: the office was offline for {_fmt(n.blackout_s)}, "
            "until the primary came back."
        )
    else:
        parts.append(
            f"Total outage: nothing came back during the {_fmt(n.blackout_s)} that followed the cut."
        )
    if tolerance_s is not None and n.outcome != DrillOutcome.ABORTED:
        if not beyond_tolerance(n.blackout_s, tolerance_s):
            parts.append(f"Within the office's tolerance of {_fmt(tolerance_s)}.")
        else:
            parts.append(f"Beyond the office's tolerance of {_fmt(tolerance_s)}.")
    if n.dns_during_blackout is False:
        parts.append("Names did not resolve during the blackout.")
    if n.vpn_dropped:
        back = f"; back: {', '.join(n.vpn_recovered)}" if n.vpn_recovered else "; none came back"
        parts.append(f"VPN tunnels that dropped: {', '.join(n.vpn_dropped)}{back}.")
    return " ".join(parts)


def tolerance_minutes_from_answers(answers: Mapping[str, Answer]) -> float | None:
    """The office's declared tolerable outage (question ``max_outage_minutes``), if answered."""
    answer = answers.get("max_outage_minutes")
    value = answer.value if answer is not None else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None
    return float(value)


def line_of(address: str | None, primary_ip: str | None) -> str:
    """'primary', 'backup' or 'unknown' for an echoed address."""
    if address is None or primary_ip is None:
        return "unknown"
    return "primary" if address == primary_ip else "backup"


# ---- a failover drill's result, from its own timeline --------------------------------


def apply_failover(
    result: DrillResult,
    *,
    aborted: bool,
    tolerance_s: float | None,
    primary_ip: str | None,
    wan: dict[str, WanSnapshot],
    primary_rtt: float | None = None,
    notes: list[str] | None = None,
) -> DrillResult:
    """Fill a failover result's numbers from its own timeline (see ``analyse``)."""
    n = analyse(
        result.timeline,
        result.events,
        interval_ms=result.interval_ms,
        tolerance_s=tolerance_s,
        primary_ip=primary_ip,
        wan=wan,
        aborted=aborted,
    )
    primary = None
    if n.primary_ip:
        primary = (wan.get(n.primary_ip) or WanSnapshot(public_ip=n.primary_ip)).model_copy(
            update={"rtt_ms": primary_rtt}
        )
    backup = None
    if n.backup_ip:
        backup = (wan.get(n.backup_ip) or WanSnapshot(public_ip=n.backup_ip)).model_copy(
            update={"rtt_ms": _line_rtt(result.timeline, n)}
        )
    events = list(result.events)
    if n.outage is not None:  # the analysed edges, for the chart and for comparing with a lab's truth
        start = n.outage.start_t if n.outage.start_t is not None else n.outage.first_loss_t
        events.append(DrillEvent(t=start, kind="blackout_start", detail="last success before the outage"))
        if n.outage.end_t is not None:
            events.append(DrillEvent(t=n.outage.end_t, kind="blackout_end", detail="first success after it"))
        events.sort(key=lambda e: e.t)
    summary = n.summary
    if notes:
        summary += " (" + "; ".join(notes) + ")"
    return result.model_copy(
        update={
            "outcome": DrillOutcome.ABORTED if aborted else n.outcome,
            "events": events,
            "summary": summary,
            "time_to_first_loss_s": n.time_to_first_loss_s,
            "blackout_s": n.blackout_s,
            "failover_s": n.failover_s,
            "failback_s": n.failback_s,
            "returned_to_primary": n.returned_to_primary,
            "primary": primary,
            "backup": backup,
            "same_provider": n.same_provider,
            "dns_during_blackout": n.dns_during_blackout,
            "vpn_dropped": n.vpn_dropped,
            "vpn_recovered": n.vpn_recovered,
        }
    )


def _line_rtt(timeline: list[DrillSample], n: DrillNumbers) -> float | None:
    """Median reachability RTT while on the backup: after the outage ended, before failback."""
    if n.outage is None or n.outage.end_t is None:
        return None
    start = n.outage.end_t
    rtts = [
        s.rtt_ms
        for s in timeline
        if s.probe.startswith(REACH_PREFIXES) and s.ok and s.rtt_ms and s.t >= start
    ]
    ends = [t for t, a in echo_addresses(timeline) if t > start and a == n.primary_ip]
    if ends:
        rtts = [
            s.rtt_ms
            for s in timeline
            if s.probe.startswith(REACH_PREFIXES) and s.ok and s.rtt_ms and start <= s.t < ends[0]
        ]
    return round(statistics.median(rtts), 2) if rtts else None

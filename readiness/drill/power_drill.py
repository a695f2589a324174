"""The power drill: the UPS goes on battery; does the connection hold, and how long is left?

The UPS is read through NUT (``readiness.probes.nut``: LIST UPS / LIST VAR on upsd, bounded
by a timeout) once a second. Its sample is ``ups:NAME@HOST`` with ``detail`` holding
``"<ups.status>; runtime=<battery.runtime seconds>"``. Connectivity is judged exactly as in
the failover drill (the majority of reachability probes, see :mod:`analysis`).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence

from readiness.drill import analysis
from readiness.drill.sample_names import UPS_PREFIX
from readiness.drill.samplers import ProbeResult, Sampler
from readiness.model.drill import DrillOutcome, DrillResult, DrillSample
from readiness.probes.nut import NUT_PORT, query_nut, split_target

_RUNTIME = re.compile(r"runtime=([0-9.]+)")


class UpsSampler(Sampler):
    """One UPS on one upsd. ``name`` None: the first UPS the server lists."""

    period_s = 1.0

    def __init__(self, host: str, ups: str | None = None) -> None:
        self.host = host
        self.ups = ups
        self.name = f"{UPS_PREFIX}{ups or '*'}@{host}"

    async def probe(self, timeout_s: float) -> ProbeResult:
        answer = await query_nut(self.host, timeout_s)
        if answer.state != "ok":
            return ProbeResult(False, detail=answer.error or "no upsd answering")
        unit = next((u for u in answer.units if self.ups in (None, u.name)), None)
        if unit is None:
            return ProbeResult(False, detail=f"no UPS named {self.ups}")
        detail = " ".join(unit.status) or "?"
        if unit.runtime_s is not None:
            detail += f"; runtime={unit.runtime_s:g}"
        return ProbeResult(True, detail=detail)


async def find_ups(candidates: Sequence[str], timeout_s: float = 1.5) -> tuple[str, str] | None:
    """The first (host, ups name) that answers among ``candidates`` (``host[:port]``), asked together."""
    targets = list(dict.fromkeys(candidates))
    answers = await asyncio.gather(*(query_nut(t, timeout_s) for t in targets))
    for target, answer in zip(targets, answers, strict=True):
        named = [u.name for u in answer.units if u.name] if answer.state == "ok" else []
        if named:
            return target, named[0]
    return None


def parse_ups_target(text: str) -> tuple[str, str | None]:
    """``ups@host[:port]`` or ``host[:port]`` -> (host[:port], ups name or None)."""
    ups, at, host = text.rpartition("@")
    if not at:
        host, ups = text, ""
    split_target(host, NUT_PORT)  # raises ValueError on a bad port
    return host, ups or None


def ups_readings(timeline: Sequence[DrillSample]) -> list[tuple[float, list[str], float | None]]:
    """(t, status flags, runtime seconds) of every successful UPS sample, in time order."""
    out: list[tuple[float, list[str], float | None]] = []
    for s in sorted(timeline, key=lambda x: x.t):
        if not s.probe.startswith(UPS_PREFIX) or not s.ok or not s.detail:
            continue
        status, _, rest = s.detail.partition(";")
        m = _RUNTIME.search(rest)
        out.append((s.t, status.split(), float(m.group(1)) if m else None))
    return out


def apply_power(
    result: DrillResult, *, aborted: bool, interval_ms: int, notes: list[str] | None = None
) -> DrillResult:
    """Fill a power drill's numbers: statuses seen, runtime left, did the connection hold."""
    readings = ups_readings(result.timeline)
    seen: list[str] = []
    for _, flags, _ in readings:
        status = " ".join(flags)
        if status not in seen:
            seen.append(status)
    on_batt = [(t, rt) for t, flags, rt in readings if "OB" in flags]
    update: dict[str, object] = {"ups_status_seen": seen}
    if not readings:
        update["outcome"] = DrillOutcome.ABORTED if aborted else DrillOutcome.INCONCLUSIVE
        update["summary"] = "No UPS answered through NUT; the power drill could not judge anything."
        return result.model_copy(update=update)
    if not on_batt:
        update["outcome"] = DrillOutcome.ABORTED if aborted else DrillOutcome.INCONCLUSIVE
        update["summary"] = "The UPS never reported running on battery (OB) during the drill."
        return result.model_copy(update=update)
    start = on_batt[0][0]
    back = next((t for t, flags, _ in readings if t > start and "OL" in flags), None)
    runtimes = [rt for _, rt in on_batt if rt is not None]
    update["ups_runtime_left_s"] = min(runtimes) if runtimes else None
    ticks = analysis.reach_ticks(result.timeline, interval_ms / 1000)
    window = [tk for tk in ticks if start <= tk.t < (back if back is not None else float("inf"))]
    outage = analysis.find_outage(
        window, after_t=start, min_down_ticks=analysis.min_down_ticks_for(interval_ms / 1000)
    )
    held = bool(window) and outage is None
    battery_s = (back if back is not None else (ticks[-1].t if ticks else start)) - start
    if aborted:
        update["outcome"] = DrillOutcome.ABORTED
    elif not window:
        update["outcome"] = DrillOutcome.INCONCLUSIVE
    else:
        update["outcome"] = DrillOutcome.POWER_HELD if held else DrillOutcome.POWER_LOST
    if outage is not None:
        end = outage.end_t if outage.end_t is not None else battery_s + start
        update["blackout_s"] = round(end - (outage.start_t or outage.first_loss_t), 3)
        update["time_to_first_loss_s"] = round(outage.first_loss_t - start, 3)
    update["summary"] = _power_text(held, bool(window), battery_s, update.get("ups_runtime_left_s"), notes)
    return result.model_copy(update=update)


def _power_text(
    held: bool, measured: bool, battery_s: float, runtime: object, notes: list[str] | None
) -> str:
    parts = [f"The UPS ran on battery for {battery_s:.0f} s."]
    if not measured:
        parts.append("No connectivity was measured meanwhile.")
    elif held:
        parts.append("The internet connection held the whole time.")
    else:
        parts.append(
            "The internet connection was lost while on battery: something on the path is not on the UPS."
        )
    if isinstance(runtime, float):
        parts.append(f"The UPS reported {runtime / 60:.1f} min of runtime left.")
    if notes:
        parts.append("(" + "; ".join(notes) + ")")
    return " ".join(parts)

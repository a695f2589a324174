"""A drill's result, assembled once the script has ended: the owners of the addresses
seen, the timeline and events in time order, and the figures of its kind (failover:
readiness/drill/analysis.py; power: readiness/drill/power_drill.py)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from readiness.drill.analysis import apply_failover
from readiness.drill.phases import DrillKind
from readiness.drill.power_drill import apply_power
from readiness.model.drill import DrillEvent, DrillResult, DrillSample, WanSnapshot

LOOKUP_WAIT_S = 3.0  # how long the end of a drill waits for the owners of its addresses


async def settle_lookups(
    lookups: dict[str, asyncio.Task[WanSnapshot]], wait_s: float = LOOKUP_WAIT_S
) -> dict[str, WanSnapshot]:
    """Each address's owner, or the bare address when its lookup failed or is still out."""
    if lookups:
        await asyncio.wait(list(lookups.values()), timeout=wait_s)
    wan: dict[str, WanSnapshot] = {}
    for address, task in lookups.items():
        if task.done() and not task.cancelled() and task.exception() is None:
            wan[address] = task.result()
        else:
            task.cancel()
            wan[address] = WanSnapshot(public_ip=address)
    return wan


def assemble_result(
    *,
    kind: DrillKind,
    started_at: datetime,
    ended_at: datetime,
    technician: str | None,
    unattended: bool,
    interval_ms: int,
    probes_sent: int,
    timeline: list[DrillSample],
    events: list[DrillEvent],
    aborted: bool,
    notes: list[str],
    tolerance_s: float | None,
    primary_ip: str | None,
    primary_rtt: float | None,
    wan: dict[str, WanSnapshot],
) -> DrillResult:
    result = DrillResult(
        id=uuid.uuid4().hex[:12],
        kind=kind,
        started_at=started_at,
        ended_at=ended_at,
        technician=technician,
        unattended=unattended,
        interval_ms=interval_ms,
        probes_sent=probes_sent,
        events=sorted(events, key=lambda e: e.t),
        timeline=sorted(timeline, key=lambda s: (s.t, s.probe)),
    )
    if kind == "power":
        return apply_power(result, aborted=aborted, notes=notes, interval_ms=interval_ms)
    return apply_failover(
        result,
        aborted=aborted,
        tolerance_s=tolerance_s,
        primary_ip=primary_ip,
        wan=wan,
        primary_rtt=primary_rtt,
        notes=notes,
    )

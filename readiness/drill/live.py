"""The live reading of a running drill: decided ticks and echoes -> connected, line, events.

The final numbers always come from :mod:`readiness.drill.analysis` over the whole timeline;
this tracker only drives the phases (e.g. "the outage happened") and the UI's live state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from readiness.drill import analysis
from readiness.model.drill import DrillEvent


@dataclass
class TickAgg:
    t: float
    n: int
    done: int = 0
    ok: int = 0
    rtts: list[float] = field(default_factory=list)


class LiveTracker:
    """The live reading of decided ticks and echoes, to drive phases and events."""

    def __init__(self, interval_s: float) -> None:
        self.min_down = analysis.min_down_ticks_for(interval_s)
        self.min_up = 3
        self.connected: bool | None = None
        self.down_run: list[float] = []
        self.up_run = 0
        self.in_outage = False
        self.outages = 0
        self.recoveries = 0
        self.outage_start: float | None = None
        self.last_up_t: float | None = None
        self.primary_ip: str | None = None
        self.address: str | None = None
        self.line = "unknown"
        self.moved = False
        self.last_change_t = -math.inf
        self.primary_since: float | None = None  # up and on the primary (or unknown line) since
        self.rtt_ms: float | None = None
        self._run_start = 0.0

    def tick(self, t: float, up: bool, rtt_ms: float | None) -> list[DrillEvent]:
        events: list[DrillEvent] = []
        if up != self.connected:
            self.last_change_t = t
        self.connected = up
        if up:
            self.rtt_ms = rtt_ms
            self.last_up_t = t
            self.down_run.clear()
            if self.up_run == 0:
                self._run_start = t
            self.up_run += 1
            if self.in_outage and self.up_run >= self.min_up:
                self.in_outage = False
                self.recoveries += 1
                events.append(DrillEvent(t=self._run_start, kind="recovered"))
            if self.primary_since is None and self.line != "backup":
                self.primary_since = t
        else:
            self.up_run = 0
            self.primary_since = None
            self.down_run.append(t)
            if not self.in_outage and len(self.down_run) >= self.min_down:
                self.in_outage = True
                self.outages += 1
                self.outage_start = self.last_up_t
                events.append(
                    DrillEvent(t=self.down_run[0], kind="first_loss" if self.outages == 1 else "loss")
                )
        return events

    def echo(self, t: float, address: str) -> list[DrillEvent]:
        events: list[DrillEvent] = []
        if self.primary_ip is None:
            self.address = address
            return events
        line = analysis.line_of(address, self.primary_ip)
        if line == "backup" and self.line != "backup":
            self.moved = True
            self.last_change_t = t
            self.primary_since = None
            events.append(DrillEvent(t=t, kind="address_changed", detail=address))
        elif line == "primary" and self.line == "backup":
            self.last_change_t = t
            events.append(DrillEvent(t=t, kind="failback", detail=address))
            if self.connected:
                self.primary_since = t
        self.address, self.line = address, line
        return events

    def steady(self, t: float) -> bool:
        """False while down or within 3 s of a change: echoes then run every interval."""
        return bool(self.connected) and not self.in_outage and t - self.last_change_t > 3.0

    def outage_s(self, t: float) -> float | None:
        if not self.in_outage:
            return None
        start = self.outage_start if self.outage_start is not None else (self.down_run or [t])[0]
        return round(t - start, 1)

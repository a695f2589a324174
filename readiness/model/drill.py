"""A failover or power drill: what was measured, second by second."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class DrillSample(_Model):
    """One probe result. ``t`` is seconds since the drill started (monotonic clock)."""

    t: float
    probe: str  # e.g. "icmp:198.18.0.10", "tcp:198.18.0.11:443", "dns:example.com", "echo"
    ok: bool
    rtt_ms: float | None = None
    detail: str | None = None  # the public address an echo returned, an error...


class DrillEvent(_Model):
    t: float
    kind: str  # baseline_done, cut_requested, first_loss, recovered, address_changed,
    #            restore_requested, failback, on_battery, on_line, aborted, ...
    detail: str | None = None


class WanSnapshot(_Model):
    public_ip: str | None = None
    asn: int | None = None
    as_name: str | None = None
    rtt_ms: float | None = None  # median round trip to the anchors while on this line


class DrillOutcome(StrEnum):
    FAILOVER_OK = "failover_ok"  # traffic moved to another line within tolerance
    FAILOVER_SLOW = "failover_slow"  # moved, but the blackout exceeded the tolerance
    NO_FAILOVER = "no_failover"  # the line stayed down until it was restored
    NO_OUTAGE = "no_outage"  # nothing was lost (the cut did not affect this path)
    POWER_HELD = "power_held"  # power drill: connectivity held on battery
    POWER_LOST = "power_lost"
    ABORTED = "aborted"
    INCONCLUSIVE = "inconclusive"


def beyond_tolerance(blackout_s: float | None, tolerance_s: float | None) -> bool:
    """Whether a failover was too slow for the office: its blackout lasted longer than the
    outage the office said it can bear. False when either is not known.

    The one place this is judged: the drill's outcome (``failover_slow``) and its summary,
    and the rule FO-001 on the audit's current answer, all ask here."""
    return blackout_s is not None and tolerance_s is not None and blackout_s > tolerance_s


class DrillResult(_Model):
    id: str
    kind: Literal["failover", "power"] = "failover"
    started_at: datetime
    ended_at: datetime | None = None
    technician: str | None = None
    unattended: bool = False
    interval_ms: int = 100
    outcome: DrillOutcome = DrillOutcome.INCONCLUSIVE
    summary: str | None = None
    time_to_first_loss_s: float | None = None
    blackout_s: float | None = None  # last success on the primary to the first success after
    failover_s: float | None = None  # until the public address changed
    failback_s: float | None = None  # restore to traffic back on the primary
    returned_to_primary: bool | None = None
    primary: WanSnapshot | None = None
    backup: WanSnapshot | None = None
    same_provider: bool | None = None
    dns_during_blackout: bool | None = None
    vpn_dropped: list[str] = Field(default_factory=list)
    vpn_recovered: list[str] = Field(default_factory=list)
    ups_status_seen: list[str] = Field(default_factory=list)
    ups_runtime_left_s: float | None = None
    probes_sent: int = 0
    events: list[DrillEvent] = Field(default_factory=list)
    timeline: list[DrillSample] = Field(default_factory=list)

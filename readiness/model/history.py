"""What `readiness watch` measured over days: outages, switches of line, availability.

Built from the watcher's database by :mod:`readiness.watch.summary`; an audit holds it
(``Audit.history``) so the rules, the cost model and the report can use it without the
database. Times are UTC; lengths are measured on a monotonic clock.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HistoryOutage(_Model):
    start: datetime
    end: datetime | None = None  # None: still going on when the history was read
    length_s: float | None = None
    cause: Literal["gateway", "upstream", "dns", "unknown"] = "unknown"
    cut_short: bool = False  # the watcher stopped or slept before it ended: a lower bound


class HistoryFailover(_Model):
    at: datetime  # when traffic stopped on the old line (the blackout's start)
    kind: Literal["failover", "failback", "address_change"]
    from_ip: str | None = None
    to_ip: str | None = None
    from_asn: int | None = None
    to_asn: int | None = None
    to_as_name: str | None = None
    blackout_s: float | None = None  # 0 with ``blackout_under_s``: shorter than one tick
    blackout_under_s: float | None = None


class HistoryLine(_Model):
    role: Literal["primary", "backup", "other"]
    address: str | None = None
    asn: int | None = None
    as_name: str | None = None
    observed_s: float = 0.0  # watched time that traffic was on this line
    down_s: float = 0.0
    availability_pct: float | None = None
    # Availability per day on this line, for the same 30 days as History.days (None: unused).
    days: list[float | None] = Field(default_factory=list)


class HistoryDay(_Model):
    day: date
    observed_s: float = 0.0
    down_s: float = 0.0
    availability_pct: float | None = None  # None: the watcher did not run that day


class History(_Model):
    source: str  # the database's file name
    first_seen: datetime
    last_seen: datetime
    span_s: float
    observed_s: float  # span less the watcher's own gaps
    gaps_s: float
    down_s: float  # whole outages (no connection at all)
    dns_down_s: float = 0.0
    degraded_s: float = 0.0
    availability_pct: float | None = None
    lines: list[HistoryLine] = Field(default_factory=list)
    outages: list[HistoryOutage] = Field(default_factory=list)
    failovers: list[HistoryFailover] = Field(default_factory=list)
    days: list[HistoryDay] = Field(default_factory=list)  # the last 30 days, oldest first
    # The primary line's failures: whole outages plus the times traffic was on the backup.
    primary_failures: int = 0
    outages_per_year: float | None = None
    outages_per_year_low: float | None = None  # 95 % interval (Poisson), honest about a short record
    outages_per_year_high: float | None = None
    typical_outage_minutes: float | None = None  # median length of the primary's failures
    failover_s: float | None = None  # median blackout of the failovers seen
    alerting: list[str] = Field(default_factory=list)  # "command", "webhook", "metrics", "textfile"
    note: str = ""  # plain words: how long the record is and what that means for the figures

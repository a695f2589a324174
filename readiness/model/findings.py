"""Verdicts, findings, score and the cost estimate: what the rules and scoring produced."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from readiness.model.answers import Waiver
from readiness.model.verdict import Strength


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe: critical=4 ... info=0."""
        return ["info", "low", "medium", "high", "critical"].index(self.value)


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"


class Evidence(_Model):
    """One fact, answer, drill value or computed figure that decided a verdict."""

    source: Literal["fact", "answer", "drill", "watch", "computed"]
    key: str  # e.g. "gateways", "answers.backup_line", "drill.blackout_s"
    value: str  # human-readable rendering of the value
    note: str | None = None
    # What this piece of evidence rests on; None for answers and computed figures, whose
    # strength follows from ``source`` (see readiness.judgement.strength).
    strength: Strength | None = None


class Finding(_Model):
    check_id: str
    title: str
    category: str
    severity: Severity
    verdict: Verdict
    summary: str  # plain words for an owner: what is true of this site
    evidence: list[Evidence] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)  # why unknown: what was not seen or answered
    conflict: str | None = None  # a declared answer that a measurement contradicts
    waiver: Waiver | None = None
    points: float = Field(default=0.0, ge=0)  # earned
    max_points: float = Field(default=0.0, ge=0)  # possible (0 when not applicable or unknown)
    guide_points: list[str] = Field(default_factory=list)
    # The strongest kind of evidence behind the verdict (measured > observed > configured > answered).
    strength: Strength | None = None
    # The check whose failure this one only repeats (FO-001 "no backup line to switch to"
    # follows from WAN-001): one root cause, reported once.
    follows: str | None = None


class CategoryScore(_Model):
    category: str
    title: str
    score: float | None = Field(ge=0, le=100)  # None when nothing in it could be judged
    points: float = Field(ge=0)
    max_points: float = Field(ge=0)
    judged: int = Field(ge=0)
    unknown: int = Field(ge=0)


class Cap(_Model):
    check_id: str
    limit: float = Field(ge=0, le=100)  # the overall score cannot exceed this while the check fails
    reason: str
    # True when the check is not judged yet: a single point of failure that nobody has
    # ruled out holds the grade down just as one that was seen, until it is answered.
    pending: bool = False


class Score(_Model):
    overall: float | None = Field(ge=0, le=100)  # after caps; None when nothing could be judged
    uncapped: float | None = Field(ge=0, le=100)
    level: str  # Exposed / Improvised / Prepared / Resilient / Not assessed
    level_text: str
    points: float = Field(ge=0)
    max_points: float = Field(ge=0)
    coverage_pct: float = Field(ge=0, le=100)  # share of the checklist's weight that could be judged
    categories: list[CategoryScore] = Field(default_factory=list)
    caps: list[Cap] = Field(default_factory=list)
    weight_factors: dict[str, float] = Field(default_factory=dict)  # why weights moved


class CostEstimate(_Model):
    """Downtime economics (G1, G7, G22). Every field None when its inputs are missing."""

    currency: str = "EUR"
    hourly_cost: float | None = None
    staff_cost_per_hour: float | None = None
    revenue_at_risk_per_hour: float | None = None
    per_incident_cost: float | None = None
    outages_per_year: float | None = None
    outage_hours: float | None = None
    expected_yearly_loss: float | None = None
    residual_yearly_loss: float | None = None  # with a backup: failover time instead of outage
    failover_minutes_assumed: float | None = None
    failover_basis: str | None = None  # where the failover time came from: drill, answer, default
    outages_basis: str | None = None  # where outages/year and their length came from: watcher or answer
    backup_yearly_cost: float | None = None
    yearly_saving: float | None = None  # the loss a backup avoids: expected - residual, before its cost
    payback_months: float | None = None
    break_even_minutes_per_year: float | None = None
    # Busy seasons and deadlines (G7): an average hour offline is worth this many ordinary
    # hours in the yearly figures. None when not answered (the figures count none).
    peak_factor: float | None = None
    missing: list[str] = Field(default_factory=list)
    # Share of outages the office's backup actually survives (1.0 for an independent one;
    # less when it shares the provider or the route: see readiness.judgement.cost.survival_share).
    backup_survival_share: float | None = None
    backup_survival_basis: str | None = None
    # What outages cost a year with the office's setup as it is: the full loss with one
    # line, the switching minutes (and the outages the backup does not survive) with two.
    yearly_loss_now: float | None = None

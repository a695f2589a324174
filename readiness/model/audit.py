"""The Audit: the whole state of one walkthrough, and the one JSON format on disk."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from readiness.model.answers import Answer, Note, Waiver
from readiness.model.drill import DrillResult
from readiness.model.facts import Facts
from readiness.model.findings import CostEstimate, Finding, Score
from readiness.model.history import History
from readiness.model.verdict import Fit, Need, Plan, Verification

SCHEMA_VERSION: Literal[1] = 1


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: str = Field(min_length=1)
    address: str | None = None
    profile: str | None = None  # the kind of business, in the words of whoever started the audit
    # IANA time zone of the office ("Europe/Paris"): its dates (tests, next test due) are
    # read there. None: the dates of the recorded instants (UTC).
    timezone: str | None = None


class Audit(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    site: Site
    technician: str | None = None
    started_at: datetime
    updated_at: datetime
    tool_version: str
    facts: Facts = Field(default_factory=Facts)
    answers: dict[str, Answer] = Field(default_factory=dict)
    waivers: dict[str, Waiver] = Field(default_factory=dict)
    drills: list[DrillResult] = Field(default_factory=list)
    history: History | None = None  # what `readiness watch` measured over days (--history DB)
    notes: list[Note] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    score: Score | None = None
    cost: CostEstimate | None = None
    need: Need | None = None  # what the business requires (readiness.judgement.need)
    fit: Fit | None = None  # readiness against need: the owner's headline
    plan: Plan | None = None  # the costed action plan (readiness.judgement.plan)
    verification: Verification | None = None  # how much of the score is verified
    redacted: bool = False

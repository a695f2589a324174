"""The checklist and the cloud-service catalogue, loaded from the TOML data in checks/.

This module only reads and validates data; judgement lives in readiness.rules.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from readiness.errors import InputError, pydantic_field
from readiness.files import read_toml
from readiness.model.findings import Severity
from readiness.paths import checks_dir

CHECK_ID = re.compile(r"^[A-Z]{2,4}-\d{3}$")
GUIDE_POINT = re.compile(r"^G([1-9]|1\d|2[0-4])$")


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Data):
    id: str
    title: str
    description: str


class QuestionType(StrEnum):
    YESNO = "yesno"  # bool
    CHOICE = "choice"  # one of choices
    MULTI = "multi"  # several of choices
    NUMBER = "number"  # int or float, within min/max
    DATE = "date"  # ISO date YYYY-MM-DD
    TEXT = "text"


class Choice(_Data):
    value: str
    label: str


# What a personal answer holds, for ``--redact`` (readiness/export/redact.py): its value becomes
# a token of that kind (``person-1``) and is then masked wherever else it is written.
Personal = Literal["person", "phone", "contract", "email"]


class Question(_Data):
    id: str
    text: str  # plain words, for an owner
    type: QuestionType
    help: str = ""
    choices: list[Choice] = Field(default_factory=list)
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    prefill: str | None = None  # id of a prefill function in readiness.judgement.prefill
    facts: list[str] = Field(default_factory=list)  # fact keys that can suggest the answer
    guide_points: list[str] = Field(default_factory=list)
    section: str = "general"  # interview section: lines, equipment, power, services, ops, business
    cost_input: bool = False  # an input of the cost model
    allow_unknown: bool = True  # "don't know" is an accepted answer
    personal: Personal | None = None  # a text answer naming a person, a phone, a contract, an e-mail


class Boost(StrEnum):
    """A trait of the office that makes some checks weigh more (readiness.judgement.scoring)."""

    LOW_TOLERANCE = "low_tolerance"
    CLOUD_TELEPHONY = "cloud_telephony"
    OBLIGATIONS = "obligations"
    CLOUD = "cloud"


class Check(_Data):
    id: str
    title: str  # the good state, e.g. "The office has a second internet line"
    category: str
    severity: Severity
    weight: float = Field(gt=0)
    why: str  # why it matters, for an owner
    fix_owner: str
    fix_technician: str
    guide_points: list[str]
    questions: list[str] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)
    judged_by: str  # how the verdict is reached, in words
    cap: float | None = None  # while this check fails, the overall score cannot exceed this
    cap_reason: str | None = None  # why the cap, in an owner's words (else the finding's summary)
    boost: list[Boost] = Field(default_factory=list)  # profile factors that raise its weight
    manual: bool = False  # decided by answers only: no fact can settle it

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not CHECK_ID.match(v):
            raise ValueError(f"check id {v!r} must look like WAN-001")
        return v

    @field_validator("guide_points")
    @classmethod
    def _guide_points(cls, v: list[str]) -> list[str]:
        for g in v:
            if not GUIDE_POINT.match(g):
                raise ValueError(f"unknown guide point {g!r}")
        return v


class Level(_Data):
    name: str
    min_score: float
    text: str


class Service(_Data):
    """A cloud service an office may depend on."""

    id: str
    name: str
    category: Literal[
        "telephony",
        "productivity",
        "crm",
        "erp",
        "accounting",
        "banking",
        "remote_desktop",
        "file_sync",
        "pos",
        "video",
        "vpn",
        "other",
    ]
    process: str  # the business process it serves, in an owner's words
    stops: str  # what stops when the internet stops, in an owner's words
    process_names: list[str] = Field(default_factory=list)
    hostnames: list[str] = Field(default_factory=list)
    check_url: str | None = None
    guide_points: list[str] = Field(default_factory=list)


class NeedLevel(_Data):
    """How much continuity a business needs, and the readiness level that meets it."""

    id: str
    name: str
    requires: str  # a [[levels]] name
    text: str
    guide_points: list[str] = Field(default_factory=list)  # G24: the maturity a business needs


NEED_INPUTS = frozenset({"hourly_cost", "online_services", "telephony"})  # derived, not questions


class NeedSignal(_Data):
    """An answer that raises the office's need to at least ``level`` (checks/plan.toml)."""

    id: str
    input: str  # a question id or one of NEED_INPUTS
    op: Literal["le", "lt", "ge", "gt", "eq", "in", "any"]
    value: float | str | list[str] | None = None
    level: str
    text: str  # "{value}" is replaced by the office's value
    guide_points: list[str] = Field(default_factory=list)


class NeedSettings(_Data):
    required: list[str] = Field(default_factory=list)  # answers without which need is unknown


class Action(_Data):
    """One remedy of the action plan; its effect is judged by re-running the engine."""

    id: str
    title: str
    why: str  # the root cause, in an owner's words
    root_checks: list[str]  # offered while one of these fails or needs attention
    resolves: list[str] = Field(default_factory=list)  # what it is meant to fix (the what-if decides)
    one_off: tuple[float, float] = (0.0, 0.0)  # [low, high] in the office's currency
    monthly: tuple[float, float] = (0.0, 0.0)
    monthly_answer: str | None = None  # an answer that replaces the monthly default
    priced: bool = False  # the cost model prices what it avoids
    cheap: bool = False  # worth doing whatever the need, when it fixes a real weakness
    drills: list[Literal["failover", "failover_provider", "power"]] = Field(default_factory=list)
    clear: list[str] = Field(default_factory=list)  # answers the change makes obsolete
    answers: dict[str, bool | int | float | str | list[str]] = Field(default_factory=dict)


class Band(_Data):
    """Pass below ``warn_from``, warn below ``fail_from``, fail from there up."""

    warn_from: float = Field(ge=0)
    fail_from: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.fail_from < self.warn_from:
            raise ValueError("fail_from must not be below warn_from")
        return self


class LineQuality(_Data):
    """What a line must carry for voice and video (WAN-007), checks.toml ``[line_quality]``."""

    loss_pct: Band
    jitter_ms: Band
    round_trip_ms: Band


class BackupBandwidth(_Data):
    """The bandwidth estimate for the backup (WAN-005), checks.toml ``[backup_bandwidth]``:
    Mbit/s per person, per person for some workloads, and a fixed amount for others."""

    mbps_per_user: float = Field(ge=0)
    mbps_per_user_by_workload: dict[str, float] = Field(default_factory=dict)
    mbps_fixed_by_workload: dict[str, float] = Field(default_factory=dict)


class FailoverSettings(_Data):
    """What FO-001 reads in the watcher's history, checks.toml ``[failover]``: an outage of
    the line itself this long, with no switch to another line, says nothing switched."""

    unswitched_outage_minutes: float = Field(default=10.0, gt=0)


class Thresholds(_Data):
    """The figures the line rules judge by, as data (checks.toml)."""

    line_quality: LineQuality
    backup_bandwidth: BackupBandwidth
    failover: FailoverSettings = Field(default_factory=FailoverSettings)


class Catalogue(_Data):
    line_quality: LineQuality
    backup_bandwidth: BackupBandwidth
    failover: FailoverSettings = Field(default_factory=FailoverSettings)
    categories: list[Category]
    checks: list[Check]
    questions: list[Question]
    levels: list[Level]
    services: list[Service]
    need: NeedSettings = Field(default_factory=NeedSettings)
    need_levels: list[NeedLevel] = Field(default_factory=list)
    need_signals: list[NeedSignal] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)

    def with_action_costs(
        self, costs: dict[str, dict[str, tuple[float, float]]]
    ) -> Catalogue:
        """A copy whose actions cost what the config says (``{action id: {"one_off": ..}}``)."""
        if not costs:
            return self
        actions = [a.model_copy(update=costs.get(a.id, {})) for a in self.actions]
        return self.model_copy(update={"actions": actions})

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            line_quality=self.line_quality, backup_bandwidth=self.backup_bandwidth, failover=self.failover
        )

    def check(self, check_id: str) -> Check:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise KeyError(check_id)

    def questions_by_id(self) -> dict[str, Question]:
        """Every question by its id: for looking up many (a report, a finding's evidence)."""
        return {q.id: q for q in self.questions}

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def service(self, service_id: str) -> Service:
        for s in self.services:
            if s.id == service_id:
                return s
        raise KeyError(service_id)

    def category_title(self, category_id: str) -> str:
        for c in self.categories:
            if c.id == category_id:
                return c.title
        return category_id


# Where each top-level table belongs, to name the file when one is missing altogether.
_HOME_FILE = {
    "categories": "checks.toml",
    "levels": "checks.toml",
    "line_quality": "checks.toml",
    "backup_bandwidth": "checks.toml",
    "failover": "checks.toml",
    "checks": "checks.toml",
    "questions": "questions.toml",
    "services": "services.toml",
    "need": "plan.toml",
    "need_levels": "plan.toml",
    "need_signals": "plan.toml",
    "actions": "plan.toml",
}
# Read when present: a catalogue folder without it has no need levels and no plan.
OPTIONAL_FILES = ("plan.toml",)


def load_catalogue(folder: Path | None = None) -> Catalogue:
    """Load and cross-check checks.toml, questions.toml and services.toml from ``folder``."""
    folder = folder or checks_dir()
    merged: dict[str, object] = {}
    origin: dict[str, Path] = {}  # top-level key -> the file that defined it
    for name in ("checks.toml", "questions.toml", "services.toml", *OPTIONAL_FILES):
        path = folder / name
        if name in OPTIONAL_FILES and not path.exists():
            continue
        data = read_toml(path)
        for key, value in data.items():
            if key in merged:
                raise InputError(path, key, "defined twice across the catalogue files")
            merged[key] = value
            origin[key] = path
    try:
        catalogue = Catalogue.model_validate(merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        key = str(loc[0]) if loc else ""
        where = origin.get(key) or (folder / _HOME_FILE[key] if key in _HOME_FILE else folder)
        raise InputError(where, pydantic_field(loc), err["msg"]) from exc
    _cross_check(folder, catalogue)
    return catalogue


def _cross_check(folder: Path, cat: Catalogue) -> None:
    """Dangling ids are data errors: fail loudly at load time, not at audit time."""
    seen: set[str] = set()
    for c in cat.checks:
        if c.id in seen:
            raise InputError(folder / "checks.toml", c.id, "duplicate check id")
        seen.add(c.id)
    question_ids = {q.id for q in cat.questions}
    if len(question_ids) != len(cat.questions):
        raise InputError(folder / "questions.toml", "questions", "duplicate question id")
    categories = {c.id for c in cat.categories}
    for c in cat.checks:
        if c.category not in categories:
            raise InputError(folder / "checks.toml", f"{c.id}.category", f"unknown category {c.category!r}")
        for qid in c.questions:
            if qid not in question_ids:
                raise InputError(folder / "checks.toml", f"{c.id}.questions", f"unknown question {qid!r}")
    for q in cat.questions:
        if q.type in (QuestionType.CHOICE, QuestionType.MULTI) and not q.choices:
            raise InputError(folder / "questions.toml", f"{q.id}.choices", "a choice question needs choices")
        if q.personal is not None and q.type is not QuestionType.TEXT:
            raise InputError(
                folder / "questions.toml", f"{q.id}.personal", "only a text question can be personal"
            )
    _cross_check_plan(folder / "plan.toml", cat, question_ids, seen)
    workloads = {c.value for q in cat.questions if q.id == "workloads_on_backup" for c in q.choices}
    bandwidth = cat.backup_bandwidth
    for name, table in (
        ("mbps_per_user_by_workload", bandwidth.mbps_per_user_by_workload),
        ("mbps_fixed_by_workload", bandwidth.mbps_fixed_by_workload),
    ):
        for w in table:
            if w not in workloads:
                raise InputError(
                    folder / "checks.toml", f"backup_bandwidth.{name}", f"unknown workload {w!r}"
                )
    service_ids = [s.id for s in cat.services]
    if len(set(service_ids)) != len(service_ids):
        raise InputError(folder / "services.toml", "services", "duplicate service id")


def _cross_check_plan(path: Path, cat: Catalogue, question_ids: set[str], check_ids: set[str]) -> None:
    levels = {lv.name for lv in cat.levels}
    need_ids = {n.id for n in cat.need_levels}
    for n in cat.need_levels:
        if n.requires not in levels:
            raise InputError(path, f"need_levels.{n.id}.requires", f"unknown level {n.requires!r}")
    for qid in cat.need.required:
        if qid not in question_ids:
            raise InputError(path, "need.required", f"unknown question {qid!r}")
    for sig in cat.need_signals:
        if sig.level not in need_ids:
            raise InputError(path, f"need_signals.{sig.id}.level", f"unknown need level {sig.level!r}")
        if sig.input not in question_ids and sig.input not in NEED_INPUTS:
            raise InputError(path, f"need_signals.{sig.id}.input", f"unknown input {sig.input!r}")
        for g in sig.guide_points:
            if not GUIDE_POINT.match(g):
                raise InputError(path, f"need_signals.{sig.id}.guide_points", f"unknown guide point {g!r}")
    action_ids: set[str] = set()
    for a in cat.actions:
        if a.id in action_ids:
            raise InputError(path, f"actions.{a.id}", "duplicate action id")
        action_ids.add(a.id)
        for cid in (*a.root_checks, *a.resolves):
            if cid not in check_ids:
                raise InputError(path, f"actions.{a.id}", f"unknown check {cid!r}")
        for qid in (*a.answers, *a.clear, *([a.monthly_answer] if a.monthly_answer else [])):
            if qid not in question_ids:
                raise InputError(path, f"actions.{a.id}", f"unknown question {qid!r}")
        for rng, name in ((a.one_off, "one_off"), (a.monthly, "monthly")):
            if not 0 <= rng[0] <= rng[1]:
                raise InputError(path, f"actions.{a.id}.{name}", "expected [low, high] with 0 <= low <= high")


@cache
def default_catalogue() -> Catalogue:
    return load_catalogue()

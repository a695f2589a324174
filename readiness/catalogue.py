"""The checklist and the cloud-service catalogue, loaded from the TOML data in checks/.

This module only reads and validates data; judgement lives in readiness.rules.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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
    prefill: str | None = None  # id of a prefill function in readiness.prefill
    facts: list[str] = Field(default_factory=list)  # fact keys that can suggest the answer
    guide_points: list[str] = Field(default_factory=list)
    section: str = "general"  # interview section: lines, equipment, power, services, ops, business
    cost_input: bool = False  # an input of the cost model
    allow_unknown: bool = True  # "don't know" is an accepted answer


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
    boost: list[str] = Field(default_factory=list)  # profile factors that raise its weight
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


class Catalogue(_Data):
    categories: list[Category]
    checks: list[Check]
    questions: list[Question]
    levels: list[Level]
    services: list[Service]

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
    "checks": "checks.toml",
    "questions": "questions.toml",
    "services": "services.toml",
}


def load_catalogue(folder: Path | None = None) -> Catalogue:
    """Load and cross-check checks.toml, questions.toml and services.toml from ``folder``."""
    folder = folder or checks_dir()
    merged: dict[str, object] = {}
    origin: dict[str, Path] = {}  # top-level key -> the file that defined it
    for name in ("checks.toml", "questions.toml", "services.toml"):
        path = folder / name
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
    service_ids = [s.id for s in cat.services]
    if len(set(service_ids)) != len(service_ids):
        raise InputError(folder / "services.toml", "services", "duplicate service id")


@cache
def default_catalogue() -> Catalogue:
    return load_catalogue()

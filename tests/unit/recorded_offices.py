"""The recorded offices (examples/*.json) as whole, judged audits, the same on every machine:
the facts replayed, examples/answers.toml applied, fixed ids and times, the real catalogue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from readiness.answers_file import apply_answers, load_answers
from readiness.catalogue import Catalogue, default_catalogue
from readiness.judgement.engine import evaluate
from readiness.model import SCHEMA_VERSION, Audit, Site
from readiness.replay import load_facts

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
OFFICES = sorted(p.stem.removesuffix("-office") for p in EXAMPLES.glob("*-office.json"))
STARTED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


@cache
def catalogue() -> Catalogue:
    return default_catalogue()


def office(name: str, *, with_answers: bool = True) -> Audit:
    """The recorded office ``name`` (``dual`` for examples/dual-office.json), judged."""
    facts = load_facts(EXAMPLES / f"{name}-office.json")
    facts = facts.model_copy(update={"replayed_from": f"examples/{name}-office.json"})
    audit = Audit(
        schema_version=SCHEMA_VERSION,
        id=f"office-{name}",
        site=Site(name=f"{name.capitalize()} office"),
        technician="Alex Martin",
        started_at=STARTED,
        updated_at=STARTED + timedelta(minutes=40),
        tool_version="0.1.0",
        facts=facts,
    )
    if with_answers:
        audit = apply_answers(audit, load_answers(EXAMPLES / "answers.toml", catalogue()), STARTED)
    audit = audit.model_copy(update={"site": audit.site.model_copy(update={"timezone": "Europe/Paris"})})
    return evaluate(audit, catalogue())

"""Builders for the table-driven rule tests: literal dicts in, a RuleResult out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import readiness.rules  # noqa: F401  (registers the rules)
from readiness.model import Answer, DrillResult, Facts, Verdict
from readiness.rules.base import RULES, RuleInput, RuleResult

AS_OF = date(2026, 11, 1)


def drill(outcome: str, days_ago: int = 10, **fields: Any) -> dict[str, Any]:
    """A failover drill as a literal dict, ``days_ago`` before AS_OF."""
    started = datetime.combine(AS_OF - timedelta(days=days_ago), datetime.min.time(), tzinfo=UTC)
    return {"id": f"d-{outcome}-{days_ago}", "outcome": outcome, "started_at": started, **fields}


def run(
    check_id: str,
    answers: Mapping[str, object] | None = None,
    facts: Mapping[str, Any] | None = None,
    drills: list[dict[str, Any]] | None = None,
    as_of: date | None = AS_OF,
) -> RuleResult:
    inp = RuleInput(
        facts=Facts.model_validate(facts or {}),
        answers={k: Answer.model_validate({"value": v}) for k, v in (answers or {}).items()},
        drills=tuple(DrillResult.model_validate(d) for d in drills or []),
        as_of=as_of,
    )
    return RULES[check_id](inp)


def check(result: RuleResult, verdict: str, conflict: bool = False) -> None:
    """Assert the verdict and whether a conflict was reported; unknown must say what is missing."""
    assert result.verdict is Verdict(verdict), (result.verdict, result.summary)
    assert (result.conflict is not None) is conflict, result.conflict
    assert result.summary
    if result.verdict is Verdict.UNKNOWN:
        assert result.missing, "an unknown verdict must say what is missing"
    else:
        assert not result.missing


def gateways(*addresses: str) -> list[dict[str, Any]]:
    return [{"address": a, "family": 4, "interface": f"eth{i}"} for i, a in enumerate(addresses)]


def ev_keys(result: RuleResult) -> set[str]:
    return {e.key for e in result.evidence}

"""Need levels and the fit of readiness against need (issue 15, item 1), table-driven."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.catalogue import default_catalogue
from readiness.judgement.cost import cost_from_answers
from readiness.judgement.need import HEADLINES, fires, judge_need
from readiness.model import Answer, Facts, FitVerdict
from tests.unit.offices import CAFE, PREPARED, SINGLE, office

BASE = {"max_outage_minutes": 1440, "offline_fallback": "full", "obligations": ["none"]}


def need_of(answers: dict[str, Any], facts: dict[str, Any] | None = None) -> tuple[str | None, list[str]]:
    ans = {k: Answer(value=v) for k, v in answers.items()}
    need = judge_need(ans, Facts.model_validate(facts or {}), cost_from_answers(ans, []), default_catalogue())
    return need.level, [r.signal for r in need.reasons]


TELEPHONE = {"id": "teams_phone", "name": "Teams Phone", "category": "telephony"}
DECLARED_PHONE = {**TELEPHONE, "detected_by": ["declared"]}
SEEN_PHONE = {**TELEPHONE, "detected_by": ["process:teams"]}


@pytest.mark.parametrize(
    ("answers", "facts", "level", "signal"),
    [
        # G6: without the tolerable outage and the offline fallback, need is not judged.
        ({}, None, None, None),
        ({"max_outage_minutes": 15}, None, None, "tolerance_half_hour"),
        ({"offline_fallback": "full"}, None, None, None),
        ({"max_outage_minutes": None, "offline_fallback": "full"}, None, None, None),
        # G6: tolerance sets the floor
        (BASE, None, "low", None),
        ({**BASE, "max_outage_minutes": 241}, None, "low", None),
        ({**BASE, "max_outage_minutes": 240}, None, "moderate", "tolerance_hours"),
        ({**BASE, "max_outage_minutes": 30}, None, "high", "tolerance_half_hour"),
        ({**BASE, "max_outage_minutes": 5}, None, "critical", "tolerance_minutes"),
        ({**BASE, "max_outage_minutes": 0}, None, "critical", "tolerance_minutes"),
        # G6: work stops offline
        ({**BASE, "offline_fallback": "none"}, None, "moderate", "no_offline_fallback"),
        ({**BASE, "offline_fallback": "partial"}, None, "low", None),
        # G5: obligations
        ({**BASE, "obligations": ["insurer"]}, None, "high", "obligations"),
        ({**BASE, "obligations": ["none"]}, None, "low", None),
        # G2: telephony over the internet, answered or seen; a config line never beats the answer
        ({**BASE, "telephony_type": "cloud"}, None, "moderate", "cloud_telephony"),
        ({**BASE, "telephony_type": "mobile"}, {"services": [DECLARED_PHONE]}, "low", None),
        ({**BASE, "telephony_type": "mobile"}, {"services": [SEEN_PHONE]}, "moderate", "cloud_telephony"),
        (BASE, {"services": [DECLARED_PHONE]}, "moderate", "cloud_telephony"),
        # G3, G11: cloud dependence, each service once
        ({**BASE, "cloud_dependencies": ["pos"]}, None, "low", None),
        (
            {**BASE, "cloud_dependencies": ["office_suite", "crm", "erp"]},
            None,
            "moderate",
            "cloud_dependence",
        ),
        # G1, G22: what an hour offline costs
        (
            {**BASE, "staff_affected": 5, "hourly_cost_per_person": 50, "work_blocked_pct": 100},
            None,
            "moderate",
            "hour_costly",
        ),
        (
            {**BASE, "staff_affected": 2, "hourly_cost_per_person": 20, "work_blocked_pct": 10},
            None,
            "low",
            None,
        ),
        ({**BASE, "revenue_per_hour": 2500}, None, "high", "hour_very_costly"),
        # the highest signal wins
        (
            {**BASE, "max_outage_minutes": 5, "obligations": ["regulation"]},
            None,
            "critical",
            "tolerance_minutes",
        ),
    ],
)
def test_need_levels(
    answers: dict[str, Any], facts: dict[str, Any] | None, level: str | None, signal: str | None
) -> None:
    got, signals = need_of(answers, facts)
    assert got == level
    if signal is not None:
        assert signal in signals
    elif level == "low":
        assert signals == []


def test_need_keeps_one_reason_per_input() -> None:
    _, signals = need_of({**BASE, "max_outage_minutes": 5})
    assert signals == ["tolerance_minutes"]  # not also "at most 30" and "at most 240"


def test_unknown_need_names_the_questions() -> None:
    ans = {"max_outage_minutes": Answer(value=15)}
    need = judge_need(ans, None, None, default_catalogue())
    assert need.level is None and need.missing == ["offline_fallback"]
    assert "Can staff keep working without internet" in need.text


@pytest.mark.parametrize(
    ("op", "value", "office_value", "expected"),
    [
        ("le", 5, 5, True),
        ("le", 5, 6, False),
        ("lt", 5, 5, False),
        ("ge", 3, 3, True),
        ("gt", 3, 3, False),
        ("eq", "none", "none", True),
        ("eq", "none", "full", False),
        ("in", ["a", "b"], "b", True),
        ("any", None, ["none"], False),
        ("any", None, ["insurer"], True),
        ("le", 5, None, False),
        ("le", 5, True, False),  # a yes/no answer is not a number
    ],
)
def test_signal_operators(op: str, value: Any, office_value: Any, expected: bool) -> None:
    from readiness.catalogue import NeedSignal

    sig = NeedSignal(id="s", input="max_outage_minutes", op=op, value=value, level="low", text="t")  # type: ignore[arg-type]
    assert fires(sig, office_value) is expected


def test_every_need_signal_is_traced_to_the_guide() -> None:
    cat = default_catalogue()
    points = {g for s in cat.need_signals for g in s.guide_points}
    points |= {g for n in cat.need_levels for g in n.guide_points}
    assert {"G1", "G5", "G6", "G7", "G22", "G24"} <= points
    assert [n.requires for n in cat.need_levels] == [
        lv.name for lv in sorted(cat.levels, key=lambda x: x.min_score)
    ]


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        (CAFE, FitVerdict.ADEQUATE),  # low need, one line
        (SINGLE, FitVerdict.SHORT),  # high need, one line
        (PREPARED, FitVerdict.ADEQUATE),  # high need, Prepared
        (
            {
                **PREPARED,
                "obligations": ["none"],
                "max_outage_minutes": 1440,
                "offline_fallback": "full",
                "telephony_type": "mobile",
                "cloud_dependencies": ["pos"],
                "revenue_per_hour": 0,
                "hourly_cost_per_person": 10,
            },
            FitVerdict.MORE,
        ),  # low need, well protected
        ({k: v for k, v in CAFE.items() if k != "max_outage_minutes"}, FitVerdict.UNKNOWN),
    ],
)
def test_fit_verdicts(answers: dict[str, Any], verdict: FitVerdict) -> None:
    audit = office(answers)
    assert audit.fit is not None
    assert audit.fit.verdict is verdict, (audit.fit.why, audit.score)
    assert audit.fit.headline == HEADLINES[verdict]
    assert audit.fit.why and "\n" not in audit.fit.why


def test_fit_is_unknown_when_readiness_is_not_assessed() -> None:
    audit = office({"max_outage_minutes": 30, "offline_fallback": "none"})
    assert audit.score is not None and audit.score.level == "Not assessed"
    assert audit.fit is not None and audit.fit.verdict is FitVerdict.UNKNOWN


def test_short_fit_says_why_and_the_first_step() -> None:
    fit = office(SINGLE).fit
    assert fit is not None
    assert "at most 15 minutes offline" in fit.why
    assert "Prepared" in fit.why and "Exposed" in fit.why
    assert "backup line" in fit.why

"""Scoring: weighted points, warn earns half, unknown lowers coverage, caps, profile weights."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from readiness.catalogue import Boost, Catalogue, Category, Check, Level, default_catalogue
from readiness.judgement.scoring import apply_points, level_for, profile_factors, score
from readiness.model import Answer, Facts, Finding, Severity, Verdict


def _check(
    cid: str, category: str, weight: float, cap: float | None = None, boost: list[str] | None = None
) -> Check:
    return Check(
        id=cid,
        title=f"{cid} is fine",
        category=category,
        severity=Severity.HIGH,
        weight=weight,
        why="w",
        fix_owner="o",
        fix_technician="t",
        guide_points=["G1"],
        judged_by="j",
        cap=cap,
        boost=boost or [],
    )


CAT = Catalogue(
    # the shipped line thresholds: these tests are about scoring, not about lines
    line_quality=default_catalogue().line_quality,
    backup_bandwidth=default_catalogue().backup_bandwidth,
    categories=[Category(id="x", title="X", description=""), Category(id="y", title="Y", description="")],
    checks=[
        _check("AAA-001", "x", 4),
        _check("AAA-002", "x", 2, cap=40),
        _check("BBB-001", "y", 2, boost=["low_tolerance"]),
        _check("BBB-002", "y", 2, boost=["cloud_telephony"]),
    ],
    questions=[],
    levels=[
        Level(name="Exposed", min_score=0, text="e"),
        Level(name="Improvised", min_score=45, text="i"),
        Level(name="Prepared", min_score=65, text="p"),
        Level(name="Resilient", min_score=85, text="r"),
    ],
    services=[],
)


def _findings(*verdicts: str) -> list[Finding]:
    return [
        Finding(
            check_id=c.id,
            title=c.title,
            category=c.category,
            severity=c.severity,
            verdict=Verdict(v),
            summary=f"{c.id} {v}",
        )
        for c, v in zip(CAT.checks, verdicts, strict=True)
    ]


def _answers(**values: Any) -> dict[str, Answer]:
    return {k: Answer.model_validate({"value": v}) for k, v in values.items()}


def test_pass_full_warn_half_fail_none_unknown_lowers_coverage() -> None:
    s = score(_findings("pass", "warn", "fail", "unknown"), CAT, {})
    assert s.points == 5 and s.max_points == 8  # 4 + 1 + 0 of 4 + 2 + 2
    assert s.overall == 62.5 and s.uncapped == 62.5
    assert s.coverage_pct == 80.0  # 8 judged of 10 open
    assert s.level == "Improvised"
    assert s.caps == []
    x, y = s.categories
    assert (x.category, x.score, x.points, x.max_points, x.judged, x.unknown) == ("x", 83.3, 5, 6, 2, 0)
    assert (y.category, y.score, y.points, y.max_points, y.judged, y.unknown) == ("y", 0.0, 0, 2, 1, 1)


def test_not_applicable_and_waived_are_left_out() -> None:
    s = score(_findings("pass", "waived", "not_applicable", "pass"), CAT, {})
    assert s.overall == 100 and s.max_points == 6 and s.coverage_pct == 100
    assert s.level == "Resilient"
    assert s.categories[1].judged == 1 and s.categories[1].unknown == 0


def test_a_failing_capped_check_limits_score_and_level() -> None:
    s = score(_findings("pass", "fail", "pass", "pass"), CAT, {})
    assert s.uncapped == 80.0  # 8 of 10
    assert s.overall == 40
    assert s.level == "Exposed"
    assert [c.check_id for c in s.caps] == ["AAA-002"]
    assert "AAA-002 fail" in s.caps[0].reason and "40" in s.caps[0].reason


def test_an_unjudged_capped_check_holds_the_grade_down_until_judged() -> None:
    s = score(_findings("pass", "unknown", "pass", "pass"), CAT, {})
    assert s.uncapped == 100.0 and s.overall == 40
    assert s.level == "Exposed"
    (cap,) = s.caps
    assert cap.check_id == "AAA-002" and cap.pending is True
    assert cap.reason == "AAA-002 is not judged yet: until it is, the score cannot exceed 40."
    assert "answers." not in cap.reason  # what it lacks is said with the finding, in words


def test_a_failing_cap_is_not_pending() -> None:
    s = score(_findings("pass", "fail", "pass", "pass"), CAT, {})
    assert [c.pending for c in s.caps] == [False]


def test_too_little_judged_claims_no_level() -> None:
    # Only AAA-002 (weight 2 of 10) is judged: the score is there, the level is not.
    s = score(_findings("unknown", "pass", "unknown", "unknown"), CAT, {})
    assert s.overall == 100 and s.coverage_pct == 20.0
    assert s.level == "Not assessed"
    assert "20%" in s.level_text


def test_a_warning_does_not_cap() -> None:
    s = score(_findings("pass", "warn", "pass", "pass"), CAT, {})
    assert s.caps == [] and s.overall == 90.0


def test_nothing_judged_is_not_assessed() -> None:
    s = score(_findings("unknown", "unknown", "not_applicable", "unknown"), CAT, {})
    assert s.overall is None and s.uncapped is None
    assert s.level == "Not assessed" and s.coverage_pct == 0
    assert all(c.score is None for c in s.categories)


@pytest.mark.parametrize(
    ("answers", "factor"),
    [
        ({}, None),
        ({"max_outage_minutes": 60}, None),
        ({"max_outage_minutes": 15}, 1.5),
        ({"max_outage_minutes": 5}, 2.0),
        ({"max_outage_minutes": 5, "offline_fallback": "none"}, 2.5),
        ({"offline_fallback": "none"}, 1.25),
    ],
)
def test_low_tolerance_factor(answers: dict[str, Any], factor: float | None) -> None:
    low = profile_factors(_answers(**answers)).get(Boost.LOW_TOLERANCE)
    assert (low.factor if low is not None else None) == factor


def test_low_tolerance_makes_the_same_gap_weigh_more() -> None:
    verdicts = ("pass", "pass", "fail", "pass")
    relaxed = score(_findings(*verdicts), CAT, _answers(max_outage_minutes=60))
    strict = score(_findings(*verdicts), CAT, _answers(max_outage_minutes=5))
    assert relaxed.overall == 80.0  # 8 of 10
    assert strict.overall == pytest.approx(66.7)  # 8 of 12: the failing check now weighs 4
    assert any(k.startswith("low_tolerance:") and "5 minutes" in k for k in strict.weight_factors)


def test_cloud_telephony_from_the_answer_or_from_detection() -> None:
    verdicts = ("pass", "pass", "pass", "fail")
    assert score(_findings(*verdicts), CAT, {}).overall == 80.0
    answered = score(_findings(*verdicts), CAT, _answers(telephony_type="cloud"))
    assert answered.overall == pytest.approx(72.7)  # 8 of 11
    facts = Facts.model_validate({"services": [{"id": "s", "name": "Sipgate", "category": "telephony"}]})
    detected = score(_findings(*verdicts), CAT, {}, facts)
    assert detected.overall == pytest.approx(72.7)
    assert any("Sipgate" in k for k in detected.weight_factors)


def test_obligations_and_cloud_factors() -> None:
    f = profile_factors(_answers(obligations=["insurer"], cloud_dependencies=["erp", "crm"]))
    tags = {boost: factor.factor for boost, factor in f.items()}
    assert tags == {Boost.OBLIGATIONS: 1.5, Boost.CLOUD: 1.25}
    assert profile_factors(_answers(obligations=["none"], cloud_dependencies=["none"])) == {}


def test_the_scores_factor_wording_is_the_reports() -> None:
    """Typed factors (issue 18: string keys parsed back with startswith) keep the words the
    saved score and the report show, "tag: why", in the order they were found."""
    answers = _answers(
        max_outage_minutes=5, offline_fallback="none", telephony_type="cloud", obligations=["insurer"]
    )
    out = score(_findings("pass", "pass", "pass", "fail"), CAT, answers)
    assert out.weight_factors == {
        "low_tolerance: the office can bear at most 5 minutes offline, and staff cannot work offline": 2.5,
        "cloud_telephony: telephony runs over the internet": 1.5,
        "obligations: insurer": 1.5,
    }
    assert profile_factors(answers)[Boost.OBLIGATIONS].label == "obligations: insurer"


def test_an_unknown_boost_in_the_checklist_is_a_data_error() -> None:
    with pytest.raises(ValidationError):
        Check.model_validate({**CAT.checks[0].model_dump(), "boost": ["low_tolerence"]})


def test_apply_points_makes_each_checks_points_visible() -> None:
    factors = profile_factors(_answers(max_outage_minutes=5))
    out = apply_points(_findings("pass", "warn", "fail", "unknown"), CAT, factors)
    assert [(f.points, f.max_points) for f in out] == [(4, 4), (1, 2), (0, 4), (0, 0)]


def test_level_for_uses_the_highest_reached_level() -> None:
    assert level_for(CAT, 64.9)[0] == "Improvised"
    assert level_for(CAT, 65)[0] == "Prepared"
    assert level_for(CAT, None)[0] == "Not assessed"

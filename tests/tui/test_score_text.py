"""The score in words: the block at the top of the findings (level, points, what caps the
score) and the brief form of the status line and the saved audits' list."""

from __future__ import annotations

from readiness.judgement.scoring import NOT_ASSESSED
from readiness.model import Cap, Score
from readiness.tui.screens.findings import score_text
from readiness.tui.widgets.status import score_brief

FAILING = Cap(check_id="WAN-001", limit=40, reason="WAN-001 fails: one line only; the score cannot pass 40.")


def pending(check_id: str, limit: float) -> Cap:
    return Cap(
        check_id=check_id,
        limit=limit,
        reason=f"{check_id} is not judged yet (needs answers.x): the score stays under {limit:g}.",
        pending=True,
    )


def score(*caps: Cap) -> Score:
    return Score(
        overall=40,
        uncapped=90,
        level="Exposed",
        level_text="One failure stops the office.",
        points=9,
        max_points=10,
        coverage_pct=42,
        caps=list(caps),
    )


def test_a_failing_cap_is_given_whole_and_checks_not_judged_yet_share_one_line() -> None:
    text = score_text(score(FAILING, pending("FO-001", 50), pending("PWR-001", 60))).plain
    lines = text.splitlines()
    assert f"▼ {FAILING.reason}" in lines
    shared = [line for line in lines if "FO-001" in line]
    assert shared == [
        "▼ Not judged yet, each of these holds the score down until it is: FO-001 at 50, PWR-001 at 60."
        " Their questions are in the checklist (F3)."
    ]
    assert "needs answers.x" not in text  # shown with each check, in the list below
    assert "90 before the caps" in text


def test_a_single_check_not_judged_yet_keeps_its_own_reason() -> None:
    only = pending("FO-001", 50)
    assert f"▼ {only.reason}" in score_text(score(only)).plain.splitlines()


def test_score_brief_says_a_level_is_still_to_come_below_half_judged() -> None:
    """The status line and the saved audits' list: a number with no level yet does not read
    as "50 Not assessed"."""
    assessed = score()
    unassessed = assessed.model_copy(update={"level": NOT_ASSESSED, "overall": 50.0})
    assert score_brief(assessed) == "40 Exposed"
    assert score_brief(unassessed) == "50, no level yet"
    assert score_brief(assessed.model_copy(update={"overall": None})) is None
    assert score_brief(None) is None


def test_a_check_that_counts_for_nothing_shows_a_dash_not_zero_of_zero() -> None:
    from readiness.model import Finding, Severity, Verdict
    from readiness.tui.screens.findings import points_text

    def finding(verdict: Verdict, points: float, possible: float) -> Finding:
        return Finding(
            check_id="FO-001",
            title="Traffic switches to the backup line automatically",
            category="failover",
            severity=Severity.CRITICAL,
            verdict=verdict,
            summary="How traffic reaches the backup is not known.",
            points=points,
            max_points=possible,
        )

    assert points_text(finding(Verdict.UNKNOWN, 0, 0)) == "—"
    assert points_text(finding(Verdict.FAIL, 0, 12)) == "0/12"
    assert points_text(finding(Verdict.WARN, 6, 12)) == "6/12"

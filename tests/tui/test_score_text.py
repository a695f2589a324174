"""The score block at the top of the findings: level, points and what caps the score."""

from __future__ import annotations

from readiness.model import Cap, Score
from readiness.tui.screens.findings import score_text

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

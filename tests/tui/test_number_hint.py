"""A number field's placeholder: its range first, short enough for a field at 80x24."""

from __future__ import annotations

import pytest

from readiness.catalogue import Question, QuestionType, default_catalogue
from readiness.tui.widgets.answer import number_hint


@pytest.mark.parametrize(
    ("question_id", "hint"),
    [
        ("staff_affected", "0–100,000 people"),
        ("work_blocked_pct", "0–100 %"),
        ("revenue_per_hour", "0–100,000,000 per hour"),  # 1e8 written out, not "1e+08"
        ("backup_monthly_cost", "0–1,000,000 per month"),
    ],
)
def test_the_range_comes_first_and_money_is_per_unit_of_time(question_id: str, hint: str) -> None:
    assert number_hint(default_catalogue().question(question_id)) == hint


def question(**bounds: float) -> Question:
    return Question(id="q", text="How much?", type=QuestionType.NUMBER, **bounds)  # type: ignore[arg-type]


def test_one_bound_or_none() -> None:
    assert number_hint(question(min=0.5)) == "≥ 0.5"
    assert number_hint(question(max=10)) == "≤ 10"
    assert number_hint(question()) == "a number"

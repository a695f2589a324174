"""Progress counts the questions that still matter: those of checks still waiting for answers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from readiness.catalogue import default_catalogue
from readiness.judgement.engine import evaluate
from readiness.judgement.progress import UNANSWERED, check_state, open_questions, progress, wanted_questions
from readiness.model import Answer, AnswerValue, Audit, Verdict, Waiver
from readiness.replay import load_facts
from readiness.store import new_audit
from tests.unit import audit_fixtures as fx

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGUE = default_catalogue()
ASKED = {q for check in CATALOGUE.checks for q in check.questions}


def answered(audit: Audit, **answers: AnswerValue) -> Audit:
    for qid, value in answers.items():
        audit.answers[qid] = Answer(value=value, answered_at=datetime(2026, 11, 26, tzinfo=UTC))
    return evaluate(audit, CATALOGUE)


def single_line_office() -> Audit:
    audit = new_audit("Bakery")
    audit.facts = load_facts(EXAMPLES / "single-office.json")
    return audit


def test_before_anything_is_judged_every_question_a_check_asks_is_open() -> None:
    audit = new_audit("Bakery")
    assert set(open_questions(audit, CATALOGUE)) == ASKED
    p = progress(audit, CATALOGUE)
    assert (p.answered, p.questions, p.judged, p.checks) == (0, len(ASKED), 0, len(CATALOGUE.checks))
    # Optional cost inputs no check asks for (the currency, extra costs) are not owed.
    assert p.questions < len(CATALOGUE.questions)


def test_no_backup_line_closes_the_questions_about_the_backup() -> None:
    before = progress(evaluate(single_line_office(), CATALOGUE), CATALOGUE)
    audit = answered(single_line_office(), backup_line=False)
    still_open = open_questions(audit, CATALOGUE)
    for moot in ("backup_provider", "backup_entry", "backup_bandwidth_mbps", "users_on_backup"):
        assert moot not in still_open, moot
        checks = [c for c in CATALOGUE.checks if moot in c.questions]
        assert all(check_state(audit, c) == Verdict.NOT_APPLICABLE for c in checks), moot
    assert "ups_present" in still_open  # the power checks still wait for it
    after = progress(audit, CATALOGUE)
    assert after.answered == 1
    assert after.questions < before.questions - 5
    assert after.questions == 1 + len(still_open)


def test_a_waived_check_asks_nothing_more() -> None:
    audit = evaluate(new_audit("Bakery"), CATALOGUE)
    check = CATALOGUE.check("OPS-001")
    only_its_own = [q for q in check.questions if sum(q in c.questions for c in CATALOGUE.checks) == 1]
    assert only_its_own, "OPS-001 should have a question no other check asks"
    assert set(only_its_own) <= set(open_questions(audit, CATALOGUE))
    audit.waivers["OPS-001"] = Waiver(reason="the owner accepts it", expires=date(2027, 6, 1))
    assert check_state(audit, check) == Verdict.WAIVED
    assert not set(only_its_own) & set(open_questions(audit, CATALOGUE))


def test_an_answer_counts_even_once_its_checks_are_judged() -> None:
    audit = answered(single_line_office(), backup_line=False, backup_provider="Other Telecom")
    assert "backup_provider" not in open_questions(audit, CATALOGUE)
    p = progress(audit, CATALOGUE)
    assert p.answered == 2 and p.questions == 2 + len(open_questions(audit, CATALOGUE))


def test_an_unknown_check_waits_only_while_it_has_questions_open() -> None:
    audit = evaluate(new_audit("Bakery"), CATALOGUE)
    check = CATALOGUE.check("OPS-001")  # asks one question: who finds out when a line goes down
    assert check.questions == ["monitoring"]
    assert check_state(audit, check) == UNANSWERED
    audit = answered(audit, monitoring=None)  # "don't know": too little for a verdict
    assert check_state(audit, check) == Verdict.UNKNOWN
    assert "monitoring" not in open_questions(audit, CATALOGUE)
    p = progress(audit, CATALOGUE)
    assert (p.answered, p.judged) == (1, 0)


def test_optional_inputs_no_check_asks_do_not_move_the_progress() -> None:
    optional = [q.id for q in CATALOGUE.questions if q.id not in ASKED]
    assert "missed_calls_cost" in optional
    audit = answered(single_line_office(), backup_line=False)
    before = progress(audit, CATALOGUE)
    after = progress(answered(audit, missed_calls_cost=90.0), CATALOGUE)
    assert (after.answered, after.questions) == (before.answered, before.questions)


def test_a_drill_that_moved_traffic_closes_the_question_whether_there_is_a_backup() -> None:
    audit = new_audit("Dental practice")
    audit.facts = load_facts(EXAMPLES / "dual-office.json")  # one gateway: the router holds both lines
    audit = evaluate(audit, CATALOGUE)
    assert "backup_line" in open_questions(audit, CATALOGUE)
    audit.drills.append(fx.drill())  # traffic moved to another provider's line
    audit = evaluate(audit, CATALOGUE)
    assert "backup_line" not in open_questions(audit, CATALOGUE)
    assert "backup_line" not in audit.answers  # nobody had to answer it
    still = [c.id for c in CATALOGUE.checks if check_state(audit, c) == UNANSWERED]
    assert "WAN-004" in still and "backup_type" in wanted_questions(audit, CATALOGUE.check("WAN-004"))

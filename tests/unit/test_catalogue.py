"""The catalogue as data: every guide point covered, the README table in sync, rules complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import readiness.rules
from readiness.catalogue import Catalogue, QuestionType, load_catalogue
from readiness.judgement.cost import COST_QUESTIONS
from readiness.judgement.prefill import SUGGESTERS
from readiness.rules.base import RULES

GUIDE = [f"G{i}" for i in range(1, 25)]
ROW = re.compile(r"^\|\s*(G\d+)\s*\|(.*)\|(.*)\|(.*)\|\s*$")
ID = re.compile(r"`([^`]+)`")


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def _table(repo_root: Path) -> dict[str, tuple[set[str], set[str], set[str]]]:
    rows: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for line in (repo_root / "checks" / "README.md").read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            assert m.group(1) not in rows, f"{m.group(1)} has two rows"
            rows[m.group(1)] = tuple(set(ID.findall(m.group(i))) for i in (2, 3, 4))  # type: ignore[assignment]
    return rows


def test_every_guide_point_has_a_non_empty_row(repo_root: Path) -> None:
    rows = _table(repo_root)
    assert sorted(rows, key=lambda g: int(g[1:])) == GUIDE
    for g, (checks, questions, inputs) in rows.items():
        assert checks | questions | inputs, f"{g} is not covered by anything"


def test_table_ids_exist_and_agree_with_the_data(repo_root: Path, cat: Catalogue) -> None:
    rows = _table(repo_root)
    check_ids = {c.id for c in cat.checks}
    question_ids = {q.id for q in cat.questions}
    for g, (checks, questions, inputs) in rows.items():
        assert checks <= check_ids, f"{g}: dangling check ids {checks - check_ids}"
        assert questions | inputs <= question_ids, (
            f"{g}: dangling question ids {(questions | inputs) - question_ids}"
        )
        assert checks == {c.id for c in cat.checks if g in c.guide_points}, f"{g}: checks disagree"
        assert questions == {q.id for q in cat.questions if g in q.guide_points and not q.cost_input}, (
            f"{g}: questions disagree"
        )
        assert inputs == {q.id for q in cat.questions if g in q.guide_points and q.cost_input}, (
            f"{g}: cost inputs disagree"
        )


def test_every_guide_point_is_explained_in_the_repository(repo_root: Path) -> None:
    """A report prints "G13": checks/GUIDE-POINTS.md says what it means, once per point,
    and the catalogue's README links to it."""
    text = (repo_root / "checks" / "GUIDE-POINTS.md").read_text(encoding="utf-8")
    entries = re.findall(r"^- \*\*(G\d+) — (.+?)\*\*(.*?)(?=^- |^#|\Z)", text, flags=re.MULTILINE | re.DOTALL)
    assert [g for g, _, _ in entries] == GUIDE
    for g, title, body in entries:
        assert title.strip() and len(body.split()) > 15, f"{g} has no explanation"
    assert "(GUIDE-POINTS.md)" in (repo_root / "checks" / "README.md").read_text(encoding="utf-8")


def test_every_check_has_a_rule_and_every_rule_a_check(cat: Catalogue) -> None:
    assert {c.id for c in cat.checks} == set(RULES)


def test_required_caps_and_boosts(cat: Catalogue) -> None:
    caps = {c.id: c.cap for c in cat.checks if c.cap is not None}
    # single line, no automatic failover, no UPS on network gear, never-tested plan, one router,
    # and a backup that is not independent (same provider, same route: issue 15)
    assert set(caps) == {"WAN-001", "FO-001", "PWR-001", "FO-002", "NET-001", "WAN-002", "WAN-003"}
    assert caps["WAN-001"] < caps["FO-001"] <= caps["PWR-001"] < caps["NET-001"]
    # Independence keeps the office below the top level, not below Prepared.
    resilient = max(lv.min_score for lv in cat.levels)
    prepared = sorted(lv.min_score for lv in cat.levels)[-2]
    for cid in ("WAN-002", "WAN-003"):
        assert prepared <= caps[cid] < resilient
        assert cat.check(cid).cap_reason
    tags = {t for c in cat.checks for t in c.boost}
    assert tags == {"low_tolerance", "cloud_telephony", "obligations", "cloud"}


def test_every_check_is_complete(cat: Catalogue) -> None:
    for c in cat.checks:
        for text in (c.title, c.why, c.fix_owner, c.fix_technician, c.judged_by):
            assert text.strip(), c.id
        assert c.guide_points, c.id
        assert c.manual or c.facts, f"{c.id}: judged from nothing observable and not marked manual"


def test_levels_rise_and_caps_stay_below_prepared(cat: Catalogue) -> None:
    mins = [lv.min_score for lv in cat.levels]
    assert mins == sorted(mins) and mins[0] == 0
    assert [lv.name for lv in cat.levels] == ["Exposed", "Improvised", "Prepared", "Resilient"]
    prepared = next(lv.min_score for lv in cat.levels if lv.name == "Prepared")
    improvised = next(lv.min_score for lv in cat.levels if lv.name == "Improvised")
    single_line_cap = cat.check("WAN-001").cap
    assert single_line_cap is not None and single_line_cap < improvised
    for cid in ("FO-001", "PWR-001", "FO-002"):
        cap = cat.check(cid).cap
        assert cap is not None and cap < prepared
    resilient = next(lv.min_score for lv in cat.levels if lv.name == "Resilient")
    router_cap = cat.check("NET-001").cap
    assert router_cap is not None and prepared <= router_cap < resilient


def test_questions_are_well_typed(cat: Catalogue) -> None:
    for q in cat.questions:
        if q.type in (QuestionType.CHOICE, QuestionType.MULTI):
            values = [c.value for c in q.choices]
            assert len(values) == len(set(values)), q.id
        else:
            assert not q.choices, q.id
        if q.type is QuestionType.NUMBER:
            assert q.min is not None and q.max is not None and q.min < q.max, q.id
            assert q.unit, q.id
        assert q.section in {"lines", "equipment", "power", "services", "ops", "business"}, q.id


def test_cost_inputs_are_exactly_the_cost_model_inputs(cat: Catalogue) -> None:
    assert {q.id for q in cat.questions if q.cost_input} == set(COST_QUESTIONS)


def test_prefill_ids_match_the_suggesters(cat: Catalogue) -> None:
    prefills = {q.prefill for q in cat.questions if q.prefill}
    assert prefills == set(SUGGESTERS)
    for q in cat.questions:
        if q.prefill:
            assert q.prefill == q.id and q.facts, q.id


def test_answers_read_by_checks_exist(cat: Catalogue) -> None:
    """Every ``answers.X`` a rule can cite is a question of the catalogue (checked by source scan)."""
    src = Path(readiness.rules.__file__).parent
    question_ids = {q.id for q in cat.questions}
    cited = set()
    for path in src.glob("*.py"):
        cited |= set(re.findall(r'j\.(?:yes|choice|multi|number|text|day)\("([a-z_]+)"\)', path.read_text()))
    assert cited, "the scan found nothing: the pattern is stale"
    assert cited <= question_ids, cited - question_ids


def test_questions_by_id_finds_each_question_as_question_does(cat: Catalogue) -> None:
    by_id = cat.questions_by_id()
    assert list(by_id) == [q.id for q in cat.questions]
    assert all(by_id[q.id] is cat.question(q.id) for q in cat.questions)

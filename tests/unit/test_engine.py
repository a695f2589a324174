"""The engine end to end on the real catalogue: findings, waivers, score, cost."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from readiness.catalogue import Catalogue, load_catalogue
from readiness.judgement.engine import evaluate, findings_by_severity, fix_first
from readiness.model import Answer, Audit, Finding, Severity, Site, Verdict, Waiver

UPDATED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

RESILIENT: dict[str, Any] = {
    "backup_line": True,
    "primary_type": "fibre",
    "backup_type": "mobile",
    "tethering_used": False,
    "backup_same_provider": False,
    "backup_entry": "radio",
    "backup_bandwidth_mbps": 100,
    "users_on_backup": 10,
    "workloads_on_backup": ["mail", "telephony", "cloud_apps"],
    "failover_mode": "automatic",
    "router_spare": "ha_pair",
    "firewall_failover_ready": True,
    "vpn_used": True,
    "vpn_failover_ready": True,
    "dns_on_backup": True,
    "telephony_type": "cloud",
    "telephony_failover_ready": True,
    "cloud_dependencies": ["office_suite", "crm"],
    "affected_processes": ["customer_service", "finance"],
    "ups_present": True,
    "ups_feeds": ["modem", "router", "switch", "backup_modem", "phones"],
    "ups_runtime_minutes": 45,
    "last_failover_test": "2026-09-15",
    "monitoring": "alerts",
    "responder": "Anna (office manager)",
    "procedure_written": True,
    "continuity_plan": True,
    "max_outage_minutes": 15,
    "offline_fallback": "partial",
    "obligations": ["customer_contracts"],
    "growth_plans": ["more_cloud"],
    "staff_affected": 10,
    "hourly_cost_per_person": 45,
    "work_blocked_pct": 80,
    "revenue_per_hour": 200,
    "missed_calls_cost": 100,
    "late_delivery_cost": 0,
    "penalties_cost": 0,
    "outages_per_year": 3,
    "outage_minutes": 120,
    "backup_monthly_cost": 45,
    # issue 15's checks, all in good shape
    "primary_repair_hours": 0.25,
    "backup_signal": "good",
    "backup_data_cap_gb": 0,
    "pos_offline": "no_pos",
    "staff_informed": "planned",
    "router_config_backup": "current",
    "peak_periods": ["none"],
    "last_test_by": "Sam",
    "last_test_scope": "Unplugged the fibre; calls and the CRM kept working",
    "last_test_result": "passed",
    "primary_contract": "C-1",
    "primary_support_phone": "+33 1 00 00 00 01",
    "backup_contract": "C-2",
    "backup_support_phone": "+33 1 00 00 00 02",
    "responder_deputy": "Marc",
}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def _audit(answers: dict[str, Any] | None = None, **fields: Any) -> Audit:
    return Audit(
        id="a1",
        site=Site(name="Test office"),
        started_at=UPDATED,
        updated_at=UPDATED,
        tool_version="0.0.0",
        answers={k: Answer.model_validate({"value": v}) for k, v in (answers or {}).items()},
        **fields,
    )


def test_empty_audit_gives_one_unknown_finding_per_check(cat: Catalogue) -> None:
    out = evaluate(_audit(), cat)
    assert [f.check_id for f in out.findings] == [c.id for c in cat.checks]
    assert all(f.verdict is Verdict.UNKNOWN and f.missing for f in out.findings)
    assert out.score is not None and out.score.level == "Not assessed" and out.score.overall is None
    assert out.cost is not None and out.cost.expected_yearly_loss is None and out.cost.missing


def test_findings_carry_catalogue_data(cat: Catalogue) -> None:
    out = evaluate(_audit(RESILIENT), cat)
    for f, c in zip(out.findings, cat.checks, strict=True):
        assert (f.title, f.category, f.severity, f.guide_points) == (
            c.title,
            c.category,
            c.severity,
            c.guide_points,
        )


def test_a_resilient_office(cat: Catalogue) -> None:
    out = evaluate(_audit(RESILIENT), cat)
    verdicts = {f.check_id: f.verdict for f in out.findings}
    judged = {cid: v for cid, v in verdicts.items() if v is not Verdict.PASS}
    # Only checks that need a measurement stay open on answers alone.
    # WAN-010 reads the router itself: with no router asked it stays open too.
    assert judged == {
        "WAN-007": Verdict.UNKNOWN,
        "WAN-010": Verdict.UNKNOWN,
        "DEP-003": Verdict.NOT_APPLICABLE,
    }, judged
    assert out.score is not None
    assert out.score.overall == 100 and out.score.level == "Resilient" and out.score.caps == []
    assert out.score.coverage_pct < 100
    assert out.cost is not None and out.cost.expected_yearly_loss is not None
    assert out.cost.expected_yearly_loss > out.cost.backup_yearly_cost  # type: ignore[operator]


def test_a_single_line_office_is_capped_to_exposed(cat: Catalogue) -> None:
    answers = {**RESILIENT, "backup_line": False, "backup_type": "none"}
    out = evaluate(_audit(answers), cat)
    assert out.score is not None
    assert out.score.overall is not None and out.score.overall <= 40
    assert out.score.level == "Exposed"
    assert {c.check_id for c in out.score.caps} >= {"WAN-001", "FO-001"}


def test_measured_beats_declared_end_to_end(cat: Catalogue) -> None:
    drill = {"id": "d1", "outcome": "no_failover", "started_at": datetime(2026, 10, 20, tzinfo=UTC)}
    out = evaluate(_audit(RESILIENT, drills=[drill]), cat)
    fo = next(f for f in out.findings if f.check_id == "FO-001")
    assert fo.verdict is Verdict.FAIL and fo.conflict
    assert {e.source for e in fo.evidence} >= {"answer", "drill"}
    assert out.score is not None and out.score.overall == 50 and out.score.level == "Improvised"


@pytest.mark.parametrize(
    ("expires", "verdict"),
    [
        (date(2026, 12, 31), Verdict.WAIVED),
        (date(2026, 11, 1), Verdict.WAIVED),
        (date(2026, 10, 31), Verdict.FAIL),
    ],
)
def test_waivers_apply_until_they_expire_relative_to_the_audit_date(
    cat: Catalogue, expires: date, verdict: Verdict
) -> None:
    answers = {**RESILIENT, "router_spare": "none"}
    waiver = Waiver(reason="spare ordered", expires=expires)
    out = evaluate(_audit(answers, waivers={"NET-001": waiver}), cat)
    f = next(f for f in out.findings if f.check_id == "NET-001")
    assert f.verdict is verdict
    assert any(e.key == "waiver" for e in f.evidence)
    if verdict is Verdict.WAIVED:
        assert f.waiver == waiver and f.max_points == 0
        assert out.score is not None and out.score.overall == 100
    else:
        assert f.waiver is None and f.max_points > 0


def test_points_are_visible_and_add_up(cat: Catalogue) -> None:
    out = evaluate(_audit({**RESILIENT, "procedure_written": False, "monitoring": "provider"}), cat)
    assert out.score is not None
    assert sum(f.points for f in out.findings) == pytest.approx(out.score.points)
    assert sum(f.max_points for f in out.findings) == pytest.approx(out.score.max_points)
    ops3 = next(f for f in out.findings if f.check_id == "OPS-003")
    assert ops3.points == 0 and ops3.max_points == 3 * 1.5  # boosted by obligations


def test_evaluate_is_pure_and_deterministic(cat: Catalogue) -> None:
    audit = _audit(RESILIENT)
    before = audit.model_dump_json()
    a, b = evaluate(audit, cat), evaluate(audit, cat)
    assert audit.model_dump_json() == before and audit.findings == []
    assert a.model_dump_json() == b.model_dump_json()
    again = evaluate(a, cat)
    assert again.findings == a.findings


def test_default_catalogue_is_used_when_none_is_given() -> None:
    out = evaluate(_audit())
    assert len(out.findings) == len(load_catalogue().checks)


def test_a_check_without_a_rule_is_unknown(cat: Catalogue) -> None:
    extra = cat.checks[0].model_copy(update={"id": "ZZZ-999"})
    custom = cat.model_copy(update={"checks": [*cat.checks, extra]})
    out = evaluate(_audit(), custom)
    f = out.findings[-1]
    assert f.check_id == "ZZZ-999" and f.verdict is Verdict.UNKNOWN and f.missing == ["rule"]


def test_findings_by_severity_orders_most_severe_first(cat: Catalogue) -> None:
    out = evaluate(
        _audit({**RESILIENT, "backup_line": False, "monitoring": "users", "continuity_plan": False}), cat
    )
    groups = findings_by_severity(out)
    sevs = [s for s, _ in groups]
    assert sevs == sorted(sevs, key=lambda s: s.rank, reverse=True)
    assert sevs[0] is Severity.CRITICAL
    assert all(f.verdict in (Verdict.FAIL, Verdict.WARN) for _, fs in groups for f in fs)
    everything = findings_by_severity(out, verdicts=list(Verdict))
    assert sum(len(fs) for _, fs in everything) == len(out.findings)


def _value_strategy(q: Any) -> Any:
    from hypothesis import strategies as st

    from readiness.catalogue import QuestionType

    values = [c.value for c in q.choices]
    by_type = {
        QuestionType.YESNO: st.booleans(),
        QuestionType.CHOICE: st.sampled_from(values) if values else st.just("x"),
        QuestionType.MULTI: st.lists(st.sampled_from(values), unique=True) if values else st.just([]),
        QuestionType.NUMBER: st.integers(min_value=int(q.min or 0), max_value=min(int(q.max or 1000), 1000)),
        QuestionType.DATE: st.sampled_from(["2020-01-01", "2026-06-01", "2026-11-01", "never"]),
        QuestionType.TEXT: st.sampled_from(["", "Anna", "ISP Ltd"]),
    }
    return st.one_of(st.none(), by_type[q.type])


def test_invariants_hold_for_any_answers(cat: Catalogue) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    answer_sets = st.fixed_dictionaries({}, optional={q.id: _value_strategy(q) for q in cat.questions})

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answer_sets)
    def prop(answers: dict[str, Any]) -> None:
        out = evaluate(_audit(answers), cat)
        assert len(out.findings) == len(cat.checks)
        for f in out.findings:
            assert f.summary
            assert (f.verdict is Verdict.UNKNOWN) == bool(f.missing), (f.check_id, f.verdict, f.missing)
            assert 0 <= f.points <= f.max_points
        s = out.score
        assert s is not None and 0 <= s.coverage_pct <= 100
        if s.overall is not None:
            assert 0 <= s.overall <= 100
            assert all(s.overall <= c.limit for c in s.caps)
            assert s.uncapped is not None and s.overall <= s.uncapped

    prop()


def test_one_router_keeps_an_otherwise_perfect_office_below_resilient(cat: Catalogue) -> None:
    out = evaluate(_audit({**RESILIENT, "router_spare": "none"}), cat)
    assert out.score is not None
    assert out.score.uncapped is not None and out.score.uncapped > 85
    assert out.score.overall == 80 and out.score.level == "Prepared"
    assert [c.check_id for c in out.score.caps] == ["NET-001"]


@pytest.mark.parametrize(
    ("timezone", "verdict"),
    [
        # 22:30 UTC on 1 November is already 2 November in Sydney: a test declared for
        # 2 November happened there today; in UTC (no time zone known) it is still to come.
        ("Australia/Sydney", Verdict.PASS),
        (None, Verdict.UNKNOWN),
        ("America/New_York", Verdict.UNKNOWN),
    ],
)
def test_the_audits_day_is_the_offices_own(cat: Catalogue, timezone: str | None, verdict: Verdict) -> None:
    late = datetime(2026, 11, 1, 22, 30, tzinfo=UTC)
    audit = _audit({"last_failover_test": "2026-11-02", "backup_line": True}).model_copy(
        update={"updated_at": late, "site": Site(name="Test office", timezone=timezone)}
    )
    fo2 = next(f for f in evaluate(audit, cat).findings if f.check_id == "FO-002")
    assert fo2.verdict is verdict, fo2.summary


def test_a_drills_day_is_the_offices_own(cat: Catalogue) -> None:
    from readiness.model import DrillOutcome, DrillResult

    late = datetime(2026, 11, 1, 22, 30, tzinfo=UTC)  # 2 November in Sydney
    drill = DrillResult(id="d1", outcome=DrillOutcome.FAILOVER_OK, started_at=late, blackout_s=3.0)
    for timezone, day in (("Australia/Sydney", "2026-11-02"), (None, "2026-11-01")):
        audit = _audit(drills=[drill]).model_copy(
            update={"updated_at": late, "site": Site(name="Test office", timezone=timezone)}
        )
        fo2 = next(f for f in evaluate(audit, cat).findings if f.check_id == "FO-002")
        assert fo2.summary == f"Failover was tested on {day} (measured by a drill).", fo2.summary


def _f(cid: str, verdict: Verdict, severity: Severity) -> Finding:
    return Finding(check_id=cid, title=cid, category="lines", severity=severity, verdict=verdict, summary="s")


MIXED = [
    _f("A-001", Verdict.FAIL, Severity.MEDIUM),
    _f("A-002", Verdict.FAIL, Severity.MEDIUM),
    _f("A-003", Verdict.WARN, Severity.HIGH),
    _f("A-004", Verdict.FAIL, Severity.HIGH),
    _f("A-005", Verdict.PASS, Severity.CRITICAL),
    _f("A-006", Verdict.UNKNOWN, Severity.CRITICAL),
    _f("A-007", Verdict.WARN, Severity.MEDIUM),
]


def test_fix_first_lists_problems_by_severity_first() -> None:
    """The one "fix first" order, which the findings screen lists by: problems most severe
    first, a failure before a warning of the same severity, then the rest by verdict."""
    order = [f.check_id for f in fix_first(MIXED)]
    assert order == ["A-004", "A-003", "A-001", "A-002", "A-007", "A-006", "A-005"]


def test_findings_by_severity_groups_in_the_fix_first_order() -> None:
    audit = _audit().model_copy(update={"findings": list(reversed(MIXED))})
    groups = findings_by_severity(audit)
    flat = [f.check_id for _, fs in groups for f in fs]
    assert flat == [f.check_id for f in fix_first(MIXED) if f.verdict in (Verdict.FAIL, Verdict.WARN)]
    assert [s for s, _ in groups] == [Severity.HIGH, Severity.MEDIUM]

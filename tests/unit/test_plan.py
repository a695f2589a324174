"""The costed action plan (issue 15, items 2 and 3): every figure is a what-if run of the
same engine, one root cause is one action, and independence is a real limit."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.catalogue import default_catalogue
from readiness.judgement.cost import SURVIVAL_SAME_PROVIDER, SURVIVAL_SHARED_ROUTE
from readiness.judgement.engine import evaluate
from readiness.judgement.plan import apply_action, catalogue_action
from readiness.model import Audit, PlanAction
from tests.unit.offices import CAFE, PREPARED, SINGLE, office, verdicts

# Two lines from the same provider through the same duct, automatic failover, UPS, tested:
# the second case, rated Resilient (86) before independence was a limit.
SHARED = {
    **PREPARED,
    "backup_same_provider": True,
    "backup_entry": "shared_duct",
    "backup_type": "fibre",
    "primary_type": "cable",
}


def action(audit: Audit, action_id: str) -> PlanAction:
    assert audit.plan is not None
    return next(a for a in audit.plan.actions if a.id == action_id)


def ids(audit: Audit) -> list[str]:
    assert audit.plan is not None
    return [a.id for a in audit.plan.actions]


@pytest.mark.parametrize(
    ("answers", "action_id", "resolves", "level_after"),
    [
        # BIZ-001 only improves (fail -> needs attention): the new line is not tested yet.
        (SINGLE, "backup_line", {"WAN-001", "FO-001", "DEP-001", "FO-003", "BIZ-003"}, "Improvised"),
        (SINGLE, "ups", {"PWR-001"}, "Exposed"),
        (SINGLE, "procedure", {"OPS-003"}, "Exposed"),
        (SHARED, "independent_backup", {"WAN-002", "WAN-003"}, "Resilient"),
        (CAFE, "ups", {"PWR-001"}, "Exposed"),
        ({**PREPARED, "failover_mode": "manual"}, "automatic_failover", {"FO-001"}, "Resilient"),
        ({**PREPARED, "monitoring": "users"}, "alerts", {"OPS-001"}, "Resilient"),
        ({**PREPARED, "last_failover_test": "2023-01-01"}, "test_failover", {"FO-002"}, "Resilient"),
        ({**PREPARED, "router_spare": "none"}, "spare_router", set(), "Resilient"),  # fail -> warn
    ],
)
def test_each_action_is_a_what_if_of_the_same_engine(
    answers: dict[str, Any], action_id: str, resolves: set[str], level_after: str
) -> None:
    audit = office(answers)
    planned = action(audit, action_id)
    # Recompute by hand: apply the action's effect to the inputs and run the engine again.
    by_hand = evaluate(apply_action(audit, catalogue_action(default_catalogue(), action_id)))
    assert by_hand.score is not None and audit.score is not None
    assert planned.score_before == audit.score.overall
    assert planned.score_after == by_hand.score.overall
    assert planned.level_after == by_hand.score.level == level_after
    assert planned.score_after is not None and planned.score_before is not None
    assert planned.score_after > planned.score_before
    assert resolves <= set(planned.resolves)
    for cid in planned.resolves:
        assert verdicts(by_hand)[cid] in ("pass", "not_applicable", "waived")


def test_the_single_line_office_plan_leads_with_the_line_and_closes_the_gap() -> None:
    audit = office(SINGLE)
    assert audit.plan is not None and audit.score is not None
    first = audit.plan.actions[0]
    assert first.id == "backup_line" and first.closes_gap and first.recommended
    assert audit.plan.score_before == audit.score.overall
    assert audit.plan.level_before == "Exposed"
    assert audit.plan.level_after in ("Prepared", "Resilient")  # the need (Prepared) is met
    assert first.cost_basis == "answered" and first.monthly == (35.0, 35.0)
    assert first.yearly_loss_avoided is not None and first.yearly_loss_avoided > 4000
    assert first.payback_months is not None and first.payback_months < 1


def test_one_root_cause_is_one_action() -> None:
    """A single-line office got 7 of its 13 problems from 'no second line'; they now sit
    under the one action that fixes them, and nowhere else."""
    audit = office(SINGLE)
    assert audit.plan is not None
    line = action(audit, "backup_line")
    assert {"WAN-001", "FO-001", "DEP-001", "FO-003", "BIZ-001", "BIZ-003"} <= set(line.findings)
    seen: list[str] = [cid for a in audit.plan.actions for cid in a.findings]
    assert len(seen) == len(set(seen)), "a finding is grouped under two actions"
    problems = {f.check_id for f in audit.findings if f.verdict.value in ("fail", "warn")}
    assert set(seen) | set(audit.plan.unplanned) == problems
    assert not any(a.id == "automatic_failover" for a in audit.plan.actions), (
        "no automatic switching is a consequence of no second line, not a root cause"
    )


def test_the_cafe_is_told_the_backup_does_not_pay_and_what_is_still_worth_doing() -> None:
    audit = office(CAFE)
    assert audit.fit is not None and audit.fit.backup_pays is False
    assert audit.fit.money_sentence is not None
    assert "never pays for itself" in audit.fit.money_sentence
    assert "EUR 4 a year" in audit.fit.money_sentence and "EUR 720 a year" in audit.fit.money_sentence
    line = action(audit, "backup_line")
    assert not line.recommended and line.net_yearly is not None and line.net_yearly < 0
    assert line.payback_months is None
    assert audit.plan is not None
    worth = [a.id for a in audit.plan.actions[: audit.plan.headline_count]]
    assert "ups" in worth and "procedure" in worth and "backup_line" not in worth
    assert ids(audit).index("backup_line") >= audit.plan.headline_count


def test_advised_actions_come_first_and_gap_closers_lead() -> None:
    audit = office({**SINGLE, "max_outage_minutes": 5})  # critical: needs Resilient
    assert audit.plan is not None
    recommended = [a.recommended for a in audit.plan.actions]
    assert recommended == sorted(recommended, reverse=True)
    closers = [a.closes_gap for a in audit.plan.actions if a.recommended]
    assert closers[0] and closers == sorted(closers, reverse=True)


def test_costs_come_from_the_config_when_it_overrides_them() -> None:
    cat = default_catalogue().with_action_costs({"ups": {"one_off": (300.0, 400.0)}})
    audit = office(CAFE)
    again = evaluate(audit, cat)
    assert action(again, "ups").one_off == (300.0, 400.0)
    assert action(audit, "ups").one_off == (80.0, 250.0)


# ---------------------------------------------------------------- independence (item 3)


@pytest.mark.parametrize(
    ("changes", "top"),
    [
        ({}, False),  # same provider and same duct
        ({"backup_entry": "radio", "backup_type": "mobile"}, False),  # same provider only
        ({"backup_same_provider": False}, False),  # same duct only
        ({"backup_same_provider": False, "backup_entry": "separate"}, True),  # independent
    ],
)
def test_a_backup_that_is_not_independent_caps_the_level_below_the_top(
    changes: dict[str, Any], top: bool
) -> None:
    audit = office({**SHARED, **changes})
    assert audit.score is not None and audit.score.overall is not None
    assert (audit.score.level == "Resilient") is top, audit.score
    if not top:
        assert audit.score.overall <= 80
        reasons = " ".join(c.reason for c in audit.score.caps)
        assert "cannot be rated Resilient" in reasons


@pytest.mark.parametrize(
    ("changes", "share"),
    [
        ({}, SURVIVAL_SAME_PROVIDER * SURVIVAL_SHARED_ROUTE),
        ({"backup_entry": "radio"}, SURVIVAL_SAME_PROVIDER),
        ({"backup_same_provider": False}, SURVIVAL_SHARED_ROUTE),
        ({"backup_same_provider": False, "backup_entry": "separate"}, 1.0),
    ],
)
def test_the_cost_model_credits_a_shared_backup_only_with_the_outages_it_survives(
    changes: dict[str, Any], share: float
) -> None:
    audit = office({**SHARED, **changes})
    independent = office({**SHARED, "backup_same_provider": False, "backup_entry": "separate"})
    assert audit.cost is not None and independent.cost is not None
    assert audit.cost.backup_survival_share == pytest.approx(share)
    assert audit.cost.yearly_saving is not None and independent.cost.yearly_saving is not None
    expected = independent.cost.expected_yearly_loss
    assert expected is not None
    # The shared part of the outages costs as much as with one line.
    loss_shared = (1 - share) * expected
    assert audit.cost.residual_yearly_loss == pytest.approx(
        loss_shared + share * (independent.cost.residual_yearly_loss or 0.0)
    )
    if share < 1:
        assert audit.cost.yearly_saving < independent.cost.yearly_saving
        moved = action(audit, "independent_backup")
        assert moved.yearly_loss_avoided == pytest.approx(
            audit.cost.yearly_saving and (independent.cost.yearly_saving - audit.cost.yearly_saving)
        )


def test_a_drill_that_measured_one_provider_beats_the_answer_in_the_cost_model() -> None:
    from tests.unit.audit_fixtures import drill

    d = drill()
    assert d.primary is not None and d.backup is not None
    d = d.model_copy(
        update={"same_provider": True, "backup": d.backup.model_copy(update={"asn": d.primary.asn})}
    )
    audit = office({**PREPARED}, drills=[d])
    assert audit.cost is not None
    assert audit.cost.backup_survival_share == pytest.approx(SURVIVAL_SAME_PROVIDER)
    moved = action(audit, "independent_backup")  # forgets what the drill said about providers
    assert "WAN-002" in moved.resolves


WORST = {
    "backup_line": SINGLE,
    "independent_backup": SHARED,
    "automatic_failover": {**PREPARED, "failover_mode": "manual"},
    "ups": SINGLE,
    "spare_router": {**PREPARED, "router_spare": "none"},
    "backup_ready": {
        **PREPARED,
        "telephony_failover_ready": False,
        "vpn_used": True,
        "vpn_failover_ready": False,
        "firewall_failover_ready": False,
        "dns_on_backup": False,
    },
    "alerts": {**PREPARED, "monitoring": "users"},
    "test_failover": {**PREPARED, "failover_tested_ever": False, "last_failover_test": "never"},
    "procedure": {**PREPARED, "procedure_written": False, "responder": ""},
    "continuity_plan": {**PREPARED, "continuity_plan": False},
}


@pytest.mark.parametrize("action_id", [a.id for a in default_catalogue().actions])
def test_what_each_action_claims_to_resolve_is_what_the_what_if_does(action_id: str) -> None:
    """checks/plan.toml's `resolves` is documentation; the engine has the last word."""
    declared = catalogue_action(default_catalogue(), action_id)
    audit = office(WORST[action_id])
    before = verdicts(audit)
    assert any(before[c] in ("fail", "warn") for c in declared.root_checks), before
    planned = action(audit, action_id)
    after = verdicts(evaluate(apply_action(audit, declared)))
    for cid in declared.resolves:
        if before[cid] in ("fail", "warn"):
            improved = after[cid] in ("pass", "not_applicable", "waived") or (
                before[cid] == "fail" and after[cid] == "warn"
            )
            assert improved, (cid, before[cid], after[cid])
            assert cid in planned.findings or cid in planned.resolves

"""Evidence strength on every finding, and how much of the score is verified (issue 15, item 4)."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.judgement.strength import evidence_strength, strongest, verification_sentence
from readiness.model import Evidence, Strength, Verification
from tests.unit.audit_fixtures import drill
from tests.unit.offices import PREPARED, office

PHONE = {"id": "teams_phone", "name": "Teams Phone", "category": "telephony"}


@pytest.mark.parametrize(
    ("evidence", "strength"),
    [
        (Evidence(source="drill", key="drill.outcome", value="failover_ok"), Strength.MEASURED),
        (Evidence(source="fact", key="gateways", value="192.0.2.1"), Strength.MEASURED),
        (Evidence(source="fact", key="services", value="x", strength=Strength.OBSERVED), Strength.OBSERVED),
        (
            Evidence(source="fact", key="services", value="x", strength=Strength.CONFIGURED),
            Strength.CONFIGURED,
        ),
        (Evidence(source="answer", key="answers.backup_line", value="yes"), Strength.ANSWERED),
        (Evidence(source="computed", key="cost.yearly_saving", value="4 EUR"), Strength.ANSWERED),
        (Evidence(source="computed", key="waiver", value="until 2027-01-01"), None),
    ],
)
def test_evidence_strength(evidence: Evidence, strength: Strength | None) -> None:
    assert evidence_strength(evidence) is strength


def test_a_finding_rests_on_its_strongest_evidence() -> None:
    ev = [
        Evidence(source="answer", key="answers.x", value="yes"),
        Evidence(source="fact", key="services", value="x", strength=Strength.CONFIGURED),
    ]
    assert strongest(ev) is Strength.CONFIGURED
    assert strongest([]) is None


@pytest.mark.parametrize(
    ("services", "strength"),
    [
        ([{**PHONE, "detected_by": ["declared"]}], Strength.ANSWERED),  # the answer wins over the config
        ([{**PHONE, "detected_by": ["process:teams"]}], Strength.OBSERVED),
    ],
)
def test_fo_003_strength_follows_what_decided_it(services: list[dict[str, Any]], strength: Strength) -> None:
    audit = office({**PREPARED, "telephony_type": "cloud"}, facts={"services": services})
    f = next(f for f in audit.findings if f.check_id == "FO-003")
    assert f.strength is strength


def test_every_judged_finding_says_what_it_rests_on() -> None:
    audit = office(PREPARED, drills=[drill()])
    for f in audit.findings:
        if f.verdict.value in ("pass", "fail", "warn"):
            assert f.strength is not None, f.check_id
    by_id = {f.check_id: f for f in audit.findings}
    assert by_id["FO-001"].strength is Strength.MEASURED  # the drill
    assert by_id["OPS-003"].strength is Strength.ANSWERED


def test_the_summary_says_how_much_is_verified_and_what_a_drill_would_verify() -> None:
    answered = office(PREPARED)
    drilled = office(PREPARED, drills=[drill()])
    assert answered.verification is not None and drilled.verification is not None
    v = answered.verification
    assert v.passes == v.answered_passes  # nothing measured: every pass rests on an answer
    assert "FO-001" in v.drill_checks and "WAN-002" in v.drill_checks
    assert "BIZ-003" not in v.drill_checks  # a drill refines the figures, the answers decide
    assert drilled.verification.drill_would_verify < v.drill_would_verify
    assert drilled.verification.by_strength["measured"] > 0
    text = verification_sentence(v)
    assert text.startswith(f"{v.answered_passes} of {v.passes} passes rest on answers")
    assert f"a failover or power drill would verify {v.drill_would_verify} of them" in text


@pytest.mark.parametrize(
    ("v", "text"),
    [
        (Verification(), "No check passed yet"),
        (Verification(passes=3, by_strength={"measured": 3}), "All 3 passes rest on measurements"),
        (
            Verification(
                passes=4, answered_passes=3, by_strength={"measured": 1, "answered": 3}, drill_would_verify=1
            ),
            "3 of 4 passes rest on answers and 1 on measurements; a failover or power drill would verify it.",
        ),
        (
            Verification(passes=2, answered_passes=1, by_strength={"configured": 1, "answered": 1}),
            "1 of 2 passes rest on answers, 1 on the config file, none on measurements.",
        ),
    ],
)
def test_verification_sentences(v: Verification, text: str) -> None:
    assert verification_sentence(v).startswith(text)


def test_the_report_says_what_each_finding_rests_on() -> None:
    from readiness.export.markdown import render_markdown
    from tests.unit.offices import CAFE, recorded

    text = render_markdown(office(CAFE, facts=recorded("single-office")))
    findings = text.split("## Findings", 1)[1].split("\n## ", 1)[0]
    verdict_lines = [
        line for line in findings.splitlines() if line.startswith(("**Problem:**", "**Needs attention:**"))
    ]
    assert verdict_lines and all("(rests on " in line for line in verdict_lines)
    assert "(rests on the answers given)" in findings
    assert "(rests on a measurement (a probe or a drill))" in findings

"""Every contradiction issue 15 lists, each as a test that failed on the code before it.

The offices are the recorded ones under examples/ with realistic answers, judged by the
real engine and rendered by the real report, as an owner would read them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from readiness.catalogue import default_catalogue
from readiness.export.markdown import build_context, render_markdown
from readiness.export.verdict_view import verdict_view
from readiness.model import Audit, Severity, Verdict, Waiver
from tests.unit.offices import CAFE, PREPARED, SINGLE, office, recorded, verdicts

CHECK_ID = re.compile(r"\b[A-Z]{2,4}-\d{3}\b")


def executive_summary(audit: Audit) -> str:
    text = render_markdown(audit)
    return text.split("## Summary for the owner", 1)[1].split("\n## ", 1)[0]


def cafe() -> Audit:
    return office(CAFE, facts=recorded("single-office"))


def finding(audit: Audit, check_id: str) -> Any:
    return next(f for f in audit.findings if f.check_id == check_id)


# ---------------------------------------------------------------- the café


def test_the_cafe_is_adequate_and_told_the_backup_does_not_pay() -> None:
    top = executive_summary(cafe()).strip().splitlines()[:4]
    head = "\n".join(top)
    assert "Adequate for this office's needs" in top[0]
    assert "Continuity depends on luck" not in head
    assert "never pays for itself at these figures" in head
    assert "EUR 4 a year" in head and "EUR 720 a year" in head
    assert "Order a second internet connection" not in head


def test_the_cafe_money_is_worded_for_people() -> None:
    text = executive_summary(cafe())
    assert "2440" not in text and not re.search(r"\d+\.\d+ months", text)
    assert not re.search(r"EUR -\d|\s-\d[\d,]* EUR", text), "no negative net saving"
    assert "none: the backup costs EUR 716 a year more than it saves" in text


def test_waiving_the_single_line_accepts_its_consequences() -> None:
    waiver = Waiver(reason="one line is enough for a café", expires=date(2027, 12, 31))
    audit = office(CAFE, facts=recorded("single-office"), waivers={"WAN-001": waiver})
    v = verdicts(audit)
    assert v["WAN-001"] == v["FO-001"] == v["DEP-001"] == "waived"


# ---------------------------------------------------------------- independence


def test_same_provider_same_duct_is_not_resilient() -> None:
    shared = {
        **PREPARED,
        "backup_same_provider": True,
        "backup_entry": "shared_duct",
        "primary_type": "cable",
        "backup_type": "fibre",
    }
    audit = office(shared, facts=recorded("dual-shared-office"))
    assert audit.score is not None
    v = verdicts(audit)
    assert v["WAN-002"] == v["WAN-003"] == "fail"
    assert audit.score.level != "Resilient"
    assert audit.score.overall is not None and audit.score.overall <= 80


# ---------------------------------------------------------------- one root cause


def test_a_single_line_is_one_cause_in_the_owners_part() -> None:
    audit = office(SINGLE, facts=recorded("single-office"))
    view = verdict_view(audit, default_catalogue())
    line = next(a for a in view.actions if a.title.startswith("Add an independent backup line"))
    assert len(line.findings) >= 5
    # nowhere else in the owner's headline
    elsewhere = [f.summary for a in view.actions if a is not line for f in a.findings] + [
        f.summary for f in view.other_findings
    ]
    assert not any("single" in s.lower() or "only line" in s.lower() for s in elsewhere)
    ctx = build_context(audit, default_catalogue())
    top = [v.finding.check_id for v in ctx["top_risks"]]  # type: ignore[attr-defined]
    assert "FO-001" not in top and "DEP-001" not in top


def test_reasons_fit_an_office_without_a_backup_line() -> None:
    audit = office(SINGLE, facts=recorded("single-office"))
    text = render_markdown(audit)
    fo = text.split("#### FO-001", 1)[1].split("####", 1)[0]
    assert "There is no backup line to switch to." in fo
    assert "When switching needs a person" not in fo
    assert "and the backup line with them" not in text


# ---------------------------------------------------------------- declared is not measured


def test_declared_services_never_override_the_answer() -> None:
    """single-office.json declares Teams Phone in the config; the owner answers mobile phones."""
    audit = office({**CAFE, "telephony_type": "mobile"}, facts=recorded("single-office"))
    for cid in ("FO-003", "PWR-003"):
        f = finding(audit, cid)
        assert f.verdict is Verdict.NOT_APPLICABLE, (cid, f.summary)
        assert f.conflict is None
    text = render_markdown(audit)
    assert "internet telephony was detected. The verdict follows the measurement" not in text


def test_a_telephony_process_seen_still_beats_the_answer() -> None:
    facts = recorded("single-office")
    assert facts.services is not None
    seen = [
        s.model_copy(update={"detected_by": ["process:teams"]}) if s.category == "telephony" else s
        for s in facts.services
    ]
    audit = office({**CAFE, "telephony_type": "mobile"}, facts=facts.model_copy(update={"services": seen}))
    f = finding(audit, "PWR-003")
    assert f.verdict is not Verdict.NOT_APPLICABLE
    fo = finding(audit, "FO-003")
    assert fo.conflict is not None and "seen in use" in fo.conflict


def test_services_are_counted_once() -> None:
    audit = office({**SINGLE, "cloud_dependencies": ["office_suite"]}, facts=recorded("single-office"))
    dep = finding(audit, "DEP-001")
    assert audit.score is not None
    factor = next(k for k in audit.score.weight_factors if k.startswith("cloud:"))
    n_dep = int(dep.summary.split()[0])
    assert f"depends on {n_dep} online service" in factor, (dep.summary, factor)
    assert n_dep == 1  # Exchange and Salesforce are declared in the config, the answer says one


# ---------------------------------------------------------------- answers honoured


def test_tolerance_known_once_both_are_answered() -> None:
    audit = office({**SINGLE, "offline_fallback": "none", "max_outage_minutes": 5})
    f = finding(audit, "BIZ-002")
    assert f.verdict is Verdict.PASS
    text = render_markdown(audit)
    assert "Decide how long the office can be offline" not in text


def test_level_text_fits_an_office_with_automatic_switching_and_no_phones() -> None:
    answers = {**PREPARED, "telephony_type": "none", "ups_present": False, "router_spare": "none"}
    audit = office(answers)
    assert audit.score is not None
    assert audit.score.level == "Improvised"
    for words in ("manual switching", "phones"):
        assert words not in audit.score.level_text


# ---------------------------------------------------------------- order and owner's words


def _severity_ranks(severities: list[Severity]) -> list[int]:
    return [s.rank for s in severities]


@pytest.mark.parametrize(
    "answers", [SINGLE, CAFE, {**PREPARED, "router_spare": "none", "monitoring": "users"}]
)
def test_severity_order_everywhere(answers: dict[str, Any]) -> None:
    audit = office(answers, facts=recorded("single-office"))
    ctx = build_context(audit, default_catalogue())
    ranks = [v.finding.severity.rank for v in ctx["top_risks"]]  # type: ignore[attr-defined]
    assert ranks == sorted(ranks, reverse=True)
    view = verdict_view(audit, default_catalogue())
    others = _severity_ranks([f.severity for f in view.other_findings])
    assert others == sorted(others, reverse=True)
    for a in view.actions:
        inner = _severity_ranks([f.severity for f in a.findings])
        assert inner == sorted(inner, reverse=True)


@pytest.mark.parametrize(
    ("answers", "facts"),
    [(CAFE, "single-office"), (SINGLE, "single-office"), (PREPARED, "dual-office"), ({}, "dead-office")],
)
def test_no_data_keys_factors_or_points_in_the_owners_part(answers: dict[str, Any], facts: str) -> None:
    text = executive_summary(office(answers, facts=recorded(facts)))
    assert not CHECK_ID.search(text), CHECK_ID.search(text)
    for words in ("answers.", "facts.", " x1.", "guide point", "points", "weight", "_"):
        assert words not in text, words

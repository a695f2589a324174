"""The findings screen leads with the verdict and the plan, and lists problems by severity
(issue 15): the same words as the report, from the same view-model."""

from __future__ import annotations

from readiness.catalogue import default_catalogue
from readiness.model import Finding, Severity, Verdict
from readiness.tui.screens.findings import ordered, verdict_text
from tests.unit.offices import CAFE, SINGLE, office, recorded


def _f(cid: str, verdict: Verdict, severity: Severity) -> Finding:
    return Finding(check_id=cid, title=cid, category="lines", severity=severity, verdict=verdict, summary="s")


def test_problems_are_listed_by_severity_first() -> None:
    findings = [
        _f("A-001", Verdict.FAIL, Severity.MEDIUM),
        _f("A-002", Verdict.FAIL, Severity.MEDIUM),
        _f("A-003", Verdict.WARN, Severity.HIGH),
        _f("A-004", Verdict.FAIL, Severity.HIGH),
        _f("A-005", Verdict.PASS, Severity.CRITICAL),
        _f("A-006", Verdict.UNKNOWN, Severity.CRITICAL),
    ]
    assert [f.check_id for f in ordered(findings)] == ["A-004", "A-003", "A-001", "A-002", "A-006", "A-005"]


def test_the_findings_screen_leads_with_the_fit_and_the_plan() -> None:
    cafe = office(CAFE, facts=recorded("single-office"))
    text = verdict_text(cafe, default_catalogue()).plain
    lines = text.splitlines()
    assert lines[0].startswith("Adequate for this office's needs.")
    assert "never pays for itself at these figures" in lines[1]
    assert lines[2].startswith("Still worth doing")
    single = verdict_text(office(SINGLE), default_catalogue()).plain
    assert single.startswith("Not ready for what this office needs.")
    assert "Do these" in single and "-> " in single


def test_the_impact_screen_words_money_for_people() -> None:
    from readiness.tui.screens.impact import figures

    cost = office(CAFE).cost
    assert cost is not None
    table = figures(cost)
    from rich.console import Console

    console = Console(width=80, record=True)
    console.print(table)
    text = console.export_text()
    assert "Backup pays for itself" in text and "never" in text
    assert "net saving" in text and "none" in text
    assert not any(part.startswith("-") for part in text.split())

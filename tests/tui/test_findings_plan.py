"""The findings screen leads with the verdict and the plan, and lists problems by severity
(issue 15): the same words as the report, from the same view-model."""

from __future__ import annotations

from readiness.catalogue import default_catalogue
from readiness.tui.screens.findings import verdict_text
from tests.unit.offices import CAFE, SINGLE, office, recorded


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


def test_the_findings_screen_lists_by_the_engines_order() -> None:
    """The screen keeps no order of its own (issue 18: two "fix first" orders)."""
    import readiness.tui.screens.findings as screen
    from readiness.judgement.engine import fix_first

    assert screen.fix_first is fix_first
    assert not hasattr(screen, "ordered") and not hasattr(screen, "_VERDICT_ORDER")

"""The Markdown report: golden files plus the properties an owner relies on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from readiness.export.markdown import render_markdown, tidy
from readiness.export.redact import redact
from readiness.model import Evidence, Verdict
from tests.unit import audit_fixtures as fx
from tests.unit.golden import assert_golden


def test_full_report_golden() -> None:
    assert_golden("full.md", render_markdown(fx.audit(), fx.catalogue()))


def test_redacted_report_golden() -> None:
    assert_golden("full-redacted.md", render_markdown(redact(fx.audit()), fx.catalogue()))


def test_minimal_report_golden() -> None:
    assert_golden("minimal.md", render_markdown(fx.minimal_audit(), fx.catalogue()))


def test_header_names_the_site_its_address_and_kind_of_business() -> None:
    """What the person typed on the start screen (or in the answers file) is in the report."""
    head = render_markdown(fx.audit(), fx.catalogue()).split("## Summary for the owner")[0]
    assert "Site address: 1 Example Street" in head
    assert "Kind of business: clinic" in head
    minimal = render_markdown(fx.minimal_audit(), fx.catalogue()).split("## Summary for the owner")[0]
    assert "Kind of business" not in minimal


def _headings(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("## ")]


def test_sections_in_order_the_owners_summary_first() -> None:
    md = render_markdown(fx.audit(), fx.catalogue())
    assert [h for h in md.splitlines() if h.startswith("# ")][1:] == ["# Technician's annex"]
    assert md.index("## Summary for the owner") < md.index("# Technician's annex")
    assert _headings(md) == [
        "## Summary for the owner",
        "## Who to call",
        "## Findings",
        "## Score",
        "## What was discovered",
        "## Drills",
        "## Test log",
        "## Answers and notes",
        "## Methodology",
    ]


def test_summary_names_level_score_risks_and_money() -> None:
    md = render_markdown(fx.audit(), fx.catalogue())
    summary = md.split("## Findings")[0]
    assert "Readiness level: Exposed" in summary
    assert "Score: 40 / 100" in summary and "it would be 50 without" in summary
    # the top risk is the critical failure, before the high warning
    assert summary.index("relies on one internet line") < summary.index("UPS runs 21 minutes")
    assert "EUR 10,200" in summary and "EUR 600" in summary


def test_findings_carry_evidence_and_both_remediations() -> None:
    md = render_markdown(fx.audit(), fx.catalogue())
    findings = md.split("## Findings")[1].split("## Score")[0]
    assert "Owner fix for WAN-001." in findings and "Technician fix for WAN-001." in findings
    # An answer as evidence is its question and the words chosen, not its key.
    assert "| Is there a backup line? | answer | no |  |" in findings
    assert "answers.has_backup_line" not in findings
    assert findings.index("### Critical") < findings.index("### High")
    # a pass whose declared answer contradicted the measurement still shows the conflict
    assert "declared and measured disagree" in findings


def test_methodology_lists_every_endpoint_and_probe() -> None:
    audit = fx.audit()
    method = render_markdown(audit, fx.catalogue()).split("## Methodology")[1]
    for e in audit.facts.endpoints:
        assert f"| {e.kind} | {e.target} | {e.purpose} |" in method
    for p in audit.facts.probes.values():
        assert f"| {p.probe} | {p.status.value} |" in method


def test_table_cells_escape_pipes_and_line_breaks() -> None:
    audit = fx.audit()
    finding = audit.findings[0].model_copy(
        update={"evidence": [Evidence(source="fact", key="k", value="a|b\nc")]}
    )
    audit = audit.model_copy(update={"findings": [finding]})
    md = render_markdown(audit, fx.catalogue())
    assert "| k | fact | a\\|b c |  |" in md
    # every row of that table has the header's number of unescaped pipes
    table = [line for line in md.splitlines() if line.startswith("| k |") or line.startswith("| evidence |")]
    assert len({len(re.findall(r"(?<!\\)\|", row)) for row in table}) == 1


def test_unknown_sections_say_why() -> None:
    facts = fx.facts().model_copy(update={"services": None})
    md = render_markdown(fx.audit().model_copy(update={"facts": facts}), fx.catalogue())
    assert "Not known: the services probe ended unknown (process list not readable)." in md


def test_check_missing_from_catalogue_is_said_not_crashed() -> None:
    audit = fx.audit()
    odd = audit.findings[0].model_copy(update={"check_id": "ZZZ-999", "verdict": Verdict.FAIL})
    md = render_markdown(audit.model_copy(update={"findings": [odd]}), fx.catalogue())
    assert "not in the catalogue this report was rendered with" in md


def test_template_variables_are_strict(tmp_path: Path) -> None:
    (tmp_path / "report.md.j2").write_text("{{ no_such_thing }}")
    with pytest.raises(UndefinedError):
        render_markdown(fx.audit(), fx.catalogue(), templates=tmp_path)


def test_tidy_spacing_keeps_code_blocks() -> None:
    text = "# T\npara\n\n\n\n| a |\n| b |\nafter\n```\nx\n\n\ny\n```\n"
    assert tidy(text) == "# T\n\npara\n\n| a |\n| b |\n\nafter\n\n```\nx\n\n\ny\n```\n"


def test_free_text_cannot_break_the_layout() -> None:
    audit = fx.audit()
    notes = [audit.notes[0].model_copy(update={"text": "first line\n## not a heading"})]
    site = audit.site.model_copy(update={"name": "Shop\n# injected"})
    md = render_markdown(audit.model_copy(update={"notes": notes, "site": site}), fx.catalogue())
    assert "- first line ## not a heading" in md
    assert md.startswith("# Internet continuity report: Shop # injected\n")
    assert "\n## not a heading" not in md and "\n# injected" not in md


def test_what_an_unjudged_check_lacks_is_said_in_the_owners_words() -> None:
    """The owner reads the question as the checklist asks it, not 'answers.ups_present'."""
    from readiness.catalogue import default_catalogue
    from readiness.judgement.engine import evaluate
    from readiness.store import new_audit

    catalogue = default_catalogue()
    audit = evaluate(new_audit("Bakery"), catalogue)  # nothing answered, nothing discovered
    md = render_markdown(audit, catalogue)
    unjudged = md.split("### Could not be judged", 1)[1].split("\n## ", 1)[0]
    assert catalogue.question("ups_present").text in unjudged
    assert "answers." not in unjudged and "facts." not in unjudged
    assert "the network interfaces, which discovery did not see" in unjudged


def test_every_thing_a_rule_can_lack_has_words() -> None:
    """Each key a rule passes to ``need`` (besides answers, said as their question) has its
    own words; a new one without would show as 'not seen: ...'."""
    from readiness.catalogue import Question, QuestionType
    from readiness.export.format import lacking_words

    rules = Path(__file__).resolve().parents[2] / "readiness" / "rules"
    keys = {k for path in rules.glob("*.py") for k in re.findall(r'\.need\("([^"]+)"\)', path.read_text())}
    others = sorted(k for k in keys if not k.startswith("answers."))
    assert len(others) >= 8, others  # the scan found the rules' keys
    for key in others:
        assert not lacking_words(key, {}).startswith("not seen:"), key
    ups = Question(id="ups_present", text="Is there a UPS?", type=QuestionType.YESNO)
    assert lacking_words("answers.ups_present", {"ups_present": ups}) == "Is there a UPS?"
    assert lacking_words("answers.gone", {}) == "answers.gone"  # a question no longer in the catalogue


def test_an_answer_in_the_evidence_reads_as_the_choice_made() -> None:
    from datetime import UTC, datetime

    from readiness.catalogue import default_catalogue
    from readiness.judgement.engine import evaluate
    from readiness.model import Answer
    from readiness.store import new_audit

    catalogue = default_catalogue()
    audit = new_audit("Bakery")
    now = datetime(2026, 11, 26, tzinfo=UTC)
    audit.answers["router_spare"] = Answer(value="provider_swap", answered_at=now)
    audit.answers["ups_present"] = Answer(value=True, answered_at=now)
    audit.answers["ups_feeds"] = Answer(value=["modem", "router"], answered_at=now)
    md = render_markdown(evaluate(audit, catalogue), catalogue)
    labels = {
        q.id: {c.value: c.label for c in q.choices} for q in catalogue.questions if q.id in audit.answers
    }
    spare = catalogue.question("router_spare").text
    assert f"| {spare} | answer | {labels['router_spare']['provider_swap']} |" in md
    feeds = catalogue.question("ups_feeds").text
    assert f"| {feeds} | answer | {labels['ups_feeds']['modem']}, {labels['ups_feeds']['router']} |" in md
    assert "provider_swap" not in md.split("## Answers")[0]


def test_every_piece_of_evidence_a_rule_gives_has_a_name_in_words() -> None:
    """Each key a rule passes to ``fact``, ``drill`` or ``computed`` (and the engine's
    waiver) is named in words in the report and the TUI; a new one without would show as
    its key."""
    from readiness.export.format import evidence_words
    from readiness.model import Evidence

    root = Path(__file__).resolve().parents[2] / "readiness"
    sources = [*sorted((root / "rules").glob("*.py")), root / "judgement" / "engine.py"]
    pattern = r'(?:\.(?:fact|drill|computed)\(\s*|key=)"([^"]+)"'
    keys = {k for path in sources for k in re.findall(pattern, path.read_text())}
    keys = {k for k in keys if not k.startswith("answers.")}
    assert {"gateways", "drill.outcome", "power.local_battery", "waiver"} <= keys, keys  # the scan works
    for key in sorted(keys):
        what, _ = evidence_words(Evidence(source="fact", key=key, value="x"), {})
        assert what != key, key


def test_one_of_a_unit_is_said_in_the_singular() -> None:
    from datetime import UTC, datetime

    from readiness.catalogue import default_catalogue
    from readiness.model import Answer
    from readiness.store import new_audit

    catalogue = default_catalogue()
    audit = new_audit("Bakery")
    now = datetime(2026, 11, 26, tzinfo=UTC)
    audit.answers["failover_minutes"] = Answer(value=1.0, answered_at=now)
    audit.answers["staff_affected"] = Answer(value=1, answered_at=now)
    audit.answers["outage_minutes"] = Answer(value=90, answered_at=now)
    answers = render_markdown(audit, catalogue).split("## Answers")[1]
    assert "| 1 minute |" in answers and "| 1 person |" in answers and "| 90 minutes |" in answers


def test_a_category_with_nothing_judged_shows_a_dash_not_zero_of_zero() -> None:
    audit = fx.audit()
    assert audit.score is not None and audit.score.categories
    first = audit.score.categories[0].model_copy(update={"points": 0.0, "max_points": 0.0, "score": None})
    audit.score.categories[0] = first
    md = render_markdown(audit, fx.catalogue())
    row = next(line for line in md.splitlines() if line.startswith(f"| {first.title} |"))
    assert row.split(" | ")[1:3] == ["unknown", "—"], row


def test_cafe_report_golden() -> None:
    """An evaluated office end to end (issue 15): the verdict, the plan and the money as the
    owner of the low-need café reads them."""
    from tests.unit.offices import CAFE, office, recorded

    audit = office(CAFE, facts=recorded("single-office"))
    assert_golden("cafe.md", render_markdown(audit))

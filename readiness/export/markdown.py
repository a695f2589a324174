"""The owner's report in Markdown, rendered from an Audit alone with reports/report.md.j2.

This module prepares plain values (rows, words, figures) so the template stays about
layout; nothing here probes, judges or reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from readiness.catalogue import Catalogue, Check, Question, default_catalogue
from readiness.export import format as fmt
from readiness.export.escape import MdSafe, md_cell, md_finalize
from readiness.export.escape import markdown as md_text
from readiness.export.formats import Part
from readiness.export.records_view import contact_view, log_view
from readiness.export.verdict_view import verdict_view
from readiness.judgement.cost import net_saving
from readiness.model import (
    Audit,
    DrillResult,
    DrillSample,
    Facts,
    Finding,
    Severity,
    Verdict,
)
from readiness.paths import reports_dir
from readiness.probes.registry import specs
from readiness.watch.summary import CAUSES, strip

TEMPLATE = "report.md.j2"
TOP_RISKS = 5
PLAN_STEPS = 5  # the owner's page shows at most this many steps of the plan; the annex all
PROBLEM_VERDICTS = (Verdict.FAIL, Verdict.WARN)
STRIP_WIDTH = 60


@dataclass(frozen=True)
class EvidenceRow:
    """One line of a finding's evidence table; an answer is shown as its question and the
    label chosen (``provider_swap`` is "The provider or supplier sends one")."""

    what: str
    source: str
    value: str
    note: str


@dataclass
class FindingView:
    finding: Finding
    verdict_words: str
    why: str
    fix_owner: str
    fix_technician: str
    judged_by: str
    lost_points: float
    lacking: list[str]  # what kept it unknown, in words (questions as asked)
    evidence: list[EvidenceRow]


@dataclass
class SeverityGroup:
    severity: Severity
    findings: list[FindingView] = field(default_factory=list)


@dataclass
class ProbeStrip:
    probe: str
    samples: int
    ok: int
    longest_loss_s: float | None
    strip: str


@dataclass
class DrillView:
    drill: DrillResult
    outcome_words: str
    strips: list[ProbeStrip]
    strip_seconds: float


def _evidence_rows(f: Finding, questions: dict[str, Question], currency: str) -> list[EvidenceRow]:
    rows = []
    for e in f.evidence:
        what, value = fmt.evidence_words(e, questions, currency)
        rows.append(EvidenceRow(what, e.source, value, e.note or ""))
    return rows


def _why(f: Finding, check: Check | None, checks: dict[str, Check], missing: str) -> str:
    """Why it matters; for a problem that only repeats another ("no backup line to switch
    to"), its own reason would not fit the office ("when switching needs a person"), so it
    names the problem it follows from."""
    root = checks.get(f.follows) if f.follows else None
    if root is not None and f.verdict in PROBLEM_VERDICTS:
        return f'A consequence of another problem, under "{root.title}": fixing that fixes this.'
    return check.why if check else missing


def _finding_view(
    f: Finding, checks: dict[str, Check], questions: dict[str, Question], currency: str = "EUR"
) -> FindingView:
    check = checks.get(f.check_id)
    missing = "(this check is not in the catalogue this report was rendered with)"
    return FindingView(  # the catalogue's own words are the program's: printed as written
        finding=f,
        verdict_words=MdSafe(fmt.VERDICT_WORDS[f.verdict]),
        why=MdSafe(_why(f, check, checks, missing)),
        fix_owner=MdSafe(check.fix_owner if check else missing),
        fix_technician=MdSafe(check.fix_technician if check else missing),
        judged_by=MdSafe(check.judged_by if check else missing),
        lost_points=max(f.max_points - f.points, 0.0),
        lacking=[fmt.lacking_words(key, questions) for key in f.missing],
        evidence=_evidence_rows(f, questions, currency),
    )


def _risk_key(v: FindingView) -> tuple[int, int, float, str]:
    """Most severe first, a failure before a warning of the same severity (issue 15: a
    "high" risk was listed after two "medium" ones)."""
    f = v.finding
    return (-f.severity.rank, 0 if f.verdict is Verdict.FAIL else 1, -v.lost_points, f.check_id)


def _by_id(v: FindingView) -> str:
    return v.finding.check_id


def _by_severity(views: list[FindingView]) -> list[SeverityGroup]:
    groups = [SeverityGroup(s) for s in sorted(Severity, key=lambda s: -s.rank)]
    for v in sorted(views, key=_risk_key):
        next(g for g in groups if g.severity is v.finding.severity).findings.append(v)
    return [g for g in groups if g.findings]


def _unknown_reason(facts: Facts, probe: str) -> str:
    report = facts.probes.get(probe)
    if report is None:
        return "Not known: no probe reported on this."
    reason = f" ({md_text(report.reason)})" if report.reason else ""
    return MdSafe(f"Not known: the {md_text(report.probe)} probe ended {report.status.value}{reason}.")


def _strips(drill: DrillResult) -> tuple[list[ProbeStrip], float]:
    """One line per probe: '#' all answered, '.' all lost, '~' mixed, over equal time slices."""
    samples = sorted(drill.timeline, key=lambda s: s.t)
    if not samples:
        return [], 0.0
    t0, t1 = samples[0].t, samples[-1].t
    span = max(t1 - t0, 1e-9)
    slices = min(STRIP_WIDTH, max(1, len({s.t for s in samples})))
    width = span / slices
    by_probe: dict[str, list[DrillSample]] = {}
    for s in samples:
        by_probe.setdefault(s.probe, []).append(s)
    out = []
    for probe in sorted(by_probe):
        cells: list[list[bool]] = [[] for _ in range(slices)]
        for s in by_probe[probe]:
            cells[min(int((s.t - t0) / width), slices - 1)].append(s.ok)
        strip = "".join(" " if not c else "#" if all(c) else "." if not any(c) else "~" for c in cells)
        out.append(
            ProbeStrip(
                probe=probe,
                samples=len(by_probe[probe]),
                ok=sum(1 for s in by_probe[probe] if s.ok),
                longest_loss_s=_longest_loss(by_probe[probe]),
                strip=MdSafe(strip),  # '#', '.', '~' and ' ', drawn here
            )
        )
    return out, width


def _longest_loss(samples: list[DrillSample]) -> float | None:
    """Longest stretch from the first lost sample to the next answered one (or the end)."""
    longest: float | None = None
    start: float | None = None
    for s in samples:
        if not s.ok and start is None:
            start = s.t
        elif s.ok and start is not None:
            longest = max(longest or 0.0, s.t - start)
            start = None
    if start is not None:
        longest = max(longest or 0.0, samples[-1].t - start)
    return longest


OUTCOME_WORDS = {
    "failover_ok": "traffic moved to the backup line within the tolerance",
    "failover_slow": "traffic moved to the backup line, but the blackout was longer than the tolerance",
    "no_failover": "the office stayed offline until the primary line came back",
    "no_outage": "nothing was lost: the cut did not affect this path",
    "power_held": "connectivity held on battery power",
    "power_lost": "connectivity was lost on battery power",
    "aborted": "the drill was stopped before it finished",
    "inconclusive": "the drill could not reach a conclusion",
}


def _answer_rows(audit: Audit, catalogue: Catalogue) -> list[dict[str, object]]:
    """Answers in interview order, in words, with units (``currency`` becomes the code)."""
    order = {q.id: i for i, q in enumerate(catalogue.questions)}
    questions = catalogue.questions_by_id()
    currency = audit.cost.currency if audit.cost else "EUR"
    rows: list[dict[str, object]] = []
    for qid in sorted(audit.answers, key=lambda k: (order.get(k, len(order)), k)):
        ans = audit.answers[qid]
        q = questions.get(qid)
        labels = {c.value: c.label for c in q.choices} if q else {}
        value = fmt.answer_text(ans.value, labels)
        if q and q.unit and isinstance(ans.value, int | float) and not isinstance(ans.value, bool):
            value = fmt.with_units(value, q.unit, currency)
        rows.append({"id": qid, "question": q.text if q else qid, "value": value, "answer": ans})
    return rows


def header_line(audit: Audit) -> str:
    """The one line at the top: which audit, which site, which day (the office's date)."""
    by = f" · by {fmt.oneline(audit.technician)}" if audit.technician else ""
    when = fmt.office_when(audit.started_at, audit.site.timezone)
    return f"Audit {audit.id} · {fmt.oneline(audit.site.name)} · {when}{by}"


def footer_line(audit: Audit) -> str:
    return (
        f"Made with readiness {audit.tool_version} (audit {audit.id}, schema version {audit.schema_version})."
    )


def coverage_words(audit: Audit) -> str:
    """How much of the checklist the score rests on, in words."""
    if audit.score is None:
        return ""
    pct = audit.score.coverage_pct
    if pct >= 99.5:
        return "Everything on the checklist could be judged."
    share = fmt.number(pct, digits=0)
    return f"The score rests on {share}% of the checklist; the rest could not be judged yet."


def build_context(audit: Audit, catalogue: Catalogue, part: Part = Part.ALL) -> dict[str, object]:
    """Everything the template shows, as plain values."""
    checks = {c.id: c for c in catalogue.checks}
    questions = catalogue.questions_by_id()
    currency = audit.cost.currency if audit.cost else "EUR"
    views = [_finding_view(f, checks, questions, currency) for f in audit.findings]
    cost_missing = audit.cost.missing if audit.cost else []  # question ids
    problems = [v for v in views if v.finding.verdict in PROBLEM_VERDICTS]
    answers = _answer_rows(audit, catalogue)
    services = {s.id: s for s in catalogue.services}
    facts = audit.facts
    drills = []
    for d in audit.drills:
        strips, width = _strips(d)
        words = OUTCOME_WORDS.get(d.outcome.value)
        drills.append(DrillView(d, MdSafe(words) if words else md_text(d.outcome.value), strips, width))
    return {
        "part": part.value,
        "plan_steps": PLAN_STEPS,
        "office_zone": audit.site.timezone,
        "header_line": header_line(audit),
        "footer_line": footer_line(audit),
        "coverage_words": coverage_words(audit),
        "audit": audit,
        "facts": facts,
        "score": audit.score,
        "cost": audit.cost,
        "cost_lacking": [questions[q].text if q in questions else q for q in cost_missing],
        "net_saving": net_saving(audit.cost) if audit.cost else None,
        # One per root cause: a finding that only repeats another's failure is left out.
        "top_risks": sorted((v for v in problems if v.finding.follows is None), key=_risk_key)[:TOP_RISKS],
        "verdict": verdict_view(audit, catalogue),
        "strength_words": fmt.STRENGTH_WORDS,
        "problem_groups": _by_severity(problems),
        "unknown": sorted((v for v in views if v.finding.verdict is Verdict.UNKNOWN), key=_risk_key),
        "passed": [v for v in sorted(views, key=_by_id) if v.finding.verdict is Verdict.PASS],
        "waived": [v for v in views if v.finding.verdict is Verdict.WAIVED],
        "not_applicable": [v for v in views if v.finding.verdict is Verdict.NOT_APPLICABLE],
        "counts": {v.value: sum(1 for f in audit.findings if f.verdict is v) for v in Verdict},
        "answers": answers,
        "check_titles": {c.id: c.title for c in catalogue.checks},
        "service_stops": {sid: s.stops for sid, s in services.items()},
        "unknown_reason": {s.field: _unknown_reason(facts, s.name) for s in specs()},
        "probe_sections": [f"probes/{s.name}.md.j2" for s in specs() if s.report],
        "drills": drills,
        "history": _history_view(audit),
        "probes": sorted(facts.probes.values(), key=lambda p: p.probe),
        "test_log": log_view(audit),
        "contact_card": contact_view(audit),
    }


def _history_view(audit: Audit) -> dict[str, object] | None:
    """The watcher's record for the technician's annex (None without --history)."""
    h = audit.history
    if h is None:
        return None

    return {
        "h": h,
        "strip": strip(h),
        "causes": CAUSES,
        "real_failovers": [f for f in h.failovers if f.kind == "failover"],
    }


@cache
def _environment(folder: Path) -> Environment:
    env = Environment(
        # A section file in the folder wins over the spec's own (a customised report).
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(folder)),
                DictLoader({f"probes/{s.name}.md.j2": s.report for s in specs() if s.report}),
            ]
        ),
        autoescape=False,  # Markdown, not HTML: every {{ value }} is escaped by `finalize`
        finalize=md_finalize,  # (readiness/export/escape.py) unless a filter escaped it
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(shared_filters(), cell=md_cell, oneline=md_text)
    return env


def shared_filters() -> dict[str, Callable[..., object]]:
    """The filters every report format shares; each format adds its own escaping ones."""
    return {
        "money": fmt.money,
        "number": fmt.number,
        "yes_no": fmt.yes_no,
        "when": fmt.when,
        "oneline": fmt.oneline,
        "office_when": _office_when,
        "office_date": _office_date,
        "day": fmt.day,
        "first_lower": fmt.first_lower,
        "net_saving_words": fmt.net_saving_words,
        "round_up": fmt.round_up,
    }


@pass_context
def _office_when(context: Context, value: datetime | None) -> str:
    return fmt.office_when(value, context.get("office_zone"))


@pass_context
def _office_date(context: Context, value: datetime | None) -> str:
    return fmt.office_date(value, context.get("office_zone"))


def render_markdown(
    audit: Audit, catalogue: Catalogue | None = None, templates: Path | None = None, part: Part = Part.ALL
) -> str:
    """The Markdown report of ``audit``: the owner's part, the technician's annex, or both
    (``part``); the catalogue supplies why-it-matters and fixes."""
    if catalogue is None:
        catalogue = default_catalogue()
    template = _environment(templates or reports_dir()).get_template(TEMPLATE)
    text = template.render(**build_context(audit, catalogue, part))
    return tidy(text)


def tidy(text: str) -> str:
    """Collapse blank-line runs and put a blank line before headings and tables.

    Conditional blocks in the template leave uneven spacing; fixing it here keeps the
    template readable. Fenced code blocks are left exactly as rendered.
    """
    lines: list[str] = []
    fenced = False
    for raw in text.splitlines():
        line = raw.rstrip()
        previous = lines[-1] if lines else ""
        if line.startswith("```"):
            if not fenced and previous:
                lines.append("")
            fenced = not fenced
        elif fenced:
            pass
        elif not line:
            if not previous:
                continue
        else:
            table_start = line.startswith("|") and not previous.startswith("|")
            after_heading = previous.startswith("#")
            after_table = previous.startswith("|") and not line.startswith("|")
            if previous and (line.startswith("#") or table_start or after_heading or after_table):
                lines.append("")
        lines.append(line)
    return "\n".join(lines).strip() + "\n"

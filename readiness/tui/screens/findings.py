"""Findings: the score and level, what holds it down, and what to fix first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import ContentSwitcher, DataTable, Static

from readiness.catalogue import Catalogue
from readiness.export.format import STRENGTH_WORDS, evidence_words, lacking_words
from readiness.export.verdict_view import verdict_view
from readiness.judgement.engine import fix_first
from readiness.model import Audit, Finding, Score, Verdict
from readiness.tui.keymap import live_key
from readiness.tui.screens import BY_NAME
from readiness.tui.screens.base import AuditScreen
from readiness.tui.states import STATE_STYLE
from readiness.tui.widgets.fitted_table import FittedTable
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.nav import NavBar
from readiness.tui.widgets.status import StatusLine


def verdict_text(audit: Audit, catalogue: Catalogue) -> Text:
    """The owner's headline, as in the report: the fit, and the plan's first sentence."""
    if audit.fit is None:
        return Text()
    view = verdict_view(audit, catalogue)
    t = Text()
    t.append(f"{view.headline}. ", style="bold")
    t.append(f"{view.why}\n")
    if view.money:
        t.append(f"{view.money}\n")
    t.append(view.plan_sentence + "\n", style="bold")
    return t


def points_text(finding: Finding) -> str:
    """A check's points as earned/possible; a dash for one that counts for nothing (not
    judged yet, not applicable, waived), where "0/0" read as a failure."""
    return f"{finding.points:g}/{finding.max_points:g}" if finding.max_points else "—"


def score_text(score: Score | None, checklist_key: str = "F3") -> Text:
    if score is None:
        return Text("Not scored yet: answer the checklist or run discovery.", style="italic")
    t = Text()
    if score.overall is None:
        t.append("Not assessed", style="bold")
    else:
        t.append(f"{score.overall:.0f}/100 ", style="bold reverse")
        t.append(f" {score.level}", style="bold")
    t.append(f"  {score.level_text}\n")
    t.append(
        f"{score.points:g} of {score.max_points:g} points, {score.coverage_pct:.0f}% of the checklist judged",
        style="dim",
    )
    if score.uncapped is not None and score.overall is not None and score.uncapped > score.overall:
        t.append(f"; {score.uncapped:.0f} before the caps", style="dim")
    pending = [cap for cap in score.caps if cap.pending]
    for cap in score.caps:
        if not cap.pending or len(pending) == 1:
            t.append(f"\n▼ {cap.reason}", style="yellow")  # the reason names the check and the limit
    if len(pending) > 1:
        # One line for them all: each reason says the same but for its check, its limit and
        # what it needs (shown with the check itself), and at 80x24 five of them took ten
        # of the screen's lines from the list below.
        limits = ", ".join(f"{cap.check_id} at {cap.limit:g}" for cap in pending)
        t.append(
            f"\n▼ Not judged yet, each of these holds the score down until it is: {limits}."
            f" Their questions are in the checklist ({checklist_key}).",
            style="yellow",
        )
    return t


VIEWS = {"fix-view": "To fix first", "category-table": "By category"}


class ViewSwitch(Static):
    """The two views of the findings, the one shown marked; a click on the other shows it.

    In place of a TabbedContent, whose tabs, panes and animated underline were about
    half the cost of building this screen (40-60 ms of ~90 on a small machine).
    """

    def show(self, current: str) -> None:
        parts = [
            Content.from_markup(f"[@click=screen.show_view('{view}')] {label} [/]").stylize(
                "bold reverse" if view == current else "$text-muted"
            )
            for view, label in VIEWS.items()
        ]
        self.update(Content("  ").join(parts))


class FindingsScreen(AuditScreen):
    CSS_PATH = "findings.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "show_view('fix-view')", "To fix first", id="findings.fix"),
        Binding("c", "show_view('category-table')", "By category", id="findings.categories"),
    ]
    # What the tables were last filled from: refilling them (clear, 60 rows) costs more
    # than comparing, and most redraws (each probe's progress, each return to the
    # screen) change nothing here.
    _drawn: tuple[list[Finding], Score | None] | None = None
    # The category table is filled when it is shown: 60 rows cost ~20 ms, as much as
    # the rest of the screen's first show, and most visits never look at it.
    _categories_stale = True
    _view = "fix-view"  # the view shown

    def compose(self) -> ComposeResult:
        yield NavBar(self.id or "")
        yield StatusLine()
        yield Static(id="score")
        yield ViewSwitch(id="views")
        with ContentSwitcher(id="findings-views", initial=self._view):
            with Horizontal(id="fix-view"):
                yield FittedTable("", "Check", "Severity", title=1, id="finding-list")
                with VerticalScroll(id="finding-detail"):
                    yield Static(id="finding-text")
            yield FittedTable(
                "Category / check",
                "Score",
                "Points",
                "State",
                title=0,
                id="category-table",
                zebra_stripes=True,
            )
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_view":  # the key of the view not shown
            return parameters[0] != self._view
        return True

    def action_show_view(self, view: str) -> None:
        if view not in VIEWS:
            return
        self._view = view
        self.query_one(ContentSwitcher).current = view
        self.query_one(ViewSwitch).show(view)
        self._categories()
        self.query_one("#finding-list" if view == "fix-view" else "#category-table", DataTable).focus()
        self.refresh_bindings()

    def on_mount(self) -> None:
        self.query_one(ViewSwitch).show(self._view)
        self.ready()

    def redraw(self) -> None:
        super().redraw()
        audit = self.session.audit
        drawn = (audit.findings, audit.score)
        if drawn == self._drawn:
            return  # a probe moved on, or the screen came back: the tables are current
        self._drawn = (list(audit.findings), audit.score)
        self._categories_stale = True
        checklist = BY_NAME["checklist"]
        key = live_key(self.app, checklist.binding_id, checklist.key)
        self.query_one("#score", Static).update(
            verdict_text(audit, self.session.catalogue) + score_text(audit.score, key)
        )
        fl = self.query_one("#finding-list", FittedTable)
        findings = fix_first(audit.findings)
        rows: list[tuple[tuple[Text, ...], str | None]] = []
        for f in findings:
            mark, _, style = STATE_STYLE[f.verdict]
            cells = (Text(mark, style=style), Text(f"{f.check_id} {f.title}"), Text(f.severity.value))
            rows.append((cells, f.check_id))
        fl.set_rows(rows)
        if findings:  # (the list may not be filled yet: it is once laid out)
            self._detail(findings[min(fl.cursor_row, len(findings) - 1)].check_id)
        else:
            self.query_one("#finding-text", Static).update(Text("No findings yet.", style="italic"))
        self._categories()

    def _categories(self) -> None:
        """Fill the category table if it is shown and the findings changed since it was."""
        if not self._categories_stale or self._view != "category-table":
            return
        self._categories_stale = False
        audit = self.session.audit
        ct = self.query_one("#category-table", FittedTable)
        if audit.score is None:
            ct.set_rows([])
            return
        by_cat: dict[str, list[Finding]] = {}
        for f in audit.findings:
            by_cat.setdefault(f.category, []).append(f)
        rows: list[tuple[tuple[Text, ...], str | None]] = []
        for cs in audit.score.categories:
            score = "—" if cs.score is None else f"{cs.score:.0f}"
            heading = (
                Text(cs.title, style="bold"),
                Text(score, style="bold"),
                Text(f"{cs.points:g}/{cs.max_points:g}" if cs.max_points else "—"),
                Text(f"{cs.judged} judged, {cs.unknown} unknown"),
            )
            rows.append((heading, None))
            for f in sorted(by_cat.get(cs.category, []), key=lambda f: f.check_id):
                mark, words, style = STATE_STYLE[f.verdict]
                cells = (
                    Text(f"  {f.check_id} {f.title}"),
                    Text(""),
                    Text(points_text(f)),
                    Text(f"{mark} {words}", style=style),
                )
                rows.append((cells, None))
        ct.set_rows(rows)

    @on(DataTable.RowHighlighted, "#finding-list")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._detail(event.row_key.value)

    def _detail(self, check_id: str) -> None:
        f = self.session.finding(check_id)
        if f is None:
            return
        try:
            check = self.session.catalogue.check(check_id)
        except KeyError:
            check = None
        mark, words, style = STATE_STYLE[f.verdict]
        t = Text()
        t.append(f"{f.check_id} {f.title}\n", style="bold")
        t.append(f"{mark} {words}", style=style)
        t.append(f"  severity {f.severity.value}")
        if f.max_points:  # an unknown, not applicable or waived check counts for nothing
            t.append(f"  {points_text(f)} points")
        t.append("\n\n")
        t.append(f.summary + "\n")
        if f.strength is not None:
            t.append(f"Rests on {STRENGTH_WORDS[f.strength.value]}.\n", style="dim")
        questions = self.session.catalogue.questions_by_id()
        if f.evidence:
            t.append("\nEvidence\n", style="bold")
            for e in f.evidence:
                what, value = evidence_words(e, questions)
                sep = " " if what.endswith("?") else ": "  # a question and its answer
                t.append(f"  • {what}{sep}{value}" + (f" ({e.note})" if e.note else "") + "\n")
        for m in f.missing:
            t.append(f"  ? {lacking_words(m, questions)}\n", style="magenta")
        if f.conflict:
            t.append(f"\n⚠ {f.conflict}\n", style="yellow")
        if f.waiver:
            t.append(f"\nWaived until {f.waiver.expires.isoformat()}: {f.waiver.reason}\n", style="cyan")
        if check is not None and f.verdict in (Verdict.FAIL, Verdict.WARN, Verdict.UNKNOWN):
            t.append("\nWhat to do\n", style="bold")
            t.append(f"  {check.fix_owner}\n")
            t.append("\nFor the technician\n", style="bold")
            t.append(f"  {check.fix_technician}\n")
        t.rstrip()
        self.query_one("#finding-text", Static).update(t)

"""Findings: the score and level, what holds it down, and what to fix first."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from readiness.model import Finding, Score, Verdict
from readiness.tui.screens.base import AuditScreen
from readiness.tui.screens.checklist import STATE_STYLE
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.nav import NavBar
from readiness.tui.widgets.status import StatusLine

_VERDICT_ORDER = {
    Verdict.FAIL: 0,
    Verdict.WARN: 1,
    Verdict.UNKNOWN: 2,
    Verdict.WAIVED: 3,
    Verdict.PASS: 4,
    Verdict.NOT_APPLICABLE: 5,
}


def ordered(findings: list[Finding]) -> list[Finding]:
    """What to fix first: failures before warnings, the most severe first."""
    return sorted(findings, key=lambda f: (_VERDICT_ORDER[f.verdict], -f.severity.rank, f.check_id))


def score_text(score: Score | None) -> Text:
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
    for cap in score.caps:
        t.append(f"\n▼ {cap.reason}", style="yellow")  # the reason names the check and the limit
    return t


class FindingsScreen(AuditScreen):
    CSS_PATH = "findings.tcss"
    # What the tables were last filled from: refilling them (clear, 60 rows) costs more
    # than comparing, and most redraws (each probe's progress, each return to the
    # screen) change nothing here.
    _drawn: tuple[list[Finding], Score | None] | None = None

    def compose(self) -> ComposeResult:
        yield NavBar(self.id or "")
        yield StatusLine()
        yield Static(id="score")
        with TabbedContent(id="findings-tabs"):
            with TabPane("To fix first", id="tab-fix"), Horizontal():
                table: DataTable[Text] = DataTable(id="finding-list", cursor_type="row")
                yield table
                with VerticalScroll(id="finding-detail"):
                    yield Static(id="finding-text")
            with TabPane("By category", id="tab-categories"):
                yield DataTable(id="category-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        fl: DataTable[Text] = self.query_one("#finding-list", DataTable)
        fl.add_columns("", "Check", "Severity")
        ct: DataTable[Text] = self.query_one("#category-table", DataTable)
        ct.add_columns("Category / check", "Score", "Points", "State")
        self.ready()

    def redraw(self) -> None:
        super().redraw()
        audit = self.session.audit
        drawn = (audit.findings, audit.score)
        if drawn == self._drawn:
            return  # a probe moved on, or the screen came back: the tables are current
        self._drawn = (list(audit.findings), audit.score)
        self.query_one("#score", Static).update(score_text(audit.score))
        fl: DataTable[Text] = self.query_one("#finding-list", DataTable)
        row = fl.cursor_row
        fl.clear()
        for f in ordered(audit.findings):
            mark, _, style = STATE_STYLE[f.verdict]
            fl.add_row(
                Text(mark, style=style),
                Text(f"{f.check_id} {f.title}"),
                Text(f.severity.value),
                key=f.check_id,
            )
        if fl.row_count:
            fl.move_cursor(row=min(row, fl.row_count - 1))
            self._detail(ordered(audit.findings)[fl.cursor_row].check_id)
        else:
            self.query_one("#finding-text", Static).update(Text("No findings yet.", style="italic"))
        self._categories()

    def _categories(self) -> None:
        audit = self.session.audit
        ct: DataTable[Text] = self.query_one("#category-table", DataTable)
        ct.clear()
        if audit.score is None:
            return
        by_cat: dict[str, list[Finding]] = {}
        for f in audit.findings:
            by_cat.setdefault(f.category, []).append(f)
        for cs in audit.score.categories:
            score = "—" if cs.score is None else f"{cs.score:.0f}"
            ct.add_row(
                Text(cs.title, style="bold"),
                Text(score, style="bold"),
                Text(f"{cs.points:g}/{cs.max_points:g}"),
                Text(f"{cs.judged} judged, {cs.unknown} unknown"),
            )
            for f in sorted(by_cat.get(cs.category, []), key=lambda f: f.check_id):
                mark, words, style = STATE_STYLE[f.verdict]
                ct.add_row(
                    Text(f"  {f.check_id} {f.title}"),
                    Text(""),
                    Text(f"{f.points:g}/{f.max_points:g}"),
                    Text(f"{mark} {words}", style=style),
                )

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
        t.append(f"  severity {f.severity.value}  {f.points:g}/{f.max_points:g} points\n\n")
        t.append(f.summary + "\n")
        if f.evidence:
            t.append("\nEvidence\n", style="bold")
            for e in f.evidence:
                t.append(f"  • {e.key}: {e.value}" + (f" ({e.note})" if e.note else "") + "\n")
        for m in f.missing:
            t.append(f"  ? {m}\n", style="magenta")
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

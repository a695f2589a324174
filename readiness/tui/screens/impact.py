"""Business impact: the cost inputs, and what an hour offline costs, updated as they change."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from readiness.export.format import round_up
from readiness.judgement.cost import net_saving
from readiness.model import CostEstimate
from readiness.tui.screens.base import AuditScreen
from readiness.tui.widgets.answer import AnswerField
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.nav import NavBar
from readiness.tui.widgets.status import StatusLine


def money(value: float | None, currency: str) -> str:
    return "—" if value is None else f"{value:,.0f} {currency}"


def _net(value: float | None, currency: str) -> str:
    """Never a negative saving: a backup that costs more than it saves saves nothing (issue
    15). Short, so the labels of this narrow table keep their width."""
    if value is not None and value < 0:
        return "none"
    return money(value, currency)


def _payback(cost: CostEstimate) -> str:
    """In words, as in the report: months of avoided losses that pay a year of backup."""
    if cost.backup_yearly_cost is None or cost.yearly_saving is None:
        return "—"
    if cost.payback_months is None or cost.payback_months > 12:
        return "never"
    return f"in {round_up(cost.payback_months)} month{'s' if cost.payback_months > 1 else ''}"


def figures(cost: CostEstimate | None) -> Group | Table | Text:
    """The cost model's results as a small two-column table."""
    if cost is None:
        return Text("The cost model is not available in this build.", style="italic")
    c = cost.currency
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    rows = [
        ("An hour offline costs", money(cost.hourly_cost, c)),
        ("  staff idle", money(cost.staff_cost_per_hour, c)),
        ("  revenue at risk", money(cost.revenue_at_risk_per_hour, c)),
        ("One outage costs", money(cost.per_incident_cost, c)),
        ("Yearly loss expected", money(cost.expected_yearly_loss, c)),
        ("  with a backup line", money(cost.residual_yearly_loss, c)),
        ("Loss the backup avoids", money(cost.yearly_saving, c)),
        ("Backup costs per year", money(cost.backup_yearly_cost, c)),
        ("  net saving", _net(net_saving(cost), c)),
        ("Backup pays for itself", _payback(cost)),
        (
            "Break-even outage time",
            "—"
            if cost.break_even_minutes_per_year is None
            else f"{cost.break_even_minutes_per_year:.0f} min/year",
        ),
    ]
    for label, value in rows:
        table.add_row(label, value)
    if cost.missing:
        n = len(cost.missing)
        note = Text(f"\n{n} answer{'s' if n > 1 else ''} still needed (marked on the left).", style="yellow")
        return Group(table, note)
    return table


class ImpactScreen(AuditScreen):
    CSS_PATH: ClassVar = ["../widgets/answer.tcss", "impact.tcss"]

    _drawn: tuple[CostEstimate | None] | None = None  # the estimate the figures show

    def compose(self) -> ComposeResult:
        yield NavBar(self.id or "")
        yield StatusLine()
        with Horizontal(id="impact-body"):
            inputs = VerticalScroll(id="cost-inputs")
            inputs.border_title = "What the business tells us"
            yield inputs
            result = Static(id="figures")
            result.border_title = "What an outage costs"
            yield result
        yield KeyFooter()

    async def on_mount(self) -> None:
        session = self.session
        suggestions = session.suggestions()
        fields = [
            AnswerField(q, session.answer(q.id), suggestions.get(q.id)) for q in session.cost_questions()
        ]
        inputs = self.query_one("#cost-inputs", VerticalScroll)
        # Mounted before the screen counts as built: its first show lays the fields out
        # with the rest, not in a frame after.
        if fields:
            await inputs.mount_all(fields)
        else:
            await inputs.mount(Static("The checklist has no cost questions.", classes="help"))
        self.ready()

    def redraw(self) -> None:
        super().redraw()
        self.show_suggestions()  # a drill recorded since: its measured blackout
        # A Static's update lays the whole screen out again (11 ms here, and as much to
        # draw): only when the figures changed, not on every visit or probe event.
        cost = self.session.cost()
        if self._drawn != (cost,):
            self._drawn = (cost,)
            self.query_one("#figures", Static).update(figures(cost))

    @on(AnswerField.Answered)
    def _answered(self, event: AnswerField.Answered) -> None:
        self.record_answer(event)

    def on_screen_suspend(self) -> None:
        for f in self.query(AnswerField):
            f.flush()

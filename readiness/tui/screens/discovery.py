"""Discovery: every probe with its live state, and what was found, grouped."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from readiness.model import Facts, History, ProbeReport, ProbeStatus
from readiness.probes.base import ProbeProgress
from readiness.tui.runner import probe_list
from readiness.tui.screens.base import AuditScreen
from readiness.tui.widgets.facts_view import GROUPS, render_group
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.nav import NavBar
from readiness.tui.widgets.status import StatusLine

_STATUS_STYLE = {
    ProbeStatus.OK: ("✓ ok", "green"),
    ProbeStatus.PARTIAL: ("◐ partial", "yellow"),
    ProbeStatus.UNKNOWN: ("? unknown", "red"),
    ProbeStatus.SKIPPED: ("– skipped", "dim"),
}


def state_cell(event: ProbeProgress | None, report: ProbeReport | None) -> tuple[Text, Text]:
    """(state, detail) cells for one probe."""
    if event is not None and event.state == "waiting":
        return Text("· waiting", style="dim"), Text("")
    if event is not None and event.state == "running":
        return Text("⟳ running", style="bold cyan"), Text("")
    report = (event.report if event else None) or report
    if report is None:
        return Text("· not run", style="dim"), Text("")
    label, style = _STATUS_STYLE[report.status]
    detail = report.reason or f"{report.duration_s:.1f} s"
    return Text(label, style=style), Text(detail, style="dim" if report.status == ProbeStatus.OK else "")


def history_text(h: History) -> Text:
    """The watcher's last 30 days, one strip a line: █ online all day, ▆ short losses,
    ▁ over 1 % offline, · not watched (or, for the backup, not used)."""
    # late: the watcher's summary adds 14 ms to the first frame
    from readiness.watch.summary import strip_values

    out = Text()
    for ln in h.lines:
        who = ln.address or "address not seen"
        avail = f"{ln.availability_pct:.2f} %" if ln.availability_pct is not None else "n/a"
        out.append(f"{ln.role:<8}", style="bold")
        out.append(strip_values(ln.days), style="green" if (ln.availability_pct or 0) >= 99.9 else "yellow")
        out.append(f"  {avail}  {who}\n")
    outages = [o for o in h.outages if o.cause != "dns"]
    failovers = sum(1 for f in h.failovers if f.kind == "failover")
    out.append(f"{len(outages)} outage(s), {failovers} failover(s). ")
    out.append(h.note, style="dim")
    return out


HINT = (
    "r re-runs the highlighted probe, a runs them all again. Discovery keeps going if you "
    "leave this screen; the checklist is pre-filled from what it finds."
)


class DiscoveryScreen(AuditScreen):
    CSS_PATH = "discovery.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rerun", "Re-run probe", id="discovery.rerun"),
        Binding("a", "rerun_all", "Re-run all", id="discovery.rerun_all"),
    ]

    _drawn_facts: Facts | None = None  # the facts the result blocks show
    _described = ""  # what the line under the table says now
    _drawn_history: History | None = None

    def compose(self) -> ComposeResult:
        yield NavBar(self.id or "")
        yield StatusLine()
        with Horizontal(id="discovery-body"):
            table: DataTable[Text] = DataTable(id="probes", cursor_type="row", zebra_stripes=True)
            table.border_title = "Probes"
            with Vertical(id="probes-side"):
                yield table
                yield Static(id="probe-detail")
                yield Static(HINT, id="discovery-hint")
            with VerticalScroll(id="results"):
                history = Static(id="group-history", classes="group")
                history.border_title = "Line history (last 30 days, watched)"
                history.display = False  # shown once the watcher's database is read
                yield history
                for group, title, _ in GROUPS:
                    block = Static(id=f"group-{group}", classes="group")
                    block.border_title = title
                    yield block
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#probes", DataTable)
        table.add_column("Probe", key="probe")
        table.add_column("State", key="state", width=10)
        table.add_column("Detail", key="detail")
        self.ready()

    def redraw(self) -> None:
        super().redraw()
        app = self.rapp
        facts = self.session.audit.facts
        table: DataTable[Text] = self.query_one("#probes", DataTable)
        for name, title in probe_list(facts):
            state, detail = state_cell(app.probe_events.get(name), facts.probes.get(name))
            if name in table.rows:
                table.update_cell(name, "state", state)
                table.update_cell(name, "detail", detail)
            else:
                table.add_row(Text(title), state, detail, key=name)
        if facts is not self._drawn_facts:
            # The facts change when discovery ends, not with each probe's progress; new
            # text in these blocks costs a relayout of the whole pane (10-15 ms).
            self._drawn_facts = facts
            for group, _, _ in GROUPS:
                self.query_one(f"#group-{group}", Static).update(render_group(group, facts))
        history = self.session.audit.history
        if history is not self._drawn_history:
            self._drawn_history = history
            block = self.query_one("#group-history", Static)
            block.display = history is not None
            if history is not None:
                block.update(history_text(history))
        running = app.discovery_running
        table.border_subtitle = "running…" if running else ("failed" if app.discovery_error else "")
        self._describe_highlighted()

    @on(DataTable.RowHighlighted, "#probes")
    def _describe_highlighted(self) -> None:
        """The highlighted probe's outcome in full under the table: at 80 columns the
        Detail column (why a probe is unknown or partial) is cut off to the right."""
        table: DataTable[Text] = self.query_one("#probes", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return
        facts = self.session.audit.facts
        title = dict(probe_list(facts)).get(key, key)
        state, detail = state_cell(self.rapp.probe_events.get(key), facts.probes.get(key))
        words = Text.assemble((title, "bold"), ": ", state)
        if detail.plain:
            words.append(f" — {detail.plain}")
        described = self.query_one("#probe-detail", Static)
        if self._described != words.markup:  # an update lays the pane out again: only on a change
            self._described = words.markup
            described.update(words)

    def action_rerun(self) -> None:
        table: DataTable[Text] = self.query_one("#probes", DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.rapp.run_discovery(only=[key])

    def action_rerun_all(self) -> None:
        self.rapp.run_discovery()

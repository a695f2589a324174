"""The failover drill: confirm, follow the prompts, watch the line live, read the result.

The drill itself runs in the app's thread worker (it keeps going if this screen is left);
this screen shows the prompt, the live state and a latency chart with the cut, failover
and restore marked, and the results of every drill recorded in the audit.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Static

from readiness.model import DrillResult
from readiness.tui.screens.base import AuditScreen
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.nav import NavBar
from readiness.tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

INTRO = (
    "A drill cuts the main internet line on purpose and measures what the office lives through: "
    "how long nothing works, whether traffic moves to the backup line, and whether it comes back. "
    "You will be asked to unplug the main line at the router and to plug it back in. "
    "Press g to start; Escape stops a running drill at any moment."
)
ON_RECORDED_FACTS = (
    "A drill cuts the main internet line on purpose and measures what the office lives through. "
    "This session walks through recorded facts (--replay): the line they describe is not the one "
    "this computer is on, so there is nothing live to drill. Run readiness on the office's own "
    "network, without --replay, to drill it."
)
CHART_TITLE = "Round trip (ms) over the drill (s)"
CHART_WAITING = (
    "The round trip of every probe is charted here as a drill runs, "
    "with the cut, the failover and the restore marked."
)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def result_text(d: DrillResult) -> Text:
    t = Text()
    t.append(f"{d.started_at:%Y-%m-%d %H:%M} {d.kind} drill: ", style="bold")
    good = d.outcome.value in ("failover_ok", "power_held", "no_outage")
    t.append(d.outcome.value.replace("_", " "), style="bold green" if good else "bold red")
    t.append("\n")
    if d.summary:
        t.append(d.summary + "\n")
    t.append(
        f"blackout {_seconds(d.blackout_s)} · failover {_seconds(d.failover_s)} · "
        f"back on the primary {_seconds(d.failback_s)} · {d.probes_sent} probes\n",
        style="dim",
    )
    if d.primary and d.backup:
        t.append(
            f"primary {d.primary.public_ip or '?'} (AS{d.primary.asn or '?'}) → "
            f"backup {d.backup.public_ip or '?'} (AS{d.backup.asn or '?'})\n",
            style="dim",
        )
    return t


class DrillScreen(AuditScreen):
    CSS_PATH = "drill.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "start_drill", "Start drill", id="drill.start"),
        Binding("c", "confirm_step", "Done", id="drill.confirm"),
        Binding("escape", "abort_drill", "Stop drill", id="drill.abort"),
    ]

    _legend_shown = ""  # what the line under the chart says now
    _charted: tuple[str, int] | None = None  # the drill charted now, and its samples then

    def compose(self) -> ComposeResult:
        yield NavBar(self.id or "")
        yield StatusLine()
        yield Static(id="drill-prompt")
        with Horizontal(id="drill-body"):
            yield Static(id="drill-live")
            with Vertical(id="drill-chart"):
                yield Static(Text(CHART_WAITING, style="dim italic"), id="drill-chart-waiting")
        with VerticalScroll(id="drill-results-box"):
            yield Static(id="drill-results")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#drill-results-box").border_title = "Drills recorded"
        self.ready()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.rapp.drill is not None
        if action == "start_drill":
            return not running and not self.rapp.drill_on_recorded_facts
        if action == "abort_drill":
            return running
        if action == "confirm_step":
            phase = self.rapp.drill_phase
            return running and phase is not None and phase.needs_confirm
        return True

    def redraw(self) -> None:
        super().redraw()
        app = self.rapp
        prompt = self.query_one("#drill-prompt", Static)
        phase = app.drill_phase
        # While a drill runs, its chart takes the rows of the drills recorded before.
        self.set_class(app.drill is not None, "-running")
        if app.drill is None:
            prompt.update(Text(ON_RECORDED_FACTS if app.drill_on_recorded_facts else INTRO))
            prompt.set_class(False, "-action")
        else:
            words = phase.prompt if phase and phase.prompt else "Starting…"
            text = Text(words, style="bold")
            if phase is not None and phase.needs_confirm:
                text.append("   [c] done   [Esc] stop", style="dim")
            prompt.update(text)
            prompt.set_class(bool(phase and phase.needs_confirm), "-action")
        self._live()
        self._chart()
        drills = self.session.audit.drills
        results = Text()
        for d in reversed(drills):
            results.append_text(result_text(d))
        self.query_one("#drill-results", Static).update(
            results or Text("No drill recorded yet.", style="italic")
        )
        self.refresh_bindings()

    def _live(self) -> None:
        s = self.rapp.drill_status
        t = Text()
        if s is None:
            t.append("Not running.", style="dim")
        else:
            up = {True: ("connected", "bold green"), False: ("DOWN", "bold red"), None: ("…", "dim")}
            words, style = up[s.connected]
            t.append(f"{s.t:6.1f} s  ", style="dim")
            t.append(words + "\n", style=style)
            t.append(f"phase   {s.phase.value.replace('_', ' ')}\n")
            t.append(f"line    {s.line}\n")
            t.append(f"address {s.public_ip or '?'}\n")
            t.append(f"rtt     {'—' if s.rtt_ms is None else f'{s.rtt_ms:.1f} ms'}\n")
            if s.outage_s is not None:
                t.append(f"outage  {s.outage_s:.1f} s\n", style="red")
            t.append(f"probes  {s.probes_sent}", style="dim")
        for e in self.rapp.drill_events[-4:]:
            t.append(f"\n{e.t:6.1f} s {e.kind.replace('_', ' ')}", style="cyan")
        self.query_one("#drill-live", Static).update(t)

    def _chart(self) -> None:
        # late: the drill's chart adds 2 ms to the first frame
        from readiness.drill.chart import MARKERS, chart_series

        app = self.rapp
        if app.drill is not None:
            timeline, events = app.drill.timeline(), app.drill.events()
            drawn = ("running", len(timeline))
        elif self.session.audit.drills:
            last = self.session.audit.drills[-1]
            timeline, events = last.timeline, last.events
            drawn = (last.id, len(timeline))
        else:
            return
        if not timeline or drawn == self._charted:
            # A recorded drill does not change: charting it again on every show took
            # ~40 ms for a 10-minute one (30,000 samples). The plot redraws itself when
            # its size changes.
            return
        self._charted = drawn
        end = max(s.t for s in timeline)
        series = chart_series(timeline, events, bucket_s=max(0.2, end / 120), end_t=end)
        plot = self._plot()
        plt = plot.plt
        plt.clear_data()
        xs = [t for t, v in zip(series.t, series.latency_ms, strict=True) if v is not None]
        ys = [v for v in series.latency_ms if v is not None]
        top = max(ys) if ys else 1.0
        if xs:  # points, not a line: a line would bridge the outage
            plt.scatter(xs, ys, marker="dot", color="cyan")
        down = [t for t, line in zip(series.t, series.line, strict=True) if line == "down"]
        if down:
            plt.scatter(down, [min(ys) if ys else 0.0] * len(down), marker="x", color="red")
        used: dict[str, str] = {}
        for t, label in series.markers:
            if math.isfinite(t):
                letter = next((m for lab, m in MARKERS.values() if lab == label), "?")
                used[letter] = label
                plt.vline(t, "yellow")
                plt.text(letter, x=t, y=top, color="yellow")
        legend = "x no answer" + "".join(f"  {m} {lab}" for m, lab in sorted(used.items()))
        # A line of its own, not the plot's x label: plotext drops that label when the plot
        # is short (at 80x24, or once the results take their rows), and the marks need it.
        # Updated only when it changes: an update lays the screen out again, and a running
        # drill redraws several times a second.
        if legend != self._legend_shown:
            self._legend_shown = legend
            self.query_one("#drill-legend", Static).update(Text(legend, style="dim"))
        plot.refresh()

    def _plot(self) -> PlotextPlot:
        """The chart, made when there is first something to chart: plotext takes ~20 ms
        to import, and an audit has nothing to chart until a drill runs."""
        # late: plotext adds 21 ms to the first frame
        from textual_plotext import PlotextPlot

        box = self.query_one("#drill-chart", Vertical)
        try:
            return box.query_one(PlotextPlot)
        except NoMatches:
            self.query_one("#drill-chart-waiting", Static).remove()
            plot = PlotextPlot()
            plot.plt.title(CHART_TITLE)
            box.mount(plot, Static(id="drill-legend"))
            return plot

    def action_start_drill(self) -> None:
        self.rapp.ask_to_start_drill()

    def action_confirm_step(self) -> None:
        self.rapp.confirm_drill_step()

    def action_abort_drill(self) -> None:
        self.rapp.abort_drill()

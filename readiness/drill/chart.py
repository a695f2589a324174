"""A drill's timeline as plot-ready series (the TUI chart) and as compact text (the report).

Pure functions of the samples and events: no I/O, no clock, no Textual.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from readiness.drill import analysis
from readiness.drill.sample_names import REACH_PREFIXES
from readiness.model.drill import DrillEvent, DrillResult, DrillSample

# Event kinds worth a marker on the chart, with their short label and one-letter mark.
# The technician is asked to cut (and to restore) and does so some seconds later: the line
# itself goes at the first loss, so the request is not labelled as the cut.
MARKERS: dict[str, tuple[str, str]] = {
    "cut_requested": ("cut asked", "C"),
    "first_loss": ("first loss", "L"),
    "address_changed": ("failover", "F"),
    "recovered": ("recovered", "U"),
    "restore_requested": ("restore asked", "R"),
    "failback": ("failback", "B"),
    "on_battery": ("on battery", "P"),
    "on_line": ("mains back", "M"),
    "aborted": ("stopped", "S"),
    "time_limit": ("time limit", "T"),
}
GLYPH = {"primary": "=", "backup": "~", "unknown": "-", "down": "x", "none": " "}


@dataclass(frozen=True)
class ChartSeries:
    """Parallel lists, one entry per bucket starting at ``t[i]`` seconds."""

    t: list[float]
    latency_ms: list[float | None]  # median RTT of the answered reachability probes
    loss_pct: list[float | None]  # share of reachability probes that failed; None: no probe
    line: list[str]  # primary / backup / unknown / down / none
    markers: list[tuple[float, str]]  # (t, label) of cut, failover, restore...
    bucket_s: float


def chart_series(
    timeline: Sequence[DrillSample],
    events: Sequence[DrillEvent],
    *,
    bucket_s: float = 1.0,
    primary_ip: str | None = None,
    end_t: float | None = None,
) -> ChartSeries:
    """Bucket the reachability samples; the line comes from the last echo seen so far."""
    reach = [s for s in timeline if s.probe.startswith(REACH_PREFIXES)]
    last = end_t if end_t is not None else max((s.t for s in timeline), default=0.0)
    n = max(1, math.floor(last / bucket_s) + 1)
    oks: list[list[bool]] = [[] for _ in range(n)]
    rtts: list[list[float]] = [[] for _ in range(n)]
    for s in reach:
        i = min(n - 1, max(0, int(s.t // bucket_s)))
        oks[i].append(s.ok)
        if s.ok and s.rtt_ms is not None:
            rtts[i].append(s.rtt_ms)
    primary = primary_ip or analysis.baseline_address(timeline, _first_cut(events))
    echoes = analysis.echo_addresses(timeline)
    lines: list[str] = []
    j, current = 0, None
    for i in range(n):
        end = (i + 1) * bucket_s
        while j < len(echoes) and echoes[j][0] < end:
            current = echoes[j][1]
            j += 1
        if not oks[i]:
            lines.append("none")
        elif sum(oks[i]) * 2 <= len(oks[i]):
            lines.append("down")
        else:
            lines.append(analysis.line_of(current, primary))
    markers = [(e.t, MARKERS[e.kind][0]) for e in events if e.kind in MARKERS]
    return ChartSeries(
        t=[round(i * bucket_s, 3) for i in range(n)],
        latency_ms=[round(statistics.median(r), 2) if r else None for r in rtts],
        loss_pct=[round(100 * (1 - sum(o) / len(o)), 1) if o else None for o in oks],
        line=lines,
        markers=markers,
        bucket_s=bucket_s,
    )


def _first_cut(events: Sequence[DrillEvent]) -> float:
    for kind in ("cut_requested", "first_loss"):
        t = analysis.event_time(events, kind)
        if t is not None:
            return t
    return math.inf


def text_timeline(result: DrillResult, width: int = 60) -> str:
    """A few lines for the Markdown report: one character per slice of the drill, marks below."""
    end = max((s.t for s in result.timeline), default=0.0)
    if not result.timeline or end <= 0:
        return "(no samples recorded)"
    bucket = max(result.interval_ms / 1000, end / width)
    primary = result.primary.public_ip if result.primary else None
    series = chart_series(result.timeline, result.events, bucket_s=bucket, primary_ip=primary, end_t=end)
    bar = "".join(GLYPH.get(x, "?") for x in series.line)
    marks = [" "] * len(bar)
    for e in result.events:
        if e.kind in MARKERS:
            i = min(len(marks) - 1, int(e.t // bucket))
            if marks[i] == " ":  # the first mark of a slice wins (failover before "recovered")
                marks[i] = MARKERS[e.kind][1]
    scale = f"0 s{' ' * max(1, len(bar) - 3 - len(f'{end:.0f} s'))}{end:.0f} s"
    used = sorted({MARKERS[e.kind] for e in result.events if e.kind in MARKERS}, key=lambda m: m[1])
    legend = "= primary  ~ backup  - up (line unknown)  x down"
    if used:
        legend += "  |  " + "  ".join(f"{mark} {label}" for label, mark in used)
    return "\n".join([scale, bar, "".join(marks).rstrip(), legend])

"""The HTML report's pictures, drawn as static SVG from an Audit's values.

No library earns its place here: each chart is a few rectangles, lines and labels, and a
plotting library would bring a browser-side runtime or a large dependency for that. Every
chart:

- scales with its container (a ``viewBox``, no fixed size), so 200 % zoom stays sharp;
- reads in greyscale: series differ by shade *and* pattern or dash, and every value is
  also written as text beside its mark;
- carries a text alternative (``role="img"``, ``<title>`` and ``<desc>``) saying what a
  sighted reader would take from it.

Values in, markup out: nothing here reads the clock, the network or a file. Text is
escaped here (markupsafe) because the result is passed to the template as ``Markup``.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from readiness.export import format as fmt
from readiness.model import CategoryScore, CostEstimate, DrillResult, Plan

# Shades chosen to stay apart in greyscale (luminance ~20 %, ~45 %, ~70 %, ~90 %).
INK = "#1a1a1a"
DARK = "#3d5a80"
MID = "#98a6b8"
LIGHT = "#e6e9ee"
ALERT = "#8c1c13"
FONT = 'font-family="system-ui, sans-serif"'
TIMELINE_BUCKETS = 240  # columns of the drill picture: enough for a 10-minute drill at 2.5 s each


def _svg(width: int, height: int, title: str, desc: str, body: str, name: str) -> Markup:
    """The outer element, with its text alternative and ids unique to ``name``."""
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{name}-t {name}-d" xmlns="http://www.w3.org/2000/svg" {FONT} font-size="13">'
        f'<title id="{name}-t">{escape(title)}</title><desc id="{name}-d">{escape(desc)}</desc>'
        f'<defs><pattern id="{name}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{LIGHT}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2"/></pattern></defs>'
        f"{body}</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    weight: str = "normal",
    size: int | None = None,
    fill: str = INK,
) -> str:
    extra = f' font-size="{size}"' if size else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{fill}"{extra}>{escape(text)}</text>'
    )


# ------------------------------------------------------------------ readiness against need


@dataclass(frozen=True)
class Band:
    name: str
    start: float  # the score where the level begins


def readiness_chart(
    score: float | None,
    uncapped: float | None,
    level: str,
    bands: Sequence[Band],
    name: str = "readiness",
    need: Band | None = None,
) -> Markup:
    """A 0-100 scale cut into the levels, with the office's score marked on it (and the
    score it would have without the limits that hold it down, when that differs), and
    the level this office needs (``need``: its name and where it starts) as a bracket
    under the scale: readiness against need in one picture."""
    width, left, right, top, bar_h = 640, 10, 630, 44, 26
    span = right - left

    def x(value: float) -> float:
        return left + span * max(0.0, min(value, 100.0)) / 100.0

    shades = [LIGHT, MID, "#c7ced8", DARK]
    body = []
    ordered = sorted(bands, key=lambda b: b.start)
    for i, band in enumerate(ordered):
        end = ordered[i + 1].start if i + 1 < len(ordered) else 100.0
        shade = shades[i % len(shades)]
        label_fill = "#ffffff" if shade == DARK else INK
        body.append(
            f'<rect x="{x(band.start):.1f}" y="{top}" width="{x(end) - x(band.start):.1f}" '
            f'height="{bar_h}" fill="{shade}" stroke="{INK}" stroke-width="0.5"/>'
        )
        body.append(
            _text(
                (x(band.start) + x(end)) / 2, top + 17, band.name, anchor="middle", size=12, fill=label_fill
            )
        )
    for tick in (0, 25, 50, 75, 100):
        body.append(_text(x(tick), top + bar_h + 16, str(tick), anchor="middle", size=11))
    if score is None:
        desc = "Too little could be judged to place the office on the scale."
        body.append(_text(width / 2, 18, "Not assessed: too little could be judged", anchor="middle"))
    else:
        desc = f"The office scores {score:.0f} out of 100, level {level}."
        if uncapped is not None and uncapped > score:
            desc += f" Without the single points of failure holding it down it would score {uncapped:.0f}."
            body.append(
                f'<line x1="{x(uncapped):.1f}" y1="16" x2="{x(uncapped):.1f}" y2="{top + bar_h + 4}" '
                f'stroke="{INK}" stroke-width="2" stroke-dasharray="4 3"/>'
            )
            side = "end" if uncapped > 60 else "start"
            body.append(
                _text(
                    x(uncapped) + (-4 if side == "end" else 4),
                    12,
                    f"{uncapped:.0f} without the limits",
                    anchor=side,
                    size=11,
                )
            )
        body.append(
            f'<path d="M{x(score) - 8:.1f},{top - 14} L{x(score) + 8:.1f},{top - 14} '
            f'L{x(score):.1f},{top - 1} Z" fill="{INK}"/>'
        )
        body.append(
            f'<line x1="{x(score):.1f}" y1="{top}" x2="{x(score):.1f}" y2="{top + bar_h}" '
            f'stroke="{INK}" stroke-width="3"/>'
        )
        anchor = "end" if score > 60 else "start"
        offset = -12 if anchor == "end" else 12
        body.append(_text(x(score) + offset, top - 4, f"{score:.0f} / 100", anchor=anchor, weight="bold"))
    height = top + bar_h + 24
    if need is not None:
        nx = x(need.start)
        y = top + bar_h + 24
        body.append(
            f'<path d="M{nx:.1f},{y - 4} L{nx:.1f},{y + 6} L{x(100):.1f},{y + 6} L{x(100):.1f},{y - 4}" '
            f'fill="none" stroke="{INK}" stroke-width="2.5"/>'
        )
        body.append(
            _text(
                x(100),
                y + 20,
                f"this office needs {need.name} or better",
                anchor="end",
                weight="bold",
                size=12,
            )
        )
        met = score is not None and score >= need.start
        verdict = "met" if met else "not met"
        desc += f" This office needs {need.name} or better (from {need.start:.0f}): {verdict}."
        height = y + 26
    title = "Readiness on the scale of levels" + (", against what this office needs" if need else "")
    return _svg(width, height, title, desc, "".join(body), name)


# ------------------------------------------------------------------ money over a year


def cost_chart(cost: CostEstimate, name: str = "cost") -> Markup | None:
    """Two bars over one year: outages as the office is, against outages with the backup
    line plus what that line costs. None when the figures are missing."""
    loss, residual, backup = cost.expected_yearly_loss, cost.residual_yearly_loss, cost.backup_yearly_cost
    if loss is None or residual is None or backup is None:
        return None
    cur = cost.currency
    width, label_w, right = 440, 130, 340
    top = max(loss, residual + backup, 1.0)

    def w(value: float) -> float:
        return (right - label_w) * max(value, 0.0) / top

    rows = [
        ("As it is", [(loss, f"url(#{name}-hatch)", f"outages {fmt.money(loss, cur)}")]),
        (
            "With a backup",
            [
                (residual, f"url(#{name}-hatch)", f"outages {fmt.money(residual, cur)}"),
                (backup, DARK, f"backup line {fmt.money(backup, cur)}"),
            ],
        ),
    ]
    body = []
    y = 8
    for label, parts in rows:
        body.append(_text(0, y + 22, label, weight="bold"))
        x = float(label_w)
        for value, fill, _ in parts:
            body.append(
                f'<rect x="{x:.1f}" y="{y + 6}" width="{w(value):.1f}" height="24" fill="{fill}" '
                f'stroke="{INK}" stroke-width="0.8"/>'
            )
            x += w(value)
        total = sum(v for v, _, _ in parts)
        body.append(_text(x + 6, y + 23, fmt.money(total, cur), weight="bold"))
        body.append(_text(label_w, y + 46, " + ".join(t for _, _, t in parts), size=11))
        y += 58
    desc = (
        f"Over a year, outages cost about {fmt.money(loss, cur)} with one line; with a backup line "
        f"they cost about {fmt.money(residual, cur)} plus {fmt.money(backup, cur)} for the line itself."
    )
    return _svg(
        width, y, "Cost of outages against the cost of a backup line, per year", desc, "".join(body), name
    )


def plan_cost_chart(cost: CostEstimate, plan: Plan, name: str = "cost") -> Markup | None:
    """Over one year: what outages cost as things are, what the advised steps of the plan
    cost in their first year (one-off plus twelve months, as a range), and what outages
    would cost after them. None when the plan advises nothing or the loss is not known."""
    advised = [a for a in plan.actions if a.recommended]
    now = cost.yearly_loss_now if cost.yearly_loss_now is not None else cost.expected_yearly_loss
    if not advised or now is None:
        return None
    cur = cost.currency
    low = sum(a.one_off[0] + 12 * a.monthly[0] for a in advised)
    high = sum(a.one_off[1] + 12 * a.monthly[1] for a in advised)
    avoided = [a.yearly_loss_avoided for a in advised]
    after = max(now - sum(v for v in avoided if v is not None), 0.0) if None not in avoided else None
    spend = fmt.cost_range(low, high, cur)
    rows: list[tuple[str, float, str, str]] = [
        ("Outages now", now, f"url(#{name}-hatch)", fmt.money(now, cur)),
        ("The plan, year 1", high, DARK, spend),
    ]
    if after is not None:
        rows.append(("Outages after", after, f"url(#{name}-hatch)", fmt.money(after, cur)))
    width, label_w, right = 440, 140, 330
    top = max(max(v for _, v, _, _ in rows), 1.0)
    body = []
    y = 6
    for label, value, fill, words in rows:
        w = (right - label_w) * max(value, 0.0) / top
        body.append(_text(0, y + 17, label, weight="bold"))
        body.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{max(w, 1.5):.1f}" height="20" fill="{fill}" '
            f'stroke="{INK}" stroke-width="0.8"/>'
        )
        body.append(_text(label_w + w + 6, y + 18, words, weight="bold"))
        y += 30
    desc = (
        f"Outages cost this office about {fmt.money(now, cur)} a year as things are; "
        f"the advised steps cost {spend} in their first year"
    )
    desc += f" and leave about {fmt.money(after, cur)} a year of outages." if after is not None else "."
    return _svg(
        width, y + 4, "Cost of outages against the cost of the plan, over a year", desc, "".join(body), name
    )


# ------------------------------------------------------------------ categories


def category_chart(categories: Sequence[CategoryScore], name: str = "categories") -> Markup:
    """One bar per category of the checklist, 0-100; "not judged" written where nothing was."""
    width, label_w, right, row = 640, 230, 590, 26
    body = []
    parts = []
    for i, c in enumerate(categories):
        y = 4 + i * row
        body.append(_text(0, y + 15, c.title))
        body.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{right - label_w}" height="16" fill="{LIGHT}" '
            f'stroke="{INK}" stroke-width="0.5"/>'
        )
        if c.score is None:
            body.append(_text(label_w + 6, y + 16, "not judged", size=11))
            parts.append(f"{c.title}: not judged")
            continue
        body.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{(right - label_w) * c.score / 100:.1f}" '
            f'height="16" fill="{DARK}"/>'
        )
        body.append(_text(right + 6, y + 16, f"{c.score:.0f}", weight="bold"))
        parts.append(f"{c.title}: {c.score:.0f}")
    height = 8 + len(categories) * row
    return _svg(
        width, height, "Score of each category, out of 100", "; ".join(parts) + ".", "".join(body), name
    )


# ------------------------------------------------------------------ a drill's timeline


@dataclass(frozen=True)
class Bucket:
    t0: float
    t1: float
    loss: float  # share of the reachability probes lost, 0-1
    rtt_ms: float | None  # median round trip of those answered


def _reach(probe: str) -> bool:
    return probe.startswith(("icmp:", "tcp:"))


def downsample(drill: DrillResult, buckets: int = TIMELINE_BUCKETS) -> list[Bucket]:
    """The drill's reachability samples in at most ``buckets`` equal slices of time: the
    picture needs a few hundred columns, the JSON keeps every sample."""
    samples = [s for s in drill.timeline if _reach(s.probe)] or list(drill.timeline)
    if not samples:
        return []
    t0 = min(s.t for s in samples)
    t1 = max(s.t for s in samples)
    span = max(t1 - t0, 1e-9)
    n = max(1, min(buckets, len({s.t for s in samples})))
    width = span / n
    lost = [0] * n
    seen = [0] * n
    rtts: list[list[float]] = [[] for _ in range(n)]
    for s in samples:
        i = min(int((s.t - t0) / width), n - 1)
        seen[i] += 1
        if not s.ok:
            lost[i] += 1
        elif s.rtt_ms is not None:
            rtts[i].append(s.rtt_ms)
    return [
        Bucket(
            t0 + i * width,
            t0 + (i + 1) * width,
            lost[i] / seen[i] if seen[i] else 0.0,
            statistics.median(rtts[i]) if rtts[i] else None,
        )
        for i in range(n)
        if seen[i]
    ]


MARK_WORDS = {
    "cut_requested": "cut",
    "first_loss": "first loss",
    "address_changed": "failover",
    "restore_requested": "restore",
    "failback": "failback",
    "on_battery": "on battery",
    "on_line": "mains back",
}


def drill_marks(drill: DrillResult) -> list[tuple[float, str]]:
    """The moments to mark: from the drill's events, with the first loss placed from the
    measured time when no event records it."""
    marks: dict[str, float] = {}
    for e in sorted(drill.events, key=lambda e: e.t):
        if e.kind in MARK_WORDS and e.kind not in marks:
            marks[e.kind] = e.t
    if "first_loss" not in marks and "cut_requested" in marks and drill.time_to_first_loss_s is not None:
        marks["first_loss"] = marks["cut_requested"] + drill.time_to_first_loss_s
    return sorted(((t, MARK_WORDS[k]) for k, t in marks.items()), key=lambda m: m[0])


def drill_chart(drill: DrillResult, name: str) -> Markup | None:
    """Round trip (line) and loss (shaded columns) over the drill's time, the moments of
    the drill marked and labelled. None for a drill without samples."""
    buckets = downsample(drill)
    if not buckets:
        return None
    width, left, right = 720, 52, 706
    t0, t1 = buckets[0].t0, buckets[-1].t1
    span = max(t1 - t0, 1e-9)

    def x(t: float) -> float:
        return left + (right - left) * (t - t0) / span

    marks = drill_marks(drill)
    rows = _label_rows([(x(min(max(t, t0), t1)), f"{word} {t:.1f} s") for t, word in marks], right)
    rtt_top = 16 + 14 * (max(rows, default=0) + 1)
    rtt_h, loss_h = 110, 48
    loss_top = rtt_top + rtt_h + 18

    rtts = [b.rtt_ms for b in buckets if b.rtt_ms is not None]
    top_rtt = max(rtts) * 1.15 if rtts else 1.0
    frame = f'x="{left}" width="{right - left}" fill="none" stroke="{MID}"'
    body = [
        f'<rect {frame} y="{rtt_top}" height="{rtt_h}"/>',
        f'<rect {frame} y="{loss_top}" height="{loss_h}"/>',
        _text(left - 6, rtt_top + 10, f"{top_rtt:.0f} ms", anchor="end", size=11),
        _text(left - 6, rtt_top + rtt_h, "0 ms", anchor="end", size=11),
        _text(left - 6, loss_top + 10, "100 %", anchor="end", size=11),
        _text(left - 6, loss_top + loss_h, "0 %", anchor="end", size=11),
        _text(left + 4, rtt_top + 14, "round trip", size=11, fill=DARK),
        _text(left + 4, loss_top + 14, "probes lost", size=11),
    ]
    for b in buckets:
        if b.loss > 0:
            h = loss_h * b.loss
            body.append(
                f'<rect x="{x(b.t0):.1f}" y="{loss_top + loss_h - h:.1f}" '
                f'width="{max(x(b.t1) - x(b.t0), 0.8):.1f}" height="{h:.1f}" fill="url(#{name}-hatch)"/>'
            )
    path: list[str] = []
    pen_up = True
    for b in buckets:
        if b.rtt_ms is None:
            pen_up = True
            continue
        px, py = x((b.t0 + b.t1) / 2), rtt_top + rtt_h - rtt_h * b.rtt_ms / top_rtt
        path.append(f"{'M' if pen_up else 'L'}{px:.1f},{py:.1f}")
        pen_up = False
    if path:
        body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{DARK}" stroke-width="1.6"/>')
    for i, (t, word) in enumerate(marks):
        mx = x(min(max(t, t0), t1))
        row = 12 + 14 * rows[i]
        body.append(
            f'<line x1="{mx:.1f}" y1="{row + 3}" x2="{mx:.1f}" y2="{loss_top + loss_h}" stroke="{ALERT}" '
            f'stroke-width="1.2" stroke-dasharray="3 2"/>'
        )
        anchor = "end" if mx > right - 60 else "start"
        body.append(
            _text(
                mx + (-3 if anchor == "end" else 3),
                row,
                f"{word} {t:.1f} s",
                anchor=anchor,
                size=11,
                fill=ALERT,
            )
        )
    for tick in _ticks(t0, t1):
        body.append(_text(x(tick), loss_top + loss_h + 14, f"{tick:g} s", anchor="middle", size=11))
    worst = max(b.loss for b in buckets)
    desc = (
        f"{len(drill.timeline)} samples over {span:.0f} s, drawn as {len(buckets)} columns. "
        + "; ".join(f"{word} at {t:.1f} s" for t, word in marks)
        + (
            f". Up to {worst * 100:.0f} % of the probes were lost at the worst moment"
            if worst
            else ". No probe was lost"
        )
        + (f"; the round trip stayed between {min(rtts):.0f} and {max(rtts):.0f} ms." if rtts else ".")
    )
    return _svg(
        width,
        loss_top + loss_h + 20,
        f"Drill {drill.id}: round trip and loss over time",
        desc,
        "".join(body),
        name,
    )


LABEL_CHAR_PX = 6.2  # the width of one character at font-size 11, near enough to keep labels apart


def _label_rows(labels: list[tuple[float, str]], right: float) -> list[int]:
    """A row for each mark's label so that none overwrites another: moments seconds apart
    in a 10-minute drill (cut, first loss, failover) sit at nearly the same x. Each label
    takes the first row whose last label ends before it starts."""
    ends: list[float] = []
    rows = []
    for mx, text in labels:
        width = len(text) * LABEL_CHAR_PX + 6
        start, end = (mx - width, mx) if mx > right - 60 else (mx, mx + width)
        row = next((i for i, e in enumerate(ends) if e < start), len(ends))
        if row == len(ends):
            ends.append(end)
        else:
            ends[row] = end
        rows.append(row)
    return rows


def _ticks(t0: float, t1: float) -> list[float]:
    span = t1 - t0
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800):
        if span / step <= 8:
            break
    first = (int(t0 // step) + (1 if t0 % step else 0)) * step
    return [float(t) for t in range(int(first), int(t1) + 1, step)]


# ------------------------------------------------------------------ the watched line history

HISTORY_FULL_PCT = 100.0  # a day always online
HISTORY_LOSS_PCT = 99.0  # under this, over 1 % of the day offline: the day is hatched


def _day_words(iso: str) -> str:
    """ "2026-05-31" as "31 May": the watcher's days are calendar days already."""
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%b}"


def history_chart(points: dict[str, Any], name: str = "history") -> Markup | None:
    """The last 30 days the watcher saw, one column a day, from ``chart_points`` of
    readiness.watch.summary: dark when always online, mid-grey with some loss, hatched when
    over 1 % of the day was offline, a dashed outline when not watched; the minutes offline
    are written above each day that lost any. None when there is no day to draw."""
    days: list[dict[str, Any]] = list(points.get("days") or [])
    if not days:
        return None
    width, left, right, top, bar_h = 640, 8, 632, 22, 60
    step = (right - left) / len(days)
    bar_w = max(step - 3, 2)
    body = []
    lost, unwatched = [], 0
    for i, d in enumerate(days):
        x = left + i * step
        pct: float | None = d.get("availability_pct")
        y = top
        if pct is None:
            unwatched += 1
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{bar_w:.1f}" height="{bar_h}" fill="none" '
                f'stroke="{MID}" stroke-dasharray="3 2"/>'
            )
            continue
        if pct >= HISTORY_FULL_PCT:
            fill = DARK
        elif pct >= HISTORY_LOSS_PCT:
            fill = MID
        else:
            fill = f"url(#{name}-hatch)"
        body.append(
            f'<rect x="{x:.1f}" y="{y}" width="{bar_w:.1f}" height="{bar_h}" fill="{fill}" '
            f'stroke="{INK}" stroke-width="0.5"/>'
        )
        down_min = float(d.get("down_s") or 0.0) / 60
        if pct < HISTORY_FULL_PCT:
            label = f"{down_min:.0f}" if down_min >= 1 else "<1"
            body.append(_text(x + bar_w / 2, top - 6, label, anchor="middle", size=10, weight="bold"))
            lost.append(f"{_day_words(d['day'])}: {fmt.number(pct, '%', 2)} online, {label} min offline")
    for i in range(0, len(days) - 4, 7):  # a date under every seventh day, and the last (apart)
        body.append(_text(left + i * step, top + bar_h + 16, _day_words(days[i]["day"]), size=11))
    body.append(_text(right, top + bar_h + 16, _day_words(days[-1]["day"]), anchor="end", size=11))
    legend_y = top + bar_h + 40
    legend = [
        (f'fill="{DARK}"', "always online"),
        (f'fill="{MID}"', "short losses"),
        (f'fill="url(#{name}-hatch)"', "over 1 % offline"),
        (f'fill="none" stroke="{MID}" stroke-dasharray="3 2"', "not watched"),
    ]
    x = float(left)
    for attrs, words in legend:
        body.append(f'<rect x="{x:.1f}" y="{legend_y - 10}" width="12" height="12" {attrs}/>')
        body.append(_text(x + 16, legend_y, words, size=11))
        x += 22 + len(words) * LABEL_CHAR_PX + 12
    body.append(_text(right, legend_y, "figures: minutes offline", anchor="end", size=11))
    watched = len(days) - unwatched
    desc = (
        f"{len(days)} days from {_day_words(days[0]['day'])} to {_day_words(days[-1]['day'])}; "
        f"{watched} watched, {unwatched} not watched. "
        + (f"Days with outages: {'; '.join(lost)}." if lost else "Always online on every watched day.")
    )
    return _svg(width, legend_y + 8, "Connection online each day, last 30 days", desc, "".join(body), name)

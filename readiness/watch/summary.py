"""From the watcher's database to a :class:`History`, and the history in words.

Availability is counted over the time the watcher saw: its own gaps (machine asleep,
process stopped) are left out of both sides. Yearly figures are extrapolated from that
time, with a 95 % Poisson interval, and the note says how long the record is: a week of
data is a week.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from readiness.errors import InputError
from readiness.model.history import (
    History,
    HistoryDay,
    HistoryFailover,
    HistoryLine,
    HistoryOutage,
)
from readiness.watch.records import Event
from readiness.watch.store import connect, default_db_path, read_events

YEAR_S = 365.25 * 86400
STRIP_DAYS = 30


def parse_since(text: str) -> float:
    """``30d``, ``12h``, ``2w``, ``90m`` -> seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*", text)
    if not m:
        raise ValueError(f"expected a length such as 30d, 12h or 2w, got {text!r}")
    return float(m.group(1)) * {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}[m.group(2)]


def poisson_interval(k: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for the mean of a Poisson count ``k``."""
    alpha = (1 - confidence) / 2

    def cdf(n: int, lam: float) -> float:  # P(X <= n)
        if lam == 0:
            return 1.0
        term = math.exp(-lam)
        total = term
        for i in range(1, n + 1):
            term *= lam / i
            total += term
        return min(total, 1.0)

    def solve(pred: Any) -> float:
        lo, hi = 0.0, max(10.0, 10.0 * (k + 1))
        for _ in range(100):
            mid = (lo + hi) / 2
            if pred(mid):
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    low = 0.0 if k == 0 else solve(lambda lam: 1 - cdf(k - 1, lam) < alpha)
    high = solve(lambda lam: cdf(k, lam) > alpha)
    return low, high


def _dt(wall: float) -> datetime:
    return datetime.fromtimestamp(wall, UTC)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def build_history(
    conn: sqlite3.Connection, source: str, now_wall: float, since_s: float | None = None
) -> History | None:
    """The history in the database (from ``now - since_s``); None when nothing was recorded."""
    runs = conn.execute("SELECT started_wall, last_wall FROM runs ORDER BY started_wall").fetchall()
    if not runs:
        return None
    lo = now_wall - since_s if since_s is not None else -math.inf
    spans = [(max(float(a), lo), float(b)) for a, b in runs if float(b) > lo]
    if not spans:
        return None
    first, last = min(a for a, _ in spans), max(b for _, b in spans)
    events = read_events(conn, lo if since_s is not None else None)
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    # Gaps inside a run (asleep, stalled) and between runs: recorded as events.
    gaps = [e for e in events if e.kind == "gap" and e.end_wall is not None]
    covered = sum(b - a for a, b in spans)
    inside_gaps = sum(
        sum(_overlap(g.start_wall, g.end_wall or g.start_wall, a, b) for a, b in spans) for g in gaps
    )
    observed = max(0.0, covered - inside_gaps)
    span = last - first
    gaps_s = max(0.0, span - observed)

    def clip(e: Event) -> tuple[float, float]:
        end = e.end_wall if e.end_wall is not None else last
        return max(e.start_wall, lo), min(end, last)

    outages_ev = [e for e in events if e.kind == "outage"]
    whole = [e for e in outages_ev if e.cause != "dns"]
    down = sum(max(0.0, b - a) for a, b in map(clip, whole))
    dns_down = sum(max(0.0, b - a) for a, b in map(clip, (e for e in outages_ev if e.cause == "dns")))
    degraded = sum(max(0.0, b - a) for a, b in map(clip, (e for e in events if e.kind == "degraded")))
    outages = [
        HistoryOutage(
            start=_dt(e.start_wall),
            end=_dt(e.end_wall) if e.end_wall is not None else None,
            length_s=e.length_s,
            cause=e.cause if e.cause in ("gateway", "upstream", "dns") else "unknown",
            cut_short="cut_short" in e.detail,
        )
        for e in outages_ev
    ]
    moves = [e for e in events if e.kind in ("failover", "failback", "address_change")]
    failovers = [
        HistoryFailover(
            at=_dt(e.start_wall),
            kind=e.kind,
            from_ip=e.detail.get("from"),
            to_ip=e.detail.get("to"),
            from_asn=e.detail.get("from_asn"),
            to_asn=e.detail.get("to_asn"),
            to_as_name=e.detail.get("to_as_name"),
            blackout_s=e.detail.get("blackout_s"),
            blackout_under_s=e.detail.get("blackout_under_s"),
        )
        for e in moves
    ]
    # Periods on the backup: from a failover to the next failback (or the end).
    backup_periods: list[tuple[float, float, dict[str, Any]]] = []
    open_fo: Event | None = None
    for e in moves:
        if e.kind == "failover" and open_fo is None:
            open_fo = e
        elif e.kind == "failback" and open_fo is not None:
            backup_periods.append((open_fo.start_wall, e.end_wall or e.start_wall, open_fo.detail))
            open_fo = None
    if open_fo is not None:
        backup_periods.append((open_fo.start_wall, last, open_fo.detail))

    def observed_in(a: float, b: float) -> float:
        tot = sum(_overlap(a, b, s0, s1) for s0, s1 in spans)
        return max(0.0, tot - sum(_overlap(a, b, g.start_wall, g.end_wall or g.start_wall) for g in gaps))

    def down_in(a: float, b: float) -> float:
        return sum(_overlap(a, b, *clip(e)) for e in whole)

    on_backup = sum(observed_in(a, b) for a, b, _ in backup_periods)
    down_backup = sum(down_in(a, b) for a, b, _ in backup_periods)
    lines = [
        HistoryLine(
            role="primary",
            address=meta.get("primary_ip"),
            asn=int(meta["primary_asn"]) if meta.get("primary_asn") else None,
            as_name=meta.get("primary_as_name"),
            observed_s=round(observed - on_backup, 1),
            down_s=round(down - down_backup, 1),
        )
    ]
    if backup_periods:
        d = backup_periods[-1][2]
        lines.append(
            HistoryLine(
                role="backup",
                address=d.get("to"),
                asn=d.get("to_asn"),
                as_name=d.get("to_as_name"),
                observed_s=round(on_backup, 1),
                down_s=round(down_backup, 1),
            )
        )
    periods = [(a, b) for a, b, _ in backup_periods]
    day_edges = _day_edges(last)
    for line in lines:
        per_day: list[float | None] = []
        for a, b in day_edges:
            on_backup_day = sum(
                observed_in(max(a, p0), min(b, p1)) for p0, p1 in periods if p1 > a and p0 < b
            )
            down_backup_day = sum(down_in(max(a, p0), min(b, p1)) for p0, p1 in periods if p1 > a and p0 < b)
            if line.role == "backup":
                obs, dn = on_backup_day, down_backup_day
            else:
                obs, dn = observed_in(a, b) - on_backup_day, down_in(a, b) - down_backup_day
            per_day.append(round(100.0 * (obs - dn) / obs, 3) if obs > 0.5 else None)
        line.days = per_day
    for line in lines:
        if line.observed_s > 0:
            line.availability_pct = round(100.0 * (line.observed_s - line.down_s) / line.observed_s, 4)
    # The primary's failures: whole outages not inside a backup period, plus backup periods.
    failures: list[float] = [b - a for a, b, _ in backup_periods] + [
        e.length_s or (clip(e)[1] - clip(e)[0])
        for e in whole
        if not any(_overlap(e.start_wall, clip(e)[1], a - 60, b) > 0 for a, b, _ in backup_periods)
    ]
    k = len(failures)
    per_year = low = high = None
    if observed > 0:
        scale = YEAR_S / observed
        per_year = round(k * scale, 1)
        lo_k, hi_k = poisson_interval(k)
        low, high = round(lo_k * scale, 1), round(hi_k * scale, 1)
    blackouts = [f.blackout_s for f in failovers if f.kind == "failover" and f.blackout_s is not None]
    alerting = [a for a in json.loads(meta.get("alerting", "[]")) if isinstance(a, str)]
    history = History(
        source=source,
        first_seen=_dt(first),
        last_seen=_dt(last),
        span_s=round(span, 1),
        observed_s=round(observed, 1),
        gaps_s=round(gaps_s, 1),
        down_s=round(down, 1),
        dns_down_s=round(dns_down, 1),
        degraded_s=round(degraded, 1),
        availability_pct=round(100.0 * (observed - down) / observed, 4) if observed > 0 else None,
        lines=lines,
        outages=outages,
        failovers=failovers,
        days=_days(spans, gaps, whole, clip, last),
        primary_failures=k,
        outages_per_year=per_year,
        outages_per_year_low=low,
        outages_per_year_high=high,
        typical_outage_minutes=round(statistics.median(failures) / 60, 2) if failures else None,
        failover_s=round(statistics.median(blackouts), 2) if blackouts else None,
        alerting=alerting,
    )
    return history.model_copy(update={"note": record_note(history)})


def _day_edges(last: float) -> list[tuple[float, float]]:
    """The last 30 UTC days up to ``last``, oldest first, as (start, end) wall times."""
    end_day = _dt(last).date()
    out = []
    for i in range(STRIP_DAYS - 1, -1, -1):
        d = end_day - timedelta(days=i)
        a = datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()
        out.append((a, a + 86400))
    return out


def _days(
    spans: list[tuple[float, float]], gaps: list[Event], whole: list[Event], clip: Any, last: float
) -> list[HistoryDay]:
    end_day = _dt(last).date()
    out = []
    for i in range(STRIP_DAYS - 1, -1, -1):
        d = end_day - timedelta(days=i)
        a = datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()
        b = a + 86400
        obs = sum(_overlap(a, b, s0, s1) for s0, s1 in spans)
        obs -= sum(_overlap(a, b, g.start_wall, g.end_wall or g.start_wall) for g in gaps)
        obs = max(0.0, obs)
        dn = sum(_overlap(a, b, *clip(e)) for e in whole)
        out.append(
            HistoryDay(
                day=d,
                observed_s=round(obs, 1),
                down_s=round(dn, 1),
                availability_pct=round(100.0 * (obs - dn) / obs, 3) if obs > 0 else None,
            )
        )
    return out


def _length(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def record_note(h: History) -> str:
    """How much to trust the yearly figures, in plain words."""
    days = h.observed_s / 86400
    base = f"Measured over {_length(h.observed_s)} of watching"
    if h.gaps_s > 0:
        base += f" ({_length(h.gaps_s)} unwatched left out)"
    if days < 7:
        return (
            base
            + ": too short to say how often the line fails in a year; the yearly figures are a rough guess."
        )
    if h.outages_per_year is None or h.outages_per_year_high is None:
        return base + "."
    return (
        base + f": the yearly figure is extrapolated from that time and could lie anywhere between "
        f"{h.outages_per_year_low:g} and {h.outages_per_year_high:g} failures a year."
    )


def load_history(path: Path, now_wall: float, since_s: float | None = None) -> History:
    """Read the database at ``path`` (read-only); InputError when it cannot be read."""
    if not Path(path).is_file():
        raise InputError(path, None, "watch database not found")
    try:
        conn = connect(Path(path), readonly=True)
        try:
            history = build_history(conn, Path(path).name, now_wall, since_s)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(path, None, f"not a readable watch database ({exc})") from exc
    if history is None:
        raise InputError(path, None, "the watcher has recorded nothing yet")
    return history


# ---- rendering ---------------------------------------------------------------------------


def _when(d: datetime) -> str:
    return d.strftime("%Y-%m-%d %H:%M:%S UTC")


CAUSES = {
    "gateway": "the router or office network",
    "upstream": "the line or provider",
    "dns": "name resolution only",
    "unknown": "the connection",
}


def render_text(h: History) -> str:
    lines = [
        f"Watched from {_when(h.first_seen)} to {_when(h.last_seen)}.",
        h.note,
        "",
    ]
    if h.availability_pct is not None:
        lines.append(f"Online {h.availability_pct:.3f} % of the watched time ({_length(h.down_s)} offline).")
    for ln in h.lines:
        who = ln.address or "address not seen"
        if ln.as_name or ln.asn:
            who += f", {ln.as_name or ''} AS{ln.asn}".replace(",  AS", ", AS")
        avail = f"{ln.availability_pct:.3f} %" if ln.availability_pct is not None else "n/a"
        lines.append(f"  {ln.role} line ({who}): carried traffic {_length(ln.observed_s)}, available {avail}")
    if h.dns_down_s:
        lines.append(f"Name resolution alone failed for {_length(h.dns_down_s)}.")
    if h.degraded_s:
        lines.append(f"Too poor for calls (loss, jitter or delay) for {_length(h.degraded_s)}.")
    lines.append("")
    lines.append(f"Outages: {len(h.outages)}")
    for o in h.outages:
        length = _length(o.length_s) if o.length_s is not None else "still going on"
        short = " (at least: the watcher stopped during it)" if o.cut_short else ""
        lines.append(f"  {_when(o.start)}  {length}{short}  {CAUSES[o.cause]}")
    lines.append(f"Line switches: {len(h.failovers)}")
    for f in h.failovers:
        took = "no loss seen" if f.blackout_s == 0 else _length(f.blackout_s or 0)
        lines.append(f"  {_when(f.at)}  {f.kind}  {f.from_ip} -> {f.to_ip}  blackout {took}")
    lines.append("")
    if h.outages_per_year is not None:
        lines.append(
            f"Likely per year: {h.outages_per_year:g} failures of the main line "
            f"(95 % range {h.outages_per_year_low:g}-{h.outages_per_year_high:g})"
            + (
                f", typically {h.typical_outage_minutes:g} min each"
                if h.typical_outage_minutes is not None
                else ""
            )
            + "."
        )
    if h.failover_s is not None:
        lines.append(f"Switching to the backup took {h.failover_s:g} s (median of what was seen).")
    return "\n".join(lines) + "\n"


def render_md(h: History) -> str:
    out = [
        "# Line history",
        "",
        f"Watched from {_when(h.first_seen)} to {_when(h.last_seen)}. {h.note}",
        "",
        "| line | address | provider | carried traffic | available |",
        "|---|---|---|---|---|",
    ]
    for ln in h.lines:
        avail = f"{ln.availability_pct:.3f} %" if ln.availability_pct is not None else "n/a"
        prov = f"{ln.as_name or ''} AS{ln.asn}" if ln.asn else (ln.as_name or "")
        out.append(f"| {ln.role} | {ln.address or ''} | {prov} | {_length(ln.observed_s)} | {avail} |")
    out += ["", "## Outages", ""]
    out += outage_table_md(h)
    out += ["", "## Line switches", "", "| when | what | from | to | blackout |", "|---|---|---|---|---|"]
    for f in h.failovers:
        out.append(f"| {_when(f.at)} | {f.kind} | {f.from_ip} | {f.to_ip} | {_length(f.blackout_s or 0)} |")
    if h.outages_per_year is not None:
        out += [
            "",
            f"Likely per year: {h.outages_per_year:g} failures of the main line "
            f"(95 % range {h.outages_per_year_low:g}-{h.outages_per_year_high:g}).",
        ]
    return "\n".join(out) + "\n"


def outage_table_md(h: History) -> list[str]:
    rows = ["| start | length | what failed |", "|---|---|---|"]
    for o in h.outages:
        length = _length(o.length_s) if o.length_s is not None else "ongoing"
        if o.cut_short:
            length = "at least " + length
        rows.append(f"| {_when(o.start)} | {length} | {CAUSES[o.cause]} |")
    if not h.outages:
        rows.append("| — | none seen | |")
    return rows


def chart_points(h: History) -> dict[str, Any]:
    """A plain view-model for a chart of the history (the HTML export draws it).

    ``days``: one entry a day for the last 30 days (availability None = not watched);
    ``outages``/``switches``: start (ISO), length in seconds and what failed or where to.
    """
    return {
        "days": [
            {"day": d.day.isoformat(), "availability_pct": d.availability_pct, "down_s": d.down_s}
            for d in h.days
        ],
        "outages": [
            {"start": o.start.isoformat(), "length_s": o.length_s, "cause": o.cause, "cut_short": o.cut_short}
            for o in h.outages
        ],
        "switches": [
            {"at": f.at.isoformat(), "kind": f.kind, "to": f.to_ip, "blackout_s": f.blackout_s}
            for f in h.failovers
        ],
    }


def strip(h: History, width: int = STRIP_DAYS) -> str:
    """One character a day for the last 30 days: █ all online, ▆ some loss, ▁ > 1 % down, · not watched."""
    return strip_values([d.availability_pct for d in h.days[-width:]])


def strip_values(values: list[float | None]) -> str:
    """The strip of a list of daily availabilities (percent; None: not watched or not used)."""
    chars = []
    for v in values:
        if v is None:
            chars.append("·")
        elif v >= 100.0:
            chars.append("█")
        elif v >= 99.0:
            chars.append("▆")
        else:
            chars.append("▁")
    return "".join(chars)


def find_history(path: Path | None, now_wall: float) -> History | None:
    """The history of the watcher's database (the default one when ``path`` is None),
    or None when there is none or it cannot be read (the TUI looks without asking)."""
    db = path or default_db_path()
    if not db.is_file():
        return None
    try:
        return load_history(db, now_wall)
    except InputError:
        return None

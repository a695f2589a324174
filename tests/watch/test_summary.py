"""The history read back from a database: availability over watched time only, the
primary's failures, yearly figures with an honest interval, and the renderings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readiness.watch.store import connect
from readiness.watch.summary import (
    build_history,
    chart_points,
    load_history,
    parse_since,
    poisson_interval,
    render_md,
    render_text,
    strip,
    strip_values,
)
from tests.watch.history_db import BACKUP, DAY, PRIMARY, START, fourteen_days


def test_poisson_interval_matches_the_tables() -> None:
    # Garwood's exact 95 % limits (e.g. Ulm 1990): k=0: 0-3.689, k=1: 0.0253-5.572, k=10: 4.795-18.39.
    assert poisson_interval(0) == pytest.approx((0.0, 3.689), abs=1e-3)
    assert poisson_interval(1) == pytest.approx((0.0253, 5.572), abs=1e-3)
    assert poisson_interval(10) == pytest.approx((4.795, 18.39), abs=1e-2)


def test_since_lengths() -> None:
    assert parse_since("30d") == 30 * DAY
    assert parse_since("12h") == 12 * 3600
    with pytest.raises(ValueError, match="30d"):
        parse_since("a month")


def test_two_weeks_of_history(tmp_path: Path) -> None:
    h = load_history(fourteen_days(tmp_path / "w.sqlite3"), START + 14 * DAY)
    assert h.span_s == 14 * DAY
    assert h.gaps_s == pytest.approx(6 * 3600)  # stopped: neither online nor offline
    assert h.observed_s == pytest.approx(14 * DAY - 6 * 3600)
    assert h.down_s == pytest.approx(2400.0)  # the two whole outages, not the DNS one
    assert h.dns_down_s == pytest.approx(300.0)
    assert h.availability_pct == pytest.approx(100 * (h.observed_s - 2400) / h.observed_s, abs=1e-4)
    primary, backup = h.lines
    assert (primary.role, primary.address, primary.asn) == ("primary", PRIMARY, 64500)
    assert (backup.role, backup.address, backup.asn) == ("backup", BACKUP, 64501)
    assert backup.observed_s == pytest.approx(2400.0, abs=1)
    # The primary failed three times: two outages and the 40 minutes on the backup.
    assert h.primary_failures == 3
    years = h.observed_s / (365.25 * DAY)
    assert h.outages_per_year == pytest.approx(round(3 / years, 1))
    assert h.outages_per_year_low is not None and h.outages_per_year_high is not None
    assert h.outages_per_year_low < h.outages_per_year < h.outages_per_year_high
    assert h.typical_outage_minutes == pytest.approx(30.0)  # median of 30, 10 and 40 minutes
    assert h.failover_s == pytest.approx(3.2)
    assert h.alerting == ["webhook"]
    assert "could lie anywhere between" in h.note
    assert len(h.days) == 30 and h.days[0].availability_pct is None  # not watched then
    # Per line: the backup carried traffic on one day only.
    assert strip_values(backup.days) == "·" * 26 + "█" + "·" * 3
    assert strip_values(primary.days) == strip(h)
    assert strip(h) == "·" * 15 + "███▁█████▆█████"  # 30 min down: under 99 %; 10 min: over


def test_since_cuts_the_record(tmp_path: Path) -> None:
    db = fourteen_days(tmp_path / "w.sqlite3")
    conn = connect(db, readonly=True)
    h = build_history(conn, "w", START + 14 * DAY, since_s=3 * DAY)
    conn.close()
    assert h is not None
    assert h.observed_s == pytest.approx(3 * DAY)
    assert [o.cause for o in h.outages] == []  # both outages were before
    assert [f.kind for f in h.failovers] == ["failover", "failback"]
    assert "too short" in h.note


def test_renderings(tmp_path: Path) -> None:
    h = load_history(fourteen_days(tmp_path / "w.sqlite3"), START + 14 * DAY)
    text = render_text(h)
    assert "Outages: 3" in text and "the router or office network" in text
    assert "failover  198.51.100.10 -> 203.0.113.10  blackout 3 s" in text
    md = render_md(h)
    assert "| primary | 198.51.100.10 | LAB-FIBRE-A AS64500 |" in md
    points = chart_points(h)
    assert len(points["days"]) == 30 and len(points["outages"]) == 3
    json.dumps(points)  # plain data for the HTML export

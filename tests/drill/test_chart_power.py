"""Chart series, the report's text timeline and the power drill's numbers, on literal timelines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from readiness.drill.analysis import apply_failover
from readiness.drill.chart import chart_series, text_timeline
from readiness.drill.power_drill import apply_power, parse_ups_target, ups_readings
from readiness.model.drill import DrillOutcome, DrillResult, DrillSample
from tests.drill.synth import BACKUP, PRIMARY, events, timeline

EV = events(
    (2.0, "baseline_done"), (4.0, "cut_requested"), (7.0, "address_changed"), (14.0, "restore_requested")
)


def dual_result() -> DrillResult:
    tl = timeline(20, up=lambda t: not 5.0 <= t < 7.0, address=lambda t: BACKUP if 7 <= t < 15 else PRIMARY)
    r = DrillResult(id="x", started_at=datetime(2026, 1, 1, tzinfo=UTC), timeline=tl, events=EV)
    return apply_failover(r, aborted=False, tolerance_s=None, primary_ip=None, wan={})


def test_chart_series_buckets() -> None:
    r = dual_result()
    s = chart_series(r.timeline, r.events, bucket_s=1.0)
    assert len(s.t) == len(s.latency_ms) == len(s.loss_pct) == len(s.line) == 21
    assert s.loss_pct[3] == 0.0 and s.latency_ms[3] == 10.0
    assert s.loss_pct[5] == 100.0 and s.latency_ms[5] is None and s.line[5] == "down"
    assert s.line[3] == "primary" and s.line[10] == "backup" and s.line[18] == "primary"
    assert (4.0, "cut asked") in s.markers and (14.0, "restore asked") in s.markers


def test_text_timeline_marks_cut_failover_and_restore() -> None:
    text = text_timeline(dual_result(), width=40)
    scale, bar, marks, legend = text.splitlines()
    assert scale.startswith("0 s") and scale.endswith("20 s")
    assert "x" in bar and "~" in bar and bar.startswith("=")
    assert bar.index("x") < bar.index("~") < bar.rindex("=")
    assert "C" in marks and "F" in marks and "R" in marks
    assert "C cut asked" in legend and "R restore asked" in legend


def test_text_timeline_empty() -> None:
    r = DrillResult(id="x", started_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert text_timeline(r) == "(no samples recorded)"


def ups(t: float, status: str, runtime: float | None = None) -> DrillSample:
    detail = status + (f"; runtime={runtime:g}" if runtime is not None else "")
    return DrillSample(t=t, probe="ups:labups@10.0.0.1", ok=True, detail=detail)


def power_result(up: bool) -> DrillResult:
    tl = timeline(
        12, up=(lambda t: True) if up else (lambda t: not 6.0 <= t < 9.0), address=lambda t: PRIMARY
    )
    tl += [ups(float(t), "OL") for t in range(0, 5)]
    tl += [ups(float(t), "OB DISCHRG", 900 - 10 * t) for t in range(5, 10)]
    tl += [ups(float(t), "OL CHRG") for t in range(10, 13)]
    r = DrillResult(id="p", kind="power", started_at=datetime(2026, 1, 1, tzinfo=UTC), timeline=tl)
    return apply_power(r, aborted=False, interval_ms=100)


def test_power_held() -> None:
    r = power_result(up=True)
    assert r.outcome == DrillOutcome.POWER_HELD
    assert r.ups_status_seen == ["OL", "OB DISCHRG", "OL CHRG"]
    assert r.ups_runtime_left_s == pytest.approx(810)
    assert "held" in (r.summary or "")


def test_power_lost() -> None:
    r = power_result(up=False)
    assert r.outcome == DrillOutcome.POWER_LOST
    assert r.blackout_s == pytest.approx(3.1)


def test_power_never_on_battery_is_inconclusive() -> None:
    tl = [ups(float(t), "OL") for t in range(5)]
    r = DrillResult(id="p", kind="power", started_at=datetime(2026, 1, 1, tzinfo=UTC), timeline=tl)
    out = apply_power(r, aborted=False, interval_ms=100)
    assert out.outcome == DrillOutcome.INCONCLUSIVE
    assert "never reported" in (out.summary or "")


def test_ups_readings_and_target_parsing() -> None:
    assert ups_readings([ups(1.0, "OB LB", 60)]) == [(1.0, ["OB", "LB"], 60.0)]
    assert parse_ups_target("labups@192.168.50.1:3493") == ("192.168.50.1:3493", "labups")
    assert parse_ups_target("10.0.0.1") == ("10.0.0.1", None)
    with pytest.raises(ValueError):
        parse_ups_target("ups@host:notaport")

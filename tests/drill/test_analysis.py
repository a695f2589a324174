"""The drill's numbers from literal timelines (no network, no clock)."""

from __future__ import annotations

import pytest

from readiness.drill.analysis import (
    analyse,
    find_outage,
    reach_ticks,
    tolerance_minutes_from_answers,
    verdict_text,
)
from readiness.model.answers import Answer
from readiness.model.drill import DrillOutcome, DrillSample, WanSnapshot
from tests.drill.synth import BACKUP, PRIMARY, events, timeline

BASE = events((2.0, "baseline_done"))
WAN = {
    PRIMARY: WanSnapshot(public_ip=PRIMARY, asn=64500, as_name="FIBRE-A"),
    BACKUP: WanSnapshot(public_ip=BACKUP, asn=64501, as_name="MOBILE-B"),
}


def dual(t: float) -> str:
    return BACKUP if 6.5 <= t < 15.0 else PRIMARY


def test_dual_failover_and_failback() -> None:
    tl = timeline(20, up=lambda t: not 5.0 <= t < 6.5, address=dual)
    ev = events((2.0, "baseline_done"), (4.0, "cut_requested"), (14.0, "restore_requested"))
    n = analyse(tl, ev, interval_ms=100, tolerance_s=300, wan=WAN)
    assert n.outcome == DrillOutcome.FAILOVER_OK
    assert n.primary_ip == PRIMARY and n.backup_ip == BACKUP
    assert n.blackout_s == pytest.approx(1.6)  # last success 4.9 -> first success 6.5
    assert n.failover_s == pytest.approx(1.6)
    assert n.time_to_first_loss_s == pytest.approx(1.0)
    assert n.failback_s == pytest.approx(1.0)
    assert n.returned_to_primary is True
    assert n.same_provider is False
    assert "faster than typical router defaults" in n.summary


def test_primary_back_before_the_restore_was_confirmed_is_a_zero_failback() -> None:
    """The technician plugged the line in, traffic came back, then they pressed Enter."""
    tl = timeline(16, up=lambda t: not 5.0 <= t < 12.0, address=lambda t: PRIMARY)
    ev = events((2.0, "baseline_done"), (4.5, "cut_requested"), (13.0, "restore_requested"))
    n = analyse(tl, ev, interval_ms=100, tolerance_s=60)
    assert n.outcome == DrillOutcome.NO_FAILOVER
    assert n.returned_to_primary is True
    assert n.failback_s == 0.0


def test_failover_seen_later_than_reachability() -> None:
    """The address changes 0.4 s after the connection came back: failover_s says so."""
    tl = timeline(12, up=lambda t: not 5.0 <= t < 6.5, address=lambda t: BACKUP if t >= 6.9 else PRIMARY)
    n = analyse(tl, BASE, interval_ms=100)
    assert n.blackout_s == pytest.approx(1.6)
    assert n.failover_s == pytest.approx(2.0)
    assert n.returned_to_primary is False
    assert n.failback_s is None


def test_shared_provider() -> None:
    wan = dict(WAN)
    wan[BACKUP] = WanSnapshot(public_ip=BACKUP, asn=64500)
    tl = timeline(12, up=lambda t: not 5.0 <= t < 6.0, address=dual)
    n = analyse(tl, BASE, interval_ms=100, wan=wan)
    assert n.same_provider is True
    assert "same provider" in n.summary


def test_unknown_asn_is_not_a_verdict() -> None:
    tl = timeline(12, up=lambda t: not 5.0 <= t < 6.0, address=dual)
    n = analyse(tl, BASE, interval_ms=100, wan={PRIMARY: WAN[PRIMARY]})
    assert n.same_provider is None


def test_manual_router_traffic_never_moved() -> None:
    tl = timeline(16, up=lambda t: not 5.0 <= t < 12.0, address=lambda t: PRIMARY)
    ev = events((2.0, "baseline_done"), (4.5, "cut_requested"), (11.5, "restore_requested"))
    n = analyse(tl, ev, interval_ms=100, tolerance_s=60)
    assert n.outcome == DrillOutcome.NO_FAILOVER
    assert n.backup_ip is None and n.failover_s is None
    assert n.blackout_s == pytest.approx(7.1)
    assert n.returned_to_primary is True
    assert n.failback_s == pytest.approx(0.5)
    assert "never moved" in n.summary


def test_total_outage_never_recovered() -> None:
    tl = timeline(10, up=lambda t: t < 5.0, address=lambda t: PRIMARY)
    n = analyse(tl, BASE, interval_ms=100)
    assert n.outcome == DrillOutcome.NO_FAILOVER
    assert n.recovered is False
    assert n.blackout_s == pytest.approx(5.1)  # a lower bound: up to the last sample
    assert "Total outage" in n.summary


def test_no_outage() -> None:
    n = analyse(timeline(8, up=lambda t: True, address=lambda t: PRIMARY), BASE, interval_ms=100)
    assert n.outcome == DrillOutcome.NO_OUTAGE
    assert n.blackout_s is None


def test_short_blip_is_not_an_outage() -> None:
    tl = timeline(8, up=lambda t: not 5.0 <= t < 5.2, address=lambda t: PRIMARY)
    assert analyse(tl, BASE, interval_ms=100).outcome == DrillOutcome.NO_OUTAGE


def test_one_dead_target_cannot_fake_an_outage() -> None:
    tl = timeline(8, up=lambda t: True, address=lambda t: PRIMARY, flaky=lambda name, t: name == "icmp:a1")
    assert analyse(tl, BASE, interval_ms=100).outcome == DrillOutcome.NO_OUTAGE


def test_one_answering_target_cannot_hide_an_outage() -> None:
    tl = timeline(12, up=lambda t: True, address=lambda t: PRIMARY)
    # Everything fails during [5, 8) except icmp:a1 (say, a host on the LAN side).
    tl = [s.model_copy(update={"ok": False}) if 5.0 <= s.t < 8.0 and s.probe != "icmp:a1" else s for s in tl]
    n = analyse(tl, BASE, interval_ms=100)
    assert n.outcome == DrillOutcome.NO_FAILOVER
    assert n.blackout_s == pytest.approx(3.1)


def test_flapping_recovery_is_one_outage() -> None:
    def up(t: float) -> bool:
        return not (5.0 <= t < 6.0 or 6.2 <= t < 7.0)

    n = analyse(timeline(12, up=up, address=lambda t: PRIMARY), BASE, interval_ms=100)
    assert n.outage is not None
    assert n.blackout_s == pytest.approx(2.1)


@pytest.mark.parametrize(
    ("tolerance_s", "outcome"),
    [(None, DrillOutcome.FAILOVER_OK), (60.0, DrillOutcome.FAILOVER_OK), (20.0, DrillOutcome.FAILOVER_SLOW)],
)
def test_outcome_against_tolerance(tolerance_s: float | None, outcome: DrillOutcome) -> None:
    tl = timeline(40, up=lambda t: not 5.0 <= t < 35.0, address=lambda t: BACKUP if t >= 35 else PRIMARY)
    n = analyse(tl, BASE, interval_ms=100, tolerance_s=tolerance_s)
    assert n.outcome == outcome
    assert "slower than typical router defaults" in n.summary
    if tolerance_s == 20.0:
        assert "Beyond the office's tolerance" in n.summary


def test_aborted_keeps_partial_numbers() -> None:
    tl = timeline(9, up=lambda t: t < 5.0, address=lambda t: PRIMARY)
    n = analyse(tl, BASE, interval_ms=100, aborted=True)
    assert n.outcome == DrillOutcome.ABORTED
    assert n.blackout_s == pytest.approx(4.1)


def test_aborted_before_any_outage() -> None:
    n = analyse(
        timeline(3, up=lambda t: True, address=lambda t: PRIMARY), BASE, interval_ms=100, aborted=True
    )
    assert n.outcome == DrillOutcome.ABORTED


@pytest.mark.parametrize(("dns_ok", "expected"), [(True, True), (False, False)])
def test_dns_during_blackout(dns_ok: bool, expected: bool) -> None:
    tl = timeline(
        12,
        up=lambda t: not 5.0 <= t < 8.0,
        address=lambda t: PRIMARY,
        dns=lambda t: dns_ok if 5.0 <= t < 8.0 else True,
    )
    n = analyse(tl, BASE, interval_ms=100)
    assert n.dns_during_blackout is expected
    assert ("did not resolve" in n.summary) is (not expected)


def test_dns_not_probed_is_unknown() -> None:
    tl = timeline(12, up=lambda t: not 5.0 <= t < 8.0, address=lambda t: PRIMARY)
    assert analyse(tl, BASE, interval_ms=100).dns_during_blackout is None


def test_vpn_tunnels_dropped_and_recovered() -> None:
    tl = timeline(12, up=lambda t: not 5.0 <= t < 8.0, address=lambda t: PRIMARY)
    for k in range(12):
        t = float(k)
        tl.append(DrillSample(t=t, probe="vpn:wg0", ok=not 5 <= t < 10))
        tl.append(DrillSample(t=t, probe="vpn:tun0", ok=t < 6))  # never came back
        tl.append(DrillSample(t=t, probe="vpn:tun9", ok=False))  # was never up
    n = analyse(tl, BASE, interval_ms=100)
    assert n.vpn_dropped == ["tun0", "wg0"]
    assert n.vpn_recovered == ["wg0"]
    assert "VPN tunnels that dropped" in n.summary


def test_without_any_echo_the_line_is_unknown() -> None:
    tl = timeline(12, up=lambda t: not 5.0 <= t < 7.0, address=lambda t: None)
    assert analyse(tl, BASE, interval_ms=100).outcome == DrillOutcome.INCONCLUSIVE
    # ... unless the technician's restore came after the connection was back: it moved.
    ev = events((2.0, "baseline_done"), (10.0, "restore_requested"))
    assert analyse(tl, ev, interval_ms=100).outcome == DrillOutcome.FAILOVER_OK


def test_ticks_group_probes_launched_together_despite_jitter() -> None:
    samples = [
        DrillSample(t=1.000, probe="icmp:a", ok=True),
        DrillSample(t=1.004, probe="tcp:b:1", ok=False),
        DrillSample(t=1.002, probe="icmp:c", ok=True),
        DrillSample(t=1.101, probe="icmp:a", ok=False),
        DrillSample(t=1.103, probe="icmp:c", ok=False),
        DrillSample(t=1.102, probe="dns:x", ok=True),  # never part of a tick
    ]
    ticks = reach_ticks(samples, 0.1)
    assert [(t.ok, t.n, t.up) for t in ticks] == [(2, 3, True), (0, 2, False)]


def test_outage_at_the_very_start_has_no_start_tick() -> None:
    tl = timeline(6, up=lambda t: t >= 2.0, address=lambda t: PRIMARY)
    out = find_outage(reach_ticks(tl, 0.1))
    assert out is not None and out.start_t is None and out.end_t == pytest.approx(2.0)


def test_verdict_without_outage_says_so() -> None:
    n = analyse(timeline(3, up=lambda t: True, address=lambda t: PRIMARY), BASE, interval_ms=100)
    assert "never dropped" in verdict_text(n, None)


def test_seamless_failover_without_a_measurable_blackout() -> None:
    tl = timeline(12, up=lambda t: True, address=lambda t: BACKUP if t >= 6.0 else PRIMARY)
    n = analyse(tl, BASE, interval_ms=100, wan=WAN)
    assert n.outcome == DrillOutcome.FAILOVER_OK
    assert n.blackout_s == 0.0 and n.backup_ip == BACKUP and n.same_provider is False
    assert "no measurable blackout" in n.summary


@pytest.mark.parametrize(
    ("value", "expected"), [(15, 15.0), (2.5, 2.5), (None, None), ("x", None), (True, None)]
)
def test_tolerance_from_answers(value: object, expected: float | None) -> None:
    answers = {"max_outage_minutes": Answer(value=value)}  # type: ignore[arg-type]
    assert tolerance_minutes_from_answers(answers) == expected
    assert tolerance_minutes_from_answers({}) is None


@pytest.mark.parametrize("tolerance_minutes", [0.25, 0.5, 1.0])
def test_the_drill_and_the_rule_judge_too_slow_alike(tolerance_minutes: float) -> None:
    """One judgement of "too slow" (``beyond_tolerance``): the drill's outcome and summary and
    the rule FO-001 agree on either side of the office's tolerance, at the same boundary."""
    from readiness.model import Verdict
    from readiness.model.drill import beyond_tolerance
    from tests.unit._rulekit import drill, run

    tl = timeline(40, up=lambda t: not 5.0 <= t < 35.0, address=lambda t: BACKUP if t >= 35 else PRIMARY)
    tolerance_s = tolerance_minutes * 60
    n = analyse(tl, BASE, interval_ms=100, tolerance_s=tolerance_s)
    assert n.blackout_s is not None
    slow = beyond_tolerance(n.blackout_s, tolerance_s)
    assert slow is (n.blackout_s > tolerance_s)
    assert (n.outcome is DrillOutcome.FAILOVER_SLOW) is slow
    assert ("Beyond the office's tolerance" in n.summary) is slow
    assert ("Within the office's tolerance" in n.summary) is not slow
    rule = run(
        "FO-001",
        {"max_outage_minutes": tolerance_minutes},
        {},
        [drill(n.outcome.value, blackout_s=n.blackout_s)],
    )
    assert (rule.verdict is Verdict.FAIL) is slow, rule.summary


def test_beyond_tolerance_needs_both_figures() -> None:
    from readiness.model.drill import beyond_tolerance

    assert beyond_tolerance(31.0, 30.0) is True
    assert beyond_tolerance(30.0, 30.0) is False  # at the tolerance is within it
    assert beyond_tolerance(None, 30.0) is False
    assert beyond_tolerance(31.0, None) is False

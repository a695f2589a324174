"""The event detector on synthetic streams with a fake clock (table-driven).

Each case is a truth over time (what was broken when), sampled at one tick a second the
way the watcher samples; the events must match the truth's edges within half a tick plus
the sampling offset's rounding (``EDGE_S``), and nothing may appear that the truth lacks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest

from readiness.watch.detector import Detector, DetectorSettings, Event
from tests.watch.synth import WALL0, FakeClock, Truth, run

EDGE_S = 0.5 + 1e-6  # edges are placed halfway between two ticks a second apart

PRIMARY, BACKUP = "198.51.100.10", "203.0.113.10"


def switch_at(t0: float, t1: float | None = None) -> Truth:
    """A failover at t0 (half a second of loss before it) and a failback at t1."""

    def address(t: float) -> str:
        return BACKUP if t0 <= t and (t1 is None or t < t1) else PRIMARY

    down = [(t0 - 0.6, t0 + 0.1)]
    if t1 is not None:
        down.append((t1 - 0.6, t1 + 0.1))
    return Truth(down=down, address=address)


@dataclass
class Case:
    name: str
    truth: Truth
    seconds: float
    expect: list[tuple[str, str | None, float | None, float | None]]  # kind, cause, start, end (relative)
    hooks: dict[int, object] = field(default_factory=dict)
    offset: float = 0.37


CASES = [
    Case("quiet", Truth(), 120, []),
    Case("outage upstream", Truth(down=[(30.2, 45.7)]), 90, [("outage", "upstream", 30.2, 45.7)]),
    Case(
        "outage at the router",
        Truth(gateway_down=[(20.0, 80.0)]),
        120,
        [("outage", "gateway", 20.0, 80.0)],
    ),
    Case("DNS only", Truth(dns_down=[(40.5, 70.5)]), 100, [("outage", "dns", 40.5, 70.5)]),
    Case("one lost tick is no outage", Truth(down=[(50.1, 50.9)]), 100, []),
    Case(
        "failover and failback",
        switch_at(30.0, 90.0),
        150,
        [("failover", None, 29.4, 30.1), ("failback", None, 89.4, 90.1)],
    ),
]


def _check(
    events: list[Event], zero_wall: float, expect: list[tuple[str, str | None, float | None, float | None]]
) -> None:
    got = [e for e in events if e.kind != "clock_step"]
    assert [(e.kind, e.cause) for e in got] == [(k, c) for k, c, _, _ in expect], got
    for e, (_, _, start, end) in zip(got, expect, strict=True):
        if start is not None:
            assert abs((e.start_wall - zero_wall) - start) <= EDGE_S, (e, start)
        if end is not None:
            assert e.end_wall is not None
            assert abs((e.end_wall - zero_wall) - end) <= EDGE_S, (e, end)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_events_match_the_truth(case: Case) -> None:
    events, _clock, _zero = run(case.truth, case.seconds, offset=case.offset)
    _check(events, WALL0, case.expect)


def test_outage_edges_hold_for_every_sampling_phase() -> None:
    for offset in (0.0, 0.13, 0.5, 0.77, 0.99):
        events, _, _ = run(Truth(down=[(30.2, 45.7)]), 90, offset=offset)
        _check(events, WALL0, [("outage", "upstream", 30.2, 45.7)])
        assert events[0].length_s is not None and abs(events[0].length_s - 15.5) <= 1.0


def test_failover_carries_its_blackout_and_the_addresses() -> None:
    events, _, _ = run(switch_at(30.0), 60, offset=0.5)  # a tick falls in the blackout
    (fo,) = events
    assert fo.kind == "failover"
    assert fo.detail["from"] == PRIMARY and fo.detail["to"] == BACKUP
    assert 0 < fo.detail["blackout_s"] <= 2.0


def test_failover_without_loss_is_placed_between_two_echoes() -> None:
    truth = Truth(address=lambda t: BACKUP if t >= 30.0 else PRIMARY)
    events, _, _ = run(truth, 60, offset=0.3)
    (fo,) = events
    assert fo.kind == "failover" and fo.detail["blackout_s"] == 0.0
    assert fo.detail["blackout_under_s"] == 1.0
    assert abs(fo.start_wall - WALL0 - 30.0) <= 1.0


def test_an_outage_spanning_the_watchers_sleep_is_cut_and_the_sleep_is_a_gap() -> None:
    """The machine sleeps 10 minutes during an outage: the outage ends where sight ended,
    marked cut short; the sleep is a gap (asleep); after waking, still down is a new outage."""
    truth = Truth(down=[(20.0, 700.0)])

    def sleep(clock: FakeClock) -> None:
        clock.suspend(600.0)

    events, _, _ = run(truth, 760, hooks={30: sleep})
    kinds = [(e.kind, e.cause) for e in events]
    assert kinds == [("outage", "upstream"), ("gap", "asleep"), ("outage", "upstream")], kinds
    first, gap, second = events
    assert first.detail["cut_short"] == "watcher asleep"
    assert gap.length_s is not None and abs(gap.length_s - 601.0) <= 1.0
    assert second.start_wall > gap.end_wall - 1.0  # type: ignore[operator]
    # Sleeping time is in neither outage.
    assert (first.length_s or 0) + (second.length_s or 0) < 760 - 600


def test_stalled_process_is_a_gap_not_an_outage() -> None:
    """SIGSTOP for 20 s: all three clocks move, no tick is taken: a gap, nothing else."""

    def stall(clock: FakeClock) -> None:
        clock.advance(20.0)

    events, _, _ = run(Truth(), 100, hooks={40: stall})
    assert [(e.kind, e.cause) for e in events] == [("gap", "stalled")]


def test_clock_stepped_is_recorded_and_lengths_stay_true() -> None:
    """NTP steps the wall clock an hour forward in the middle of an outage: the outage's
    length is measured on the boot clock, so it stays 15 s, and no gap appears."""

    def step(clock: FakeClock) -> None:
        clock.step(3600.0)

    events, _, _ = run(Truth(down=[(30.2, 45.7)]), 90, hooks={35: step})
    kinds = [e.kind for e in events]
    assert kinds == ["outage", "clock_step"], kinds
    outage = events[0]
    assert outage.length_s is not None and abs(outage.length_s - 15.5) <= 1.0
    assert events[1].detail["step_s"] == pytest.approx(3600.0)


def test_clock_stepped_back_makes_no_phantom_gap() -> None:
    def step(clock: FakeClock) -> None:
        clock.step(-7200.0)

    events, _, _ = run(Truth(), 60, hooks={10: step})
    assert [e.kind for e in events] == ["clock_step"]


def test_watcher_stopped_and_restarted() -> None:
    """A run ends during an outage (closed at the last tick, cut short); the next run
    records the time between as a gap, measured on the boot clock within one boot."""
    det = Detector()
    events, clock, _ = run(Truth(down=[(30.0, 1000.0)]), 40, detector=det)
    assert [(e.kind, e.detail.get("cut_short")) for e in events] == [("outage", "watcher stopped")]
    last = det.last
    assert last is not None
    clock.advance(300.0)
    fresh = Detector()
    (gap,) = fresh.resume(last.boot, last.wall, clock.boot(), clock.wall(), "stopped")
    assert gap.kind == "gap" and gap.cause == "stopped"
    assert gap.length_s == pytest.approx(clock.boot() - last.boot)
    assert gap.start_wall == last.wall and gap.end_wall == clock.wall()
    # Across a reboot the boot clock restarts: the wall clock measures the gap.
    (gap2,) = fresh.resume(None, last.wall, None, last.wall + 3600.0, "stopped")
    assert gap2.length_s == pytest.approx(3600.0) and gap2.start_boot is None


def test_quiet_hour_compressed_has_no_phantom_outage() -> None:
    """An hour of a healthy line with the noise of a real one: one probe of three lost
    now and then (1 % of ticks), single whole ticks lost (0.2 %), round trips 15-40 ms.
    No outage, no degraded period, no line switch: only what the truth holds."""
    rng = random.Random(17)
    lost_one = {t for t in range(3600) if rng.random() < 0.01}
    lost_all = {t for t in range(3600) if rng.random() < 0.002 and t - 1 not in lost_one}
    down = [(t + 0.0, t + 0.9) for t in sorted(lost_all)]
    # Never two whole lost ticks in a row: that would be a (short) outage in truth too.
    down = [d for i, d in enumerate(down) if i == 0 or d[0] - down[i - 1][0] > 1.5]
    truth = Truth(
        down=down,
        lost=lambda t: 1 if int(t) in lost_one else 0,
        rtt=lambda t: 15.0 + (int(t * 7919) % 25),
    )
    events, _, _ = run(truth, 3600, offset=0.2, echo_every=60.0)
    assert events == []


def test_degraded_minutes() -> None:
    """Ten minutes at 250 ms round trip: one degraded period, two 5-minute blocks long."""
    truth = Truth(rtt=lambda t: 250.0 if 300 <= t < 900 else 20.0)
    events, _, _ = run(truth, 1500, offset=0.0)
    (deg,) = events
    assert deg.kind == "degraded" and "round trip" in (deg.cause or "")
    assert deg.length_s == pytest.approx(600.0)


def test_new_address_from_the_same_provider_without_loss_is_no_failover() -> None:
    from readiness.watch.detector import Echo

    det = Detector(DetectorSettings())
    det.echo(Echo(boot=0.0, wall=WALL0, address=PRIMARY, asn=64500))
    (ev,) = det.echo(Echo(boot=60.0, wall=WALL0 + 60, address="198.51.100.77", asn=64500))
    assert ev.kind == "address_change"
    assert det.primary_ip == "198.51.100.77"


def test_degraded_uses_the_checklists_voice_thresholds() -> None:
    """The watcher's "degraded" starts where WAN-007 stops passing a line (checks.toml
    [line_quality]): one set of figures, in data, for the check and the watcher."""
    from readiness.catalogue import default_catalogue

    limits = default_catalogue().line_quality
    settings = DetectorSettings()
    assert settings.loss_pct == limits.loss_pct.warn_from
    assert settings.jitter_ms == limits.jitter_ms.warn_from
    assert settings.rtt_ms == limits.round_trip_ms.warn_from

"""The live tracker that drives the drill's phases, fed literal ticks and echoes."""

from __future__ import annotations

from readiness.drill.live import LiveTracker


def feed(tr: LiveTracker, start: float, n: int, up: bool) -> list[str]:
    kinds: list[str] = []
    for k in range(n):
        kinds += [e.kind for e in tr.tick(round(start + k * 0.1, 3), up, 5.0 if up else None)]
    return kinds


def test_outage_recovery_failover_and_failback() -> None:
    tr = LiveTracker(0.1)
    tr.primary_ip = "192.0.2.10"
    assert tr.echo(0.0, "192.0.2.10") == []
    assert feed(tr, 0.0, 10, True) == []
    assert tr.steady(4.0) and tr.primary_since == 0.0
    assert feed(tr, 1.0, 2, False) == []  # two lost ticks: a blip so far
    kinds = feed(tr, 1.2, 3, False)
    assert kinds == ["first_loss"] and tr.in_outage and tr.outage_start == 0.9
    assert not tr.steady(1.5) and tr.outage_s(2.0) == 1.1
    assert [e.kind for e in tr.echo(1.6, "198.51.100.20")] == ["address_changed"]
    assert tr.line == "backup" and tr.moved
    events = [e for k in range(3) for e in tr.tick(1.6 + k * 0.1, True, 7.0)]
    assert [(e.kind, e.t) for e in events] == [("recovered", 1.6)]
    assert tr.primary_since is None  # up, but on the backup
    assert [e.kind for e in tr.echo(5.0, "192.0.2.10")] == ["failback"]
    assert tr.primary_since == 5.0 and tr.line == "primary"


def test_second_outage_is_a_loss_event() -> None:
    tr = LiveTracker(0.1)
    feed(tr, 0.0, 5, True)
    assert feed(tr, 0.5, 3, False) == ["first_loss"]
    assert feed(tr, 0.8, 3, True) == ["recovered"]
    assert feed(tr, 1.1, 3, False) == ["loss"]
    assert tr.outages == 2 and tr.recoveries == 1

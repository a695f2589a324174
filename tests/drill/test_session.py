"""The drill runner end to end against loopback peers: a real probe loop, real sockets.

A loopback "outage" is made by closing the peers (TCP anchors, DNS, echo); the ICMP anchor
(127.0.0.1) keeps answering, which also shows that one answering target cannot hide an
outage. A "failover" is the echo peers answering with another public address.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from readiness.drill.session import DrillListener, DrillSession, DrillStatus, Phase, PhaseChange
from readiness.model.drill import DrillEvent, DrillOutcome, DrillResult, DrillSample
from tests.drill.peers import Peers


class Recorder(DrillListener):
    def __init__(self) -> None:
        self.phases: list[PhaseChange] = []
        self.events: list[DrillEvent] = []
        self.statuses: list[DrillStatus] = []
        self.samples: list[DrillSample] = []
        self.threads: set[str] = set()
        self.on_phase_hook: Callable[[PhaseChange], None] | None = None

    def on_phase(self, change: PhaseChange) -> None:
        self.phases.append(change)
        self.threads.add(threading.current_thread().name)
        if self.on_phase_hook:
            self.on_phase_hook(change)

    def on_event(self, event: DrillEvent) -> None:
        self.events.append(event)

    def on_status(self, status: DrillStatus) -> None:
        self.statuses.append(status)

    def on_samples(self, samples: tuple[DrillSample, ...]) -> None:
        self.samples.extend(samples)


def outage(peers: Peers) -> None:
    peers.dns.stop()
    peers.http.stop()
    for t in peers.tcp:
        t.stop()


def back(peers: Peers, address: str | None = None) -> None:
    if address:
        peers.public_ip = address
    for t in peers.tcp:
        t.start()
    peers.http.start()
    peers.dns.start()


def later(delay: float, fn: Callable[[], None]) -> None:
    threading.Timer(delay, fn).start()


def run_in_thread(session: DrillSession) -> tuple[threading.Thread, dict[str, DrillResult]]:
    box: dict[str, DrillResult] = {}
    th = threading.Thread(target=lambda: box.setdefault("r", session.run()), name="drill-worker")
    th.start()
    return th, box


@pytest.mark.parametrize(("backup_ip", "same"), [("192.0.2.20", False), ("192.0.2.30", True)])
def test_unattended_failover_and_return(peers: Peers, backup_ip: str, same: bool) -> None:
    rec = Recorder()
    cfg = peers.config(stable_s=0.8, max_duration_s=25)
    session = DrillSession(cfg, unattended=True, targets=peers.targets(), listener=rec, baseline_s=1.0)

    def on_phase(change: PhaseChange) -> None:
        if change.phase == Phase.WATCH_OUTAGE:
            later(0.5, lambda: outage(peers))
            later(1.5, lambda: back(peers, backup_ip))
            later(3.0, lambda: setattr(peers, "public_ip", "192.0.2.10"))

    rec.on_phase_hook = on_phase
    th, box = run_in_thread(session)
    th.join(30)
    r = box["r"]
    assert r.outcome == DrillOutcome.FAILOVER_OK
    assert r.primary is not None and r.primary.public_ip == "192.0.2.10" and r.primary.asn == 64500
    assert (r.primary.as_name or "").startswith("TEST-AS64500") and r.primary.rtt_ms is not None
    assert r.backup is not None and r.backup.public_ip == backup_ip
    assert r.same_provider is same
    assert r.blackout_s is not None and r.failover_s is not None and r.failover_s >= r.blackout_s - 0.2
    assert r.returned_to_primary is True
    assert r.failback_s is None  # unattended: no restore moment is known
    kinds = [e.kind for e in r.events]
    for k in ("baseline_done", "first_loss", "address_changed", "recovered", "failback"):
        assert k in kinds
    assert "time_limit" not in kinds  # it ended by itself once the primary held
    assert [c.phase for c in rec.phases] == [
        Phase.BASELINE,
        Phase.WATCH_OUTAGE,
        Phase.WATCH_RESTORE,
        Phase.DONE,
    ]
    assert not any(c.needs_confirm for c in rec.phases)
    assert rec.threads == {"drill-worker"}  # callbacks come on the drill's own thread
    assert rec.statuses and rec.statuses[-1].probes_sent > 0
    assert any(s.connected is False for s in rec.statuses)
    assert len(rec.samples) == len(r.timeline)
    assert [s.t for s in r.timeline] == sorted(s.t for s in r.timeline)
    kinds_seen = {s.probe.split(":")[0] for s in r.timeline}
    assert {"icmp", "tcp", "dns", "echo", "dnsecho"} <= kinds_seen
    # The bound: per second at most 10 x (reach + dns) + 10 x echoes (fast while unsteady).
    elapsed = (r.ended_at - r.started_at).total_seconds() if r.ended_at else 0
    assert r.probes_sent <= (elapsed + 1) * 10 * (3 + 1 + 2)


def test_interactive_drill_with_confirmations(peers: Peers) -> None:
    rec = Recorder()
    cfg = peers.config(stable_s=0.8, max_duration_s=25)
    session = DrillSession(cfg, targets=peers.targets(), listener=rec, baseline_s=1.0, tolerance_minutes=5)

    def on_phase(change: PhaseChange) -> None:
        def act() -> None:
            if change.phase == Phase.AWAIT_CUT:
                time.sleep(0.3)
                outage(peers)
            elif change.phase == Phase.WATCH_OUTAGE:
                time.sleep(1.2)
            elif change.phase == Phase.AWAIT_RESTORE:
                time.sleep(0.3)
                back(peers)
            session.confirm(change.phase)

        if change.needs_confirm and change.phase != Phase.WATCH_RESTORE:
            threading.Thread(target=act).start()

    rec.on_phase_hook = on_phase
    th, box = run_in_thread(session)
    th.join(30)
    r = box["r"]
    assert r.outcome == DrillOutcome.NO_FAILOVER  # the address never changed
    assert r.backup is None and r.failover_s is None
    assert r.time_to_first_loss_s is not None and r.time_to_first_loss_s >= 0
    assert r.blackout_s is not None and r.blackout_s > 1.0
    assert r.failback_s is not None and r.returned_to_primary is True
    assert r.dns_during_blackout is False
    assert "never moved" in (r.summary or "")
    assert [c.phase for c in rec.phases if c.needs_confirm] == [
        Phase.AWAIT_CUT,
        Phase.WATCH_OUTAGE,
        Phase.AWAIT_RESTORE,
        Phase.WATCH_RESTORE,
    ]
    assert all(c.prompt for c in rec.phases if c.needs_confirm)
    kinds = [e.kind for e in r.events]
    assert kinds.index("cut_requested") < kinds.index("first_loss") < kinds.index("restore_requested")


def test_confirm_for_another_phase_is_ignored(peers: Peers) -> None:
    session = DrillSession(peers.config(max_duration_s=3), targets=peers.targets(), baseline_s=0.5)
    session.confirm(Phase.AWAIT_RESTORE)  # not the current phase: no effect
    r = session.run()
    assert "cut_confirmed" not in [e.kind for e in r.events]
    assert "time_limit" in [e.kind for e in r.events]


def test_abort_keeps_what_was_recorded(peers: Peers) -> None:
    rec = Recorder()
    session = DrillSession(
        peers.config(max_duration_s=25),
        unattended=True,
        targets=peers.targets(),
        listener=rec,
        baseline_s=0.5,
    )

    def on_phase(change: PhaseChange) -> None:
        if change.phase == Phase.WATCH_OUTAGE:
            later(0.3, lambda: outage(peers))
            later(1.5, session.abort)

    rec.on_phase_hook = on_phase
    th, box = run_in_thread(session)
    th.join(10)
    assert not th.is_alive()
    r = box["r"]
    assert r.outcome == DrillOutcome.ABORTED
    assert r.blackout_s is not None and r.blackout_s > 0  # partial: the outage so far
    assert r.timeline and r.probes_sent > 0
    assert "aborted" in [e.kind for e in r.events]
    assert session.phase == Phase.DONE


def test_time_limit_without_outage(peers: Peers) -> None:
    session = DrillSession(
        peers.config(max_duration_s=2.5), unattended=True, targets=peers.targets(), baseline_s=0.5
    )
    r = session.run()
    assert r.outcome == DrillOutcome.NO_OUTAGE
    assert "time_limit" in [e.kind for e in r.events]
    assert r.primary is not None and r.primary.public_ip == "192.0.2.10"

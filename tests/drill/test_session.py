"""The drill runner: its script of phases, its probe schedule and its result.

Most tests run it on a fake clock (tests/drill/fake_clock.py) with scripted probes: a
drill of 20 seconds takes milliseconds, nothing sleeps, and the figures are exact. One
test runs it end to end against loopback peers with the real clock and real sockets: a
loopback "outage" is made by closing the peers (TCP anchors, DNS, echo); the ICMP anchor
(127.0.0.1) keeps answering, which also shows that one answering target cannot hide an
outage. A "failover" is the echo peers answering with another public address.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest

from readiness.config import Config, Drill
from readiness.drill.samplers import DrillTargets
from readiness.drill.session import DrillListener, DrillSession, DrillStatus, Phase, PhaseChange
from readiness.model.drill import DrillEvent, DrillOutcome, DrillResult, DrillSample
from tests.drill.fake_clock import START, FakeClock, LineScript, owners, scripted_samplers
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


def fake_drill(
    script: LineScript,
    *,
    unattended: bool = False,
    max_duration_s: float = 40.0,
    listener: DrillListener | None = None,
    tolerance_minutes: float | None = None,
) -> tuple[DrillSession, FakeClock]:
    """A drill on a fake clock whose every probe answers from ``script``."""
    clock = FakeClock()
    session = DrillSession(
        Config(drill=Drill(stable_s=0.8, max_duration_s=max_duration_s)),
        unattended=unattended,
        targets=DrillTargets(watch_vpn=False),
        listener=listener,
        baseline_s=1.0,
        tolerance_minutes=tolerance_minutes,
        extra_samplers=scripted_samplers(clock, script),
        clock=clock,
        lookup=owners(OWNERS),  # type: ignore[arg-type]
    )
    return session, clock


OWNERS = {"192.0.2.10": (64500, "PRIMARY-AS"), "192.0.2.20": (64501, "BACKUP-AS")}


def confirm_after(session: DrillSession, clock: FakeClock, seconds: float, phase: Phase) -> None:
    """The technician confirms ``phase`` ``seconds`` of drill time from now."""

    async def later() -> None:
        await clock.sleep(seconds)
        session.confirm(phase)

    asyncio.get_running_loop().create_task(later())


def test_unattended_failover_on_a_fake_clock() -> None:
    """The line drops at 5 s, traffic is back at 8 s on the backup's address, the primary
    returns at 12 s: every figure is the script's, to the probe interval."""
    script = LineScript(
        outages=[(5.0, 8.0)],
        addresses=[(0.0, "192.0.2.10"), (8.0, "192.0.2.20"), (12.0, "192.0.2.10")],
    )
    rec = Recorder()
    session, clock = fake_drill(script, unattended=True, listener=rec)
    r = session.run()
    assert r.outcome == DrillOutcome.FAILOVER_OK
    assert r.blackout_s is not None and 3.0 <= r.blackout_s <= 3.2
    assert r.time_to_first_loss_s is None  # unattended: no cut moment to count from
    assert r.primary is not None and r.primary.public_ip == "192.0.2.10" and r.primary.asn == 64500
    assert r.backup is not None and r.backup.public_ip == "192.0.2.20" and r.backup.asn == 64501
    assert r.same_provider is False and r.returned_to_primary is True
    assert [c.phase for c in rec.phases] == [
        Phase.BASELINE,
        Phase.WATCH_OUTAGE,
        Phase.WATCH_RESTORE,
        Phase.DONE,
    ]
    assert "time_limit" not in [e.kind for e in r.events]  # it ended once the primary held
    # It ended 0.8 s (stable_s) after the primary was back and seen, on the drill's clock.
    assert 12.8 <= clock.monotonic() <= 13.5
    assert r.started_at == START and r.ended_at == START + timedelta(seconds=clock.monotonic())
    assert len(rec.samples) == len(r.timeline)
    # The bound on what it sends: 10 ticks a second of 3 reachability probes, and the echo
    # every 0.5 s (every tick while the line is unsteady).
    assert r.probes_sent <= clock.monotonic() * 10 * (3 + 1) + 4


def test_interactive_drill_with_confirmations() -> None:
    rec = Recorder()
    script = LineScript(outages=[(3.0, 6.0)])  # the address never changes: no backup took over
    session, clock = fake_drill(script, listener=rec, tolerance_minutes=5)

    def on_phase(change: PhaseChange) -> None:
        delays = {Phase.AWAIT_CUT: 0.5, Phase.WATCH_OUTAGE: 2.0, Phase.AWAIT_RESTORE: 0.5}
        if change.phase in delays:
            confirm_after(session, clock, delays[change.phase], change.phase)

    rec.on_phase_hook = on_phase
    r = session.run()
    assert r.outcome == DrillOutcome.NO_FAILOVER
    assert r.backup is None and r.failover_s is None
    assert r.blackout_s is not None and 3.0 <= r.blackout_s <= 3.2
    assert r.failback_s is not None and r.returned_to_primary is True
    assert "never moved" in (r.summary or "")
    assert [c.phase for c in rec.phases if c.needs_confirm] == [
        Phase.AWAIT_CUT,
        Phase.WATCH_OUTAGE,
        Phase.AWAIT_RESTORE,
        Phase.WATCH_RESTORE,
    ]
    assert all(c.prompt for c in rec.phases if c.needs_confirm)
    kinds = [e.kind for e in r.events]
    assert kinds.index("cut_requested") < kinds.index("cut_confirmed") < kinds.index("first_loss")
    assert kinds.index("first_loss") < kinds.index("restore_requested") < kinds.index("restore_confirmed")


def test_confirm_for_another_phase_is_ignored() -> None:
    session, clock = fake_drill(LineScript(), max_duration_s=3)
    session.confirm(Phase.AWAIT_RESTORE)  # not the current phase: no effect
    r = session.run()
    kinds = [e.kind for e in r.events]
    assert "cut_confirmed" not in kinds and "time_limit" in kinds
    assert 3.0 <= clock.monotonic() <= 3.2  # the limit, on the drill's clock


def test_abort_keeps_what_was_recorded() -> None:
    rec = Recorder()
    session, clock = fake_drill(LineScript(outages=[(2.0, 30.0)]), unattended=True, listener=rec)

    def on_phase(change: PhaseChange) -> None:
        if change.phase == Phase.WATCH_OUTAGE:

            async def abort_later() -> None:
                await clock.sleep(3.5)
                session.abort()

            asyncio.get_running_loop().create_task(abort_later())

    rec.on_phase_hook = on_phase
    r = session.run()
    assert r.outcome == DrillOutcome.ABORTED
    assert r.blackout_s is not None and r.blackout_s > 0  # partial: the outage so far
    assert r.timeline and r.probes_sent > 0
    assert "aborted" in [e.kind for e in r.events]
    assert session.phase == Phase.DONE
    assert clock.monotonic() < 6.0  # within an interval or two of the abort


def test_time_limit_without_outage() -> None:
    session, _ = fake_drill(LineScript(), unattended=True, max_duration_s=2.5)
    r = session.run()
    assert r.outcome == DrillOutcome.NO_OUTAGE
    assert "time_limit" in [e.kind for e in r.events]
    assert r.primary is not None and r.primary.public_ip == "192.0.2.10" and r.primary.asn == 64500


def test_the_cut_is_asked_for_only_once_the_primarys_provider_is_known() -> None:
    """The provider's lookup takes 1.5 s of drill time: the prompt to pull the line waits for
    it, so a technician who pulls at once does not leave the drill without the primary's
    provider (and so unable to say whether the backup is another one)."""
    script = LineScript(outages=[(30.0, 31.0)])
    rec = Recorder()
    session, clock = fake_drill(script, listener=rec, max_duration_s=4.0)
    table = owners(OWNERS)

    async def slow_lookup(address: str, config: Config, resolver: object) -> object:
        await clock.sleep(1.5)
        return await table(address, config, resolver)  # type: ignore[operator]

    session._lookup_wan = slow_lookup  # type: ignore[assignment]
    r = session.run()
    baseline = next(e.t for e in r.events if e.kind == "baseline_done")
    asked = next(c.t for c in rec.phases if c.phase == Phase.AWAIT_CUT)
    assert asked >= baseline + 1.5
    assert r.primary is not None and r.primary.asn == 64500


def test_a_lookup_that_never_answers_holds_the_cut_back_for_a_bounded_time() -> None:
    script = LineScript(outages=[(30.0, 31.0)])
    rec = Recorder()
    session, _ = fake_drill(script, listener=rec, max_duration_s=10.0)

    async def never(address: str, config: Config, resolver: object) -> object:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    session._lookup_wan = never  # type: ignore[assignment]
    r = session.run()
    baseline = next(e.t for e in r.events if e.kind == "baseline_done")
    asked = next(c.t for c in rec.phases if c.phase == Phase.AWAIT_CUT)
    assert 3.0 <= asked - baseline <= 3.5  # LOOKUP_WAIT_S, then the drill goes on without it


def test_a_line_pulled_during_the_baseline_keeps_the_primary_the_line_it_was() -> None:
    """Unattended, the line drops at 0.3 s, before the 1 s baseline is over, and traffic comes
    back at 0.7 s through the backup. The primary is the address seen before the loss: taking
    the latest one made the backup the "primary" and read the failover backwards (seen in the
    lab tests on a busy machine, where the drill started late and the cut came early)."""
    script = LineScript(
        outages=[(0.3, 0.7)],
        addresses=[(0.0, "192.0.2.10"), (0.7, "192.0.2.20"), (6.0, "192.0.2.10")],
    )
    session, _ = fake_drill(script, unattended=True, max_duration_s=12.0)
    r = session.run()
    assert r.primary is not None and r.primary.public_ip == "192.0.2.10" and r.primary.asn == 64500
    assert r.backup is not None and r.backup.public_ip == "192.0.2.20"
    assert r.outcome == DrillOutcome.FAILOVER_OK

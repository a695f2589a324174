"""The router probe against misbehaving routers on loopback (tests/probes/router_peers.py):
each bounded in time and memory, the probe ``unknown`` with a reason that says what happened.

Time bounds are generous (a busy machine must pass). Memory is bounded by construction (a
body cap, a row budget) and shown here by what the peer managed to send or was asked; the
peak RSS figures are in ``python -m bench router``.
"""

from __future__ import annotations

import time

import pytest

from readiness.config import Config, Router
from readiness.model import Facts, Gateway, ProbeStatus
from readiness.probes.base import ProbeContext, ProbeOutcome
from readiness.probes.router import probe_router
from tests.probes import router_peers as peers

BUDGET_S = 1.0
SLACK_S = 4.0  # the probe's own budget plus room for a machine busy with other work


def _closed_udp_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((peers.HOST, 0))
        return int(s.getsockname()[1])


async def _probe(**router: object) -> tuple[ProbeOutcome[object], float, int]:
    router.setdefault("time_s", BUDGET_S)
    config = Config(router=Router(**router))  # type: ignore[arg-type]
    ctx = ProbeContext(config=config, facts=Facts(gateways=[Gateway(address=peers.HOST, family=4)]))
    started = time.monotonic()
    outcome = await probe_router(ctx)
    return outcome, time.monotonic() - started, 0  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (peers.igd_huge, "larger than 64 KiB"),
        (peers.igd_slow, "did not answer within the time budget"),
        (peers.igd_malformed, "malformed"),
        (peers.igd_bomb, "refused"),
    ],
    ids=["huge", "slow", "malformed", "entity-bomb"],
)
async def test_a_hostile_igd_is_bounded(behaviour: peers.Http, reason: str) -> None:
    async with peers.hostile_igd(behaviour) as (ssdp_port, stats):
        outcome, took, _ = await _probe(ssdp_port=ssdp_port, snmp_port=_closed_udp_port())
    assert stats.requests == 1, outcome.reason  # it was really asked
    assert outcome.status is ProbeStatus.UNKNOWN
    assert outcome.reason and reason in outcome.reason, outcome.reason
    assert took < BUDGET_S + SLACK_S
    if behaviour is peers.igd_huge:
        assert stats.sent < 16 * 1024 * 1024  # the probe stopped reading (the peer has 64 MB)


async def test_an_igd_pointing_elsewhere_is_not_followed() -> None:
    async with peers.hostile_igd(peers.igd_good, location_host="127.0.0.2") as (ssdp_port, stats):
        outcome, _, _ = await _probe(ssdp_port=ssdp_port, snmp=False)
    assert stats.requests == 0
    assert outcome.status is ProbeStatus.UNKNOWN


async def test_a_well_behaved_igd_on_loopback_is_read() -> None:
    async with peers.hostile_igd(peers.igd_good) as (ssdp_port, _):
        outcome, _, _ = await _probe(ssdp_port=ssdp_port, snmp=False)
    assert outcome.status is ProbeStatus.OK, outcome.reason
    assert outcome.value is not None
    router = outcome.value[0]  # type: ignore[index]
    assert router.identity.manufacturer == "Peer" and router.identity.serial == "S1"


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (peers.snmp_garbage, "no SNMP answer"),
        (peers.snmp_looping_walk, "went backwards"),
        (peers.snmp_endless_table, "larger than the row limit"),
    ],
    ids=["garbage", "looping-walk", "100000-rows"],
)
async def test_a_hostile_snmp_agent_is_bounded(behaviour: peers.Agent, reason: str) -> None:
    # The row limit is what must stop the endless table, not the clock: a small limit and a
    # budget a busy machine cannot exhaust first.
    budget = 5.0 if behaviour is peers.snmp_endless_table else BUDGET_S
    async with peers.hostile_snmp(behaviour) as (port, stats):
        outcome, took, _ = await _probe(snmp_port=port, igd=False, snmp_max_rows=500, time_s=budget)
    assert stats.requests >= 1
    assert outcome.status is ProbeStatus.UNKNOWN
    assert outcome.reason and reason in outcome.reason, outcome.reason
    assert took < budget + SLACK_S
    if behaviour is peers.snmp_endless_table:
        # 500 rows, 25 a request: the agent was asked about 20 times, not the 4,000 it would take.
        assert stats.requests < 60

"""The discovery runner, with injected probes that hang, raise or return garbage.

Fault injection is the point here: the real probes are tested against real peers in the
other files (and in the lab); these fakes prove that one bad probe cannot hold or break
the others. No real network probe runs in this file.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from readiness.config import Config
from readiness.discovery import PROBES, ProbeFn, discover_sync, load_probe
from readiness.model import (
    Endpoint,
    Facts,
    Gateway,
    Interface,
    InterfaceKind,
    ProbeStatus,
    Resolver,
    ResolverRole,
)
from readiness.probes.base import ProbeContext, ProbeOutcome, ProbeProgress

NAMES = [n for n, _ in PROBES]


def _config(probe_s: float = 0.5, discovery_s: float = 3.0) -> Config:
    cfg = Config()
    cfg.timeouts.probe_s = probe_s
    cfg.timeouts.discovery_s = discovery_s
    return cfg


async def ok_empty(ctx: ProbeContext) -> ProbeOutcome[Any]:
    return ProbeOutcome(value=[])


async def hangs(ctx: ProbeContext) -> ProbeOutcome[Any]:
    await asyncio.sleep(3600)
    raise AssertionError("unreachable")


async def raises(ctx: ProbeContext) -> ProbeOutcome[Any]:
    raise RuntimeError("boom")


async def returns_garbage(ctx: ProbeContext) -> ProbeOutcome[Any]:
    return "not an outcome"  # type: ignore[return-value]


async def returns_bad_value(ctx: ProbeContext) -> ProbeOutcome[Any]:
    return ProbeOutcome(value=[{"address": 42, "nonsense": True}])


async def gateways(ctx: ProbeContext) -> ProbeOutcome[list[Gateway]]:
    await asyncio.sleep(0.05)
    return ProbeOutcome(
        value=[Gateway(address="192.168.1.1", family=4, interface="eth0", preferred=True)],
        endpoints=[Endpoint(kind="icmp", target="192.168.1.1", purpose="router")],
    )


async def dns_reads_gateways(ctx: ProbeContext) -> ProbeOutcome[list[Resolver]]:
    """Stands for the DNS probe: it must see the gateways found before it."""
    gws = ctx.facts.gateways or []
    role = ResolverRole.ROUTER_PROXY if any(g.address == "192.168.1.1" for g in gws) else ResolverRole.UNKNOWN
    return ProbeOutcome(value=[Resolver(address="192.168.1.1", source="test", role=role)])


def _all(**overrides: ProbeFn) -> dict[str, ProbeFn]:
    fns: dict[str, ProbeFn] = dict.fromkeys(NAMES, ok_empty)
    fns["path"] = fns["power"] = fns["operations"] = _none_probe
    fns.update(overrides)
    return fns


async def _none_probe(ctx: ProbeContext) -> ProbeOutcome[Any]:
    return ProbeOutcome.skipped("not relevant in this test")


def test_one_bad_probe_each_kind_and_the_rest_completes() -> None:
    progress: list[ProbeProgress] = []
    facts = discover_sync(
        _config(),
        probes=_all(
            interfaces=hangs,
            wan=raises,
            path=returns_garbage,
            services=returns_bad_value,
            gateways=gateways,
            dns=dns_reads_gateways,
        ),
        on_progress=progress.append,
    )
    assert set(facts.probes) == set(NAMES)
    r = facts.probes
    assert r["interfaces"].status is ProbeStatus.UNKNOWN and "no result within 0.5 s" in (
        r["interfaces"].reason or ""
    )
    assert r["wan"].status is ProbeStatus.UNKNOWN and "RuntimeError: boom" in (r["wan"].reason or "")
    assert r["path"].status is ProbeStatus.UNKNOWN and "malformed" in (r["path"].reason or "")
    assert r["services"].status is ProbeStatus.UNKNOWN and "malformed" in (r["services"].reason or "")
    assert facts.interfaces is None and facts.wan is None and facts.path is None and facts.services is None
    # The healthy ones are intact.
    assert r["gateways"].status is ProbeStatus.OK and facts.gateways is not None
    assert facts.resolvers is not None and facts.resolvers[0].role is ResolverRole.ROUTER_PROXY
    assert facts.endpoints == [Endpoint(kind="icmp", target="192.168.1.1", purpose="router")]
    assert facts.hostname and facts.platform and facts.collected_at is not None
    # Progress: every probe said running, then done with its report.
    done = {p.name: p.report for p in progress if p.state == "done"}
    assert set(done) == set(NAMES) and all(rep is not None for rep in done.values())
    for name in NAMES:
        states = [p.state for p in progress if p.name == name]
        assert states == ["running", "done"]


def test_the_overall_bound_stops_stragglers() -> None:
    """probe_s is generous but discovery_s is not: the hung probes are cut by the overall limit."""
    facts = discover_sync(_config(probe_s=30, discovery_s=0.4), probes=_all(dns=hangs, power=hangs))
    for name in ("dns", "power"):
        rep = facts.probes[name]
        assert rep.status is ProbeStatus.UNKNOWN and "discovery time limit (0.4 s)" in (rep.reason or "")
    assert facts.probes["interfaces"].status is ProbeStatus.OK


def test_a_broken_progress_callback_does_not_stop_discovery() -> None:
    def broken(_: ProbeProgress) -> None:
        raise ValueError("display crashed")

    facts = discover_sync(_config(), probes=_all(), on_progress=broken)
    assert facts.probes["interfaces"].status is ProbeStatus.OK


def test_only_reruns_some_probes_and_merges_into_base() -> None:
    base = Facts(
        interfaces=[Interface(name="eth0", kind=InterfaceKind.ETHERNET, is_up=True)],
        gateways=[Gateway(address="192.168.1.1", family=4)],
        endpoints=[Endpoint(kind="dns", target="old", purpose="kept")],
    )
    base.probes = discover_sync(_config(), probes=_all()).probes
    facts = discover_sync(_config(), only=["dns"], base=base, probes={"dns": dns_reads_gateways})
    assert facts.interfaces == base.interfaces  # untouched
    assert (
        facts.resolvers is not None and facts.resolvers[0].role is ResolverRole.ROUTER_PROXY
    )  # base gateways used
    assert set(facts.probes) == set(NAMES)
    assert facts.endpoints[0].target == "old"
    assert base.resolvers is None  # base itself is not modified


def test_unknown_probe_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="nope"):
        discover_sync(_config(), only=["nope"])


def test_missing_probe_module_is_reported_not_available(monkeypatch: pytest.MonkeyPatch) -> None:
    from readiness import discovery

    monkeypatch.setitem(discovery.LOCATIONS, "power", ("readiness.probes.does_not_exist", "probe_power"))
    fn = load_probe("power")
    outcome = asyncio.run(fn(ProbeContext(config=Config())))
    assert outcome.status is ProbeStatus.UNKNOWN and (outcome.reason or "").startswith("not available")


def test_offline_flag_reaches_facts_and_probes() -> None:
    seen: list[bool] = []

    async def record(ctx: ProbeContext) -> ProbeOutcome[Any]:
        seen.append(ctx.offline)
        return ProbeOutcome.skipped("offline: no public lookups")

    facts = discover_sync(_config(), offline=True, probes=_all(wan=record))
    assert facts.offline and seen == [True]
    assert facts.probes["wan"].status is ProbeStatus.SKIPPED


def test_nat_flags_are_filled_from_the_path() -> None:
    from readiness.model import Hop, PathFacts, WanIdentity

    async def wan(ctx: ProbeContext) -> ProbeOutcome[Any]:
        return ProbeOutcome(value=[WanIdentity(family=4, public_ip="198.51.100.7")])

    async def path(ctx: ProbeContext) -> ProbeOutcome[Any]:
        hops = [
            Hop(ttl=1, address="192.168.1.1"),
            Hop(ttl=2, address="10.0.0.1"),
            Hop(ttl=3, address="198.51.100.1"),
        ]
        return ProbeOutcome(value=PathFacts(target="198.51.100.1", hops=hops))

    facts = discover_sync(_config(), probes=_all(wan=wan, path=path))
    assert facts.wan is not None and facts.wan[0].double_nat is True and facts.wan[0].cgnat is False


def test_a_blocked_worker_thread_does_not_hold_the_result() -> None:
    """Like a libc name lookup with the DNS dead: the thread outlives its probe's limit.

    discover_sync must return while that thread is still blocked (asyncio.run would wait).
    """
    import threading

    release = threading.Event()
    finished = threading.Event()

    def blocking() -> None:
        release.wait(30)
        finished.set()

    async def stuck_in_thread(ctx: ProbeContext) -> ProbeOutcome[Any]:
        await asyncio.to_thread(blocking)
        return ProbeOutcome(value=[])

    try:
        facts = discover_sync(_config(probe_s=0.3), probes=_all(services=stuck_in_thread))
        assert not finished.is_set()  # we came back without waiting for the thread
        assert "no result within 0.3 s" in (facts.probes["services"].reason or "")
    finally:
        release.set()


def test_a_probe_that_swallows_cancellation_is_still_bounded() -> None:
    async def stubborn(ctx: ProbeContext) -> ProbeOutcome[Any]:
        for _ in range(100):
            try:
                await asyncio.sleep(0.1)
            except asyncio.CancelledError:
                continue  # misbehaves on purpose: ignores being cancelled
        return ProbeOutcome(value=[])

    facts = discover_sync(_config(probe_s=0.2, discovery_s=0.5), probes=_all(services=stubborn))
    rep = facts.probes["services"]
    assert rep.status is ProbeStatus.UNKNOWN and "discovery time limit" in (rep.reason or "")
    assert facts.probes["interfaces"].status is ProbeStatus.OK

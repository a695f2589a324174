"""Discovery inside the office lab, compared with the lab's ground truth.

The probes run in the office namespace (``lab.exec``), so every packet stays in the lab.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import pytest

from readiness.addresses import is_private
from readiness.model import Facts, InterfaceKind, ProbeStatus, ResolverRole
from readiness.probes.quality import split_host_port
from tests.lab import Lab

DISCOVER = (
    "import sys; from pathlib import Path; from readiness.config import load_config; "
    "from readiness.discovery import discover_sync; "
    "f = discover_sync(load_config(Path(sys.argv[1])), offline=sys.argv[2] == 'offline'); "
    "print(f.model_dump_json())"
)


def run_discovery(lab: Lab, *, offline: bool = False) -> Facts:
    done = lab.exec(
        [sys.executable, "-c", DISCOVER, str(lab.config_path), "offline" if offline else "online"], timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return Facts.model_validate(json.loads(done.stdout))


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_discovery_reports_the_lab_as_it_is(lab: Lab) -> None:
    truth: dict[str, Any] = lab.truth
    facts = run_discovery(lab)
    assert set(facts.probes) >= {"interfaces", "gateways", "dns", "wan", "path"}
    for name in ("interfaces", "gateways", "dns", "wan", "path"):
        assert facts.probes[name].status is ProbeStatus.OK, facts.probes[name]

    office = truth["office"]
    assert facts.interfaces is not None
    eth = next(i for i in facts.interfaces if i.name == office["interface"])
    assert eth.is_up and eth.kind is InterfaceKind.ETHERNET
    assert office["address"] in [a.address for a in eth.addresses]

    assert facts.gateways is not None
    (gw,) = [g for g in facts.gateways if g.family == 4]
    assert (gw.address, gw.interface, gw.preferred, gw.reachable) == (office["gateway"], "eth0", True, True)
    assert gw.mac is not None and gw.rtt_ms is not None

    assert facts.resolvers is not None
    (res,) = facts.resolvers
    assert (res.address, res.role, res.reachable) == (office["resolver"], ResolverRole.ROUTER_PROXY, True)

    primary = truth["lines"]["primary"]
    assert facts.wan is not None
    (v4,) = facts.wan
    assert v4.public_ip == primary["public_ip"] and v4.disagreement is None
    assert len(v4.methods) == 4  # two DNS echoes and two HTTP(S) echoes agree
    assert (v4.asn, v4.as_name, v4.prefix) == (primary["asn"], primary["as_name"], primary["prefix"])
    assert v4.reverse_dns == primary["reverse_dns"]
    assert v4.access_hint.value == primary["access"]
    assert (v4.cgnat, v4.double_nat) == (False, False)
    assert v4.local_address == office["address"]

    assert facts.path is not None
    hops = facts.path.hops
    assert hops[0].address == office["gateway"] and hops[0].private is True
    assert hops[1].address == primary["next_hop"] and hops[1].asn == primary["asn"]
    assert hops[-1].address == facts.path.target
    assert {q.target for q in facts.path.quality} >= set(truth["anchors"])
    assert all(q.received > 0 for q in facts.path.quality)

    targets = {e.target for e in facts.endpoints}
    assert office["gateway"] in targets and any(primary["public_ip"] in t for t in targets)


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_offline_contacts_only_the_local_network(lab: Lab) -> None:
    facts = run_discovery(lab, offline=True)
    assert facts.offline
    for name in ("wan", "path"):
        assert facts.probes[name].status is ProbeStatus.SKIPPED
        assert facts.probes[name].reason == "offline: no public lookups"
    assert facts.resolvers is not None and facts.resolvers[0].reachable is True
    for ep in facts.endpoints:
        host, _ = split_host_port(ep.target, 0)
        assert is_private(host), ep


def test_phone_tethering_is_recognised(lab_factory: Callable[[str], Lab]) -> None:
    lab = lab_factory("tethered")
    tether = lab.truth["tether"]
    facts = run_discovery(lab)
    assert facts.interfaces is not None
    usb = next(i for i in facts.interfaces if i.name == tether["interface"])
    assert usb.kind is InterfaceKind.TETHERING and usb.tethering_hint
    assert facts.gateways is not None
    by_addr = {g.address: g for g in facts.gateways}
    assert by_addr[tether["gateway"]].metric == tether["metric"] and not by_addr[tether["gateway"]].preferred
    assert by_addr[lab.truth["office"]["gateway"]].preferred


def test_dead_internet_is_unknown_with_reasons_not_a_hang(lab_factory: Callable[[str], Lab]) -> None:
    lab = lab_factory("dead")
    facts = run_discovery(lab)
    assert facts.gateways is not None and facts.gateways[0].reachable is True  # the router is still there
    assert facts.probes["wan"].status is ProbeStatus.UNKNOWN
    assert facts.probes["wan"].reason == "no echo service answered"
    assert facts.resolvers is not None and facts.resolvers[0].reachable is False
    assert facts.path is not None and facts.path.hops[0].address == lab.truth["office"]["gateway"]
    assert all(q.received == 0 for q in facts.path.quality)

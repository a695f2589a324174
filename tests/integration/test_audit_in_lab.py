"""`readiness audit` (and a failover drill) run inside each lab scenario, against the truth.

Each scenario's answers file (``lab.answers_path``) holds what its owner would declare about
what no machine can see; the drill, where there is a line to cut, measures the rest. The
verdicts must match ``lab.expected_findings``; the facts must match ``lab.truth``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from readiness.model import Audit, Finding
from tests.integration.helpers import AUDIT_LIMIT_S, cut_and_restore, judge, run_audit, run_drill
from tests.lab import Lab
from tests.lab.fixtures import LabPool
from tests.lab.scenarios import DECLARED_SERVICES

pytestmark = pytest.mark.slow


def _verdicts(findings: dict[str, Any], expected: dict[str, str]) -> dict[str, str]:
    return {cid: findings[cid].verdict.value for cid in expected}


def _summaries(findings: dict[str, Any], expected: dict[str, str]) -> str:
    return "\n".join(f"{cid}: {findings[cid].verdict.value} - {findings[cid].summary}" for cid in expected)


def _wan4(audit: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in audit["facts"]["wan"] or [] if w["family"] == 4 and w["public_ip"]]


DRILLED = ("single", "dual", "dual-shared", "manual")


@dataclass
class Drilled:
    lab: Lab
    audit: dict[str, Any]  # the audit JSON as written before the drill
    findings: dict[str, Finding]  # after the drill, re-judged
    saved: Audit
    log: str


@pytest.fixture(scope="module")
def drilled(
    lab_pool: LabPool, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Drilled | BaseException]]:
    """Audit + failover drill in the four scenarios with a line to cut, all at once.

    The four labs are independent namespaces, so their drills run side by side (about 10 s
    instead of 40). A failure is kept and raised by the test of that scenario.
    """
    labs = lab_pool.get_many(DRILLED)
    results: dict[str, Drilled | BaseException] = {}

    outs = {name: tmp_path_factory.mktemp(name) / "audit.json" for name in DRILLED}  # not thread-safe

    def one(name: str) -> None:
        lab, out = labs[name], outs[name]
        try:
            audit, _ = run_audit(lab, out, lab.answers_path)
            log = run_drill(lab, out, cut_and_restore())
            findings, saved = judge(out)
            results[name] = Drilled(lab, audit, findings, saved, log)
        except BaseException as exc:  # reported by the scenario's own test
            results[name] = exc

    threads = [threading.Thread(target=one, args=(name,)) for name in DRILLED]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    yield results
    for lab in labs.values():
        lab.reset()


def _get(drilled: dict[str, Drilled | BaseException], name: str) -> Drilled:
    res = drilled.get(name)
    if not isinstance(res, Drilled):
        raise AssertionError(f"audit + drill failed in {name}: {res!r}") from res
    return res


def test_single_line_fails(drilled: dict[str, Drilled | BaseException]) -> None:
    d = _get(drilled, "single")
    lab, audit, findings = d.lab, d.audit, d.findings
    facts = audit["facts"]
    assert [g["address"] for g in facts["gateways"]] == [lab.truth["office"]["gateway"]]
    wan = _wan4(audit)
    assert [w["public_ip"] for w in wan] == [lab.truth["public_ips"]["primary"]]
    assert wan[0]["asn"] == lab.truth["asns"]["primary"]
    assert facts["power"]["ups"] == []  # looked, found nothing
    assert d.saved.drills[-1].outcome.value == "no_failover", d.log
    assert _verdicts(findings, lab.expected_findings) == lab.expected_findings, _summaries(
        findings, lab.expected_findings
    )


def test_dual_lines_and_ups_pass(drilled: dict[str, Drilled | BaseException]) -> None:
    d = _get(drilled, "dual")
    lab, findings = d.lab, d.findings
    ups = d.audit["facts"]["power"]["ups"]
    assert [(u["name"], u["status"]) for u in ups] == [(lab.truth["ups"]["name"], ["OL"])]
    drill = d.saved.drills[-1]
    assert drill.primary is not None and drill.backup is not None, d.log
    assert (drill.primary.public_ip, drill.backup.public_ip) == (
        lab.truth["public_ips"]["primary"],
        lab.truth["public_ips"]["backup"],
    )
    assert _verdicts(findings, lab.expected_findings) == lab.expected_findings, _summaries(
        findings, lab.expected_findings
    )


def test_declared_cloud_services_are_checked(drilled: dict[str, Drilled | BaseException]) -> None:
    """The office's declared services resolve through its router and answer HTTPS in the lab."""
    d = _get(drilled, "dual")
    seen = {s["id"]: s for s in d.audit["facts"]["services"]}
    assert set(seen) == set(DECLARED_SERVICES)
    for svc in seen.values():
        assert "declared" in svc["detected_by"]
        assert svc["dns_ok"] is True and svc["reachable"] is True, svc


def test_shared_provider_is_detected(drilled: dict[str, Drilled | BaseException]) -> None:
    d = _get(drilled, "dual-shared")
    findings, lab = d.findings, d.lab
    drill = d.saved.drills[-1]
    assert findings["WAN-002"].conflict, (
        f"the declared 'different provider' must be contradicted; drill saw {drill.primary!r} then "
        f"{drill.backup!r}\n{d.log}"
    )
    assert _verdicts(findings, lab.expected_findings) == lab.expected_findings, (
        _summaries(findings, lab.expected_findings) + "\n" + d.log
    )


def test_manual_failover_fails_the_drill(drilled: dict[str, Drilled | BaseException]) -> None:
    d = _get(drilled, "manual")
    findings, lab = d.findings, d.lab
    assert findings["FO-001"].conflict, "the declared 'automatic' must be contradicted"
    assert _verdicts(findings, lab.expected_findings) == lab.expected_findings, (
        _summaries(findings, lab.expected_findings) + "\n" + d.log
    )


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_ups_on_battery_is_seen_by_the_audit(lab: Lab, tmp_path: Path) -> None:
    lab.ups_on_battery(charge=60, runtime_s=600)
    for _ in range(30):
        audit, _ = run_audit(lab, tmp_path / "audit.json")
        ups = audit["facts"]["power"]["ups"]
        if ups and "OB" in ups[0]["status"]:
            break
    assert ups[0]["status"] == ["OB", "DISCHRG"]
    assert ups[0]["charge_pct"] == 60


@pytest.mark.parametrize("lab", ["dead"], indirect=True)
def test_dead_internet_is_reported_in_bounded_time(lab: Lab, tmp_path: Path) -> None:
    # run_audit gives the whole audit AUDIT_LIMIT_S; a dead network must not stretch it.
    audit, took = run_audit(lab, tmp_path / "audit.json", lab.answers_path)
    assert took < AUDIT_LIMIT_S
    facts = audit["facts"]
    assert not _wan4(audit)
    assert facts["probes"]["wan"]["status"] in ("unknown", "partial")
    assert [r["reachable"] for r in facts["resolvers"]] == [False]
    assert all(q["received"] == 0 for q in facts["path"]["quality"])
    findings, _ = judge(tmp_path / "audit.json")
    assert _verdicts(findings, lab.expected_findings) == lab.expected_findings, _summaries(
        findings, lab.expected_findings
    )


@pytest.mark.parametrize("lab", ["tethered"], indirect=True)
def test_tethered_backup_is_flagged(lab: Lab, tmp_path: Path) -> None:
    audit, _ = run_audit(lab, tmp_path / "audit.json", lab.answers_path)
    ifaces = {i["name"]: i for i in audit["facts"]["interfaces"]}
    assert ifaces["usb0"]["kind"] == "tethering"
    gws = {(g["address"], g["interface"]) for g in audit["facts"]["gateways"]}
    assert (lab.truth["tether"]["gateway"], "usb0") in gws
    findings, _ = judge(tmp_path / "audit.json")
    assert _verdicts(findings, lab.expected_findings) == lab.expected_findings, _summaries(
        findings, lab.expected_findings
    )

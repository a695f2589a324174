"""Power and services probes inside the office lab: the router's upsd, the lab's cloud."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import pytest

from tests.lab.lab import Lab

POWER = """
import asyncio, json, sys
from pathlib import Path
from readiness.config import load_config
from readiness.model import Facts, Gateway
from readiness.probes.base import ProbeContext
from readiness.probes.power import probe_power
gw = Gateway(address=sys.argv[2], family=4, interface="eth0")
ctx = ProbeContext(config=load_config(Path(sys.argv[1])), facts=Facts(gateways=[gw]))
o = asyncio.run(probe_power(ctx))
print(json.dumps({"status": o.status, "reason": o.reason, "value": o.value.model_dump() if o.value else None,
                  "endpoints": [e.model_dump() for e in o.endpoints]}))
"""

SERVICES = """
import asyncio, json, sys
from pathlib import Path
from readiness.config import load_config
from readiness.probes.base import ProbeContext
from readiness.probes.services import probe_services
resolv = Path(sys.argv[3]); resolv.write_text(f"nameserver {sys.argv[2]}\\n")
ctx = ProbeContext(config=load_config(Path(sys.argv[1])), resolv_conf=resolv,
                   declared_services=frozenset(sys.argv[4].split(",")))
o = asyncio.run(probe_services(ctx))
print(json.dumps({"status": o.status, "reason": o.reason, "value": [v.model_dump() for v in o.value or []]}))
"""


def _run(lab: Lab, code: str, *args: str) -> dict[str, Any]:
    done = lab.exec([sys.executable, "-c", code, *args], timeout=60)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _lab_nut_units(lab: Lab) -> list[dict[str, Any]]:
    office = lab.truth["office"]
    result = _run(lab, POWER, str(lab.config_path), office["gateway"])
    assert result["value"] is not None, result
    return [
        u for u in result["value"]["ups"] if u["source"] == "nut" and u["host"].startswith(office["gateway"])
    ]


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_router_upsd_found_through_the_gateway_then_on_battery(lab: Lab) -> None:
    ups = lab.truth["ups"]
    [unit] = _lab_nut_units(lab)
    assert unit["name"] == ups["name"] and unit["status"][0] == "OL"
    assert unit["model"] == ups["model"]

    lab.ups_on_battery(charge=42, runtime_s=600)
    deadline = time.monotonic() + 10  # upsd relays the driver's change within about a second
    while time.monotonic() < deadline:
        [unit] = _lab_nut_units(lab)
        if "OB" in unit["status"]:
            break
        time.sleep(0.3)
    assert "OB" in unit["status"] and unit["charge_pct"] == 42.0 and unit["runtime_s"] == 600.0


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_declared_services_reached_in_the_lab_cloud(
    lab: Lab, tmp_path_factory: pytest.TempPathFactory
) -> None:
    resolv = tmp_path_factory.mktemp("resolv") / "resolv.conf"
    declared = "exchange_online,teams_phone,xero,salesforce"
    result = _run(lab, SERVICES, str(lab.config_path), lab.truth["office"]["resolver"], str(resolv), declared)
    by_id = {v["id"]: v for v in result["value"]}
    assert set(declared.split(",")) <= set(by_id)
    for sid in declared.split(","):
        obs = by_id[sid]
        assert obs["dns_ok"] is True and obs["reachable"] is True, obs
        assert obs["http_status"] is not None and obs["latency_ms"] is not None


@pytest.mark.parametrize("lab", ["dead"], indirect=True)
def test_services_with_the_internet_gone(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> None:
    resolv = tmp_path_factory.mktemp("resolv") / "resolv.conf"
    started = time.monotonic()
    result = _run(lab, SERVICES, str(lab.config_path), lab.truth["office"]["resolver"], str(resolv), "xero")
    # The lab config declares its own services too; every one of them must fail cleanly.
    by_id = {v["id"]: v for v in result["value"]}
    assert "xero" in by_id
    for obs in by_id.values():
        assert obs["reachable"] is not True and obs["error"], obs
    print(
        f"services probe with the internet gone: {time.monotonic() - started:.2f} s (incl. interpreter start)"
    )

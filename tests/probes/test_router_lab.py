"""The router probe against the lab router's real snmpd and miniupnpd (tests/lab/router_agents.py)."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import pytest

from tests.lab import router_agents
from tests.lab.lab import Lab

pytestmark = pytest.mark.lab

ROUTER = """
import asyncio, json, sys
from pathlib import Path
from readiness.config import load_config
from readiness.model import Facts, Gateway
from readiness.probes.base import ProbeContext
from readiness.probes.router import probe_router
config = load_config(Path(sys.argv[1]))
if sys.argv[3] == "v2c":
    config.router.snmp_v3 = []  # the default: the community `public` only
gw = Gateway(address=sys.argv[2], family=4, interface="eth0")
o = asyncio.run(probe_router(ProbeContext(config=config, facts=Facts(gateways=[gw]))))
print(json.dumps({"status": o.status, "reason": o.reason,
                  "value": [v.model_dump(mode="json") for v in o.value] if o.value is not None else None}))
"""


@pytest.fixture(autouse=True)
def _agents() -> None:
    ok, why = router_agents.available()
    if not ok:
        pytest.skip(why)


def _ask(lab: Lab, how: str = "v3") -> dict[str, Any]:
    done = lab.exec([sys.executable, "-c", ROUTER, str(lab.config_path), lab.truth["office"]["gateway"], how])
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _lines(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    assert result["value"], result
    return {line["interface"]: line for line in result["value"][0]["wan_lines"]}


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_dual_router_shows_its_model_and_both_lines(lab: Lab) -> None:
    result = _ask(lab)
    assert result["status"] == "ok", result
    router = result["value"][0]
    assert router["identity"]["model"].startswith(router_agents.MODEL)
    assert router["identity"]["serial"] == router_agents.SERIAL
    assert router["credential"] == "SNMP v3 user 1 of the config"
    assert sorted(router["answered"]) == ["igd", "snmp"]
    lines = _lines(result)
    assert set(lines) == {"wana", "wanb"}
    assert lines["wana"]["addresses"] == [lab.truth["lines"]["primary"]["public_ip"]]
    assert lines["wanb"]["addresses"] == [lab.truth["lines"]["backup"]["public_ip"]]
    assert lines["wana"]["state"] == lines["wanb"]["state"] == "up"
    assert lines["wana"]["default_route"] is True and lines["wanb"]["default_route"] is False
    assert "igd" in lines["wana"]["seen_by"]


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_the_default_community_works_and_is_named_not_shown(lab: Lab) -> None:
    result = _ask(lab, "v2c")
    assert result["value"][0]["credential"] == "the default SNMP v2c community"
    assert "public" not in json.dumps(result["value"][0]["credential"])


@pytest.mark.parametrize("lab", ["dual"], indirect=True)
def test_a_cut_backup_shows_down_and_the_audit_says_so_without_answers(lab: Lab, tmp_path: Any) -> None:
    out = tmp_path / "audit.json"
    lab.cut("backup", how="link")
    # snmpd caches its interface table for a few seconds (as routers' agents do): ask until
    # it has seen the cut, for at most 15 s.
    deadline = time.monotonic() + 15
    while (lines := _lines(_ask(lab)))["wanb"]["state"] != "down" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert lines["wanb"]["state"] == "down" and lines["wana"]["state"] == "up"
    done = lab.exec(
        [
            sys.executable,
            "-m",
            "readiness",
            "audit",
            "--config",
            str(lab.config_path),
            "--format",
            "json",
            "-o",
            str(out),
        ],
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr
    audit = json.loads(out.read_text())
    verdicts = {f["check_id"]: f for f in audit["findings"]}
    assert verdicts["WAN-001"]["verdict"] == "pass", verdicts["WAN-001"]
    assert "seen on the router" in verdicts["WAN-001"]["summary"]
    assert verdicts["WAN-010"]["verdict"] == "fail"
    assert "down today and nobody was told" in verdicts["WAN-010"]["summary"]
    secrets = (router_agents.V3_AUTH, router_agents.V3_PRIV)
    assert not any(s in out.read_text() for s in secrets)


@pytest.mark.parametrize("lab", ["single"], indirect=True)
def test_single_router_shows_one_line(lab: Lab) -> None:
    lines = _lines(_ask(lab))
    assert list(lines) == ["wana"]
    assert lines["wana"]["state"] == "up"

"""The operations probe: real child processes named like agents, a real tunnel in a netns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from readiness.config import Config
from readiness.model import ProbeStatus
from readiness.probes import operations as ops
from readiness.probes.base import ProbeContext
from readiness.probes.operations import (
    MONITORING_AGENTS,
    VPN_CLIENTS,
    match_named,
    probe_operations,
    up_tunnels,
)

REPO = Path(__file__).resolve().parents[2]


def test_match_named_is_case_insensitive_and_exact() -> None:
    assert match_named(MONITORING_AGENTS, {"ZABBIX_AGENT2", "bash"}) == ["Zabbix agent"]
    assert match_named(MONITORING_AGENTS, {"zabbix_agent2d"}) == []
    assert match_named(VPN_CLIENTS, {"PanGPS.exe", "tailscaled"}) == ["Palo Alto GlobalProtect", "Tailscale"]


def test_a_generic_agent_exe_alone_proves_nothing() -> None:
    assert match_named(MONITORING_AGENTS, {"agent.exe"}) == []
    assert "Datadog Agent" in match_named(MONITORING_AGENTS, {"agent.exe", "trace-agent.exe"})


def test_up_tunnels() -> None:
    stats = {"eth0": True, "tun0": True, "wg-office": True, "tap1": False, "tailscale0": True, "lo": True}
    assert up_tunnels(stats) == ["tailscale0", "tun0", "wg-office"]


@pytest.fixture
def fake_programs(tmp_path: Path) -> Iterator[None]:
    """Real processes under agent and VPN client names: /bin/sleep copied and renamed."""
    procs = []
    for name in ("zabbix_agentd", "openvpn", "tailscaled"):
        exe = tmp_path / name
        shutil.copy("/bin/sleep", exe)
        procs.append(subprocess.Popen([str(exe), "60"]))
    try:
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


async def test_probe_sees_running_agents_and_clients(fake_programs: None) -> None:
    outcome = await probe_operations(ProbeContext(config=Config(), offline=True))
    assert outcome.status is ProbeStatus.OK
    facts = outcome.value
    assert facts is not None
    assert "Zabbix agent" in facts.monitoring_agents
    assert {"OpenVPN", "Tailscale"} <= set(facts.vpn_clients)
    assert outcome.endpoints == []  # nothing contacted


async def test_unreadable_interfaces_make_it_partial(monkeypatch: pytest.MonkeyPatch) -> None:
    def denied() -> dict[str, object]:
        raise PermissionError("denied")

    monkeypatch.setattr(ops.psutil, "net_if_stats", denied)
    outcome = await probe_operations(ProbeContext(config=Config()))
    assert outcome.status is ProbeStatus.PARTIAL and outcome.reason == "could not read network interfaces"
    assert outcome.value is not None and outcome.value.tunnels == []


def _root_with_ip() -> str | None:
    if os.geteuid() != 0:
        return "needs root to create a network namespace with a tun device"
    if shutil.which("ip") is None:
        return "needs ip (iproute2)"
    if not Path("/dev/net/tun").exists():
        return "needs /dev/net/tun"
    return None


@pytest.mark.lab
@pytest.mark.skipif(_root_with_ip() is not None, reason=_root_with_ip() or "")
def test_up_tunnel_seen_inside_a_namespace() -> None:
    """A real tun device, up, in a throwaway namespace; the probe runs inside it."""
    ns = f"rdy-ops-{uuid.uuid4().hex[:8]}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(["ip", "-n", ns, "tuntap", "add", "dev", "tun7", "mode", "tun"], check=True)
        subprocess.run(["ip", "-n", ns, "link", "set", "tun7", "up"], check=True)
        subprocess.run(["ip", "-n", ns, "tuntap", "add", "dev", "tap9", "mode", "tap"], check=True)  # down
        # A tun's link is "running" only while a program holds it, as a VPN client does.
        code = (
            "import asyncio, fcntl, json, os, struct\n"
            "fd = os.open('/dev/net/tun', os.O_RDWR)\n"
            "fcntl.ioctl(fd, 0x400454CA, struct.pack('16sH', b'tun7', 0x0001 | 0x1000))\n"
            "from readiness.config import Config\n"
            "from readiness.probes.base import ProbeContext\n"
            "from readiness.probes.operations import probe_operations\n"
            "o = asyncio.run(probe_operations(ProbeContext(config=Config(), offline=True)))\n"
            "print(json.dumps(o.value.model_dump()))\n"
        )
        done = subprocess.run(
            ["ip", "netns", "exec", ns, sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO,
            check=True,
        )
        facts = json.loads(done.stdout)
        assert facts["tunnels"] == ["tun7"]
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)

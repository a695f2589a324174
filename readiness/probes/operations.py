"""Operations: monitoring agents and VPN clients running here, and tunnels that are up.

Everything is read locally (process list, interface list); nothing is contacted, so the
probe behaves the same with ``--offline``. The tables are data: an agent is known by the
executable names its vendor installs on Linux, Windows and macOS. A tunnel counts as up
when psutil says so, which on Linux means administratively up *and* running: a tun device
that no VPN program holds open is not counted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping

import psutil

from readiness.model import OperationsFacts, ProbeStatus
from readiness.probes.base import ProbeContext, ProbeOutcome

# Display name -> executable names (matched case-insensitively and exactly).
MONITORING_AGENTS: dict[str, tuple[str, ...]] = {
    "Zabbix agent": ("zabbix_agentd", "zabbix_agent2", "zabbix_agentd.exe", "zabbix_agent2.exe"),
    "Prometheus node_exporter": ("node_exporter", "windows_exporter.exe"),
    "Telegraf": ("telegraf", "telegraf.exe"),
    "Datadog Agent": ("datadog-agent", "agent.exe", "trace-agent", "trace-agent.exe"),
    "Nagios NRPE": ("nrpe", "nrpe.exe"),
    "NSClient++": ("nscp.exe",),
    "Checkmk agent": ("check_mk_agent", "check_mk_agent.exe", "cmk-agent-ctl", "cmk-agent-ctl.exe"),
    "PRTG probe": ("PRTG Probe.exe",),
    "NinjaOne (NinjaRMM) agent": ("NinjaRMMAgent.exe", "NinjaRMMAgentPatcher.exe", "ninjarmm-linagent"),
    "Datto RMM agent": ("AEMAgent.exe", "CagService.exe"),
    "ConnectWise Automate agent": ("LTSVC.exe", "LTSvcMon.exe", "LTTray.exe"),
    "Kaseya VSA agent": ("AgentMon.exe",),
    "N-able agent": ("agent.exe", "BASupSrvc.exe", "N-able.exe"),
    "Atera agent": ("AteraAgent.exe",),
    "Site24x7 agent": ("Site24x7WindowsAgent.exe", "Site24x7Agent", "site24x7agent"),
    "Netdata": ("netdata",),
    "Uptime Kuma": ("uptime-kuma",),
    "Elastic Agent": ("elastic-agent", "elastic-agent.exe"),
    "Grafana Agent / Alloy": ("grafana-agent", "alloy", "grafana-agent.exe", "alloy.exe"),
    "New Relic infrastructure agent": ("newrelic-infra", "newrelic-infra.exe"),
    "SNMP agent": ("snmpd",),
}

VPN_CLIENTS: dict[str, tuple[str, ...]] = {
    "OpenVPN": ("openvpn", "openvpn.exe", "openvpn-gui.exe", "OpenVPNConnect.exe", "OpenVPN Connect"),
    "WireGuard": ("wireguard.exe", "wireguard-go", "WireGuard"),
    "Cisco Secure Client / AnyConnect": ("vpnagentd", "vpnagent.exe", "vpnui.exe", "csc_ui.exe"),
    "Palo Alto GlobalProtect": ("PanGPA", "PanGPS", "PanGPA.exe", "PanGPS.exe", "GlobalProtect"),
    "FortiClient": ("FortiClient.exe", "FortiTray.exe", "FortiSSLVPNdaemon.exe", "FortiClient"),
    "Tailscale": ("tailscaled", "tailscaled.exe", "tailscale-ipn.exe", "Tailscale"),
    "ZeroTier": ("zerotier-one", "zerotier-one_x64.exe", "ZeroTier"),
    "strongSwan (IPsec)": ("charon", "charon-systemd", "starter"),
    "Libreswan (IPsec)": ("pluto",),
    "NordVPN / NordLayer": ("nordvpnd", "nordvpn-service.exe", "NordLayer.exe", "nordlayer"),
    "OpenConnect": ("openconnect",),
    "SonicWall NetExtender": ("NEService.exe", "netextender"),
    "Check Point endpoint VPN": ("TracSrvWrapper.exe", "trac.exe"),
}

# A generic name on Windows: several vendors ship an ``agent.exe``. Counted only with
# another executable of the same product, never alone.
_AMBIGUOUS = frozenset({"agent.exe", "starter"})

TUNNEL_PREFIXES = (
    "tun", "tap", "wg", "ppp", "ipsec", "tailscale", "zt", "utun", "nordlynx", "vti", "gpd", "cscotun",
)  # fmt: skip


def match_named(table: Mapping[str, tuple[str, ...]], running: Iterable[str]) -> list[str]:
    """Products from ``table`` with a running executable (names compared in lower case). Pure."""
    names = {n.lower() for n in running}
    found: list[str] = []
    for product, executables in table.items():
        hits = {e.lower() for e in executables} & names
        if hits and (hits - _AMBIGUOUS or len(hits) > 1):
            found.append(product)
    return found


def up_tunnels(stats: Mapping[str, bool]) -> list[str]:
    """Names of interfaces that look like tunnels and are up (name -> is_up). Pure."""
    return sorted(n for n, up in stats.items() if up and n.lower().startswith(TUNNEL_PREFIXES))


def _process_names() -> set[str]:
    names: set[str] = set()
    for proc in psutil.process_iter(["name"]):
        name = proc.info.get("name")
        if name:
            names.add(str(name))
    return names


async def probe_operations(ctx: ProbeContext) -> ProbeOutcome[OperationsFacts]:
    try:
        return await _probe()
    except Exception as exc:  # the boundary: a probe never raises
        return ProbeOutcome.unknown(f"operations probe failed: {type(exc).__name__}: {exc}")


async def _probe() -> ProbeOutcome[OperationsFacts]:
    diagnostics: list[str] = []
    missing: list[str] = []
    facts = OperationsFacts()
    try:
        names = await asyncio.to_thread(_process_names)
    except Exception as exc:  # psutil raises platform-specific errors
        missing.append("running programs")
        diagnostics.append(f"cannot list processes: {exc}")
    else:
        facts.monitoring_agents = match_named(MONITORING_AGENTS, names)
        facts.vpn_clients = match_named(VPN_CLIENTS, names)
    try:
        stats = {name: s.isup for name, s in psutil.net_if_stats().items()}
    except Exception as exc:
        missing.append("network interfaces")
        diagnostics.append(f"cannot list interfaces: {exc}")
    else:
        facts.tunnels = up_tunnels(stats)
    if len(missing) == 2:
        return ProbeOutcome.unknown("neither processes nor interfaces could be read", diagnostics)
    if missing:
        return ProbeOutcome(
            value=facts,
            status=ProbeStatus.PARTIAL,
            reason=f"could not read {missing[0]}",
            diagnostics=diagnostics,
        )
    return ProbeOutcome(value=facts, diagnostics=diagnostics)

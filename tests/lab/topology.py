"""Builds a scenario's namespaces, veth pairs, addresses, routes, sysctls and nftables rules.

Every veth pair is created directly between two lab namespaces (``ip link add ... netns A
type veth peer ... netns B``): nothing is ever added to the host's own namespace.

    office(eth0) ── lan0 router wana ── cust0 isp-a up0 ── ispa0 ┐
                                wanb ── cust0 isp-b up0 ── ispb0 ┴ internet (services on lo)
    tethered:  office(usb0) ── rndis0 phone wwan0 ── cust0 isp-b
"""

from __future__ import annotations

from pathlib import Path

from tests.lab import scenarios as S
from tests.lab.netns import ip_batch, nft, sysctl
from tests.lab.scenarios import Provider, Scenario

ROLES_BASE = ("office", "router", "ispa", "inet")


def roles(sc: Scenario) -> list[str]:
    out = list(ROLES_BASE)
    if sc.backup is not None or sc.tether:
        out.append("ispb")
    if sc.tether:
        out.append("phone")
    return out


def provider_b(sc: Scenario) -> Provider:
    return sc.backup or S.ISP_B


def service_addresses(cloud_ips: list[str]) -> list[str]:
    return [S.DNS_AUTH, S.DNS_AUTH2, S.ECHO, *S.ANCHORS, *cloud_ips]


# Fixed MAC addresses where the probes look (gateway vendor, tethering hints), so recordings are
# stable: the office's own NIC (Intel OUI), the router's LAN side (AVM OUI, a common office
# router), and the tether (locally administered, as USB tethering gadgets use).
MACS = {
    ("office", "eth0"): "3c:97:0e:50:00:0a",
    ("router", "lan0"): "3c:a6:2f:50:00:01",
    ("office", "usb0"): "02:3f:6e:10:0a:02",
    ("phone", "rndis0"): "02:3f:6e:10:0a:01",
}


def _mac(ifname: str, role: str) -> str:
    mac = MACS.get((role, ifname))
    return f" address {mac}" if mac else ""


def build(sc: Scenario, ns: dict[str, str], cloud_ips: list[str], etc_netns: Path) -> None:
    a = sc.primary or S.ISP_A
    b = provider_b(sc)
    has_b = "ispb" in ns
    root = [f"netns add {n}" for n in ns.values()]
    links = [
        ("office", "eth0", "router", "lan0"),
        ("router", "wana", "ispa", "cust0"),
        ("ispa", "up0", "inet", "ispa0"),
    ]
    if has_b:
        links.append(("ispb", "up0", "inet", "ispb0"))
        if sc.tether:
            links += [("office", "usb0", "phone", "rndis0"), ("phone", "wwan0", "ispb", "cust0")]
        else:
            links.append(("router", "wanb", "ispb", "cust0"))
    root += [
        f"link add {i1} netns {ns[r1]}{_mac(i1, r1)} type veth peer name {i2} netns {ns[r2]}{_mac(i2, r2)}"
        for r1, i1, r2, i2 in links
    ]
    ip_batch(root)

    cmds: dict[str, list[str]] = {r: ["link set lo up"] for r in ns}
    up: dict[str, list[str]] = {r: [] for r in ns}
    for r1, i1, r2, i2 in links:
        up[r1].append(i1)
        up[r2].append(i2)
    for r, ifs in up.items():
        cmds[r] += [f"link set {i} up" for i in ifs]

    cmds["office"] += [
        f"addr add {S.LAN_OFFICE}/24 dev eth0",
        f"route add default via {S.LAN_ROUTER} dev eth0 metric 100",
    ]
    cmds["router"] += [f"addr add {S.LAN_ROUTER}/24 dev lan0", f"addr add {a.customer}/24 dev wana"]
    if not sc.dead:
        cmds["router"].append(f"route add default via {a.gateway} dev wana")
    cmds["ispa"] += [
        f"addr add {a.gateway}/24 dev cust0",
        f"addr add {a.uplink_isp}/30 dev up0",
        f"route add default via {a.uplink_inet} dev up0",
    ]
    if sc.dead:
        cmds["ispa"].append("link set cust0 down")  # the line has no carrier: the router sees it down
    inet = [f"addr add {a.uplink_inet}/30 dev ispa0", f"route add {a.prefix} via {a.uplink_isp} dev ispa0"]
    if has_b:
        cmds["ispb"] += [
            f"addr add {b.gateway}/24 dev cust0",
            f"addr add {b.uplink_isp}/30 dev up0",
            f"route add default via {b.uplink_inet} dev up0",
        ]
        inet += [
            f"addr add {b.uplink_inet}/30 dev ispb0",
            f"route add {b.prefix} via {b.uplink_isp} dev ispb0",
        ]
        if sc.tether:
            cmds["phone"] += [
                f"addr add {S.TETHER_PHONE}/28 dev rndis0",
                f"addr add {b.customer}/24 dev wwan0",
                f"route add default via {b.gateway} dev wwan0",
            ]
            cmds["office"] += [
                f"addr add {S.TETHER_OFFICE}/28 dev usb0",
                f"route add default via {S.TETHER_PHONE} dev usb0 metric 600",
            ]
        else:
            cmds["router"].append(f"addr add {b.customer}/24 dev wanb")
    inet += [f"addr add {x}/32 dev lo" for x in service_addresses(cloud_ips)]
    cmds["inet"] += inet
    for r, c in cmds.items():
        ip_batch(c, ns[r])

    forward = {"net.ipv4.ip_forward": "1", "net.ipv4.icmp_ratelimit": "0"}
    for r in ("router", "ispa", "ispb", "phone", "inet"):
        if r in ns:
            sysctl(ns[r], forward)
    wans = '"wana", "wanb"' if "wanb" in up["router"] else '"wana"'
    nft(
        ns["router"],
        f"""table ip rdylab {{
  chain post {{ type nat hook postrouting priority srcnat; policy accept; oifname {{ {wans} }} masquerade; }}
}}
""",
    )
    if sc.dead:
        # Like a router whose DNS proxy hangs while its line is down: queries get no answer at all
        # (dnsmasq itself would answer REFUSED at once when it has no route).
        nft(
            ns["router"],
            """table inet rdydead {
  chain dead_in {
    type filter hook input priority -10; policy accept;
    iifname "lan0" meta l4proto { udp, tcp } th dport 53 drop;
  }
}
""",
        )
    if sc.tether:
        nft(
            ns["phone"],
            """table ip rdylab {
  chain post { type nat hook postrouting priority srcnat; policy accept; oifname "wwan0" masquerade; }
}
""",
        )
    office_etc = etc_netns / ns["office"]
    office_etc.mkdir(parents=True, exist_ok=True)
    (office_etc / "resolv.conf").write_text(f"# readiness office lab\nnameserver {S.LAN_ROUTER}\n")


CUT_TABLE = "rdycut"


def cut_rules() -> str:
    return f"""table inet {CUT_TABLE} {{
  chain cut_in {{ type filter hook input priority -10; policy accept; iifname "cust0" drop; }}
  chain cut_fwd {{
    type filter hook forward priority -10; policy accept; iifname "cust0" drop; oifname "cust0" drop;
  }}
  chain cut_out {{ type filter hook output priority -10; policy accept; oifname "cust0" drop; }}
}}
"""

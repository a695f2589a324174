"""Network interfaces: kind, state, addresses, MAC vendor, Wi-Fi SSID, tethering hints.

The portable part comes from psutil (and netifaces for addresses psutil misses); the
Linux-only part (driver, wireless flag from sysfs, SSID from ``iw``) is kept in separate
functions that return ``None`` elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from readiness.model import Address, Interface, InterfaceKind
from readiness.probes.base import ProbeContext, ProbeOutcome
from readiness.probes.oui import vendor_for_mac

SYS_NET = Path("/sys/class/net")
IW_TIMEOUT_S = 1.0

TETHER_DRIVERS = {"rndis_host", "cdc_ether", "ipheth", "cdc_ncm", "cdc_eem", "huawei_cdc_ncm"}
CELLULAR_DRIVERS = {"qmi_wwan", "cdc_mbim", "option", "sierra_net", "mhi_net", "mhi_wwan", "qcserial"}
# Address ranges phones hand out when they share their connection.
HOTSPOT_RANGES: list[tuple[ipaddress.IPv4Network, str]] = [
    (ipaddress.IPv4Network("172.20.10.0/28"), "address in the iPhone Personal Hotspot range 172.20.10.0/28"),
    (ipaddress.IPv4Network("192.168.42.0/24"), "address in the Android USB tethering range 192.168.42.0/24"),
    (ipaddress.IPv4Network("192.168.43.0/24"), "address in the Android Wi-Fi hotspot range 192.168.43.0/24"),
    (ipaddress.IPv4Network("192.168.44.0/24"), "address in the Android hotspot range 192.168.44.0/24"),
]
HOTSPOT_SSID = re.compile(
    r"iphone|android|galaxy|pixel|redmi|xiaomi|huawei|oneplus|moto|nokia|oppo|vivo|hotspot|mobile|"
    r"\bmifi\b|jetpack|4g|5g|lte",
    re.IGNORECASE,
)
VPN_PREFIXES = (
    "tun",
    "tap",
    "wg",
    "ppp",
    "ipsec",
    "tailscale",
    "zt",
    "utun",
    "nordlynx",
    "proton",
    "vti",
    "gre",
)
VIRTUAL_PREFIXES = (
    "veth",
    "docker",
    "br-",
    "virbr",
    "vnet",
    "vmnet",
    "vboxnet",
    "lxc",
    "lxd",
    "cni",
    "flannel",
    "cali",
    "podman",
    "kube",
    "ifb",
    "dummy",
    "bond",
    "vxlan",
    "macvlan",
    "ipvlan",
    "nlmon",
)
CELLULAR_PREFIXES = ("wwan", "rmnet", "ccmni", "wwp")
TETHER_PREFIXES = ("usb", "rndis", "enx")


@dataclass(frozen=True)
class LinuxDetails:
    driver: str | None
    wireless: bool
    arphrd: int | None  # /sys/class/net/X/type: 1 ether, 772 loopback, 65534 none (tun), 512 ppp


def linux_details(name: str, root: Path = SYS_NET) -> LinuxDetails | None:
    """Driver, wireless flag and link type from sysfs (Linux only; None elsewhere)."""
    base = root / name
    if not base.exists():
        return None
    driver: str | None = None
    try:
        driver = (base / "device" / "driver").resolve(strict=True).name
    except OSError:
        driver = None
    wireless = (base / "wireless").exists() or (base / "phy80211").exists()
    arphrd: int | None
    try:
        arphrd = int((base / "type").read_text().strip())
    except (OSError, ValueError):
        arphrd = None
    return LinuxDetails(driver, wireless, arphrd)


def parse_iw_link(text: str) -> str | None:
    """The SSID from ``iw dev X link`` output ("Not connected." -> None)."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("SSID:"):
            return line[5:].strip() or None
    return None


def linux_ssid(name: str) -> str | None:
    """Ask ``iw`` for the associated SSID; None when iw is missing, slow or not associated."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv list, no shell
            ["iw", "dev", name, "link"], capture_output=True, text=True, timeout=IW_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_iw_link(done.stdout) if done.returncode == 0 else None


def tethering_hint(name: str, driver: str | None, addresses: list[Address], ssid: str | None) -> str | None:
    """Why this interface looks like a phone's shared connection, or None."""
    if driver in TETHER_DRIVERS:
        return f"USB tethering driver {driver}"
    if name.startswith(("usb", "rndis")):
        return f"interface name {name} is typical of USB tethering"
    for addr in addresses:
        if addr.family != 4:
            continue
        try:
            ip = ipaddress.IPv4Address(addr.address)
        except ValueError:
            continue
        for net, why in HOTSPOT_RANGES:
            if ip in net:
                return why
    if ssid and HOTSPOT_SSID.search(ssid):
        return f"Wi-Fi network name {ssid!r} looks like a phone hotspot"
    return None


def classify(
    name: str,
    *,
    is_loopback: bool,
    details: LinuxDetails | None,
    addresses: list[Address],
    ssid: str | None,
) -> tuple[InterfaceKind, str | None]:
    """The interface's kind plus, when it looks like a phone's connection, the reason why."""
    driver = details.driver if details else None
    lname = name.lower()
    if is_loopback or lname == "lo" or (details and details.arphrd == 772):
        return InterfaceKind.LOOPBACK, None
    if lname.startswith(CELLULAR_PREFIXES) or driver in CELLULAR_DRIVERS:
        return InterfaceKind.CELLULAR, None
    hint = tethering_hint(lname, driver, addresses, ssid)
    wireless = bool(details and details.wireless) or lname.startswith(
        ("wlan", "wlp", "wlx", "wifi", "ath", "wl")
    )
    if wireless:
        return InterfaceKind.WIFI, hint
    if hint and (
        driver in TETHER_DRIVERS
        or lname.startswith(TETHER_PREFIXES)
        or details is None
        or (details and details.arphrd == 1)
    ):
        return InterfaceKind.TETHERING, hint
    if lname.startswith(VPN_PREFIXES) or (details and details.arphrd in (65534, 512, 768, 776, 778)):
        return InterfaceKind.VPN, None
    if lname.startswith(VIRTUAL_PREFIXES) or (
        details is not None
        and details.driver is None
        and details.arphrd == 1
        and not lname.startswith(("eth", "en"))
    ):
        return InterfaceKind.VIRTUAL, None
    if lname.startswith(("eth", "en", "em", "eno", "ens", "enp")) or (details and details.arphrd == 1):
        return InterfaceKind.ETHERNET, hint
    return InterfaceKind.OTHER, hint


def _addresses(name: str, snics: list[Any]) -> tuple[list[Address], str | None]:
    addrs: list[Address] = []
    mac: str | None = None
    for a in snics:
        if a.family == socket.AF_INET:
            addrs.append(Address(family=4, address=a.address, prefixlen=_prefixlen(a.netmask)))
        elif a.family == socket.AF_INET6:
            addrs.append(Address(family=6, address=a.address.split("%")[0], prefixlen=_prefixlen(a.netmask)))
        elif a.family == psutil.AF_LINK and a.address and a.address != "00:00:00:00:00:00":
            mac = a.address.lower().replace("-", ":")
    return addrs, mac


def _prefixlen(netmask: str | None) -> int | None:
    if not netmask:
        return None
    try:
        mask = ipaddress.ip_address(netmask.split("/")[0])
    except ValueError:
        return None
    return bin(int(mask)).count("1")


def collect_interfaces() -> list[Interface]:
    """Blocking: read every interface (local state only)."""
    addrs = psutil.net_if_addrs()
    stats = psutil.net_if_stats()
    on_linux = sys.platform.startswith("linux")
    out: list[Interface] = []
    for name in sorted(set(addrs) | set(stats)):
        st = stats.get(name)
        addresses, mac = _addresses(name, addrs.get(name, []))
        details = linux_details(name) if on_linux else None
        ssid = linux_ssid(name) if details is not None and details.wireless else None
        is_loopback = bool(st and "loopback" in (getattr(st, "flags", "") or "")) or name in ("lo", "lo0")
        kind, hint = classify(name, is_loopback=is_loopback, details=details, addresses=addresses, ssid=ssid)
        out.append(
            Interface(
                name=name,
                kind=kind,
                is_up=bool(st and st.isup),
                speed_mbps=(st.speed if st.speed > 0 else None) if st else None,  # 0 or -1: unknown
                mtu=(st.mtu or None) if st else None,
                addresses=addresses,
                mac=mac,
                vendor=vendor_for_mac(mac) if kind not in (InterfaceKind.LOOPBACK,) else None,
                driver=details.driver if details else None,
                ssid=ssid,
                tethering_hint=hint,
            )
        )
    return out


async def probe_interfaces(ctx: ProbeContext) -> ProbeOutcome[list[Interface]]:
    try:
        found = await asyncio.to_thread(collect_interfaces)
    except Exception as exc:  # the probe boundary: report, never raise
        return ProbeOutcome.unknown(f"cannot list interfaces: {exc}")
    diagnostics = (
        [] if sys.platform.startswith("linux") else ["driver, Wi-Fi and SSID details need Linux sysfs"]
    )
    return ProbeOutcome(value=found, diagnostics=diagnostics)

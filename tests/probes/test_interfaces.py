from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from readiness.config import Config
from readiness.model import Address, InterfaceKind
from readiness.probes.base import ProbeContext
from readiness.probes.interfaces import (
    LinuxDetails,
    classify,
    linux_details,
    parse_iw_link,
    probe_interfaces,
    tethering_hint,
)
from readiness.probes.oui import is_locally_administered, vendor_for_mac

ETH = LinuxDetails(driver="e1000e", wireless=False, arphrd=1)
WIFI = LinuxDetails(driver="iwlwifi", wireless=True, arphrd=1)
NONE: list[Address] = []


def v4(a: str) -> list[Address]:
    return [Address(family=4, address=a, prefixlen=24)]


@pytest.mark.parametrize(
    ("name", "details", "addresses", "ssid", "kind"),
    [
        ("lo", LinuxDetails(None, False, 772), NONE, None, InterfaceKind.LOOPBACK),
        ("enp3s0", ETH, v4("192.168.1.20"), None, InterfaceKind.ETHERNET),
        ("wlp2s0", WIFI, v4("192.168.1.21"), "Office", InterfaceKind.WIFI),
        ("wwan0", LinuxDetails("qmi_wwan", False, 65534), NONE, None, InterfaceKind.CELLULAR),
        ("wwp0s20u4", LinuxDetails("cdc_mbim", False, 1), NONE, None, InterfaceKind.CELLULAR),
        ("usb0", LinuxDetails("rndis_host", False, 1), v4("192.168.42.129"), None, InterfaceKind.TETHERING),
        (
            "enx0a1b2c3d4e5f",
            LinuxDetails("ipheth", False, 1),
            v4("172.20.10.2"),
            None,
            InterfaceKind.TETHERING,
        ),
        ("eth1", LinuxDetails("cdc_ncm", False, 1), NONE, None, InterfaceKind.TETHERING),
        ("tun0", LinuxDetails(None, False, 65534), v4("10.8.0.2"), None, InterfaceKind.VPN),
        ("wg0", LinuxDetails(None, False, 65534), NONE, None, InterfaceKind.VPN),
        ("tailscale0", LinuxDetails(None, False, 65534), NONE, None, InterfaceKind.VPN),
        ("ppp0", LinuxDetails(None, False, 512), NONE, None, InterfaceKind.VPN),
        ("veth1a2b", LinuxDetails(None, False, 1), NONE, None, InterfaceKind.VIRTUAL),
        ("docker0", LinuxDetails(None, False, 1), v4("172.17.0.1"), None, InterfaceKind.VIRTUAL),
        ("br-3f2a", LinuxDetails(None, False, 1), NONE, None, InterfaceKind.VIRTUAL),
        ("virbr0", LinuxDetails(None, False, 1), NONE, None, InterfaceKind.VIRTUAL),
    ],
)
def test_classify(
    name: str, details: LinuxDetails, addresses: list[Address], ssid: str | None, kind: InterfaceKind
) -> None:
    got, _ = classify(name, is_loopback=False, details=details, addresses=addresses, ssid=ssid)
    assert got is kind


def test_classify_without_sysfs_uses_names() -> None:
    """On other systems (no sysfs details) the name alone still gives a kind."""
    assert (
        classify("lo0", is_loopback=True, details=None, addresses=NONE, ssid=None)[0]
        is InterfaceKind.LOOPBACK
    )
    assert (
        classify("utun3", is_loopback=False, details=None, addresses=NONE, ssid=None)[0] is InterfaceKind.VPN
    )
    assert (
        classify("en0", is_loopback=False, details=None, addresses=NONE, ssid=None)[0]
        is InterfaceKind.ETHERNET
    )


def test_wifi_on_a_phone_hotspot_keeps_wifi_kind_with_a_hint() -> None:
    kind, hint = classify(
        "wlan0", is_loopback=False, details=WIFI, addresses=v4("172.20.10.4"), ssid="Anna's iPhone"
    )
    assert kind is InterfaceKind.WIFI
    assert hint is not None and "172.20.10.0/28" in hint


@pytest.mark.parametrize(
    ("name", "driver", "addr", "ssid", "expect"),
    [
        ("eth0", "rndis_host", "10.0.0.2", None, "rndis_host"),
        ("wlan0", "iwlwifi", "192.168.43.17", None, "192.168.43.0/24"),
        ("wlan0", "iwlwifi", "192.168.1.5", "AndroidAP_3f1c", "AndroidAP_3f1c"),
        ("wlan0", "iwlwifi", "192.168.1.5", "Galaxy S23 5G", "Galaxy"),
        ("wlan0", "iwlwifi", "192.168.1.5", "Office-WLAN", None),
        ("eth0", "e1000e", "192.168.1.5", None, None),
    ],
)
def test_tethering_hint(name: str, driver: str, addr: str, ssid: str | None, expect: str | None) -> None:
    hint = tethering_hint(name, driver, v4(addr), ssid)
    if expect is None:
        assert hint is None
    else:
        assert hint is not None and expect in hint


def test_parse_iw_link() -> None:
    out = (
        "Connected to 9c:53:22:11:00:aa (on wlp2s0)\n\tSSID: Office 5G\n\tfreq: 5180\n"
        "\tsignal: -52 dBm\n\ttx bitrate: 400.0 MBit/s\n"
    )
    assert parse_iw_link(out) == "Office 5G"
    assert parse_iw_link("Not connected.\n") is None


def test_linux_details_reads_a_sysfs_tree(tmp_path: Path) -> None:
    dev = tmp_path / "wlp2s0"
    (dev / "wireless").mkdir(parents=True)
    drivers = tmp_path / "drivers" / "iwlwifi"
    drivers.mkdir(parents=True)
    (dev / "device").mkdir()
    (dev / "device" / "driver").symlink_to(drivers)
    (dev / "type").write_text("1\n")
    got = linux_details("wlp2s0", root=tmp_path)
    assert got == LinuxDetails(driver="iwlwifi", wireless=True, arphrd=1)
    assert linux_details("missing0", root=tmp_path) is None


def test_oui_vendor_from_the_offline_registry() -> None:
    assert vendor_for_mac("00:1a:11:22:33:44") == "Google, Inc."
    assert vendor_for_mac("02:fc:00:00:00:05") is None  # locally administered: no vendor
    assert is_locally_administered("02:fc:00:00:00:05")
    assert vendor_for_mac("not-a-mac") is None
    assert vendor_for_mac(None) is None


def test_probe_reads_this_machine() -> None:
    """Local state only: the loopback interface is always there and recognised."""
    outcome = asyncio.run(probe_interfaces(ProbeContext(Config())))
    assert outcome.value is not None
    lo = next(i for i in outcome.value if i.name == "lo")
    assert lo.kind is InterfaceKind.LOOPBACK and lo.is_up
    assert any(a.address == "127.0.0.1" and a.prefixlen == 8 for a in lo.addresses)


def test_degrades_without_linux_sysfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Elsewhere (macOS, Windows) the portable part still works; the probe says what is missing."""
    monkeypatch.setattr("sys.platform", "darwin")
    outcome = asyncio.run(probe_interfaces(ProbeContext(Config())))
    assert outcome.value is not None and outcome.diagnostics
    lo = next(i for i in outcome.value if i.name == "lo")
    assert lo.kind is InterfaceKind.LOOPBACK and lo.driver is None

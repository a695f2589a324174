"""The power probe end to end: real upsd, an apcupsd NIS peer, hostile hosts, USB and battery."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from readiness.config import Config, Power, Timeouts
from readiness.model import Facts, Gateway, ProbeStatus, UpsSource, UpsUnit
from readiness.probes import power as power_probe
from readiness.probes.base import ProbeContext
from readiness.probes.power import _same_unit, _targets, probe_power
from readiness.probes.usb_ups import match_ups, scan_sysfs, scan_usb_ups
from tests.probes import hostile_peers as hp
from tests.probes.nut_server import ON_LINE, missing_reason, running_upsd
from tests.probes.test_apcupsd import BACK_UPS_ON_BATTERY, nis_answer, nis_peer


def _refusing_port() -> int:
    """A port nothing listens on (bound briefly to learn a free one)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ctx(nut: list[str], apc: list[str], gateways: list[Gateway] | None = None, **kw: object) -> ProbeContext:
    cfg = Config(
        power=Power(nut_hosts=nut, apcupsd_hosts=apc, try_gateway=True),
        timeouts=Timeouts(probe_s=2.0, connect_s=0.8),
    )
    return ProbeContext(config=cfg, facts=Facts(gateways=gateways), **kw)  # type: ignore[arg-type]


def test_targets_dedupe_and_format_gateways() -> None:
    gws = [
        Gateway(address="127.0.0.1", family=4),
        Gateway(address="fe80::1", family=6, interface="eth0"),
    ]
    assert _targets(["127.0.0.1:3493", "nas:4000"], gws, True, 3493) == [
        "127.0.0.1:3493",
        "[fe80::1%eth0]:3493",
        "nas:4000",
    ]
    assert _targets([], gws, False, 3551) == ["127.0.0.1:3551"]


@pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or "")
async def test_power_probe_with_real_upsd_and_nis_peer(tmp_path: Path) -> None:
    # The "gateway" is another loopback address where nothing listens: tried, absent.
    gateway = Gateway(address="127.0.0.2", family=4, interface="lo")
    with running_upsd(tmp_path) as server:
        async with nis_peer(nis_answer(BACK_UPS_ON_BATTERY)) as nis:
            outcome = await probe_power(_ctx([server.target], [nis.target], [gateway]))
            assert outcome.status is ProbeStatus.OK, (outcome.reason, outcome.diagnostics)
            facts = outcome.value
            assert facts is not None
            by_source = {u.source: u for u in facts.ups}
            assert by_source[UpsSource.NUT].status == ["OL"]
            assert by_source[UpsSource.APCUPSD].on_battery

            server.write_vars({**ON_LINE, "ups.status": "OB DISCHRG LB", "battery.charge": "9"})
            await asyncio.to_thread(server.wait_for_status, "OB DISCHRG LB")
            outcome = await probe_power(_ctx([server.target], [], [gateway]))
    assert outcome.value is not None
    [nut] = [u for u in outcome.value.ups if u.source is UpsSource.NUT]
    assert nut.on_battery and nut.low_battery and nut.charge_pct == 9.0
    tried = outcome.value.hosts_tried
    assert f"nut:{server.target}" in tried
    assert "nut:127.0.0.2:3493" in tried and "nut:127.0.0.1:3493" in tried
    assert "apcupsd:127.0.0.2:3551" in tried
    assert {e.target for e in outcome.endpoints} >= {server.target, "127.0.0.2:3493", "127.0.0.1:3551"}
    assert all(e.kind in ("nut", "apcupsd") for e in outcome.endpoints)


async def test_hostile_host_makes_the_probe_partial_not_failed() -> None:
    async with hp.hostile_server(hp.silent) as quiet, nis_peer(nis_answer(BACK_UPS_ON_BATTERY)) as nis:
        outcome = await asyncio.wait_for(probe_power(_ctx([quiet.target], [nis.target])), 10.0)
    assert outcome.status is ProbeStatus.PARTIAL
    assert outcome.reason and quiet.target in outcome.reason
    assert outcome.value is not None
    assert [u.source for u in outcome.value.ups if u.source is not UpsSource.USB] == [UpsSource.APCUPSD]


async def test_nothing_anywhere_is_ok_and_empty() -> None:
    port = _refusing_port()
    outcome = await probe_power(_ctx([f"127.0.0.1:{port}"], [f"127.0.0.1:{port}"]))
    assert outcome.value is not None
    if outcome.status is ProbeStatus.OK:  # unless something really serves 3493/3551 here
        assert f"nut at 127.0.0.1:{port}: nothing listening" in outcome.diagnostics


async def test_offline_notes_configured_public_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """A public host in the config is asked (the user named it); the probe says so.

    The query itself is replaced: this test must not send a packet to a public address.
    """
    asked: list[str] = []

    async def fake_query(target: str, timeout_s: float) -> power_probe.NutAnswer:
        asked.append(target)
        return power_probe.NutAnswer(target, "absent")

    monkeypatch.setattr(power_probe, "query_nut", fake_query)
    monkeypatch.setattr(power_probe, "query_apcupsd", fake_query)
    outcome = await probe_power(_ctx(["203.0.113.9"], [], offline=True))
    assert "203.0.113.9:3493" in asked
    assert any("203.0.113.9" in d and "outside the local network" in d for d in outcome.diagnostics)


def test_usb_table() -> None:
    assert match_ups("051D", "0002") is not None  # APC Back-UPS
    assert match_ups("0764", "0501") is not None  # CyberPower
    assert match_ups("050d", "0980") is not None  # a Belkin UPS
    assert match_ups("050d", "0234") is None  # a Belkin hub is no UPS
    assert match_ups("0665", "5161") is not None
    assert match_ups("046d", "c52b") is None  # a Logitech receiver


def _fake_device(root: Path, name: str, vendor: str, product: str, label: str | None = None) -> None:
    d = root / name
    d.mkdir()
    (d / "idVendor").write_text(vendor + "\n")
    (d / "idProduct").write_text(product + "\n")
    if label:
        (d / "product").write_text(label + "\n")


def test_scan_sysfs_tree(tmp_path: Path) -> None:
    _fake_device(tmp_path, "1-1", "051d", "0002", "Back-UPS ES 700G FW:871.O4 .I USB FW:O4")
    _fake_device(tmp_path, "1-2", "046d", "c52b")
    (tmp_path / "usb1").mkdir()  # a root hub without ids read as nothing
    [unit] = scan_sysfs(tmp_path)
    assert unit.source is UpsSource.USB
    assert (unit.usb_vendor_id, unit.usb_product_id) == ("051d", "0002")
    assert unit.manufacturer == "APC" and unit.model and unit.model.startswith("Back-UPS")


def test_scan_usb_elsewhere_gives_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("readiness.probes.usb_ups.sys.platform", "win32")
    units, reason = scan_usb_ups()
    assert units is None and reason and "win32" in reason


def test_usb_unit_already_served_by_local_upsd_is_not_repeated() -> None:
    usb = UpsUnit(source=UpsSource.USB, usb_vendor_id="0463", usb_product_id="ffff")
    local = UpsUnit(source=UpsSource.NUT, host="127.0.0.1:3493", usb_vendor_id="0463")
    remote = UpsUnit(source=UpsSource.NUT, host="192.168.1.1:3493", usb_vendor_id="0463")
    apc = UpsUnit(source=UpsSource.APCUPSD, host="127.0.0.1:3551")
    assert _same_unit(usb, [local])
    assert not _same_unit(usb, [remote])
    assert _same_unit(usb.model_copy(update={"usb_vendor_id": "051d"}), [apc])


async def test_local_battery_is_reported_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """psutil cannot fake a battery on a server: its reading is replaced by a laptop's."""

    class Battery:
        percent = 55.0
        power_plugged = False
        secsleft = 3600

    monkeypatch.setattr(power_probe.psutil, "sensors_battery", lambda: Battery())
    port = _refusing_port()
    outcome = await probe_power(_ctx([f"127.0.0.1:{port}"], []))
    assert outcome.value is not None and outcome.value.local_battery is not None
    assert outcome.value.local_battery.percent == 55.0 and outcome.value.local_battery.plugged is False
    assert all(u.source is not UpsSource.NUT for u in outcome.value.ups)

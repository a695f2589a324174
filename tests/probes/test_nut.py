"""NUT: the pure parsing, the real upsd with dummy-ups, and hostile servers."""

from __future__ import annotations

import asyncio
import socket
import tracemalloc
from pathlib import Path

import pytest

from readiness.model import UpsSource
from readiness.probes.nut import (
    MAX_UPS_PER_HOST,
    MAX_VALUE_CHARS,
    query_nut,
    split_target,
    status_flags,
    unescape,
    unit_from_vars,
)
from tests.probes import hostile_peers as hp
from tests.probes.nut_server import ON_LINE, missing_reason, running_upsd

# Recorded with `upsc` against an Eaton 5E (usbhid-ups) in an office: the real variable set.
UPSC_EATON = """\
battery.charge: 87
battery.charge.low: 20
battery.runtime: 1260
battery.type: PbAc
device.mfr: EATON
device.model: 5E 850i
device.type: ups
driver.name: usbhid-ups
input.voltage: 232.0
outlet.1.status: on
ups.load: 31
ups.mfr: EATON
ups.model: 5E 850i
ups.productid: ffff
ups.status: OL CHRG
ups.vendorid: 0463
"""


def parse_upsc(text: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


HANG_GUARD_S = 10.0  # the clients are bounded by ~1 s; this only stops a broken one hanging CI


def test_unit_from_recorded_upsc() -> None:
    unit = unit_from_vars("eaton", "127.0.0.1:3493", parse_upsc(UPSC_EATON))
    assert unit.source is UpsSource.NUT
    assert unit.status == ["OL", "CHRG"]
    assert not unit.on_battery
    assert (unit.charge_pct, unit.runtime_s, unit.load_pct) == (87.0, 1260.0, 31.0)
    assert (unit.manufacturer, unit.model) == ("EATON", "5E 850i")
    assert (unit.usb_vendor_id, unit.usb_product_id) == ("0463", "ffff")
    assert unit.battery_date is None and unit.last_selftest is None


def test_device_vars_fill_in_and_mfr_date_used() -> None:
    unit = unit_from_vars(
        "u", "h", {"device.mfr": "APC", "device.model": "Back-UPS", "battery.mfr.date": "2019/05/01"}
    )
    assert (unit.manufacturer, unit.model, unit.battery_date) == ("APC", "Back-UPS", "2019/05/01")


@pytest.mark.parametrize(
    ("raw", "flags"),
    [
        ("OL", ["OL"]),
        ("OB DISCHRG LB", ["OB", "DISCHRG", "LB"]),
        ("ol  rb  ol", ["OL", "RB"]),
        ("BYPASS OVER", ["BYPASS", "OVER"]),
        ("", []),
        (None, []),
    ],
)
def test_status_flags(raw: str | None, flags: list[str]) -> None:
    assert status_flags(raw) == flags


@pytest.mark.parametrize(
    ("raw", "value"),
    [("100", 100.0), ("1e308", None), ("nan", None), ("-3", None), ("abc", None), (" 42.5 ", 42.5)],
)
def test_percent_values_out_of_range_are_unknown(raw: str, value: float | None) -> None:
    assert unit_from_vars("u", "h", {"battery.charge": raw}).charge_pct == value


def test_unescape_and_cap() -> None:
    assert unescape('Ev\\"il\\\\ Corp') == 'Ev"il\\ Corp'
    assert len(unescape("x" * 10_000)) == MAX_VALUE_CHARS


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("nas", ("nas", 3493)),
        ("nas:4000", ("nas", 4000)),
        ("[fe80::1%eth0]:3493", ("fe80::1%eth0", 3493)),
        ("[::1]", ("::1", 3493)),
        ("2001:db8::1", ("2001:db8::1", 3493)),
    ],
)
def test_split_target(target: str, expected: tuple[str, int]) -> None:
    assert split_target(target, 3493) == expected


# --- the real upsd ------------------------------------------------------------------------

needs_nut = pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or "")


@needs_nut
async def test_real_upsd_on_line_then_on_battery(tmp_path: Path) -> None:
    with running_upsd(tmp_path) as server:
        answer = await query_nut(server.target, 2.0)
        assert answer.state == "ok", answer.error
        [unit] = answer.units
        assert unit.name == "dummy"
        assert unit.status == ["OL"]
        assert (unit.charge_pct, unit.runtime_s, unit.load_pct) == (100.0, 1800.0, 23.0)
        assert (unit.manufacturer, unit.model) == ("Dummy Power", "Test 1500")
        assert unit.battery_date == "2024-01-15"
        assert unit.last_selftest == "Done and passed"

        server.write_vars(
            {**ON_LINE, "ups.status": "OB DISCHRG", "battery.charge": "64", "battery.runtime": "420"}
        )
        await asyncio.to_thread(server.wait_for_status, "OB DISCHRG")
        [unit] = (await query_nut(server.target, 2.0)).units
        assert unit.on_battery and "DISCHRG" in unit.status
        assert (unit.charge_pct, unit.runtime_s) == (64.0, 420.0)


async def test_nothing_listening_is_absent_not_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))  # bound, not listening: the connection is refused
        answer = await query_nut(f"127.0.0.1:{s.getsockname()[1]}", 1.0)
    assert answer.state == "absent" and answer.error is None


# --- hostile servers ------------------------------------------------------------------------


async def _bounded(target: str) -> tuple[object, int]:
    """Query under a hang guard and tracemalloc; returns (answer, peak bytes)."""
    tracemalloc.start()
    try:
        answer = await asyncio.wait_for(query_nut(target, 0.8), HANG_GUARD_S)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return answer, peak


@pytest.mark.parametrize(
    "behaviour",
    [
        hp.nut_garbage,
        hp.nut_garbage_protocol,
        hp.nut_endless_line,
        hp.nut_endless_list,
        hp.nut_huge_value,
        hp.nut_drip,
        hp.silent,
        hp.close_at_once,
    ],
    ids=lambda b: b.__name__,
)
async def test_hostile_nut_server_is_an_error_within_bounds(behaviour: hp.Behaviour) -> None:
    async with hp.hostile_server(behaviour) as peer:
        answer, peak = await _bounded(peer.target)
    assert answer.state == "error"  # type: ignore[attr-defined]
    assert answer.error  # type: ignore[attr-defined]
    assert peak < 4 * 1024 * 1024, f"client held {peak} bytes"
    assert peer.sent < hp.FLOOD_LIMIT  # the client hung up before the flood ran out


async def test_absurd_but_wellformed_values_are_capped() -> None:
    async with hp.hostile_server(hp.nut_absurd_numbers) as peer:
        answer = await asyncio.wait_for(query_nut(peer.target, 3.0), HANG_GUARD_S)
    assert answer.state == "ok", answer.error
    assert len(answer.units) == MAX_UPS_PER_HOST
    unit = answer.units[0]
    assert unit.charge_pct is None and unit.runtime_s is None and unit.load_pct is None
    assert unit.manufacturer == 'Ev"il\\ Corp'
    assert unit.status[:2] == ["OB", "LB"] and all(len(f) <= 16 for f in unit.status)


async def test_never_accepting_server_is_an_error_within_bounds() -> None:
    with hp.never_accepting() as peer:
        answer, _ = await _bounded(peer.target)
    assert answer.state == "error"  # type: ignore[attr-defined]

"""apcupsd NIS: the parser, a protocol-faithful NIS peer, and hostile peers.

Why not the real apcupsd: on Debian the ``apcupsd`` package conflicts with
``nut-server`` (installing one removes the other), and the NUT tests need upsd. The peer
below speaks the NIS framing exactly as apcupsd 3.14 does (2-byte big-endian length
records, ``KEY      : VALUE`` lines padded to 9 columns, a zero-length end record); its
field set was recorded from a real apcupsd 3.14.14 (see ``RECORDED_COMMLOST``).
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import AsyncIterator

import pytest

from readiness.model import UpsSource
from readiness.probes.apcupsd import (
    apc_flags,
    encode_record,
    parse_status_lines,
    query_apcupsd,
    unit_from_status,
)
from tests.probes import hostile_peers as hp

# The exact bytes a real apcupsd 3.14.14 (Debian 12, UPSTYPE net, master unreachable)
# sent for "status", captured on loopback.
RECORDED_COMMLOST = (
    b"\x00\x18APC      : 001,019,0455\n\x00'DATE     : 2026-11-26 03:39:15 +0000  \n"
    b"\x00\x0eHOSTNAME : vm\n\x00(VERSION  : 3.14.14 (31 May 2016) debian\n"
    b"\x00\x13UPSNAME  : testups\n\x00\x19CABLE    : Ethernet Link\n"
    b"\x00\x1eDRIVER   : NETWORK UPS Driver\n\x00\x15UPSMODE  : Net Slave\n"
    b"\x00'STARTTIME: 2026-11-26 03:39:12 +0000  \n\x00\x0cSHARE    : \n"
    b"\x00\x15STATUS   : COMMLOST \n\x00\x16MBATTCHG : 10 Percent\n\x00\x15MINTIMEL : 5 Minutes\n"
    b"\x00\x15MAXTIME  : 0 Seconds\n\x00\rNUMXFERS : 0\n\x00\x15TONBATT  : 0 Seconds\n"
    b"\x00\x15CUMONBATT: 0 Seconds\n\x00\x0fXOFFBATT : N/A\n\x00\x16STATFLAG : 0x05000100\n"
    b"\x00'END APC  : 2026-11-26 03:39:15 +0000  \n\x00\x00"
)

BACK_UPS_ON_BATTERY = [
    ("APC", "001,036,0870"),
    ("HOSTNAME", "office-nas"),
    ("VERSION", "3.14.14 (31 May 2016) debian"),
    ("UPSNAME", "office"),
    ("CABLE", "USB Cable"),
    ("DRIVER", "USB UPS Driver"),
    ("UPSMODE", "Stand Alone"),
    ("MODEL", "Back-UPS ES 700G"),
    ("STATUS", "ONBATT LOWBATT"),
    ("LINEV", "0.0 Volts"),
    ("LOADPCT", "17.0 Percent"),
    ("BCHARGE", "76.0 Percent"),
    ("TIMELEFT", "21.5 Minutes"),
    ("SELFTEST", "NO"),
    ("BATTDATE", "2021-03-09"),
    ("STATFLAG", "0x05000050"),
    ("END APC", "2026-11-26 03:00:00 +0000"),
]


def nis_answer(fields: list[tuple[str, str]]) -> bytes:
    """Frame a status report the way apcupsd's NIS does."""
    out = b"".join(encode_record(f"{k:<9}: {v}\n".encode()) for k, v in fields)
    return out + b"\x00\x00"


def split_records(data: bytes) -> list[str]:
    lines, i = [], 0
    while True:
        (n,) = struct.unpack(">H", data[i : i + 2])
        if n == 0:
            return lines
        lines.append(data[i + 2 : i + 2 + n].decode())
        i += 2 + n


@contextlib.asynccontextmanager
async def nis_peer(answer: bytes) -> AsyncIterator[hp.Peer]:
    """Answers every ``status`` record with ``answer``; refuses other commands like apcupsd."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: hp.Peer) -> None:
        while True:
            (n,) = struct.unpack(">H", await reader.readexactly(2))
            command = await reader.readexactly(n)
            if command == b"status":
                writer.write(answer)
            else:
                writer.write(nis_answer([("ERROR", "Invalid command")]))
            await writer.drain()

    async with hp.hostile_server(behaviour) as peer:
        yield peer


def test_parse_recorded_real_apcupsd() -> None:
    fields = parse_status_lines(split_records(RECORDED_COMMLOST))
    assert fields["STATUS"] == "COMMLOST"
    assert fields["UPSNAME"] == "testups"
    assert fields["END APC"] == "2026-11-26 03:39:15 +0000"
    unit = unit_from_status("127.0.0.1:3551", fields)
    assert unit.status == ["COMMLOST"]
    assert unit.charge_pct is None and unit.runtime_s is None  # a lost UPS says nothing else


@pytest.mark.parametrize(
    ("raw", "flags"),
    [
        ("ONLINE", ["OL"]),
        ("ONBATT LOWBATT", ["OB", "LB"]),
        ("ONLINE REPLACEBATT", ["OL", "RB"]),
        ("OVERLOAD ONLINE", ["OVER", "OL"]),
        ("SHUTTING DOWN", ["FSD"]),
        ("", []),
    ],
)
def test_status_words_become_nut_flags(raw: str, flags: list[str]) -> None:
    assert apc_flags(raw) == flags


def test_junk_lines_are_ignored() -> None:
    assert parse_status_lines(["no colon here", " : empty key", "STATUS : ONLINE", "!!! : x"]) == {
        "STATUS": "ONLINE"
    }


async def test_faithful_peer_on_battery() -> None:
    async with nis_peer(nis_answer(BACK_UPS_ON_BATTERY)) as peer:
        answer = await query_apcupsd(peer.target, 2.0)
    assert answer.state == "ok", answer.error
    [unit] = answer.units
    assert unit.source is UpsSource.APCUPSD
    assert unit.on_battery and unit.low_battery
    assert (unit.charge_pct, unit.runtime_s, unit.load_pct) == (76.0, 1290.0, 17.0)
    assert (unit.name, unit.model, unit.battery_date, unit.last_selftest) == (
        "office",
        "Back-UPS ES 700G",
        "2021-03-09",
        "NO",
    )


async def test_faithful_peer_replays_recorded_bytes() -> None:
    async with nis_peer(RECORDED_COMMLOST) as peer:
        answer = await query_apcupsd(peer.target, 2.0)
    assert answer.state == "ok"
    assert answer.units[0].status == ["COMMLOST"]


async def test_refused_is_absent() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        answer = await query_apcupsd(f"127.0.0.1:{s.getsockname()[1]}", 1.0)
    assert answer.state == "absent"


@pytest.mark.parametrize(
    "behaviour",
    [
        hp.nis_garbage,
        hp.nis_huge_record,
        hp.nis_endless_records,
        hp.nis_no_status,
        hp.nis_cut,
        hp.silent,
        hp.close_at_once,
    ],
    ids=lambda b: b.__name__,
)
async def test_hostile_nis_is_an_error_within_bounds(behaviour: hp.Behaviour) -> None:
    import tracemalloc

    async with hp.hostile_server(behaviour) as peer:
        tracemalloc.start()
        try:
            answer = await asyncio.wait_for(query_apcupsd(peer.target, 0.8), 10.0)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert answer.state == "error" and answer.error
    assert peak < 2 * 1024 * 1024
    assert peer.sent < hp.FLOOD_LIMIT


async def test_never_accepting_nis() -> None:
    with hp.never_accepting() as peer:
        answer = await asyncio.wait_for(query_apcupsd(peer.target, 0.8), 10.0)
    assert answer.state == "error"

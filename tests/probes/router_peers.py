"""Misbehaving routers on loopback: a UPnP IGD (SSDP responder plus HTTP server) and an SNMP
agent, each with one bad habit, to prove the router probe stays bounded in time and memory.

The SNMP agent is a real UDP agent: it decodes each v2c request with pysnmp's own protocol
module and answers with a well-formed response whose contents misbehave (a walk that loops,
a table that never ends), or with garbage bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api

HOST = "127.0.0.1"
FLOOD_LIMIT = 64 * 1024 * 1024


@dataclass
class Stats:
    sent: int = 0  # bytes pushed by the HTTP server
    requests: int = 0  # SNMP requests or HTTP requests answered
    paths: list[str] = field(default_factory=list)


# ---- UPnP IGD ---------------------------------------------------------------------------

GOOD_DESCRIPTION = b"""<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><device>
<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
<manufacturer>Peer</manufacturer><modelName>Peer IGD</modelName><serialNumber>S1</serialNumber>
</device></root>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<root xmlns="urn:schemas-upnp-org:device-1-0"><device><manufacturer>&lol9;</manufacturer></device></root>"""

Http = Callable[[asyncio.StreamWriter, Stats], Awaitable[None]]


async def _head(writer: asyncio.StreamWriter, stats: Stats, length: int | None = None) -> None:
    size = f"Content-Length: {length}\r\n" if length is not None else ""
    writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n{size}Connection: close\r\n\r\n".encode())
    await writer.drain()


async def igd_huge(writer: asyncio.StreamWriter, stats: Stats) -> None:
    await _head(writer, stats)
    writer.write(b'<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device><manufacturer>')
    chunk = b"A" * 65536
    with contextlib.suppress(ConnectionError, OSError):
        while stats.sent < FLOOD_LIMIT:
            writer.write(chunk)
            await writer.drain()
            stats.sent += len(chunk)


async def igd_slow(writer: asyncio.StreamWriter, stats: Stats) -> None:
    await _head(writer, stats, len(GOOD_DESCRIPTION))
    with contextlib.suppress(ConnectionError, OSError):
        for byte in GOOD_DESCRIPTION:
            writer.write(bytes([byte]))
            await writer.drain()
            stats.sent += 1
            await asyncio.sleep(0.2)


async def igd_malformed(writer: asyncio.StreamWriter, stats: Stats) -> None:
    body = b"<root><device><manufacturer>Peer</device></root" + os.urandom(64)
    await _head(writer, stats, len(body))
    writer.write(body)
    await writer.drain()


async def igd_bomb(writer: asyncio.StreamWriter, stats: Stats) -> None:
    await _head(writer, stats, len(BOMB))
    writer.write(BOMB)
    await writer.drain()


async def igd_good(writer: asyncio.StreamWriter, stats: Stats) -> None:
    await _head(writer, stats, len(GOOD_DESCRIPTION))
    writer.write(GOOD_DESCRIPTION)
    await writer.drain()


class _Ssdp(asyncio.DatagramProtocol):
    def __init__(self, location: str) -> None:
        self.location = location
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if self.transport is not None and data.startswith(b"M-SEARCH"):
            self.transport.sendto(
                (
                    "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
                    "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                    f"LOCATION: {self.location}\r\n\r\n"
                ).encode(),
                addr,
            )


@contextlib.asynccontextmanager
async def hostile_igd(behaviour: Http, location_host: str = HOST) -> AsyncIterator[tuple[int, Stats]]:
    """(SSDP port, stats) of an IGD whose description is served by ``behaviour``."""
    stats = Stats()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await reader.readline()
            stats.paths.append(line.decode(errors="replace").strip())
            while (await reader.readline()).strip():
                pass
            stats.requests += 1
            await behaviour(writer, stats)
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    server = await asyncio.start_server(handle, HOST, 0)
    http_port = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        lambda: _Ssdp(f"http://{location_host}:{http_port}/desc.xml"), local_addr=(HOST, 0)
    )
    ssdp_port = transport.get_extra_info("sockname")[1]
    try:
        yield ssdp_port, stats
    finally:
        transport.close()
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 2)


# ---- SNMP -------------------------------------------------------------------------------

V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
Agent = Callable[[bytes, Stats], bytes | None]


Binds = list[tuple[object, object]]


def _respond(wire: bytes, make: Callable[[Binds], Binds]) -> bytes:
    msg, _ = decoder.decode(wire, asn1Spec=V2C.Message())
    req = V2C.apiMessage.get_pdu(msg)
    rsp_msg = V2C.apiMessage.get_response(msg)
    rsp = V2C.apiMessage.get_pdu(rsp_msg)
    V2C.apiPDU.set_varbinds(rsp, make(V2C.apiPDU.get_varbinds(req)))
    return bytes(encoder.encode(rsp_msg))


def _sys(binds: list[tuple[object, object]]) -> list[tuple[object, object]]:
    return [(oid, V2C.OctetString("Peer router")) for oid, _ in binds]


def snmp_garbage(wire: bytes, stats: Stats) -> bytes | None:
    return os.urandom(300)


def snmp_looping_walk(wire: bytes, stats: Stats) -> bytes | None:
    """Answers every GETBULK with the OID it was asked for: a walk that never advances."""
    if stats.requests == 1:
        return _respond(wire, _sys)
    return _respond(wire, lambda binds: [(oid, V2C.Integer(1)) for oid, _ in binds])


def snmp_endless_table(wire: bytes, stats: Stats) -> bytes | None:
    """100,000 rows and more: every GETBULK gets 25 further rows under the asked column."""
    if stats.requests == 1:
        return _respond(wire, _sys)

    def rows(binds: list[tuple[object, object]]) -> list[tuple[object, object]]:
        oid = tuple(binds[0][0])  # type: ignore[call-overload]
        column, last = oid[:10], (oid[10] if len(oid) > 10 else 0)
        return [(V2C.ObjectIdentifier((*column, last + n)), V2C.Integer(6)) for n in range(1, 26)]

    return _respond(wire, rows)


class _Agent(asyncio.DatagramProtocol):
    def __init__(self, behaviour: Agent, stats: Stats) -> None:
        self.behaviour, self.stats = behaviour, stats
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.stats.requests += 1
        try:
            answer = self.behaviour(data, self.stats)
        except Exception:  # a request this peer cannot decode (v3): stay silent
            answer = None
        if answer is not None and self.transport is not None:
            self.transport.sendto(answer, addr)


@contextlib.asynccontextmanager
async def hostile_snmp(behaviour: Agent) -> AsyncIterator[tuple[int, Stats]]:
    stats = Stats()
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(lambda: _Agent(behaviour, stats), local_addr=(HOST, 0))
    try:
        yield transport.get_extra_info("sockname")[1], stats
    finally:
        transport.close()

"""Misbehaving NUT and apcupsd servers on loopback, to prove the clients stay bounded.

Each peer is a real TCP server in the test's event loop. ``sent`` counts the bytes a peer
managed to push before the client hung up, so a test can show the client stopped reading.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass

Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter, "Peer"], Awaitable[None]]

FLOOD_LIMIT = 64 * 1024 * 1024  # a peer never pushes more than this, even to a greedy client


@dataclass
class Peer:
    port: int = 0
    sent: int = 0
    connections: int = 0

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"


async def _push(writer: asyncio.StreamWriter, peer: Peer, data: bytes) -> None:
    writer.write(data)
    await writer.drain()
    peer.sent += len(data)


async def _flood(writer: asyncio.StreamWriter, peer: Peer, chunk: bytes) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while peer.sent < FLOOD_LIMIT:
            await _push(writer, peer, chunk)


async def _hold(reader: asyncio.StreamReader) -> None:
    """Keep the connection open, reading whatever comes, until the client leaves."""
    with contextlib.suppress(ConnectionError, OSError):
        while await reader.read(4096):
            pass


# --- NUT behaviours ---------------------------------------------------------------


async def nut_garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    await reader.readline()
    await _push(writer, peer, os.urandom(2048).replace(b"\n", b"\xff") + b"\n")
    await _hold(reader)


async def nut_garbage_protocol(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer
) -> None:
    """Plausible words, wrong grammar: BEGIN without END, then nonsense."""
    await reader.readline()
    await _push(writer, peer, b"BEGIN LIST UPS\nUPS\nUPS x\n\xc3\x28 nonsense\n")
    await _hold(reader)


async def nut_endless_line(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    await reader.readline()
    await _flood(writer, peer, b"A" * 65536)


async def nut_endless_list(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    """A LIST UPS that never ends: short valid lines, forever."""
    await reader.readline()
    await _push(writer, peer, b"BEGIN LIST UPS\n")
    await _flood(writer, peer, b'UPS u "d"\n' * 4096)


async def nut_huge_value(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    """A valid UPS whose manufacturer is a megabyte long."""
    with contextlib.suppress(ConnectionError, OSError):
        while line := await reader.readline():
            if line.startswith(b"LIST UPS"):
                await _push(writer, peer, b'BEGIN LIST UPS\nUPS big "x"\nEND LIST UPS\n')
            elif line.startswith(b"LIST VAR"):
                await _push(writer, peer, b"BEGIN LIST VAR big\n")
                await _push(writer, peer, b'VAR big ups.mfr "' + b"M" * (1024 * 1024) + b'"\n')
                await _push(writer, peer, b"END LIST VAR big\n")


async def nut_absurd_numbers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    """Valid grammar, absurd values, thousands of UPS names."""
    with contextlib.suppress(ConnectionError, OSError):
        while line := await reader.readline():
            if line.startswith(b"LIST UPS"):
                names = b"".join(b'UPS u%05d "x"\n' % i for i in range(3000))
                await _push(writer, peer, b"BEGIN LIST UPS\n" + names + b"END LIST UPS\n")
            elif line.startswith(b"LIST VAR"):
                name = line.split()[2]
                body = (
                    b'VAR %s ups.status "OB LB \\"OVER\\" ' % name + b"Z" * 100 + b'"\n'
                    b'VAR %s battery.charge "1e308"\n'
                    % name
                    + b'VAR %s battery.runtime "-5"\n' % name
                    + b'VAR %s ups.load "nan"\n' % name
                    + b'VAR %s ups.mfr "Ev\\"il\\\\ Corp"\n' % name
                )
                await _push(writer, peer, b"BEGIN LIST VAR %s\n%bEND LIST VAR %s\n" % (name, body, name))


async def nut_drip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    """Slowloris: a valid start, then one byte every 50 ms, never a newline."""
    await reader.readline()
    with contextlib.suppress(ConnectionError, OSError):
        await _push(writer, peer, b"BEGIN LIST UPS\n")
        while True:
            await _push(writer, peer, b"U")
            await asyncio.sleep(0.05)


# --- apcupsd NIS behaviours -------------------------------------------------------


async def nis_garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    await reader.read(8)
    with contextlib.suppress(ConnectionError, OSError):
        await _push(writer, peer, os.urandom(4096))
    await _hold(reader)


async def nis_huge_record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    await reader.read(8)
    with contextlib.suppress(ConnectionError, OSError):
        await _push(writer, peer, struct.pack(">H", 0xFFFF))
    await _flood(writer, peer, b"B" * 65535)


async def nis_endless_records(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    """Valid small records forever, never the zero-length end."""
    await reader.read(8)
    rec = b"STATUS   : ONLINE \n"
    await _flood(writer, peer, (struct.pack(">H", len(rec)) + rec) * 1000)


async def nis_no_status(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    """A well-formed answer that is not an apcupsd status (no STATUS line)."""
    await reader.read(8)
    rec = b"HELLO : WORLD\n"
    await _push(writer, peer, struct.pack(">H", len(rec)) + rec + b"\x00\x00")
    await _hold(reader)


async def nis_cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    """Closes in the middle of a record."""
    await reader.read(8)
    await _push(writer, peer, struct.pack(">H", 40) + b"STATUS : ONL")
    writer.close()


# --- shared behaviours --------------------------------------------------------------


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    """Accepts, reads, never says a word, never closes."""
    await _hold(reader)


async def close_at_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: Peer) -> None:
    writer.close()


@contextlib.asynccontextmanager
async def hostile_server(behaviour: Behaviour) -> AsyncIterator[Peer]:
    peer = Peer()
    tasks: set[asyncio.Task[object]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer.connections += 1
        task = asyncio.current_task()
        if task is not None:
            tasks.add(task)
        try:
            await behaviour(reader, writer, peer)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client left, or the test is over: a peer just stops
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    peer.port = server.sockets[0].getsockname()[1]
    try:
        yield peer
    finally:
        server.close()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


@contextlib.contextmanager
def never_accepting() -> Iterator[Peer]:
    """A listener whose accept queue is full and never drained: new connects hang in SYN.

    Linux drops the SYN of a connection that does not fit the accept queue, so the
    client's connect() waits; that is the "server never accepts" case.
    """
    listener = socket.socket()
    fillers: list[socket.socket] = []
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(4):  # fill the queue; non-blocking so the filler itself never waits
            s = socket.socket()
            s.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                s.connect(("127.0.0.1", port))
            fillers.append(s)
        yield Peer(port=port)
    finally:
        for s in fillers:
            s.close()
        listener.close()

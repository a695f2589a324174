"""A real DNS server on loopback (UDP and TCP on the same port), built on dnspython.

Answers from a table of records; the value ``CLIENT`` stands for the querier's own
address (like myip.opendns.com). Hostile modes misbehave on purpose: ``malformed`` sends
garbage, ``truncated`` sets TC over UDP and then cuts the TCP answer short, ``huge_txt`` sets TC
over UDP and answers every TXT query over TCP with a ~60 kB record set (the protocol's
maximum), ``silent`` never answers.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Literal

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

CLIENT = "{client}"
Mode = Literal["normal", "malformed", "truncated", "huge_txt", "silent"]


@dataclass
class DnsPeer:
    records: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    mode: Mode = "normal"
    host: str = "127.0.0.1"
    port: int = 0
    queries: list[tuple[str, str, str]] = field(default_factory=list)  # (transport, name, type)
    recursion_desired: list[bool] = field(default_factory=list)  # the RD flag of each query, in order
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def add(self, name: str, rdtype: str, *values: str) -> DnsPeer:
        self.records.setdefault((name.lower().rstrip("."), rdtype.upper()), []).extend(values)
        return self

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> DnsPeer:
        for _ in range(20):
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind((self.host, self.port))
            port = udp.getsockname()[1]
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                tcp.bind((self.host, port))
            except OSError:
                udp.close()
                tcp.close()
                continue
            tcp.listen(16)
            self.port = port
            break
        else:
            raise RuntimeError("no free port for UDP and TCP together")
        udp.settimeout(0.1)
        tcp.settimeout(0.1)
        self._udp, self._tcp = udp, tcp
        for target in (self._serve_udp, self._serve_tcp):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=2)
        self._udp.close()
        self._tcp.close()

    def __enter__(self) -> DnsPeer:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- answering ---------------------------------------------------------------------
    def answer(self, wire: bytes, client: str, transport: str) -> bytes | None:
        try:
            query = dns.message.from_wire(wire)
        except Exception:
            return None
        q = query.question[0]
        name = q.name.to_text(omit_final_dot=True).lower()
        rdtype = dns.rdatatype.to_text(q.rdtype)
        self.queries.append((transport, name, rdtype))
        self.recursion_desired.append(bool(query.flags & dns.flags.RD))
        if self.mode == "silent":
            return None
        if self.mode == "malformed":
            return wire[:2] + b"\x81\x80\xff\xff\x00\x07" + b"\xde\xad\xbe\xef" * 8
        response = dns.message.make_response(query)
        if self.mode in ("truncated", "huge_txt") and transport == "udp":
            response.flags |= dns.flags.TC
            return response.to_wire()
        if self.mode == "huge_txt" and q.rdtype == dns.rdatatype.TXT:
            chunk = '"' + "x" * 250 + '"'
            values = [" ".join([chunk] * 4)] * 60  # 60 records of 1 kB each
            response.answer.append(dns.rrset.from_text_list(q.name, 60, "IN", "TXT", values))
            return response.to_wire(max_size=65535)
        values = self.records.get((name, rdtype))
        if values is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        else:
            texts = [v.replace(CLIENT, client) for v in values]
            if rdtype == "TXT":
                texts = [t if t.startswith('"') else f'"{t}"' for t in texts]
            response.answer.append(dns.rrset.from_text_list(q.name, 60, "IN", rdtype, texts))
        return response.to_wire()

    def _serve_udp(self) -> None:
        while not self._stop.is_set():
            try:
                wire, addr = self._udp.recvfrom(4096)
            except (TimeoutError, OSError):
                continue
            reply = self.answer(wire, addr[0], "udp")
            if reply is not None:
                with contextlib.suppress(OSError):
                    self._udp.sendto(reply[:4096], addr)

    def _serve_tcp(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self._tcp.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._tcp_conn, args=(conn, addr[0]), daemon=True).start()

    def _tcp_conn(self, conn: socket.socket, client: str) -> None:
        conn.settimeout(2)
        with conn:
            try:
                head = conn.recv(2)
                if len(head) < 2:
                    return
                (length,) = struct.unpack("!H", head)
                wire = b""
                while len(wire) < length:
                    part = conn.recv(length - len(wire))
                    if not part:
                        return
                    wire += part
                reply = self.answer(wire, client, "tcp")
                if reply is None:
                    if self.mode == "silent":
                        self._stop.wait(3)
                    return
                if self.mode == "truncated":
                    conn.sendall(struct.pack("!H", len(reply) + 200) + reply[: len(reply) // 2])
                    return
                conn.sendall(struct.pack("!H", len(reply)) + reply)
            except OSError:
                return

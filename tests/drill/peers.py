"""Small real servers on 127.0.0.1 for the drill's samplers: TCP, DNS, HTTP echo.

Each runs in its own thread and can be stopped and started again on the same port, which
is how the tests make a loopback "outage". The echo servers answer with a settable
address (``Peers.public_ip``): loopback has one path only, so a changed public address is
the one thing these peers must pretend (the lab does it for real).
"""

from __future__ import annotations

import contextlib
import errno
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from readiness.config import Config, DnsEcho, Drill, Endpoints
from readiness.drill.samplers import DrillTargets

TEST_NAME = "www.drill.test"
MYIP_NAME = "myip.drill.test"
ORIGIN_ZONE = "origin.asn.drill.test"
ASN_ZONE = "asn.drill.test"


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bind_again(bind: Callable[[], None], patience_s: float = 3.0) -> None:
    """Bind a peer back to its port after an "outage".

    While the peer was down, the port was free, and the kernel may have handed it to a
    client socket of the drill as its ephemeral source port. Such a socket lives one probe
    at most, so wait it out instead of failing the test on EADDRINUSE, as CI once did.
    A peer's first start takes the port the kernel gives it: a port picked beforehand
    (free_port) could be taken before the peer bound it, which failed CI once more.
    """
    deadline = time.monotonic() + patience_s
    while True:
        try:
            bind()
            return
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class TcpPeer:
    """A listening socket: the kernel completes handshakes; closed, connections are refused."""

    def __init__(self, port: int = 0) -> None:
        self.port = port  # 0: the kernel's choice at the first start, kept for the next ones
        self._sock: socket.socket | None = None

    def start(self) -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bind_again(lambda: s.bind(("127.0.0.1", self.port)))
        self.port = s.getsockname()[1]
        s.listen(512)
        self._sock = s
        threading.Thread(target=self._drain, args=(s,), daemon=True).start()

    def _drain(self, s: socket.socket) -> None:
        while True:
            try:
                conn, _ = s.accept()
            except OSError:
                return
            conn.close()

    def stop(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
            self._sock = None


class DnsPeer:
    """A UDP DNS server: A for TEST_NAME, the querier-ish address for MYIP_NAME, Cymru TXT."""

    def __init__(self, peers: Peers, port: int = 0) -> None:
        self.peers = peers
        self.port = port  # 0: the kernel's choice at the first start, kept for the next ones
        self._sock: socket.socket | None = None
        self.queries = 0

    def start(self) -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bind_again(lambda: s.bind(("127.0.0.1", self.port)))
        self.port = s.getsockname()[1]
        self._sock = s
        threading.Thread(target=self._serve, args=(s,), daemon=True).start()

    def _serve(self, s: socket.socket) -> None:
        while True:
            try:
                data, addr = s.recvfrom(4096)
            except OSError:
                return
            self.queries += 1
            try:
                query = dns.message.from_wire(data)
            except Exception:
                continue
            with contextlib.suppress(OSError):
                s.sendto(self._answer(query).to_wire(), addr)

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        resp = dns.message.make_response(query)
        q = query.question[0]
        name = q.name.to_text(omit_final_dot=True).lower()
        rr: dns.rrset.RRset | None = None
        if name == TEST_NAME and q.rdtype == dns.rdatatype.A:
            rr = dns.rrset.from_text(q.name, 30, "IN", "A", "127.0.0.1")
        elif name == MYIP_NAME and q.rdtype == dns.rdatatype.A:
            rr = dns.rrset.from_text(q.name, 0, "IN", "A", self.peers.public_ip)
        elif name.endswith("." + ORIGIN_ZONE) and q.rdtype == dns.rdatatype.TXT:
            ip = ".".join(reversed(name.removesuffix("." + ORIGIN_ZONE).split(".")))
            asn = self.peers.asn_of.get(ip)
            if asn is not None:
                rr = dns.rrset.from_text(
                    q.name, 0, "IN", "TXT", f'"{asn} | {ip}/24 | ZZ | test | 2020-01-01"'
                )
        elif name.endswith("." + ASN_ZONE) and q.rdtype == dns.rdatatype.TXT:
            asn = int(name.split(".")[0].removeprefix("as"))
            rr = dns.rrset.from_text(
                q.name, 0, "IN", "TXT", f'"{asn} | ZZ | test | 2020-01-01 | TEST-AS{asn}, ZZ"'
            )
        if rr is None:
            resp.set_rcode(dns.rcode.NXDOMAIN)
        else:
            resp.answer.append(rr)
        return resp

    def stop(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


class HttpEchoPeer:
    """Answers every GET with the current public address as plain text."""

    def __init__(self, peers: Peers, port: int = 0) -> None:
        self.peers = peers
        self.port = port  # 0: the kernel's choice at the first start, kept for the next ones
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        peers = self.peers

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = (peers.public_ip + "\n").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler, bind_and_activate=False)
        bind_again(server.server_bind)
        self.port = server.server_address[1]
        server.server_activate()
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class Peers:
    """Two TCP anchors, a DNS server and an HTTP echo, all on 127.0.0.1."""

    def __init__(self) -> None:
        self.public_ip = "192.0.2.10"  # what the echoes say the office's public address is
        self.asn_of: dict[str, int] = {"192.0.2.10": 64500, "192.0.2.20": 64501, "192.0.2.30": 64500}
        self.tcp = [TcpPeer(), TcpPeer()]
        self.dns = DnsPeer(self)
        self.http = HttpEchoPeer(self)

    def start(self) -> None:
        for p in self.tcp:
            p.start()
        self.dns.start()
        self.http.start()

    def stop(self) -> None:
        for p in self.tcp:
            p.stop()
        self.dns.stop()
        self.http.stop()

    def config(self, **drill: float) -> Config:
        """A config whose every endpoint is one of these peers (the drill's DNS too)."""
        return Config(
            endpoints=Endpoints(
                anchors=["127.0.0.1"],
                tcp_anchors=[f"127.0.0.1:{p.port}" for p in self.tcp],
                echo_urls=[f"http://127.0.0.1:{self.http.port}/"],
                dns_echo=[DnsEcho(name=MYIP_NAME, server=f"127.0.0.1:{self.dns.port}")],
                cymru_origin_zone=ORIGIN_ZONE,
                cymru_asn_zone=ASN_ZONE,
                dns_test_name=TEST_NAME,
            ),
            drill=Drill(dns_server=f"127.0.0.1:{self.dns.port}", **drill),  # type: ignore[arg-type]
        )

    def targets(self) -> DrillTargets:
        """One ICMP anchor (loopback always answers), two TCP anchors, DNS, both echoes."""
        return DrillTargets(
            icmp=["127.0.0.1"],
            tcp=[("127.0.0.1", p.port) for p in self.tcp],
            dns_name=TEST_NAME,
            dns_servers=["127.0.0.1"],
            dns_port=self.dns.port,
            echo_urls=[f"http://127.0.0.1:{self.http.port}/"],
            dns_echo=[DnsEcho(name=MYIP_NAME, server=f"127.0.0.1:{self.dns.port}")],
            watch_vpn=False,
        )

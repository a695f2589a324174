"""The lab's "internet" services, run as one process inside the internet namespace.

* an authoritative DNS server (UDP and TCP, port 53) built on dnspython: it answers the
  public-IP names with the *querier's* address, Team Cymru-style origin/asn TXT records,
  reverse names with access hints, and A records for cloud hosts, anchors and test names;
* an HTTP echo on port 80 and an HTTPS echo on port 443 (every address of the namespace)
  returning the caller's address as plain text.

Usage: ``python -m tests.lab.services SPEC.json`` (the lab writes the spec). The process
writes ``spec["ready_file"]`` once every socket is bound, and stops on SIGTERM.
"""

from __future__ import annotations

import ipaddress
import json
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
from dns.rcode import Rcode
from dns.rdatatype import RdataType

TTL = 5


class Zones:
    """Every name the lab's internet knows, computed from the spec."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.echo_a = {n.lower().rstrip(".") for n in spec["echo_a"]}
        self.echo_txt = {n.lower().rstrip(".") for n in spec["echo_txt"]}
        self.static_a: dict[str, str] = {k.lower().rstrip("."): v for k, v in spec["static_a"].items()}
        self.ptr: dict[str, str] = spec["ptr"]
        self.origin_zone = spec["cymru_origin_zone"].lower().rstrip(".")
        self.asn_zone = spec["cymru_asn_zone"].lower().rstrip(".")
        self.prefixes = [(ipaddress.ip_network(p["prefix"]), int(p["asn"])) for p in spec["prefixes"]]
        self.prefixes.sort(key=lambda x: x[0].prefixlen, reverse=True)
        self.asns: dict[int, str] = {int(k): v for k, v in spec["asns"].items()}
        self.apexes = {n.lower().rstrip(".") for n in spec["apexes"]}

    def _in_apex(self, name: str) -> bool:
        return any(name == a or name.endswith("." + a) for a in self.apexes)

    def answer(self, qname: str, qtype: RdataType, client: str) -> tuple[Rcode, list[tuple[RdataType, str]]]:
        """(rcode, [(rdtype, text)]) for one question."""
        name = qname.lower().rstrip(".")
        if name in self.echo_a:
            return dns.rcode.NOERROR, [(dns.rdatatype.A, client)] if qtype == dns.rdatatype.A else []
        if name in self.echo_txt:
            return dns.rcode.NOERROR, [
                (dns.rdatatype.TXT, f'"{client}"')
            ] if qtype == dns.rdatatype.TXT else []
        if name in self.static_a or self._wildcard(name) is not None:
            addr = self.static_a.get(name) or self._wildcard(name)
            return dns.rcode.NOERROR, [(dns.rdatatype.A, str(addr))] if qtype == dns.rdatatype.A else []
        if name.endswith(".in-addr.arpa"):
            labels = name[: -len(".in-addr.arpa")].split(".")
            ip = ".".join(reversed(labels))
            if ip in self.ptr:
                return dns.rcode.NOERROR, [
                    (dns.rdatatype.PTR, self.ptr[ip] + ".")
                ] if qtype == dns.rdatatype.PTR else []
            return dns.rcode.NXDOMAIN, []
        if name.endswith("." + self.origin_zone):
            labels = name[: -len(self.origin_zone) - 1].split(".")
            txt = self._origin(labels)
            if txt is None:
                return dns.rcode.NXDOMAIN, []
            return dns.rcode.NOERROR, [(dns.rdatatype.TXT, f'"{txt}"')] if qtype == dns.rdatatype.TXT else []
        if name.endswith("." + self.asn_zone):
            label = name[: -len(self.asn_zone) - 1]
            if label.startswith("as") and label[2:].isdigit() and int(label[2:]) in self.asns:
                asn = int(label[2:])
                txt = f"{asn} | ZZ | lab | 2024-01-01 | {self.asns[asn]}, ZZ"
                return dns.rcode.NOERROR, [
                    (dns.rdatatype.TXT, f'"{txt}"')
                ] if qtype == dns.rdatatype.TXT else []
            return dns.rcode.NXDOMAIN, []
        if name in self.apexes:
            return dns.rcode.NOERROR, []
        return dns.rcode.NXDOMAIN, []

    def _wildcard(self, name: str) -> str | None:
        parts = name.split(".")
        for i in range(1, len(parts)):
            key = "*." + ".".join(parts[i:])
            if key in self.static_a:
                return self.static_a[key]
        return None

    def _origin(self, labels: list[str]) -> str | None:
        if len(labels) != 4 or not all(x.isdigit() for x in labels):
            return None
        try:
            ip = ipaddress.ip_address(".".join(reversed(labels)))
        except ValueError:
            return None
        for net, asn in self.prefixes:
            if ip in net:
                return f"{asn} | {net} | ZZ | lab | 2024-01-01"
        return None


def build_reply(zones: Zones, wire: bytes, client: str) -> bytes | None:
    try:
        query = dns.message.from_wire(wire)
    except Exception:
        return None
    reply = dns.message.make_response(query)
    reply.flags |= dns.flags.AA
    reply.flags &= ~dns.flags.RA
    if len(query.question) != 1:
        reply.set_rcode(dns.rcode.FORMERR)
        return reply.to_wire()
    q = query.question[0]
    rcode, records = zones.answer(q.name.to_text(), q.rdtype, client)
    reply.set_rcode(rcode)
    for rdtype, text in records:
        rd = dns.rdata.from_text(dns.rdataclass.IN, rdtype, text)
        rrset = dns.rrset.RRset(q.name, dns.rdataclass.IN, rdtype)
        rrset.add(rd, TTL)
        reply.answer.append(rrset)
    return reply.to_wire()


def serve_udp(sock: socket.socket, zones: Zones) -> None:
    while True:
        try:
            data, addr = sock.recvfrom(4096)
        except OSError:
            return
        out = build_reply(zones, data, addr[0])
        if out is not None:
            sock.sendto(out, addr)


class _TcpDns(socketserver.BaseRequestHandler):
    zones: Zones

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(5)
        while True:
            head = sock.recv(2)
            if len(head) < 2:
                return
            (length,) = struct.unpack("!H", head)
            data = b""
            while len(data) < length:
                chunk = sock.recv(length - len(data))
                if not chunk:
                    return
                data += chunk
            out = build_reply(self.zones, data, self.client_address[0])
            if out is None:
                return
            sock.sendall(struct.pack("!H", len(out)) + out)


class _TcpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class _Echo(BaseHTTPRequestHandler):
    server_version = "lab-echo/1"

    def do_GET(self) -> None:
        body = self.client_address[0].encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


class _Http(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Https(_Http):
    """The HTTPS echo: TLS is set up in each request's own thread, not in ``accept``.

    Wrapping the listening socket would run every handshake in the accept loop. A
    client that connects and goes silent without closing then stalls it for good: a
    drill cuts the line while a probe's handshake is under way, and its FIN never
    arrives. The pending connections fill the backlog, and from then on every
    connection to port 443 of this (pooled, shared) lab times out. Here such a client
    holds only its own thread, for HANDSHAKE_S at most.
    """

    HANDSHAKE_S = 5.0

    def __init__(self, address: tuple[str, int], ctx: ssl.SSLContext) -> None:
        super().__init__(address, _Echo)
        self.ctx = ctx

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, client = super().get_request()
        sock.settimeout(self.HANDSHAKE_S)
        return self.ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), client

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # a client gone or silent: its own business
            super().handle_error(request, client_address)


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[0]).read_text())
    zones = Zones(spec["dns"])
    threads: list[threading.Thread] = []
    for addr in spec["dns"]["listen"]:
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((addr, 53))
        threads.append(threading.Thread(target=serve_udp, args=(udp, zones), daemon=True))
        handler = type("H", (_TcpDns,), {"zones": zones})
        tcp = _TcpServer((addr, 53), handler)
        threads.append(threading.Thread(target=tcp.serve_forever, daemon=True))
    http = _Http(("0.0.0.0", 80), _Echo)
    threads.append(threading.Thread(target=http.serve_forever, daemon=True))
    if spec.get("tls_cert"):
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(spec["tls_cert"], spec["tls_key"])
        https = _Https(("0.0.0.0", 443), ctx)
        threads.append(threading.Thread(target=https.serve_forever, daemon=True))
    for t in threads:
        t.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    Path(spec["ready_file"]).write_text("ready\n")
    stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Run inside the office namespace at bring-up: waits until the lab answers like an office.

``python -m tests.lab.ready DEADLINE_S RESOLVER NAME [UPS_HOST UPS_PORT UPS_NAME]``: returns 0
once RESOLVER answers NAME (and upsd reports a real status for UPS_NAME), 1 on timeout.
"""

from __future__ import annotations

import socket
import sys
import time

import dns.message
import dns.query
import dns.rcode


def dns_ok(server: str, name: str) -> bool:
    try:
        reply = dns.query.udp(dns.message.make_query(name, "A"), server, timeout=0.3)
    except Exception:
        return False
    return reply.rcode() == dns.rcode.NOERROR and bool(reply.answer)


def ups_ok(host: str, port: int, ups: str) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3) as s:
            s.sendall(f"GET VAR {ups} ups.status\n".encode())
            line = s.makefile().readline()
    except OSError:
        return False
    return line.startswith("VAR") and "WAIT" not in line


def main(argv: list[str]) -> int:
    deadline = time.monotonic() + float(argv[0])
    resolver, name = argv[1], argv[2]
    ups = argv[3:6]
    while time.monotonic() < deadline:
        if (resolver == "-" or dns_ok(resolver, name)) and (not ups or ups_ok(ups[0], int(ups[1]), ups[2])):
            return 0
        time.sleep(0.05)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
